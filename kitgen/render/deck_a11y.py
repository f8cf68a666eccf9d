"""The deck made accessible after it is drawn: one pass over the finished presentation
(:func:`make_accessible`, called once by :func:`kitgen.render.deck.render_deck`).

* **Language.** Every run, paragraph end and default text style says the kit's language
  (``lang``: da-DK or en-GB): the presentation's ``defaultTextStyle``, each master's text styles
  and shapes, each layout, the notes master, the slides and their notes. A template made on an
  English PC carries en-US there, and LibreOffice takes the PDF's ``/Lang`` from it. The document
  properties say it too (``dc:language``).
* **Reading order.** A screen reader reads a slide's shapes in the order of its shape tree: the
  title comes first, then the body in visual order (rows from the top, left to right within a
  row, shapes side by side one row: a divider's text before the agenda tracker right of it),
  then the slide number, and the logo and decorations last.
* **Decorations.** The quotation mark of a quote slide and a logo's plate are marked decorative
  (``adec:decorative``, :mod:`kitgen.ooxml.decorative`): a screen reader skips them. So is the
  logo where the slide's text already names the organisation (the title slide); elsewhere it
  keeps its alternative text ("Logo: Københavns Kommune").

Only the order of the shape tree's shapes changes, so what overlaps keeps its stacking: the
decorations stay in their order among themselves (a plate under its logo), and kitgen's slide
shapes do not overlap each other's text.
"""

from __future__ import annotations

from pptx.oxml.ns import qn

from kitgen.ooxml.decorative import is_decorative, mark_decorative

DECORATIONS = ("Quotation mark", "Logo plate")  # shape names render/deck.py gives what only adorns a slide
LOGO = "Logo"
TITLE_TYPES = ("title", "ctrTitle")
LAST_TYPES = ("sldNum", "ftr", "dt")  # footer placeholders: read after the body

_RUN_PROPERTIES = tuple(qn(tag) for tag in ("a:rPr", "a:defRPr", "a:endParaRPr"))


def make_accessible(prs, plan) -> None:
    """Language on every text, reading order and decorative marks on every slide of ``prs``."""
    tag = plan.lang_tag
    names = {n.casefold() for n in (plan.branding.display_name, plan.org.name) if n}
    for root in _text_parts(prs):
        set_language(root, tag)
    for slide in prs.slides:
        _decorations(slide, names)
        order_shapes(slide)
    prs.core_properties.language = tag


def _text_parts(prs):
    """The XML roots of every part that holds text or text defaults."""
    yield prs._element  # p:presentation/p:defaultTextStyle
    for master in prs.slide_masters:
        yield master._element
        for layout in master.slide_layouts:
            yield layout._element
    if any(slide.has_notes_slide for slide in prs.slides):
        yield prs.notes_master._element
    for slide in prs.slides:
        yield slide._element
        if slide.has_notes_slide:
            yield slide.notes_slide._element


def set_language(root, tag: str) -> None:
    """``lang`` on every ``a:rPr``, ``a:defRPr`` and ``a:endParaRPr`` under ``root``."""
    for element in root.iter(*_RUN_PROPERTIES):
        element.set("lang", tag)


def _c_nv_pr(element):
    return next(element.iter(qn("p:cNvPr")), None)


def _ph_type(element) -> str | None:
    ph = next(element.iter(qn("p:ph")), None)
    if ph is None:
        return None
    return ph.get("type", "obj")


def _decorations(slide, org_names: set[str]) -> None:
    said = " ".join(" ".join(shape.text_frame.text.split()) for shape in slide.shapes if shape.has_text_frame).casefold()
    for shape in slide.shapes:
        c_nv_pr = _c_nv_pr(shape._element)
        if c_nv_pr is None:
            continue
        if shape.name in DECORATIONS or (shape.name == LOGO and any(name in said for name in org_names)):
            mark_decorative(c_nv_pr)


def _kind(shape) -> int:
    """0 title, 1 body (in visual order), 2 footer placeholders, 3 the logo and the decorations (in the order
    they were drawn: a plate stays under its logo)."""
    element = shape._element
    if shape.name == LOGO or is_decorative(_c_nv_pr(element)):
        return 3
    kind = _ph_type(element)
    if kind in TITLE_TYPES:
        return 0
    if kind in LAST_TYPES:
        return 2
    return 1


def _box(shape):
    try:
        box = (shape.left, shape.top, shape.width, shape.height)
    except (AttributeError, ValueError, TypeError):
        return None
    return box if all(v is not None for v in box) else None


def visual_order(shapes: list) -> list:
    """Shapes in reading order: rows from the top, left to right in a row. Shapes whose heights overlap
    are one row (a column of text beside a tracker, read left column first); shapes without a box
    (nothing to place them by) follow in the order they came."""
    placed = sorted(((box, shape) for shape in shapes for box in [_box(shape)] if box is not None),
                    key=lambda item: (item[0][1], item[0][0]))
    unplaced = [shape for shape in shapes if _box(shape) is None]
    rows: list[list] = []
    row_end = None
    for box, shape in placed:
        if rows and box[1] < row_end:
            rows[-1].append((box, shape))
            row_end = max(row_end, box[1] + box[3])
        else:
            rows.append([(box, shape)])
            row_end = box[1] + box[3]
    return [shape for row in rows for _, shape in sorted(row, key=lambda item: item[0][0])] + unplaced


def order_shapes(slide) -> None:
    """Rewrite the order of the slide's shape tree: title, body in visual order, footers, logo, decorations."""
    shapes = list(slide.shapes)
    if len(shapes) < 2:
        return
    groups: dict[int, list] = {}
    for shape in shapes:
        groups.setdefault(_kind(shape), []).append(shape)
    ordered = groups.get(0, []) + visual_order(groups.get(1, [])) + groups.get(2, []) + groups.get(3, [])
    elements = [shape._element for shape in ordered]
    if elements == [shape._element for shape in shapes]:
        return
    anchor = shapes[0]._element.getprevious()  # p:grpSpPr: the shapes follow it
    for element in elements:
        anchor.addnext(element)
        anchor = element


def reading_order(slide) -> list[str]:
    """The names of the slide's shapes as a screen reader meets them, decorative ones left out (for tests and checks)."""
    return [shape.name for shape in slide.shapes if not is_decorative(_c_nv_pr(shape._element))]
