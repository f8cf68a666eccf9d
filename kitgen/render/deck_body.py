"""A slide's body: its list (the template's bullets, tab stops, styles by paragraph), a drawn figure, a statement
slide's key figures and a quote's large quotation mark."""

from __future__ import annotations

import copy
import re

from lxml import etree
from pptx.oxml.ns import qn
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.util import Pt

from kitgen.content.diagrams.text import say
from kitgen.content.fonts import write_name
from kitgen.content.layouts import FitSettings
from kitgen.ooxml.wordml import A_PPR_ORDER, insert_in_order
from kitgen.plan.measure import INSET_Y_PT, QUOTE_INDENT_PT, QUOTE_MARK_MIN_WIDTH_PT, TAB_GAP_PT, Box, text_height_pt, text_width_pt
from kitgen.plan.kitplan import KitPlan, Paragraph, SlideSpec
from kitgen.plan.slides.kinds import trait
from kitgen.render.deck_ink import readable
from kitgen.render.diagrams import draw, palette_behind
from kitgen.render.diagrams.pptx import THEME_SLOTS
from kitgen.templates.background import background_colour, theme_colours


def _draw_diagram(slide, body, spec: SlideSpec, plan: KitPlan) -> None:
    """The diagram drawn as native shapes where the body box is, under its caption when the figure's title says more
    than the slide's ("Prototype 1 i tre trin · 2 × 45 minutter": the time a step takes, r5 KK 16); the box itself goes."""
    left, top, width, height = body.left, body.top, body.width, body.height
    body._element.getparent().remove(body._element)
    caption = figure_caption(spec, plan.language)
    if caption:
        size = (plan.branding.fit or FitSettings()).dense_size_pt
        room = Pt(size * 1.2 * 1.6 + INSET_Y_PT)
        line = slide.shapes.add_textbox(left, top, width, room)
        line.name = "Figure caption"
        line.text_frame.word_wrap = True
        line.text_frame.text = suspended(caption)
        run = line.text_frame.paragraphs[0].runs[0]
        run.font.size, run.font.bold = Pt(size), True
        run.font.name = write_name(plan.branding.body_font)
        run.font.color.theme_color = MSO_THEME_COLOR.TEXT_2
        top, height = top + room, height - room
    group = draw(slide.shapes, spec.diagram, left, top, width, height, language=plan.language, font=plan.branding.body_font,
                 fit=plan.branding.fit)
    if group is not None:
        group._element.nvGrpSpPr.cNvPr.set("descr", spec.alt)


def figure_caption(spec: SlideSpec, language: str) -> str:
    """The figure slide's meta line (the plan's: a merged tool's figure title), else the figure's own title where it is
    not the slide's (nor inside it): a process's "· 2 × 45 minutter"."""
    meta = next((p.text for p in spec.body if p.style == "meta"), "")
    if meta:
        return meta
    title = " ".join(say((spec.diagram and getattr(spec.diagram, "title", None)), language).split())
    shown = spec.title.casefold()
    if not title or title.casefold() in shown or shown in title.casefold():
        return ""
    return title


QUOTE_MARK = "\u201c"  # the large opening quotation mark a quote slide shows


LISTED = ("bullet", "help")  # styles set as a list with the template's bullet (a help question under its question)


_BULLET_TAGS = ("a:buClr", "a:buSzPct", "a:buSzPts", "a:buFont", "a:buChar", "a:buAutoNum", "a:buBlip", "a:spcAft", "a:spcBef")


def template_bullet(layout):
    """The list look a template draws in its master's body placeholder but does not put in its text styles (LibreOffice's
    converted templates: ``a:pPr`` of the placeholder's first paragraph carries the bullet, which slides do not inherit),
    as a ``a:pPr`` to copy onto list paragraphs; None when the text styles give the bullet themselves (or nothing does)."""
    master = layout.slide_master
    styles = master._element.find(qn("p:txStyles"))
    level = styles.find(f"{qn('p:bodyStyle')}/{qn('a:lvl1pPr')}") if styles is not None else None
    if level is not None and any(level.find(qn(tag)) is not None for tag in ("a:buChar", "a:buAutoNum", "a:buBlip")):
        return None
    for shape in master.placeholders:
        if shape.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) and shape.has_text_frame:
            first = shape.text_frame.paragraphs[0]._p.find(qn("a:pPr"))
            if first is not None and first.find(qn("a:buChar")) is not None:
                return first
            return None
    return None


