"""Where a slide's text goes on the template's free area: shrink a box off the template's artwork, grow a
cover's one-line subtitle box into the room below it.

A layout's title and text boxes are where the template's designer put them, but some designs
leave a box under a logo, an arrow or a photo of the master, and some give a cover a subtitle box
one line high. :func:`placed_boxes` gives, for one layout, the boxes kitgen writes instead:

* a text box that a master or layout picture, group or decorative shape covers (not a full-slide
  background, not a panel holding the whole box, not a band behind a title) is cut to the largest
  part beside, above or below that graphic;
* on a cover, divider or closing, a text box lower than ``lines`` lines at the kind's size is grown
  down into the free room under it (up to the next placeholder or graphic, or the footer line);
  so is a list box lower than :data:`SHORT` of the slide (Google's master: 151 pt of a 405 pt slide).

Boxes are :class:`kitgen.templates.inspect.Box` in EMU; fitting measures with them and the deck
renderer writes them on the slide, so both agree.
"""

from __future__ import annotations

from kitgen.templates.inspect_model import PANEL, Box, LayoutInfo, TemplateInfo, obstruction

EMU_PER_PT = 12700
MIN_SHARE = 0.03       # a graphic covering less of a box than this is left alone (an edge touching)
MARGIN = 0.04          # of the slide height: free room ends this far above the slide's bottom edge
GAP_PT = 6             # kept between a moved box and the graphic it avoids
LIST_LINES = 5          # a list box cut off the artwork keeps at least this many lines at the deck's body size
TITLE_LINES, TITLE_LEAST_PT = 2, 20   # … a title cut under a rule it crosses, two lines at kitgen's least title size
EDGE = 0.02            # of the slide width: a box this close to the slide's side runs to its edge
SHORT = 0.4            # of the slide height: a list box lower than this grows into the free room under it
FIGURE_GAP_PT = 14     # a figure keeps this far below its title or the bar the title stands on (6 pt looked jammed)
LINE_GAP_PT = 4.4      # the space kitgen.plan.fit allows between a cover's lines (its one-block spacing): room above
FOOT = 0.75            # of the slide height: what is drawn below this ends a figure's free area


def _obstacles(info: TemplateInfo, layout: LayoutInfo, box: Box, title: bool) -> list[Box]:
    slide = info.slide_width * info.slide_height
    found = []
    for graphic in layout.graphics:
        if title and graphic.kind == "shape":
            continue  # a band behind a title is its design
        covered = obstruction(graphic, box, slide)
        if covered > MIN_SHARE * box.area or (covered and _across(graphic.box, box)):
            found.append(graphic.box)
    return found


def _across(graphic: Box, box: Box) -> bool:
    """A thin graphic (a rule) running across at least half of the box: small in area, but text over it is struck through."""
    wide = min(graphic.left + graphic.width, box.left + box.width) - max(graphic.left, box.left)
    tall = min(graphic.top + graphic.height, box.top + box.height) - max(graphic.top, box.top)
    return wide >= box.width / 2 or tall >= box.height / 2


def _cut(box: Box, obstacle: Box) -> Box:
    """The largest part of ``box`` beside, above or below ``obstacle`` (with a small gap)."""
    gap = GAP_PT * EMU_PER_PT
    right, bottom = box.left + box.width, box.top + box.height
    candidates = [
        Box(box.left, box.top, obstacle.left - gap - box.left, box.height),                              # left of it
        Box(obstacle.left + obstacle.width + gap, box.top, right - obstacle.left - obstacle.width - gap, box.height),
        Box(box.left, box.top, box.width, obstacle.top - gap - box.top),                                 # above it
        Box(box.left, obstacle.top + obstacle.height + gap, box.width, bottom - obstacle.top - obstacle.height - gap),
    ]
    candidates = [c for c in candidates if c.width > 0 and c.height > 0]
    return max(candidates, key=lambda c: c.area, default=box)


def clear_of_artwork(info: TemplateInfo, layout: LayoutInfo, box: Box, title: bool = False) -> Box:
    """``box`` cut free of the master's and layout's pictures, groups and decorative shapes."""
    for _ in range(4):  # a box between two graphics is cut twice; more is a template drawn all over
        obstacles = sorted(_obstacles(info, layout, box, title), key=lambda g: -g.overlap(box))
        if not obstacles:
            break
        box = _cut(box, obstacles[0])
    return box


