"""``cycle``: steps round a closed loop with curved arrows between them, clockwise from
the top; or, with ``spiral: true`` (frustrationsspiralen), a spiral winding clockwise
and inwards from the top left to the last step in the centre, the fill darkening to the
solid accent of the last step."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import ACCENT, EMU_PER_IN, Figure, Label, Medium, Path, Shape, any_overlap, outside, text_on, tint
from kitgen.content.diagrams.text import count, one_line, pick, say, titled
from kitgen.core.textfield import Text


class CycleDiagram(DiagramBase):
    """Steps in a loop, e.g. frustrationsspiralen."""

    kind: Literal["cycle"]
    steps: list[Text] = Field(min_length=3, max_length=8)
    spiral: bool = Field(default=False, description=(
        "true: the steps wind inwards to the last one in the centre (frustrationsspiralen); false: a closed loop"))


Model = CycleDiagram  # the kind's content format, as the registry reads it
LABELS = ("steps",)
ASPECT = 0.62


def describe(diagram: CycleDiagram, language: str) -> str:
    steps = [one_line(say(s, language)) for s in diagram.steps]
    n = count(len(steps), language)
    if diagram.spiral:
        body = pick(language, f"en spiral i {n} trin, der snor sig indad: " + " → ".join(steps),
                    f"a spiral of {n} steps winding inwards: " + " → ".join(steps))
    else:
        body = pick(language, f"et kredsløb i {n} trin: " + " → ".join(steps) + f" → tilbage til {steps[0]}",
                    f"a cycle of {n} steps: " + " → ".join(steps) + f" → back to {steps[0]}")
    return titled(diagram, language, body)


def draw(diagram: CycleDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    steps = [say(s, language) for s in diagram.steps]
    return _spiral(steps, width, height) if diagram.spiral else _loop(steps, width, height)


def _node(figure: Figure, index: int, step: str, x: float, y: float, w: float, h: float, fill) -> None:
    figure.add(Shape("roundrect", x - w / 2, y - h / 2, w, h, fill=fill, line=ACCENT, line_pt=1.25,
                     text=Label(step, bold=True, colour=text_on(fill)), name=f"Trin {index + 1}: {step}"))


def _loop(steps: list[str], width: float, height: float) -> Figure:
    figure = Figure(width, height)
    count = len(steps)
    gap = min(width, height) * 0.04
    node_w, node_h = min(width * 0.36, height * 0.62), min(max(height * 0.22, 0.5 * EMU_PER_IN), height * 0.3)
    while True:
        rx, ry = (width - node_w) / 2, (height - node_h) / 2
        angles = [-90 + 360 * k / count for k in range(count + 1)]
        centres = [(width / 2 + rx * math.cos(math.radians(a)), height / 2 + ry * math.sin(math.radians(a)))
                   for a in angles[:-1]]
        boxes = [(x, y, node_w, node_h) for x, y in centres]
        if not any_overlap(boxes, gap * 1.5) or node_w < width * 0.08:
            break
        node_w, node_h = node_w * 0.95, node_h * 0.98
    for number in range(count):
        arc = [(width / 2 + rx * math.cos(math.radians(a)), height / 2 + ry * math.sin(math.radians(a)))
               for a in (angles[number] + (angles[number + 1] - angles[number]) * i / 60 for i in range(61))]
        points = [p for p in arc if outside(p, boxes, gap * 0.35)]
        if len(points) >= 2:
            figure.add(Path(points, line=ACCENT, line_pt=2.5, arrow=True, name=f"Pil {number + 1}"))
    for index, (step, (x, y)) in enumerate(zip(steps, centres)):
        _node(figure, index, step, x, y, node_w, node_h, tint(0.75))
    return figure


def _spiral(steps: list[str], width: float, height: float) -> Figure:
    """Steps wind clockwise and inwards: round the corners (top left, top right, bottom right,
    bottom left), then on an inner ring, the last step in the centre. The links follow the
    same rounded-square spiral, so the arrows read as one line winding in."""
    figure = Figure(width, height)
    count = len(steps)
    track = [(-135.0 + 90 * k, 1.0 if k < 4 else 0.5) for k in range(count - 1)] + [(-135.0 + 90 * (count - 1), 0.0)]
    gap = min(width, height) * 0.1  # room for the arrows between the steps
    wide = width > 1.5 * height
    node_w = min(width * (0.34 if wide else 0.44), height * 0.8)
    node_h = min(max(height * 0.2, 0.5 * EMU_PER_IN), height * (0.24 if wide else 0.2))
    while True:
        rx, ry = (width - node_w) / 2, (height - node_h) / 2

        def spot(angle: float, radius: float) -> tuple[float, float]:
            a = math.radians(angle)
            return width / 2 + rx * radius * _square(math.cos(a)), height / 2 + ry * radius * _square(math.sin(a))

        centres = [spot(a, r) for a, r in track]
        boxes = [(x, y, node_w, node_h) for x, y in centres]
        if not any_overlap(boxes, gap) or node_w < width * 0.1:
            break
        node_w, node_h = node_w * 0.95, node_h * 0.99
    for number, ((a0, r0), (a1, r1)) in enumerate(zip(track, track[1:]), start=1):
        arc = [spot(a0 + (a1 - a0) * i / 240, r0 + (r1 - r0) * i / 240) for i in range(241)]  # dense: the square bends fast
        points = [p for p in arc if outside(p, boxes, gap * 0.3)]
        if len(points) >= 2:
            figure.add(Path(points, line=ACCENT, line_pt=2.5, arrow=True, name=f"Pil {number}"))
    for index, (step, (x, y)) in enumerate(zip(steps, centres)):
        last = index == count - 1  # pale tints darkening to 0.5, then the solid accent (see text_on)
        shade = 0.9 - 0.4 * index / max(count - 2, 1)
        _node(figure, index, step, x, y, node_w, node_h, ACCENT if last else tint(shade))
    return figure


def _square(value: float) -> float:
    """Push points on the ellipse out towards the box's corners (a rounded square)."""
    return math.copysign(abs(value) ** 0.5, value)


def _bezier(p0, p1, p2, p3, t: float) -> tuple[float, float]:
    u = 1 - t
    return tuple(u ** 3 * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t ** 3 * p3[k] for k in (0, 1))