def _template_list(paragraph, model) -> None:
    """The template's bullet, indent and spacing (:func:`template_bullet`) on one list paragraph."""
    p_pr = paragraph._p.get_or_add_pPr()
    for name in ("marL", "indent"):
        if model.get(name) is not None and p_pr.get(name) is None:
            p_pr.set(name, model.get(name))
    for tag in _BULLET_TAGS:
        source = model.find(qn(tag))
        if source is not None and p_pr.find(qn(tag)) is None:
            insert_in_order(p_pr, copy.deepcopy(source), A_PPR_ORDER)


def _fill_body(frame, spec: SlideSpec, plan: KitPlan, layout=None) -> None:
    tab = _tab_position(spec, plan)
    bullet = template_bullet(layout) if layout is not None else None
    asks = all(p.style in ("question", "meta") for p in spec.body)  # a recap of questions stands as they stood
    if trait(spec.kind, "centred", plan.kinds) or asks:  # a quote, a definition, a question: from the top of its box at
        frame._txBody.find(qn("a:bodyPr")).set("anchor", "t")  # the lists' inset, so every slide's first line is at one height
    size = spec.body_size_pt
    dense = (plan.branding.fit or FitSettings()).dense_size_pt
    marked = cited(spec, plan) and _has_mark_room(frame)
    for number, item in enumerate(spec.body):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        quoted = item.style == "quote"
        paragraph.text = suspended(unquoted(item.text) if quoted and marked else item.text)
        paragraph.level = min(item.level, 4)
        if item.style not in LISTED:
            _no_bullet(paragraph)
        elif bullet is not None and paragraph.level == 0:
            _template_list(paragraph, bullet)
        if tab is not None and "\t" in item.text:
            _tab_stop(paragraph, tab)
            p_pr = paragraph._p.get_or_add_pPr()  # a hanging indent: a wrapped title stays in its column
            p_pr.set("marL", str(int(tab)))
            p_pr.set("indent", str(-int(tab)))
        run = paragraph.runs[0] if paragraph.runs else None
        if run is None:
            continue
        if size:
            run.font.size = Pt(min(size, dense) if item.style == "help" else size)  # help questions: a lighter list under the question
        if (quoted or item.style == "attribution") and marked:  # right of the large quotation mark (kitgen.plan.fit measures it so)
            paragraph._p.get_or_add_pPr().set("marL", str(int(Pt(QUOTE_INDENT_PT))))
        if item.style == "step" and "\t" in run.text:  # the step's number in the title colour, bold
            number_text, rest = run.text.split("\t", 1)
            run.text = number_text + "\t"
            run.font.bold = True
            run.font.color.theme_color = MSO_THEME_COLOR.TEXT_2
            tail = paragraph.add_run()
            tail.text = rest
            if size:
                tail.font.size = Pt(size)
        if item.text.endswith(":") and number + 1 < len(spec.body):  # a lead-in ("Med hjem:") over its lines (r6a C43)
            run.font.bold = True
        if quoted:
            run.font.italic = True
        elif item.style in ("attribution", "meta"):
            if size:  # the deck's dense size: a label or an attribution adds no size to the type scale
                run.font.size = Pt(min(size, dense))
            if number:
                paragraph.space_before = Pt(size * 0.4 if size else 8)
            paragraph.space_after = Pt(size * 0.5 if size else 10)
            run.font.bold = item.style == "meta"
            run.font.color.theme_color = MSO_THEME_COLOR.TEXT_2  # the template's title colour: text contrast (an accent may be light)
    _spread(frame, spec, plan, asks)


AIR = 1.25        # a short list's points stand up to 1.25 × the size further apart, on the room its box has left
QUESTION_GAP = 0.6  # two questions stand up to 0.6 × the size apart
SPARE = 0.1       # of the box's height: room kept free for a viewer's wider substitute font


def cited(spec: SlideSpec, plan: KitPlan) -> bool:
    """Is the slide a quotation: a quote slide, or a definition given with its source (kitgen.plan.fit sets its words as
    a quote: AMK 12's Edmondson like AMK 6's quote, the large mark, italic words, the attribution in the title colour)?"""
    return trait(spec.kind, "role", plan.kinds) == "quote" or any(p.style == "quote" for p in spec.body)


