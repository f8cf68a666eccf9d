"""What lies behind a box on a slide: the colour a logo, a text or a figure is seen against.

One reader for every caller (the accessibility checks' contrast, ``a11y/contrast``, through
:mod:`kitgen.validate.deck`; the logo's variant in :mod:`kitgen.render.deck`; the figures' palette
in :mod:`kitgen.render.diagrams`): the topmost filled shape or picture of the layout, then of
the master (unless the layout hides the master's shapes), under the box's centre; else the
layout's or master's background fill; else the theme's ``bg1``. A picture (a photo, a picture
fill of a shape or of the background) is sampled where the box lies over it: its mean colour. Colours are resolved through
the master's theme and colour map, with tint, shade and luminance modifiers applied as
PowerPoint and LibreOffice draw them.
"""

from __future__ import annotations

import colorsys

from kitgen.core import cache
from kitgen.ooxml.geometry import box as element_box, contains_point
from kitgen.ooxml.rels import RT


def _q(tag: str) -> str:
    from pptx.oxml.ns import qn
    return qn(tag)


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``RRGGBB`` colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _scheme(owner, overrides: dict) -> dict:
    """The theme's colours by slot and alias (``bg1``, ``tx1`` …) for a master, or for a layout: its own
    colour map when it overrides the master's (a dark cover layout maps bg1 to dk1)."""
    master = getattr(owner, "slide_master", None) or owner
    colours = dict(_theme_colours(master))
    colours.update(overrides)
    for alias, slot in _colour_map(master, owner).items():
        if slot in colours:
            colours[alias] = colours[slot]
    return colours


_THEMES: dict = {}


def _theme_colours(master) -> dict:
    """The master's theme colours, parsed once per theme part (every org's check reads the same template)."""
    from lxml import etree

    part = master.part.part_related_by(RT.THEME)
    blob = part.blob
    key = (id(part), len(blob), hash(blob))
    if key not in _THEMES or not cache.enabled():
        root = etree.fromstring(blob)
        scheme = root.find(f".//{_q('a:clrScheme')}")
        colours = {}
        for element in scheme if scheme is not None else []:
            slot = etree.QName(element).localname
            child = element[0] if len(element) else None
            if child is not None:
                colours[slot] = (child.get("lastClr") or child.get("val") or "000000").upper()
        if len(_THEMES) > 32:
            _THEMES.clear()
        _THEMES[key] = colours
    return _THEMES[key]


