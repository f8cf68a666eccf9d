"""The tables of kitgen's Word files: the empty grid table, the branded table with its
repeating header row, and what every table gets on saving (cell padding, loose lines under a
template's fixed line height or character grid)."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt
from lxml import etree

from kitgen.ooxml.wordml import (
    contrast_text, insert_in_order, keep_row_on_one_page, repeat_as_header, set_column_widths, shade_cell,
)
from kitgen.plan.kitplan import KitPlan
from kitgen.render.stamps import W_P, W_R, W_TC, W_TR, add_run, body_insert, last_section, stamp, style_id
from kitgen.templates.wordstyles import get_style, loose_table_lines
from kitgen.templates.wordtheme import Typography, is_chromatic

PLAIN_HEADER_FILL = "D9D9D9"  # a template whose headings are black, grey or white: a light grey header row


def client_colour(document, plan: KitPlan) -> str | None:
    """The colour kitgen's own parts of a Word file take (header text, table header rows): the
    profile's primary colour when it sets one, and in kitgen's own document; in a client's Word
    template its own heading colour (Heading 1, else Title, theme colours resolved), or None when
    its headings are not coloured (black, grey): kitgen blue is no client's colour."""
    branding = plan.branding
    if "primary_color" in branding.document_overrides or branding.docx_template == branding.default_document:
        return branding.primary_color
    typography = Typography(document)
    for name in ("Heading 1", "Title"):
        style = get_style(document, name)
        colour = typography.style_colour(style.style_id) if style is not None else None
        if is_chromatic(colour):
            return colour
    return None


def table_colour(document, plan: KitPlan) -> str:
    """The fill of a table's header row: :func:`client_colour`, or a light grey for a plain template."""
    return client_colour(document, plan) or PLAIN_HEADER_FILL


def add_grid_table(document, rows: int, cols: int):
    """``document.add_table`` in the "Table Grid" style (set by id, see :func:`style_id`).

    The empty table of a given size, width and style is made once with python-docx
    (``CT_Tbl.new_tbl``, as ``Document.add_table`` makes it) and copied after that."""
    from docx.table import Table

    section = last_section(document)  # Document._block_width, without a search for every section
    width = Emu((section.page_width or Inches(8.5)) - (section.left_margin or Inches(1)) - (section.right_margin or Inches(1)))
    sid = style_id(document, "Table Grid")
    tbl = stamp(("tbl", rows, cols, int(width), sid), lambda: _new_tbl(rows, cols, width, sid))
    body_insert(document, tbl)
    return Table(tbl, document._body)


def _new_tbl(rows: int, cols: int, width, sid: str):
    from docx.oxml.table import CT_Tbl

    tbl = CT_Tbl.new_tbl(rows, cols, width)
    tbl.tblStyle_val = None  # Table.style = None, as Document.add_table sets it
    tbl.tblPr.style = sid
    return tbl


def branded_table(document, plan: KitPlan, header: list[str], widths_cm: list[float], size_pt: float | None = None):
    """A ``Table Grid`` table whose header row is shaded in the document's table colour
    (:func:`table_colour`, the org's primary colour in kitgen's own document) and repeats."""
    table = add_grid_table(document, 1, len(header))
    tr = table._tbl.find(W_TR)
    fill = getattr(document, "_kitgen_table_colour", None) or plan.branding.primary_color
    colour = contrast_text(fill)
    size = Pt(size_pt) if size_pt else None
    for tc, text in zip(tr.findall(W_TC), header):
        p = tc.find(W_P)  # cell.text = "": the cell's one paragraph with one empty run
        etree.SubElement(p, W_R)
        add_run(p, text, bold=True, color=colour, size=size)
        shade_cell(tc, fill)
    repeat_as_header(tr)
    keep_row_on_one_page(tr)
    set_column_widths(table, widths_cm)
    return table


