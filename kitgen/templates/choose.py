"""Which layout of which master each slide kind goes on, chosen by what the layouts hold.

Templates in the wild have several slide masters, often with the same layout names in
every one (LibreOffice writes one master per design page; corporate templates keep a
cover master, a content master, a closing master …), so a layout is never looked up by
name in the first master only:

* a **cover** slide (title, closing) wants a title and a subtitle (or a ``title``-type
  layout); a **content** slide (agenda, content, tool, questions, quote) a title and the
  largest single body box; a **divider** (section) a ``secHead`` layout or a title with
  one small body, else the cover layout of the content master;
* masters are scored by how much of their text boxes their own pictures and shapes
  cover (text over triangles or photos) and whether only the template's first sample
  slide uses them (a cover design); the content kinds go on the best master, cover
  kinds on the first slide's master when its text boxes are free;
* a map (``<template>.yaml`` → ``layouts:``) may name a layout (``Forside``) or a master
  and a layout (``{master: 2, layout: "Title, Content"}``); a name found in several
  masters is taken from the master chosen for that kind, and the choice is reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from kitgen.core.findings import Finding
from kitgen.content.layouts import SLIDE_KINDS, MapEntry, slide_traits, traits_of
from kitgen.templates.inspect_model import Box, Graphic, LayoutInfo, LayoutRef, MasterInfo, TemplateInfo, obstruction
from kitgen.templates.place import default_number_box, figure_box, number_box, placed_boxes, tracker_box

# Words in layout names that say what a layout is for (English, Danish, German, Portuguese, Spanish,
# French and Chinese names as PowerPoint, LibreOffice, Google Slides and WPS write them).
COVER_NAMES = re.compile(r"title slide|\bcover|\btitle$|^title\b(?!.*(?:\band\b|\bonly\b|\+|\bcontent|\btext|column|vertical))|forside|titelfolie|"
                         r"deckblatt|t[íi]tulo d[ae]|capa|portada|diapositive de titre|标题幻灯片|封面|TITLE$", re.IGNORECASE)
SECTION_NAMES = re.compile(r"section|divider|\bsektion|afsnit|abschnitt|kapitel|trenn|se[cç][aã]o|secci[oó]n|"
                           r"\bpart\b|节标题|章节|过渡|SECTION_HEADER", re.IGNORECASE)
CLOSING_NAMES = re.compile(r"closing|thank|\bend\b|\bthe end|contact|tak for|danke|abschluss|schluss|obrigad|"
                           r"encerramento|gracias|merci|谢谢|结束|致谢", re.IGNORECASE)
BODY_LINES = 5          # body text never goes into a box shorter than this many lines at the deck's body size
MIN_BODY_WIDTH = 0.5    # … nor into one narrower than this share of the slide (a column of a two-column layout)
GROUPS = ("cover", "divider", "closing", "content")


@dataclass
class Choice:
    refs: dict[str, LayoutRef] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    content_master: int = 0
    cover_master: int = 0
    divider_master: int = 0
    boxes: dict = field(default_factory=dict)  # kind -> {"title"/"body": Box} where kitgen places text off the layout's box


@dataclass(frozen=True)
class Sizes:
    """The sizes a layout's boxes are judged by: the deck's body size and line spacing (pt)."""

    body_pt: float = 22.0
    line_spacing: float = 1.2

    def lines_tall(self, lines: int) -> float:
        return lines * self.body_pt * self.line_spacing + 7.2


def decoration(layout: LayoutInfo, slide_area: int) -> float:
    """Share (0–1) of the layout's title and body boxes that the master's/layout's graphics obstruct.

    A designed band behind a title (a filled shape that holds the whole title box) is design, not an
    obstruction; so is a full-slide background (:func:`kitgen.templates.inspect.obstruction`)."""
    parts = [(p.box, p is layout.title) for p in (layout.title, layout.body) if p is not None and p.box is not None and p.box.area]
    total = sum(box.area for box, _ in parts)
    if not total:
        return 0.0
    covered = sum(min(sum(obstruction(g, box, slide_area) for g in layout.graphics
                          if not (is_title and g.kind == "shape")), box.area)  # a band behind a title is its design
                  for box, is_title in parts)
    return covered / total


def group(kind: str, traits: dict | None = None) -> str:
    """Which kind of layout a slide kind's slot wants, from its role (``deck.yaml`` → ``slides:``)."""
    role = traits_of(kind, traits).role
    return role if role in ("cover", "divider", "closing") else "content"