def _colour_map(master, layout=None) -> dict:
    override = layout._element.find(f"{_q('p:clrMapOvr')}/{_q('a:overrideClrMapping')}") \
        if layout is not None and layout is not master else None
    if override is not None and override.attrib:
        return dict(override.attrib)
    mapping = master._element.find(_q("p:clrMap"))
    return dict(mapping.attrib) if mapping is not None else {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _srgb(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _colour(fill, colours: dict) -> str | None:
    """The RRGGBB of a solidFill (or a bgRef / colour element), with tint, shade and lumMod/lumOff applied."""
    if fill is None or not len(fill) and fill.get("val") is None:
        return None
    element = fill if fill.get("val") or fill.get("lastClr") else fill[0]
    local = element.tag.rsplit("}", 1)[-1]
    if local == "srgbClr":
        base = element.get("val")
    elif local == "sysClr":
        base = element.get("lastClr")
    elif local == "schemeClr":
        base = colours.get(element.get("val"))
    elif local == "prstClr":
        base = {"white": "FFFFFF", "black": "000000"}.get(element.get("val"))
    else:
        return None
    if not base:
        return None
    r, g, b = (int(base[i:i + 2], 16) / 255 for i in (0, 2, 4))
    for modifier in element:
        name, value = modifier.tag.rsplit("}", 1)[-1], int(modifier.get("val", "100000")) / 100000
        # tint and shade work on linear (scRGB) values, as PowerPoint and LibreOffice apply them:
        # black with a 75 % tint is drawn #8B8B8B, not the #404040 that sRGB arithmetic gives.
        if name == "tint":
            r, g, b = (_srgb(_linear(c) * value + (1 - value)) for c in (r, g, b))
        elif name == "shade":
            r, g, b = (_srgb(_linear(c) * value) for c in (r, g, b))
        elif name in ("lumMod", "lumOff"):
            h, light, s = colorsys.rgb_to_hls(r, g, b)
            light = min(1.0, light * value) if name == "lumMod" else min(1.0, light + value)
            r, g, b = colorsys.hls_to_rgb(h, light, s)
    return "".join(f"{round(min(max(c, 0), 1) * 255):02X}" for c in (r, g, b))


def _behind(layout, master, box):
    """The colour element under ``box``: the topmost filled shape or picture of the layout, then of the
    master (unless the layout hides master shapes), under the box's centre; else the layout's or master's
    background fill (a picture fill sampled where the box sits); None: the theme's bg1."""
    cx, cy = box[0] + box[2] // 2, box[1] + box[3] // 2
    filled = _placeholder_fill(layout, master, cx, cy)  # a slide's title and text are drawn over the layout's artwork
    if filled is not None:
        return filled
    owners = [layout] + ([master] if layout._element.get("showMasterSp") != "0" else [])
    shapes = (_q("p:sp"), _q("p:pic"))
    for owner in owners:
        tree = owner._element.find(f"{_q('p:cSld')}/{_q('p:spTree')}")
        for shape in reversed([child for child in (tree if tree is not None else []) if child.tag in shapes]):
            if shape.find(f".//{_q('p:ph')}") is not None:
                continue
            rect = element_box(shape)
            if rect is None or not contains_point(rect, cx, cy):
                continue
            if shape.tag == _q("p:pic"):
                sampled = _sampled(owner, shape.find(f".//{_q('a:blip')}"), rect, box)
                if sampled is not None:
                    return sampled
                continue
            fill = _fill(shape)
            if fill is not None and fill.tag != _q("a:solidFill") and shape.find(f"{_q('p:spPr')}/{_q('a:custGeom')}") is not None:
                continue  # a free-drawn swirl's box is mostly empty: only a solid fill of one is trusted there (as before)
            if fill is not None and fill.tag == _q("a:blipFill"):
                fill = _sampled(owner, fill.find(_q("a:blip")), rect, box)
            if fill is not None and fill.tag != _q("a:noFill"):
                return fill
    for owner in (layout, master):
        bg = owner._element.find(f"{_q('p:cSld')}/{_q('p:bg')}")
        if bg is None:
            continue
        fill = bg.find(f"{_q('p:bgPr')}/{_q('a:solidFill')}")
        if fill is None:
            fill = _gradient(bg.find(f"{_q('p:bgPr')}/{_q('a:gradFill')}"))
        if fill is not None:
            return fill
        blip = bg.find(f"{_q('p:bgPr')}/{_q('a:blipFill')}/{_q('a:blip')}")
        if blip is not None:
            sampled = _sampled(owner, blip, _slide_rect(owner), box)
            if sampled is not None:
                return sampled
        ref = bg.find(_q("p:bgRef"))
        if ref is not None and len(ref):
            return ref
    return None


_FILLS = ("solidFill", "gradFill", "blipFill", "noFill", "pattFill", "grpFill")
_TITLES = ("title", "ctrTitle")
_TEXTS = ("body", "obj", "subTitle")


def _fill(shape):
    """How a shape is filled: its ``a:solidFill``, a gradient's middle stop (``a:gs``, resolved like a colour),
    its ``a:blipFill``, ``a:noFill``, or — with no fill of its own — its style's ``a:fillRef`` (a rectangle drawn in
    PowerPoint is filled with accent 1 that way); None when nothing says."""
    sp_pr = shape.find(_q("p:spPr"))
    for child in sp_pr if sp_pr is not None else []:
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if local in _FILLS:
            if local == "gradFill":
                return _gradient(child)
            return child if local in ("solidFill", "blipFill", "noFill") else None
    ref = shape.find(f"{_q('p:style')}/{_q('a:fillRef')}")
    return ref if ref is not None and ref.get("idx", "0") != "0" and len(ref) else None


def _gradient(grad):
    """The stop of a gradient nearest its middle (``a:gs``: its colour child is read by :func:`_colour`)."""
    stops = grad.findall(f"{_q('a:gsLst')}/{_q('a:gs')}") if grad is not None else []
    stops = [stop for stop in stops if len(stop)]
    return min(stops, key=lambda stop: abs(int(stop.get("pos", "0") or 0) - 50000)) if stops else None


def _placeholder_fill(layout, master, cx, cy):
    """The fill of the layout's title or text placeholder under the point, its own or the master's placeholder's it
    inherits (NYU Shanghai's master fills its title bar grey: the title box's own fill is what its text is seen on)."""
    def kind(shape):
        ph = shape.find(f"{_q('p:nvSpPr')}/{_q('p:nvPr')}/{_q('p:ph')}")
        value = None if ph is None else (ph.get("type") or "body")
        return "title" if value in _TITLES else "body" if value in _TEXTS else None

    def shapes(owner):
        tree = owner._element.find(f"{_q('p:cSld')}/{_q('p:spTree')}")
        return [child for child in (tree if tree is not None else []) if child.tag == _q("p:sp") and kind(child)]

    inherited = {}
    for shape in shapes(master):
        inherited.setdefault(kind(shape), shape)
    for shape in reversed(shapes(layout)):
        source = inherited.get(kind(shape))
        rect = element_box(shape) or (element_box(source) if source is not None else None)
        if rect is None or not contains_point(rect, cx, cy):
            continue
        fill = _fill(shape)
        if fill is None and source is not None:
            fill = _fill(source)
        if fill is not None and fill.tag not in (_q("a:noFill"), _q("a:blipFill")):
            return fill
    return None


def _slide_rect(owner) -> tuple[int, int, int, int]:
    try:
        presentation = owner.part.package.presentation_part.presentation
        return 0, 0, int(presentation.slide_width or 12192000), int(presentation.slide_height or 6858000)
    except (AttributeError, KeyError, ValueError):
        return 0, 0, 12192000, 6858000


_SAMPLES: dict = {}


def _sampled(owner, blip, rect, box):
    """An ``a:srgbClr`` of the picture's mean colour where ``box`` lies over it (``rect``: where the picture
    is drawn, stretched), or None for a picture that cannot be read."""
    from lxml import etree
    from PIL import Image, ImageStat

    rid = blip.get(_q("r:embed")) if blip is not None else None
    if not rid:
        return None
    try:
        blob = owner.part.related_part(rid).blob
    except (KeyError, AttributeError, ValueError):
        return None
    left, top, width, height = rect
    if width <= 0 or height <= 0:
        return None
    x0, y0 = max(box[0], left), max(box[1], top)
    x1, y1 = min(box[0] + box[2], left + width), min(box[1] + box[3], top + height)
    if x1 <= x0 or y1 <= y0:
        return None
    key = (hash(blob), len(blob), round((x0 - left) / width, 3), round((y0 - top) / height, 3),
           round((x1 - left) / width, 3), round((y1 - top) / height, 3))
    colour = _SAMPLES.get(key) if cache.enabled() else None
    if colour is None:
        try:
            import io

            with Image.open(io.BytesIO(blob)) as image:
                image = image.convert("RGBA")
                w, h = image.size
                crop = image.crop((int(w * key[2]), int(h * key[3]), max(int(w * key[4]), int(w * key[2]) + 1),
                                   max(int(h * key[5]), int(h * key[3]) + 1)))
                crop.thumbnail((64, 64))
                solid = Image.new("RGBA", crop.size, (255, 255, 255, 255))  # a transparent part shows white
                solid.alpha_composite(crop)
                mean = ImageStat.Stat(solid.convert("RGB")).mean
        except (OSError, ValueError, Image.DecompressionBombError):
            return None
        colour = "".join(f"{round(c):02X}" for c in mean[:3])
        if len(_SAMPLES) > 256:
            _SAMPLES.clear()
        _SAMPLES[key] = colour
    element = etree.Element(_q("a:srgbClr"))
    element.set("val", colour)
    return element


def background_colour(layout, box, overrides: dict | None = None) -> str:
    """The ``RRGGBB`` a viewer sees behind ``box`` (left, top, width, height in EMU) on a slide of
    ``layout`` (a python-pptx slide layout), the theme's colours with ``overrides`` written over them."""
    master = layout.slide_master
    colours = _scheme(layout, dict(overrides or {}))
    return _colour(_behind(layout, master, tuple(box)), colours) or colours.get("bg1", "FFFFFF")


def theme_colours(layout, overrides: dict | None = None) -> dict:
    """The theme's colours (``RRGGBB`` by slot, ``tx1``/``bg1`` … through the master's colour map) as
    a slide of ``layout`` shows them: what a figure's colours are chosen from."""
    return _scheme(layout, dict(overrides or {}))
