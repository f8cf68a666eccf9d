"""Diagrams drawn from data, for any kind in the registry (:mod:`kitgen.content.diagrams`).

``draw`` puts a diagram on a slide as editable PowerPoint shapes (one group, the theme's colours
chosen against the slide's background, fitted text, alt text); ``png`` paints the same kind's print
geometry as a 300 dpi picture in the organisation's colours for the worksheets. Neither names a
kind: each kind's module gives its geometry, aspect and description.
"""

from __future__ import annotations

from kitgen.core import cache
from kitgen.content.diagrams import aspect, describe, layout
from kitgen.content.diagrams.figure import EMU_PER_IN, Figure, Medium, deck_for, printed
from kitgen.content.diagrams.figure import too_small as below_floor
from kitgen.content.diagrams.text import say
from kitgen.plan.measure import text_width_pt
from kitgen.content.fonts import font_file
from kitgen.render.diagrams import pptx, raster
from kitgen.render.diagrams.palette import Palette, default
from kitgen.templates.background import background_colour, theme_colours

__all__ = ["aspect", "describe", "draw", "figure", "medium_for", "png", "print_width_cm", "too_small"]


def family_measure(family: str):
    """Widths from the font fontconfig picks for ``family`` (what LibreOffice renders with)."""
    return lambda text, size, bold: text_width_pt(text, family, size, bold)


def medium_for(diagram, fit=None) -> Medium:
    """The deck's medium for ``diagram`` (:func:`kitgen.content.diagrams.figure.deck_for`)."""
    return deck_for(diagram, fit)


def figure(diagram, width: float, height: float, *, language: str, measure, medium: Medium | None = None) -> Figure:
    """The diagram's geometry in a ``width`` × ``height`` EMU box, with every label's size chosen."""
    return layout(diagram, width, height, language=language, measure=measure, medium=medium or medium_for(diagram))


def title_of(diagram, language: str) -> str:
    return say(diagram.title, language) if diagram.title else diagram.kind.capitalize()


def palette_behind(shapes, box) -> Palette:
    """The palette for a figure in ``box`` on the slide ``shapes`` belongs to: its theme, against the
    colour behind the box."""
    try:
        layout = shapes.part.slide_layout
    except AttributeError:
        return default()
    return Palette.choose(theme_colours(layout), background_colour(layout, box))


def draw(shapes, diagram, left, top, width, height, *, language: str, font: str, fit=None, palette: Palette | None = None):
    """Draw ``diagram`` into ``shapes`` (a slide's shape tree) inside the box; return the group shape.
    A group drawn before from the same diagram, box, language, font files and colours is reused as it is."""
    medium = medium_for(diagram, fit)
    palette = palette or palette_behind(shapes, (int(left), int(top), int(width), int(height)))

    def made():
        result = figure(diagram, width, height, language=language, measure=family_measure(font), medium=medium)
        return result, title_of(diagram, language), describe(diagram, language)

    try:
        inputs = [cache.canonical(diagram), int(width), int(height), medium.floor_pt, palette.key(),
                  cache.file_digest(font_file(font)), cache.file_digest(font_file(font, True))]
    except TypeError:
        inputs = None
    return pptx.write_from(shapes, inputs, made, int(left), int(top), language=language, font=font, palette=palette)


def too_small(diagram, width, height, *, language: str, font: str, fit=None) -> list[str]:
    """Labels that would be drawn below the deck's figure floor in this box: for a validation warning
    ("shorten the label, mark the figure dense, or give it more room"); empty when all is readable."""
    medium = medium_for(diagram, fit)
    result = figure(diagram, width, height, language=language, measure=family_measure(font), medium=medium)
    return below_floor(result, medium)


def png(diagram, width_px: int, height_px: int, *, language: str, font_file: str | None,
        width_cm: float = 16.0, colours: dict | None = None) -> bytes:
    """The diagram as a print picture at 300 dpi, deterministic bytes.

    ``width_cm`` is how wide the picture will be printed: lettering is sized for that width (about
    10 pt on paper). The picture has ``width_px`` × ``height_px``'s proportions at 300 dpi of that
    width; place it by its size in cm, not by its pixels. ``colours`` are the organisation's
    (``{"primary": "RRGGBB", "accent": "RRGGBB"}``); without them a neutral slate.
    """
    colours = dict(colours or {})

    def make() -> bytes:
        return raster.render(diagram, int(width_px), int(height_px), language=language, font_file=font_file,
                             width_cm=width_cm, colours=colours)

    try:  # the same picture for every kit that shows this diagram in these font files and colours (kitgen.core.cache)
        key = cache.key("diagram", "png", cache.canonical(diagram), int(width_px), int(height_px), language, width_cm,
                        sorted(colours.items()), raster.DPI,
                        cache.file_digest(raster.font_path(font_file, False)),
                        cache.file_digest(raster.font_path(font_file, True)))
    except TypeError:
        return make()
    return cache.get_bytes("diagram", key, make, cache.is_png)


def print_width_cm(diagram, *, language: str, font_file: str | None, widest_cm: float = 17.0) -> float:
    """The narrowest printed width (whole cm, up to ``widest_cm``) at which every label of the figure
    reaches print size (:data:`kitgen.content.diagrams.figure.PRINT_FLOOR_PT`): a worksheet prints the
    figure at least this wide."""
    measure = raster.file_measure(font_file)
    medium = printed(dense=bool(getattr(diagram, "dense", False)))
    ratio = aspect(diagram)
    for width_cm in range(6, int(widest_cm) + 1):
        width = width_cm / 2.54 * EMU_PER_IN * (1 - 2 * raster.MARGIN)
        if not below_floor(layout(diagram, width, width * ratio, language=language, measure=measure, medium=medium), medium):
            return float(width_cm)
    return float(widest_cm)
