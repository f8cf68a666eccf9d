"""Native diagrams from data: one module per kind, one registry, two outputs.

``draw`` puts a diagram on a slide as editable PowerPoint shapes (one group, theme
colours, fitted text, alt text); ``png`` paints the same geometry as a crisp print
picture for worksheets. A kind is a module with ``draw(diagram, width, height, language)``
returning a :class:`~kitgen.render.diagrams.figure.Figure`; add a kind with one module
and one entry in ``KINDS`` (and one model in :mod:`kitgen.content.diagrams.schema`).
"""

from __future__ import annotations

import importlib

# the geometry module first: the function ``figure`` below then takes its name in this package
# (a submodule imported later would replace the function with itself)
from kitgen.render.diagrams.figure import MIN_PT, Figure, family_measure, fit_labels

KINDS = {  # kind -> its module here (imported when a figure of that kind is worked out)
    "levels": "levels",
    "curve": "curve",
    "triangle": "triangle",
    "matrix": "matrix",
    "cycle": "cycle",
    "directions": "directions",
}


def figure(diagram, width: float, height: float, *, language: str, measure) -> Figure:
    """The diagram's geometry in a ``width`` × ``height`` EMU box, with every label's size chosen."""
    kind = importlib.import_module(f"kitgen.render.diagrams.{KINDS[diagram.kind]}")
    result = kind.draw(diagram, float(width), float(height), language)
    fit_labels(result, measure)
    return result


ASPECT = {"levels": 0.55, "curve": 0.5, "triangle": 0.7, "matrix": 0.65, "cycle": 0.62, "directions": 0.62}


def aspect(diagram) -> float:
    """The height-to-width ratio a picture of this diagram reads best at (for worksheets)."""
    return ASPECT.get(diagram.kind, 0.6)


def title_of(diagram, language: str) -> str:
    return diagram.title.get(language) if diagram.title else diagram.kind.capitalize()


def alt_text(diagram, figure_: Figure, language: str) -> str:
    """The alt text a screen reader announces: the content's ``alt``, else title and labels in reading order."""
    if diagram.alt:
        return diagram.alt.get(language)
    labels = ", ".join(text.replace("\n", " ") for text in figure_.reading_order)
    return f"{title_of(diagram, language)}: {labels}" if labels else title_of(diagram, language)


def draw(shapes, diagram, left, top, width, height, *, language: str, font: str):
    """Draw ``diagram`` into ``shapes`` (a slide's shape tree) inside the box; return the group shape.
    A group drawn before from the same diagram, box, language and font files is reused as it is."""
    from kitgen.core import cache
    from kitgen.plan.fit import font_file
    from kitgen.render.diagrams import pptx

    def made():
        result = figure(diagram, width, height, language=language, measure=family_measure(font))
        return result, title_of(diagram, language), alt_text(diagram, result, language)

    try:
        inputs = [cache.canonical(diagram), int(width), int(height),
                  cache.file_digest(font_file(font)), cache.file_digest(font_file(font, True))]
    except TypeError:
        inputs = None
    return pptx.write_from(shapes, inputs, made, int(left), int(top), language=language, font=font)


def too_small(diagram, width, height, *, language: str, font: str) -> list[str]:
    """Labels that would be drawn below ``MIN_PT`` (10 pt) in this box: for a validation warning
    ("shorten the label or give the diagram a slide of its own"); empty when all is readable."""
    result = figure(diagram, width, height, language=language, measure=family_measure(font))
    return [label.text for _, label in result.labels() if label.size_pt < MIN_PT]


def png(diagram, width_px: int, height_px: int, *, language: str, font_file: str | None,
        width_cm: float = 16.0) -> bytes:
    """The diagram as a print picture (greys and one neutral accent on white), deterministic bytes.

    ``width_cm`` is how wide the picture will be printed: text is sized for that width (10–20
    pt on paper). A request narrower than 1600 px is scaled up in proportion, so the picture
    stays crisp at print resolution; place it by its size in cm, not by its pixels.
    """
    from kitgen.core import cache
    from kitgen.render.diagrams import raster

    def make() -> bytes:
        return raster.render(diagram, int(width_px), int(height_px), language=language, font_file=font_file,
                             width_cm=width_cm)

    try:  # the same picture for every kit that shows this diagram in these font files (kitgen.core.cache, "diagram")
        key = cache.key("diagram", "png", cache.canonical(diagram), int(width_px), int(height_px), language, width_cm,
                        cache.file_digest(raster._font_path(font_file, False)),
                        cache.file_digest(raster._font_path(font_file, True)))
    except TypeError:
        return make()
    return cache.get_bytes("diagram", key, make, cache.is_png)
