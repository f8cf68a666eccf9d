"""``levels``: nested rounded rectangles, the first level innermost (IGLO: individ inside
gruppe inside ledelse inside organisation). Each outer level's label sits in its own top
band — its text area is that band, set by the bottom inset — and the innermost level
holds its label centred. The fill darkens inwards; the innermost is the solid accent."""

from __future__ import annotations

from kitgen.render.diagrams.figure import ACCENT, INSET, Figure, Label, Shape, text_on, tint
from kitgen.render.diagrams.text import say


def draw(diagram, width: float, height: float, language: str) -> Figure:
    figure = Figure(width, height)
    names = [say(level, language) for level in diagram.levels]
    notes = [say(note, language) for note in diagram.notes][: len(names)]
    count = len(names)
    band = height / ((count - 1) * 1.2 + 1.6)  # outer bands, plus a taller innermost box
    gap = 0.2 * band  # between a level's bottom edge and the next one's
    side = min(width * 0.16 / max(count - 1, 1), band * 1.6)
    radius = min(band * 0.35, width * 0.03)
    shades = [0.85 - 0.35 * step / max(count - 2, 1) for step in range(count - 1)]  # outermost palest; ≥ 0.5
    for depth in range(count):  # outermost first, so inner levels lie on top
        index = count - 1 - depth
        x, y = side * depth, band * depth
        w, h = width - 2 * x, height - y - gap * depth
        innermost = index == 0
        fill = ACCENT if innermost else tint(shades[depth])
        bottom = INSET if innermost else h - band
        label = Label(names[index], bold=True, colour=text_on(fill), anchor="middle",
                      insets=(INSET, INSET if innermost else 0.0, INSET, bottom))
        note_x = side * (count - 1) + (width - 2 * side * (count - 1)) * 0.36  # one column for every note
        if notes and index < len(notes) and notes[index]:
            label.align = "left"
            label.insets = (INSET, label.insets[1], x + w - note_x, bottom)
        figure.add(Shape("roundrect", x, y, w, h, fill=fill, line=None, text=label, corner=radius,
                         name=f"Niveau {index + 1}: {names[index]}"))
        if notes and index < len(notes) and notes[index]:
            figure.add(Shape("rect", note_x, y, x + w - note_x - radius * 0.3, h if innermost else band,
                             text=Label(notes[index], role="note", align="left", colour=text_on(fill)),
                             name=f"Note {index + 1}"))
    figure.reading_order = [text for pair in zip(names, notes + [""] * count) for text in pair if text]
    return figure
