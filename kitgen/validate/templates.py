"""Template rules: can the org's own templates carry the kit, and do they keep text clear?

* the deck and Word files go through the package cleaning (``kitgen.templates.clean``):
  what cannot be used is an error, what was dropped (macros, outside links) a note;
* every slide kind's layout has what the kind needs (``deck.yaml`` → ``slides:`` → ``needs``: a
  title, a text box) (``template/missing-placeholder``);
* a text box that the master's or layout's own pictures and shapes cover, or that the
  logo would cover, is a warning naming the layout and the graphic (``template/text-over-graphic``,
  ``template/logo-over-text``);
* a font of the template's that is not installed here and has no metric twin is a warning naming
  the font, what kitgen measures it with and how to install or map it (``template/font-not-installed``);
* Word styles kitgen writes with that the client's document lacks are notes: kitgen
  copies them from its default document (``template/style-added``); so is a document
  without page setup (A4 is used) and numbered headings (kitgen's headings are not numbered).
"""

from __future__ import annotations

from kitgen.core.findings import Finding
from kitgen.content.fonts import font_class, font_info
from kitgen.content.layouts import REQUIRED_DOCX_STYLES, Layouts, traits_of
from kitgen.content.model import Content, Org
from kitgen.plan.kit import Kit
from kitgen.templates.brand import org_where
from kitgen.templates.choose import logo_box, template_logo
from kitgen.templates.clean_base import PackageError
from kitgen.templates.inspect import inspect_template
from kitgen.templates.inspect_model import Box, obstruction
from kitgen.templates.inspect_word import inspect_document
from kitgen.content.fonts import font_class, font_info

OVERLAP_SHARE = 0.10   # of a text box's area, before a graphic under it is worth a warning
KIND_TEXT = {"title": "title and subtitle", "closing": "title and names"}


def template_rules(content: Content, org: Org, layouts: Layouts, kit: Kit | None = None) -> list[Finding]:
    kit = kit if kit is not None else Kit(content, org, layouts)
    branding = kit.branding
    problems = kit.problems
    findings = list(problems)
    if any(f.severity == "error" and f.field == "branding.pptx_template" for f in problems):
        info = None
    else:
        try:
            info = inspect_template(branding.pptx_template, org_where(org, "pptx_template"))
        except (PackageError, OSError):
            info = None  # resolve_branding reported it, or org_files reports the missing file
    if info is not None and branding.layout_names:
        findings += _deck_rules(org, info, branding, layouts)
        findings += _template_fonts(org, branding, info)
    if org.branding.docx_template:
        findings += _document_rules(org, branding.docx_template)
    return findings


def _deck_rules(org: Org, info, branding, layouts: Layouts) -> list[Finding]:
    where = org_where(org, "pptx_template")
    name = info.path.rsplit("/", 1)[-1]
    findings, seen = [], set()
    for kind, ref in sorted(branding.layout_names.items()):
        layout = info.layout(ref)
        if layout is None:
            continue
        needs = traits_of(kind, layouts.traits).needs  # what the kind's slides hold (deck.yaml -> slides:)
        for part, need, placeholder in (("title", "title", layout.title), ("text box (body or subtitle)", "body", layout.body)):
            if placeholder is None and need in needs:
                findings.append(Finding("error", "template/missing-placeholder",
                    f"slide layout {ref} of '{name}' has no {part}, so {kind} slides would lose their text; name a layout "
                    f"that has one in {name.rsplit('.', 1)[0]}.yaml", where.file, where.line, where.field))
        slide_area = info.slide_width * info.slide_height
        for placeholder in (layout.title, layout.body):
            if placeholder is None or placeholder.box is None or not placeholder.box.area or (ref, placeholder.idx) in seen:
                continue
            seen.add((ref, placeholder.idx))
            for graphic in layout.graphics:
                if placeholder is layout.title and graphic.kind == "shape":
                    continue  # a band or panel behind a title is the template's design (choose.decoration)
                share = obstruction(graphic, placeholder.box, slide_area) / placeholder.box.area
                if share >= OVERLAP_SHARE:
                    what = f"{graphic.kind} '{graphic.name}'" if graphic.name else f"a {graphic.kind}"
                    findings.append(Finding("warning", "template/text-over-graphic",
                        f"in slide layout {ref} of '{name}', {share:.0%} of the {placeholder.type.lower()} box "
                        f"({placeholder.box.describe()}) lies under {what} of the {graphic.where}; text there may be hard "
                        "to read: choose another layout or master in the template map, or move the graphic",
                        where.file, where.line, where.field))
                    break
    findings += _own_logo(branding, info, name, where)
    if branding.logo is not None and "title" in branding.layout_names:
        ref = branding.layout_names["title"]
        layout = info.layout(ref)
        if layout is not None and layout.picture is None and template_logo(info, ref) is None:
            box = Box(*logo_box(info, ref))
            for placeholder in (layout.title, layout.body):
                if placeholder is not None and placeholder.box is not None and placeholder.box.overlap(box):
                    findings.append(Finding("warning", "template/logo-over-text",
                        f"the logo on the title slide (layout {ref} of '{name}') overlaps its {placeholder.type.lower()} "
                        "box: no free corner is left; add a picture placeholder for the logo to that layout",
                        where.file, where.line, where.field))
                    break
    return findings


