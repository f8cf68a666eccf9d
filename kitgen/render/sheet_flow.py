"""Where the worksheets' pages end, estimated from what was written, and the writing room grown
into the space left at each page's foot.

The sheets are written first; then this pass lays the body out as a word processor does, in
outline: each paragraph's lines (its words measured in the font its runs render in), each table
row at its set height or its text's, ``keep with next`` chains moved whole to the next page,
a section break starting a page. Where a page's content ends above its foot, the writing room
on that page (the writing boxes, else the rows participants write in) grows to take the free
space, less a safety margin: a page holding writing is then used to its foot, and nothing moves
to another page (only room that was empty is given). Heights are points throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn

from kitgen.plan.measure import _font, line_count
from kitgen.templates.wordtheme import Typography

W = {name: qn(f"w:{name}") for name in (
    "p", "tbl", "tr", "tc", "r", "t", "pPr", "sectPr", "pgSz", "pgMar", "spacing", "pageBreakBefore", "keepNext", "trPr",
    "trHeight", "tblHeader", "tcPr", "tcW", "gridSpan", "tblGrid", "gridCol", "sdt", "sdtPr", "tag", "ind", "numPr", "br",
    "tab", "pStyle")}
EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
CELL_PAD_PT = 2 * 57 / 20 + 1.0  # a table cell's top and bottom margin (doctables.CELL_PAD_TWIPS) and its rule
SAFETY_PT = 20.0  # grown room stops this far (0.7 cm) above where the estimate puts the page's foot
SAFETY_SHARE = 0.02  # … and this share of the content above it more (estimates err with length)
MOST_BOX_PT = 22 / 2.54 * 72  # a writing box grown to fill its page is at most 22 cm high
MOST_ROW_PT = 5 / 2.54 * 72  # a row to write in, at most 5 cm
LIST_INDENT_PT = 18.0  # a list paragraph's hanging indent (List Bullet, List Number)


@dataclass
class Unit:
    """One thing the layout places whole: a paragraph or a table row."""

    element: object
    height: float
    keep: bool = False  # kept on the page of the unit after it
    page_break: bool = False  # starts a new page
    grow: str = ""  # "box" (a writing box's one row) or "row" (a row with cells to write in)
    header: float = 0.0  # a table's repeating header row's height, repeated when the table runs onto a new page
    table: object = None


@dataclass
class Page:
    units: list = field(default_factory=list)
    used: float = 0.0


def fill_pages(document, grow: bool = True) -> list[list[Page]]:
    """Grow the writing room on every page of ``document`` into the free space at its foot; the
    pages as estimated (per section), for tests and measuring."""
    typography = Typography(document)
    laid_out = []
    for elements, height, width in _sections(document):
        units = [u for element in elements for u in _units(element, typography, width)]
        pages = _flow(units, height)
        for page in pages if grow else ():
            _grow(page, height)
        laid_out.append(pages)
    return laid_out


def _sections(document):
    """(body elements, text height, text width) per section, in points."""
    body = document.element.body
    chunk = []
    for element in body:
        if element.tag == W["sectPr"]:
            yield chunk, *_geometry(element)
            return
        chunk.append(element)
        sect = element.find(f"{W['pPr']}/{W['sectPr']}") if element.tag == W["p"] else None
        if sect is not None:
            yield chunk, *_geometry(sect)
            chunk = []


def _twips(element, name: str, default: int = 0) -> int:
    value = element.get(qn(f"w:{name}")) if element is not None else None
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _geometry(sect) -> tuple[float, float]:
    size, margins = sect.find(W["pgSz"]), sect.find(W["pgMar"])
    height = _twips(size, "h", 16838) - _twips(margins, "top", 1440) - _twips(margins, "bottom", 1440)
    width = _twips(size, "w", 11906) - _twips(margins, "left", 1440) - _twips(margins, "right", 1440)
    return height / 20, width / 20


def _units(element, typography: Typography, width: float) -> list[Unit]:
    if element.tag == W["p"]:
        ppr = element.find(W["pPr"])
        if ppr is not None and ppr.find(W["sectPr"]) is not None:
            return []  # the section's 1-pt closing paragraph
        return [Unit(element, paragraph_height(element, typography, width), keep=_on(typography, element, "keepNext"),
                     page_break=_on(typography, element, "pageBreakBefore"))]
    if element.tag == W["tbl"]:
        return _rows(element, typography)
    return []


def _on(typography: Typography, p, name: str, tbl=None) -> bool:
    found = typography.paragraph_property(p, tbl, f"w:{name}")
    return found is not None and found.get(qn("w:val")) not in ("0", "false", "off")


def _spacing(typography: Typography, p, tbl=None) -> tuple[float, float, int, str]:
    """(before, after, line, rule) as the paragraph renders: each attribute from the nearest source."""
    pstyle = p.find(f"{W['pPr']}/{W['pStyle']}")
    sources = [p.find(W["pPr"])] + typography._chain(pstyle.get(qn("w:val")) if pstyle is not None
                                                     else typography.default_paragraph, "w:pPr")
    if tbl is not None:
        style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        sources += typography._chain(style.get(qn("w:val")) if style is not None else None, "w:pPr")
    sources.append(typography.paragraph_defaults)
    found: dict = {}
    for ppr in sources:
        spacing = ppr.find(W["spacing"]) if ppr is not None else None
        if spacing is None:
            continue
        for name in ("before", "after", "line", "lineRule"):
            if name not in found and spacing.get(qn(f"w:{name}")) is not None:
                found[name] = spacing.get(qn(f"w:{name}"))
    number = lambda name, default: int(found[name]) if str(found.get(name, "")).lstrip("-").isdigit() else default  # noqa: E731
    return number("before", 0) / 20, number("after", 0) / 20, number("line", 240), found.get("lineRule", "auto")


def paragraph_height(p, typography: Typography, width: float, tbl=None) -> float:
    """The paragraph's height (points) at ``width``: space before and after, and its lines."""
    before, after, line, rule = _spacing(typography, p, tbl)
    if typography.paragraph_property(p, tbl, "w:contextualSpacing") is not None:  # a list's items: no space between
        style = _style(p)  # them (Word's "don't add space between paragraphs of the same style")
        before = 0.0 if _style(p.getprevious()) == style else before
        after = 0.0 if _style(p.getnext()) == style else after
    runs = [r for r in p.iter(W["r"])]
    text = "".join(("\t" if child.tag == W["tab"] else "\n" if child.tag == W["br"] else child.text or "")
                   for r in runs for child in r if child.tag in (W["t"], W["tab"], W["br"]))
    first = next((r for r in runs if r.find(W["t"]) is not None), runs[0] if runs else None)
    family, size, bold = typography.run_font(first, p, tbl) if first is not None else (None, 11.0, False)
    sizes = [typography.run_font(r, p, tbl)[1] for r in runs if r.find(W["t"]) is not None] or [size]
    size = max(sizes)
    indent = LIST_INDENT_PT if _is_list(typography, p) else 0.0
    ind = p.find(f"{W['pPr']}/{W['ind']}")
    indent += (_twips(ind, "left") + _twips(ind, "right")) / 20 if ind is not None else 0.0
    lines = line_count(text.strip("\n"), max(20.0, width - indent), family or "Carlito", size, bold) if text.strip() else 1
    single = size * line_factor(family or "Carlito")
    if rule == "exact":
        line_pt = line / 20
    elif rule == "atLeast":
        line_pt = max(line / 20, single)
    else:
        line_pt = single * line / 240
    pictures = sum(int(e.get("cy") or 0) for e in p.iter(EXTENT)) / 12700
    body = max(lines * line_pt, pictures + (line_pt - single if pictures else 0))
    return before + body + after


