"""``directions``: a centre (the leader) with an arrow out to each direction, on an ellipse
filling the box: where the labels name the directions (opad, nedad, fremad, tilbage, udad,
indad), each stands where it points; otherwise they go clockwise from the top in order. The centre is
the solid accent; the directions are pale boxes; the arrows start at the centre's edge
and end at each box's edge."""

from __future__ import annotations

import math
import re

from kitgen.render.diagrams.figure import (ACCENT, EMU_PER_IN, Figure, Label, Path, Shape, any_overlap, clip_to_box, text_on, tint)
from kitgen.render.diagrams.text import say


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
    return angles if len(set(angles)) == len(angles) else None


def draw(diagram, width: float, height: float, language: str) -> Figure:
    figure = Figure(width, height)
    centre_text = say(diagram.center, language)
    names = [say(d, language) for d in diagram.directions]
    count = len(names)
    gap = min(width, height) * 0.03
    box_w, box_h = min(width * 0.36, height * 0.7), min(max(height * 0.2, 0.5 * EMU_PER_IN), height * 0.26)
    mid_w, mid_h = min(width * 0.3, height * 0.55), min(height * 0.3, width * 0.22)
    angles = compass(names) or [-90 + 360 * k / count for k in range(count)]
    while True:
        rx, ry = (width - box_w) / 2, (height - box_h) / 2
        spots = [(width / 2 + rx * _out(math.cos(math.radians(a))), height / 2 + ry * _out(math.sin(math.radians(a))))
                 for a in angles]
        boxes = [(x, y, box_w, box_h) for x, y in spots] + [(width / 2, height / 2, mid_w, mid_h)]
        if not any_overlap(boxes, gap) or box_w < width * 0.08:
            break
        box_w, box_h, mid_w, mid_h = box_w * 0.95, box_h * 0.99, mid_w * 0.985, mid_h * 0.995
    centre = (width / 2, height / 2)
    for number, (x, y) in enumerate(spots, start=1):
        start = clip_to_box(centre, (x, y), mid_w / 2, mid_h / 2, gap * 0.15)
        end = clip_to_box((x, y), centre, box_w / 2, box_h / 2, gap * 0.15)
        figure.add(Path([start, end], line=ACCENT, line_pt=3.0, arrow=True, name=f"Pil {number}"))
    figure.add(Shape("ellipse", centre[0] - mid_w / 2, centre[1] - mid_h / 2, mid_w, mid_h, fill=ACCENT, line=None,
                     text=Label(centre_text, role="centre", bold=True, colour=text_on(ACCENT)), name="Midte"))
    for index, (name, (x, y)) in enumerate(zip(names, spots), start=1):
        fill = tint(0.8)
        figure.add(Shape("roundrect", x - box_w / 2, y - box_h / 2, box_w, box_h, fill=fill, line=ACCENT, line_pt=1.25,
                         text=Label(name, bold=True, colour=text_on(fill)), name=f"Retning {index}: {name}"))
    return figure


def _out(value: float) -> float:
    """Push diagonal spots out towards the box's corners (a squircle, not an ellipse)."""
    return math.copysign(abs(value) ** 0.5, value)
