"""Paragraphs, runs and table rows made once with python-docx, then copied.

A worksheet or a facilitator's guide repeats a few shapes hundreds of times: a bold label
run, a 9 pt table run, a "keep with next" paragraph, a List Bullet paragraph, a table row
of the same cells. python-docx builds each of them property by property, and every
property walks the schema's list of later siblings to find its place
(``get_or_add_*`` → ``insert_element_before``), which was most of the rendering time.

Here each shape is built *once* with python-docx's own API (``Run.bold``,
``ParagraphFormat.space_before``, ``Table.add_row`` …) on a detached element, kept, and
every further use is an lxml ``deepcopy`` of it with its text put in. The XML is the
XML python-docx writes, in the same order with the same attributes, because python-docx
wrote it. Kept shapes hold no document state (style ids and colours are part of their
key), so one process can share them across kits; the cache is bounded.

Text goes in as ``Run.text`` would put it: one ``w:t`` (``xml:space="preserve"`` when it
starts or ends with white space); text with a tab or line break goes through ``Run.text``.
"""

from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from lxml import etree
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from kitgen.ooxml.stamp import is_kept, stamp
from kitgen.ooxml.wordml import keep_row_on_one_page, set_row_height

W_P, W_R, W_T, W_PPR, W_SECTPR, W_TBL, W_TC, W_TR = (qn(t) for t in (
    "w:p", "w:r", "w:t", "w:pPr", "w:sectPr", "w:tbl", "w:tc", "w:tr"))
W_GRID_COL, W_W = qn("w:gridCol"), qn("w:w")
XML_SPACE = qn("xml:space")
SPECIAL = ("\t", "\n", "\r")



def style_id(document, name: str) -> str:
    """A style's id, looked up once per document. python-docx's own lookup scans every
    style for the default one on each call, which was the slowest step of rendering."""
    ids = getattr(document, "_kitgen_style_ids", None)
    if ids is None:
        ids = {s.name: s.style_id for s in document.styles}
        document._kitgen_style_ids = ids
    return ids[name]


# --- runs -------------------------------------------------------------------------------------


def _build_run(bold, italic, size, color):
    r = OxmlElement("w:r")
    run = Run(r, None)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size is not None:
        run.font.size = size
    if color is not None:
        run.font.color.rgb = color
    return r


def new_run(text: str = "", bold=None, italic=None, size=None, color=None):
    """A detached ``w:r``: ``paragraph.add_run(text)`` followed by ``run.bold = …`` and so on."""
    r = stamp(("r", bold, italic, size, str(color) if color is not None else None),
              lambda: _build_run(bold, italic, size, color))
    if text:
        set_text(r, text)
    return r


def add_run(p, text: str = "", bold=None, italic=None, size=None, color=None):
    """Append a run to the ``w:p`` element ``p`` (as ``Paragraph.add_run``); returns the ``w:r``."""
    r = new_run(text, bold, italic, size, color)
    p.append(r)
    return r


