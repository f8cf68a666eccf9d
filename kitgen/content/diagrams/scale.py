"""``scale``: a numbered scale such as the trivselsbarometer's 1–10, drawn as a row of cells
that deepen from a pale tint at the low end to the solid accent at the high end, an arrow
under them pointing up the scale, and the ends' names (when the content gives them) under
the first and last cells."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from pydantic import Field, model_validator

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import ACCENT, INSET, TEXT, Figure, Label, Medium, Path, Shape, text_on, tint
from kitgen.content.diagrams.text import one_line, pick, say, titled
from kitgen.core.textfield import Text


class ScaleDiagram(DiagramBase):
    """A scale from ``low`` to ``high`` (1–10 by default), e.g. the trivselsbarometer."""

    kind: Literal["scale"]
    low: int = Field(default=1, ge=0, le=20)
    high: int = Field(default=10, ge=1, le=20)
    low_label: Text | None = Field(default=None, description="what the low end means, under it")
    high_label: Text | None = Field(default=None, description="what the high end means, under it")
    label: Text | None = Field(default=None, description="what the scale measures, along its arrow")

    @model_validator(mode="after")
    def _rising(self):
        if self.high <= self.low:
            raise ValueError(f"high ({self.high}) must be greater than low ({self.low})")
        return self


Model = ScaleDiagram  # the kind's content format, as the registry reads it
LABELS = ("label", "low_label", "high_label")
EXPLAINS = "scale"  # on a worksheet: stands above the scale participants tick
ASPECT = 0.3


def describe(diagram: ScaleDiagram, language: str) -> str:
    low, high = one_line(say(diagram.low_label, language)), one_line(say(diagram.high_label, language))
    what = one_line(say(diagram.label, language))
    body = pick(language, f"en skala fra {diagram.low} til {diagram.high}", f"a scale from {diagram.low} to {diagram.high}")
    if what:
        body += f" ({what})"
    if low or high:
        body += pick(language, f"; {diagram.low} = {low or '–'}, {diagram.high} = {high or '–'}",
                     f"; {diagram.low} = {low or '–'}, {diagram.high} = {high or '–'}")
    return titled(diagram, language, body)


MUTE = 0.45  # how much of its saturation the ramp's middle step gives up (none at the ends)


def draw(diagram: ScaleDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    figure = Figure(width, height)
    numbers = list(range(diagram.low, diagram.high + 1))
    count_ = len(numbers)
    gap = width * 0.006
    low, high, what = (say(v, language) for v in (diagram.low_label, diagram.high_label, diagram.label))
    ends = bool(low or high)
    cell_w = (width - gap * (count_ - 1)) / count_
    cell_h = min(cell_w * 1.5, height * (0.55 if ends or what else 1.0))  # tall enough to fill its box (BFA 24)
    arrow_h = min(cell_h * 0.5, height * 0.15) if ends or what else 0.0
    label_h = min(height - cell_h - arrow_h, cell_h * 1.1) if ends or what else 0.0
    top = (height - cell_h - arrow_h - label_h) / 2  # the scale in the middle of its box
    for index, number in enumerate(numbers):
        share = index / max(count_ - 1, 1)  # pale at the low end, the solid accent at the high end, its middle steps muted
        fill = replace(tint(0.85 - 0.85 * share), saturation=round(1 - MUTE * 4 * share * (1 - share), 2))  # as the ends are
        figure.add(Shape("roundrect", index * (cell_w + gap), top, cell_w, cell_h, fill=fill, line=None,
                         text=Label(str(number), role="tick", bold=True, colour=text_on(fill)), name=f"Trin {number}"))
    order = [str(n) for n in numbers]
    if ends or what:
        y = top + cell_h + arrow_h / 2
        figure.add(Path([(cell_w * 0.3, y), (width - cell_w * 0.3, y)], line=ACCENT, line_pt=3.0, arrow=True, name="Pil"))
        below = top + cell_h + arrow_h
        side_w = width * (0.32 if what else 0.48)
        if low:
            figure.add(Shape("rect", 0, below, side_w, label_h, text=Label(low, align="left", anchor="top", colour=TEXT,
                                                                           insets=(INSET, INSET, INSET, INSET)), name="Lav ende"))
        if what:
            figure.add(Shape("rect", side_w, below, width - 2 * side_w, label_h,
                             text=Label(what, role="axis", bold=True, anchor="top", colour=TEXT), name="Skalaens navn"))
        if high:
            figure.add(Shape("rect", width - side_w, below, side_w, label_h,
                             text=Label(high, align="right", anchor="top", colour=TEXT, insets=(INSET, INSET, INSET, INSET)),
                             name="Høj ende"))
        order = [t for t in (what, low) if t] + order + ([high] if high else [])
    figure.reading_order = order
    return figure
