"""A question slide's card: the question set at the deck's body size on a pale panel of the figures' strong colour,
so a slide that asks one thing is a designed slide, not one line under its title over an empty box (issue 21.2: a
question slide with format and minutes; 21.3: its text no larger than the body's, the title leads)."""

from __future__ import annotations

from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Pt

from kitgen.content.diagrams.figure import Colour
from kitgen.content.layouts import FitSettings
from kitgen.plan.kitplan import KitPlan, SlideSpec
from kitgen.plan.measure import CARD_INSET_PT, Box, text_height_pt
from kitgen.render.diagrams import palette_behind
from kitgen.render.diagrams.pptx import THEME_SLOTS

CARD_SHARE = 0.6  # the card is at least this share of the body box's height: every question slide alike
CARD_TINT = 0.85  # the panel's brightness: a pale tint of the strong colour (a deep shade on a dark slide)
CARD_GAP = 0.6  # room for the space kitgen.render.deck_body puts between two questions, as a share of the size


def question_card(slide, body, spec: SlideSpec, plan: KitPlan) -> None:
    """A pale panel behind the body box, from its top, as high as the text needs (at least :data:`CARD_SHARE` of the
    box), and the text inset :data:`CARD_INSET_PT` inside it (kitgen.plan.fit measured the questions so)."""
    settings = plan.branding.fit or FitSettings()
    size = spec.body_size_pt or settings.body_size_pt
    inner = Box(body.width / 12700 - 2 * CARD_INSET_PT, body.height / 12700 - 2 * CARD_INSET_PT)
    asked = sum(1 for p in spec.body if p.style == "question")
    need = text_height_pt(spec.body, inner, plan.branding.body_font, size, settings) + max(asked - 1, 0) * size * CARD_GAP
    height = min(int(body.height), max(int(Pt(need + 2 * CARD_INSET_PT)), int(body.height * CARD_SHARE)))
    palette = palette_behind(slide.shapes, (body.left, body.top, body.width, height))
    fill = palette.map(Colour("accent1", CARD_TINT))
    panel = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, body.left, body.top, body.width, height)
    panel.name = "Question card"
    panel.adjustments[0] = min(Pt(12) / max(min(body.width, height), 1), 0.5)
    panel.fill.solid()
    panel.fill.fore_color.theme_color = THEME_SLOTS.get(fill.slot, THEME_SLOTS["accent1"])
    if fill.brightness:
        panel.fill.fore_color.brightness = fill.brightness
    panel.line.fill.background()
    style = panel._element.find(qn("p:style"))  # no theme shadow or light text from python-pptx's default style
    if style is not None:
        panel._element.remove(style)
    body._element.addprevious(panel._element)  # behind the question
    body_pr = body.text_frame._txBody.find(qn("a:bodyPr"))
    for side in ("lIns", "tIns", "rIns", "bIns"):
        body_pr.set(side, str(int(Pt(CARD_INSET_PT))))
    body_pr.set("anchor", "t")
