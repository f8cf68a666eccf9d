"""A diagram as plain geometry: the shared step between the content and both renderers.

Each kind module turns its content model into a :class:`Figure` — shapes, paths and
labels in EMU inside a box whose top-left corner is (0, 0) — for a :class:`Medium`: the
deck (large type) or print (lettering at paper scale). ``kitgen.render.diagrams.pptx``
writes the figure as editable PowerPoint shapes, ``kitgen.render.diagrams.raster`` paints
it with Pillow for the worksheets.

Colours are theme references (a slot and a brightness), never RGB: a
:class:`kitgen.render.diagrams.palette.Palette` maps them onto the colours really behind
the figure (the slide's theme and background, or the organisation's colours on paper).
Text sizes are chosen per *role* (all corner labels of a triangle share one size): the
largest size from the medium's maximum for the role down to its floor at which every
label of that role fits its own text area, measured with the renderer's font metrics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

EMU_PER_PT = 12700
EMU_PER_IN = 914400
LINE_SPACING = 1.2  # single line spacing as PowerPoint and LibreOffice lay it out
LAST_RESORT_PT = 6.0  # below the medium's floor only when nothing else fits (never overflow instead)
INSET = 0.06 * EMU_PER_IN  # small insets on every side of a label's text area
FIT_SLACK = 0.96  # a line may use this share of its width: LibreOffice's and PowerPoint's glyph widths differ slightly


@dataclass(frozen=True)
class Medium:
    """Where a figure is shown: ``deck`` or ``print``. ``floor_pt`` is the smallest lettering the
    medium allows (the deck's from ``layouts/deck.yaml``); ``max_pt`` the size each label role
    starts from before fitting shrinks it; ``dense`` a figure the content marks ``dense: true``."""

    name: str
    floor_pt: float
    max_pt: dict = field(default_factory=dict, hash=False, compare=False)
    dense: bool = False

    @property
    def printed(self) -> bool:
        return self.name == "print"

    def at(self, role: str) -> float:
        return max(self.max_pt.get(role, self.max_pt.get("label", self.floor_pt)), self.floor_pt)


DECK_MAX_PT = {"label": 24.0, "heading": 24.0, "cell": 24.0, "centre": 24.0, "note": 20.0, "axis": 22.0, "phase": 22.0,
               "zone": 20.0, "step": 24.0, "step_note": 24.0, "tick": 24.0}
PRINT_MAX_PT = {"label": 12.0, "heading": 11.0, "cell": 10.5, "centre": 12.0, "note": 9.5, "axis": 10.5, "phase": 10.5,
                "zone": 10.0, "step": 11.0, "step_note": 10.0, "tick": 11.0}
DECK_FLOOR_PT = 18.0  # deck lettering, unless the figure is dense (issue 21.4)
DENSE_FLOOR_PT = 16.0  # layouts/deck.yaml fit: figure_min_size_pt
PRINT_FLOOR_PT = 8.0  # the smallest print lettering; body text on a worksheet is 10 pt


def deck(*, floor_pt: float = DECK_FLOOR_PT, dense_floor_pt: float = DENSE_FLOOR_PT, dense: bool = False) -> Medium:
    """The deck's medium: ``floor_pt`` for a figure, ``dense_floor_pt`` for one marked dense."""
    return Medium("deck", dense_floor_pt if dense else floor_pt, DECK_MAX_PT, dense)


def deck_for(diagram, fit=None) -> Medium:
    """The deck's medium for ``diagram``, its floors from ``fit`` (a :class:`kitgen.content.layouts.FitSettings`):
    at least the deck's unsplittable body floor (18 pt), or ``figure_min_size_pt`` (16 pt) when the
    figure is marked ``dense: true``."""
    floor = max(getattr(fit, "min_body_size_pt", DECK_FLOOR_PT), DECK_FLOOR_PT) if fit is not None else DECK_FLOOR_PT
    dense_floor = getattr(fit, "figure_min_size_pt", DENSE_FLOOR_PT) if fit is not None else DENSE_FLOOR_PT
    return deck(floor_pt=floor, dense_floor_pt=min(dense_floor, floor), dense=bool(getattr(diagram, "dense", False)))


def printed(*, dense: bool = False) -> Medium:
    return Medium("print", PRINT_FLOOR_PT, PRINT_MAX_PT, dense)


@dataclass(frozen=True)
class Colour:
    """A theme colour: slot is ``accent1`` … ``accent6``, ``tx1`` or ``bg1``; brightness -1..1; saturation a share of the
    colour's own (below 1: a ramp's middle steps as muted as its ends, not a vivid band, BFA 24's pink 7)."""

    slot: str
    brightness: float = 0.0
    saturation: float = 1.0


ACCENT = Colour("accent1")
TEXT = Colour("tx1")
BACKGROUND = Colour("bg1")


MIN_TINT = 0.5  # the darkest tint that may carry (dark) text


def tint(amount: float) -> Colour:
    """accent1 lightened towards white (0 = the accent itself, 0.8 = a pale tint)."""
    return Colour("accent1", amount)


def text_on(fill: Colour | None) -> Colour:
    """Dark text on light fills (any tint of the accent), background-coloured text on the solid accent.

    The accent (accent1, the org's primary colour) is dark in every kitgen theme. Between the
    two, a tint lighter by 20–40 % has too little contrast with either dark or light text, so
    a shape that holds text is either the solid accent or a tint of at least ``MIN_TINT``."""
    if fill is not None and fill.slot.startswith("accent") and fill.brightness <= 0.0:
        return BACKGROUND
    return TEXT


@dataclass
class Label:
    text: str
    role: str = "label"
    bold: bool = False
    align: str = "center"  # left | center | right
    anchor: str = "middle"  # top | middle | bottom
    colour: Colour = TEXT  # the geometry's intent (dark on pale, light on strong); the palette picks the real one
    size_pt: float = 0.0  # chosen by fit_labels
    bold_first_line: bool = False  # a heading line such as "Felt 1" above the cell's text
    on: Colour | None = None  # the fill a label without a fill of its own lies on (None: the background)
    # the label's text area inside its shape, as insets from the shape's edges (EMU)
    insets: tuple[float, float, float, float] = (INSET, INSET, INSET, INSET)  # left, top, right, bottom


@dataclass
class Shape:
    """An autoshape: ``rect``, ``roundrect``, ``ellipse``, ``triangle``, ``chevron`` or ``homeplate`` (a
    chevron with a flat back: the first step of a process); ``text`` is optional."""

    geometry: str
    x: float
    y: float
    w: float
    h: float
    fill: Colour | None = None
    line: Colour | None = None
    line_pt: float = 1.0
    text: Label | None = None
    rotation: float = 0.0  # degrees clockwise (a rotated text box)
    name: str = ""
    corner: float | None = None  # a rounded rectangle's corner radius (EMU); default ROUND_ADJ × shorter side
    point: float = 0.0  # how far a chevron's or home plate's point reaches in (EMU)

    def radius(self) -> float:
        return self.corner if self.corner is not None else ROUND_ADJ * min(self.w, self.h)

    def text_rect(self) -> tuple[float, float, float, float]:
        """The text area (x, y, w, h in EMU, unrotated frame): the preset's text rectangle less the insets.

        A rounded rectangle's text rectangle is inset by 0.29289 × its corner radius (the
        preset geometry's ``il``), an ellipse's is the inscribed rectangle at 45°; PowerPoint
        and LibreOffice both wrap inside that rectangle, so fitting must too. A rotated shape's
        box is its unrotated frame (``a:xfrm``), turned about its centre with its text.
        """
        cx, cy = self.x + self.w / 2, self.y + self.h / 2
        w, h = self.w, self.h
        cut_x = cut_y = 0.0
        if self.geometry == "roundrect":
            cut_x = cut_y = 0.29289 * self.radius()
        elif self.geometry == "ellipse":
            cut_x, cut_y = w * (1 - math.sqrt(0.5)) / 2, h * (1 - math.sqrt(0.5)) / 2
        left, top, right, bottom = self.text.insets if self.text else (0, 0, 0, 0)
        if self.geometry == "chevron":  # the preset's text rectangle runs from the notch to where the point starts
            left, right = left + self.point, right + self.point
        elif self.geometry == "homeplate":  # from the flat back to halfway along the point
            right += self.point / 2
        x0, y0 = cx - w / 2 + cut_x + left, cy - h / 2 + cut_y + top
        return x0, y0, max(w - 2 * cut_x - left - right, 1.0), max(h - 2 * cut_y - top - bottom, 1.0)

    def text_area(self) -> tuple[float, float]:
        """Width and height (EMU) the text may use."""
        return self.text_rect()[2:]


ROUND_ADJ = 0.12  # corner radius of rounded rectangles, as a fraction of the shorter side


@dataclass
class Path:
    """A polyline (open) or polygon (closed), drawn as a freeform; ``arrow`` puts a head on its end."""

    points: list[tuple[float, float]]
    closed: bool = False
    fill: Colour | None = None
    line: Colour | None = ACCENT
    line_pt: float = 2.0
    arrow: bool = False
    dashed: bool = False
    name: str = ""


@dataclass
class Figure:
    width: float
    height: float
    items: list = field(default_factory=list)  # Shape | Path, in drawing (z) order
    reading_order: list[str] = field(default_factory=list)  # label texts as a reader takes them

    def add(self, item):
        self.items.append(item)
        if isinstance(item, Shape) and item.text is not None:
            self.reading_order.append(item.text.text)
        return item

    def labels(self) -> list[tuple[Shape, Label]]:
        return [(item, item.text) for item in self.items if isinstance(item, Shape) and item.text is not None]


# --- measuring and fitting -------------------------------------------------------------------

Measure = Callable[[str, float, bool], float]  # (text, size_pt, bold) -> width in pt


def lines_needed(text: str, width_pt: float, size_pt: float, bold: bool, measure: Measure) -> int | None:
    """Lines ``text`` wraps to at ``width_pt``; None when one word alone is wider than a line."""
    space = measure(" ", size_pt, bold)
    total = 0
    for hard_line in text.split("\n"):
        lines, current = 1, 0.0
        for word in hard_line.split():
            width = measure(word, size_pt, bold)
            if width > width_pt:
                return None  # would break mid-word ("MEDARBEJ/DERE"): does not fit
            if current and current + space + width > width_pt:
                lines, current = lines + 1, 0.0
            current += (space if current else 0.0) + width
        total += lines
    return total


def is_bold(label: Label, line_number: int) -> bool:
    return label.bold or (label.bold_first_line and line_number == 0)


def label_fits(shape: Shape, size_pt: float, measure: Measure) -> bool:
    label = shape.text
    width, height = shape.text_area()
    width *= FIT_SLACK
    total = 0
    for number, line in enumerate(label.text.split("\n")):
        lines = lines_needed(line, width / EMU_PER_PT, size_pt, is_bold(label, number), measure)
        if lines is None:
            return False
        total += lines
    return total * size_pt * LINE_SPACING <= height / EMU_PER_PT + 0.01


def fit_labels(figure: Figure, measure: Measure, medium: Medium) -> dict[str, float]:
    """Give every label the largest size (per role) at which all labels of that role fit: from the
    medium's size for the role down to its floor, then below it only as a last resort (reported by
    :func:`too_small`, never drawn overflowing)."""
    chosen: dict[str, float] = {}
    by_role: dict[str, list[Shape]] = {}
    for shape, label in figure.labels():
        by_role.setdefault(label.role, []).append(shape)
    for role, shapes in by_role.items():
        size = medium.at(role)
        candidates = [size - 0.5 * step for step in range(int((size - LAST_RESORT_PT) * 2) + 1)]
        chosen[role] = next((s for s in candidates if all(label_fits(shape, s, measure) for shape in shapes)),
                            LAST_RESORT_PT)
        for shape in shapes:
            shape.text.size_pt = chosen[role]
    return chosen


def too_small(figure: Figure, medium: Medium) -> list[str]:
    """Labels drawn below the medium's floor (empty when every label is readable)."""
    return [label.text for _, label in figure.labels() if label.size_pt < medium.floor_pt - 0.01]


# --- small geometry helpers ------------------------------------------------------------------

def catmull_rom(points: list[tuple[float, float]], steps: int = 12) -> list[tuple[float, float]]:
    """A smooth curve through ``points`` as a polyline (freeforms hold straight segments)."""
    if len(points) < 3:
        return list(points)
    padded = [points[0], *points, points[-1]]
    out = [points[0]]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(1, steps + 1):
            t = step / steps
            out.append(tuple(
                0.5 * (2 * p1[k] + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t * t
                       + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t ** 3)
                for k in (0, 1)))
    return out


def clip_to_box(centre: tuple[float, float], toward: tuple[float, float], half_w: float, half_h: float,
                gap: float = 0.0) -> tuple[float, float]:
    """Where the ray from ``centre`` to ``toward`` leaves a box of the given half sizes (plus ``gap``)."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    scale = min((half_w + gap) / abs(dx) if dx else math.inf, (half_h + gap) / abs(dy) if dy else math.inf)
    return centre[0] + dx * scale, centre[1] + dy * scale


def clip_to_ellipse(centre: tuple[float, float], toward: tuple[float, float], half_w: float, half_h: float,
                    gap: float = 0.0) -> tuple[float, float]:
    """Where the ray from an ellipse's ``centre`` to ``toward`` crosses the ellipse (plus ``gap``): an arrow
    from an oval starts on its edge, not on the corner of its box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return centre
    scale = 1.0 / math.sqrt((dx / half_w) ** 2 + (dy / half_h) ** 2)
    return centre[0] + dx * scale + dx / length * gap, centre[1] + dy * scale + dy / length * gap


def any_overlap(boxes: list[tuple[float, float, float, float]], gap: float) -> bool:
    """Do any two (cx, cy, w, h) boxes come closer than ``gap``?"""
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            if abs(x1 - x2) < (w1 + w2) / 2 + gap and abs(y1 - y2) < (h1 + h2) / 2 + gap:
                return True
    return False


def outside(point: tuple[float, float], boxes: list[tuple[float, float, float, float]], gap: float) -> bool:
    """Is ``point`` clear of every (cx, cy, w, h) box by at least ``gap``?"""
    return all(abs(point[0] - cx) > w / 2 + gap or abs(point[1] - cy) > h / 2 + gap for cx, cy, w, h in boxes)
