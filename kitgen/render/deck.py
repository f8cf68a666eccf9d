"""Kit plan → PowerPoint deck (.pptx), on the slide layouts of the org's template.

Every slide is made from a named layout (``slide_layouts.get_by_name``) and filled
through its placeholders, found by type, never by position. Sample slides a client
template carries are removed first, relationships included (python-pptx has no
delete-slide API, issue #67). The org's colours and fonts are written into the
template's theme, so the master's own elements (title colour, bullet colour, the
brand bar) follow them.

What does not change from kit to kit is done once per process, keyed by the template
file's sha256, and every kit gets its own copy: the template opened by python-pptx (a
deep copy per deck, :func:`_open_template`), drawn diagrams (:mod:`kitgen.render.diagrams.pptx`)
and the deck saved by python-pptx, then made reproducible (:mod:`kitgen.ooxml.package`).
"""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

from lxml import etree
from pptx.oxml.ns import qn
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from kitgen.content.fonts import write_name
from kitgen.core.textfield import text_of
from kitgen.plan.kitplan import KitPlan, SlideSpec
from kitgen.content.layouts import FitSettings
from kitgen.plan.measure import title_line_pt
from kitgen.render.deck_a11y import make_accessible
from kitgen.render.deck_card import optical_top, question_card
from kitgen.render.deck_body import cited, suspended, _draw_diagram, _draw_figures, _fill_body, _has_mark_room, _quote_mark
from kitgen.render.deck_ink import _full_colour, _legible, _legible_number, _tracker, no_empty_prompts, whole_parts
from kitgen.render.deck_logo import _add_logo
from kitgen.render.slideparts import LayoutPlan, add_slide, layout_plan, next_shape_id
from kitgen.plan.slides import continued_notes
from kitgen.plan.slides.kinds import layout_kind, trait
from kitgen.templates.brand import theme_font_for_missing
from kitgen.templates.choose import slide_layout
from kitgen.templates.clean import _open, clean_file
from kitgen.templates.clean_base import Where
from kitgen.ooxml.package import fixed_datetime, saved, set_core_properties
from kitgen.core import cache
from kitgen.ooxml.rels import RT


NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # a field's id is a GUID; a fixed one keeps builds identical


class DeckError(Exception):
    """The template cannot carry this deck (e.g. a layout it lacks)."""


def render_deck(plan: KitPlan) -> bytes:
    package, prs = _open_template(plan.branding.pptx_template)  # cleaned: .potx/.potm open, macros and outside links dropped
    remove_all_slides(prs)
    for master in prs.slide_masters:
        apply_theme(master, plan)
        _no_tool_names(master)
        for part in (master, *master.slide_layouts):  # a font not installed here: the theme's, on every shape (brand.py)
            theme_font_for_missing(part._element, plan.branding.heading_font, plan.branding.body_font)
    layouts: dict = {}  # per deck: the layout kind → (python-pptx layout, its prepared plan)
    notes = continued_notes(plan.slides, plan.labels)  # a continuation slide's notes go on where the first piece's end
    for spec, note in zip(plan.slides, notes):  # every divider keeps its tracker, the first too (r6a C39: one without read as a fault)
        _add_slide(prs, spec, plan, _layout(prs, package.digest, spec, plan, layouts), package, note)
    author = plan.branding.display_name
    set_core_properties(prs.core_properties, title=f"{plan.title} – {plan.org.name}", subject=text_of(plan.programme.subtitle, plan.language) or plan.title,
                        author=author, when=fixed_datetime(plan.day), keywords=plan.title)
    prs.core_properties.last_modified_by = author  # document properties are read by participants too: no tool names
    prs.core_properties.category = ""
    make_accessible(prs, plan)  # language on every text, reading order, decorations marked (kitgen.render.deck_a11y)
    return saved(prs)


