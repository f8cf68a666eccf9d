"""The few pieces of WordprocessingML that python-docx has no API for.

Cell shading (``w:shd``), row heights, header rows that repeat on every page,
fixed column widths, and content controls (``w:sdt``): a checkbox participants can
tick and a plain-text field they can type in, as Word's own forms do.

Every element goes where the ISO/IEC 29500 schema puts it: property elements
(``w:tcPr``, ``w:trPr``, ``a:pPr``) are ``xsd:sequence``s, and Word (and the Open XML
SDK validator) refuse a file whose children are out of order, even when each child
is valid on its own. :func:`insert_in_order` places a child by the orders below.
"""

from __future__ import annotations

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor

# Child orders from the schema (CT_TcPr, CT_TrPr in wml.xsd; CT_TextParagraphProperties in dml-main.xsd).
TC_PR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
               "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
               "w:cellDel", "w:cellMerge", "w:tcPrChange")
TR_PR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
               "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
A_PPR_ORDER = ("a:lnSpc", "a:spcBef", "a:spcAft", "a:buClrTx", "a:buClr", "a:buSzTx", "a:buSzPct", "a:buSzPts",
               "a:buFontTx", "a:buFont", "a:buNone", "a:buAutoNum", "a:buChar", "a:buBlip", "a:tabLst", "a:defRPr",
               "a:extLst")


def insert_in_order(parent, child, order) -> None:
    """Put ``child`` into ``parent`` where the schema sequence ``order`` says it belongs.

    ``order`` lists prefixed tags (``"w:shd"``, ``"a:buNone"``) in schema order. Every
    element in these sequences occurs at most once, so an existing child with the same
    tag is replaced. The child goes before the first sibling that the schema puts after
    it; siblings the order does not name (extensions) are left where they are.
    """
    tags = [qn(name) for name in order]
    if child.tag not in tags:
        raise ValueError(f"{child.tag} is not in the given order")
    for old in parent.findall(child.tag):
        parent.remove(old)
    later = set(tags[tags.index(child.tag) + 1:])
    for index, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(index, child)
            return
    parent.append(child)

def shade_cell(cell, hex_colour: str) -> None:
    """Fill a table cell with a solid colour."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    insert_in_order(tc_pr, shd, TC_PR_ORDER)


def set_row_height(row, height_cm: float, exact: bool = False) -> None:
    row.height = Cm(height_cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def repeat_as_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto.

    The bare element, as Word writes it: ``w:val`` defaults to on, and the Open XML
    SDK validator flags ``w:val="true"`` on these two row properties.
    """
    insert_in_order(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"), TR_PR_ORDER)


def keep_row_on_one_page(row) -> None:
    """Do not break this row across pages (bare ``w:cantSplit``, before ``w:trHeight``)."""
    insert_in_order(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"), TR_PR_ORDER)


def set_column_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: on the grid, on every cell (Word reads one, LibreOffice the other)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def contrast_text(hex_colour: str) -> RGBColor:
    """Black or white, whichever reads better on ``hex_colour``."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return RGBColor(0, 0, 0) if luminance > 150 else RGBColor(0xFF, 0xFF, 0xFF)


def _sdt(tag: str, alias: str) -> tuple:
    sdt = OxmlElement("w:sdt")
    sdt_pr = OxmlElement("w:sdtPr")
    alias_el = OxmlElement("w:alias")
    alias_el.set(qn("w:val"), alias)
    tag_el = OxmlElement("w:tag")
    tag_el.set(qn("w:val"), tag)
    sdt_pr.append(alias_el)
    sdt_pr.append(tag_el)
    sdt.append(sdt_pr)
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    return sdt, sdt_pr, content


def _run(text: str, font: str | None = None, grey: bool = False):
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    if font:
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), font)
        r_pr.append(fonts)
    if grey:
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), "808080")
        r_pr.append(colour)
    run.append(r_pr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def add_checkbox(paragraph, tag: str, label: str = "Afkrydsning") -> None:
    """A Word checkbox content control (w14:checkbox) at the start of ``paragraph``."""
    sdt, sdt_pr, content = _sdt(tag, label)
    checkbox = OxmlElement("w14:checkbox")
    checked = OxmlElement("w14:checked")
    checked.set(qn("w14:val"), "0")
    checked_state = OxmlElement("w14:checkedState")
    checked_state.set(qn("w14:val"), "2612")
    checked_state.set(qn("w14:font"), "MS Gothic")
    unchecked_state = OxmlElement("w14:uncheckedState")
    unchecked_state.set(qn("w14:val"), "2610")
    unchecked_state.set(qn("w14:font"), "MS Gothic")
    checkbox.extend([checked, checked_state, unchecked_state])
    sdt_pr.append(checkbox)
    content.append(_run("\u2610", font="DejaVu Sans"))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, sdt)


def add_text_field(paragraph, tag: str, label: str, placeholder: str) -> None:
    """A plain-text content control showing ``placeholder`` until the participant types."""
    sdt, sdt_pr, content = _sdt(tag, label)
    sdt_pr.append(OxmlElement("w:showingPlcHdr"))
    sdt_pr.append(OxmlElement("w:text"))
    content.append(_run(placeholder, grey=True))
    paragraph._p.append(sdt)


def clear_body(document) -> None:
    """Remove a template's sample content, keeping the final section properties."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def use_font(style, family: str) -> None:
    """Give a style an explicit font, dropping theme-font references that would win over it."""
    style.font.name = family
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        return
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:cs"), family)
