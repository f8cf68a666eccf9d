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
import io
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree
from pptx.oxml.ns import qn
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from kitgen.content.fonts import write_name
from kitgen.plan.fit import QUOTE_INDENT_PT, TAB_GAP_PT, text_width_pt
from kitgen.core.textfield import text_of
from kitgen.plan.kitplan import KitPlan, SlideSpec
from kitgen.render.deck_a11y import make_accessible
from kitgen.ooxml.wordml import A_PPR_ORDER, insert_in_order
from kitgen.render.slideparts import LayoutPlan, add_slide, layout_plan, next_shape_id
from kitgen.plan.slides import continued_notes
from kitgen.plan.slides.kinds import layout_kind, trait
from kitgen.templates.choose import logo_box, slide_layout
from kitgen.templates.inspect import inspect_package
from kitgen.templates.clean import PackageError, Where, _open, clean_file
from kitgen.ooxml.package import fixed_datetime, saved, set_core_properties
from kitgen.content.layouts import FitSettings
from kitgen.core import cache
from kitgen.ooxml.geometry import Rect
from kitgen.plan.fit import Box, QUOTE_MARK_MIN_WIDTH_PT, text_height_pt
from kitgen.render.diagrams import draw
from kitgen.templates.background import background_colour, contrast_ratio, luminance, theme_colours


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
    layouts: dict = {}  # per deck: the layout kind → (python-pptx layout, its prepared plan)
    notes = continued_notes(plan.slides, plan.labels)  # a continuation slide's notes go on where the first piece's end
    for spec, note in zip(plan.slides, notes):
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
    kind = layout_kind(spec.kind)
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


def _add_slide(prs, spec: SlideSpec, plan: KitPlan, found, package, note: str | None = None) -> None:
    layout, prepared = found
    slide, title, body = add_slide(prs, layout)  # placeholders cloned and pinned, the title first (slideparts)
    for shape, part in ((title, "title"), (body, "body")):  # kitgen's placement on the free area (kitgen.templates.place)
        own = plan.branding.boxes.get(spec.kind, {}) if spec.diagram is not None else {}  # a figure's whole free area
        moved = (own.get(part) or plan.branding.boxes.get(layout_kind(spec.kind), {}).get(part)) if shape is not None else None
        if moved is not None:
            shape.left, shape.top, shape.width, shape.height = moved.left, moved.top, moved.width, moved.height
    behind = _full_colour(slide, spec, plan, layout, title)
    if title is not None:
        title.text_frame.text = spec.title
        if spec.title_size_pt:
            for run in title.text_frame.paragraphs[0].runs:
                run.font.size = Pt(spec.title_size_pt)
    if body is not None and spec.diagram is not None:
        _draw_diagram(slide, body, spec, plan)
    elif body is not None and trait(spec.kind, "role") == "statement" and any(p.style == "figure" for p in spec.body):
        _draw_figures(slide, body, spec, plan)
    elif body is not None:
        if spec.body:
            _fill_body(body.text_frame, spec, plan, layout)
            if trait(spec.kind, "role") == "quote" and any(p.style == "quote" for p in spec.body) and _has_mark_room(body.text_frame):
                _quote_mark(slide, spec, body, plan)
        else:
            body._element.getparent().remove(body._element)  # no empty "click to add text" box
    for shape in (title, body):
        if shape is not None and shape._element.getparent() is not None and shape.has_text_frame and shape.text_frame.text:
            _legible(shape, layout, behind)
    if spec.tracker:
        _tracker(prs, slide, spec, layout, (title, body), plan.branding.boxes.get(layout_kind(spec.kind), {}), behind)
    if spec.logo is not None and spec.logo.is_file():
        _add_logo(prs, slide, spec, plan, package, layout)
    if trait(spec.kind, "role") not in ("cover", "closing"):  # the opening and the closing card stand unnumbered alike
        _slide_number(prs, slide, prepared, plan)
    notes = slide.notes_slide
    notes.notes_text_frame.text = spec.notes if note is None else note
    tag_language(slide._element, plan.lang_tag)
    tag_language(notes._element, plan.lang_tag)


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