def _spread(frame, spec: SlideSpec, plan: KitPlan, asks: bool) -> None:
    """A short slide uses its box: a list of a few points is spaced out (each first-level point up to
    :data:`AIR` × the size below the one before); questions stand up to :data:`QUESTION_GAP` × the size apart,
    from the top of the box at the lists' inset (every slide's first line at one height: AMK 15/16, KK 4/8/11)."""
    role, size, shape = trait(spec.kind, "role"), spec.body_size_pt, frame._parent
    if not size or not getattr(shape, "height", None) or not shape.width:
        return
    settings = plan.branding.fit or FitSettings()
    box = Box(shape.width / 12700, shape.height / 12700)
    free = box.height_pt * (1 - SPARE) - INSET_Y_PT - text_height_pt(spec.body, box, plan.branding.body_font, size, settings)
    if free <= 0:
        return
    if role == "question" or asks:  # the title leads, the questions follow it
        asked = [p for p, item in zip(frame.paragraphs, spec.body) if item.style == "question"][1:]
        between = min(size * QUESTION_GAP, free / max(len(asked), 1) / 2)  # room between two questions: half the free room
        for paragraph in asked:
            paragraph.space_before = Pt(round(settings.paragraph_space_pt * size / settings.body_size_pt + between, 1))
        return
    if role not in ("content", "exercise") or trait(spec.kind, "centred"):
        return
    gaps = [p for p, item in zip(frame.paragraphs, spec.body) if item.level == 0 and item.style not in ("meta", "attribution")][1:]
    if gaps:
        extra = min(size * AIR, free / len(gaps))
        for paragraph in gaps:  # the space fitting counted (a template's before and after), all of it before
            paragraph.space_before = Pt(round(settings.paragraph_space_pt * size / settings.body_size_pt + extra, 1))
        for paragraph in frame.paragraphs:
            paragraph.space_after = Pt(0)


FIGURE_SCALE = 2.5  # a key figure is 2.5 times the display size (80 pt on kitgen's scale): the one thing the slide says
FIGURE_GAP = 0.06  # the space between two figures' columns, as a share of the body's width


def _draw_figures(slide, body, spec: SlideSpec, plan: KitPlan) -> None:
    """A statement slide's key figures in a row across the body's box, each value large in the title colour with its
    label under it, and the source (a ``meta`` line) under the row; the body box itself goes."""
    settings = plan.branding.fit or FitSettings()
    left, top, width, height = body.left, body.top, body.width, body.height
    body._element.getparent().remove(body._element)
    shown = [p for p in spec.body if p.style == "figure"]
    source = next((p.text for p in spec.body if p.style == "meta"), "")
    gap = int(width * FIGURE_GAP)
    column = (width - gap * (len(shown) - 1)) // max(len(shown), 1)
    longest = max(len(p.text.partition("\t")[0]) for p in shown)
    room = column / 12700 - 2 * 7.2  # the column less the text box's insets, in points
    label_pt, family = settings.dense_size_pt, plan.branding.body_font
    label_h = max((text_height_pt([Paragraph(line, style="plain") for line in label_lines(p.text.partition("\t")[2])],
                                  Box(room, 1e4), family, label_pt, settings) * SPARE_LINES for p in shown if "\t" in p.text), default=0.0)
    source_h = text_height_pt([Paragraph(source, style="plain")], Box(width / 12700 - 14.4, 1e4), family, label_pt, settings) \
        * SPARE_LINES + INSET_Y_PT if source else 0.0  # measured: labels and source never run into each other (D11)
    tall = (height / 12700 * 0.88 - label_h - source_h) / 1.35  # the row, its labels and the source within the box's height
    value_pt = max(min(settings.display_size_pt * FIGURE_SCALE, room / max(longest * 0.68, 1), tall),  # "74 %" on one line
                   settings.body_size_pt)
    row_top = top + int(height * 0.12)
    layout, colours = slide.slide_layout, theme_colours(slide.slide_layout)
    behind = background_colour(layout, (left, top, width, height))  # what the figures stand on (the templates layer)
    value_ink = readable(colours.get("tx2"), behind) or MSO_THEME_COLOR.TEXT_2  # the title colour where it reads
    label_ink = readable(colours.get("tx1"), behind)
    font = write_name(plan.branding.body_font)  # the deck's body font by name (a text box otherwise takes the theme's)
    for number, item in enumerate(shown):
        value, _, label = item.text.partition("\t")
        x = left + number * (column + gap)
        unit = slide.shapes.add_group_shape()  # the number and its label: one key figure, moved and read as one
        unit.name = f"Key figure {number + 1}"
        unit._element.nvGrpSpPr.cNvPr.set("descr", f"{value}: {label}" if label else value)  # read as one: the number and what it is
        shape = unit.shapes.add_textbox(x, row_top, column, Pt(value_pt * 1.3))
        shape.name = "Value"
        _centred_run(shape.text_frame, value.replace(" ", "\u00a0"), value_pt, bold=True, colour=value_ink, font=font)
        shape.text_frame.word_wrap = False  # a number is never broken over two lines ("74 %" keeps its sign)
        if label:
            under = unit.shapes.add_textbox(x, row_top + Pt(value_pt * 1.35), column, Pt(label_h))
            under.name = "Label"
            _centred_lines(under.text_frame, label_lines(label), label_pt, colour=label_ink, font=font)
    if source:
        under_row = row_top + Pt(value_pt * 1.35 + label_h + label_pt)  # under the figures, not at the box's foot (r6a AMK 10)
        line = slide.shapes.add_textbox(left, min(under_row, top + height - Pt(source_h)), width, Pt(source_h))
        line.name = "Source"
        _centred_run(line.text_frame, cited_together(source), settings.dense_size_pt, colour=value_ink, font=font)