def _style(p) -> str | None:
    if p is None or p.tag != W["p"]:
        return None
    found = p.find(f"{W['pPr']}/{W['pStyle']}")
    return found.get(qn("w:val")) if found is not None else ""


def line_factor(family: str) -> float:
    """A single line's height over the font size: the font's ascent and descent and a small gap
    (Calibri and its metric twin Carlito: 1.22, as Word sets them)."""
    if family.strip().lower() in ("calibri", "carlito"):
        return 1.22
    ascent, descent = _font(family, False).getmetrics()
    return min(1.3, max(1.15, (ascent + descent) / 1000 + 0.035))


def _is_list(typography: Typography, p) -> bool:
    return typography.paragraph_property(p, None, "w:numPr") is not None


def _rows(tbl, typography: Typography) -> list[Unit]:
    columns = [_twips(c, "w") / 20 for c in tbl.findall(f"{W['tblGrid']}/{W['gridCol']}")]
    units, header = [], 0.0
    rows = tbl.findall(W["tr"])
    for index, tr in enumerate(rows):
        height, column, grows = 0.0, 0, False
        for tc in tr.findall(W["tc"]):
            span = max(1, _twips(tc.find(f"{W['tcPr']}/{W['gridSpan']}"), "val", 1))
            cell_width = sum(columns[column:column + span]) - 2 * 5.4
            column += span
            paragraphs = [p for p in tc.iter(W["p"]) if _owner(p) is tbl]
            content = sum(paragraph_height(p, typography, cell_width, tbl) for p in paragraphs)
            height = max(height, content + CELL_PAD_PT)
            grows = grows or _writing(tc)
        tr_pr = tr.find(W["trPr"])
        set_height = tr_pr.find(W["trHeight"]) if tr_pr is not None else None
        if set_height is not None:
            height = max(height, _twips(set_height, "val") / 20 + 1.0)
        keep = any(_on(typography, p, "keepNext", tbl) for p in tr.iter(W["p"]) if _owner(p) is tbl)
        is_header = tr_pr is not None and tr_pr.find(W["tblHeader"]) is not None
        if is_header:
            header += height
        kind = ("box" if len(rows) == 1 and len(tr.findall(W["tc"])) == 1 else "row") if grows else ""
        units.append(Unit(tr, height, keep=keep, grow=kind, header=0.0 if is_header else header, table=tbl))
    return units