def grown_down(info: TemplateInfo, layout: LayoutInfo, box: Box, height_pt: float, numbered: bool = True) -> Box:
    """``box`` made ``height_pt`` tall where the room under it is free, else as tall as that room allows (a slide
    without a number, a cover or closing, grows over the layout's empty number box: Midnightblue's closing)."""
    want = int(height_pt * EMU_PER_PT)
    if box.height >= want:
        return box
    limit = info.slide_height - int(info.slide_height * MARGIN)
    unused = ("PICTURE",) if numbered else ("PICTURE", "SLIDE_NUMBER")
    below = [p.box for p in layout.placeholders if p.box is not None and p.box.top >= box.top + box.height
             and p.type not in unused]
    below += [g.box for g in layout.graphics if g.box.area < 0.9 * info.slide_width * info.slide_height]
    for other in below:
        across = min(box.left + box.width, other.left + other.width) - max(box.left, other.left) > 0
        if across and other.top >= box.top + box.height:
            limit = min(limit, other.top - GAP_PT * EMU_PER_PT)
    return Box(box.left, box.top, box.width, max(box.height, min(want, limit - box.top)))


def grown_up(info: TemplateInfo, layout: LayoutInfo, box: Box, height_pt: float) -> Box:
    """``box`` grown up to ``height_pt`` where the room under it was too little, over the free room above it (an
    empty text field of the layout, which the slide leaves off): up to the title or the artwork above, never
    over them (corpus D03's closing: its text box above the footer band held three of four lines)."""
    want = int(height_pt * EMU_PER_PT)
    if box.height >= want:
        return box
    bottom = box.top + box.height
    above = [p.box for p in (layout.title,) if p is not None and p.box is not None]
    above += [g.box for g in layout.graphics if g.box.area < 0.9 * info.slide_width * info.slide_height]
    limit = 0
    for other in above:
        across = min(box.left + box.width, other.left + other.width) - max(box.left, other.left) > 0
        if across and other.top + other.height <= box.top:
            limit = max(limit, other.top + other.height + GAP_PT * EMU_PER_PT)
    top = max(limit, bottom - want)
    return Box(box.left, top, box.width, bottom - top) if top < box.top else box


