"""The same KK material as Markdown, for pandoc's side of the comparison."""

from __future__ import annotations

import json
import re

from kitbench import paths


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~^$@])")


def md(text: str) -> str:
    """Escape text for pandoc Markdown (inline), keeping it on one line."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    text = re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", text)  # "1. " would start a list
    return re.sub(r"^([-+])(?=\s)", r"\\\1", text)


def md_paragraphs(text: str) -> list[str]:
    return [md(p) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _yaml_meta(**fields) -> list[str]:
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items() if value] + ["---", ""]
    return lines


def kk_markdown(org_id: str = "KK") -> dict[str, str]:
    """deck.md, worksheets.md and notes.md holding the KK kit's material, from kitgen's own loaders."""
    from kitgen.content.load import load_content
    from kitgen.content.schedule import effective_programme

    content, _findings = load_content(paths.CONTENT)
    org = content.orgs[org_id]
    prog = effective_programme(content.programmes[org.programme], org)
    day = str(org.date or prog.date or "")
    meta = dict(title=prog.title, subtitle=prog.subtitle, author=org.name, date=" · ".join(x for x in (day, org.venue) if x))
    tools = [content.tools[t] for b in prog.blocks for t in b.tool_ids if t in content.tools]

    # the deck: title (metadata), agenda, one slide per block + its quotes, tools and questions
    deck = _yaml_meta(**meta)
    deck += ["# Program", ""] + [f"- {b.start}–{b.end}   {md(b.title)}" for b in prog.blocks] + [""]
    for b in prog.blocks:
        deck += [f"# {md(b.title)}", ""]
        deck += [f"- {md(p)}" for p in b.points] if b.points else [f"{b.start}–{b.end} · {b.span_minutes} min."]
        deck += ["", "::: notes"] + [p + "\n" for p in md_paragraphs(b.notes)] + [":::", ""]
        for q in (content.quotes[q] for q in b.quotes if q in content.quotes):
            deck += ["# Citat", "", f"> {md(q.text)}", ">", f"> – {md(q.attribution)}", "",
                     "::: notes", f"Læs citatet højt: {md(q.attribution)}", ":::", ""]
        for t in (content.tools[t] for t in b.tool_ids if t in content.tools):
            deck += [f"# {md(t.title)}", "", md(t.purpose), ""] + [f"1. {md(s)}" for s in t.steps] + [""]
            deck += ["::: notes"] + [p + "\n" for p in md_paragraphs(t.facilitator_notes or t.purpose)] + [":::", ""]
        questions = [content.questions[q] for q in b.questions if q in content.questions]
        if questions:
            deck += ["# Spørgsmål", ""] + [f"- {md(q.text)}" for q in questions]
            deck += ["", "::: notes", "Giv tid til refleksion, og saml op i plenum.", ":::", ""]

    # the worksheets: one per tool with a worksheet
    sheets = _yaml_meta(title=f"Arbejdsark – {prog.title}", author=org.name)
    for t in tools:
        if not (t.has_worksheet and t.worksheet):
            continue
        ws = t.worksheet
        sheets += [f"# {md(ws.title or t.title)}", ""]
        if ws.instructions:
            sheets += md_paragraphs(ws.instructions) + [""]
        if t.steps:
            sheets += [f"1. {md(s)}" for s in t.steps] + [""]
        for s in ws.sections:
            if getattr(s, "heading", None):
                sheets += [f"## {md(s.heading)}", ""]
            if s.kind == "fields":
                sheets += [f"{md(f)}: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_  " for f in s.fields] + [""]
            elif s.kind == "prompts":
                for p in s.prompts:
                    sheets += [f"**{md(p)}**", "", "| |", "|---|"] + ["| |"] * s.lines + [""]
            elif s.kind == "table":
                sheets += ["| " + " | ".join(md(c) for c in s.columns) + " |", "|" + "---|" * len(s.columns)]
                sheets += ["| " + " | ".join(md(c) or " " for c in row) + " |" for row in s.rows]
                sheets += ["|" + " |" * len(s.columns)] * s.empty_rows + [""]
            elif s.kind == "grid":
                sheets += ["| | " + " | ".join(md(c) for c in s.column_labels) + " |", "|" + "---|" * (len(s.column_labels) + 1)]
                sheets += [f"| **{md(r)}** |" + " |" * len(s.column_labels) for r in s.row_labels] + [""]
            elif s.kind == "checklist":
                sheets += [f"- [ ] {md(i)}" for i in s.items] + [""]
            elif s.kind == "text":
                sheets += md_paragraphs(s.text) + [""]
        qs = [content.questions[q] for q in t.questions if q in content.questions]
        if qs:
            sheets += ["## Spørgsmål", ""] + [f"1. {md(q.text)}" for q in qs] + [""]
        sheets += [f"*Kilde: {md(t.source)}*" if t.source else "", "", "\\newpage", ""]

    # the facilitator notes: run-sheet with clock times, then what to say and do per block
    notes = _yaml_meta(title=f"Facilitatornoter – {prog.title}", subtitle=org.name, date=meta["date"])
    notes += ["# Drejebog", "", "| Tid | Min. | Blok | Materialer |", "|---|---|---|---|"]
    notes += [f"| {b.start}–{b.end} | {b.span_minutes or ''} | {md(b.title)} | {md(', '.join(b.materials))} |" for b in prog.blocks]
    notes += [""]
    for b in prog.blocks:
        notes += [f"## {b.start}–{b.end} {md(b.title)}", ""]
        notes += [f"- {md(p)}" for p in b.points] + [""]
        notes += md_paragraphs(b.notes) + [""]
        for t in (content.tools[t] for t in b.tool_ids if t in content.tools):
            notes += [f"### Værktøj: {md(t.title)}", ""] + [f"1. {md(s)}" for s in t.steps] + [""]
            notes += md_paragraphs(t.facilitator_notes) + [""]
        for q in (content.questions[q] for q in b.questions if q in content.questions):
            notes += [f"- Spørgsmål: {md(q.text)}"] + [f"    - {md(h)}" for h in q.help]
        for q in (content.quotes[q] for q in b.quotes if q in content.quotes):
            notes += ["", f"> {md(q.text)} – {md(q.attribution)}"]
        if b.materials:
            notes += ["", "Materialer: " + md(", ".join(b.materials))]
        notes += [""]
    return {"deck.md": "\n".join(deck), "worksheets.md": "\n".join(sheets), "notes.md": "\n".join(notes)}


