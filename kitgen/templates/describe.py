"""Templates described for people: ``kitgen show template`` and ``init-org``'s report.

``render_layouts`` makes two throw-away decks — one slide per layout of every master
(placeholders labelled with their type and size), and one slide per kind of slide on the
layout kitgen chose, with sample text — and renders them through LibreOffice into PNGs and
contact sheets, so the consultant sees the designs by number and checks the choice before a
build. ``init-org`` speaks in a few lines (``deck_summary``, ``look_summary``,
``deck_concerns``, ``document_summary``); ``chosen_lines`` and ``document_lines`` are its
``--verbose`` details.
"""

from __future__ import annotations

from pathlib import Path

from kitgen.content.layouts import REQUIRED_DOCX_STYLES, SLIDE_KINDS
from kitgen.templates.brand import installed_or
from kitgen.templates.choose import Choice, choose_layouts, decoration
from kitgen.templates.inspect import inspect_template
from kitgen.templates.inspect_model import TemplateInfo
from kitgen.templates.inspect_word import DocumentInfo, inspect_document


def theme_of(info: TemplateInfo, choice: Choice) -> dict:
    master = info.masters[choice.content_master]
    major, minor = tuple(master.theme_fonts or (None, None))  # a named font not installed here: the theme's, as the deck has it
    found = {"primary_color": master.colours.get("accent1"), "accent_color": master.colours.get("accent2"),
             "heading_font": installed_or(master.heading_font, major), "body_font": installed_or(master.body_font, minor)}
    return {k: v for k, v in found.items() if v and not v.startswith("+")}


def _pt(info: TemplateInfo) -> str:
    return f"{info.slide_width / 12700:.0f}×{info.slide_height / 12700:.0f} pt"


def chosen_lines(info: TemplateInfo, choice: Choice, path: Path) -> list[str]:
    lines = [f"deck template: {path.name} ({info.was}, {info.aspect}, {_pt(info)}, {len(info.masters)} slide master(s))"]
    if len(info.masters) > 1:
        lines.append(f"  content slides on master {choice.content_master + 1} ('{info.masters[choice.content_master].name}'), "
                     f"title and closing on master {choice.cover_master + 1} ('{info.masters[choice.cover_master].name}')")
    for kind in SLIDE_KINDS:
        ref = choice.refs.get(kind)
        layout = info.layout(ref) if ref else None
        if layout is None:
            lines.append(f"  {kind:<10} (no layout)")
            continue
        title = layout.title.box.describe() if layout.title and layout.title.box else "none"
        body = layout.body.box.describe() if layout.body and layout.body.box else "none"
        lines.append(f"  {kind:<10} master {ref.master + 1}, '{ref.name}': title {title}, text {body}"
                     f" — {choice.reasons.get(kind, '')}")
    for finding in choice.findings:
        lines.append(f"  {finding.severity}: {finding.message}")
    theme = theme_of(info, choice)
    lines.append("theme (kept unless the profile overrides it): "
                 + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in theme.items()) if theme else "theme: none found")
    return lines


def _layout_name(info: TemplateInfo, choice: Choice, kind: str) -> str:
    ref = choice.refs.get(kind)
    return f"'{ref.name}'" if ref else "none"


def deck_summary(info: TemplateInfo, choice: Choice, path: Path, fit: dict) -> str:
    """One line, in a consultant's words: which designs the deck uses for which slides."""
    groups: dict[str, list[str]] = {}
    for label, kinds in (("title and closing", ("title", "closing")), ("sections", ("section",)),
                         ("content", ("content", "agenda", "tool", "questions", "quote"))):
        names = sorted({_layout_name(info, choice, k) for k in kinds})
        groups.setdefault(" / ".join(names), []).append(label)
    used = "; ".join(f"{', '.join(labels)} on {names}" for names, labels in groups.items())
    masters = f"master {choice.content_master + 1} of {len(info.masters)}" if len(info.masters) > 1 else "one master"
    size = f"; body text {fit['body_size_pt']:g} pt" if "body_size_pt" in fit else ""
    return f"deck: {path.name} ({info.was}, {info.aspect}, {masters}) — {used}{size}"


def look_summary(theme: dict) -> str:
    if not theme:
        return "look: kitgen's colours and fonts (the template names none)"
    colours = " and ".join(theme[k] for k in ("primary_color", "accent_color") if theme.get(k))
    fonts = " / ".join(dict.fromkeys(theme[k] for k in ("heading_font", "body_font") if theme.get(k)))
    return "look: the template's own " + ", ".join(x for x in (f"colours {colours}" if colours else "",
                                                              f"fonts {fonts}" if fonts else "") if x)