def content_ok(layout: LayoutInfo, info: TemplateInfo | None, sizes: Sizes) -> bool:
    """A body box that holds five lines at the deck's body size and spans half the slide's width."""
    body = layout.body
    if body is None or body.box is None or body.type == "SUBTITLE":
        return False
    wide = info is None or body.box.width >= MIN_BODY_WIDTH * info.slide_width
    return wide and body.box.height_pt >= sizes.lines_tall(BODY_LINES)


def content_layout(master: MasterInfo, info: TemplateInfo | None = None, sizes: Sizes = Sizes()) -> LayoutInfo | None:
    """Title plus the largest single body that holds five lines: where lists go."""
    best, best_key = None, None
    slide = info.slide_box.area if info is not None else 0
    for layout in master.layouts:
        body = layout.body
        if layout.title is None or body is None or body.box is None or body.type == "SUBTITLE":
            continue
        single = len(layout.bodies) == 1
        free = 1 - decoration(layout, slide) if slide else 1
        key = (content_ok(layout, info, sizes), single, free > 0.9, layout.type in ("obj", "tx"), body.box.area * free,
               -layout.index)
        if best_key is None or key > best_key:
            best, best_key = layout, key
    return best


def _titled(layout: LayoutInfo) -> bool:
    return layout.title is not None and layout.title.box is not None


def cover_layout(master: MasterInfo, info: TemplateInfo | None = None, sizes: Sizes = Sizes()) -> LayoutInfo | None:
    """The template's title design: a ``title`` layout, a layout named as a cover, or a centred title with
    a subtitle; among several, the one whose text box holds two lines, then the first."""
    best, best_key = None, None
    for layout in master.layouts:
        if not _titled(layout) or not layout.bodies or CLOSING_NAMES.search(layout.name) or SECTION_NAMES.search(layout.name):
            continue
        designed = layout.type == "title" or bool(COVER_NAMES.search(layout.name))
        body = layout.body
        room = body is not None and body.box is not None and body.box.height_pt >= 2 * 20 * sizes.line_spacing + 7.2
        key = (designed or layout.title.type == "CENTER_TITLE", layout.picture is None, room, designed,
               any(p.type == "SUBTITLE" for p in layout.bodies), -layout.index)  # an empty picture box last
        if best_key is None or key > best_key:
            best, best_key = layout, key
    if best is not None and not best_key[0] and len(best.bodies) != 1:
        return None  # no title design: a plain layout with several boxes is no cover
    return best


def divider_layout(master: MasterInfo, info: TemplateInfo | None = None, sizes: Sizes = Sizes()) -> LayoutInfo | None:
    """A section header: a ``secHead`` layout or one named for sections, else the master's cover layout."""
    found = [lay for lay in master.layouts if _titled(lay) and lay.body is not None
             and (lay.type == "secHead" or SECTION_NAMES.search(lay.name))]  # a section design without a text box
    if found:  # would lose the divider's time line: the cover's variants serve instead
        return max(found, key=lambda lay: (lay.type == "secHead" or bool(SECTION_NAMES.search(lay.name)),
                                           lay.body.box is not None, -lay.index))
    cover = cover_layout(master, info, sizes)
    variants = [lay for lay in master.layouts if lay is not cover and _titled(lay) and lay.bodies
                and (lay.type == "title" or COVER_NAMES.search(lay.name)) and not CLOSING_NAMES.search(lay.name)]
    if cover is not None and variants:  # another title design (a filled variant of the cover): the one drawing most
        return max(variants, key=lambda lay: (lay.picture is None, sum(g.where == "layout" for g in lay.graphics), -lay.index))
    return cover or content_layout(master, info, sizes)


def closing_layout(master: MasterInfo, info: TemplateInfo | None = None, sizes: Sizes = Sizes()) -> LayoutInfo | None:
    """A layout named for the end of a talk (Closing, Thank you, Kontakt …), else the cover layout."""
    found = [lay for lay in master.layouts if _titled(lay) and CLOSING_NAMES.search(lay.name) and lay.bodies]
    if found:
        return max(found, key=lambda lay: (lay.body.box is not None and lay.body.box.height_pt >= sizes.lines_tall(2),
                                           -lay.index))
    return cover_layout(master, info, sizes)


