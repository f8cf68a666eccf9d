"""Branding as data: another language, another template, another look — without code changes."""

from __future__ import annotations

import zipfile

from docx import Document
from pptx import Presentation

from conftest import LAYOUTS
from kitgen.build.pipeline import Project, build_org
from kitgen.build.manifest import input_digest


def _build(content, out, org="KK"):
    project = Project.load(content, LAYOUTS)
    result = build_org(project, org, out, input_digest(content, LAYOUTS), force=True)
    assert result.status == "built", [f.message for f in result.findings if f.severity == "error"]
    return out / org


def test_english_labels(content_copy, tmp_path):
    org = content_copy / "orgs" / "KK.yaml"
    # KK has no booking of its own (issue 24): give it one, to see the date written the English way
    org.write_text(org.read_text(encoding="utf-8").replace("language: da", "language: en\ndate: 2021-02-24"), encoding="utf-8")
    kit = _build(content_copy, tmp_path)
    deck = Presentation(str(kit / "deck.pptx"))
    assert deck.slides[2].shapes.title.text == "Programme"  # after the welcome block's divider (issue 20)
    assert "24 February 2021" in deck.slides[0].placeholders[1].text_frame.text
    agenda = deck.slides[2].placeholders[1].text_frame.text
    assert "10:00–10:15\tBreak" in agenda
    notes = Document(str(kit / "facilitator-notes.docx"))
    assert [c.text for c in notes.tables[0].rows[0].cells][:3] == ["Time", "Min", "Block"]
    # the content stays Danish
    assert "Velkomst, formål og program" in agenda


def test_client_template_sample_slides_are_removed_and_layouts_mapped(kits):
    deck = Presentation(str(kits / "AMK" / "deck.pptx"))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert not any("Eksempelslide" in t for t in titles)
    assert deck.slides[0].slide_layout.name == "Forside"
    assert {s.slide_layout.name for s in deck.slides} <= {"Forside", "Titel og indhold", "Afsnit"}
    with zipfile.ZipFile(kits / "AMK" / "deck.pptx") as package:
        slide_parts = [n for n in package.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")]
    assert len(slide_parts) == len(deck.slides), "no orphaned sample-slide parts"


def test_client_word_template_keeps_its_footer_and_loses_its_sample_text(kits):
    document = Document(str(kits / "AMK" / "worksheets.docx"))
    assert "arbejdsmiljøkøbenhavn" in document.sections[0].footer.paragraphs[0].text
    assert not any("Eksempeltekst" in p.text for p in document.paragraphs)


def test_colours_and_fonts_reach_the_word_styles(kits):
    for org, colour, font in (("KK", "005E8C", "Liberation Sans"), ("AMK", "2E7D32", "Cambria")):
        document = Document(str(kits / org / "worksheets.docx"))
        heading = document.styles["Heading 1"]
        assert str(heading.font.color.rgb) == colour
        from kitgen.render.document import office_font

        assert heading.font.name == office_font(font)  # the Office font of the same metrics (Arial, Georgia …)


def test_logo_is_in_the_worksheet_header(kits):
    header = Document(str(kits / "KK" / "worksheets.docx")).sections[0].header
    assert header.paragraphs[0]._p.xpath(".//pic:pic"), "a picture in the header"
