"""The deck as a consultant sees it in PowerPoint: slides, titles, notes, branding."""

from __future__ import annotations

import zipfile

from lxml import etree
from pptx import Presentation



def _deck(kits, org="KK"):
    return Presentation(str(kits / org / "deck.pptx"))


def _texts(slide):
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_title_slide_names_the_organisation_and_date(kits, project):
    first = _deck(kits).slides[0]
    assert first.slide_layout.name == "Title Slide"
    texts = "\n".join(_texts(first))
    assert "Workshop om lederes psykiske arbejdsmiljø" in texts
    assert "Københavns Kommune" in texts
    assert "24. februar 2021" in texts
    assert any(shape.shape_type == 13 for shape in first.shapes), "the logo picture is on the title slide"


def test_agenda_slide_lists_every_block_with_its_clock_times(kits, project):
    agenda = _deck(kits).slides[1]
    assert agenda.shapes.title.text == "Program"
    body = [t for t in _texts(agenda) if t != "Program"][0].split("\n")
    programme = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    assert len(body) == len(programme.blocks) == 7
    assert body[0].startswith("08:30–08:45") and "Velkomst, formål og program" in body[0]
    assert body[2].startswith("09:30–10:00")  # the seed's overlap, corrected in content/
    assert body[3].startswith("10:00–10:15") and "Pause" in body[3]
    assert body[-1].startswith("12:00–12:15")


def test_every_slide_has_speaker_notes(kits):
    for org in ("KK", "AMK"):
        for number, slide in enumerate(_deck(kits, org).slides, start=1):
            assert slide.has_notes_slide, f"{org} slide {number} has no notes"
            assert slide.notes_slide.notes_text_frame.text.strip(), f"{org} slide {number} has empty notes"


def test_block_notes_come_from_the_content(kits):
    slides = list(_deck(kits).slides)
    welcome = next(s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Velkomst, formål og program")
    assert "Fokus i dag er at sætte spot på lederes psykiske arbejdsmiljø" in welcome.notes_slide.notes_text_frame.text


def test_tool_and_quote_slides_carry_sources_in_notes(kits):
    slides = list(_deck(kits).slides)
    tool = next(s for s in slides if s.shapes.title is not None and s.shapes.title.text.startswith("Prototype 2: Styrk ledelsesgruppen"))
    assert "Kilde:" in tool.notes_slide.notes_text_frame.text
    quotes = [s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Citat"]
    assert quotes, "the KK programme shows quotes"
    for slide in quotes:
        body = "\n".join(t for t in _texts(slide) if t != "Citat")
        assert "– " in body, "the attribution is on the quote slide"


def test_slides_are_built_from_named_layouts_with_placeholders(kits):
    for slide in _deck(kits).slides:
        assert slide.slide_layout.name in {"Title Slide", "Title and Content", "Section Header"}
        free_text = [s for s in slide.shapes if s.has_text_frame and not s.is_placeholder]
        assert not free_text, "text goes into placeholders, not free-floating text boxes"


def test_danish_characters_survive(kits):
    all_text = "\n".join("\n".join(_texts(s)) for s in _deck(kits).slides)
    for word in ("Præsentation", "spørgsmål", "nærmeste", "Københavns"):
        assert word in all_text


def test_branding_reaches_the_theme(kits):
    with zipfile.ZipFile(kits / "KK" / "deck.pptx") as package:
        theme = etree.fromstring(package.read("ppt/theme/theme1.xml"))
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    assert theme.find(".//a:clrScheme/a:accent1/a:srgbClr", ns).get("val") == "005E8C"
    assert theme.find(".//a:clrScheme/a:accent2/a:srgbClr", ns).get("val") == "E6A000"
    assert theme.find(".//a:majorFont/a:latin", ns).get("typeface") == "Liberation Sans"


def test_two_organisations_get_different_programmes_and_branding(kits):
    kk, amk = _deck(kits, "KK"), _deck(kits, "AMK")
    assert kk.slides[0].shapes.title.text != amk.slides[0].shapes.title.text
    amk_text = "\n".join(_texts(amk.slides[0]))
    assert "Arbejdsmiljø København" in amk_text