PICK = {"cover": cover_layout, "divider": divider_layout, "closing": closing_layout, "content": content_layout}


def _master_score(info: TemplateInfo, master: MasterInfo, sizes: Sizes) -> tuple:
    layout = content_layout(master, info, sizes)
    if layout is None:
        return (False, -1.0)
    slide = info.slide_box.area or 1
    cover_only = bool(master.used_by) and set(master.used_by) == {0} and any(
        m.used_by and set(m.used_by) - {0} for m in info.masters)
    room = layout.body.box.area / slide * (1 - decoration(layout, slide))
    return (content_ok(layout, info, sizes),
            round(room - (0.25 if cover_only else 0) - (0.1 if master.background_picture else 0), 3),
            len([s for s in master.used_by if s > 0]), -master.index)


def choose_layouts(info: TemplateInfo, mapping: dict[str, MapEntry] | None = None, where: tuple = (None, None),
                   traits: dict | None = None, sizes: Sizes = Sizes()) -> Choice:
    """A layout for every slide kind (``where`` = the map file and line findings point at).

    Each kind's slot is chosen by its role (``traits``: ``deck.yaml`` → ``slides:``; kitgen's own when
    None): covers, dividers and closings on the template's title, section and closing designs, content
    on the largest body box of the best master that holds five lines at ``sizes``."""
    choice = Choice()
    scored = sorted(info.masters, key=lambda m: _master_score(info, m, sizes), reverse=True)
    content = scored[0] if scored else None
    if content is None or content_layout(content, info, sizes) is None:
        choice.findings.append(Finding("error", "template/no-content-layout",
            f"no slide master of '{_name(info)}' has a layout with a title and a text box; kitgen needs one for its "
            "lists (add a 'Title and Content' layout in PowerPoint's slide master view)", where[0] or info.path, where[1]))
        return choice
    choice.content_master = content.index
    first = next((m for m in info.masters if 0 in m.used_by), None)
    cover = content
    if first is not None and first is not content:
        candidate = cover_layout(first, info, sizes)
        if candidate is not None and decoration(candidate, info.slide_box.area) < 0.3:
            cover = first
    if cover_layout(cover, info, sizes) is None:  # no title design there: any master's
        cover = next((m for m in scored if cover_layout(m, info, sizes) is not None), cover)
    choice.cover_master = cover.index
    divider = content
    if not any(lay.type == "secHead" or SECTION_NAMES.search(lay.name) for lay in content.layouts):
        # no section layout: a third design the template's sample slides use (LibreOffice's templates draw one)
        divider = next((m for m in info.masters if m.used_by and m is not content and m is not cover
                        and cover_layout(m, info, sizes) is not None), content)
    choice.divider_master = divider.index
    masters = {"cover": cover, "closing": cover, "divider": divider, "content": content}
    for kind in SLIDE_KINDS:
        slot = group(kind, traits)
        entry = (mapping or {}).get(kind)
        if entry is not None:
            ref = _from_map(info, kind, entry, masters[slot], choice, where)
            if ref is not None:
                choice.refs[kind] = ref
                continue
        layout = PICK[slot](masters[slot], info, sizes) or content_layout(content, info, sizes)
        choice.refs[kind] = layout.ref
        choice.reasons[kind] = _reason(info, slot, layout, masters[slot], sizes)
    for kind, ref in choice.refs.items():  # text boxes off the template's artwork; a cover's subtitle given room
        layout = info.layout(ref)
        cover_like = group(kind, traits) != "content"
        placed = placed_boxes(info, layout, cover_like, lines=COVER_LINES.get(group(kind, traits), 3),
                              line_spacing=sizes.line_spacing, list_pt=sizes.body_pt,
                              numbered=group(kind, traits) not in ("cover", "closing"),
                              tight=group(kind, traits) == "divider") if layout is not None else {}
        if placed:
            choice.boxes[kind] = placed
        number = number_box(info, layout) if layout is not None else None
        own = next((p.box for p in layout.placeholders if p.type == "SLIDE_NUMBER"), None) if layout is not None else None
        if number is not None and number != (own or default_number_box(info)):  # off the template's logo or artwork
            choice.boxes.setdefault(kind, {})["number"] = number
        if layout is not None and group(kind, traits) == "divider":  # the agenda tracker: on free room or not at all
            texts = (placed.get("title") or (layout.title.box if layout.title else None),
                     placed.get("body") or (layout.body.box if layout.body else None))
            choice.boxes.setdefault(kind, {})["tracker"] = tracker_box(info, layout, texts)
    for kind, kt in (traits if traits is not None else slide_traits()).items():  # figures: the largest box on offer
        if kind in SLIDE_KINDS or kt.role != "figure":
            continue
        layout = info.layout(choice.refs["content"])
        box = figure_box(info, layout, choice.boxes.get("content", {}).get("title")) if layout is not None else None
        if box is not None and box != choice.boxes.get("content", {}).get("body", layout.body.box):
            choice.boxes[kind] = {"body": box}
    return choice


