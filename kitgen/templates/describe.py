"""Templates described for people: ``kitgen show template`` and ``init-org``'s report.

``render_layouts`` makes a throw-away deck with one slide per layout of every master
(placeholders labelled with their type and size) and renders it through LibreOffice
into PNGs and a contact sheet, so the consultant sees the designs by number.
"""

from __future__ import annotations

import io
from pathlib import Path

from kitgen.layouts import REQUIRED_DOCX_STYLES, SLIDE_KINDS
from kitgen.templates.choose import Choice, choose_layouts, decoration, slide_layout
from kitgen.templates.inspect import DocumentInfo, TemplateInfo, inspect_document, inspect_template


def theme_of(info: TemplateInfo, choice: Choice) -> dict:
    master = info.masters[choice.content_master]
    found = {"primary_color": master.colours.get("accent1"), "accent_color": master.colours.get("accent2"),
             "heading_font": master.heading_font, "body_font": master.body_font}
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


def render_layouts(path: Path, out_dir: Path) -> Path:
    """One slide per layout of every master, rendered by LibreOffice; returns the contact sheet."""
    from pptx.util import Pt

    from kitgen.preview import contact_sheet, to_pdf, to_png
    from kitgen.templates.clean import open_presentation

    info = inspect_template(path)
    prs = open_presentation(path)
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"))
        id_list.remove(slide_id)
    for layout in info.layouts:
        slide = prs.slides.add_slide(slide_layout(prs, layout.ref))
        for shape, placeholder in zip(slide.placeholders, layout.placeholders):
            if shape.has_text_frame:
                box = placeholder.box.describe() if placeholder.box else ""
                shape.text_frame.text = f"{layout.master + 1}.{layout.index + 1} {layout.name}: {placeholder.type.lower()} {box}"
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(12)
    out_dir.mkdir(parents=True, exist_ok=True)
    deck = out_dir / f"{Path(path).stem}-layouts.pptx"
    buffer = io.BytesIO()
    prs.save(buffer)
    deck.write_bytes(buffer.getvalue())
    pdf = to_pdf([deck], out_dir)[deck]
    pages = to_png(pdf, out_dir, dpi=40)
    return contact_sheet(pages, out_dir / f"{Path(path).stem}-layouts-contact.png", columns=4)