def _no_tool_names(master) -> None:
    """Shape names a client sees in PowerPoint's selection pane say what the shape is, not which tool made it
    ("kitgen brand bar" in kitgen's own default template → "Brand bar")."""
    for shapes in [master.shapes, *(layout.shapes for layout in master.slide_layouts)]:
        for shape in shapes:
            if "kitgen" in shape.name.casefold():
                name = " ".join(w for w in shape.name.split() if w.casefold() != "kitgen") or "Shape"
                shape.name = name[:1].upper() + name[1:]


def _open_template(path):
    """The cleaned template (cached per file digest by kitgen.templates.clean) and a fresh presentation of it.

    The template is opened by python-pptx once per process and file digest and kept untouched
    (no proxy of it is ever made, so nothing refers to a part of its XML but the parts
    themselves); each deck gets a deep copy of it: its own package, parts, relationships and
    XML — what opening the bytes again gives, in a third of the time.
    """
    from pptx import Presentation

    package = clean_file(path, "pptx")

    kept = _PRISTINE.pop(package.digest, None) if cache.enabled() else None  # KITGEN_NO_CACHE: opened anew
    if kept is None:
        inflated = sum(info.file_size for info in zipfile.ZipFile(package.stream()).infolist())
        kept = (_open(Presentation, package, Path(path).name, Where(str(path))), inflated)
    _PRISTINE[package.digest] = kept  # most recently used last
    while len(_PRISTINE) > 1 and (len(_PRISTINE) > PRISTINE_KEPT or sum(size for _, size in _PRISTINE.values()) > PRISTINE_BYTES):
        _PRISTINE.pop(next(iter(_PRISTINE)))
    pristine = kept[0]
    stream = pristine.part.package._pkg_file  # the bytes it was loaded from: shared, not copied
    return package, copy.deepcopy(pristine, {id(stream): stream})


PRISTINE_KEPT = 8  # templates kept opened; parsed XML takes about 6 times the parts' inflated size:
PRISTINE_BYTES = 4 * 1024 * 1024  # inflated parts kept (the most recent template is always kept)
_PRISTINE: dict = {}  # template digest → (the untouched Presentation, its parts' inflated size)


