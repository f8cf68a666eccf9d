"""Completeness rules: is everything the kit refers to there, and is it whole?

Plain functions over the content model (and, for ``check_plan``, over one org's kit
plan, before anything is rendered).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from kitgen.findings import Finding
from kitgen.layouts import REQUIRED_DOCX_STYLES, Layouts
from kitgen.model import BLOCK_REFERENCES, Content, Org, Programme, block_refs

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


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


def org_programme(content: Content, org: Org, layouts: Layouts) -> list[Finding]:
    if org.programme in content.programmes:
        return []
    known = _suggest(org.programme, content.programmes) or "; known: " + ", ".join(sorted(content.programmes))
    return [Finding("error", "refs/unknown-programme",
                    f"organisation '{org.id}' uses programme '{org.programme}', which does not exist{known}",
                    org.origin.file, org.line_of("programme"), "programme")]


def tools_are_whole(content: Content) -> list[Finding]:
    """Every tool has a purpose, steps and a source; a tool marked with a worksheet has one."""
    findings = []
    for tool in content.tools.values():
        for field, what in (("purpose", "purpose"), ("steps", "steps"), ("source", "source")):
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


def quotes_are_attributed(content: Content) -> list[Finding]:
    findings = []
    for quote in content.quotes.values():
        if not quote.attribution:
            findings.append(Finding("error", "quotes/missing-attribution", f"quote '{quote.id}' has no attribution",
                                    quote.origin.file, quote.line_of("attribution"), "attribution"))
        if not quote.source:
            findings.append(Finding("warning", "quotes/missing-source", f"quote '{quote.id}' has no source",
                                    quote.origin.file, quote.line_of("source"), "source"))
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


CONTENT_RULES = (tool_references, tools_are_whole, quotes_are_attributed, unused_content)


# --- one organisation ---------------------------------------------------------------------


def org_files(content: Content, org: Org, layouts: Layouts) -> list[Finding]:
    """Every file the org profile names exists and is of the right type."""
    base = Path(content.root) / "orgs"
    brand = org.branding
    findings = []
    where = org.origin.file

    def line(field: str) -> int | None:
        return brand.line_of(field) or org.line_of("branding")

    for field in ("logo", "pptx_template", "docx_template"):
        name = getattr(brand, field)
        if name and not (base / name).resolve().is_relative_to(base.resolve()):
            findings.append(Finding("error", "org/file-outside",
                f"{field} '{name}' points outside {base}; keep an organisation's files in its folder there",
                where, line(field), f"branding.{field}"))
    if any(f.rule == "org/file-outside" for f in findings):
        return findings
    if brand.logo:
        path = base / brand.logo
        if not path.is_file():
            findings.append(Finding("error", "org/missing-file", f"logo file '{brand.logo}' does not exist (looked in {base})",
                                    where, line("logo"), "branding.logo"))
        elif path.read_bytes()[:8] != PNG_MAGIC:
            findings.append(Finding("error", "org/wrong-file-type",
                f"logo '{brand.logo}' is not a PNG image; kitgen takes PNG logos (convert SVG/JPEG to PNG first)",
                where, line("logo"), "branding.logo"))
    for field, suffix, marker, other in (
        ("pptx_template", ".pptx", "ppt/presentation.xml", ".potx"),
        ("docx_template", ".docx", "word/document.xml", ".dotx"),
    ):
        name = getattr(brand, field)
        if not name:
            continue
        path = base / name
        if not path.is_file():
            findings.append(Finding("error", "org/missing-file", f"template '{name}' does not exist (looked in {base})",
                                    where, line(field), f"branding.{field}"))
            continue
        problem = _office_file_problem(path, suffix, marker, other)
        if problem:
            findings.append(Finding("error", "org/wrong-file-type", f"template '{name}' {problem}", where, line(field),
                                    f"branding.{field}"))
    return findings


def _office_file_problem(path: Path, suffix: str, marker: str, template_suffix: str) -> str | None:
    if path.suffix.lower() == template_suffix:
        return f"is a {template_suffix} template, which kitgen cannot open; save it as a plain {suffix} file"
    if path.suffix.lower() != suffix:
        return f"must be a {suffix} file"
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            content_types = package.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names else ""
    except (zipfile.BadZipFile, OSError):
        return f"is not a {suffix} file (it is not an Office package)"
    if marker not in names:
        return f"is not a {suffix} file (it has no {marker})"
    if "template.main+xml" in content_types:
        return f"is saved as a template ({template_suffix}); save it as a plain {suffix} file"
    return None


def template_capabilities(content: Content, org: Org, layouts: Layouts) -> list[Finding]:
    """The org's templates have every slide layout and Word style kitgen writes with."""
    from kitgen.assemble import resolve_branding

    problems: list[Finding] = []
    branding = resolve_branding(content, org, layouts, problems)
    where, findings = org.origin.file, list(problems)
    pptx, docx = branding.pptx_template, branding.docx_template
    if pptx.is_file() and not _office_file_problem(pptx, ".pptx", "ppt/presentation.xml", ".potx"):
        from kitgen.fit import _all_boxes, template_boxes

        names = set(_all_boxes(str(pptx), pptx.stat().st_mtime_ns, pptx.stat().st_size))
        line = org.branding.line_of("pptx_template") or org.line_of("branding")
        for kind, name in sorted(branding.layout_names.items()):
            if name not in names:
                findings.append(Finding("error", "template/missing-layout",
                    f"the deck template '{pptx.name}' has no slide layout '{name}' (for {kind} slides); "
                    f"it has: {', '.join(sorted(names))}. Map the kinds in {pptx.with_suffix('.yaml').name}",
                    where, line, "branding.pptx_template"))
                continue
            boxes = template_boxes(str(pptx), name)
            for part, box in (("title", boxes.title), ("body or subtitle", boxes.body)):
                if box is None:
                    findings.append(Finding("error", "template/missing-placeholder",
                        f"slide layout '{name}' of '{pptx.name}' has no {part} placeholder, so {kind} slides would lose "
                        f"their text; choose a layout that has one", where, line, "branding.pptx_template"))
    if docx.is_file() and not _office_file_problem(docx, ".docx", "word/document.xml", ".dotx"):
        names = _docx_style_names(str(docx), docx.stat().st_mtime_ns, docx.stat().st_size)
        for style in REQUIRED_DOCX_STYLES:
            if style not in names:
                findings.append(Finding("error", "template/missing-style",
                    f"the Word template '{docx.name}' has no style '{style}', which kitgen writes with",
                    where, org.branding.line_of("docx_template") or org.line_of("branding"), "branding.docx_template"))
    return findings


@lru_cache(maxsize=32)
def _docx_style_names(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    from docx import Document

    return frozenset(style.name for style in Document(path).styles)


ORG_RULES = (org_programme, org_files, template_capabilities)


def check_plan(plan) -> list[Finding]:
    """Checks on the kit plan, before rendering: every slide has speaker notes."""
    findings = []
    for number, slide in enumerate(plan.slides, start=1):
        if not slide.notes.strip():
            origin = slide.origin
            findings.append(Finding("error", "slides/missing-notes",
                f"slide {number} '{slide.title[:60]}' would have no speaker notes; write '{slide.notes_field}'",
                origin.file if origin else None, origin.line if origin else None, slide.notes_field))
    return findings

