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

from dataclasses import dataclass, field, replace
from pathlib import Path

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from kitgen.core import cache
from kitgen.core.findings import Finding
from kitgen.ooxml.geometry import box as box_of
from kitgen.templates.clean import Where, clean_file, _open
from kitgen.templates.wordstyles import find_style_id, has_page_field, header_footer_parts

EMU_PER_PT = 12700
TITLE_TYPES = ("TITLE", "CENTER_TITLE")
BODY_TYPES = ("BODY", "OBJECT", "SUBTITLE")
FOOTER_TYPES = ("FOOTER", "SLIDE_NUMBER", "DATE", "HEADER")
THEME_SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink", "folHlink")


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @property
    def width_pt(self) -> float:
        return self.width / EMU_PER_PT

    @property
    def height_pt(self) -> float:
        return self.height / EMU_PER_PT

    @property
    def area(self) -> int:
        return max(self.width, 0) * max(self.height, 0)

    def overlap(self, other: "Box") -> int:
        """Area both boxes cover (EMU²)."""
        w = min(self.left + self.width, other.left + other.width) - max(self.left, other.left)
        h = min(self.top + self.height, other.top + other.height) - max(self.top, other.top)
        return w * h if w > 0 and h > 0 else 0

    def contains(self, other: "Box") -> bool:
        return (self.left <= other.left and self.top <= other.top and self.left + self.width >= other.left + other.width
                and self.top + self.height >= other.top + other.height)

    def describe(self) -> str:
        return f"{self.width_pt:.0f}×{self.height_pt:.0f} pt"


@dataclass(frozen=True)
class Placeholder:
    type: str          # PP_PLACEHOLDER name: TITLE, BODY, OBJECT, SUBTITLE, PICTURE …
    idx: int
    box: Box | None


@dataclass(frozen=True)
class Graphic:
    """A picture or shape the master or layout draws on every slide (not a placeholder)."""

    kind: str          # picture | shape | group | other
    name: str
    box: Box
    where: str         # "master" or "layout"
    freeform: bool = False  # a shape drawn as a free path (arcs, waves): artwork, never a panel text sits on


PANEL = 0.4  # of the slide: a plain shape this large is a background panel, not artwork in the text's way


def obstruction(graphic: Graphic, box: Box, slide_area: int) -> int:
    """How much of a text box a graphic obstructs (EMU²): none for a full-slide background, a plain
    shape that holds the whole box (a panel the text sits on) or one covering :data:`PANEL` of the
    slide (a background band); else their overlap.
    Pictures and groups (photos, clusters of triangles) obstruct wherever they overlap."""
    if graphic.box.area >= 0.9 * slide_area:
        return 0
    if graphic.kind == "shape" and (graphic.box.contains(box) or graphic.box.area >= PANEL * slide_area):
        return 0  # a panel the text sits on, or a background band across much of the slide
    return graphic.box.overlap(box)


@dataclass(frozen=True)
class LayoutInfo:
    master: int
    index: int
    name: str
    type: str | None   # the sldLayout's own type attribute: title, obj, secHead, titleOnly …
    placeholders: tuple[Placeholder, ...]
    graphics: tuple[Graphic, ...]  # what this layout shows behind its text: its own and (unless hidden) the master's

    def of(self, types) -> list[Placeholder]:
        return [p for p in self.placeholders if p.type in types]

    @property
    def title(self) -> Placeholder | None:
        return next(iter(self.of(TITLE_TYPES)), None)

    @property
    def bodies(self) -> list[Placeholder]:
        return self.of(BODY_TYPES)

    @property
    def body(self) -> Placeholder | None:
        """The placeholder kitgen fills with the slide's text: the largest body/object/subtitle."""
        boxes = [p for p in self.bodies if p.box is not None]
        return max(boxes, key=lambda p: p.box.area, default=next(iter(self.bodies), None))

    @property
    def picture(self) -> Placeholder | None:
        return next(iter(self.of(("PICTURE",))), None)

    @property
    def ref(self) -> "LayoutRef":
        return LayoutRef(self.master, self.index, self.name)


