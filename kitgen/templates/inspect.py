"""What a client template holds, read once per file (cached by the file's sha256).

One :class:`TemplateInfo` per deck template feeds layout choice (choose.py), fitting
(``kitgen.plan.fit.template_boxes``), validation (``kitgen.validate.templates``) and
``init-org``/``show template``: every slide master with its layouts, each layout's
placeholders (type, idx and box, inherited from the master when the layout does not
place them), the master's and layout's own graphics (pictures, shapes, groups: what
text must not run over), the master's theme colours and fonts, and the title/body
sizes from the master's ``p:txStyles``. :class:`DocumentInfo` does the same for Word.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from kitgen.core import cache
from kitgen.ooxml.geometry import box as box_of
from kitgen.templates.clean import _open, clean_file
from kitgen.templates.clean_base import Where
from kitgen.templates.inspect_model import EMU_PER_PT, THEME_SLOTS, Box, Graphic, LayoutInfo, MasterInfo, Placeholder, TemplateInfo, TypeStyle
from kitgen.ooxml.rels import RT


_CACHE: dict[str, TemplateInfo] = {}  # cleaned package's digest -> facts (no path, no findings)


def inspect_template(path: Path, where: Where | None = None) -> TemplateInfo:
    """The :class:`TemplateInfo` of a deck template; raises ``PackageError`` for an unusable file."""
    return inspect_package(clean_file(Path(path), "pptx", where), path, where)


def inspect_package(package, path: Path, where: Where | None = None) -> TemplateInfo:
    """:func:`inspect_template` of a file already cleaned (``package``, from ``clean_file(path, "pptx")``).

    What the template holds is kept by its bytes; the path and the findings are this call's own
    (each organisation's profile line), so two organisations sharing one template each get theirs."""
    info = _CACHE.get(package.digest) if cache.enabled() else None
    if info is None:
        info = _CACHE[package.digest] = _kept_info(package, path, where)
    return replace(info, path=str(path), findings=package.findings)


def _kept_info(package, path: Path, where: Where | None) -> TemplateInfo:
    """The template's facts, read with python-pptx once and kept between runs by the cleaned
    package's sha256 (:mod:`kitgen.core.cache`, "template"): a repeated build does not open the template
    to inspect it. A template python-pptx cannot open raises its finding every time (nothing is kept)."""
    from pptx import Presentation

    def read() -> TemplateInfo:
        info = _read(_open(Presentation, package, Path(path).name, where or Where(str(path))), str(path), package)
        return replace(info, path="", findings=())

    return cache.get_object("template", cache.key("template", "deck-facts", package.digest), read,
                            lambda value: isinstance(value, TemplateInfo) and value.digest == package.digest)


def _box(shape) -> Box | None:
    """The shape's own box (``kitgen.ooxml.geometry``): None when it does not place itself."""
    return _box_of(shape._element)


def _type(shape) -> str:
    try:
        kind = shape.placeholder_format.type
    except (AttributeError, ValueError, KeyError):
        return "BODY"
    return kind.name if isinstance(kind, PP_PLACEHOLDER) else "BODY"  # a placeholder with no type is a body


_KINDS = {qn("p:pic"): "picture", qn("p:grpSp"): "group"}
# the master placeholder a layout placeholder without a box of its own inherits (as python-pptx's
# LayoutPlaceholder does): titles from the title, dates, footers and numbers from their own, all else from the body
_BASE = {"CENTER_TITLE": "TITLE", "TITLE": "TITLE", "DATE": "DATE", "FOOTER": "FOOTER", "SLIDE_NUMBER": "SLIDE_NUMBER",
         "HEADER": "HEADER"}


def _name(element) -> str:
    cnv = next(element.iter(qn("p:cNvPr")), None)
    return (cnv.get("name") if cnv is not None else None) or ""


def _graphics(shapes, where: str) -> list[Graphic]:
    """What a master or layout draws of its own: every shape element that is not a placeholder and
    places itself (read from its element, so a shape python-pptx has no type for is kept too)."""
    found = []
    for element in shapes._spTree.iter_shape_elms():
        if element.find(f"*/{qn('p:nvPr')}/{qn('p:ph')}") is not None:  # nvSpPr/nvPr/ph (nvPicPr, nvGrpSpPr …)
            continue
        box = _callout_box(element, _line_box(element, _box_of(element)))
        if box is None or box.area == 0:
            continue
        freeform = element.tag == qn("p:sp") and element.find(f"{qn('p:spPr')}/{qn('a:custGeom')}") is not None
        found.append(Graphic(_KINDS.get(element.tag, "shape"), _name(element), box, where, freeform))
    return found


# a callout's tail tip, as a share of its size from its centre, when the shape does not set adj1/adj2 (presetShapeDefinitions.xml)
_CALLOUTS = {"wedgeRectCallout": (-20833, 62500), "wedgeRoundRectCallout": (-20833, 62500),
             "wedgeEllipseCallout": (-20833, 62500), "cloudCallout": (-20833, 62500)}


def _callout_box(element, box: Box | None) -> Box | None:
    """A speech bubble's box with its tail: the tip lies at the centre plus adj1, adj2 (1/100000 of the width and
    height), often far outside the shape's own box (LibreOffice's Midnightblue divider bubble)."""
    geometry = element.find(f"{qn('p:spPr')}/{qn('a:prstGeom')}")
    if box is None or geometry is None or geometry.get("prst") not in _CALLOUTS:
        return box
    adjust = dict(zip(("adj1", "adj2"), _CALLOUTS[geometry.get("prst")]))
    for guide in geometry.iter(qn("a:gd")):
        formula = (guide.get("fmla") or "").split()
        if guide.get("name") in adjust and len(formula) == 2 and formula[0] == "val":
            try:
                adjust[guide.get("name")] = int(formula[1])
            except ValueError:
                pass
    tip_x = box.left + box.width // 2 + adjust["adj1"] * box.width // 100000
    tip_y = box.top + box.height // 2 + adjust["adj2"] * box.height // 100000
    left, top = min(box.left, tip_x), min(box.top, tip_y)
    right, bottom = max(box.left + box.width, tip_x), max(box.top + box.height, tip_y)
    return Box(left, top, right - left, bottom - top)


def _line_box(element, box: Box | None) -> Box | None:
    """A straight line (a title rule: a connector or shape with no height, or no width) as the band its stroke
    covers (``a:ln/@w``, 1 pt when unset), so that placement keeps text and figures off it; any other box as is."""
    if box is None or (box.width > 0) == (box.height > 0):
        return box
    stroke = element.find(f"{qn('p:spPr')}/{qn('a:ln')}")
    if stroke is not None and stroke.find(qn("a:noFill")) is not None:
        return box  # an invisible line
    try:
        width = max(int(stroke.get("w")) if stroke is not None and stroke.get("w") else EMU_PER_PT, EMU_PER_PT)
    except ValueError:
        width = EMU_PER_PT
    if box.height == 0:
        return Box(box.left, box.top - width // 2, box.width, width)
    return Box(box.left - width // 2, box.top, width, box.height)


def _box_of(element) -> Box | None:
    rect = box_of(element)
    return None if rect is None else Box(*rect)


def _placeholders(layout, master_boxes: dict) -> tuple[Placeholder, ...]:
    result = []
    for shape in layout.placeholders:
        kind = _type(shape)
        box = _box(shape)
        if box is None or not box.area:  # no xfrm, or an empty one: the master's placeholder of that type places it
            box = master_boxes.get(kind) or master_boxes.get(_BASE.get(kind, "BODY")) or box
        try:
            idx = shape.placeholder_format.idx
        except (AttributeError, ValueError, KeyError):
            idx = 0
        result.append(Placeholder(kind, idx, box))
    return tuple(result)


def _theme(master) -> tuple[dict, str | None, str | None]:
    from lxml import etree

    try:
        root = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    except (KeyError, etree.XMLSyntaxError, ValueError):
        return {}, None, None
    colours = {}
    scheme = root.find(f".//{qn('a:clrScheme')}")
    for slot in THEME_SLOTS:
        element = scheme.find(qn(f"a:{slot}")) if scheme is not None else None
        colour = element[0] if element is not None and len(element) else None
        if colour is not None:
            value = colour.get("val") if colour.tag == qn("a:srgbClr") else colour.get("lastClr")
            if value:
                colours[slot] = "#" + value.upper()
    fonts = {}
    for which in ("a:majorFont", "a:minorFont"):
        latin = root.find(f".//{qn('a:fontScheme')}/{qn(which)}/{qn('a:latin')}")
        fonts[which] = latin.get("typeface") if latin is not None and latin.get("typeface") else None
    return colours, fonts["a:majorFont"], fonts["a:minorFont"]


def _levels(master, style: str, ph_types: tuple[str, ...]) -> list:
    """The lvl1pPr elements that set a master's title or body text, the placeholder's own first."""
    found = []
    for element in master._element.iter(qn("p:sp")):
        ph = element.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if ph is not None and (ph.get("type") or "obj") in ph_types:
            level = element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}")
            sample = _sample_level(element)
            found += [found_level for found_level in (level, sample) if found_level is not None]
            break
    level = master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}")
    return found + ([level] if level is not None else [])


def _sample_level(shape):
    """The look a master placeholder's first sample paragraph carries (LibreOffice writes a master's outline styles
    there, not in ``p:txStyles``, and draws slides with it: Midnightblue's 24 pt bold with 10.6 pt after each
    paragraph), as a ``lvl1pPr`` whose ``defRPr`` is the paragraph's first run's properties; None without one."""
    from copy import deepcopy

    from lxml import etree

    paragraph = next((p for p in shape.iter(qn("a:p")) if (p.find(qn("a:pPr")) is None
                      or p.find(qn("a:pPr")).get("lvl", "0") == "0")), None)
    if paragraph is None:
        return None
    properties = paragraph.find(qn("a:pPr"))
    run = next((r for r in paragraph.iter(qn("a:rPr"), qn("a:endParaRPr"))), None)
    if properties is None and run is None:
        return None
    level = etree.Element(qn("a:lvl1pPr"))
    for child in (properties if properties is not None else []):
        level.append(deepcopy(child))
    level.attrib.update(properties.attrib if properties is not None else {})
    if run is not None:
        default = etree.SubElement(level, qn("a:defRPr"), dict(run.attrib))
        for child in run:
            default.append(deepcopy(child))
    return level


def _number(element, attribute: str, scale: float) -> float | None:
    try:
        return int(element.get(attribute)) / scale if element is not None and element.get(attribute) is not None else None
    except ValueError:
        return None


def type_style(master, style: str) -> TypeStyle:
    """:class:`TypeStyle` of a master's ``p:titleStyle`` or ``p:bodyStyle`` (what the first level of its title
    or body placeholder says first, then the text styles)."""
    ph_types = ("title", "ctrTitle") if style == "p:titleStyle" else ("body", "obj")
    levels = _levels(master, style, ph_types)

    def first(path: str, attribute: str, scale: float):
        for level in levels:
            value = _number(level.find(path) if path else level, attribute, scale)
            if value is not None:
                return value
        return None

    size = first(qn("a:defRPr"), "sz", 100)
    line = first(f"{qn('a:lnSpc')}/{qn('a:spcPct')}", "val", 100000)
    line_pt = first(f"{qn('a:lnSpc')}/{qn('a:spcPts')}", "val", 100)
    spaces = []
    for which in ("a:spcBef", "a:spcAft"):
        points = first(f"{qn(which)}/{qn('a:spcPts')}", "val", 100)
        share = first(f"{qn(which)}/{qn('a:spcPct')}", "val", 100000)
        spaces.append(points if points is not None else (share * 1.2 * size if share is not None and size else None))
    font = None
    for level in levels:
        latin = level.find(f"{qn('a:defRPr')}/{qn('a:latin')}")
        if latin is not None and latin.get("typeface"):
            font = latin.get("typeface") if not latin.get("typeface").startswith("+") else None
            break
    autofit = any(element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}/{qn('a:normAutofit')}") is not None
                  for element in master._element.iter(qn("p:sp"))
                  if (lambda ph: ph is not None and (ph.get("type") or "obj") in ph_types)(
                      element.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")))
    return TypeStyle(size, line, line_pt, spaces[0], spaces[1], first(qn("a:defRPr"), "spc", 100) or 0.0, font, autofit)


def _style_size(master, style: str) -> float | None:
    size = master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    try:
        return int(size.get("sz")) / 100 if size is not None and size.get("sz") else None
    except ValueError:
        return None


def _read(prs, path: str, package) -> TemplateInfo:
    masters = []
    all_masters = list(prs.slide_masters)
    slide_masters = []
    for slide in prs.slides:
        try:
            slide_masters.append(all_masters.index(slide.slide_layout.slide_master))
        except (ValueError, KeyError):
            slide_masters.append(-1)
    for m, master in enumerate(all_masters):
        master_boxes = {}
        for shape in master.placeholders:
            box = _box(shape)
            if box is not None:
                master_boxes.setdefault(_type(shape), box)
        master_graphics = _graphics(master.shapes, "master")
        layouts = []
        for i, layout in enumerate(master.slide_layouts):
            shows_master = layout._element.get("showMasterSp") not in ("0", "false")
            graphics = _graphics(layout.shapes, "layout") + (master_graphics if shows_master else [])
            layouts.append(LayoutInfo(m, i, layout.name or f"layout {i + 1}", layout._element.get("type"),
                                      _placeholders(layout, master_boxes), tuple(graphics)))
        bg = master._element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        background_picture = bg is not None and bg.find(f".//{qn('a:blip')}") is not None
        colours, major, minor = _theme(master)
        title_type, body_type = type_style(master, "p:titleStyle"), type_style(master, "p:bodyStyle")
        masters.append(MasterInfo(m, master.name or f"master {m + 1}", tuple(layouts), tuple(master_graphics),
                                  background_picture, title_type.size_pt or _style_size(master, "p:titleStyle"),
                                  body_type.size_pt or _style_size(master, "p:bodyStyle"),
                                  colours, title_type.font or major, body_type.font or minor,
                                  tuple(n for n, s in enumerate(slide_masters) if s == m), body_type, title_type,
                                  (major, minor)))
    return TemplateInfo(path, package.digest, package.was, int(prs.slide_width or 9144000), int(prs.slide_height or 6858000),
                        tuple(masters), package.findings)
