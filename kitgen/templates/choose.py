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
from dataclasses import dataclass, field

from kitgen.core.findings import Finding
from kitgen.templates.inspect import LayoutInfo, LayoutRef, MasterInfo, TemplateInfo

COVER_KINDS = ("title", "closing")
DIVIDER_KINDS = ("section",)
CONTENT_KINDS = ("agenda", "content", "tool", "questions", "quote")
KINDS = ("title", "agenda", "section", "content", "tool", "questions", "quote", "closing")


@dataclass(frozen=True)
class MapEntry:
    """What a layout map says for one slide kind: a layout name, and optionally a master (number or name)."""

    layout: str
    master: int | str | None = None
    line: int | None = None


@dataclass
class Choice:
    refs: dict[str, LayoutRef] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    content_master: int = 0
    cover_master: int = 0


def decoration(layout: LayoutInfo, slide_area: int) -> float:
    """Share (0–1) of the layout's title and body boxes that the master's/layout's graphics obstruct."""
    from kitgen.templates.inspect import obstruction

    boxes = [p.box for p in (layout.title, layout.body) if p is not None and p.box is not None and p.box.area]
    total = sum(b.area for b in boxes)
    if not total:
        return 0.0
    covered = sum(min(sum(obstruction(g, b, slide_area) for g in layout.graphics), b.area) for b in boxes)
    return covered / total


def content_layout(master: MasterInfo) -> LayoutInfo | None:
    """Title plus the largest single body: where lists go."""
    best, best_key = None, None
    for layout in master.layouts:
        body = layout.body
        if layout.title is None or body is None or body.box is None or body.type == "SUBTITLE":
            continue
        single = len(layout.bodies) == 1
        key = (single, layout.type in ("obj", "tx"), body.box.area, -layout.index)
        if best_key is None or key > best_key:
            best, best_key = layout, key
    return best


def cover_layout(master: MasterInfo) -> LayoutInfo | None:
    """Title plus subtitle (or a ``title``-type layout): the title and closing slides."""
    best, best_key = None, None
    for layout in master.layouts:
        if layout.title is None or len(layout.bodies) != 1:
            continue
        key = (layout.type == "title", any(p.type == "SUBTITLE" for p in layout.bodies), layout.title.type == "CENTER_TITLE",
               -layout.index)
        if best_key is None or key > best_key:
            best, best_key = layout, key
    return best


def divider_layout(master: MasterInfo) -> LayoutInfo | None:
    """A section header: ``secHead``, else a title with one small body, else the master's cover layout."""
    for layout in master.layouts:
        if layout.type == "secHead" and layout.title is not None and layout.body is not None:
            return layout
    return cover_layout(master) or content_layout(master)


PICK = {"cover": cover_layout, "divider": divider_layout, "content": content_layout}


def group(kind: str) -> str:
    return "cover" if kind in COVER_KINDS else "divider" if kind in DIVIDER_KINDS else "content"


def _master_score(info: TemplateInfo, master: MasterInfo) -> tuple:
    layout = content_layout(master)
    if layout is None:
        return (-1.0,)
    slide = info.slide_box.area or 1
    cover_only = bool(master.used_by) and set(master.used_by) == {0} and any(
        m.used_by and set(m.used_by) - {0} for m in info.masters)
    room = layout.body.box.area / slide * (1 - decoration(layout, slide))
    return (round(room - (0.25 if cover_only else 0) - (0.1 if master.background_picture else 0), 3),
            len([s for s in master.used_by if s > 0]), -master.index)


def choose_layouts(info: TemplateInfo, mapping: dict[str, MapEntry] | None = None, where: tuple = (None, None)) -> Choice:
    """A layout for every slide kind (``where`` = the map file and line findings point at)."""
    choice = Choice()
    scored = sorted(info.masters, key=lambda m: _master_score(info, m), reverse=True)
    content = scored[0] if scored else None
    if content is None or content_layout(content) is None:
        choice.findings.append(Finding("error", "template/no-content-layout",
            f"no slide master of '{_name(info)}' has a layout with a title and a text box; kitgen needs one for its "
            "lists (add a 'Title and Content' layout in PowerPoint's slide master view)", where[0] or info.path, where[1]))
        return choice
    choice.content_master = content.index
    first = next((m for m in info.masters if 0 in m.used_by), None)
    cover = content
    if first is not None and first is not content:
        candidate = cover_layout(first)
        if candidate is not None and decoration(candidate, info.slide_box.area) < 0.3:
            cover = first
    choice.cover_master = cover.index
    masters = {"cover": cover, "divider": content, "content": content}
    for kind in KINDS:
        entry = (mapping or {}).get(kind)
        if entry is not None:
            ref = _from_map(info, kind, entry, masters[group(kind)], choice, where)
            if ref is not None:
                choice.refs[kind] = ref
                continue
        layout = PICK[group(kind)](masters[group(kind)]) or content_layout(content)
        choice.refs[kind] = layout.ref
        choice.reasons[kind] = _reason(info, kind, layout, masters[group(kind)])
    return choice


def _name(info: TemplateInfo) -> str:
    return info.path.rsplit("/", 1)[-1]


def _reason(info: TemplateInfo, kind: str, layout: LayoutInfo, master: MasterInfo) -> str:
    body = layout.body.box.describe() if layout.body is not None and layout.body.box else "none"
    why = {"cover": "title and subtitle", "divider": "section header" if layout.type == "secHead" else "title and one small text box",
           "content": "title and the largest single text box"}[group(kind)]
    extra = ""
    if len(info.masters) > 1:
        extra = "; cover design of the first sample slide" if master.index == 0 and group(kind) == "cover" and master.used_by else ""
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


def logo_box(info: TemplateInfo, ref: LayoutRef, slide_size: tuple[int, int] | None = None,
             aspect: float = 2.0) -> tuple[int, int, int, int]:
    """Where the logo goes on a slide of layout ``ref`` (EMU: left, top, width, height).

    The layout's picture placeholder when it has one; else the first corner (top right,
    top left, bottom right, bottom left) whose box overlaps neither a master or layout
    graphic nor a placeholder; else the corner that overlaps least. ``aspect`` is the
    logo's width/height; the box is the room the logo is scaled to fit.
    """
    from kitgen.templates.inspect import Box

    width, height = slide_size or (info.slide_width, info.slide_height)
    layout = info.layout(ref) if ref is not None else None
    if layout is not None and layout.picture is not None and layout.picture.box is not None:
        box = layout.picture.box
        return box.left, box.top, box.width, box.height
    margin = int(min(width, height) * LOGO_MARGIN)
    taken = []
    if layout is not None:
        taken = [g.box for g in layout.graphics if g.box.area < 0.9 * width * height]  # a full-slide background is no obstacle
        taken += [p.box for p in layout.placeholders if p.box is not None and p.type not in FOOTERS]  # footers stay empty
    best = None
    for scale in (1.0, 0.75, 0.5, 0.35):  # the largest logo that fits a free corner; smaller before overlapping
        h = int(height * LOGO_HEIGHT * scale)
        w = int(min(h * aspect, width * 0.25 * scale))
        h = int(min(h, w / aspect))
        corners = [(width - w - margin, margin), (margin, margin), (width - w - margin, height - h - margin),
                   (margin, height - h - margin)]
        for left, top in corners:
            box = Box(left, top, w, h)
            covered = sum(box.overlap(t) for t in taken)
            if not covered:
                return left, top, w, h
            if scale == 1.0 and (best is None or covered < best[0]):
                best = (covered, (left, top, w, h))
    return best[1]
