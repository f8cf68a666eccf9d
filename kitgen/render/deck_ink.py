"""Text a viewer can read: the colour a shape's text is drawn in (text_ink), kept where it reaches 4.5:1
against what lies behind it, else white or near-black; a divider's full-colour fill and its agenda tracker."""

from __future__ import annotations

import copy

from lxml import etree
from pptx.oxml.ns import qn
from pptx.dml.color import RGBColor
from pptx.util import Pt

from kitgen.content.layouts import FitSettings
from kitgen.ooxml.geometry import Rect
from kitgen.plan.measure import EMU_PER_PT, INSET_X_PT, INSET_Y_PT, line_count, text_width_pt
from kitgen.plan.kitplan import KitPlan, SlideSpec
from kitgen.plan.slides.kinds import trait
from kitgen.templates.background import background_colour, contrast_ratio, luminance, theme_colours


def _legible_number(slide, layout, element, fill: str | None = None) -> None:
    """The number keeps the template's colour where it reads (4.5:1) against what lies behind its box (``fill``:
    the slide's own full-colour background, AMK's green dividers); else white or near-black (Vivid's grey
    number on its blue divider band, about 1:1)."""
    shape = next((s for s in slide.placeholders if s._element is element), None)
    if shape is None or not shape.width or not shape.height:
        return
    behind = fill or background_colour(layout, (shape.left, shape.top, shape.width, shape.height))
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


def readable(ink: str | None, behind: str) -> str | None:
    """None where ``ink`` (``RRGGBB``) reads against ``behind`` (:data:`TEXT_CONTRAST`); else white or near-black,
    whichever reads better (a key figure in the theme's text 2, dark green, on a dark green slide: white)."""
    if ink and contrast_ratio(ink, behind) >= TEXT_CONTRAST:
        return None
    better = max(("FFFFFF", "1A1A1A"), key=lambda c: contrast_ratio(c, behind))
    return better if not ink or contrast_ratio(better, behind) > contrast_ratio(ink, behind) else None


LIGHT_DIVIDER = 0.7  # a divider whose title stands on a background this light has no section design of its own


def _full_colour(slide, spec: SlideSpec, plan: KitPlan, layout, title) -> str | None:
    """A divider on a white section layout of its own (AMK's own template; not the cover's layout, whose design a
    LibreOffice template such as Vivid draws in ways the background sampler does not see) is filled with the organisation's primary colour, so
    that it reads as a section break and not as an empty slide; returns that colour (``RRGGBB``), else None.
    Only a brand colour the profile declares fills it: a colour taken from the template (its theme's accent 1, often
    Office blue) would paint over the client's own section design."""
    if trait(spec.kind, "role", plan.kinds) != "divider" or title is None or not title.width:
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
    designed = behind is None  # the template's own background, not a fill kitgen gave the slide (AMK's dividers)
    behind = behind or background_colour(layout, box)
    ink = text_ink(shape, layout)
    if contrast_ratio(ink, behind) >= (LARGE_CONTRAST if designed and _large(shape) else TEXT_CONTRAST):
        return  # the template's own colour reads (corpus D03: its white titles and times on its orange dividers)
    better = max(("FFFFFF", "1A1A1A"), key=lambda c: contrast_ratio(c, behind))
    if contrast_ratio(better, behind) <= contrast_ratio(ink, behind):
        return
    for paragraph in shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(better)


LARGE_CONTRAST = 3.0  # large text (WCAG 2: at least 18 pt, or 14 pt bold) on the template's own design needs 3:1, as
# kitgen.validate checks it; on a fill kitgen gives a slide the template's colours were not chosen for: 4.5:1
LARGE_PT, LARGE_BOLD_PT = 18.0, 14.0


def _large(shape) -> bool:
    """Every run of ``shape`` is set large (its size written on the run, as kitgen writes titles and slide text)."""
    runs = [run for paragraph in shape.text_frame.paragraphs for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.font.size is not None and run.font.size.pt >= (LARGE_BOLD_PT if run.font.bold else LARGE_PT)
                              for run in runs)


TRACKER_BOX = (0.655, 0.14, 0.30, 0.72)  # a divider's agenda tracker: left, top, width, height as shares of the slide


def _tracker(prs, slide, spec: SlideSpec, layout, placeholders, placed: dict | None = None,
             behind: str | None = None, plan: KitPlan | None = None) -> None:
    """The day's parts down the divider's right third, the current one in full colour and bold, the others
    muted (28 % of the background mixed into the ink), at the deck's dense size (its type scale), or its least
    body size when a long day needs it. Drawn only where the layout leaves that room free (kitgen's default
    divider does; a client's divider whose title spans the slide gets none), and only where the day fits it."""
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
    found = _tracker_fit([label for label, _ in spec.tracker], box, plan)
    if found is None:  # the day does not fit the room at the dense size: no tracker, never one over the title
        return
    size, space = found
    shape = slide.shapes.add_textbox(*box)
    shape.name = "Agenda tracker"
    frame = shape.text_frame
    frame.word_wrap = True
    frame._txBody.find(qn("a:bodyPr")).set("anchor", "ctr")
    for number, (label, current) in enumerate(spec.tracker):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = label
        paragraph.space_after = Pt(size * space)
        run = paragraph.runs[0]
        run.font.size = Pt(size)
        run.font.bold = current
        run.font.color.rgb = RGBColor.from_string(ink if current else muted)


TRACKER_SPACE = 0.5  # the space after each part, as a share of the size
TRACKER_SPACE_TIGHT = 0.15  # … closer where a long day needs it


