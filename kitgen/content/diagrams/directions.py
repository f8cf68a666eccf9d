"""``directions``: a centre (the leader) with an arrow to each direction, on an ellipse
filling the box: where the labels name the directions (opad, nedad, fremad, tilbage, udad,
indad), each stands where it points; otherwise they go clockwise from the top in order. The centre is
the solid accent; the directions are pale boxes. Every arrow runs from the centre's edge out to its
box's edge, inward (indad) too: each is a direction the centre leads in (r5: one arrow pointing in read as an error)."""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import Field

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import (ACCENT, EMU_PER_IN, INSET, Figure, Label, Medium, Path, Shape, any_overlap, clip_to_box, clip_to_ellipse,
                                    text_on, tint)
from kitgen.content.diagrams.text import count, one_line, pick, say, titled
from kitgen.core.textfield import Text


class DirectionsDiagram(DiagramBase):
    """A centre with directions around it, e.g. the leader and indad, nedad, fremad, tilbage, opad, udad.

    Directions that name where they point (opad/up, nedad/down, fremad/forward, tilbage/back,
    udad/outward, indad/inward) are drawn there: up at the top, forward to the right, back to
    the left, outward upper right, inward lower left.
    Otherwise they go clockwise from the top in the order given."""

    kind: Literal["directions"]
    center: Text
    directions: list[Text] = Field(min_length=2, max_length=8)


Model = DirectionsDiagram  # the kind's content format, as the registry reads it
LABELS = ("center", "directions")
ASPECT = 0.62


# Where a named direction points (degrees clockwise from 3 o'clock): up is up, forward is to
# the right (the reading direction: the future), back to the left; outward and inward take
# the diagonals between them. Danish and English words.
COMPASS = [
    (r"\b(opad|up|upwards?)\b", -90), (r"\b(nedad|down|downwards?)\b", 90),
    (r"\b(fremad|forwards?|frem)\b", 0), (r"\b(tilbage|backwards?|back)\b", 180),
    (r"\b(udad|outwards?|ud)\b", -45), (r"\b(indad|inwards?|ind)\b", 135),
]


def compass(names: list[str]) -> list[float] | None:
    """Angles for directions that each name a different one of the six; None otherwise
    (then they go clockwise from the top in the order given)."""
    angles = []
    for name in names:
        found = [angle for pattern, angle in COMPASS if re.search(pattern, name.casefold())]
        if len(found) != 1:
            return None
        angles.append(found[0])
    if len(set(angles)) != len(angles):
        return None
    if len(angles) == 6:  # all six: on a regular hexagon, so no corner stays empty and each side's pair stands mirrored
        angles = [HEXAGON.get(angle, angle) for angle in angles]  # (AMK 20: the side boxes were staggered)
    return angles


HEXAGON = {0: 30, 180: 210, -45: -30, 135: 150}


def describe(diagram: DirectionsDiagram, language: str) -> str:
    centre = one_line(say(diagram.center, language))
    names = [one_line(say(d, language)) for d in diagram.directions]
    body = pick(language, f"{centre} i midten med pile til {count(len(names), language)} retninger: " + ", ".join(names),
                f"{centre} in the middle with arrows to {count(len(names), language)} directions: " + ", ".join(names))
    return titled(diagram, language, body)