SPARE_LINES = 1.15  # a key figure's label and source measured with room for a wider substitute font


def label_lines(label: str) -> list[str]:
    """A key figure's label as lines of their own: its name, then each further part ("Prototype 1: dialog med nærmeste
    leder · fremgang 8 %" → the name, then "fremgang 8 %"), so no line ends or starts with "·" and a value never stands
    alone on one (KK 15: "nærmeste leder ·" / "fremgang 8 %", "fremgang" / "4 %")."""
    parts = [suspended(part.strip()) for part in label.split(" · ") if part.strip()]
    return parts[:1] + [part.replace(" ", "\u00a0") if len(part) <= SHORT_PART else part for part in parts[1:]]


SHORT_PART = 24  # characters: a measure this short ("fremgang 8 %") is kept on one line


def _centred_lines(frame, lines: list[str], size: float, colour=None, font: str | None = None) -> None:
    """Centred lines in one size, one paragraph each (:func:`_centred_run` for the first)."""
    _centred_run(frame, lines[0], size, colour=colour, font=font)
    for line in lines[1:]:
        paragraph = frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.CENTER
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        if font:
            run.font.name = font
        if isinstance(colour, str):
            run.font.color.rgb = RGBColor.from_string(colour)
        elif colour is not None:
            run.font.color.theme_color = colour


def _centred_run(frame, text: str, size: float, bold: bool = False, colour=None, font: str | None = None) -> None:
    frame.word_wrap = True
    frame.text = suspended(text)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    run = paragraph.runs[0]
    run.font.size = Pt(size)
    run.font.bold = bold
    if font:
        run.font.name = font
    if isinstance(colour, str):  # RRGGBB: an ink chosen against the background
        run.font.color.rgb = RGBColor.from_string(colour)
    elif colour is not None:
        run.font.color.theme_color = colour


CITATION = re.compile(r"\(([^()]{1,30})\)")  # "(Paul Zak, 2017)": a short reference in brackets


def cited_together(text: str) -> str:
    """A short bracketed reference kept on one line (r5 AMK 11's source line broke "(Paul / Zak, 2017)")."""
    return CITATION.sub(lambda m: "(" + m.group(1).replace(" ", "\u00a0") + ")", text)


SUSPENDED = re.compile(r"[ \u00a0]-(?=\w)")  # "og -håndtering": the hyphen opens a word, joined to the word before it


UNIT = re.compile(r"(?<=\d) (?=(%|min\.|min\b|pt\b|kr\.|timer\b|dage\b))")  # "11 %", "15 min."


def suspended(text: str) -> str:
    """What must not break at the end of a line, kept together on the slide: a suspended compound's hyphen as a
    non-breaking hyphen (U+2011: never "og -" / "håndtering", BFA's cover), and a number and its unit joined by
    a no-break space ("11 %", "15 min.": Vivid split "11" from "%"). A dash between words is left as it is."""
    return UNIT.sub("\u00a0", SUSPENDED.sub("\u00a0\u2011", text))  # r6a BFA 1: no line starts with "-håndtering"


