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
from kitgen.plan.measure import CARD_INSET_PT, INSET_Y_PT, Box, text_height_pt
from kitgen.render.diagrams import palette_behind
from kitgen.render.diagrams.pptx import THEME_SLOTS

OPTICAL = 0.4  # a card or a quote stands this share of the free room below the top of the room under the title
CARD_TINT = 0.85  # the panel's brightness: a pale tint of the strong colour (a deep shade on a dark slide)
CARD_SPARE = 1.15  # room for what measuring leaves out: a template's list spacing, a wider substitute font
LABEL_SPACE = 0.9  # the space kitgen.render.deck_body sets around a label line (meta), as a share of the size
CARD_GAP = 0.6  # room for the space kitgen.render.deck_body puts between two questions, as a share of the size


def question_card(slide, body, spec: SlideSpec, plan: KitPlan) -> None:
    """A pale panel as high as its text (measured with room to spare: r6a MB 23's ended above its last help question) at
    the optical centre of the body box (:data:`OPTICAL`; r6a: no tall card with one line at its top), and the text inset
    :data:`CARD_INSET_PT` inside it (kitgen.plan.fit measured the questions so)."""
    settings = plan.branding.fit or FitSettings()
    size = spec.body_size_pt or settings.body_size_pt
    inner = Box(body.width / 12700 - 2 * CARD_INSET_PT, body.height / 12700 - 2 * CARD_INSET_PT)
    asked = sum(1 for p in spec.body if p.style == "question")
    labels = sum(1 for p in spec.body if p.style in ("meta", "attribution"))
    helps = [p for p in spec.body if p.style == "help"]  # set at the dense size (kitgen.render.deck_body)
    need = text_height_pt([p for p in spec.body if p.style != "help"], inner, plan.branding.body_font, size, settings) \
        + text_height_pt(helps, inner, plan.branding.body_font, min(size, settings.dense_size_pt), settings) \
        + max(asked - 1, 0) * size * CARD_GAP + labels * size * LABEL_SPACE
    height = min(int(Pt(need * CARD_SPARE + 2 * CARD_INSET_PT)), int(body.height))  # the card hugs its text
    offset = int((body.height - height) * OPTICAL)  # at the optical centre of the room under the title
    palette = palette_behind(slide.shapes, (body.left, body.top + offset, body.width, height))
    fill = palette.map(Colour("accent1", CARD_TINT))
    panel = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, body.left, body.top + offset, body.width, height)
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
        body_pr.set(side, str(int(Pt(CARD_INSET_PT)) + (offset if side == "tIns" else 0)))
    body_pr.set("anchor", "t")


def optical_top(body, spec: SlideSpec, plan: KitPlan) -> None:
    """A quote, a definition or a statement set from the top of its box at the optical centre of the room its text
    leaves (:data:`OPTICAL`), as a question's card is: no quote in the top third over an empty lower half (r6a KK 7/24)."""
    settings = plan.branding.fit or FitSettings()
    size = spec.body_size_pt or settings.body_size_pt
    box = Box(body.width / 12700, body.height / 12700)
    need = text_height_pt(spec.body, box, plan.branding.body_font, size, settings) * CARD_SPARE + INSET_Y_PT
    free = max(body.height - int(Pt(need)), 0)
    body_pr = body.text_frame._txBody.find(qn("a:bodyPr"))
    body_pr.set("anchor", "t")
    body_pr.set("tIns", str(int(Pt(INSET_Y_PT / 2)) + int(free * OPTICAL)))