def _slide_number(prs, slide, prepared: LayoutPlan, plan: KitPlan) -> None:
    """A slide-number field on the slide: the layout's ``sldNum`` placeholder copied as a slide
    placeholder (python-pptx's add_slide leaves date, footer and number out), else a text box.
    The field (``a:fld type="slidenum"``) is renumbered by PowerPoint and LibreOffice. A layout
    or master that draws the number in a shape of its own gets none (``template_draws_number``)."""
    if prepared.draws_number:
        return
    number = str(len(prs.slides))
    if prepared.number is not None:
        element = copy.deepcopy(prepared.number)  # the sldNum placeholder, without text or box (slideparts)
        element.append(_number_body(number))
        element.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").set("id", str(next_shape_id(slide)))
        slide.shapes._spTree.append(element)
        _legible_number(slide, slide.slide_layout, element)
        return
    box = slide.shapes.add_textbox(prs.slide_width - Inches(1.4), prs.slide_height - Inches(0.55), Inches(1.0), Inches(0.4))
    box.name = "Slide Number"
    box.text_frame._txBody.remove(box.text_frame._txBody.find(qn("a:p")))
    for paragraph in _number_body(number).findall(qn("a:p")):
        box.text_frame._txBody.append(paragraph)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _legible_number(slide, layout, element) -> None:
    """The number keeps the template's colour where it reads (4.5:1) against what lies behind its box; else white
    or near-black (Vivid's grey number on its blue divider band, about 1:1)."""
    shape = next((s for s in slide.placeholders if s._element is element), None)
    if shape is None or not shape.width or not shape.height:
        return
    behind = background_colour(layout, (shape.left, shape.top, shape.width, shape.height))
    ink = text_ink(shape, layout)
    better = max(("FFFFFF", "1A1A1A"), key=lambda c: contrast_ratio(c, behind))
    if contrast_ratio(ink, behind) >= TEXT_CONTRAST or contrast_ratio(better, behind) <= contrast_ratio(ink, behind):
        return
    for r_pr in element.iter(qn("a:rPr")):
        for old in r_pr.findall(qn("a:solidFill")):
            r_pr.remove(old)
        fill = etree.Element(qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=better)
        r_pr.insert(0, fill)  # a:ln comes first in CT_TextCharacterProperties; kitgen's number run has none


def _number_body(number: str):
    from pptx.oxml import parse_xml  # python-pptx's parser: its element classes (a:p has get_or_add_pPr)

    return parse_xml(
        f'<p:txBody xmlns:p="{NS_P}" xmlns:a="{NS_A}"><a:bodyPr/><a:lstStyle/><a:p>'
        f'<a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum"><a:rPr/><a:t>{number}</a:t></a:fld></a:p></p:txBody>')


def _add_logo(prs, slide, spec: SlideSpec, plan: KitPlan, package, layout=None) -> None:
    """The logo scaled into the room the layout has for it (its picture placeholder or a free corner),
    in the variant that reaches :data:`LOGO_CONTRAST` against what lies behind it (:func:`logo_variant`)."""
    left, top, width, height = Inches(11.0), Inches(0.45), Inches(1.8), Inches(0.9)
    try:
        from PIL import Image

        with Image.open(spec.logo) as image:
            aspect = image.width / max(image.height, 1)
        info = inspect_package(package, plan.branding.pptx_template)  # the template as the deck opened it
        left, top, width, height = logo_box(info, plan.branding.layout_names.get(layout_kind(spec.kind)),
                                            (prs.slide_width, prs.slide_height), aspect)
        if width / max(height, 1) > aspect:
            width = int(height * aspect)
        else:
            height = int(width / aspect)
    except (OSError, ValueError, PackageError):  # an unreadable logo or template: validation reports it
        aspect = None
    source, plate = str(spec.logo), None
    if aspect is not None and layout is not None:
        behind = background_colour(layout, (left, top, width, height))  # the theme as apply_theme left it
        source, plate = logo_variant(spec.logo, behind, plan.branding)
    if plate is not None:  # an opaque logo on another colour: a plate in the logo's box, the logo inside it
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
        box.name = "Logo plate"
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(plate)
        box.line.fill.background()
        box.shadow.inherit = False
        box.adjustments[0] = 0.12
        pad = int(min(width, height) * 0.14)
        inner_w, inner_h = width - 2 * pad, height - 2 * pad
        if aspect and inner_w / max(inner_h, 1) > aspect:  # the logo keeps its proportions, centred on the plate
            inner_w = int(inner_h * aspect)
        elif aspect:
            inner_h = int(inner_w / aspect)
        left, top, width, height = left + (width - inner_w) // 2, top + (height - inner_h) // 2, inner_w, inner_h
    picture = slide.shapes.add_picture(source, left, top, width=width, height=height if aspect else None)
    picture.name = "Logo"
    picture._element.nvPicPr.cNvPr.set("descr", spec.alt or "Logo")