QUOTE_PAIRS = {"»": "«", "«": "»", "“": "”", "„": "“", '"': '"', "‘": "’", "'": "'"}


def unquoted(text: str) -> str:
    """A quote without its enclosing quotation marks (»…«, “…”, "…"), for a slide that draws its own large mark:
    one pair, not two. The text's own inner marks and a quote that is not enclosed stay as written."""
    stripped = text.strip()
    close = QUOTE_PAIRS.get(stripped[:1])
    if close and len(stripped) > 2 and stripped.endswith(close) and close not in stripped[1:-1]:
        return stripped[1:-1].strip()
    return text


def _has_mark_room(frame) -> bool:
    """Is the quote's box wide enough for the large quotation mark beside it (kitgen.plan.fit measures the same)?"""
    width = getattr(frame._parent, "width", None)
    return bool(width) and width / 12700 >= QUOTE_MARK_MIN_WIDTH_PT


def _quote_mark(slide, spec: SlideSpec, body, plan: KitPlan) -> None:
    """The large quotation mark left of a quote's first line, in the template's accent colour, as one drawn unit (a
    group: display type, not a size of the running text). The quote stands from the top of its box."""
    size = spec.body_size_pt or 24
    first_line = body.top + int(body.text_frame._txBody.find(qn("a:bodyPr")).get("tIns") or Pt(INSET_Y_PT / 2))
    mark = Pt(min(size * 3.2, QUOTE_INDENT_PT * 1.6))
    group = slide.shapes.add_group_shape()
    group.name = "Quotation mark"
    shape = group.shapes.add_textbox(body.left, max(first_line - int(mark * 0.12), 0), Pt(QUOTE_INDENT_PT), mark)
    shape.name = "Mark"
    frame = shape.text_frame
    frame.word_wrap = False
    frame.text = QUOTE_MARK
    run = frame.paragraphs[0].runs[0]
    run.font.size = mark
    run.font.bold = True
    run.font.name = write_name(plan.branding.body_font)
    strong = palette_behind(slide.shapes, (shape.left, shape.top, shape.width, shape.height)).strong
    run.font.color.theme_color = THEME_SLOTS[strong]  # the figures' strong colour: the brand's, not Office's red
    frame._txBody.find(qn("a:bodyPr")).set("tIns", "0")


def _no_bullet(paragraph) -> None:
    """No bullet and no hanging indent; ``a:buNone`` goes where CT_TextParagraphProperties puts it
    (after the spacing, bullet colour and size elements, before tabs and defRPr)."""
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("marL", "0")
    pPr.set("indent", "0")
    for old in pPr.findall(qn("a:buNone")):
        pPr.remove(old)
    insert_in_order(pPr, etree.Element(qn("a:buNone")), A_PPR_ORDER)


TAB_SUBSTITUTE = 1.12  # a substituted font (DejaVu for Arial) runs up to ~12 % wider


def _tab_position(spec: SlideSpec, plan: KitPlan):
    """Where "08:30–08:45<tab>Title" lines put their titles: just past the widest time, in this font."""
    heads = [item.text.split("\t", 1)[0] for item in spec.body if "\t" in item.text]
    if not heads:
        return None
    size = spec.body_size_pt or 22
    # measured bold, with room for a substituted font: a template whose body style is bold (LibreOffice's
    # Midnightblue) or whose font the viewer replaces by a wider one must not glue the time to its title
    widest = max(text_width_pt(head, plan.branding.body_font, size, bold=True) for head in heads)
    return Pt(widest * TAB_SUBSTITUTE + TAB_GAP_PT)


def _tab_stop(paragraph, position) -> None:
    """One left tab stop, so "08:30–08:45<tab>Title" lines up in a column."""
    pPr = paragraph._p.get_or_add_pPr()
    tabs = etree.Element(qn("a:tabLst"))
    etree.SubElement(tabs, qn("a:tab"), pos=str(int(position)), algn="l")
    later = pPr.find(qn("a:defRPr"))
    if later is None:
        later = pPr.find(qn("a:extLst"))
    if later is None:
        pPr.append(tabs)  # tabLst follows the spacing and bullet settings in CT_TextParagraphProperties
    else:
        later.addprevious(tabs)
