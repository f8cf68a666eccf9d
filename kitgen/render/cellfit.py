"""No word breaks inside a table cell, measured in the type the template really sets.

The Word renderers size their columns in the kit's measuring font; a client's template then
sets the cells in its own font and size (Cambria 12 pt, a Chinese template's 16 pt …), and a
word wider than its column breaks in the middle ("Ledelsesgrup|pe", "arbejdsmilj|ø?"). On
saving, table paragraphs the template would justify are set left (and lose a first-line indent),
and every table is checked word by word in each run's effective font
(:class:`kitgen.templates.wordtheme.Typography`): a column too narrow for its longest word
borrows width from columns with room to spare (the table's width stays); a cell that still
cannot hold its word has its text set smaller, at most down to ``MIN_PT`` (a header row
shrinks as one, so its cells stay alike). Words of East Asian script are left alone (they
may break between any two characters).
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from kitgen.ooxml.wordml import R_PR_ORDER, insert_in_order
from kitgen.render.doctables import W_P_PR_ORDER as P_PR_ORDER
from kitgen.plan.measure import text_width_pt
from kitgen.templates.wordtheme import Typography

MIN_PT = 7.5
SIDE_TWIPS = 108  # Word's default left and right cell margin
SPARE_TWIPS = 30  # a point and a half to spare: renderers round
MIN_KEEP_TWIPS = 567  # a donor column keeps at least 1 cm
CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def fit_cell_words(document) -> None:
    typography = None
    for tbl in list(document.element.body.iter(qn("w:tbl"))):
        typography = typography or Typography(document)
        _unjustify(tbl, typography)
        _fit_table(tbl, typography)


JUSTIFIED = ("both", "distribute", "lowKashida", "mediumKashida", "highKashida", "thaiDistribute")


def _unjustify(tbl, typography: Typography) -> None:
    """Table paragraphs a template would justify (its Normal style's ``w:jc both``) set left: in a
    narrow cell justification stretches the word gaps ("LYKKES    I    LAV    GRAD")."""
    for p in tbl.iter(qn("w:p")):
        _no_first_line_indent(p, tbl, typography)
        if typography.alignment(p, tbl) in JUSTIFIED:
            jc = OxmlElement("w:jc")
            jc.set(qn("w:val"), "left")
            existing = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
            if existing is not None:
                existing.set(qn("w:val"), "left")
            else:
                insert_in_order(p.get_or_add_pPr(), jc, P_PR_ORDER)


def _twips(element, name: str = "w:w") -> int:
    value = element.get(qn(name)) if element is not None else None
    return int(value) if value and value.lstrip("-").isdigit() else 0


def _margins(tbl) -> int:
    """Left plus right cell margin of the table (twips)."""
    found = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    total = 0
    for sides in (("w:left", "w:start"), ("w:right", "w:end")):
        side = next((found.find(qn(s)) for s in sides if found is not None and found.find(qn(s)) is not None), None)
        total += _twips(side) if side is not None else SIDE_TWIPS
    return total


def _cells(tbl):
    """(row element, cell element, first grid column, span) for every cell directly in ``tbl``."""
    for tr in tbl.findall(qn("w:tr")):
        column = _twips(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), "w:val")
        for tc in tr.findall(qn("w:tc")):
            span = max(1, _twips(tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}"), "w:val"))
            yield tr, tc, column, span
            column += span


def _runs(tc):
    """(run, paragraph, text) of every run with text in the cell (not in nested tables)."""
    for p in tc.iter(qn("w:p")):
        if _owner_table(p) is not _owner_table(tc):
            continue
        for r in p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.findall(qn("w:t")))
            if text.strip():
                yield r, p, text


def _owner_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != qn("w:tbl"):
        parent = parent.getparent()
    return parent


def _longest(tc, tbl, typography: Typography, scale: float = 1.0) -> float:
    """The widest Latin word of the cell, in twips, at ``scale`` times its size."""
    widest = 0.0
    for r, p, text in _runs(tc):
        family, size, bold = typography.run_font(r, p, tbl)
        for word in text.split():
            if not CJK.search(word):
                widest = max(widest, text_width_pt(word, family, size * scale, bold) * 20)
    return widest


FIRST_LINE = ("w:firstLine", "w:firstLineChars")


def _no_first_line_indent(p, tbl, typography: Typography) -> None:
    """A first-line indent the template gives its body text (a Chinese document's two characters)
    is taken off a table paragraph: in a narrow cell it pushes the first word over ("N|avn")."""
    indent = typography.paragraph_property(p, tbl, "w:ind")
    if indent is None or not any(int(indent.get(qn(a)) or 0) > 0 for a in FIRST_LINE if (indent.get(qn(a)) or "0").isdigit()):
        return
    own = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    if own is None:
        own = OxmlElement("w:ind")
        for name, value in indent.attrib.items():
            own.set(name, value)
        insert_in_order(p.get_or_add_pPr(), own, P_PR_ORDER)
    for attribute in FIRST_LINE:
        own.set(qn(attribute), "0")


def _fit_table(tbl, typography: Typography) -> None:
    grid = tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    widths = [_twips(col) for col in grid]
    if not widths or not all(widths):
        return
    room = _margins(tbl) + SPARE_TWIPS
    cells = list(_cells(tbl))
    need = [0.0] * len(widths)
    for _, tc, column, span in cells:
        if span == 1 and column < len(widths):
            need[column] = max(need[column], _longest(tc, tbl, typography) + room)
    changed = _borrow(widths, need)
    if changed:
        for col, width in zip(grid, widths):
            col.set(qn("w:w"), str(width))
    rows: dict = {}
    for tr, tc, column, span in cells:
        width = sum(widths[column:column + span])
        if changed:
            tc_w = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if tc_w is not None and tc_w.get(qn("w:type")) in (None, "dxa"):
                tc_w.set(qn("w:w"), str(width))
        longest = _longest(tc, tbl, typography)
        if longest and longest + room > width:
            rows.setdefault(id(tr), [tr, []])[1].append((tc, max(0.0, width - room) / longest))
    for tr, shrinks in rows.values():
        header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        if header:
            least = min(scale for _, scale in shrinks)
            shrinks = [(tc, least) for tc in tr.findall(qn("w:tc"))]
        for tc, scale in shrinks:
            _shrink(tc, tbl, typography, scale)


def _borrow(widths: list[int], need: list[float]) -> bool:
    """Columns short of their need take width from the columns with the most to spare."""
    changed = False
    for i, want in enumerate(need):
        while widths[i] < want:
            spare = [(widths[j] - max(need[j], MIN_KEEP_TWIPS), j) for j in range(len(widths)) if j != i]
            room, donor = max(spare) if spare else (0, -1)
            if room <= 20:
                break
            take = int(min(room, want - widths[i]) + 0.999)
            widths[donor] -= take
            widths[i] += take
            changed = True
    return changed


def _shrink(tc, tbl, typography: Typography, scale: float) -> None:
    """Every text run of the cell at ``scale`` times its size (half-points, down to ``MIN_PT``)."""
    for r, p, _ in list(_runs(tc)):
        _, size, _ = typography.run_font(r, p, tbl)
        half_points = max(int(MIN_PT * 2), int(size * scale * 2))  # rounded down: the word must fit
        if half_points >= size * 2:
            continue
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            r.insert(0, rpr)
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                insert_in_order(rpr, element, R_PR_ORDER)
            element.set(qn("w:val"), str(half_points))
