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

from kitgen.ooxml.stamp import stamp

# Child orders from the schema (CT_TcPr, CT_TrPr in wml.xsd; CT_TextParagraphProperties in dml-main.xsd).
TC_PR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
               "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
               "w:cellDel", "w:cellMerge", "w:tcPrChange")
TR_PR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
               "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
W_VAL, W_PPR, W_SDT = qn("w:val"), qn("w:pPr"), qn("w:sdt")
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
    later = _later(tuple(order)).get(child.tag)
    if later is None:
        raise ValueError(f"{child.tag} is not in the given order")
    for old in parent.findall(child.tag):
        parent.remove(old)
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(child)
            return
    parent.append(child)


_LATER: dict[tuple, dict] = {}


def _later(order: tuple) -> dict:
    """Tag → the set of tags the schema puts after it, for one order (worked out once)."""
    found = _LATER.get(order)
    if found is None:
        tags = [qn(name) for name in order]
        found = _LATER[order] = {tag: frozenset(tags[i + 1:]) for i, tag in enumerate(tags)}
    return found


def _tc(cell):
    """A ``w:tc`` element from a python-docx cell or the element itself."""
    return getattr(cell, "_tc", cell)


def _tr(row):
    """A ``w:tr`` element from a python-docx row or the element itself."""
    return getattr(row, "_tr", row)

def shade_cell(cell, hex_colour: str) -> None:
    """Fill a table cell (a python-docx cell or a ``w:tc``) with a solid colour."""
    fill = hex_colour.lstrip("#").upper()
    insert_in_order(_tc(cell).get_or_add_tcPr(), stamp(("shd", fill), lambda: _shd(fill)), TC_PR_ORDER)


def _shd(fill: str):
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def drop_styles_with_effects(document) -> None:
    """Remove Word 2010's ``stylesWithEffects.xml`` (relationship, part, content type).

    It is a second copy of ``styles.xml`` for Word 2007; once kitgen changes or adds a
    style the two disagree, and Word may repair the file. python-docx never updates it,
    so a template's copy is always stale: drop it (Word 2010+ reads styles.xml).
    """
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(r_id)


def set_row_height(row, height_cm: float, exact: bool = False) -> None:
    row.height = Cm(height_cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def repeat_as_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto.

    The bare element, as Word writes it: ``w:val`` defaults to on, and the Open XML
    SDK validator flags ``w:val="true"`` on these two row properties.
    """
    insert_in_order(_tr(row).get_or_add_trPr(), OxmlElement("w:tblHeader"), TR_PR_ORDER)


def keep_row_on_one_page(row) -> None:
    """Do not break this row across pages (bare ``w:cantSplit``, before ``w:trHeight``)."""
    insert_in_order(_tr(row).get_or_add_trPr(), OxmlElement("w:cantSplit"), TR_PR_ORDER)


def set_column_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: on the grid, on every cell (Word reads one, LibreOffice the other)."""
    table.autofit = False
    tbl = table._tbl
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    if tbl.find(f".//{qn('w:gridSpan')}") is not None or tbl.find(f".//{qn('w:vMerge')}") is not None:
        for row in table.rows:  # merged cells: row.cells names a cell once per grid column it spans
            for cell, width in zip(row.cells, widths_cm):
                cell.width = Cm(width)
        return
    for tr in tbl.iterchildren(qn("w:tr")):
        for tc, width in zip(tr.iterchildren(qn("w:tc")), widths_cm):
            tc.width = Cm(width)


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
    sdt = stamp("checkbox", _checkbox)  # made once as below, copied for every checkbox
    sdt[0][0].set(W_VAL, label)  # w:alias
    sdt[0][1].set(W_VAL, tag)  # w:tag
    p = paragraph._p
    p.insert(1 if p.find(W_PPR) is not None else 0, sdt)


def _checkbox():
    sdt, sdt_pr, content = _sdt("", "")
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
    content.append(_run("\u2610", font="MS Gothic"))
    return sdt


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
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):  # East Asian text keeps the template's font
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:cs"), family)


# --- worksheets: writing boxes and checkboxes (page fields, sections, language: wordpages.py) -------

R_PR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
              "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
              "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
              "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
              "w:eastAsianLayout", "w:specVanish", "w:oMath")
SDT_PR_ORDER = ("w:rPr", "w:alias", "w:tag", "w:id", "w:lock", "w:placeholder", "w:temporary", "w:showingPlcHdr",
                "w:dataBinding", "w:label", "w:tabIndex", "w:docPartObj", "w:richText", "w:text")


def add_writing_box(cell, tag: str, label: str) -> None:
    """Make ``cell`` one rich-text content control that holds an empty paragraph.

    A block-level ``w:sdt`` in the cell (CT_Tc allows it) with no ``w:showingPlcHdr`` and
    no placeholder: nothing is printed in an unfilled sheet, and whatever a participant
    types, however long, stays inside the control. ``w:alias`` names the box (Word shows
    it on the control's tab; screen readers read it); ``w:lock sdtLocked`` stops the box
    itself from being deleted while its text stays editable. No ``w:text`` child means
    rich text (paragraphs, lists) is allowed.
    """
    tc = _tc(cell)
    sdt = stamp("writing-box", _writing_box)  # made once as below, copied for every box
    sdt_pr, content = sdt[0], sdt[1]
    sdt_pr[0].set(W_VAL, label)  # w:alias
    sdt_pr[1].set(W_VAL, tag)  # w:tag
    paragraphs = tc.findall(qn("w:p"))
    keep = paragraphs[-1] if paragraphs and not "".join(t.text or "" for t in paragraphs[-1].iter(qn("w:t"))) else None
    if keep is None:
        keep = OxmlElement("w:p")
    else:
        tc.remove(keep)
    content.append(keep)
    tc.append(sdt)


def _writing_box():
    sdt, sdt_pr, _ = _sdt("", "")
    lock = OxmlElement("w:lock")
    lock.set(qn("w:val"), "sdtLocked")
    insert_in_order(sdt_pr, lock, SDT_PR_ORDER)
    return sdt


def append_checkbox(paragraph, tag: str, label: str) -> None:
    """A Word checkbox content control (``w14:checkbox``) at the end of ``paragraph``.

    The run shows U+2610 in a font that has it, so LibreOffice and print show an empty box
    even where the w14 extension is not understood.
    """
    p = paragraph._p
    add_checkbox(paragraph, tag, label)
    sdt = p[1 if p.find(W_PPR) is not None else 0]  # where add_checkbox put it: move it to the end
    p.remove(sdt)
    p.append(sdt)