def _own_logo(branding, info, name: str, where) -> list[Finding]:
    """An info finding where the cover's or closing's layout shows the client's own logo: kitgen leaves
    the profile's logo off those slides (a second logo beside the real one reads as a fake)."""
    if branding.logo is None:
        return []
    slides = [what for kind, what in (("title", "covers"), ("closing", "closing slides"))
              if kind in branding.layout_names and template_logo(info, branding.layout_names[kind]) is not None]
    if not slides:
        return []
    picture = template_logo(info, branding.layout_names["title" if slides[0] == "covers" else "closing"])
    return [Finding("info", "template/own-logo",
                    f"the template '{name}' shows its own logo on {' and '.join(slides)} (picture '{picture.name}' "
                    f"on the {picture.where}); kitgen's logo is left off there", where.file, where.line, where.field)]


def _template_fonts(org: Org, branding, info) -> list[Finding]:
    """The template's own fonts (the profile names none) that are not installed here and have no metric
    twin: kitgen measures them with the widest font of their class, and says how to do better."""
    where = org_where(org, "pptx_template")
    name = info.path.rsplit("/", 1)[-1]
    findings, seen = [], set()
    for field, what in (("heading_font", "heading"), ("body_font", "body")):
        family = getattr(branding, field, None)
        if not family or getattr(org.branding, field, None) or family.lower() in seen:
            continue
        seen.add(family.lower())
        found = font_info(family)
        if found.found:
            continue
        findings.append(Finding("warning", "template/font-not-installed",
            f"the {what} font of '{name}', '{family}', is not installed here and has no metric twin; kitgen measures "
            f"its text with {found.measure_family} (the widest {font_class(family)} font kitgen ships), so lines may "
            f"break earlier than on the client's PC; install '{family}' (copy its files to ~/.fonts and run fc-cache), "
            f"or map it to an installed font of the same widths in kitgen/data/fonts.yaml "
            f"('{family}: {{twin: …, metric: true}}'), or set branding.{field} in the profile",
            where.file, where.line, where.field))
    return findings


def _document_rules(org: Org, path) -> list[Finding]:
    where = org_where(org, "docx_template")
    if not path.is_file():
        return []  # org_files reports it
    try:
        info = inspect_document(path, where)
    except PackageError as problem:
        return [problem.finding]
    findings = list(info.findings)
    missing = [style for style in REQUIRED_DOCX_STYLES if not info.has_style(style)]
    if missing:
        findings.append(Finding("info", "template/style-added",
            f"the Word template '{path.name}' has no {', '.join(repr(s) for s in missing)}; kitgen adds "
            f"{'it' if len(missing) == 1 else 'them'} from its default document (define them in the template to choose "
            "their look)", where.file, where.line, where.field))
    if not info.has_page_setup:
        findings.append(Finding("info", "template/page-setup-added",
            f"the Word template '{path.name}' has no page setup; kitgen uses A4 with 2.5 cm margins", where.file,
            where.line, where.field))
    if info.numbered_headings:
        findings.append(Finding("info", "template/heading-numbering",
            f"the Word template '{path.name}' numbers its headings ({', '.join(info.numbered_headings)}); kitgen's "
            "headings are written without that numbering", where.file, where.line, where.field))
    return findings