TEXT_CONTRAST = 4.5  # text against what lies behind it (WCAG 2's minimum for body text)
_TITLE_TYPES = ("title", "ctrTitle")


def _fill_hex(element, colours: dict) -> str | None:
    """The RRGGBB of an ``a:solidFill`` (srgbClr or schemeClr; its modifiers set aside)."""
    colour = element[0] if element is not None and len(element) else None
    if colour is None:
        return None
    local = etree.QName(colour).localname
    value = colour.get("val") if local == "srgbClr" else colours.get(colour.get("val")) if local == "schemeClr" else \
        colour.get("lastClr") if local == "sysClr" else None
    return value.upper() if value else None


def _level_one_fill(owner):
    """The first-level text colour a ``p:sp``'s list style (or a master's text style) gives, if any."""
    if owner is None:
        return None
    return owner.find(f".//{qn('a:lvl1pPr')}/{qn('a:defRPr')}/{qn('a:solidFill')}")


def text_ink(shape, layout) -> str:
    """The colour a viewer draws ``shape``'s text in: the slide's own runs, else its list style, the layout's
    placeholder, the master's placeholder and the master's title or body text style, else the theme's text 1."""
    colours = theme_colours(layout)
    run_fill = shape._element.find(f".//{qn('a:r')}/{qn('a:rPr')}/{qn('a:solidFill')}")
    if run_fill is None:  # a field (the slide number) is a run of its own kind
        run_fill = shape._element.find(f".//{qn('a:fld')}/{qn('a:rPr')}/{qn('a:solidFill')}")
    if run_fill is not None:
        return _fill_hex(run_fill, colours) or colours.get("tx1", "000000")
    ph = shape._element.find(f".//{qn('p:nvPr')}/{qn('p:ph')}")
    ph_type, ph_idx = (ph.get("type", "body"), ph.get("idx")) if ph is not None else ("body", None)
    is_title = ph_type in _TITLE_TYPES
    chain = [shape._element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}")]
    for owner in (layout, layout.slide_master):
        found = []
        for candidate in owner.placeholders:
            c_ph = candidate._element.find(f".//{qn('p:nvPr')}/{qn('p:ph')}")
            c_type = c_ph.get("type", "body") if c_ph is not None else "body"
            if c_type == ph_type or (owner is layout and ph_idx is not None and c_ph.get("idx") == ph_idx):
                found.insert(0, candidate)  # the same placeholder first
            elif owner is layout.slide_master and (c_type in _TITLE_TYPES) == is_title:
                found.append(candidate)  # else the master's title or body placeholder
        if found:
            chain.append(found[0]._element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}"))
    styles = layout.slide_master._element.find(f"{qn('p:txStyles')}")
    if styles is not None:
        chain.append(styles.find(qn("p:titleStyle" if is_title else "p:bodyStyle")))
    for owner in chain:
        fill = _level_one_fill(owner)
        if fill is not None and (ink := _fill_hex(fill, colours)):
            return ink
    return colours.get("tx1", "000000")


LIGHT_DIVIDER = 0.7  # a divider whose title stands on a background this light has no section design of its own


