"""The worksheets' page estimate (kitgen.render.sheet_flow): writing room grows into the space left at a
page's foot, never onto the next page. The printed result is measured in tests/test_printed_pages.py."""

from __future__ import annotations

from docx import Document
from docx.shared import Cm

from kitgen.ooxml.wordml import add_writing_box, keep_row_on_one_page, set_row_height
from kitgen.render.sheet_flow import MOST_BOX_PT, fill_pages


def _box(document, lines_cm: float, tag: str):
    table = document.add_table(rows=1, cols=1)
    row = table.rows[0]
    set_row_height(row, lines_cm)
    keep_row_on_one_page(row)
    add_writing_box(row.cells[0]._tc, tag, tag)
    return row


def _height_cm(row) -> float:
    return row.height / 360000


def _document(paragraphs: int):
    document = Document()
    section = document.sections[0]
    section.page_height, section.top_margin, section.bottom_margin = Cm(29.7), Cm(2.5), Cm(2.5)
    for number in range(paragraphs):
        document.add_paragraph(f"Spørgsmål {number}: hvad er vigtigt for dig, og hvordan følger du op?")
    return document


def test_a_box_on_a_half_empty_page_grows_to_its_foot():
    document = _document(3)
    row = _box(document, 4.0, "box-noter")
    pages = fill_pages(document)
    assert len(pages[0]) == 1
    assert 15.0 < _height_cm(row) <= MOST_BOX_PT / 72 * 2.54, _height_cm(row)
    again = fill_pages(document, grow=False)  # the grown box still ends on its page
    assert len(again[0]) == 1


def test_two_boxes_share_the_free_space_and_a_full_page_is_left_alone():
    document = _document(3)
    first, second = _box(document, 3.0, "box-a"), _box(document, 3.0, "box-b")
    fill_pages(document)
    assert abs(_height_cm(first) - _height_cm(second)) < 0.05 and _height_cm(first) > 7.0
    fullest = max(n for n in range(5, 40) if len(fill_pages(_with_box(n)[0], grow=False)[0]) == 1)
    full, row = _with_box(fullest)  # questions and a box that just fit on one page
    fill_pages(full)
    assert _height_cm(row) < 8.0 + 1.0, "a page that is full: its box grows by less than a line"
    assert len(fill_pages(full, grow=False)[0]) == 1, "and stays on its page"


def _with_box(paragraphs: int):
    document = _document(paragraphs)
    return document, _box(document, 8.0, "box-c")


def test_the_estimate_follows_keep_with_next_to_the_next_page():
    document = _document(38)  # the page nearly full of questions
    label = document.add_paragraph("Dine noter")
    label.paragraph_format.keep_with_next = True
    row = _box(document, 5.0, "box-noter")
    pages = fill_pages(document)
    last = pages[0][-1]
    assert len(pages[0]) == 2 and [u.element for u in last.units[-2:]] == [label._p, row._tr]  # together, on page 2
    assert _height_cm(row) > 10.0, "near the top of its page, the box fills it"