@dataclass(frozen=True, order=True)
class LayoutRef:
    """One layout of one master; what the plan stores per slide kind and what fitting keys boxes by."""

    master: int
    index: int
    name: str

    def __str__(self) -> str:
        return f"'{self.name}' (master {self.master + 1})"


@dataclass(frozen=True)
class MasterInfo:
    index: int
    name: str
    layouts: tuple[LayoutInfo, ...]
    graphics: tuple[Graphic, ...]
    background_picture: bool
    title_size_pt: float | None
    body_size_pt: float | None
    colours: dict = field(default_factory=dict, hash=False, compare=False)
    heading_font: str | None = None
    body_font: str | None = None
    used_by: tuple[int, ...] = ()   # sample slides (0-based) made from this master
    body_type: "TypeStyle | None" = None   # how the master sets body text (line and paragraph spacing, letter spacing)
    title_type: "TypeStyle | None" = None


@dataclass(frozen=True)
class TypeStyle:
    """The first-level text style of a master's title or body: its placeholder's list style over ``p:txStyles``."""

    size_pt: float | None = None
    line_spacing: float | None = None      # a multiple of single spacing (lnSpc/spcPct)
    line_pt: float | None = None           # or an exact line height (lnSpc/spcPts)
    space_before_pt: float | None = None   # spcBef/spcPts, or spcPct as a share of the size (at size_pt)
    space_after_pt: float | None = None
    letter_spacing_pt: float = 0.0         # defRPr/@spc
    font: str | None = None                # an explicit latin typeface ("+mn-lt" theme references are not names)
    autofit: bool = False                  # bodyPr/normAutofit: PowerPoint shrinks text that does not fit


@dataclass(frozen=True)
class TemplateInfo:
    path: str
    digest: str
    was: str
    slide_width: int
    slide_height: int
    masters: tuple[MasterInfo, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def layouts(self) -> list[LayoutInfo]:
        return [layout for master in self.masters for layout in master.layouts]

    def layout(self, ref: LayoutRef) -> LayoutInfo | None:
        if 0 <= ref.master < len(self.masters):
            layouts = self.masters[ref.master].layouts
            if 0 <= ref.index < len(layouts) and layouts[ref.index].name == ref.name:
                return layouts[ref.index]
        return None

    @property
    def slide_box(self) -> Box:
        return Box(0, 0, self.slide_width, self.slide_height)

    @property
    def aspect(self) -> str:
        ratio = self.slide_width / max(self.slide_height, 1)
        return "16:9" if abs(ratio - 16 / 9) < 0.05 else "4:3" if abs(ratio - 4 / 3) < 0.05 else \
            "16:10" if abs(ratio - 1.6) < 0.03 else f"{ratio:.2f}:1"


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
        box = _box_of(element)
        if box is None or box.area == 0:
            continue
        freeform = element.tag == qn("p:sp") and element.find(f"{qn('p:spPr')}/{qn('a:custGeom')}") is not None
        found.append(Graphic(_KINDS.get(element.tag, "shape"), _name(element), box, where, freeform))
    return found


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
            if level is not None:
                found.append(level)
            break
    level = master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}")
    return found + ([level] if level is not None else [])


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
                                  tuple(n for n, s in enumerate(slide_masters) if s == m), body_type, title_type))
    return TemplateInfo(path, package.digest, package.was, int(prs.slide_width or 9144000), int(prs.slide_height or 6858000),
                        tuple(masters), package.findings)