def _tracker_size(labels: list[str], box: Rect, plan: KitPlan | None) -> float | None:
    """The size the tracker's parts are set at (:func:`_tracker_fit`), None when it is left off."""
    found = _tracker_fit(labels, box, plan)
    return found[0] if found else None


def _tracker_fit(labels: list[str], box: Rect, plan: KitPlan | None) -> tuple[float, float] | None:
    """(size, space after each part): the dense size of the deck's type scale where every part fits the tracker's
    box, its parts closer together where a long day needs it; None when they do not fit even so (corpus D10: six
    wrapped parts ran out of the box into the title) — never a third, smaller text size on the divider (BFA's
    eight parts were set at 18 pt beside 22 pt lists)."""
    settings = (plan.branding.fit if plan is not None else None) or FitSettings()
    font = plan.branding.body_font if plan is not None else "Liberation Sans"
    width, height = box.width / EMU_PER_PT - INSET_X_PT, box.height / EMU_PER_PT - INSET_Y_PT
    size = settings.dense_size_pt
    lines = sum(line_count(label, width, font, size, True) for label in labels)
    for space in (TRACKER_SPACE, TRACKER_SPACE_TIGHT):
        if lines * size * settings.line_spacing + len(labels) * size * space <= height:
            return size, space
    return None


SEPARATOR = " · "  # "08.30–08.45 · 15 min. · Oplæg": parts of one line that belong together
_EMU_PER_INCH_TENTH = 91440  # bodyPr's default left and right inset (0.1 in)


def whole_parts(slide, spec: SlideSpec, plan: KitPlan) -> None:
    """A line of parts joined by " · " that its box cannot hold on one line breaks between whole parts, the "·" left
    out there: Midnightblue's narrow divider box wrapped "08.30–08.45 ·" / "15 min." (a dangling dot on every
    divider), Vivid's key figure labels started a line with "·". Each part then takes a line of its own; a line
    that fits stays as it is. Every text shape of the slide but its title, figures' groups included."""
    settings = plan.branding.fit or FitSettings()
    fallback = spec.body_size_pt or settings.body_size_pt
    for shape in _text_shapes(slide.shapes):
        ph = shape._element.find(f".//{qn('p:nvPr')}/{qn('p:ph')}")
        if ph is not None and ph.get("type") in _TITLE_TYPES:
            continue
        body_pr = shape._element.find(f".//{qn('a:bodyPr')}")
        insets = sum(int(body_pr.get(side, _EMU_PER_INCH_TENTH)) if body_pr is not None else _EMU_PER_INCH_TENTH
                     for side in ("lIns", "rIns"))
        for paragraph in shape.text_frame.paragraphs:
            runs = paragraph.runs
            if not runs or SEPARATOR not in "".join(r.text for r in runs):
                continue
            p_pr = paragraph._p.find(qn("a:pPr"))
            indent = int(p_pr.get("marL", 0)) if p_pr is not None else 0
            room = ((shape.width or 0) - insets - indent) / EMU_PER_PT * 0.97  # a little spare: renderers differ
            size = runs[0].font.size.pt if runs[0].font.size is not None else fallback
            bold = bool(runs[0].font.bold)
            _break_between_parts(paragraph, room, plan.branding.body_font, size, bold)


def _text_shapes(shapes):
    for shape in shapes:
        if shape.shape_type is not None and int(shape.shape_type) == 6:  # a group: its text boxes
            yield from _text_shapes(shape.shapes)
        elif shape.has_text_frame:
            yield shape


def _break_between_parts(paragraph, room: float, font: str, size: float, bold: bool) -> None:
    text = "".join(r.text for r in paragraph.runs)
    if room <= 0 or text_width_pt(text, font, size, bold) <= room:
        return
    parts, breaks, at = text.split(SEPARATOR), set(), 0
    for number, part in enumerate(parts):
        if number:  # each part on a line of its own: packed two to a line, a line's end ran into the next
            breaks.add(at)  # line's start, and four themes read as three (KK's 'Fire dominerende temaer')
        at += len(part) + len(SEPARATOR)
    offset = 0
    for run in list(paragraph.runs):
        own, start = run.text, offset
        offset += len(own)
        cuts = [b - len(SEPARATOR) - start for b in sorted(breaks) if start <= b - len(SEPARATOR) and
                b - len(SEPARATOR) + len(SEPARATOR) <= start + len(own)]  # separators lying wholly in this run
        if not cuts:
            continue
        pieces, last = [], 0
        for cut in cuts:
            pieces.append(own[last:cut])
            last = cut + len(SEPARATOR)
        pieces.append(own[last:])
        run.text = pieces[0]
        anchor = run._r
        for piece in pieces[1:]:
            r_pr = anchor.find(qn("a:rPr"))
            line_break = etree.Element(qn("a:br"))
            if r_pr is not None:
                line_break.append(copy.deepcopy(r_pr))
            anchor.addnext(line_break)
            new = copy.deepcopy(run._r)
            new.find(qn("a:t")).text = piece
            line_break.addnext(new)
            anchor = new


def no_empty_prompts(slide) -> None:
    """A placeholder the slide leaves empty (a layout's "Author", "Institution" and "Date" fields, a second text
    field of a divider) is taken off the slide: PowerPoint's editing view shows its prompt text ("Click to add
    text", the template's own "¹ Universidade Federal …") on every such slide. Titles stay, and so do picture
    placeholders, which the logo may still take."""
    for shape in list(slide.placeholders):
        kind = shape.placeholder_format.type
        if kind is None or "PICTURE" in str(kind) or "TITLE" in str(kind) or "SLIDE_NUMBER" in str(kind):
            continue
        if shape.has_text_frame and not shape.text_frame.text.strip() and shape._element.getparent() is not None:
            shape._element.getparent().remove(shape._element)
