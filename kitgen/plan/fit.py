"""Does the text fit its box? Measured by kitgen, because nothing else will.

python-pptx's ``MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE`` only sets a flag that PowerPoint
applies the next time someone edits the text, and ``fit_text()`` needs a font file;
LibreOffice and viewers show the overflow as it is. So kitgen measures: it finds the
font file fontconfig would use for the deck's font (the same choice LibreOffice makes
on this machine), measures each paragraph's width with Pillow, wraps it to the
placeholder's width, and adds up line heights. A slide whose text is too tall is
first shrunk down to ``min_body_size_pt``; if it still does not fit, its list is split
across continuation slides; what cannot be split (one very long paragraph or title)
is reported as a ``slides/overflow`` finding. The size kitgen measured with is the size
the deck renderer writes, so measurement and rendering cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kitgen.core.findings import Finding
from kitgen.content.layouts import FitSettings, KindTraits, traits_of
from kitgen.plan.kitplan import Paragraph
from kitgen.plan.measure import CARD_INSET_PT, EMU_PER_PT, INSET_X_PT, INSET_Y_PT, Box, _sizes, fits, title_line_pt, words_fit
from kitgen.plan.slides.kinds import layout_kind
from kitgen.templates.clean_base import PackageError
from kitgen.templates.inspect import inspect_template

# What each slide kind is comes from its traits (deck.yaml -> slides:, kitgen.layouts.KindTraits):
# covers, dividers and closings keep their own title sizes (every other kind shares one); the running text of
# every other kind (a list, an exercise, a question, a statement, a quote) is set at the deck's body size or its
# dense size, so a deck reads title > body > dense (issue 21.3: questions at 30 pt stood as large as the titles);
# large display type is only a key figure's number and a quote's mark (kitgen.render.deck_body). A splittable kind
# goes onto continuation slides by paragraph or by whole item (a quote with its attribution, an agenda line) when
# it does not fit.
BODY_ROLES = ("content", "exercise")  # lists: at most MAX_BULLETS points at the body size
SCALE_ROLES = (*BODY_ROLES, "question", "statement", "quote")  # the deck's body size, or its dense size
MAX_BULLETS = 6  # points on one slide at the body size of a kind split by paragraph
MAX_DENSE_BULLETS = 7  # … and at the dense size, when they fit there: one full slide, not two half-empty ones
CONTINUED = "{title} (%s {n}/{of})"  # the labels' continued_title where they give none


@dataclass(frozen=True)
class LayoutBoxes:
    title: Box | None
    body: Box | None


def box_note(branding, layout, kind: str = "") -> str:
    """Which box of which template an overflow happened in: the template's part of the problem."""
    boxes = placed(branding, kind, template_boxes(str(branding.pptx_template), layout))
    sizes = ", ".join(f"{part} {box.width_pt:.0f}×{box.height_pt:.0f} pt" for part, box in
                      (("title", boxes.title), ("text", boxes.body)) if box is not None)
    return (f" (layout {layout} of '{branding.pptx_template.name}': {sizes}; shorten the text, or give this kind a "
            f"larger layout or smaller sizes in {branding.pptx_template.with_suffix('.yaml').name})")


def placed(branding, kind: str, boxes: LayoutBoxes, slide_kind: str = "") -> LayoutBoxes:
    """The boxes kitgen writes for ``kind`` (``branding.boxes``: off the template's artwork, a cover's
    subtitle given room; :mod:`kitgen.templates.place`), else the layout's own. ``slide_kind``'s own
    boxes (a figure kind's whole free area) come before those of the layout kind it shares."""
    table = getattr(branding, "boxes", None) or {}
    moved = {**(table.get(kind) or {}), **(table.get(slide_kind) or {})}

    def size(box) -> Box | None:
        return Box(box.width / EMU_PER_PT, box.height / EMU_PER_PT) if box is not None else None

    return LayoutBoxes(size(moved.get("title")) or boxes.title, size(moved.get("body")) or boxes.body)