def figure_box(info: TemplateInfo, layout: LayoutInfo, title: Box | None = None) -> Box | None:
    """The largest box a figure can take on ``layout``: the whole free area under the title (as wide as the
    title and body boxes reach, down to the footers, slide number or the slide's bottom margin), cut free
    of the template's artwork; the layout's body box (cut above the footers) when that is larger. None
    when the layout has no body box. A figure never covers the slide number or footers."""
    body = layout.body.box if layout.body is not None and layout.body.box is not None else None
    title = title or (layout.title.box if layout.title is not None else None)
    if body is None:
        return None
    own = clear_of_artwork(info, layout, body)
    if title is None or not title.area:
        return own
    edge = EDGE * info.slide_width  # a title bar running to the slide's edge does not take a figure there
    left = min(title.left if title.left > edge else body.left, body.left)
    right = max(title.left + title.width if title.left + title.width < info.slide_width - edge else 0, body.left + body.width)
    whole = 0.9 * info.slide_width * info.slide_height
    bars = [g.box for g in layout.graphics if g.box.area < whole and g.box.width >= (right - left) / 2
            and g.box.top <= title.top + title.height // 2 <= g.box.top + g.box.height]  # the bar the title stands on
    top = max([title.top + title.height] + [b.top + b.height for b in bars]) + FIGURE_GAP_PT * EMU_PER_PT
    limit = info.slide_height - int(info.slide_height * MARGIN)
    others = [p.box for p in layout.placeholders if p.box is not None and p.box.area
              and p.box is not body and p.box is not title and p.type not in ("PICTURE", "BODY", "OBJECT", "TITLE", "CENTER_TITLE")]
    # a band across the foot of the slide ends the free area, and so does anything drawn in its lowest quarter (a
    # slide-number circle, a footer logo: Midnightblue, corpus D02, D05); a logo higher up is cut round (clear_of_artwork)
    others += [g.box for g in layout.graphics if g.box.area < whole
               and (g.box.width >= (right - left) / 2 or g.box.top >= FOOT * info.slide_height)]
    for other in others:
        across = min(right, other.left + other.width) - max(left, other.left) > 0
        if across and other.top >= top + (body.top + body.height - top) / 2:  # a footer or band below the text
            limit = min(limit, other.top - 2 * GAP_PT * EMU_PER_PT)
    if limit - top < 0.3 * info.slide_height or right <= left:
        return own
    if own.top + own.height > limit and limit - own.top > 0:  # a body box running over the footers: cut above them
        own = Box(own.left, own.top, own.width, limit - own.top)
    if own.top < top < own.top + own.height:  # … and the title bar's gap kept
        own = Box(own.left, top, own.width, own.top + own.height - top)
    free = clear_of_artwork(info, layout, Box(left, top, right - left, limit - top))
    return free if free.area > own.area else own


TRACKER = (0.655, 0.14, 0.30, 0.72)  # a divider's agenda tracker: left, top, width, height as shares of the slide
TRACKER_LEAST = (0.2, 0.3)            # … and the least of the slide's width and height it needs to be drawn at all
TRACKER_PAD_PT = 12                   # kept between the tracker and the divider's title and text (besides GAP_PT)


def tracker_box(info: TemplateInfo, layout: LayoutInfo, avoid: tuple = ()) -> Box | None:
    """Where a divider's agenda tracker goes: the right third of the slide cut free of the layout's and
    master's artwork (pictures, groups, free-drawn shapes such as arcs; not a full-slide background or a
    plain panel) and of the text boxes in ``avoid``; None when too little of it is free to hold the list."""
    w, h = info.slide_width, info.slide_height
    box = Box(*(int(share * size) for share, size in zip(TRACKER, (w, h, w, h))))
    obstacles = [g.box for g in layout.graphics if g.box.area < 0.9 * w * h and g.box.overlap(box)
                 and (g.kind != "shape" or g.freeform or not (g.box.contains(box) or g.box.area >= 0.4 * w * h))]
    pad = TRACKER_PAD_PT * EMU_PER_PT  # a title's first line starts at its box's top: the list keeps clear of it
    avoid = [Box(b.left - pad, b.top - pad, b.width + 2 * pad, b.height + 2 * pad) for b in avoid if b is not None]
    obstacles += [b for b in avoid if b.overlap(box)]
    for _ in range(4):
        hit = sorted((o for o in obstacles if o.overlap(box)), key=lambda o: -o.overlap(box))
        if not hit:
            break
        cut = _cut(box, hit[0])
        if cut is box or cut.overlap(hit[0]):  # the artwork holds the whole box: no free part
            return None
        box = cut
    if box.width < TRACKER_LEAST[0] * w or box.height < TRACKER_LEAST[1] * h:
        return None
    return box


NUMBER = (1.4, 0.55, 1.0, 0.4)  # inches: a slide number's text box, from the right and bottom edges, when the layout has none
NUMBER_LEAST_PT = (28, 12)     # the least width and height a number box keeps when it is cut off the artwork
NUMBER_PAD_PT = 8              # room kept between a moved number box and the artwork (besides GAP_PT)


def default_number_box(info: TemplateInfo) -> Box:
    """The box of a slide number the layout does not place (near the bottom right corner)."""
    right, bottom, width, height = (int(inches * 914400) for inches in NUMBER)
    return Box(info.slide_width - right, info.slide_height - bottom, width, height)


def number_box(info: TemplateInfo, layout: LayoutInfo) -> Box:
    """Where a slide's number goes on ``layout``: the layout's slide-number box (or :func:`default_number_box`)
    kept off the master's and layout's pictures, groups and decorative shapes (a logo, an arrow): cut to its
    free part beside, above or below them, else moved to just left of (or above) them, still on the slide.
    A panel or band the number sits on is no obstacle."""
    own = next((p.box for p in layout.placeholders if p.type == "SLIDE_NUMBER" and p.box is not None and p.box.area), None)
    box = own or default_number_box(info)
    slide = info.slide_width * info.slide_height
    pad = NUMBER_PAD_PT * EMU_PER_PT

    def hit(graphic, where: Box, padded: bool = True) -> bool:  # a free-drawn wave or swirl is artwork even where its box
        if padded:                                                  # holds the number's; a logo keeps a little room
            where = Box(where.left - pad, where.top - pad, where.width + 2 * pad, where.height + 2 * pad)
        wave = graphic.freeform and graphic.box.area < PANEL * slide  # a larger free-drawn shape is a frame or panel
        return obstruction(graphic, where, slide) > 0 or (wave and graphic.box.overlap(where) > 0)

    obstacles = [g.box for g in layout.graphics if hit(g, box, padded=False)]
    if not obstacles:
        return box
    least_w, least_h = (int(pt * EMU_PER_PT) for pt in NUMBER_LEAST_PT)
    gap = GAP_PT * EMU_PER_PT + pad
    candidates = [clear_of_artwork(info, layout, box)]
    for obstacle in sorted(obstacles, key=lambda o: -o.overlap(box)):
        candidates.append(Box(obstacle.left - gap - box.width, box.top, box.width, box.height))    # left of it
        candidates.append(Box(box.left, obstacle.top - gap - box.height, box.width, box.height))   # above it
    climbed = box
    for _ in range(8):  # up the slide past a band of artwork (Google's waves and dots), in the same column
        hits = [g.box for g in layout.graphics if hit(g, climbed)]
        if not hits:
            candidates.append(climbed)
            break
        climbed = Box(box.left, min(h.top for h in hits) - gap - box.height, box.width, box.height)
    texts = [p.box for p in (layout.title, layout.body) if p is not None and p.box is not None]
    body = layout.body.box if layout.body is not None and layout.body.box is not None else None
    texts += [b for b in (figure_box(info, layout), grown_down(info, layout, body, info.slide_height / EMU_PER_PT)
                          if body is not None else None) if b is not None]
    for candidate in candidates:  # never into the slide's title, text or figures
        free = not any(hit(g, candidate) for g in layout.graphics) and not any(t.overlap(candidate) for t in texts)
        if free and candidate.width >= least_w and candidate.height >= least_h and candidate.left >= 0 and candidate.top >= 0:
            return candidate
    return box


def off_seams(info: TemplateInfo, layout: LayoutInfo, box: Box) -> Box:
    """``box`` kept on one colour: where the edge of a large plain panel (Midnightblue's teal top over its navy) runs
    across it, the larger part beside the seam (text straddling two colours is half unreadable)."""
    gap = GAP_PT * EMU_PER_PT
    slide = info.slide_width * info.slide_height
    for graphic in layout.graphics:
        panel = graphic.box
        if graphic.kind != "shape" or graphic.freeform or not PANEL * slide <= panel.area < 0.9 * slide \
                or panel.left > box.left or panel.left + panel.width < box.left + box.width:
            continue
        for seam in (panel.top, panel.top + panel.height):
            if box.top + gap < seam < box.top + box.height - gap:
                above = Box(box.left, box.top, box.width, seam - gap - box.top)
                below = Box(box.left, seam + gap, box.width, box.top + box.height - seam - gap)
                box = max((above, below), key=lambda part: part.height)
    return box


def placed_boxes(info: TemplateInfo, layout: LayoutInfo, cover_like: bool, body_pt: float = 20.0,
                 lines: int = 3, line_spacing: float = 1.2, list_pt: float = 22.0, numbered: bool = True,
                 tight: bool = False) -> dict[str, Box]:
    """The boxes of ``layout`` kitgen places its text in where they differ from the layout's own:
    ``{"title": Box, "body": Box}``, either key left out when the layout's box stands."""
    out = {}
    for part, placeholder in (("title", layout.title), ("body", layout.body)):
        if placeholder is None or placeholder.box is None or not placeholder.box.area:
            continue
        box = clear_of_artwork(info, layout, placeholder.box, title=part == "title")
        if part == "body" and cover_like:
            box = off_seams(info, layout, box)
            gaps = (lines - 1) * LINE_GAP_PT if lines > 3 else 0.0  # a closing's four lines: the space between them too
            box = grown_down(info, layout, box, lines * body_pt * line_spacing + gaps + 7.2, numbered)
            box = grown_up(info, layout, box, lines * body_pt * line_spacing + (lines - 1) * LINE_GAP_PT + 7.2)
            tall = int(((lines + 1) * body_pt * line_spacing + lines * LINE_GAP_PT + 7.2) * EMU_PER_PT)  # a line spare:
            if tight and box.height > 2 * tall:  # a narrow box wraps its parts; a divider's time line sits under its
                box = Box(box.left, box.top, box.width, tall)  # title, not mid-slide (Vivid's 178 pt box, centred)
        elif part == "body" and box.height < SHORT * info.slide_height:  # a list box far shorter than the free room
            box = grown_down(info, layout, box, info.slide_height / EMU_PER_PT)
        elif part == "body":  # a text box running over the slide number and footers (Vivid's): it ends above them
            footers = [p.box.top for p in layout.placeholders if p.type in ("SLIDE_NUMBER", "FOOTER", "DATE")
                       and p.box is not None and p.box.overlap(box) and p.box.top > box.top + box.height / 2]
            if footers:
                box = Box(box.left, box.top, box.width, min(footers) - GAP_PT * EMU_PER_PT - box.top)
        least = (LIST_LINES * list_pt * line_spacing + 7.2) * EMU_PER_PT if part == "body" else \
            (TITLE_LINES * TITLE_LEAST_PT * line_spacing + 7.2) * EMU_PER_PT  # a title cut under a rule it crosses
        rules_only = part == "body" or all(o.height <= 0.2 * placeholder.box.height
                                            for o in _obstacles(info, layout, placeholder.box, True))
        if (part == "title" or not cover_like) and rules_only and box.height < least <= placeholder.box.height:
            box = placeholder.box  # cut off the artwork it would hold too few lines: the designer's own box stands
        if box != placeholder.box:
            out[part] = box
    return out
