"""A :class:`~kitgen.render.diagrams.figure.Figure` written as editable PowerPoint shapes.

Everything goes into one group shape (``p:grpSp``) so the diagram moves, scales and is
announced by a screen reader as one object: the group's ``p:cNvPr`` carries the name
and the alt text (``descr``). Colours are ``a:schemeClr`` only, so the deck's theme —
the org's colours or a client's template — recolours the diagram.

A drawn group is kept: the same figure at the same place, in the same words, language and
font, on a slide whose shape ids are the same (python-pptx numbers new shapes from the ids
the slide already uses) is the same XML, so the next kit showing that diagram gets a copy of
what python-pptx drew, inserted where ``add_group_shape`` inserts one. Per process the group
element itself is kept (:data:`KEPT` of them, least recently used dropped) and deep-copied;
nothing is kept between processes. ``KITGEN_NO_CACHE`` draws every time.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING
from collections import OrderedDict


from lxml import etree
from pptx.dml.color import ColorFormat
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_THEME_COLOR
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from kitgen.core import cache
from kitgen.content.diagrams.figure import Shape, is_bold
from kitgen.content.fonts import write_name
from kitgen.render.diagrams.palette import Palette, default

if TYPE_CHECKING:
    from kitgen.content.diagrams.figure import Colour, Figure, Label, Path

LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
THEME_SLOTS = {"accent1": MSO_THEME_COLOR.ACCENT_1, "accent2": MSO_THEME_COLOR.ACCENT_2, "accent3": MSO_THEME_COLOR.ACCENT_3,
          "accent4": MSO_THEME_COLOR.ACCENT_4, "accent5": MSO_THEME_COLOR.ACCENT_5, "accent6": MSO_THEME_COLOR.ACCENT_6,
          "tx1": MSO_THEME_COLOR.TEXT_1, "bg1": MSO_THEME_COLOR.BACKGROUND_1, "tx2": MSO_THEME_COLOR.TEXT_2,
          "bg2": MSO_THEME_COLOR.BACKGROUND_2}
_GEOMETRY = {"rect": MSO_SHAPE.RECTANGLE, "roundrect": MSO_SHAPE.ROUNDED_RECTANGLE, "ellipse": MSO_SHAPE.OVAL,
             "triangle": MSO_SHAPE.ISOSCELES_TRIANGLE, "chevron": MSO_SHAPE.CHEVRON, "homeplate": MSO_SHAPE.PENTAGON}
_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
KEPT = 64

_DRAWN: OrderedDict[tuple, object] = OrderedDict()


def write_from(shapes, inputs, made, left: int, top: int, *, language: str, font: str, palette: Palette | None = None):
    """Add the figure ``made()`` returns as ``(figure, name, alt)`` to ``shapes`` (a slide's shape tree) at
    (left, top) and return the group shape, kept by ``inputs``:
    everything that figure, name and alt are made from. A kept group is inserted without working the
    figure out (nor importing the kinds' modules)."""
    palette = palette or default()

    def draw():
        figure, name, alt = made()
        return _write(shapes, figure, left, top, name=name, alt=alt, language=language, font=font, palette=palette)

    if inputs is None:
        return draw()
    return _kept(shapes, lambda: ["inputs", inputs, int(left), int(top), language, font, palette.key()], draw)


def _kept(shapes, key_of, draw):
    """The group ``draw()`` makes, kept in this process by ``key_of()`` and the slide's shape ids (all
    the XML depends on)."""
    if type(shapes) is not SlideShapes or shapes.turbo_add_enabled or not cache.enabled():
        return draw()
    ids = sorted({int(value) for value in shapes._spTree.xpath("//@id") if value.isdigit()})
    memo = repr(key_of() + [ids])
    kept = _DRAWN.get(memo)
    if kept is not None:
        _DRAWN.move_to_end(memo)
        return _insert(shapes, copy.deepcopy(kept))
    group = draw()
    _DRAWN[memo] = copy.deepcopy(group._element)
    while len(_DRAWN) > KEPT:
        _DRAWN.popitem(last=False)
    return group


def _insert(shapes, element):
    shapes._spTree.insert_element_before(element, "p:extLst")  # where add_group_shape puts a group
    return shapes._shape_factory(element)


def _write(shapes, figure: Figure, left: int, top: int, *, name: str, alt: str, language: str, font: str,
           palette: Palette):
    group = shapes.add_group_shape()
    group.name = name
    c_nv_pr = group._element.nvGrpSpPr.cNvPr
    c_nv_pr.set("descr", alt)
    lang = LANGUAGE_TAGS.get(language, "da-DK")
    shapes = group.shapes
    shapes.turbo_add_enabled = True  # each new id one more than the last: what searching the slide's ids gives
    shapes._recalculate_extents = _later  # the group's box once, at the end (see _fit_group)
    measured = 0
    for index, item in enumerate(figure.items, start=1):
        if isinstance(item, Shape):
            _shape(shapes, item, left, top, index, lang, font, palette)
            measured = index
        elif _path(shapes, item, left, top, index, palette):
            measured = index
    _fit_group(group._element, measured)
    return group


def _later() -> None:
    """python-pptx recalculates a group's box after every shape added to it, walking all its shapes."""


def _fit_group(grp_sp, measured: int) -> None:
    """The group's box as python-pptx leaves it after adding the shapes one by one.

    ``add_shape`` and ``add_connector`` recalculate the box from the shapes the group holds at
    that moment; a freeform's ``convert_to_shape`` does not. So the box spans the shapes up to
    the last one added by the first two (``measured`` of them); freeforms after it stay out of
    it, as they always did. One recalculation, by python-pptx, with those shapes in the group.
    """
    later = list(grp_sp.iter_shape_elms())[measured:]
    for element in later:
        grp_sp.remove(element)
    grp_sp.recalculate_extents()
    for element in later:
        grp_sp.append(element)


def _emu(value: float) -> Emu:
    return Emu(int(round(value)))


def _colour(fmt: ColorFormat, colour: Colour) -> None:
    """A theme colour (already mapped by the palette)."""
    fmt.theme_color = THEME_SLOTS[colour.slot]
    if colour.brightness:
        fmt.brightness = round(colour.brightness, 2)


def _saturate(shape, colour: Colour) -> None:
    """The fill's ``a:satMod`` (python-pptx has no saturation): after ``lumMod``/``lumOff``, as
    :func:`kitgen.render.diagrams.palette.with_brightness` computes the colour."""
    if colour.saturation == 1.0:
        return
    found = shape._element.find(f"{qn('p:spPr')}/{qn('a:solidFill')}")
    if found is not None and len(found):
        etree.SubElement(found[0], qn("a:satMod"), val=str(int(round(colour.saturation * 100000))))


def _drop_style(shape) -> None:
    """Remove the ``p:style`` python-pptx adds to new shapes.

    Its ``effectRef`` pulls the theme's effect style (a drop shadow in many themes) and its
    ``fontRef`` makes text light; kitgen sets fill, line and text colour itself.
    """
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _line(shape, colour: Colour | None, width_pt: float, dashed: bool = False) -> None:
    if colour is None:
        shape.line.fill.background()
        return
    _colour(shape.line.color, colour)
    shape.line.width = Pt(width_pt)
    if dashed:
        shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH


def _arrow_head(shape) -> None:
    """A triangle at the path's end: ``a:tailEnd`` (DrawingML's tail is where the path ends)."""
    ln = shape._element.spPr.get_or_add_ln()
    tail = ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"})
    ln.append(tail)


def _shape(shapes, item: Shape, left: int, top: int, index: int, lang: str, font: str, palette: Palette) -> None:
    shape = shapes.add_shape(_GEOMETRY[item.geometry], _emu(left + item.x), _emu(top + item.y),
                             _emu(item.w), _emu(item.h))
    _drop_style(shape)
    shape.name = item.name or f"{item.geometry} {index}"
    if item.geometry == "roundrect":
        shape.adjustments[0] = min(item.radius() / max(min(item.w, item.h), 1.0), 0.5)
    elif item.geometry in ("chevron", "homeplate"):  # the point's depth, as a share of the shorter side
        shape.adjustments[0] = min(item.point / max(min(item.w, item.h), 1.0), 1.0)
    if item.rotation:
        shape.rotation = item.rotation
    fill = palette.map(item.fill)
    if fill is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        _colour(shape.fill.fore_color, fill)
        _saturate(shape, fill)
    _line(shape, palette.map(item.line), item.line_pt)
    if item.text is not None:
        under = fill if fill is not None else palette.map(item.text.on)
        _text(shape, item.text, lang, font, palette.text_for(under))


def _text(shape, label: Label, lang: str, font: str, colour: Colour) -> None:
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom = (_emu(v) for v in label.insets)
    frame.vertical_anchor = _ANCHOR[label.anchor]
    for number, line in enumerate(label.text.split("\n")):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.alignment = _ALIGN[label.align]
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(label.size_pt)
        run.font.bold = is_bold(label, number)
        run.font.name = write_name(font)  # the deck's body font by name (a client's text styles may name another than the theme's)
        _colour(run.font.color, colour)
        run.font._rPr.set("lang", lang)


def _path(shapes, item: Path, left: int, top: int, index: int, palette: Palette) -> bool:
    """Add the path; True when python-pptx recalculated the group's box for it (a connector)."""
    points = [(int(round(left + x)), int(round(top + y))) for x, y in item.points]
    if len(points) == 2 and not item.closed:
        (x1, y1), (x2, y2) = points
        shape = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x1, y1, x2, y2)
        connector = True
    else:
        connector = False
        builder = shapes.build_freeform(points[0][0], points[0][1], scale=1.0)
        builder.add_line_segments(points[1:], close=item.closed)
        shape = builder.convert_to_shape()
        shapes.turbo_add_enabled = True  # a freeform takes its id by searching the slide, not from turbo's count
        fill = palette.map(item.fill)
        if fill is None:
            shape.fill.background()
        else:
            shape.fill.solid()
            _colour(shape.fill.fore_color, fill)
    _drop_style(shape)
    shape.name = item.name or f"line {index}"
    _line(shape, palette.map(item.line), item.line_pt, item.dashed)
    if item.arrow:
        _arrow_head(shape)
    return connector