def _layout(prs, digest: str, spec: SlideSpec, plan: KitPlan, layouts: dict):
    kind = layout_kind(spec.kind, plan.kinds)
    found = layouts.get(kind)
    if found is None:
        layout = slide_layout(prs, plan.branding.layout_names.get(kind))  # the master and layout chosen for the kind
        if layout is None:
            raise DeckError(f"the template {plan.branding.pptx_template.name} has no layout for {spec.kind} slides")
        found = layouts[kind] = (layout, layout_plan(layout))
    return found


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
            latin.set("typeface", write_name(family))  # the Windows name (Liberation Sans → Arial): kitgen/data/fonts.yaml
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _room_for_title(title, size_pt: float, settings) -> None:
    """A title box lower than one line at the title's size grows about its middle to hold it (kitgen.plan.fit measured it so)."""
    need = Pt(title_line_pt(size_pt, settings))
    if title.height is not None and title.height < need:
        left, top, width, height = title.left, title.top, title.width, title.height  # all four: an inherited box has no xfrm
        title.left, title.top, title.width, title.height = left, max(int(top - (need - height) // 2), 0), width, need


def _add_slide(prs, spec: SlideSpec, plan: KitPlan, found, package, note: str | None = None) -> None:
    layout, prepared = found
    slide, title, body = add_slide(prs, layout)  # placeholders cloned and pinned, the title first (slideparts)
    for shape, part in ((title, "title"), (body, "body")):  # kitgen's placement on the free area (kitgen.templates.place)
        own = plan.branding.boxes.get(spec.kind, {}) if spec.diagram is not None else {}  # a figure's whole free area
        moved = (own.get(part) or plan.branding.boxes.get(layout_kind(spec.kind, plan.kinds), {}).get(part)) if shape is not None else None
        if moved is not None:
            shape.left, shape.top, shape.width, shape.height = moved.left, moved.top, moved.width, moved.height
    behind = _full_colour(slide, spec, plan, layout, title)
    if title is not None:
        title.text_frame.text = suspended(marker_kept(spec.title))
        if spec.title_size_pt:
            for run in title.text_frame.paragraphs[0].runs:
                run.font.size = Pt(spec.title_size_pt)
            _room_for_title(title, spec.title_size_pt, plan.branding.fit or FitSettings())
    if body is not None and spec.diagram is not None:
        _draw_diagram(slide, body, spec, plan)
    elif body is not None and trait(spec.kind, "role", plan.kinds) == "statement" and any(p.style == "figure" for p in spec.body):
        _draw_figures(slide, body, spec, plan)
    elif body is not None:
        if spec.body:
            _fill_body(body.text_frame, spec, plan, layout)
            if trait(spec.kind, "role", plan.kinds) == "question":
                question_card(slide, body, spec, plan)
            elif trait(spec.kind, "centred", plan.kinds):  # a quote, a definition: at the optical centre, as a card is
                optical_top(body, spec, plan)
            if cited(spec, plan) and any(p.style == "quote" for p in spec.body) and _has_mark_room(body.text_frame):
                _quote_mark(slide, spec, body, plan)
        else:
            body._element.getparent().remove(body._element)  # no empty "click to add text" box
    for shape in (title, body):
        if shape is not None and shape._element.getparent() is not None and shape.has_text_frame and shape.text_frame.text:
            _legible(shape, layout, behind)
    if spec.tracker:
        _tracker(prs, slide, spec, layout, (title, body), plan.branding.boxes.get(layout_kind(spec.kind, plan.kinds), {}), behind,
                 plan)
    whole_parts(slide, spec, plan)  # "08.30–08.45 · 15 min." breaks between its parts, never after a "·" (deck_ink)
    no_empty_prompts(slide)  # no "Click to add text" fields left on the slide (deck_ink)
    if spec.logo is not None and spec.logo.is_file():
        _add_logo(prs, slide, spec, plan, package, layout)
    if trait(spec.kind, "role", plan.kinds) not in ("cover", "closing"):  # the opening and the closing card stand unnumbered alike
        _slide_number(prs, slide, prepared, plan.branding.boxes.get(layout_kind(spec.kind, plan.kinds), {}).get("number"), behind)
    notes = slide.notes_slide
    notes.notes_text_frame.text = spec.notes if note is None else note
    tag_language(slide._element, plan.lang_tag)
    tag_language(notes._element, plan.lang_tag)


PART_MARKER = re.compile(r" \(([^()]*\d+/\d+)\)$")  # "(fortsat 2/2)", "(continued 1/3)" at a title's end


def marker_kept(title: str) -> str:
    """A split slide's title with its part marker joined to the last word by no-break spaces: a long title wraps
    before its last word, never inside "(fortsat 2/2)" (BFA 28 left "2/2)" alone on a line)."""
    return PART_MARKER.sub(lambda m: "\u00a0(" + m.group(1).replace(" ", "\u00a0") + ")", title)


def tag_language(root, tag: str) -> None:
    """Every run, field and paragraph end of ``root`` says its language (``a:rPr/@lang``).

    python-pptx writes runs without ``lang`` when text is set through ``.text``; PowerPoint
    then proofs them as the editing language (en-US on most PCs) and underlines every
    Danish word. ``a:rPr`` is the first child of ``a:r`` and ``a:fld``; ``a:endParaRPr``
    is the last child of ``a:p``.
    """
    for run in root.iter(_A_R, _A_FLD):
        r_pr = run.find(_A_RPR)
        if r_pr is None:
            r_pr = etree.Element(_A_RPR)
            run.insert(0, r_pr)
        r_pr.set("lang", tag)
    for paragraph in root.iter(_A_P):
        end = paragraph.find(_A_END)
        if end is None:
            end = etree.SubElement(paragraph, _A_END)
        end.set("lang", tag)


_A_R, _A_FLD, _A_RPR, _A_P, _A_END = (qn(tag) for tag in ("a:r", "a:fld", "a:rPr", "a:p", "a:endParaRPr"))


def _slide_number(prs, slide, prepared: LayoutPlan, moved=None, behind: str | None = None) -> None:
    """A slide-number field on the slide: the layout's ``sldNum`` placeholder copied as a slide
    placeholder (python-pptx's add_slide leaves date, footer and number out), else a text box.
    The field (``a:fld type="slidenum"``) is renumbered by PowerPoint and LibreOffice. A layout
    or master that draws the number in a shape of its own gets none (``template_draws_number``). ``moved``: the box
    off the template's logo and artwork (:func:`kitgen.templates.place.number_box`) where the layout's own is not."""
    if prepared.draws_number:
        return
    number = str(len(prs.slides))
    if prepared.number is not None:
        element = copy.deepcopy(prepared.number)  # the sldNum placeholder, without text or box (slideparts)
        element.append(_number_body(number))
        element.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").set("id", str(next_shape_id(slide)))
        slide.shapes._spTree.append(element)
        shape = next((s for s in slide.placeholders if s._element is element), None)
        if moved is not None and shape is not None:
            shape.left, shape.top, shape.width, shape.height = moved.left, moved.top, moved.width, moved.height
        _no_hairline(element, slide.slide_layout)
        _legible_number(slide, slide.slide_layout, element, behind)
        return
    left, top, width, height = (moved.left, moved.top, moved.width, moved.height) if moved is not None else \
        (prs.slide_width - Inches(1.4), prs.slide_height - Inches(0.55), Inches(1.0), Inches(0.4))
    box = slide.shapes.add_textbox(left, top, width, height)
    box.name = "Slide Number"
    box.text_frame._txBody.remove(box.text_frame._txBody.find(qn("a:p")))
    for paragraph in _number_body(number).findall(qn("a:p")):
        box.text_frame._txBody.append(paragraph)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


_SP_PR_AFTER_LN = ("effectLst", "effectDag", "scene3d", "sp3d", "extLst")


def _no_hairline(element, layout) -> None:
    """The slide number's box draws no hairline frame: LibreOffice's converted templates (Vivid) give their
    number placeholder an unfilled box with a 0-width grey line, drawn as a visible rectangle on the slide.
    A frame the template means (a line of some width, or a filled badge such as Midnightblue's) stays."""
    for owner in (layout, layout.slide_master):
        found = next((p for p in owner.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER), None)
        sp_pr = found._element.find(qn("p:spPr")) if found is not None else None
        line = sp_pr.find(qn("a:ln")) if sp_pr is not None else None
        if line is None:
            continue
        filled = any(sp_pr.find(qn(tag)) is not None for tag in ("a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill"))
        if filled or line.get("w", "0") != "0" or line.find(qn("a:noFill")) is not None:
            return
        own = element.find(qn("p:spPr"))
        later = next((c for c in own if etree.QName(c).localname in _SP_PR_AFTER_LN), None)
        no_line = etree.Element(qn("a:ln"))
        etree.SubElement(no_line, qn("a:noFill"))
        if later is None:
            own.append(no_line)
        else:
            later.addprevious(no_line)
        return


def _number_body(number: str):
    from pptx.oxml import parse_xml  # python-pptx's parser: its element classes (a:p has get_or_add_pPr)

    return parse_xml(
        f'<p:txBody xmlns:p="{NS_P}" xmlns:a="{NS_A}"><a:bodyPr/><a:lstStyle/><a:p>'
        f'<a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum"><a:rPr/><a:t>{number}</a:t></a:fld></a:p></p:txBody>')