def template_boxes(template: str, layout) -> LayoutBoxes:
    """The title and body box of one layout of a template: the very placeholders the deck fills.

    ``layout`` is a :class:`~kitgen.templates.inspect.LayoutRef` (master + layout), so
    a name that several masters share never yields another master's box; a plain name
    (older callers) means that layout in the first master that has it.
    """
    return _template_boxes(template).get(layout, LayoutBoxes(None, None))


def _template_boxes(template: str) -> dict:
    """Every layout's boxes of one template (empty when it cannot be read: validation reports the file)."""
    try:
        info = inspect_template(Path(template))
    except PackageError:
        return {}
    return _all_boxes(info)


def _all_boxes(info) -> dict:
    """Every layout's boxes, keyed by LayoutRef and (first master that has it) by name."""
    def box(placeholder):
        if placeholder is None or placeholder.box is None:
            return None
        return Box(placeholder.box.width_pt, placeholder.box.height_pt)

    boxes = {}
    for layout in info.layouts:
        found = LayoutBoxes(box(layout.title), box(layout.body))
        boxes[layout.ref] = found
        boxes.setdefault(layout.name, found)
    return boxes


def _content_master(branding):
    """(template facts, the master of its content layout) of the org's deck template; None when unreadable."""
    try:
        info = inspect_template(Path(branding.pptx_template))
    except PackageError:
        return None
    ref = branding.layout_names.get("content")
    master = info.masters[ref.master] if ref is not None and 0 <= getattr(ref, "master", -1) < len(info.masters) else \
        (info.masters[0] if info.masters else None)
    return info, master

def type_scale(branding, layouts) -> FitSettings:
    """The deck's sizes: a client template's map ``fit:``, else its master's text styles, else deck.yaml's;
    a client template's line, paragraph and letter spacing always from its master (what it renders with)."""
    settings = branding.fit or layouts.fit
    if Path(branding.pptx_template) == Path(layouts.deck_template):
        return title_leads(settings)
    if settings != layouts.fit:
        return title_leads(template_spacing(branding, settings, layouts.fit))

    found = _content_master(branding)
    if found is None:
        return settings
    info, master = found
    if master is None:
        return settings
    title = max(master.title_size_pt or settings.title_size_pt, layouts.fit.min_title_size_pt)  # a 15 pt master title: the table's least
    body = master.body_size_pt or settings.body_size_pt
    scale = replace(settings, title_size_pt=title, body_size_pt=body, min_title_size_pt=min(settings.min_title_size_pt, title),
                    min_body_size_pt=min(settings.min_body_size_pt, body), quote_size_pt=max(body, settings.quote_size_pt),
                    dense_size_pt=min(settings.dense_size_pt, body))
    return with_spacing(title_leads(scale), master.body_type, layouts.fit)


def title_leads(settings: FitSettings) -> FitSettings:
    """The deck's scale with its body below its titles: a client template whose body style is as large as its title
    style (Midnightblue 21/21 pt, Vivid 26/26 pt) sets its body a step down, the dense size at most that, so every
    slide reads title > body > dense."""
    if settings.body_size_pt < settings.title_size_pt:
        return settings
    body = max(round(settings.title_size_pt * BODY_UNDER_TITLE), 1)
    return replace(settings, body_size_pt=body, dense_size_pt=min(settings.dense_size_pt, body),
                   min_body_size_pt=min(settings.min_body_size_pt, body))


BODY_UNDER_TITLE = 0.85  # a body as large as the title is set at this share of it (26 pt titles: 22 pt body)


SINGLE_LINE = 1.2  # a line at 100 % spacing is about 1.2 × the font size (ascent, descent and gap of Arial/Calibri)