def _full_colour(slide, spec: SlideSpec, plan: KitPlan, layout, title) -> str | None:
    """A divider on a white section layout of its own (AMK's own template; not the cover's layout, whose design a
    LibreOffice template such as Vivid draws in ways the background sampler does not see) is filled with the organisation's primary colour, so
    that it reads as a section break and not as an empty slide; returns that colour (``RRGGBB``), else None.
    Only a brand colour the profile declares fills it: a colour taken from the template (its theme's accent 1, often
    Office blue) would paint over the client's own section design."""
    if trait(spec.kind, "role") != "divider" or title is None or not title.width:
        return None
    if not plan.org.branding.primary_color:  # the template's own colour: its own section design stays as it is
        return None
    cover = plan.branding.layout_names.get("title")
    if layout.name and layout.name == getattr(cover, "name", cover):  # the cover's layout: the cover's design
        return None
    colour = str(plan.branding.primary_color or "").lstrip("#").upper()
    if len(colour) != 6 or luminance(background_colour(layout, (title.left, title.top, title.width, title.height))) \
            < LIGHT_DIVIDER or luminance(colour) >= LIGHT_DIVIDER:
        return None
    slide.background.fill.solid()
    slide.background.fill.fore_color.rgb = RGBColor.from_string(colour)
    return colour


def _legible(shape, layout, behind: str | None = None) -> None:
    """Keep the template's text colour where it reads against what lies behind the box; where it does not
    (a LibreOffice template's black subtitle on its navy cover band), white or near-black, whichever reads."""
    box = (shape.left or 0, shape.top or 0, shape.width or 0, shape.height or 0)
    if not box[2] or not box[3]:
        return
    behind = behind or background_colour(layout, box)
    ink = text_ink(shape, layout)
    if contrast_ratio(ink, behind) >= TEXT_CONTRAST:
        return
    better = max(("FFFFFF", "1A1A1A"), key=lambda c: contrast_ratio(c, behind))
    if contrast_ratio(better, behind) <= contrast_ratio(ink, behind):
        return
    for paragraph in shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(better)


TRACKER_BOX = (0.655, 0.14, 0.30, 0.72)  # a divider's agenda tracker: left, top, width, height as shares of the slide


def _tracker(prs, slide, spec: SlideSpec, layout, placeholders, placed: dict | None = None,
             behind: str | None = None) -> None:
    """The day's parts down the divider's right third, the current one in full colour and bold, the others
    muted (28 % of the background mixed into the ink). Drawn only where the layout leaves that room free
    (kitgen's default divider does; a client's divider whose title spans the slide gets none)."""
    w, h = prs.slide_width, prs.slide_height
    box = Rect(*(int(share * size) for share, size in zip(TRACKER_BOX, (w, h, w, h))))
    if placed and "tracker" in placed:  # the template's free area (kitgen.templates.place.tracker_box); None: no room
        if placed["tracker"] is None:
            return
        box = Rect(placed["tracker"].left, placed["tracker"].top, placed["tracker"].width, placed["tracker"].height)
    for shape in placeholders:
        if shape is not None and shape.width and box.left < shape.left + shape.width and shape.left < box.left + box.width \
                and box.top < shape.top + shape.height and shape.top < box.top + box.height:
            return
    behind = behind or background_colour(layout, box)
    ink = "FFFFFF" if contrast_ratio("FFFFFF", behind) >= contrast_ratio("1A1A1A", behind) else "1A1A1A"
    muted = "".join(f"{round(int(ink[i:i + 2], 16) * 0.72 + int(behind[i:i + 2], 16) * 0.28):02X}" for i in (0, 2, 4))
    size = 18 if len(spec.tracker) <= 6 else 14
    shape = slide.shapes.add_textbox(*box)
    shape.name = "Agenda tracker"
    frame = shape.text_frame
    frame.word_wrap = True
    frame._txBody.find(qn("a:bodyPr")).set("anchor", "ctr")
    for number, (label, current) in enumerate(spec.tracker):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = label
        paragraph.space_after = Pt(size * 0.5)
        run = paragraph.runs[0]
        run.font.size = Pt(size)
        run.font.bold = current
        run.font.color.rgb = RGBColor.from_string(ink if current else muted)


LOGO_CONTRAST = 3.0  # a logo against what lies behind it (WCAG 2's minimum for graphics)
PLATE_DIFFERENCE = 1.15  # an opaque logo's own background this far from the slide's gets a plate


