"""A client template as LibreOffice shows it (``kitgen show template FILE --png DIR``): every layout
labelled, and every kind of slide on the layout kitgen chose for it, with sample text."""

from __future__ import annotations

import io
from pathlib import Path

from pptx.util import Pt

from kitgen.build.preview import contact_sheet, to_pdf, to_png
from kitgen.content.layouts import SLIDE_KINDS
from kitgen.ooxml.placeholders import BODY_TYPES, TITLE_TYPES, find_placeholder
from kitgen.templates.choose import choose_layouts, slide_layout
from kitgen.templates.clean import open_presentation
from kitgen.templates.inspect import inspect_template


SAMPLES = {
    "title": ("Trivsel i hverdagen", ["Workshop for ledere · Københavns Kommune"]),
    "agenda": ("Dagens program", ["09:00  Velkommen og formål", "09:20  Hvor står vi i dag?",
                                  "10:15  Pause", "10:30  Fælles løsninger", "11:45  Afrunding"]),
    "section": ("Del 1: Hvor står vi?", ["Et fælles billede af udgangspunktet"]),
    "content": ("Det siger undersøgelsen", ["Tre ud af fire oplever et godt samarbejde i teamet",
                                            "Travlhed er den største kilde til stress",
                                            "Ledere efterspørger tid til sparring med hinanden",
                                            "Nye medarbejdere savner en tydelig introduktion"]),
    "tool": ("Øvelse: Styrkekortet", ["Vælg tre kort, der beskriver teamets styrker",
                                       "Fortæl hinanden, hvorfor I valgte dem (10 min)"]),
    "questions": ("Spørgsmål til refleksion", ["Hvad giver jer energi i arbejdet?",
                                                "Hvad ville I ændre, hvis I kunne?"]),
    "quote": ("Citat", ["»Vi lykkes, når vi taler åbent om det, der er svært.«"]),
    "closing": ("Tak for i dag", ["Spørgsmål og kontakt: trivsel@example.dk"]),
}


def _fill_sample(slide, kind: str) -> None:
    title_text, lines = SAMPLES.get(kind, SAMPLES["content"])
    title = find_placeholder(slide.placeholders, TITLE_TYPES)
    if title is not None and title.has_text_frame:
        title.text_frame.text = title_text
    bodies = [p for p in slide.placeholders if p.has_text_frame and p is not title
              and p.placeholder_format.type in BODY_TYPES]
    for number, body in enumerate(bodies):
        body.text_frame.text = "\n".join(lines) if number == 0 else ""
        for paragraph in body.text_frame.paragraphs[1:]:
            paragraph.level = 0


def _without_slides(path: Path):
    prs = open_presentation(path)
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"))
        id_list.remove(slide_id)
    return prs


def _save(prs, target: Path) -> Path:
    buffer = io.BytesIO()
    prs.save(buffer)
    target.write_bytes(buffer.getvalue())
    return target


def render_layouts(path: Path, out_dir: Path) -> tuple[Path, Path | None]:
    """Two throw-away decks rendered by LibreOffice in one run: one slide per layout of every
    master (placeholders labelled with type and size), and one slide per kind of slide on the
    layout kitgen chose for it, filled with sample text in the template's own sizes — the
    choice as it will look, to check before a build. Returns both contact sheets (the second
    None when the template has no usable choice)."""
    info = inspect_template(path)
    stem = Path(path).stem
    out_dir.mkdir(parents=True, exist_ok=True)
    prs = _without_slides(path)
    for layout in info.layouts:
        slide = prs.slides.add_slide(slide_layout(prs, layout.ref))
        for shape, placeholder in zip(slide.placeholders, layout.placeholders):
            if shape.has_text_frame:
                box = placeholder.box.describe() if placeholder.box else ""
                shape.text_frame.text = f"{layout.master + 1}.{layout.index + 1} {layout.name}: {placeholder.type.lower()} {box}"
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(12)
    decks = [_save(prs, out_dir / f"{stem}-layouts.pptx")]
    choice = choose_layouts(info)
    if len(choice.refs) == len(SLIDE_KINDS):
        chosen = _without_slides(path)
        for kind in SLIDE_KINDS:
            _fill_sample(chosen.slides.add_slide(slide_layout(chosen, choice.refs[kind])), kind)
        decks.append(_save(chosen, out_dir / f"{stem}-chosen.pptx"))
    pdfs = to_pdf(decks, out_dir)
    sheets = []
    for deck in decks:
        pages = to_png(pdfs[deck], out_dir, dpi=40)
        sheets.append(contact_sheet(pages, out_dir / f"{deck.stem}-contact.png", columns=4))
    return sheets[0], sheets[1] if len(sheets) > 1 else None