def with_spacing(settings: FitSettings, style, base: FitSettings) -> FitSettings:
    """``settings`` measured with the master's body spacing (``style``: a
    :class:`~kitgen.templates.inspect.TypeStyle`): its line spacing, space before and after a paragraph
    and letter spacing, where the map's ``fit:`` does not set them itself (they equal deck.yaml's)."""
    if style is None:
        return settings
    changes = {}
    if settings.line_spacing == base.line_spacing:
        if style.line_spacing is not None:
            changes["line_spacing"] = min(max(SINGLE_LINE * style.line_spacing, 0.8), 3.0)
        elif style.line_pt is not None:
            changes["line_spacing"] = min(max(style.line_pt / settings.body_size_pt, 0.8), 3.0)
    if settings.paragraph_space_pt == base.paragraph_space_pt and (style.space_before_pt is not None
                                                                    or style.space_after_pt is not None):
        changes["paragraph_space_pt"] = min((style.space_before_pt or 0.0) + (style.space_after_pt or 0.0), 48.0)
    if style.letter_spacing_pt:
        changes["letter_spacing_pt"] = style.letter_spacing_pt
    return replace(settings, **changes)


def template_spacing(branding, settings: FitSettings, base: FitSettings) -> FitSettings:
    """:func:`with_spacing` for a client template whose map sets its sizes."""

    found = _content_master(branding)
    if found is None:
        return settings
    info, master = found
    return with_spacing(settings, master.body_type if master is not None else None, base)


def fit_slides(slides, branding, settings: FitSettings, findings: list[Finding], labels: dict, kinds: dict | None = None,
               traits: dict[str, KindTraits] | None = None):
    """Shrink or split slides whose text does not fit. Every slide that is not a cover has one
    title size: the deck's, or the size at which the longest title fits (kitgen's template
    gives a title room for two lines, so that is the deck's size there).

    The deck has one type scale (deck.yaml → ``fit:``): the text of every body kind
    (role ``content`` or ``exercise``) is set at ``body_size_pt``, or at ``dense_size_pt`` when a full slide
    needs it — two sizes in the whole deck. A slide with more than :data:`MAX_BULLETS` points, or
    more text than fits at the dense size, is split onto balanced continuation slides. Cover
    kinds keep their own sizes (``slides:`` → ``body_pt``); quotes start at ``quote_size_pt``.
    ``traits`` are the kinds' traits (``deck.yaml`` → ``slides:``; kitgen's own when None).
    """
    out = []
    known = _template_boxes(str(branding.pptx_template))  # the template is read once, not once a slide
    for slide in (as_quoted(s, traits_of(s.kind, traits)) for s in slides):
        layout = branding.layout_names.get(layout_kind(slide.kind, kinds), "")
        boxes = placed(branding, layout_kind(slide.kind, kinds), known.get(layout, LayoutBoxes(None, None)), slide.kind)
        trait = traits_of(slide.kind, traits)
        if trait.role == "question" and boxes.body is not None:  # set on a card, inside its inset (kitgen.render.deck_card)
            boxes = replace(boxes, body=Box(boxes.body.width_pt - 2 * (CARD_INSET_PT - INSET_X_PT / 2),
                                            boxes.body.height_pt - 2 * (CARD_INSET_PT - INSET_Y_PT / 2)))
        start = _start_size(slide.kind, trait, settings, kinds)
        cover = (kinds or {}).get(slide.kind)
        title_start = cover.title_pt if cover is not None and trait.cover_like and cover.title_pt else None
        plain = _one_block(settings)  # a title, a cover's few lines: not spaced as a list's paragraphs
        out.extend(_fit_title(piece, boxes.title, branding.heading_font, plain, title_start)
                   for piece in _fit_body(slide, trait, boxes.body, branding.body_font,
                                          plain if trait.cover_like else settings, labels, start))
    _shared_title_sizes(out, traits)
    for slide in out:
        if slide.overflow:
            origin = slide.origin
            where = box_note(branding, branding.layout_names.get(layout_kind(slide.kind, kinds), ""), layout_kind(slide.kind, kinds))
            findings.append(Finding("error", "slides/overflow", f"slide '{slide.title[:60]}': {slide.overflow}{where}",
                                    origin.file if origin else None, origin.line if origin else None))
    return out