W_P_PR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
                "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
                "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _loosen_table_lines(document) -> None:
    """Table paragraphs on single, automatic line spacing and off the character grid when the
    template's fixed line height or grid would break words inside cells
    (:func:`kitgen.templates.wordstyles.loose_table_lines`); body text keeps the template's."""
    from docx.oxml import OxmlElement

    if not loose_table_lines(document):
        return
    w_p, w_ppr, w_spacing = qn("w:p"), qn("w:pPr"), qn("w:spacing")
    for tbl in document.element.body.iter(qn("w:tbl")):
        for p in tbl.iter(w_p):
            ppr = p.find(w_ppr)
            if ppr is None:
                ppr = OxmlElement("w:pPr")
                p.insert(0, ppr)
            spacing = ppr.find(w_spacing)
            if spacing is None:
                spacing = OxmlElement("w:spacing")
                insert_in_order(ppr, spacing, W_P_PR_ORDER)
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")
            grid = OxmlElement("w:snapToGrid")
            grid.set(qn("w:val"), "0")
            insert_in_order(ppr, grid, W_P_PR_ORDER)


CELL_SIDE_TWIPS = 108  # Word's default left cell margin (0.19 cm): a table is indented by it so its border meets the margin
CELL_PAD_TWIPS = 57  # 0.1 cm above and below the text in every table cell: capitals and descenders clear the rules


def _pad_table_cells(document) -> None:
    """``w:tblCellMar`` top and bottom on every table kitgen wrote (left and right stay Word's
    0.19 cm), so text never touches a cell's top or bottom rule."""
    from docx.oxml import OxmlElement

    order = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
             "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
             "w:tblLook", "w:tblCaption", "w:tblDescription")
    for tbl_pr in document.element.body.iter(qn("w:tblPr")):
        margins = tbl_pr.find(qn("w:tblCellMar"))
        if margins is None:
            margins = OxmlElement("w:tblCellMar")
            insert_in_order(tbl_pr, margins, order)
        for side in ("top", "bottom"):
            if margins.find(qn(f"w:{side}")) is None:
                edge = OxmlElement(f"w:{side}")
                edge.set(qn("w:w"), str(CELL_PAD_TWIPS))
                edge.set(qn("w:type"), "dxa")
                margins.insert(0 if side == "top" else len(margins), edge)
        _order_margins(margins)
        if tbl_pr.find(qn("w:tblInd")) is None:  # the border on the text margin, not the cell text (Word 2010 layout)
            indent = OxmlElement("w:tblInd")
            indent.set(qn("w:w"), str(CELL_SIDE_TWIPS))
            indent.set(qn("w:type"), "dxa")
            insert_in_order(tbl_pr, indent, order)
            _narrow_by(tbl_pr.getparent(), CELL_SIDE_TWIPS)  # … and the right border on the right margin


def _narrow_by(tbl, twips: int) -> None:
    """The table's widest column ``twips`` narrower (its grid and every cell over it): a table moved
    right by its indent would otherwise stand that far past the right margin."""
    grid = tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    widths = [int(c.get(qn("w:w")) or 0) if (c.get(qn("w:w")) or "").isdigit() else 0 for c in grid]
    if not widths or max(widths) < 4 * twips:
        return
    widest = widths.index(max(widths))
    grid[widest].set(qn("w:w"), str(widths[widest] - twips))
    for tr in tbl.findall(qn("w:tr")):
        column = 0
        for tc in tr.findall(qn("w:tc")):
            span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_el.get(qn("w:val"))) if span_el is not None and (span_el.get(qn("w:val")) or "").isdigit() else 1
            width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if column <= widest < column + span and width is not None and (width.get(qn("w:w")) or "").isdigit() \
                    and width.get(qn("w:type")) in (None, "dxa"):
                width.set(qn("w:w"), str(int(width.get(qn("w:w"))) - twips))
            column += span


def _order_margins(margins) -> None:
    """``w:tblCellMar`` children in schema order: top, start/left, bottom, end/right."""
    rank = {qn("w:top"): 0, qn("w:start"): 1, qn("w:left"): 1, qn("w:bottom"): 2, qn("w:end"): 3, qn("w:right"): 3}
    children = sorted(margins, key=lambda e: rank.get(e.tag, 4))
    for child in children:
        margins.append(child)