def set_text(r, text: str) -> None:
    """Put ``text`` into a run that has no text yet, as the ``Run.text`` setter writes it."""
    if any(c in text for c in SPECIAL):
        r.text = text  # CT_R.text: tabs → w:tab, line breaks → w:br
        return
    t = etree.SubElement(r, W_T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(XML_SPACE, "preserve")


# --- paragraphs -------------------------------------------------------------------------------


def _build_p(style_id, fmt):
    p = OxmlElement("w:p")
    paragraph = Paragraph(p, None)
    if style_id is not None:
        p.style = style_id
    pf = paragraph.paragraph_format
    for name, value in fmt:
        if name == "tab_stop":
            pf.tab_stops.add_tab_stop(value)
        else:
            setattr(pf, name, value)
    return p


def new_p(style_id: str | None = None, fmt: tuple = ()):
    """A detached empty ``w:p`` with a paragraph style (by id) and ``ParagraphFormat`` settings.

    ``fmt`` holds ``(attribute, value)`` pairs set in that order (the order matters where two
    settings share an element: ``w:spacing w:before … w:after``); ``("tab_stop", length)`` adds
    a tab stop."""
    return stamp(("p", style_id, fmt), lambda: _build_p(style_id, fmt))


def body_insert(document, element) -> None:
    """Add a block (``w:p``, ``w:tbl``) at the end of the body, before its ``w:sectPr`` (as python-docx does)."""
    body = document.element.body
    last = body[-1] if len(body) else None
    if last is not None and last.tag == W_SECTPR:
        last.addprevious(element)
    else:
        body.append(element)


def add_p(document, text: str | None = None, style: str | None = None, fmt: tuple = (), **font) -> Paragraph:
    """A paragraph at the end of the body with a style (by name, see
    :func:`style_id`) and paragraph format ``fmt`` (see :func:`new_p`);
    unless ``text`` is None, one run holding it, in the font given (``bold=``, ``italic=``,
    ``size=``, ``color=``): ``document.add_paragraph()`` then ``paragraph.add_run(text)``."""
    p = new_p(style_id(document, style) if style else None, fmt)
    if text is not None:
        add_run(p, text, **font)
    body_insert(document, p)
    return Paragraph(p, document._body)


def last_section(document):
    """``document.sections[-1]`` without searching the body for every section break."""
    from docx.section import Section

    body = document.element.body
    last = body[-1] if len(body) else None
    if last is None or last.tag != W_SECTPR:
        return document.sections[-1]
    return Section(last, document.part)


def set_format(p, fmt: tuple) -> None:
    """``ParagraphFormat`` settings ``fmt`` (see :func:`new_p`) on the ``w:p`` element ``p``."""
    ppr = p.find(W_PPR)
    if ppr is None:
        p.insert(0, new_p(None, fmt)[0])
        return
    pf = Paragraph(p, None).paragraph_format
    for name, value in fmt:
        if name == "tab_stop":
            pf.tab_stops.add_tab_stop(value)
        else:
            setattr(pf, name, value)


def keep_with_next(p) -> None:
    """``paragraph_format.keep_with_next = True`` on the ``w:p`` element ``p``."""
    set_format(p, (("keep_with_next", True),))


# --- table rows ------------------------------------------------------------------------------


def add_row(table, height_cm: float | None = None):
    """``table.add_row()``, kept on one page (``w:cantSplit``) and at least ``height_cm`` high;
    returns the new ``w:tr``. The first row of each set of column widths and height is made
    with python-docx (``Table.add_row``, :func:`~kitgen.ooxml.wordml.keep_row_on_one_page`,
    :func:`~kitgen.ooxml.wordml.set_row_height`); later ones are copies of it (empty cells of
    those widths)."""
    widths = tuple(col.get(W_W) for col in table._tbl.tblGrid.iterchildren(W_GRID_COL))
    key = ("tr", widths, height_cm)
    if not is_kept(key):
        row = table.add_row()
        keep_row_on_one_page(row)
        if height_cm is not None:
            set_row_height(row, height_cm)
        stamp(key, lambda: copy.deepcopy(row._tr))
        return row._tr
    tr = stamp(key, None)
    table._tbl.append(tr)
    return tr


def cells(tr) -> list:
    """The row's ``w:tc`` elements (a row without merged cells: one per grid column)."""
    return tr.findall(W_TC)


def keep_rows_together(table, whole: bool = True) -> None:
    """:func:`kitgen.render.sheet_layout.keep_table_together` for a table without merged
    cells: "keep with next" on every paragraph (in content controls too) of every row but
    the last, or with ``whole`` false of the header row, the first two rows and the last but one
    (the last row never alone on a page)."""
    rows = table._tbl.findall(W_TR)
    chosen = rows[:-1] if whole else [rows[i] for i in sorted({0, 1, len(rows) - 2}) if 0 <= i < len(rows) - 1]
    for tr in chosen:
        for p in tr.iter(W_P):
            keep_with_next(p)
