"""``curve``: a load curve over time (Belastningskurven) as a freeform line on two axes.

The time axis is split into the phases, equally wide, with dashed dividers and the
phase names under the axis; optional zones (underbelastning … overbelastning) are
pale horizontal bands named in a column on the right. The curve is a smooth polyline
through the content's points (or a default rise, peak and recovery) — a freeform, not
a chart: a native chart embeds a workbook whose timestamps would break reproducibility."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import (ACCENT, EMU_PER_IN, INSET, TEXT, Figure, Label, Medium, Path, Shape, catmull_rom, tint)
from kitgen.content.diagrams.text import one_line, pick, say, titled
from kitgen.core.textfield import Text


class CurveDiagram(DiagramBase):
    """A curve over time with phases along it, e.g. Belastningskurven."""

    kind: Literal["curve"]
    phases: list[Text] = Field(min_length=2, max_length=8, description="equal stretches of the time axis, named under it")
    x_label: Text | None = Field(default=None, description="the time axis, e.g. 'De seneste 6 måneder'")
    y_label: Text | None = Field(default=None, description="the load axis, e.g. 'Belastning'")
    points: list[tuple[float, float]] | None = Field(
        default=None, description="the curve's shape as (x, y) pairs in 0..1; default: a rising-then-falling load curve")
    zones: list[Text] = Field(default_factory=list, max_length=5, description=(
        "optional horizontal bands, bottom to top, e.g. underbelastning, optimal belastning, overbelastning"))


Model = CurveDiagram  # the kind's content format, as the registry reads it
LABELS = ("y_label", "x_label", "phases", "zones")
EXPLAINS = "grid"  # on a worksheet: stands above the grid that repeats its rows or axes, to write in
ASPECT = 0.5


def describe(diagram: CurveDiagram, language: str) -> str:
    phases = ", ".join(one_line(say(p, language)) for p in diagram.phases)
    y, x = one_line(say(diagram.y_label, language)), one_line(say(diagram.x_label, language))
    body = pick(language, "en kurve", "a curve")
    if y:
        body += pick(language, f" over {y}", f" of {y}")
    if x:
        body += pick(language, f" hen over {x}", f" over {x}")
    body += pick(language, f", delt i faserne {phases}", f", in the phases {phases}")
    if diagram.zones:
        zones = ", ".join(one_line(say(z, language)) for z in diagram.zones)
        body += pick(language, f"; zoner nedefra: {zones}", f"; zones from the bottom: {zones}")
    return titled(diagram, language, body)

DEFAULT_POINTS = [(0.0, 0.32), (0.12, 0.38), (0.28, 0.55), (0.42, 0.82), (0.55, 0.9), (0.66, 0.72),
                  (0.78, 0.42), (0.9, 0.3), (1.0, 0.36)]


def draw(diagram: CurveDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    figure = Figure(width, height)
    phases = [say(p, language) for p in diagram.phases]
    zones = [say(z, language) for z in diagram.zones]
    x_label, y_label = say(diagram.x_label, language), say(diagram.y_label, language)
    left = min(max(width * 0.07, 0.35 * EMU_PER_IN), width * 0.12) if y_label else width * 0.02
    zone_column = min(max(width * 0.21, 1.3 * EMU_PER_IN), width * 0.3) if zones else width * 0.03
    right = width - zone_column
    x_row = min(max(height * 0.09, 0.3 * EMU_PER_IN), height * 0.15) if x_label else 0.0
    phase_row = min(max(height * 0.13, 0.4 * EMU_PER_IN), height * 0.22)
    top, bottom = height * 0.03, height - x_row - phase_row
    plot_w, plot_h = right - left, bottom - top

    for index, zone in enumerate(zones):  # pale bands first, so everything else lies on them
        band = plot_h / len(zones)
        y = bottom - band * (index + 1)
        figure.add(Shape("rect", left, y, plot_w, band, fill=tint(0.9 - 0.12 * index), name=f"Zone {index + 1}"))
        figure.add(Shape("rect", right + width * 0.01, y, width - right - width * 0.01, band,
                         text=Label(zone, role="zone", align="left", colour=TEXT), name=f"Zonenavn {index + 1}"))
    segment = plot_w / len(phases)
    for index in range(1, len(phases)):
        x = left + segment * index
        figure.add(Path([(x, top), (x, bottom)], line=tint(0.5), line_pt=1.0, dashed=True, name=f"Skel {index}"))
    points = diagram.points or DEFAULT_POINTS
    scaled = [(left + plot_w * min(max(px, 0.0), 1.0), bottom - plot_h * 0.92 * min(max(py, 0.0), 1.0))
              for px, py in sorted(points)]
    smooth = [(x, min(max(y, top), bottom)) for x, y in catmull_rom(scaled)]  # no overshoot past the axes
    figure.add(Path(smooth, line=ACCENT, line_pt=3.5, name="Kurve"))
    figure.add(Path([(left, bottom), (left, top)], line=TEXT, line_pt=1.5, arrow=True, name="Y-akse"))
    figure.add(Path([(left, bottom), (right, bottom)], line=TEXT, line_pt=1.5, arrow=True, name="X-akse"))
    for index, phase in enumerate(phases):
        figure.add(Shape("rect", left + segment * index, bottom, segment, phase_row,
                         text=Label(phase, role="phase", anchor="top", colour=TEXT, insets=(INSET, INSET / 2, INSET, INSET / 2)), name=f"Fase {index + 1}"))
    if x_label:
        figure.add(Shape("rect", left, bottom + phase_row, plot_w, x_row,
                         text=Label(x_label, role="axis", align="right", anchor="top", colour=TEXT,
                                    insets=(INSET, INSET / 2, INSET, INSET / 2)), name="X-aksens navn"))
    if y_label:  # turned 270° so it reads upwards along the axis; its frame is the axis' length
        figure.add(Shape("rect", left / 2 - plot_h / 2, top + plot_h / 2 - left / 2, plot_h, left, rotation=270,
                         text=Label(y_label, role="axis", colour=TEXT, insets=(INSET, 0, INSET, 0)), name="Y-aksens navn"))
    figure.reading_order = [t for t in (y_label, x_label, *phases, *zones) if t]
    return figure
