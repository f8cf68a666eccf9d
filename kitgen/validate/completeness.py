"""Completeness rules: is everything the kit refers to there, and is it whole?

Plain functions over the content model (and, for ``check_plan``, over one org's kit
plan, before anything is rendered).
"""

from __future__ import annotations

import re

import difflib
from pathlib import Path

from kitgen.core.findings import Finding
from kitgen.content.layouts import Layouts
from kitgen.validate.templates import template_rules
from kitgen.content.model import BLOCK_REFERENCES, Content, Org, Programme, block_refs
from kitgen.content.logos import advice, image_kind
from kitgen.content.scaffold import SAMPLE_TEXTS
from kitgen.core.textfield import Text, iter_texts
from kitgen.plan.kit import Kit



def _suggest(wanted: str, known) -> str:
    close = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def block_references(programme: Programme, content: Content) -> list[Finding]:
    """Every id a programme's blocks name (tools, questions, quotes, definitions, role-plays) exists."""
    findings = []
    for index, block in enumerate(programme.blocks):
        for field, (table_name, kind) in BLOCK_REFERENCES.items():
            table = getattr(content, table_name)
            for ref in block_refs(block, field):
                if ref not in table:
                    findings.append(Finding("error", f"refs/unknown-{kind}",
                        f"block '{block.title}' refers to {kind} '{ref}', which does not exist{_suggest(ref, table)}",
                        block.origin.file, block.line_of(field), f"blocks[{index}].{field}"))
    return findings


def tool_references(content: Content) -> list[Finding]:
    """Every question id a tool names exists."""
    findings = []
    for tool in content.tools.values():
        for ref in tool.questions:
            if ref not in content.questions:
                findings.append(Finding("error", "refs/unknown-question",
                    f"tool '{tool.id}' refers to question '{ref}', which does not exist{_suggest(ref, content.questions)}",
                    tool.origin.file, tool.line_of("questions"), "questions"))
    return findings


def org_programme(content: Content, org: Org, layouts: Layouts, kit: Kit | None = None) -> list[Finding]:
    if org.programme in content.programmes:
        return []
    known = _suggest(org.programme, content.programmes) or "; known: " + ", ".join(sorted(content.programmes))
    return [Finding("error", "refs/unknown-programme",
                    f"organisation '{org.id}' uses programme '{org.programme}', which does not exist{known}",
                    org.origin.file, org.line_of("programme"), "programme")]


def tools_are_whole(content: Content) -> list[Finding]:
    """Every tool has a purpose and a source, an exercise also steps (a model is presented, not run);
    a tool marked with a worksheet has one."""
    findings = []
    for tool in content.tools.values():
        required = (("purpose", "purpose"), ("source", "source")) + ((("steps", "steps"),) if tool.kind == "exercise" else ())
        for field, what in required:
            if not getattr(tool, field):
                findings.append(Finding("error", f"tools/missing-{field}", f"tool '{tool.id}' has no {what}",
                                        tool.origin.file, tool.line_of(field), field))
        if tool.has_worksheet and tool.worksheet is None:
            findings.append(Finding("error", "tools/missing-worksheet",
                f"tool '{tool.id}' is marked has_worksheet: true but has no worksheet",
                tool.origin.file, tool.line_of("has_worksheet"), "worksheet"))
        if tool.worksheet is not None and not tool.has_worksheet:
            findings.append(Finding("warning", "tools/worksheet-not-marked",
                f"tool '{tool.id}' has a worksheet but has_worksheet is false, so the worksheet is left out",
                tool.origin.file, tool.line_of("has_worksheet"), "has_worksheet"))
    return findings


def quotes_have_sources(content: Content) -> list[Finding]:
    """A quote (and a definition) needs a source: the document it comes from. An attribution is
    optional — it is given only where the seed names who said it, and no output invents one."""
    findings = []
    for kind, table in (("quote", content.quotes), ("definition", content.definitions)):
        for item in table.values():
            if not item.source:
                findings.append(Finding("error", f"{kind}s/missing-source",
                    f"{kind} '{item.id}' has no source; name the document it comes from (as that document names itself)",
                    item.origin.file, item.line_of("source"), "source"))
    return findings


def _editorial_items(content: Content):
    """Every content object that can carry ``editor_note``/``editorial``, with a name for messages."""
    for kind, table in (("tool", content.tools), ("question group", content.question_groups),
                        ("question", content.questions), ("quote", content.quotes),
                        ("role-play", content.roleplays), ("definition", content.definitions)):
        for item in table.values():
            yield f"{kind} '{item.id}'", item
    for programme in content.programmes.values():
        yield f"programme '{programme.id}'", programme
        for block in programme.blocks:
            yield f"block '{block.title}' of '{programme.id}'", block


def _editorial_texts(item) -> int:
    """How many of an object's texts are marked ``editorial: true`` (steps, questions, lines …)."""
    count = 0
    for name in type(item).model_fields:
        value = getattr(item, name)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, Text) and text.editorial:
                count += 1
    return count