def logo_variant(path, behind: str, branding):
    """(what to draw — a file path or a PNG stream —, the colour of a plate behind it or None).

    A logo without transparency (a converted JPEG) carries its own background: it is drawn as it is, on
    a plate of that colour when the slide's differs (a knock-out of a rectangle is a rectangle). A logo
    with transparency is drawn as it is when its ink (the colour most of its opaque pixels have) reaches
    :data:`LOGO_CONTRAST` against ``behind``; else as the profile's variant for a dark or light background
    (``branding.logo_on_dark`` / ``logo_on_light``); else as a knock-out: its shape in white or black,
    whichever contrasts more, with the details drawn in other colours left open."""
    from collections import Counter

    from PIL import Image

    try:
        image = Image.open(path).convert("RGBA")
    except OSError:
        return str(path), None
    if image.getchannel("A").getextrema()[0] >= 250:  # no transparency (a converted JPEG): never a knock-out
        corner = "%02X%02X%02X" % image.getpixel((0, 0))[:3]  # its own background colour
        # its box on a background of another colour gets a plate of that colour with rounded corners (a frame
        # that looks meant, not a pasted rectangle); on its own colour it is seen as its ink on that colour
        return str(path), (corner if contrast_ratio(corner, behind) >= PLATE_DIFFERENCE else None)
    small = image.copy()
    small.thumbnail((200, 200))
    counts = Counter(pixel[:3] for pixel in _pixels(small) if pixel[3] >= 128)
    if not counts:
        return str(path), None
    ink = "%02X%02X%02X" % counts.most_common(1)[0][0]
    if contrast_ratio(ink, behind) >= LOGO_CONTRAST:
        return str(path), None
    dark = luminance(behind) < 0.18
    variant = getattr(branding, "logo_on_dark" if dark else "logo_on_light", None)
    if variant is not None and Path(variant).is_file():
        return str(variant), None
    colour = "FFFFFF" if contrast_ratio("FFFFFF", behind) >= contrast_ratio("000000", behind) else "000000"
    return io.BytesIO(_knock_out(str(path), Path(path).stat().st_mtime_ns, ink, colour)), None


def _pixels(image) -> list[tuple]:
    """The image's pixels as tuples, row by row (Pillow's getdata, which Pillow 14 drops)."""
    data, bands = image.tobytes(), len(image.getbands())
    return [tuple(data[i:i + bands]) for i in range(0, len(data), bands)]


@lru_cache(maxsize=16)
def _knock_out(path: str, stamp: int, ink: str, colour: str) -> bytes:
    """The logo's shape in ``colour`` (PNG bytes): its alpha, with details in a colour far from its ``ink``
    left open (KK's white gate stays a gate, not a white block)."""
    from PIL import Image, ImageChops

    image = Image.open(path).convert("RGBA")
    rgb = image.convert("RGB")
    open_colours = {c for _, c in rgb.getcolors(maxcolors=1 << 24) or []
                    if contrast_ratio("%02X%02X%02X" % c, ink) >= 2.0}
    holes = Image.new("L", image.size, 255)
    if open_colours:
        holes.putdata([0 if pixel in open_colours else 255 for pixel in _pixels(rgb)])
    knocked = Image.new("RGBA", image.size, tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4)) + (0,))
    knocked.putalpha(ImageChops.multiply(image.getchannel("A"), holes))
    stream = io.BytesIO()
    knocked.save(stream, "PNG")
    return stream.getvalue()


def _draw_diagram(slide, body, spec: SlideSpec, plan: KitPlan) -> None:
    """The diagram drawn as native shapes where the body box is; the box itself goes."""
    left, top, width, height = body.left, body.top, body.width, body.height
    body._element.getparent().remove(body._element)
    group = draw(slide.shapes, spec.diagram, left, top, width, height, language=plan.language, font=plan.branding.body_font,
                 fit=plan.branding.fit)
    if group is not None:
        group._element.nvGrpSpPr.cNvPr.set("descr", spec.alt)


