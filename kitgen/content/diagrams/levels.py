"""``levels``: nested rounded rectangles, the first level innermost (IGLO: individ inside
gruppe inside ledelse inside organisation). Each outer level's label sits in its own top
band — its text area is that band, set by the bottom inset — and the innermost level
holds its label centred. The fill darkens inwards; the innermost is the solid accent."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import ACCENT, INSET, Figure, Label, Medium, Shape, text_on, tint
from kitgen.content.diagrams.text import count, one_line, pick, say, titled
from kitgen.core.textfield import Text


class LevelsDiagram(DiagramBase):
    """Stacked levels, e.g. IGLO: individ, gruppe, ledelse, organisation (first = innermost/bottom)."""

    kind: Literal["levels"]
    levels: list[Text] = Field(min_length=2, max_length=8, description="innermost first, drawn as nested boxes")
    notes: list[Text] = Field(default_factory=list, description="optional one-line gloss per level")


Model = LevelsDiagram  # the kind's content format, as the registry reads it
LABELS = ("levels", "notes")
EXPLAINS = "grid"  # on a worksheet: stands above the grid that repeats its rows or axes, to write in
ASPECT = 0.55


def describe(diagram: LevelsDiagram, language: str) -> str:
    names = [one_line(say(level, language)) for level in diagram.levels]
    notes = [one_line(say(note, language)) for note in diagram.notes]
    shown = [f"{name} ({note})" if note else name for name, note in zip(names, notes + [""] * len(names))]
    return titled(diagram, language, pick(
        language, f"{count(len(names), language)} niveauer inden i hinanden, inderst {shown[0]}, så " + ", ".join(shown[1:]),
        f"{count(len(names), language)} levels nested inside each other, innermost {shown[0]}, then " + ", ".join(shown[1:])))


def draw(diagram: LevelsDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    figure = Figure(width, height)
    names = [say(level, language) for level in diagram.levels]
    notes = [say(note, language) for note in diagram.notes][: len(names)]
    count_ = len(names)
    band = height / ((count_ - 1) * 1.2 + 1.6)  # outer bands, plus a taller innermost box
    gap = 0.2 * band  # between a level's bottom edge and the next one's
    side = min(width * 0.16 / max(count_ - 1, 1), band * 1.6)
    radius = min(band * 0.35, width * 0.03)
    shades = [0.85 - 0.35 * step / max(count_ - 2, 1) for step in range(count_ - 1)]  # outermost palest; ≥ 0.5
    for depth in range(count_):  # outermost first, so inner levels lie on top
        index = count_ - 1 - depth
        x, y = side * depth, band * depth
        w, h = width - 2 * x, height - y - gap * depth
        innermost = index == 0
        fill = ACCENT if innermost else tint(shades[depth])
        bottom = INSET if innermost else h - band
        label = Label(names[index], bold=True, colour=text_on(fill), anchor="middle",
                      insets=(INSET, INSET if innermost else 0.0, INSET, bottom))
        note_x = side * (count_ - 1) + (width - 2 * side * (count_ - 1)) * 0.36  # one column for every note
        if notes and index < len(notes) and notes[index]:
            label.align = "left"
            label.insets = (INSET, label.insets[1], x + w - note_x, bottom)
        figure.add(Shape("roundrect", x, y, w, h, fill=fill, line=None, text=label, corner=radius,
                         name=f"Niveau {index + 1}: {names[index]}"))
        if notes and index < len(notes) and notes[index]:
            figure.add(Shape("rect", note_x, y, x + w - note_x - radius * 0.3, h if innermost else band,
                             text=Label(notes[index], role="note", align="left", colour=text_on(fill), on=fill),
                             name=f"Note {index + 1}"))
    figure.reading_order = [text for pair in zip(names, notes + [""] * count_) for text in pair if text]
    return figure