def editorial_notes(content: Content) -> list[Finding]:
    """Editors' remarks and estimates, as information: each ``editor_note`` (which no output shows),
    each object's ``editorial`` fields and its texts marked ``editorial: true``."""
    findings = []
    for name, item in _editorial_items(content):
        if item.editor_note:
            findings.append(Finding("info", "content/editor-note", f"{name}: {item.editor_note}",
                                    item.origin.file, item.line_of("editor_note"), "editor_note"))
        marked = _editorial_texts(item)
        if item.editorial or marked:
            what = ", ".join(item.editorial) + (", " if item.editorial and marked else "") + \
                (f"{marked} text(s) marked editorial" if marked else "")
            findings.append(Finding("info", "content/editorial",
                f"{name} has editorial content (an editor's estimate or addition, not the seed's): {what}",
                item.origin.file, item.line_of("editorial") if item.editorial else item.line_of("id"), "editorial"))
    return findings


def unused_content(content: Content) -> list[Finding]:
    """Tools and quotes no programme uses: information, not an error."""
    used_tools = {t for p in content.programmes.values() for b in p.blocks for t in b.tool_ids}
    used_quotes = {q for p in content.programmes.values() for b in p.blocks for q in [*b.quotes, *b.notes_quotes]}
    findings = []
    for tool in content.tools.values():
        if tool.id not in used_tools:
            findings.append(Finding("info", "content/unused-tool", f"tool '{tool.id}' is not used by any programme",
                                    tool.origin.file, tool.line_of("id"), "id"))
    for quote in content.quotes.values():
        if quote.id not in used_quotes:
            findings.append(Finding("info", "content/unused-quote", f"quote '{quote.id}' is not used by any programme",
                                    quote.origin.file, quote.line_of("id"), "id"))
    return findings


def sample_texts(content: Content) -> list[Finding]:
    """A starter's sample text (``kitgen new tool|programme``) still in a file: an error, so that
    no placeholder reaches a kit."""
    samples = tuple(" ".join(t.lower().split()) for t in SAMPLE_TEXTS)
    findings = []
    objects = [*content.tools.values(), *content.programmes.values(), *content.variants.values()]
    seen = set()
    for obj in objects:
        file = obj.origin.file if obj.origin else None
        for path, text, owner, field in iter_texts(obj):
            words = " ".join(str(text).lower().split())
            sample = next((s for s in samples if words.startswith(s)), None)
            if sample is None or (file, path) in seen:
                continue
            seen.add((file, path))
            line = owner.line_of(field) if owner is not None and field else obj.line_of("id")
            findings.append(Finding(
                "error", "content/sample-text",
                f"'{str(text)[:60]}' is the sample text 'kitgen new' wrote; replace it with your own text",
                getattr(owner, "origin", None).file if getattr(owner, "origin", None) else file, line,
                ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")))
    return findings


CONTENT_RULES = (tool_references, tools_are_whole, quotes_have_sources, unused_content, editorial_notes, sample_texts)


# --- one organisation ---------------------------------------------------------------------


def _did_you_mean(base: Path, name: str) -> str:
    """'; did you mean 'KK/logo.png'?' from the files beside where ``name`` was looked for."""
    wanted = Path(name)
    folder = (base / wanted).parent
    try:
        beside = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))[:500]
    except OSError:
        return ""
    close = difflib.get_close_matches(wanted.name, beside, n=1, cutoff=0.5) or \
        difflib.get_close_matches(wanted.name.lower(), [b.lower() for b in beside], n=1, cutoff=0.5)
    if not close:
        return f"; the folder has: {', '.join(beside[:8])}" if beside else ""
    match = next(b for b in beside if b.lower() == close[0].lower())
    return f"; did you mean '{(wanted.parent / match).as_posix()}'?"


def org_files(content: Content, org: Org, layouts: Layouts, kit: Kit | None = None) -> list[Finding]:
    """Every file the org profile names exists and is of the right type."""
    base = Path(content.root) / "orgs"
    brand = org.branding
    findings = []
    where = org.origin.file

    def line(field: str) -> int | None:
        return brand.line_of(field) or org.line_of("branding")

    for field in ("logo", "logo_on_dark", "logo_on_light", "pptx_template", "docx_template"):
        name = getattr(brand, field)
        if name and not (base / name).resolve().is_relative_to(base.resolve()):
            findings.append(Finding("error", "org/file-outside",
                f"{field} '{name}' points outside {base}; keep an organisation's files in its folder there",
                where, line(field), f"branding.{field}"))
    if any(f.rule == "org/file-outside" for f in findings):
        return findings
    for field in ("logo", "logo_on_dark", "logo_on_light"):
        name = getattr(brand, field)
        if not name:
            continue
        path = base / name
        if not path.is_file():
            findings.append(Finding("error", "org/missing-file", f"{field.replace('_', ' ')} file '{name}' does not exist (looked in {base})"
                                    + _did_you_mean(base, name), where, line(field), f"branding.{field}"))
        else:
            kind = image_kind(path.read_bytes()[:64])
            if kind != "png":
                findings.append(Finding("error", "org/wrong-file-type", f"{field.replace('_', ' ')} {advice(name, kind)}",
                                        where, line(field), f"branding.{field}"))
    for field in ("pptx_template", "docx_template"):
        name = getattr(brand, field)
        if name and not (base / name).is_file():
            findings.append(Finding("error", "org/missing-file", f"template '{name}' does not exist (looked in {base})"
                                    + _did_you_mean(base, name), where, line(field), f"branding.{field}"))
    return findings  # what is inside a template: kitgen.validate.templates (after the package cleaning)


