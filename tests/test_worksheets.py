"""The participants' worksheets: real, editable tables and fields with room to write."""

from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn


def _doc(kits, org="KK"):
    return Document(str(kits / org / "worksheets.docx"))


def _text(element) -> str:
    """The text of an OOXML element (python-docx's element classes confuse lxml's itertext)."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _headings(document):
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def test_one_section_per_tool_with_a_worksheet(kits, project):
    headings = _headings(_doc(kits))
    assert len(headings) == 3
    assert any("Styrk ledelsesgruppen" in h for h in headings)


def test_ledelsesgruppe_table_has_25_questions_with_empty_l_and_h(kits):
    document = _doc(kits)
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["Nr.", "Spørgsmål", "L", "H"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    codes = [r[0] for r in rows if r[0]]
    assert len(codes) == 25
    assert codes[0] == "1A" and codes[-1] == "8C"
    assert all(r[2] == "" and r[3] == "" for r in rows), "L and H are left empty to fill in"
    assert "KLARE MÅL" in rows[0][1]


def test_prioriteringskort_is_a_2x2_grid(kits):
    document = _doc(kits)
    grids = [t for t in document.tables if len(t.columns) == 3 and len(t.rows) == 3 and t.rows[0].cells[0].text == ""]
    assert grids, "a 2×2 grid with a label column and a header row"
    grid = grids[0]
    assert all(grid.rows[r].cells[0].text for r in (1, 2)), "rows are labelled"
    assert all(grid.rows[0].cells[c].text for c in (1, 2)), "columns are labelled"


def test_trivsel_og_stressprofilen_has_five_prompts_with_boxes(kits):
    document = _doc(kits, "AMK")
    body = document.element.body
    prompts = [
        "De dele af mit arbejde, som ofte giver energi og arbejdsglæde er…",
        "Det, som typisk presser mig, i mit arbejde er…",
        "Den måde, I bedst kan støtte og hjælpe mig på, er…",
        "Det værste, I kan gøre er…",
    ]
    children = list(body.iterchildren())
    for prompt in prompts:
        index = next(i for i, el in enumerate(children) if el.tag == qn("w:p") and _text(el).strip() == prompt)
        box = children[index + 1]
        assert box.tag == qn("w:tbl"), f"an empty box follows '{prompt}'"
        height = box.find(f".//{qn('w:trHeight')}")
        assert int(height.get(qn("w:val"))) >= 1700, "at least ~3 cm to write in"
        assert _text(box).strip() == ""


def test_fields_are_content_controls_and_tables_are_real(kits):
    document = _doc(kits, "AMK")
    xml = document.element.xml
    assert "<w:sdt>" in xml and "w:text" in xml, "name/date are fill-in content controls"
    assert not document.inline_shapes or all(s.type != 3 for s in document.inline_shapes)
    assert len(document.tables) >= 5


def test_header_carries_org_name(kits):
    header = _doc(kits).sections[0].header
    assert "Københavns Kommune" in header.paragraphs[0].text
