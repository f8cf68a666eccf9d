"""Table cells of the worksheets at the OOXML level: a label cell, a centred cell, the writing-box
table and a row's last cells merged (each shape made once and copied, kitgen.render.stamps)."""

from __future__ import annotations

import copy

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.table import _Cell
from lxml import etree

from kitgen.ooxml.wordml import TC_PR_ORDER, insert_in_order, keep_row_on_one_page, set_column_widths, set_row_height
from kitgen.render.sheet_layout import LINE_CM
from kitgen.render.stamps import W_P, W_R, W_TR, add_run, cells, stamp


def _label_cell(tc, text: str, bold=True, size=None) -> None:
    """``cell.text = ""`` then ``cell.paragraphs[0].add_run(text)`` in a bold (or sized) run."""
    p = tc.find(W_P)
    etree.SubElement(p, W_R)
    add_run(p, text, bold=bold, size=size)


def vertical_centre(tc) -> None:
    """``cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER``."""
    insert_in_order(tc.get_or_add_tcPr(), stamp("vAlign-center", _v_align), TC_PR_ORDER)


def _v_align():
    from docx.oxml import OxmlElement

    tc = OxmlElement("w:tc")
    _Cell(tc, None).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return tc.tcPr.vAlign


def _box_table(table, lines: int, width: float):
    """The empty one-cell writing-box table as :meth:`_Sheet._box` sets it up (kept, copied)."""
    row = table.rows[0]
    set_row_height(row, lines * LINE_CM)
    keep_row_on_one_page(row)
    set_column_widths(table, [width])
    return copy.deepcopy(table._tbl)


def _merge_to_end(table, tr, first: int) -> None:
    """``row.cells[first].merge(row.cells[-1])`` in a row of plain cells (no spans yet).

    python-docx's merge works out the span from the whole table on every call; the cells it
    leaves are a function of the merged cells alone, so they are made once per shape (on a
    scratch copy of the table, by ``_Cell.merge``) and copied into the row."""
    tcs = cells(tr)
    key = ("merge", first, len(tcs), b"".join(etree.tostring(tc) for tc in tcs[first:]))

    def build():
        scratch = copy.deepcopy(table._tbl)
        row = scratch[table._tbl.index(tr)]
        scratch_tcs = cells(row)
        _Cell(scratch_tcs[first], table).merge(_Cell(scratch_tcs[-1], table))
        holder = etree.Element(W_TR)
        holder.extend(copy.deepcopy(tc) for tc in cells(row)[first:])
        return holder

    merged = stamp(key, build)
    for tc in tcs[first:]:
        tr.remove(tc)
    tr.extend(list(merged))
