"""Slides from prepared layouts, through python-pptx's part API.

``prs.slides.add_slide(layout)`` makes every slide the generic way: it walks the layout's
placeholders (an XPath query per shape and per property) and clones them one by one; kitgen
then finds the title and body by type, pins boxes for templates whose placeholders share an
idx, and asks whether the layout or its master draws a slide number. All of that depends on
the layout alone. :func:`layout_plan` does it once per layout of a template file — with
python-pptx's own ``clone_layout_placeholders`` on a slide part that no presentation refers
to — and keeps the result per process, keyed by the template file's sha256 and the layout's
part name: the slide element as those steps leave it, where the title and body sit in its
shape tree, and the slide-number placeholder to copy.

:func:`add_slide` then relates a new :class:`~pptx.parts.slide.SlidePart` holding a deep copy
of that element exactly as ``add_slide`` relates one (the next ``slideN.xml`` name, the slide
to its layout, the presentation to the slide, a ``p:sldId``). Nothing prepared is ever handed
out: every slide gets its own copy, so no kit sees another kit's edits. The bytes written
are those of the generic path.

A plan is kept in this process only (keyed by the template's sha256 and the layout's part
name); ``KITGEN_NO_CACHE`` prepares it for every slide.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from dataclasses import dataclass


from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import InvalidXmlError
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.oxml.slide import CT_Slide
from pptx.parts.slide import SlidePart
from pptx.shapes.shapetree import _SlidePlaceholderFactory

from kitgen.core import cache
from kitgen.ooxml.placeholders import BODY_TYPES, TITLE_TYPES, find_placeholder
from kitgen.ooxml.geometry import shape_box

SLIDE_NAME = "/ppt/slides/slide%d.xml"
PLANS_KEPT = 256  # layouts kept per process (a few per template)
_A_FLD = qn("a:fld")


@dataclass(frozen=True)
class LayoutPlan:
    """What every slide of one layout starts from."""

    element: object          # p:sld after add_slide's cloning, pinned boxes and the title first; copied, never used
    title: int | None        # the title placeholder's position in the shape tree
    body: int | None         # the body placeholder's position (after the title moved)
    title_class: type | None  # the proxy class python-pptx gives each (by placeholder type)
    body_class: type | None
    draws_number: bool       # the layout (or the master it shows) draws a slide number in a shape of its own
    number: object | None    # the layout's sldNum placeholder as a slide placeholder: no text, no box of its own


_PLANS: OrderedDict[tuple[str, str], LayoutPlan] = OrderedDict()


def layout_plan(digest: str | None, layout) -> LayoutPlan:
    """The plan of ``layout`` (a python-pptx ``SlideLayout``) of the template whose sha256 is ``digest``."""
    if digest is None or not cache.enabled():
        return _prepare(layout)
    key = (digest, str(layout.part.partname))
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _prepare(layout)
        while len(_PLANS) > PLANS_KEPT:
            _PLANS.popitem(last=False)
    else:
        _PLANS.move_to_end(key)
    return plan


def add_slide(prs, layout, plan: LayoutPlan):
    """``prs.slides.add_slide(layout)`` from the prepared element: returns (slide, title, body)."""
    pres_part = prs.part
    id_list = pres_part._element.get_or_add_sldIdLst()
    part = SlidePart(PackURI(SLIDE_NAME % (len(id_list) + 1)), CT.PML_SLIDE, pres_part.package,
                     copy.deepcopy(plan.element))
    part.relate_to(layout.part, RT.SLIDE_LAYOUT)
    id_list.add_sldId(pres_part.relate_to(part, RT.SLIDE))
    slide = part.slide
    tree = part._element.cSld.spTree
    title = plan.title_class(tree[plan.title], slide) if plan.title is not None else None
    body = plan.body_class(tree[plan.body], slide) if plan.body is not None else None
    return slide, title, body


def _prepare(layout) -> LayoutPlan:
    part = SlidePart(PackURI(SLIDE_NAME % 0), CT.PML_SLIDE, layout.part.package, CT_Slide.new())
    part.relate_to(layout.part, RT.SLIDE_LAYOUT)  # only this part knows the relationship: the package is untouched
    slide = part.slide
    slide.shapes.clone_layout_placeholders(layout)
    pin_geometry(slide, layout)
    title = find_placeholder(slide.placeholders, TITLE_TYPES)
    body = find_placeholder(slide.placeholders, BODY_TYPES)
    tree = slide.shapes._spTree
    if title is not None:  # screen readers and the outline read shapes in spTree order: the title goes first
        tree.remove(title._element)  # (after p:nvGrpSpPr and p:grpSpPr, the two children every spTree starts with)
        tree.insert(2, title._element)
    children = list(tree)
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
    return LayoutPlan(part._element,
                      children.index(title._element) if title is not None else None,
                      children.index(body._element) if body is not None else None,
                      type(_SlidePlaceholderFactory(title._element, slide)) if title is not None else None,
                      type(_SlidePlaceholderFactory(body._element, slide)) if body is not None else None,
                      draws, number)


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
    def has_field(owner) -> bool:  # the shapes of owner.shapes; a placeholder is python-pptx's has_ph_elm
        for element in owner._element.cSld.spTree.iter_shape_elms():
            if element.has_ph_elm:
                continue
            if any(field.get("type") == "slidenum" for field in element.iter(_A_FLD)):  # .//a:fld[@type="slidenum"]
                return True
        return False

    if has_field(layout):
        return True
    return layout._element.get("showMasterSp") != "0" and has_field(layout.slide_master)


def next_shape_id(slide) -> int:
    """One more than the largest ``p:cNvPr/@id`` on the slide (what ``//p:cNvPr/@id`` finds), or 2."""
    ids = [int(value) for value in (e.get("id") for e in slide._element.iter(_CNV_PR)) if value is not None]
    return max(ids or [1]) + 1


_CNV_PR = qn("p:cNvPr")