def draw(diagram: DirectionsDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    figure = Figure(width, height)
    centre_text = say(diagram.center, language)
    names = [say(d, language) for d in diagram.directions]
    count_ = len(names)
    if count_ <= FAN_MOST and not compass(names):
        return _fan(figure, centre_text, names, width, height)
    gap = min(width, height) * 0.03
    shaft = max(min(width, height) * 0.1, (0.15 if medium.printed else 0.45) * EMU_PER_IN)  # every arrow keeps a shaft
    wordy = max(len(name) for name in names) > 24
    box_w = min(width * (0.3 if count_ <= 4 else 0.28), height * 0.8)  # six: "Led tilbage" on one line in print too
    box_h = min(max(height * (0.28 if wordy else 0.22), 0.6 * EMU_PER_IN), height * 0.32)
    long_centre = len(centre_text) > 30
    mid_w = max(min(width - 2 * box_w - 2 * shaft - 2 * gap, width * (0.42 if long_centre else 0.36)), width * 0.2)
    mid_h = min(height * (0.4 if long_centre else 0.32), mid_w * 0.7)
    angles = compass(names) or [-90 + 360 * k / count_ for k in range(count_)]
    while True:
        spots = _spread([(_out(math.cos(math.radians(a))), _out(math.sin(math.radians(a)))) for a in angles],
                        width, height, box_w, box_h)
        boxes = [(x, y, box_w, box_h) for x, y in spots]
        centre = _middle(spots, width, height, mid_w, mid_h)  # the directions' mean: lower when most point down
        centre_box = [(centre[0], centre[1], mid_w, mid_h)]
        if (not any_overlap(boxes, gap) and not any(any_overlap([box] + centre_box, shaft) for box in boxes)) \
                or box_w < width * 0.08:
            break
        keep = 0.995 if long_centre else 0.98  # a question in the centre needs its room more than the boxes do
        box_w, box_h, mid_w, mid_h = box_w * 0.97, box_h * 0.99, mid_w * keep, mid_h * min(keep, 0.985)
    for number, (x, y) in enumerate(spots, start=1):
        start = (clip_to_box if long_centre else clip_to_ellipse)(centre, (x, y), mid_w / 2, mid_h / 2, -gap * 0.4)  # under the centre drawn over it: every arrow reaches it (r6a C33)
        end = clip_to_box((x, y), centre, box_w / 2, box_h / 2, gap * 0.15)
        figure.add(Path([start, end], line=ACCENT, line_pt=3.0, arrow=True, name=f"Pil {number}"))
    figure.add(Shape("roundrect" if long_centre else "ellipse", centre[0] - mid_w / 2, centre[1] - mid_h / 2, mid_w, mid_h,
                     fill=ACCENT, line=None, text=Label(centre_text, role="centre", bold=True, colour=text_on(ACCENT)),
                     name="Midte"))
    for index, (name, (x, y)) in enumerate(zip(names, spots), start=1):
        fill = tint(0.8)
        figure.add(Shape("roundrect", x - box_w / 2, y - box_h / 2, box_w, box_h, fill=fill, line=ACCENT, line_pt=1.25,
                         text=Label(name, bold=True, colour=text_on(fill)), name=f"Retning {index}: {name}"))
    return figure


FAN_MOST = 3  # up to three directions that name no compass point fan out from the centre on the left


def _fan(figure: Figure, centre_text: str, names: list[str], width: float, height: float) -> Figure:
    """The centre on the left, the directions in a column on the right in their order (top to bottom), an arrow with a
    full shaft from the centre's right edge to each box's left edge: balanced, no empty corner (r5 KK 17's three boxes
    around a large centre left the top corners empty and ran stub arrows into the boxes' corners)."""
    gap = height * 0.06
    mid_w, box_w = width * 0.36, width * 0.4
    box_h = (height - gap * (len(names) - 1)) / len(names)
    mid_h = min(height * 0.7, max(box_h * 1.4, height * 0.5))
    mid_y = (height - mid_h) / 2
    pad = INSET * 3  # the centre's text well inside its box
    figure.add(Shape("roundrect", 0, mid_y, mid_w, mid_h, fill=ACCENT, line=None,
                     text=Label(centre_text, role="centre", bold=True, colour=text_on(ACCENT), insets=(pad, pad, pad, pad)),
                     name="Midte"))
    left = width - box_w
    for index, name in enumerate(names, start=1):
        top = (index - 1) * (box_h + gap)
        start = (mid_w + gap * 0.3, mid_y + mid_h * index / (len(names) + 1))
        figure.add(Path([start, (left - gap * 0.3, top + box_h / 2)], line=ACCENT, line_pt=3.0, arrow=True, name=f"Pil {index}"))
        fill = tint(0.8)
        figure.add(Shape("roundrect", left, top, box_w, box_h, fill=fill, line=ACCENT, line_pt=1.25,
                         text=Label(name, bold=True, colour=text_on(fill), insets=(pad, INSET, pad, INSET)),
                         name=f"Retning {index}: {name}"))
    return figure


def _spread(unit: list[tuple[float, float]], width: float, height: float, box_w: float, box_h: float):
    """Spots on the unit square stretched so the outermost boxes touch the figure's edges (the figure fills
    its box whatever the number of directions), the centre staying in the middle."""
    xs, ys = [x for x, _ in unit], [y for _, y in unit]

    def stretch(value: float, low: float, high: float, size: float, box: float) -> float:
        if high - low < 1e-9:
            return size / 2
        return box / 2 + (value - low) / (high - low) * (size - box)

    return [(stretch(x, min(xs), max(xs), width, box_w), stretch(y, min(ys), max(ys), height, box_h)) for x, y in unit]


def _middle(spots, width: float, height: float, mid_w: float, mid_h: float) -> tuple[float, float]:
    x = sum(x for x, _ in spots) / len(spots)
    y = sum(y for _, y in spots) / len(spots)
    return min(max(x, mid_w / 2), width - mid_w / 2), min(max(y, mid_h / 2), height - mid_h / 2)


def _out(value: float) -> float:
    """Push diagonal spots out towards the box's corners (a squircle, not an ellipse)."""
    return math.copysign(abs(value) ** 0.5, value)
