"""``triangle``: a real triangle (trivselstrekanten) with a label box on each corner —
the first at the apex, the second at the lower right, the third at the lower left,
clockwise as a reader goes round it — and an optional centre text inside the triangle."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import ACCENT, EMU_PER_IN, Figure, Label, Medium, Shape, text_on, tint
from kitgen.content.diagrams.text import one_line, pick, say, titled
from kitgen.core.textfield import Text


class TriangleDiagram(DiagramBase):
    """Three corners and an optional centre, e.g. trivselstrekanten."""

    kind: Literal["triangle"]
    corners: list[Text] = Field(min_length=3, max_length=3, description="apex, lower right, lower left")
    center: Text | None = Field(default=None, description="optional text inside the triangle")


Model = TriangleDiagram  # the kind's content format, as the registry reads it
LABELS = ("corners", "center")
ASPECT = 0.7


def describe(diagram: TriangleDiagram, language: str) -> str:
    top, right, left = (one_line(say(c, language)) for c in diagram.corners)
    centre = one_line(say(diagram.center, language))
    body = pick(language, f"en trekant med {top} øverst, {right} nederst til højre og {left} nederst til venstre",
                f"a triangle with {top} at the top, {right} lower right and {left} lower left")
    if centre:
        body += pick(language, f"; i midten: {centre}", f"; in the middle: {centre}")
    return titled(diagram, language, body)


def draw(diagram: TriangleDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    figure = Figure(width, height)
    corners = [say(c, language) for c in diagram.corners]
    centre = say(diagram.center, language)
    box_w, box_h = min(width * 0.36, height * 0.8), min(max(height * 0.19, 0.55 * EMU_PER_IN), height * 0.28)
    gap = height * 0.03
    tri_h = height - 2 * box_h - 2 * gap + box_h * 0.5  # the corner boxes overlap the corners by half their height
    tri_w = min(width - box_w, tri_h * 1.7)
    tri_x, tri_y = (width - tri_w) / 2, box_h + gap - box_h * 0.25
    figure.add(Shape("triangle", tri_x, tri_y, tri_w, tri_h, fill=tint(0.8), line=ACCENT, line_pt=2.0, name="Trekant"))
    if centre:
        inner_w, inner_h = tri_w * 0.46, tri_h * 0.26
        figure.add(Shape("rect", tri_x + (tri_w - inner_w) / 2, tri_y + tri_h * 0.58, inner_w, inner_h,
                         text=Label(centre, role="centre", bold=True, colour=text_on(tint(0.8)), on=tint(0.8)), name="Midte"))
    spots = [(width / 2, tri_y), (tri_x + tri_w, tri_y + tri_h), (tri_x, tri_y + tri_h)]
    for index, (corner, (cx, cy)) in enumerate(zip(corners, spots), start=1):
        y = cy - box_h * 0.75 if index == 1 else cy - box_h * 0.25
        x = min(max(cx - box_w / 2, 0.0), width - box_w)
        figure.add(Shape("roundrect", x, y, box_w, box_h, fill=ACCENT, line=None,
                         text=Label(corner, bold=True, colour=text_on(ACCENT)), name=f"Hjørne {index}: {corner}"))
    figure.reading_order = corners + ([centre] if centre else [])
    return figure
