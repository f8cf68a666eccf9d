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
* **Slide numbers** reach 4.5:1 against what lies behind them (WCAG 1.4.3: they are text). A
  template's number colour that does not (kitgen's default template draws a 75 % grey, 3.5:1 on
  white and 2:1 on its dark closing slide) is moved towards black or white, whichever lies
  further from the background, until it does: the hue stays, the number becomes legible.

Only the order of the shape tree's shapes changes, so what overlaps keeps its stacking: the
decorations stay in their order among themselves (a plate under its logo), and kitgen's slide
shapes do not overlap each other's text.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn

from kitgen.ooxml.decorative import is_decorative, mark_decorative
from kitgen.templates.background import _colour, _scheme, background_colour, contrast_ratio

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
        readable_numbers(slide)
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
    are one row (a column of text beside a tracker, read left column first). Shapes that overlap each
    other (a text on a card) move together and keep the order they are drawn in, so nothing that was
    drawn on top ends up underneath; shapes without a box (nothing to place them by) follow in the
    order they came."""
    placed = [(box, shape) for shape in shapes for box in [_box(shape)] if box is not None]
    unplaced = [shape for shape in shapes if _box(shape) is None]
    clusters: list[list] = []  # [box, [shapes in drawing order]]
    for box, shape in placed:
        touching = [c for c in clusters if _overlap(c[0], box)]
        merged = [box, [shape]]
        for cluster in touching:
            clusters.remove(cluster)
            merged = [_union(cluster[0], merged[0]), cluster[1] + merged[1]]
        clusters.append(merged)
    order = {id(shape): n for n, shape in enumerate(shapes)}
    clusters.sort(key=lambda c: (c[0][1], c[0][0]))
    rows: list[list] = []
    row_end = None
    for cluster in clusters:
        box = cluster[0]
        if rows and box[1] < row_end:
            rows[-1].append(cluster)
            row_end = max(row_end, box[1] + box[3])
        else:
            rows.append([cluster])
            row_end = box[1] + box[3]
    return [shape for row in rows for cluster in sorted(row, key=lambda c: c[0][0])
            for shape in sorted(cluster[1], key=lambda s: order[id(s)])] + unplaced


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _union(a, b) -> tuple:
    left, top = min(a[0], b[0]), min(a[1], b[1])
    return (left, top, max(a[0] + a[2], b[0] + b[2]) - left, max(a[1] + a[3], b[1] + b[3]) - top)


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


# --- slide numbers --------------------------------------------------------------------------------

NUMBER_CONTRAST = 4.5  # a slide number is small text
_FILL = qn("a:solidFill")
_FILLS = tuple(qn(f"a:{tag}") for tag in ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill"))


def _is_number(shape) -> bool:
    return _ph_type(shape._element) == "sldNum" or shape.name == "Slide Number"


def _placeholder(owner, kind: str):
    for shape in owner.placeholders:
        if _ph_type(shape._element) == kind:
            return shape
    return None


def _list_fill(shape):
    if shape is None:
        return None
    return shape._element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}/{_FILL}")


def number_colour(slide, shape) -> tuple[str, str]:
    """(the colour a slide number is drawn in, the colour behind it), as ``RRGGBB``: the run's own colour,
    else its box's list style, the layout's and the master's number placeholder, the master's other-text
    style, else the theme's text colour; against what lies behind the box (:mod:`kitgen.templates.background`)."""
    layout = slide.slide_layout
    master = layout.slide_master
    colours = _scheme(master, {})
    fill = next((r.find(_FILL) for r in shape._element.iter(qn("a:rPr")) if r.find(_FILL) is not None), None)
    for owner in (shape, _placeholder(layout, "sldNum"), _placeholder(master, "sldNum")):
        fill = fill if fill is not None else _list_fill(owner)
    if fill is None:
        fill = master._element.find(f"{qn('p:txStyles')}/{qn('p:otherStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}/{_FILL}")
    text = (_colour(fill, colours) if fill is not None else None) or colours.get("tx1", "000000")
    box = _box(shape) or (0, 0, 0, 0)
    own_bg = slide._element.find(f"{qn('p:cSld')}/{qn('p:bg')}/{qn('p:bgPr')}/{_FILL}")  # the slide's own fill (a divider's)
    behind = _colour(own_bg, colours) if own_bg is not None else None
    return text, behind or background_colour(layout, box)