def _owner(element):
    parent = element.getparent()
    while parent is not None and parent.tag != W["tbl"]:
        parent = parent.getparent()
    return parent


def _writing(tc) -> bool:
    """A cell that is room to write: an empty writing box (a content control tagged box- or cell-)."""
    for sdt in tc.iter(W["sdt"]):
        tag = sdt.find(f"{W['sdtPr']}/{W['tag']}")
        value = tag.get(qn("w:val")) if tag is not None else ""
        if value.startswith(("box-", "cell-")):
            return True
    return False


def _flow(units: list[Unit], height: float) -> list[Page]:
    """The units on pages of ``height``: a chain of units kept with the next moves whole to a new
    page when it does not fit (and is no taller than a page)."""
    pages = [Page()]
    index = 0
    while index < len(units):
        end = index
        while units[end].keep and end + 1 < len(units):
            end += 1
        chain = units[index:end + 1]
        total = sum(u.height for u in chain)
        page = pages[-1]
        if chain[0].page_break and page.units:
            pages.append(Page())
            page = pages[-1]
        if page.units and page.used + total > height and total <= height:
            pages.append(Page())
            page = pages[-1]
            chain[0].height += chain[0].header if chain[0].table is not None else 0.0
        for unit in chain:
            if page.units and page.used + unit.height > height:
                pages.append(Page())
                page = pages[-1]
            page.units.append(unit)
            page.used += unit.height
        index = end + 1
    return pages


def _grow(page: Page, height: float) -> None:
    """The writing room on ``page`` grown by the page's free space less the safety margin: shared
    by its writing boxes, else by its rows to write in."""
    free = height - page.used - SAFETY_PT - SAFETY_SHARE * page.used
    if free <= 0:
        return
    for kind, most in (("box", MOST_BOX_PT), ("row", MOST_ROW_PT)):
        growing = [u for u in page.units if u.grow == kind]
        if not growing:
            continue
        share = free / len(growing)
        for unit in growing:
            added = min(share, max(0.0, most - unit.height))
            if added < 6:  # less than a fifth of a centimetre: leave it
                continue
            _set_height(unit.element, unit.height + added - 1.0)
        return


def _set_height(tr, points: float) -> None:
    set_height = tr.find(f"{W['trPr']}/{W['trHeight']}")
    if set_height is None:
        from docx.table import _Row

        row = _Row(tr, None)
        from docx.shared import Pt
        from docx.enum.table import WD_ROW_HEIGHT_RULE

        row.height = Pt(points)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        return
    set_height.set(qn("w:val"), str(int(points * 20)))
