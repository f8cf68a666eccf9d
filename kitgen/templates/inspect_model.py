"""What kitgen reads from a deck template (:mod:`kitgen.templates.inspect` reads it): boxes in EMU,
placeholders, the graphics a master or layout draws, layouts, masters, their type styles, the template."""

from __future__ import annotations

from dataclasses import dataclass, field

from kitgen.core.findings import Finding

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
    theme_fonts: tuple = (None, None)   # the theme's major and minor Latin font (what a missing named font falls back to)


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