def legible(colour: str, background: str, needed: float = NUMBER_CONTRAST) -> str:
    """``colour``, or the first mix of it with black or white (whichever contrasts more with ``background``)
    that reaches ``needed`` against ``background``."""
    if contrast_ratio(colour, background) >= needed:
        return colour
    ink = "000000" if contrast_ratio("000000", background) >= contrast_ratio("FFFFFF", background) else "FFFFFF"
    rgb, target = [int(colour[i:i + 2], 16) for i in (0, 2, 4)], [int(ink[i:i + 2], 16) for i in (0, 2, 4)]
    for step in range(1, 21):
        share = step / 20
        mixed = "".join(f"{round(c * (1 - share) + t * share):02X}" for c, t in zip(rgb, target))
        if contrast_ratio(mixed, background) >= needed:
            return mixed
    return ink


def readable_numbers(slide) -> None:
    """Give each slide number that falls short of 4.5:1 a colour of its own that reaches it."""
    for shape in slide.shapes:
        if not (shape.has_text_frame and _is_number(shape)):
            continue
        text, background = number_colour(slide, shape)
        better = legible(text, background)
        if better == text:
            continue
        for r_pr in shape._element.iter(qn("a:rPr"), qn("a:endParaRPr")):
            for old in [child for child in r_pr if child.tag in _FILLS]:
                r_pr.remove(old)
            fill = etree.Element(_FILL)
            etree.SubElement(fill, qn("a:srgbClr"), val=better)
            line = r_pr.find(qn("a:ln"))
            r_pr.insert(1 if line is not None and r_pr.index(line) == 0 else 0, fill)


# --- colours kitgen writes on runs ------------------------------------------------------------------


def text_contrasts(slide):
    """(shape name, text, colour, background, size in pt or None, bold) of every run that carries a colour
    of its own (what kitgen's renderers colour: the tracker, step numbers, sources, figure labels, slide
    numbers), decorations left out. The background is the shape's own fill, else the fill of the group
    it is drawn in, else what lies behind its box on the layout. Inherited colours are the template's
    placeholders', which ``a11y/contrast`` measures on the plan."""
    layout = slide.slide_layout
    colours = _scheme(layout.slide_master, {})
    own_bg = slide._element.find(f"{qn('p:cSld')}/{qn('p:bg')}/{qn('p:bgPr')}/{_FILL}")  # the slide's own fill
    slide_fill = _colour(own_bg, colours) if own_bg is not None else None
    for shape, box, filled in _text_shapes(slide.shapes, None, None):
        if is_decorative(_c_nv_pr(shape._element)):
            continue
        background = filled or slide_fill or background_colour(layout, box or (0, 0, 0, 0))
        own = shape._element.find(f"{qn('p:spPr')}/{_FILL}")
        if own is not None:
            background = _colour(own, colours) or background
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                fill = run._r.find(f"{qn('a:rPr')}/{_FILL}")
                colour = _colour(fill, colours) if fill is not None else None
                if colour and run.text.strip():
                    size = run.font.size.pt if run.font.size is not None else None
                    yield shape.name, run.text, colour, background, size, bool(run.font.bold)


def _text_shapes(shapes, group_box, group_fill):
    for shape in shapes:
        if shape.shape_type is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            colours = _scheme(shape.part.slide_layout.slide_master, {}) if hasattr(shape.part, "slide_layout") else {}
            fill = shape._element.find(f"{qn('p:grpSpPr')}/{_FILL}")
            yield from _text_shapes(shape.shapes, group_box or _box(shape),
                                    (_colour(fill, colours) if fill is not None else None) or group_fill)
        elif shape.has_text_frame:
            yield shape, group_box or _box(shape), group_fill