def _shared_title_sizes(slides: list, traits: dict[str, KindTraits] | None) -> None:
    """One title size for each family of slides, the size every title of it fits at: the content slides' titles; the
    dividers' (a client's dividers stood at 24, 32 and 36 pt: Midnightblue); the cover's and the closing's (Vivid's
    28 pt cover under its 40 pt closing)."""
    families: dict[str, list] = {}
    for slide in slides:
        role = traits_of(slide.kind, traits).role
        if slide.title_size_pt:
            families.setdefault("cover" if role in ("cover", "closing") else role if role == "divider" else "", []).append(slide)
    for family in families.values():
        least = min(slide.title_size_pt for slide in family)
        for slide in family:
            slide.title_size_pt = least


def as_quoted(slide, trait: KindTraits):
    """A definition given with its source is a quotation (AMK 12, Edmondson's): its words are set and measured as a
    quote's are (the large mark, italic, indented right of the mark), so it looks as the deck's quote slides do."""
    body = slide.body or []
    if trait.role != "statement" or not any(p.style == "attribution" for p in body) \
            or not all(p.style in ("plain", "attribution") for p in body):
        return slide
    return replace(slide, body=[replace(p, style="quote") if p.style == "plain" else p for p in body])


def _one_block(settings: FitSettings) -> FitSettings:
    """``settings`` for a title or a cover's lines: a template's list spacing (its master's space before and
    after a body paragraph) is not theirs, so at most deck.yaml's default paragraph space is counted."""
    most = FitSettings().paragraph_space_pt
    return settings if settings.paragraph_space_pt <= most else replace(settings, paragraph_space_pt=most)


def _start_size(kind: str, trait: KindTraits, settings: FitSettings, kinds: dict | None) -> float:
    entry = (kinds or {}).get(kind)
    if trait.role not in SCALE_ROLES and entry is not None and entry.body_pt:  # a cover's own size, within the deck's scale
        return min(max(entry.body_pt, settings.min_body_size_pt), settings.body_size_pt)
    return settings.body_size_pt


def _fit_body(slide, trait: KindTraits, box: Box | None, family: str, settings: FitSettings, labels: dict,
              start: float | None = None) -> list:
    if box is None or not slide.body:
        return [slide]
    if trait.role in SCALE_ROLES:
        scaled = _on_scale(slide, trait, box, family, settings, labels)
        if scaled is not None:
            return scaled
    start = start or settings.body_size_pt
    sizes = _scale(start, settings)
    chosen = next((s for s in sizes if fits(slide.body, box, family, s, settings)), None)
    if chosen is not None:
        return [replace(slide, body_size_pt=chosen)]
    if trait.splittable and len(_units(slide.body)) > 1:
        return _split(slide, box, family, settings, labels, start)
    return [replace(slide, body_size_pt=settings.min_body_size_pt,
                    overflow=f"the text is too long for its box even at {settings.min_body_size_pt:g} pt")]


def _scale(start: float, settings: FitSettings) -> list[float]:
    """The sizes of the deck's one type scale from ``start`` down, largest first: the display and quote sizes
    above the body, the body and dense sizes, the least body size; never a size in between."""
    named = (start, settings.display_size_pt, settings.quote_size_pt, settings.body_size_pt, settings.dense_size_pt)
    return sorted({size for size in named if settings.min_body_size_pt <= size <= start} | {settings.min_body_size_pt},
                  reverse=True)


