"""Diagrams as data: a tool or question group may carry ``diagram: {kind: …, …}``.

A diagram kind is one module and one entry in :data:`KINDS`. The module holds all of it:

- ``Model`` — the content format, a :class:`kitgen.content.diagrams.base.DiagramBase` with ``kind: Literal[…]``;
- ``LABELS`` — the model's label fields in reading order (the facilitator notes list them);
- ``ASPECT`` — the height-to-width ratio a print picture of the kind reads best at;
- ``draw(diagram, width, height, language, medium)`` — its geometry (a
  :class:`kitgen.content.diagrams.figure.Figure`) for the deck or for print (``medium``);
- ``describe(diagram, language)`` — the alternative text, made from the figure's data;
- ``EXPLAINS`` (optional) — what the figure explains on a worksheet: ``"grid"`` (the grid that repeats
  its rows or axes), ``"scale"`` (the scale participants tick) or ``"sheet"`` (the whole sheet; the default).

``kitgen.render.diagrams`` writes any kind's figure as PowerPoint shapes or a print picture;
nothing else names a kind. :func:`register` adds a kind from outside kitgen (a test's module).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kitgen.content.diagrams.figure import Figure, Medium, deck_for, fit_labels, too_small
from kitgen.content.diagrams.text import say

KINDS: dict[str, str | ModuleType] = {  # kind -> its module (or the module's import path)
    "levels": "kitgen.content.diagrams.levels",
    "curve": "kitgen.content.diagrams.curve",
    "triangle": "kitgen.content.diagrams.triangle",
    "matrix": "kitgen.content.diagrams.matrix",
    "cycle": "kitgen.content.diagrams.cycle",
    "directions": "kitgen.content.diagrams.directions",
    "process": "kitgen.content.diagrams.process",
    "scale": "kitgen.content.diagrams.scale",
}


def register(name: str, module: str | ModuleType) -> None:
    """Add (or replace) the kind ``name``: ``module`` is the kind's module or its import path."""
    KINDS[name] = module


def kind(name: str) -> ModuleType:
    """The module of the kind ``name`` (KeyError for a kind no entry names)."""
    module = KINDS[name]
    if isinstance(module, str):
        module = importlib.import_module(module)
    return module


def labels(diagram, render) -> list[str]:
    """The diagram's labels in reading order, each once, as ``render`` shows a text (empty ones left out)."""
    out: list[str] = []
    for name in kind(diagram.kind).LABELS:
        value = getattr(diagram, name, None)
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            for text in (item if isinstance(item, (list, tuple)) else [item]):
                shown = render(text) if text is not None else ""
                if shown and shown not in out:
                    out.append(shown)
    return out


def aspect(diagram) -> float:
    """The height-to-width ratio a picture of this diagram reads best at (for worksheets)."""
    module = kind(diagram.kind)
    if hasattr(module, "aspect"):
        return float(module.aspect(diagram))
    return float(getattr(module, "ASPECT", 0.6))


def explains(diagram) -> str:
    """What the figure explains on a worksheet: ``grid``, ``scale`` or ``sheet`` (its kind's ``EXPLAINS``)."""
    return str(getattr(kind(diagram.kind), "EXPLAINS", "sheet"))


def layout(diagram, width: float, height: float, *, language: str, measure, medium: Medium) -> Figure:
    """The diagram's geometry in a ``width`` × ``height`` EMU box for ``medium``, every label's size
    chosen with ``measure`` (text, size in pt, bold → width in pt)."""
    result = kind(diagram.kind).draw(diagram, float(width), float(height), language, medium)
    fit_labels(result, measure, medium)
    return result


def describe(diagram, language: str) -> str:
    """The alternative text a screen reader announces: the content's ``alt``, else the kind's
    description of the figure from its data."""
    if diagram.alt:
        return say(diagram.alt, language)
    module = kind(diagram.kind)
    if hasattr(module, "describe"):
        return module.describe(diagram, language)
    title = say(diagram.title, language)
    names = ", ".join(text.replace("\n", " ") for text in labels(diagram, lambda t: say(t, language)))
    return f"{title}: {names}" if title else names


def below_floor(diagram, width: float, height: float, *, language: str, measure, fit=None) -> list[tuple[str, float]]:
    """The labels (text, size) that would be drawn below the deck's figure floor in a ``width`` × ``height``
    EMU box (empty when every label is readable there)."""
    medium = deck_for(diagram, fit)
    figure = layout(diagram, width, height, language=language, measure=measure, medium=medium)
    small = set(too_small(figure, medium))
    return [(label.text, label.size_pt) for _, label in figure.labels() if label.text in small]
