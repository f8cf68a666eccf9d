"""Markup as Office writes it: schema child order, bare on/off row properties, no stale parts."""

from __future__ import annotations

import zipfile

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from lxml import etree

from conftest import LAYOUTS
from kitgen.render.ooxml import (
    A_PPR_ORDER,
    TC_PR_ORDER,
    TR_PR_ORDER,
    insert_in_order,
    keep_row_on_one_page,
    repeat_as_header,
    set_row_height,
    shade_cell,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _in_order(parent, order) -> bool:
    tags = [qn(name) for name in order]
    seen = [tags.index(child.tag) for child in parent if child.tag in tags]
    return seen == sorted(seen)


def test_row_properties_are_bare_and_in_schema_order():
    table = Document().add_table(rows=1, cols=1)
    row = table.rows[0]
    set_row_height(row, 1.0)
    repeat_as_header(row)
    keep_row_on_one_page(row)
    keep_row_on_one_page(row)
    tr_pr = row._tr.trPr
    assert [child.tag for child in tr_pr] == [qn("w:cantSplit"), qn("w:trHeight"), qn("w:tblHeader")]
    assert tr_pr.find(qn("w:cantSplit")).attrib == {} and tr_pr.find(qn("w:tblHeader")).attrib == {}


def test_cell_shading_goes_before_vertical_alignment():
    cell = Document().add_table(rows=1, cols=1).rows[0].cells[0]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    shade_cell(cell, "#123456")
    shade_cell(cell, "#654321")
    tc_pr = cell._tc.tcPr
    assert _in_order(tc_pr, TC_PR_ORDER)
    assert len(tc_pr.findall(qn("w:shd"))) == 1 and tc_pr.find(qn("w:shd")).get(qn("w:fill")) == "654321"


def test_insert_in_order_puts_a_bullet_after_spacing_and_before_tabs():
    p_pr = etree.SubElement(etree.Element(qn("a:p")), qn("a:pPr"))
    etree.SubElement(p_pr, qn("a:spcBef"))
    etree.SubElement(p_pr, qn("a:tabLst"))
    insert_in_order(p_pr, etree.Element(qn("a:buNone")), A_PPR_ORDER)
    assert [etree.QName(c).localname for c in p_pr] == ["spcBef", "buNone", "tabLst"]
    assert _in_order(p_pr, A_PPR_ORDER) and TR_PR_ORDER


def test_default_word_template_has_no_styles_with_effects():
    with zipfile.ZipFile(LAYOUTS / "default" / "document.docx") as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "word/stylesWithEffects.xml" not in names
    assert "stylesWithEffects" not in types and "stylesWithEffects" not in rels
    styles = {s.name for s in Document(str(LAYOUTS / "default" / "document.docx")).styles}
    assert {"Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Writing Line", "Table Grid"} <= styles


def test_shipped_kits_use_bare_row_properties_in_order(kits):
    for name in ("worksheets.docx", "facilitator-notes.docx"):
        with zipfile.ZipFile(kits / "KK" / name) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        assert not root.xpath("//w:tblHeader[@w:val] | //w:cantSplit[@w:val]", namespaces={"w": W[1:-1]}), name
        for tr_pr in root.iter(qn("w:trPr")):
            assert _in_order(tr_pr, TR_PR_ORDER), name
        for tc_pr in root.iter(qn("w:tcPr")):
            assert _in_order(tc_pr, TC_PR_ORDER), name
