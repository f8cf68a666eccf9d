"""Kit plan → PowerPoint deck (.pptx), on the slide layouts of the org's template.

Every slide is made from a named layout (``slide_layouts.get_by_name``) and filled
through its placeholders, found by type, never by position. Sample slides a client
template carries are removed first, relationships included (python-pptx has no
delete-slide API, issue #67). The org's colours and fonts are written into the
template's theme, so the master's own elements (title colour, bullet colour, the
brand bar) follow them.
"""

from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from kitgen.assemble import KitPlan, SlideSpec
from kitgen.fit import BODY_TYPES, TITLE_TYPES, find_placeholder, text_width_pt
from kitgen.templates.choose import slide_layout
from kitgen.templates.clean import open_presentation
from kitgen.write import fixed_datetime, normalise_office_bytes, set_core_properties


TAB_GAP_PT = 24  # space between an agenda line's clock times and its title


class DeckError(Exception):
    """The template cannot carry this deck (e.g. a layout it lacks)."""


def render_deck(plan: KitPlan) -> bytes:
    prs = open_presentation(plan.branding.pptx_template)  # cleaned: .potx/.potm open, macros and outside links dropped
    remove_all_slides(prs)
    for master in prs.slide_masters:
        apply_theme(master, plan)
    for spec in plan.slides:
        _add_slide(prs, spec, plan)
    set_core_properties(prs.core_properties, title=f"{plan.title} – {plan.org.name}", subject=plan.programme.subtitle or plan.title,
                        author=plan.branding.display_name, when=fixed_datetime(plan.day), keywords="kitgen")
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalise_office_bytes(buffer.getvalue())


def remove_all_slides(prs) -> None:
    """Remove every slide the template carries: its ``sldId`` and the relationship to its part."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.get(qn("r:id")))
        id_list.remove(slide_id)


def apply_theme(master, plan: KitPlan) -> None:
    """Write the colours and fonts the org's profile sets into the master's theme part.

    dk2 (title text) and accent1 (brand bar) take the primary colour; accent2 (bullets)
    the accent colour; the major/minor Latin fonts take the heading/body fonts. What the
    profile leaves out (``plan.branding.overrides``) stays as the client's theme has it.
    """
    wanted = plan.branding.overrides
    if not wanted:
        return
    theme_part = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme_part.blob)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    colours = [(slot, plan.branding.primary_color) for slot in ("dk2", "accent1") if "primary_color" in wanted]
    colours += [("accent2", plan.branding.accent_color)] if "accent_color" in wanted else []
    for slot, colour in colours:
        element = scheme.find(qn(f"a:{slot}")) if scheme is not None else None
        if element is None:
            continue
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, qn("a:srgbClr"), val=colour.lstrip("#").upper())
    fonts = root.find(f".//{qn('a:fontScheme')}")
    for which, key in (("a:majorFont", "heading_font"), ("a:minorFont", "body_font")):
        if key not in wanted:
            continue
        family = getattr(plan.branding, key)
        latin = fonts.find(f"{qn(which)}/{qn('a:latin')}") if fonts is not None else None
        if latin is not None:
            latin.set("typeface", family)
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_slide(prs, spec: SlideSpec, plan: KitPlan) -> None:
    layout = slide_layout(prs, plan.branding.layout_names.get(spec.kind))  # the master and layout chosen for the kind
    if layout is None:
        raise DeckError(f"the template {plan.branding.pptx_template.name} has no layout for {spec.kind} slides")
    slide = prs.slides.add_slide(layout)
    title = find_placeholder(slide.placeholders, TITLE_TYPES)
    body = find_placeholder(slide.placeholders, BODY_TYPES)
    if title is not None:
        title.text_frame.text = spec.title
        if spec.title_size_pt:
            for run in title.text_frame.paragraphs[0].runs:
                run.font.size = Pt(spec.title_size_pt)
    if body is not None:
        if spec.body:
            _fill_body(body.text_frame, spec, plan)
        else:
            body._element.getparent().remove(body._element)  # no empty "click to add text" box
    if spec.logo is not None and spec.logo.is_file():
        height = Inches(0.9)
        picture = slide.shapes.add_picture(str(spec.logo), 0, Inches(0.45), height=height)
        picture.left = prs.slide_width - picture.width - Inches(0.5)
        picture.name = "Logo"
    slide.notes_slide.notes_text_frame.text = spec.notes


def _fill_body(frame, spec: SlideSpec, plan: KitPlan) -> None:
    tab = _tab_position(spec, plan)
    for number, item in enumerate(spec.body):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = item.text
        paragraph.level = min(item.level, 4)
        if item.style != "bullet":
            _no_bullet(paragraph)
        if tab is not None and "\t" in item.text:
            _tab_stop(paragraph, tab)
        run = paragraph.runs[0] if paragraph.runs else None
        if run is None:
            continue
        if spec.body_size_pt:
            run.font.size = Pt(spec.body_size_pt)
        if item.style == "quote":
            run.font.italic = True
        elif item.style == "attribution":
            if spec.body_size_pt:
                run.font.size = Pt(spec.body_size_pt * 0.75)
            paragraph.alignment = PP_ALIGN.RIGHT


def _no_bullet(paragraph) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("marL", "0")
    pPr.set("indent", "0")
    for old in pPr.findall(qn("a:buNone")):
        pPr.remove(old)
    pPr.insert(0, etree.Element(qn("a:buNone")))


def _tab_position(spec: SlideSpec, plan: KitPlan):
    """Where "08:30–08:45<tab>Title" lines put their titles: just past the widest time, in this font."""
    heads = [item.text.split("\t", 1)[0] for item in spec.body if "\t" in item.text]
    if not heads:
        return None
    size = spec.body_size_pt or 22
    widest = max(text_width_pt(head, plan.branding.body_font, size) for head in heads)
    return Pt(widest + TAB_GAP_PT)


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