QUOTE_MARK = "\u201c"  # the large opening quotation mark a quote slide shows


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
    if trait(spec.kind, "centred") or asks:  # deck.yaml → slides: a quote, a definition or a question stands in the middle
        frame._txBody.find(qn("a:bodyPr")).set("anchor", "ctr")
    size = spec.body_size_pt
    marked = trait(spec.kind, "role") == "quote" and _has_mark_room(frame)
    for number, item in enumerate(spec.body):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = item.text
        paragraph.level = min(item.level, 4)
        if item.style != "bullet":
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
            run.font.size = Pt(size)
        if item.style in ("quote", "attribution") and marked:  # right of the large quotation mark (kitgen.plan.fit measures it so)
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
        if item.style == "quote":
            run.font.italic = True
        elif item.style == "question" and size:
            paragraph.space_after = Pt(size * 0.6)  # room between two questions
        elif item.style in ("attribution", "meta"):
            if size:
                run.font.size = Pt(max(size * (0.6 if item.style == "meta" and spec.kind == "questions" else 0.7), 14))
            if number:
                paragraph.space_before = Pt(size * 0.4 if size else 8)
            paragraph.space_after = Pt(size * 0.5 if size else 10)
            run.font.bold = item.style == "meta"
            run.font.color.theme_color = MSO_THEME_COLOR.TEXT_2  # the template's title colour: text contrast (an accent may be light)


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
    value_pt = min(settings.display_size_pt * FIGURE_SCALE, room / max(longest * 0.68, 1))  # "74 %" fits its column on one line
    label_pt = settings.dense_size_pt
    row_top = top + int(height * 0.12)
    for number, item in enumerate(shown):
        value, _, label = item.text.partition("\t")
        x = left + number * (column + gap)
        shape = slide.shapes.add_textbox(x, row_top, column, Pt(value_pt * 1.3))
        shape.name = f"Key figure {number + 1}"
        _centred_run(shape.text_frame, value.replace(" ", "\u00a0"), value_pt, bold=True, colour=MSO_THEME_COLOR.TEXT_2)
        shape.text_frame.word_wrap = False  # a number is never broken over two lines ("74 %" keeps its sign)
        if label:
            under = slide.shapes.add_textbox(x, row_top + Pt(value_pt * 1.35), column, Pt(label_pt * 1.2 * 3))
            under.name = f"Key figure {number + 1} label"
            _centred_run(under.text_frame, label, label_pt)
    if source:
        line = slide.shapes.add_textbox(left, top + height - Pt(settings.dense_size_pt * 2.6), width, Pt(settings.dense_size_pt * 2.4))
        line.name = "Source"
        _centred_run(line.text_frame, source, max(settings.min_body_size_pt, 16), colour=MSO_THEME_COLOR.TEXT_2)


def _centred_run(frame, text: str, size: float, bold: bool = False, colour=None) -> None:
    frame.word_wrap = True
    frame.text = text
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    run = paragraph.runs[0]
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour is not None:
        run.font.color.theme_color = colour


def _has_mark_room(frame) -> bool:
    """Is the quote's box wide enough for the large quotation mark beside it (kitgen.plan.fit measures the same)?"""
    width = getattr(frame._parent, "width", None)
    return bool(width) and width / 12700 >= QUOTE_MARK_MIN_WIDTH_PT


def _quote_mark(slide, spec: SlideSpec, body, plan: KitPlan) -> None:
    """The large quotation mark left of a quote's first line, in the template's accent colour. The quote is
    centred in its box: its first line's top is found from the text's height as kitgen.plan.fit measures it."""
    size = spec.body_size_pt or 30
    box = Box(body.width / 12700, body.height / 12700)
    height = text_height_pt(spec.body, box, plan.branding.body_font, size, plan.branding.fit or FitSettings())
    first_line = body.top + max(int(body.height - Pt(height)) // 2, 0)
    mark = Pt(min(size * 3.2, QUOTE_INDENT_PT * 1.6))
    shape = slide.shapes.add_textbox(body.left, max(first_line - int(mark * 0.12), 0), Pt(QUOTE_INDENT_PT), mark)
    shape.name = "Quotation mark"
    frame = shape.text_frame
    frame.word_wrap = False
    frame.text = QUOTE_MARK
    run = frame.paragraphs[0].runs[0]
    run.font.size = mark
    run.font.bold = True
    run.font.color.theme_color = MSO_THEME_COLOR.ACCENT_2
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
