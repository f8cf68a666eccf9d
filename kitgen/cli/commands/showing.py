"""Plain-text views for ``kitgen show tool|programme|org``: one item, readable in a terminal.

Texts are shown in the content's default language; clock times are the resolved ones
(computed from minutes), and for an organisation the ones in its booked slot.
"""

from __future__ import annotations

import textwrap

from kitgen.content.model import Content, Org, Programme, Tool
from kitgen.content.schedule import effective_programme, programme_files

WIDTH = 100


def _wrap(text: str, indent: str = "  ") -> list[str]:
    out = []
    for paragraph in str(text).strip().splitlines():
        out.extend(textwrap.wrap(paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [""])
    return out


def _uses(content: Content, tool_id: str) -> list[tuple[Programme, object]]:
    return [(p, b) for p in content.programmes.values() for b in p.blocks if tool_id in b.tool_ids]


def tool_text(content: Content, tool: Tool) -> str:
    minutes = f", {tool.duration_minutes} min" if tool.duration_minutes else ""
    lines = [f"Tool {tool.id}: {tool.title}  ({tool.kind}{minutes})", f"  file: {tool.origin}"]
    for label, value in (("Purpose", tool.purpose), ("Audience", tool.audience), ("Source", tool.source)):
        if str(value):
            lines.append(f"{label}:")
            lines.extend(_wrap(value))
    if tool.steps:
        lines.append("Steps:")
        for number, step in enumerate(tool.steps, 1):
            lines.extend(_wrap(f"{number}. {step}"))
    if tool.questions:
        lines.append("Questions:")
        for qid in tool.questions:
            question = content.questions.get(qid)
            lines.extend(_wrap(f"- {question.text if question else '(unknown question)'}  [{qid}]"))
    if tool.worksheet is not None:
        state = "" if tool.has_worksheet else "  (has_worksheet is false: left out of the kit)"
        title = tool.worksheet.title or tool.title
        lines.append(f"Worksheet: {title}{state}")
        for section in tool.worksheet.sections:
            heading = f" '{section.heading}'" if section.heading else ""
            lines.append(f"  - {section.kind}{heading}")
    if str(tool.facilitator_notes):
        lines.append("Facilitator notes:")
        lines.extend(_wrap(tool.facilitator_notes))
    uses = _uses(content, tool.id)
    lines.append("Used in:" if uses else "Used in: no programme yet (add it to a block: tools: [" + tool.id + "])")
    for programme, block in uses:
        how = next(u.use for u in block.tools if u.id == tool.id)
        orgs = [o.id for o in content.orgs.values() if o.programme == programme.id]
        by = f"  — orgs: {', '.join(orgs)}" if orgs else ""
        lines.append(f"  {programme.id} / {block.id or block.title}  {block.start}–{block.end} ({how}){by}")
    return "\n".join(lines)


def _block_lines(content: Content, programme: Programme) -> list[str]:
    lines = []
    for block in programme.blocks:
        span = f"{block.start}–{block.end}"
        minutes = f"{block.span_minutes} min" if block.span_minutes is not None else "? min"
        lines.append(f"  {span:<12} {minutes:>7}  {block.id or '(no id)':<28} {block.title}  [{block.kind}]")
        for use in block.tools:
            tool = content.tools.get(use.id)
            tool_minutes = f", {tool.duration_minutes} min" if tool and tool.duration_minutes else ""
            lines.append(f"{'':24}tool: {use.id} ({use.use}{tool_minutes})")
        if block.questions:
            lines.append(f"{'':24}questions: {len(block.questions)}")
    return lines


def programme_text(content: Content, programme: Programme) -> str:
    total = sum(b.span_minutes or 0 for b in programme.blocks)
    lines = [f"Programme {programme.id}: {programme.title}"]
    if str(programme.subtitle):
        lines.extend(_wrap(programme.subtitle))
    lines.append(f"  slot {programme.slot.start}–{programme.slot.end} · {len(programme.blocks)} blocks · {total} min")
    variant = content.variants.get(programme.id)
    if variant is not None:
        chain, current = [programme.id], variant.extends
        while current in content.variants and current not in chain:
            chain.append(current)
            current = content.variants[current].extends
        changes = [f"drops {', '.join(variant.drop)}" if variant.drop else "",
                   f"inserts {', '.join(i.block.id or '?' for i in variant.insert)}" if variant.insert else "",
                   f"moves {', '.join(m.block for m in variant.move)}" if variant.move else "",
                   f"overrides {', '.join(variant.override)}" if variant.override else ""]
        lines.append(f"  extends: {' → '.join([*chain[1:], current])}; {'; '.join(c for c in changes if c) or 'no changes yet'}")
    lines.append(f"  files: {', '.join(programme_files(content, programme.id))}")
    orgs = [o.id for o in content.orgs.values() if o.programme == programme.id]
    lines.append(f"  used by: {', '.join(orgs) if orgs else 'no organisation yet'}")
    lines.append("")
    lines.extend(_block_lines(content, programme))
    return "\n".join(lines)


def org_text(content: Content, org: Org) -> str:
    lines = [f"Organisation {org.id}: {org.name}", f"  file: {org.origin}"]
    for label, value in (("date", org.date), ("venue", org.venue), ("language", org.language),
                         ("facilitators", ", ".join(org.facilitators))):
        if value:
            lines.append(f"  {label}: {value}")
    branding = org.branding.model_dump(exclude_none=True)
    if branding:
        lines.append("  branding: " + ", ".join(f"{k} {v}" for k, v in branding.items()))
    programme = content.programmes.get(org.programme)
    if programme is None:
        lines.append(f"  programme: {org.programme} (does not exist; kitgen validate --org {org.id} says more)")
        return "\n".join(lines)
    moved = effective_programme(programme, org)
    where = f"its own slot {org.slot.start}–{org.slot.end}" if org.slot else f"the programme's slot {programme.slot.start}–{programme.slot.end}"
    lines.append(f"  programme: {programme.id} ({programme.title}), in {where}")
    lines.append("")
    lines.extend(_block_lines(content, moved))
    return "\n".join(lines)


def search_hits(content: Content, word: str | None):
    """A predicate for ``kitgen list --search WORD``: does an item mention WORD (case-insensitive)?"""
    if not word:
        return lambda item: True
    needle = word.casefold()

    def texts(item) -> list[str]:
        out = [str(getattr(item, name, "") or "") for name in ("id", "name", "title", "subtitle", "purpose", "text", "programme")]
        out += [str(s) for s in getattr(item, "steps", [])]
        for block in getattr(item, "blocks", []):
            out += [str(block.title), str(block.id or ""), *block.tool_ids]
        return out

    return lambda item: any(needle in text.casefold() for text in texts(item))