# --- Word --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    path: str
    digest: str
    was: str
    styles: dict            # style id -> name, paragraph/character/table styles
    has_page_setup: bool
    numbered_headings: tuple[str, ...]   # heading style names that carry list numbering
    heading_font: str | None
    body_font: str | None
    findings: tuple[Finding, ...] = ()
    first_page_header: bool = False     # w:titlePg: a first page with its own header and footer
    even_page_header: bool = False      # w:evenAndOddHeaders in settings.xml
    line_numbers: bool = False          # w:lnNumType in a section
    page_numbers: bool = False          # a PAGE field in a header or footer of its own
    east_asian_fonts: tuple[str, ...] = ()  # w:eastAsia fonts its styles and defaults name

    def has_style(self, name: str) -> bool:
        return find_style_id(self.styles, name) is not None


_DOC_CACHE: dict[str, DocumentInfo] = {}  # cleaned package's digest -> facts (no path, no findings)


def inspect_document(path: Path, where: Where | None = None) -> DocumentInfo:
    from docx import Document

    package = clean_file(Path(path), "docx", where)
    info = _DOC_CACHE.get(package.digest) if cache.enabled() else None
    if info is None:
        document = _open(Document, package, Path(path).name, where or Where(str(path)))
        info = _DOC_CACHE[package.digest] = replace(_read_document(document, "", package), findings=())
    return replace(info, path=str(path), findings=package.findings)


def _read_document(document, path: str, package) -> DocumentInfo:
    from docx.oxml.ns import qn as wqn

    styles_element = document.styles.element
    styles, numbered = {}, []
    for style in styles_element.findall(wqn("w:style")):
        sid = style.get(wqn("w:styleId")) or ""
        name_el = style.find(wqn("w:name"))
        name = name_el.get(wqn("w:val")) if name_el is not None else sid
        styles[sid] = name
        if name.lower().startswith("heading") and style.find(f"{wqn('w:pPr')}/{wqn('w:numPr')}") is not None:
            numbered.append(name)
    body = document.element.body
    sect = body.find(wqn("w:sectPr"))
    has_page_setup = sect is not None and sect.find(wqn("w:pgSz")) is not None and sect.find(wqn("w:pgMar")) is not None
    fonts = {}
    try:
        theme_fonts = document.part.part_related_by(RT.THEME)
        from lxml import etree

        root = etree.fromstring(theme_fonts.blob)
        for which in ("a:majorFont", "a:minorFont"):
            latin = root.find(f".//{qn(which)}/{qn('a:latin')}")
            fonts[which] = latin.get("typeface") if latin is not None else None
    except (KeyError, ValueError, Exception):  # noqa: BLE001 — a document without a theme is fine
        pass
    return DocumentInfo(path, package.digest, package.was, styles, has_page_setup, tuple(numbered),
                        fonts.get("a:majorFont") or None, fonts.get("a:minorFont") or None, package.findings,
                        **_page_features(document))


def _on(element) -> bool:
    """A WordprocessingML on/off element: present and not ``w:val="0"``/false/off."""
    from docx.oxml.ns import qn as wqn

    return element is not None and (element.get(wqn("w:val")) or "1").lower() not in ("0", "false", "off")


def _page_features(document) -> dict:
    """What the Word template sets on its pages that kitgen reconciles (``wordstyles.reconcile_sections``)."""
    from docx.oxml.ns import qn as wqn

    sections = list(document.element.iter(wqn("w:sectPr")))
    try:
        settings = document.settings.element
        even = _on(settings.find(wqn("w:evenAndOddHeaders")))
    except (KeyError, ValueError, AttributeError):
        even = False
    page_numbers = any(has_page_field(p) for part in header_footer_parts(document) for p in part.element.iter(wqn("w:p")))
    east = sorted({f.get(wqn("w:eastAsia")) for f in document.styles.element.iter(wqn("w:rFonts")) if f.get(wqn("w:eastAsia"))})
    return {"first_page_header": any(_on(s.find(wqn("w:titlePg"))) for s in sections),
            "even_page_header": even,
            "line_numbers": any(s.find(wqn("w:lnNumType")) is not None for s in sections),
            "page_numbers": page_numbers, "east_asian_fonts": tuple(east)}
