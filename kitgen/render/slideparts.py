"""Slides from a template's layouts, through python-pptx's public API.

:func:`add_slide` makes a slide with ``prs.slides.add_slide(layout)``, pins boxes for
templates whose placeholders share an idx (:func:`pin_geometry`), finds the title and body
placeholders by type and puts the title first in the shape tree. :func:`layout_plan` holds
what depends on the layout alone: whether the layout or its master draws a slide number in
a shape of its own, and the layout's slide-number placeholder to copy.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import InvalidXmlError
from pptx.oxml.ns import qn

from kitgen.ooxml.placeholders import BODY_TYPES, TITLE_TYPES, find_placeholder
from kitgen.ooxml.geometry import shape_box

_A_FLD = qn("a:fld")
_CNV_PR = qn("p:cNvPr")


@dataclass(frozen=True)
class LayoutPlan:
    """What every slide of one layout needs to know about it."""

    draws_number: bool       # the layout (or the master it shows) draws a slide number in a shape of its own
    number: object | None    # the layout's sldNum placeholder as a slide placeholder: no text, no box of its own


def layout_plan(layout) -> LayoutPlan:
    """The plan of ``layout`` (a python-pptx ``SlideLayout``)."""
    draws = template_draws_number(layout)
    number = None
    if not draws:
        source = next((ph for ph in layout.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER), None)
        if source is not None:
            number = copy.deepcopy(source._element)
            tx_body = number.find(qn("p:txBody"))
            if tx_body is not None:
                number.remove(tx_body)
            sp_pr = number.find(qn("p:spPr"))
            for child in list(sp_pr if sp_pr is not None else []):
                sp_pr.remove(child)  # position and look come from the layout
    return LayoutPlan(draws, number)


def add_slide(prs, layout):
    """``prs.slides.add_slide(layout)`` with boxes pinned and the title first: returns (slide, title, body)."""
    slide = prs.slides.add_slide(layout)
    pin_geometry(slide, layout)
    title = find_placeholder(slide.placeholders, TITLE_TYPES)
    body = find_placeholder(slide.placeholders, BODY_TYPES)
    if title is not None:  # screen readers and the outline read shapes in spTree order: the title goes first
        tree = title._element.getparent()
        tree.remove(title._element)  # (after p:nvGrpSpPr and p:grpSpPr, the two children every spTree starts with)
        tree.insert(2, title._element)
    return slide, title, body


def pin_geometry(slide, layout) -> None:
    """Give each placeholder the box of the layout placeholder of its own type, written on the slide.

    A slide placeholder without ``a:xfrm`` inherits its box from the layout placeholder with
    the same ``idx``. Templates converted by LibreOffice give every layout placeholder idx 0
    (no ``idx`` attribute), so python-pptx — and PowerPoint — would put the body where the
    title is; LibreOffice matches by type. Writing the type-matched box on the slide makes all
    three draw (and kitgen measure) the same box. Only layouts whose placeholders share an idx
    need it.
    """
    placeholders = list(layout.placeholders)
    if len({shape.placeholder_format.idx for shape in placeholders}) == len(placeholders):
        return
    by_type = {}
    for shape in placeholders:
        by_type.setdefault(shape.placeholder_format.type, shape)
    for shape in slide.placeholders:
        if shape._element.spPr.find(qn("a:xfrm")) is not None:
            continue
        target = shape_box(by_type.get(shape.placeholder_format.type))  # the layout placeholder's own box
        if target is None:
            continue
        if _inherited(shape) != tuple(target):
            shape.left, shape.top, shape.width, shape.height = target


def _inherited(shape):
    """The box python-pptx gives a slide placeholder without ``a:xfrm`` (its layout's by idx), or None."""
    try:
        return shape.left, shape.top, shape.width, shape.height
    except (AttributeError, KeyError, ValueError, InvalidXmlError):
        return None


def template_draws_number(layout) -> bool:
    """Does the layout (or its master, when the layout shows the master's shapes) carry a
    slide-number field in a shape of its own, not a placeholder? Such a shape is drawn on
    every slide (LibreOffice's templates do this): a second number would sit on top of it."""
    def has_field(owner) -> bool:
        for shape in owner.shapes:
            if shape.is_placeholder:
                continue
            if any(field.get("type") == "slidenum" for field in shape._element.iter(_A_FLD)):  # .//a:fld[@type="slidenum"]
                return True
        return False

    if has_field(layout):
        return True
    return layout._element.get("showMasterSp") != "0" and has_field(layout.slide_master)


def next_shape_id(slide) -> int:
    """One more than the largest ``p:cNvPr/@id`` on the slide (what ``//p:cNvPr/@id`` finds), or 2."""
    ids = [int(value) for value in (e.get("id") for e in slide._element.iter(_CNV_PR)) if value is not None]
    return max(ids or [1]) + 1