def _name(info: TemplateInfo) -> str:
    return info.path.rsplit("/", 1)[-1]


def _reason(info: TemplateInfo, slot: str, layout: LayoutInfo, master: MasterInfo, sizes: Sizes) -> str:
    body = layout.body.box.describe() if layout.body is not None and layout.body.box else "none"
    named = {"cover": COVER_NAMES, "divider": SECTION_NAMES, "closing": CLOSING_NAMES}.get(slot)
    if slot == "content":
        why = "title and the largest text box" + ("" if content_ok(layout, info, sizes) else
                                                  f" (none holds {BODY_LINES} lines at {sizes.body_pt:g} pt)")
    elif layout.type == {"cover": "title", "divider": "secHead"}.get(slot, "-") or (named and named.search(layout.name)):
        why = f"the template's {slot} design"
    else:
        designed = layout.type == "title" or bool(COVER_NAMES.search(layout.name))
        why = {"cover": "title and subtitle",
               "divider": "no section layout: " + ("a title design" if designed else "the title and text layout"),
               "closing": "no closing layout: " + ("the cover design" if designed else "the title and text layout")}[slot]
    extra = ""
    if len(info.masters) > 1:
        extra = "; cover design of the first sample slide" if master.index == 0 and slot == "cover" and master.used_by else ""
        same = sum(1 for m in info.masters for lay in m.layouts if lay.name == layout.name)
        if same > 1:
            extra += f"; '{layout.name}' is in {same} masters, this one has {decoration(layout, info.slide_box.area):.0%} of its text under graphics"
    return f"{why} (body {body}{extra})"


def _find_master(info: TemplateInfo, wanted) -> MasterInfo | None:
    if isinstance(wanted, int) or (isinstance(wanted, str) and wanted.isdigit()):
        number = int(wanted)
        return info.masters[number - 1] if 1 <= number <= len(info.masters) else None
    return next((m for m in info.masters if m.name.lower() == str(wanted).lower()), None)


