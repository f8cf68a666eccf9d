"""``cycle``: steps round a closed loop with curved arrows between them, clockwise from
the top; or, with ``spiral: true`` (frustrationsspiralen), a downward spiral: the steps
descend from the top left to the bottom right, each curved arrow swings out to the left
like the turn of a coil, and the fill darkens to the solid accent of the last step."""

from __future__ import annotations

import math

from kitgen.render.diagrams.figure import ACCENT, EMU_PER_IN, Figure, Label, Path, Shape, any_overlap, outside, text_on, tint
from kitgen.render.diagrams.text import say


def draw(diagram, width: float, height: float, language: str) -> Figure:
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
    figure = Figure(width, height)
    count = len(steps)
    gap = height * 0.035
    node_h = (height - gap * (count - 1)) / count
    swing = min(width * 0.07, node_h * 1.2)  # how far each turn bulges out to the left
    node_w = min(max(width * 0.42, (width - swing) * 0.6), (width - swing) * 0.75)
    step_x = (width - swing - node_w) / max(count - 1, 1)
    centres = [(swing + node_w / 2 + step_x * k, node_h / 2 + (node_h + gap) * k) for k in range(count)]
    boxes = [(x, y, node_w, node_h) for x, y in centres]
    for number, ((x0, y0), (x1, y1)) in enumerate(zip(centres, centres[1:]), start=1):
        # a turn of the coil: out of the step's left edge, swinging out to the left, into the next's
        a, b = (x0 - node_w / 2, y0), (x1 - node_w / 2, y1)
        c0, c1 = (a[0] - swing, a[1]), (b[0] - swing, b[1])
        points = [_bezier(a, c0, c1, b, i / 60) for i in range(61)]
        points = [p for p in points if outside(p, boxes, gap * 0.15)]
        if len(points) >= 2:
            figure.add(Path(points, line=ACCENT, line_pt=2.5, arrow=True, name=f"Pil {number}"))
    for index, (step, (x, y)) in enumerate(zip(steps, centres)):
        last = index == count - 1  # pale tints darkening to 0.5, then the solid accent (see text_on)
        shade = 0.9 - 0.4 * index / max(count - 2, 1)
        _node(figure, index, step, x, y, node_w, node_h, ACCENT if last else tint(shade))
    return figure


def _bezier(p0, p1, p2, p3, t: float) -> tuple[float, float]:
    u = 1 - t
    return tuple(u ** 3 * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t ** 3 * p3[k] for k in (0, 1))
