"""A kit's date and venue are the organisation's own booking or nothing (issue 24, D1).

Seed 001 is the deck of a workshop held on 24 February 2021 and names no municipality. KK runs
that programme but has no booking in the seeds: no KK output may present the seed's workshop as
Københavns Kommune's workshop of that day — not the title or closing slide, not the speaker
notes, not the Word headers and not the documents' properties.
"""

from __future__ import annotations

from datetime import date

from docx import Document
from pptx import Presentation

from kitgen.plan.assemble import assemble

SEED_DATE = ("24. februar 2021", "24/2 2021", "2021-02-24", "24.02.2021")
# The seed's own name, which source citations quote ("Kilde: … Workshop om lederes psykiske
# arbejdsmiljø, 24. februar 2021"): that is the source's title, not a date for KK.
SEED_TITLE = "Workshop om lederes psykiske arbejdsmiljø, 24. februar 2021"


def _deck_texts(deck) -> list[str]:
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return texts


def _docx_texts(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            texts += [p.text for p in part.paragraphs]
    return texts


def test_kk_plan_has_no_date_although_its_programme_has_the_seeds(project):
    content = project.content
    org = content.orgs["KK"]
    assert org.date is None and org.venue == ""
    assert content.programmes[org.programme].date == date(2021, 2, 24)  # the seed's event, kept in the programme
    plan = assemble(content, org, project.layouts)
    assert plan.date_text == ""


def test_an_org_with_a_booking_shows_its_own_date(project):
    org = project.content.orgs["DEMO-EN"]  # BFA's seed gives no booking: only the demo organisation has one
    plan = assemble(project.content, org, project.layouts)
    assert org.date is not None and plan.date_text == "20 May 2027"


def test_no_kk_output_shows_the_seeds_workshop_date_or_a_venue(kits):
    folder = kits / "KK"
    deck = Presentation(str(folder / "deck.pptx"))
    shown = {"deck": _deck_texts(deck)}
    for name in ("worksheets.docx", "facilitator-notes.docx"):
        shown[name] = _docx_texts(Document(str(folder / name)))
    found = [(where, text[:120]) for where, texts in shown.items() for text in texts
             if any(d in text.replace(SEED_TITLE, "") for d in SEED_DATE)
             or ("Sted:" in text and text.split("Sted:", 1)[1].strip(" _\t"))]  # a blank line to fill in is no venue
    assert found == [], found
    welcome = "\n".join(shown["deck"])
    assert "for Københavns Kommune, 24" not in welcome
    # the documents' properties: no timestamp taken from the seed's date
    for props in (deck.core_properties, *(Document(str(folder / n)).core_properties
                                          for n in ("worksheets.docx", "facilitator-notes.docx"))):
        for stamp in (props.created, props.modified):
            assert stamp is None or stamp.date() != date(2021, 2, 24), (props.title, stamp)
