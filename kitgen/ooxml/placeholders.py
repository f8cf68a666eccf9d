"""Placeholders by type: which of a slide's or a layout's placeholders holds its title, which its body."""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)


def find_placeholder(placeholders, types):
    """The first placeholder whose type is one of ``types`` (a layout's or a slide's)."""
    for shape in placeholders:
        if shape.placeholder_format.type in types:
            return shape
    return None
