"""triangle: placeholder drawing (labelled boxes) until its own geometry lands."""

from __future__ import annotations

from kitgen.render.diagrams.figure import Figure, Label, Shape, tint
from kitgen.render.diagrams.text import say


def draw(diagram, width: float, height: float, language: str) -> Figure:
    figure = Figure(width, height)
    texts = [say(v, language) for field in ("levels", "phases", "corners", "rows", "columns", "steps", "directions")
             for v in (getattr(diagram, field, None) or [])]
    step = width / len(texts)
    for i, text in enumerate(texts):
        figure.add(Shape("roundrect", i * step + step * 0.05, height * 0.3, step * 0.9, height * 0.4, fill=tint(0.6),
                         text=Label(text)))
    return figure