def org_booking(content: Content, org: Org, layouts: Layouts, kit: Kit | None = None) -> list[Finding]:
    """A kit date in the past: an info (a new booking may need its date). It depends on today, so it is
    one of :data:`TODAY_RULES`: not counted in ``kit.json`` (the same inputs give the same kit)."""
    from datetime import date as Date

    if org.date is not None and org.date < Date.today():
        return [Finding("info", "org/date-past",
                        f"the kit's date {org.date.isoformat()} is in the past; if this is a new booking, "
                        "give its date in the profile (date: YYYY-MM-DD) or remove the line", org.origin.file,
                        org.line_of("date"), "date")]
    return []


def org_leads(content: Content, org: Org, layouts: Layouts, kit: Kit | None = None) -> list[Finding]:
    """A block's ``lead:`` (the run-sheet's "Hvem" column) names one of the organisation's ``facilitators``."""
    programme = content.programmes.get(org.programme)
    if programme is None:
        return []
    findings = []
    for index, block in enumerate(programme.blocks):
        if block.lead and block.lead not in org.facilitators:
            known = ", ".join(org.facilitators) or "none yet"
            findings.append(Finding(
                "warning", "org/unknown-lead",
                f"block '{block.title}' is led by '{block.lead}', who is not among {org.id}'s facilitators ({known}); "
                f"add the name to 'facilitators:' in {org.origin.file} or correct 'lead:'{_suggest(block.lead, org.facilitators)}",
                block.origin.file, block.line_of("lead"), f"blocks[{index}].lead"))
    return findings


TODAY_RULES = frozenset({"org/date-past"})  # findings that depend on the day validation runs
ORG_RULES = (org_programme, org_files, template_rules, org_booking, org_leads)  # each rule(content, org, layouts, kit)


_WORKSHEET_NUMBER = re.compile(r"\b(arbejdsark|worksheet)\s+(?:nr\.?\s*)?(\d+)\b", re.IGNORECASE)


def worksheet_numbers(plan) -> list[Finding]:
    """A block that names a worksheet number the kit does not have ("Arbejdsark 5" in a kit of 3)."""
    count = len(plan.worksheets)
    findings = []
    for index, block in enumerate(plan.programme.blocks):
        for path, text, owner, field in iter_texts(block, (f"blocks[{index}]",)):
            for match in _WORKSHEET_NUMBER.finditer(text.get(plan.language)):
                number = int(match.group(2))
                if 1 <= number <= count:
                    continue
                has = f"has worksheets 1–{count}" if count > 1 else ("has one worksheet" if count == 1 else "has no worksheets")
                origin = (owner or block).origin
                findings.append(Finding(
                    "error", "refs/unknown-worksheet",
                    f"block '{block.title}' names '{match.group(0)}', but {plan.org.id}'s kit {has}; "
                    "correct the number (kitgen show programme lists the blocks and their tools)",
                    origin.file if origin else None, (owner or block).line_of(field or "notes"),
                    ".".join(str(p) for p in path).replace(".[", "[")))
    return findings


_BLOCK_NOTES = re.compile(r"blocks\[(\d+)\]\.notes")


def _unnoted_block(plan, slide) -> bool:
    """A block's points slide whose block has no notes of its own: the lines kitgen adds (the transition, the
    timing cue) do not make it noted. The block's own ``notes`` decide (a divider's time line is kitgen's own)."""
    found = _BLOCK_NOTES.fullmatch(slide.notes_field or "")
    if not found or slide.kind == "section":
        return False
    blocks = plan.programme.blocks
    index = int(found.group(1))
    return index < len(blocks) and blocks[index].kind != "break" and not str(blocks[index].notes or "").strip()


def check_plan(plan) -> list[Finding]:
    """Checks on the kit plan, before rendering: every slide has speaker notes; worksheet numbers exist."""
    findings = worksheet_numbers(plan)
    said = set()  # continuation slides share their first slide's notes: one finding names the field to write
    for number, slide in enumerate(plan.slides, start=1):
        origin = slide.origin
        key = (origin.file if origin else None, origin.line if origin else None, slide.notes_field)
        if (not slide.notes.strip() or _unnoted_block(plan, slide)) and key not in said:
            said.add(key)
            findings.append(Finding("error", "slides/missing-notes",
                f"slide {number} '{slide.title[:60]}' would have no speaker notes; write '{slide.notes_field}'",
                origin.file if origin else None, origin.line if origin else None, slide.notes_field))
    return findings