def deck_concerns(info: TemplateInfo, choice: Choice, fit: dict, base_body: float | None, small_box: bool) -> list[str]:
    """What a consultant should look at before the first build, most important first."""
    concerns = [f.message for f in choice.findings if f.severity == "error"]
    content = info.layout(choice.refs["content"]) if "content" in choice.refs else None
    if small_box and content is not None and content.body is not None and content.body.box is not None:
        concerns.append(f"content slides have a small text box ({content.body.box.describe()}): long slides get small "
                        "text; name a layout with a larger box in the layout map")
    elif base_body and fit.get("body_size_pt", base_body) < 0.85 * base_body:
        concerns.append(f"body text is {fit['body_size_pt']:g} pt (kitgen's own is {base_body:g} pt) to fit this template's boxes")
    covered = [kind for kind in ("title", "content", "section") if kind in choice.refs and info.layout(choice.refs[kind])
               and decoration(info.layout(choice.refs[kind]), info.slide_box.area) > 0.3]
    if covered:
        concerns.append(f"text on {', '.join(covered)} slides lies over the template's graphics; check it is readable")
    if info.aspect not in ("16:9", "16:10"):
        concerns.append(f"{info.aspect} slides: diagrams and tables get less width than on 16:9")
    return concerns


def document_summary(info: DocumentInfo) -> tuple[str, list[str]]:
    """(one line on the Word template, what kitgen changes in it that a consultant may notice)."""
    changes = []
    kinds = [k for k, on in (("first-page", info.first_page_header), ("even-page", info.even_page_header)) if on]
    if kinds:
        changes.append(f"kitgen's header and footer also go on its {' and '.join(kinds)} headers")
    if info.page_numbers:
        changes.append("its own page numbers give way to kitgen's 'page X of Y'")
    if info.line_numbers:
        changes.append("its line numbering is left out")
    if info.numbered_headings:
        changes.append("heading numbering is left out")
    fonts = f", East Asian fonts {', '.join(info.east_asian_fonts[:3])} kept" if info.east_asian_fonts else ""
    return f"Word: {Path(info.path).name} ({info.body_font or 'its own'} body text{fonts})", changes


def describe_deck(path: Path) -> list[str]:
    info = inspect_template(path)
    lines = []
    for note in info.findings:
        lines.append(f"note: {note.message}")
    for master in info.masters:
        used = f"; sample slide(s) {', '.join(str(s + 1) for s in master.used_by)}" if master.used_by else ""
        sizes = f"; text styles: title {master.title_size_pt or '?'} pt, body {master.body_size_pt or '?'} pt"
        lines.append(f"master {master.index + 1} '{master.name}': {len(master.graphics)} graphic(s)"
                     f"{', background picture' if master.background_picture else ''}{used}{sizes}")
        colours = " ".join(f"{k}={v}" for k, v in master.colours.items())
        lines.append(f"  theme: heading font {master.heading_font}, body font {master.body_font}; {colours}")
        for layout in master.layouts:
            parts = []
            for p in layout.placeholders:
                box = f" {p.box.describe()} at ({p.box.left / 12700:.0f},{p.box.top / 12700:.0f})" if p.box else ""
                parts.append(f"{p.type.lower()}{box}")
            covered = decoration(layout, info.slide_box.area)
            lines.append(f"  {layout.index + 1:>2}. '{layout.name}' [{layout.type or '-'}]: {'; '.join(parts) or 'no placeholders'}"
                         + (f"; {covered:.0%} of its text under graphics" if covered else ""))
    choice = choose_layouts(info)
    lines += chosen_lines(info, choice, Path(path))
    return lines


def document_lines(info: DocumentInfo) -> list[str]:
    lines = [f"Word template: {Path(info.path).name} ({info.was})"]
    for note in info.findings:
        lines.append(f"  note: {note.message}")
    present = [s for s in REQUIRED_DOCX_STYLES if info.has_style(s)]
    missing = [s for s in REQUIRED_DOCX_STYLES if not info.has_style(s)]
    lines.append(f"  styles kitgen uses, present: {', '.join(present) or 'none'}")
    if missing:
        lines.append(f"  missing (kitgen adds them from its default document): {', '.join(missing)}")
    lines.append(f"  page setup: {'yes' if info.has_page_setup else 'none (kitgen uses A4, 2.5 cm margins)'}")
    if info.numbered_headings:
        lines.append(f"  numbered headings (numbering left out of kitgen's headings): {', '.join(info.numbered_headings)}")
    lines.append(f"  theme fonts: heading {info.heading_font or '-'}, body {info.body_font or '-'}")
    return lines


def describe_document(path: Path) -> list[str]:
    return document_lines(inspect_document(path))


# Sample text for each kind of slide, as a workshop deck says it (kitgen's content is Danish).
