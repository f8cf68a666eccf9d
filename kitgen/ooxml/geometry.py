"""Where a shape sits: one tolerant reader of DrawingML geometry for every caller.

A shape's box is its transform's offset and extents, and nothing else:

- ``p:sp``, ``p:pic``, ``p:cxnSp``: ``p:spPr/a:xfrm``
- ``p:grpSp``: ``p:grpSpPr/a:xfrm``
- ``p:graphicFrame`` (tables, charts, SmartArt): ``p:xfrm``

and inside that transform the *direct* children ``a:off`` (``x``, ``y``) and ``a:ext``
(``cx``, ``cy``). A descendant search (``.//a:ext``) is wrong: current PowerPoint writes
``a16:creationId`` inside ``p:cNvPr/a:extLst/a:ext`` before ``p:spPr``, so the first
``a:ext`` under a shape is usually an extension, with a ``uri`` and no ``cx``.

Templates made by WPS, Google Slides, Keynote or LibreOffice omit, repeat or extend these
elements in ways the schema allows (a placeholder with no ``a:xfrm`` inherits its box) and
some it does not. Every function here answers ``None`` for a box it cannot read whole —
a missing element or attribute, a value that is not an integer, negative extents — and
never raises: the caller decides what an unplaced shape means (inherit, skip, or report).
"""

from __future__ import annotations

from typing import NamedTuple

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"

_XFRM_A, _OFF, _EXT = f"{{{NS_A}}}xfrm", f"{{{NS_A}}}off", f"{{{NS_A}}}ext"
_XFRM_P = f"{{{NS_P}}}xfrm"
# the element that holds the transform, by shape element tag
_HOLDERS = {
    f"{{{NS_P}}}sp": f"{{{NS_P}}}spPr",
    f"{{{NS_P}}}pic": f"{{{NS_P}}}spPr",
    f"{{{NS_P}}}cxnSp": f"{{{NS_P}}}spPr",
    f"{{{NS_P}}}grpSp": f"{{{NS_P}}}grpSpPr",
}
_GRAPHIC_FRAME = f"{{{NS_P}}}graphicFrame"
# ST_Coordinate's range (dml-main.xsd): anything beyond it is not a position
_LIMIT = 27273042316900


class Rect(NamedTuple):
    """A box in EMU: left, top, width, height (width and height ≥ 0)."""

    left: int
    top: int
    width: int
    height: int


def xfrm(element):
    """The transform element of a shape element (``p:sp``, ``p:pic``, ``p:cxnSp``, ``p:grpSp``,
    ``p:graphicFrame``), or None when it has none. The first one counts when it is repeated;
    any other element is looked up the same way through a direct ``spPr``/``grpSpPr`` child."""
    if element is None:
        return None
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == _GRAPHIC_FRAME:
        return element.find(_XFRM_P)
    holder_tag = _HOLDERS.get(tag)
    holders = [element.find(holder_tag)] if holder_tag else \
        [element.find(t) for t in (f"{{{NS_P}}}spPr", f"{{{NS_P}}}grpSpPr")] + [element]
    for holder in holders:
        if holder is not None:
            found = holder.find(_XFRM_A)
            if found is None and holder is element:
                found = element.find(_XFRM_P)
            if found is not None:
                return found
    return None


def _int(value) -> int | None:
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if -_LIMIT <= number <= _LIMIT else None


def offset(transform) -> tuple[int, int] | None:
    """``(x, y)`` of the transform's own ``a:off``, or None."""
    off = transform.find(_OFF) if transform is not None else None
    if off is None:
        return None
    x, y = _int(off.get("x")), _int(off.get("y"))
    return None if x is None or y is None else (x, y)


def extent(transform) -> tuple[int, int] | None:
    """``(cx, cy)`` of the transform's own ``a:ext`` (never an ``a:extLst/a:ext``), or None."""
    ext = transform.find(_EXT) if transform is not None else None
    if ext is None:
        return None
    cx, cy = _int(ext.get("cx")), _int(ext.get("cy"))
    return None if cx is None or cy is None or cx < 0 or cy < 0 else (cx, cy)


def box(element) -> Rect | None:
    """The box a shape element places itself at, or None when it does not place itself
    completely (no transform, no offset or extents, an unreadable value)."""
    transform = xfrm(element)
    where, size = offset(transform), extent(transform)
    if where is None or size is None:
        return None
    return Rect(where[0], where[1], size[0], size[1])


def shape_box(shape) -> Rect | None:
    """:func:`box` of a python-pptx shape (its own transform; a placeholder's inherited box is
    the caller's business)."""
    return box(getattr(shape, "_element", None))


def contains_point(rect: Rect, x: int, y: int) -> bool:
    return rect.left <= x <= rect.left + rect.width and rect.top <= y <= rect.top + rect.height