def _from_map(info: TemplateInfo, kind: str, entry: MapEntry, preferred: MasterInfo, choice: Choice, where: tuple):
    file, line = where[0], entry.line or where[1]
    masters = list(info.masters)
    if entry.master is not None:
        master = _find_master(info, entry.master)
        if master is None:
            names = ", ".join(f"{m.index + 1} ({m.name})" for m in info.masters)
            choice.findings.append(Finding("error", "template/missing-master",
                f"'{_name(info)}' has no slide master '{entry.master}' (for {kind} slides); it has: {names}",
                file, line, f"layouts.{kind}.master"))
            return None
        masters = [master]
    found = [lay for m in masters for lay in m.layouts if lay.name.lower() == entry.layout.lower()]
    if not found:
        known = sorted({lay.name for m in masters for lay in m.layouts})
        close = difflib.get_close_matches(entry.layout, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        choice.findings.append(Finding("error", "template/missing-layout",
            f"the deck template '{_name(info)}' has no slide layout '{entry.layout}' (for {kind} slides){hint} "
            f"It has: {', '.join(known)}", file, line, f"layouts.{kind}"))
        return None
    layout = next((lay for lay in found if lay.master == preferred.index), found[0])
    if len(found) > 1:
        choice.reasons[kind] = (f"'{entry.layout}' is in {len(found)} masters; using master {layout.master + 1} "
                                "(name the master in the map to choose another)")
    else:
        choice.reasons[kind] = "named in the layout map"
    return layout.ref


COVER_LINES = {"divider": 2, "closing": 4}  # lines a cover-like slide's text box is given room for: a divider's time
# line (two parts), a closing's "Med hjem:" and three take-home lines; a cover's subtitle, date and venue three


def slide_layout(prs, ref):
    """The python-pptx layout a :class:`LayoutRef` names (a plain name: the first master that has it)."""
    if ref is None:
        return None
    if isinstance(ref, str):
        return next((lay for m in prs.slide_masters for lay in m.slide_layouts if lay.name == ref), None)
    masters = list(prs.slide_masters)
    if 0 <= ref.master < len(masters):
        layouts = list(masters[ref.master].slide_layouts)
        if 0 <= ref.index < len(layouts) and (layouts[ref.index].name or f"layout {ref.index + 1}") == ref.name:
            return layouts[ref.index]
    return None


FOOTERS = ("FOOTER", "SLIDE_NUMBER", "DATE", "HEADER")
LOGO_MARGIN = 0.04    # of the slide's shorter side, from the edges
LOGO_HEIGHT = 0.12    # of the slide height


LOGO_PICTURE = 0.1    # of the slide's area: a master or layout picture at most this large is a logo, larger a photo


def template_logo(info: TemplateInfo, ref: LayoutRef | None) -> Graphic | None:
    """The logo the template itself shows on slides of layout ``ref``: a picture the layout or its master
    draws (not a placeholder) that is neither a full-slide background nor a photo (over
    :data:`LOGO_PICTURE` of the slide); None when it shows none. kitgen adds no logo beside it."""
    layout = info.layout(ref) if ref is not None else None
    if layout is None:
        return None
    area = info.slide_width * info.slide_height
    return next((g for g in layout.graphics if g.kind == "picture" and 0 < g.box.area <= LOGO_PICTURE * area), None)


def logo_box(info: TemplateInfo, ref: LayoutRef, slide_size: tuple[int, int] | None = None,
             aspect: float = 2.0) -> tuple[int, int, int, int]:
    """Where the logo goes on a slide of layout ``ref`` (EMU: left, top, width, height).

    The layout's picture placeholder when it has one; else the first corner (top right,
    top left, bottom right, bottom left) whose box overlaps neither a master or layout
    graphic nor a placeholder; else a bottom or top corner clear of the title and the
    template's graphics (over a text box's empty lower part), at most half size; else the
    corner that overlaps least. ``aspect`` is the
    logo's width/height; the box is the room the logo is scaled to fit.
    """
    width, height = slide_size or (info.slide_width, info.slide_height)
    layout = info.layout(ref) if ref is not None else None
    if layout is not None and layout.picture is not None and layout.picture.box is not None:
        box = layout.picture.box
        return box.left, box.top, box.width, box.height
    margin = int(min(width, height) * LOGO_MARGIN)
    hard, soft = [], []
    if layout is not None:
        hard = [g.box for g in layout.graphics if g.box.area < 0.9 * width * height]  # a full-slide background is no obstacle
        hard += [p.box for p in layout.placeholders if p.box is not None and p.type in ("TITLE", "CENTER_TITLE")]
        # text boxes: a few lines at their top leave a corner free (footers stay empty)
        soft = [p.box for p in layout.placeholders if p.box is not None and p.type not in FOOTERS + ("TITLE", "CENTER_TITLE")]
    best = None
    for taken in (hard + soft, hard):  # a corner free of everything; else one free of titles and the template's artwork
        for scale in (1.0, 0.75, 0.5, 0.35) if taken is not hard else (1.0, 0.75, 0.5):  # the largest logo that fits
            h = int(height * LOGO_HEIGHT * scale)
            w = int(min(h * aspect, width * 0.25 * scale))
            h = int(min(h, w / aspect))
            corners = [(width - w - margin, margin), (margin, margin), (width - w - margin, height - h - margin),
                       (margin, height - h - margin)]
            if taken is hard:  # beside a text box: the bottom corners first (text starts at a box's top)
                corners = corners[2:] + corners[:2]
            for left, top in corners:
                box = Box(left, top, w, h)
                covered = sum(box.overlap(t) for t in taken)
                if not covered:
                    return left, top, w, h
                if scale == 1.0 and (best is None or covered < best[0]):
                    best = (covered, (left, top, w, h))
    return best[1]