def _on_scale(slide, trait: KindTraits, box: Box, family: str, settings: FitSettings, labels: dict) -> list | None:
    """The slide at the body size, else the dense size (a list of at most :data:`MAX_BULLETS` points at the body size,
    :data:`MAX_DENSE_BULLETS` at the dense size: seven points that fit at the dense size make one full slide, not a
    split into two half-empty ones, AMK 7/8), else its balanced continuation slides; None when not even a slide of
    one point fits at the dense size."""
    sizes = [(settings.body_size_pt, MAX_BULLETS)]
    if settings.dense_size_pt < settings.body_size_pt:
        sizes.append((settings.dense_size_pt, MAX_DENSE_BULLETS))
    units = _units(slide.body)
    counted = trait.split_unit == "paragraph"
    for size, most in sizes:
        if (not counted or len(units) <= most) and fits(slide.body, box, family, size, settings):
            return [replace(slide, body_size_pt=size)]
    if not trait.splittable or len(units) < 2:
        return None
    limit = MAX_BULLETS if counted else len(units)
    for count in range(max(-(-len(units) // limit), 2), len(units) + 1):
        pages = _balanced(units, count)
        for size, _ in sizes:
            if all(fits(page, box, family, size, settings) for page in pages):
                return _pages(slide, pages, size, labels)
    return None


def _balanced(units: list[list], count: int) -> list[list]:
    """``units`` in order on ``count`` pages of (nearly) equal length: 8 points → 4 + 4, not 6 + 2."""
    pages, start = [], 0
    for number in range(count):
        end = start + (len(units) - start) // (count - number)
        pages.append([p for unit in units[start:end] for p in unit])
        start = end
    return [page for page in pages if page]


def _pages(slide, pages: list[list], size: float, labels: dict) -> list:
    """One slide per page, every piece marked alike ("Titel (fortsat 1/2)", "Titel (fortsat 2/2)": the labels'
    ``continued_title``; the deck joins the marker with no-break spaces, so a title never wraps inside it)."""
    if len(pages) == 1:
        return [replace(slide, body=pages[0], body_size_pt=size)]
    pattern = labels.get("continued_title") or CONTINUED % labels.get("continued", "fortsat")
    out = []
    for number, page in enumerate(pages):
        title = pattern.format(title=slide.title, n=number + 1, of=len(pages))
        out.append(replace(slide, title=title, body=page, body_size_pt=size))
    return out


def _fit_title(slide, box: Box | None, family: str, settings: FitSettings, start: float | None = None):
    if box is None or not slide.title:
        return slide
    title = [Paragraph(slide.title, style="plain")]
    first = start or settings.title_size_pt
    sizes = _sizes(first, settings.min_title_size_pt) or [first]
    if box.height_pt < title_line_pt(sizes[0], settings):  # a box for a smaller title holds one line at the deck's size: the
        box = Box(box.width_pt, title_line_pt(sizes[0], settings))  # renderer grows it (D10's 29 pt box set its titles at 14 pt)
    for size in sizes:  # a title shrinks rather than break inside a word ("Hovedkonklusione/r")
        if fits(title, box, family, size, settings, bold=True) and words_fit(slide.title, box, family, size, settings, True):
            return replace(slide, title_size_pt=size)
    for size in sizes:  # a word too long for the box even at the least size: the largest size that fits
        if fits(title, box, family, size, settings, bold=True):
            return replace(slide, title_size_pt=size)
    return replace(slide, title_size_pt=settings.min_title_size_pt,
                   overflow=slide.overflow or f"the title is too long for its box even at {settings.min_title_size_pt:g} pt")


def _units(body) -> list[list]:
    """Paragraphs that must stay on one slide together: a quote with its attribution; an exercise card's leading
    time-box line with what follows it (it is no point of its own)."""
    units: list[list] = []
    lead: list = []
    for paragraph in body:
        if paragraph.style in ("attribution", "meta") and units:
            units[-1].append(paragraph)
        elif paragraph.style == "meta":
            lead.append(paragraph)
        else:
            units.append([*lead, paragraph])
            lead = []
    return units + ([lead] if lead else [])


def _split(slide, box: Box, family: str, settings: FitSettings, labels: dict, start: float | None = None):
    """Split a list across slides at the dense size (the least body size where the scale has no dense size above it)."""
    size = max(settings.min_body_size_pt, min(settings.dense_size_pt, start or settings.body_size_pt))  # on the scale
    pages, current = [], []
    for unit in _units(slide.body):
        if current and not fits(current + unit, box, family, size, settings):
            pages.append(current)
            current = []
        current.extend(unit)
    pages.append(current)
    result = _pages(slide, pages, size, labels)
    for piece in result:
        if not fits(piece.body, box, family, size, settings):
            piece.overflow = piece.overflow or f"one paragraph is too long for its box even at {size:g} pt"
    return result
