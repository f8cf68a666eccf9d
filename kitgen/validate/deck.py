"""Checks on the deck a plan will become: quote share, whole sentences, wording; and the colours of text
and what lies behind it, which :mod:`kitgen.validate.a11y` (``a11y/contrast``, as are unique titles:
``a11y/slide-title``) measures.

Contrast is computed from the *effective* theme: the deck template's colour scheme with
the org's colours written over it exactly as :func:`kitgen.render.deck.apply_theme`
writes them (primary → dk2 and accent1, accent → accent2). For every layout the deck
uses, the title's and the body's text colour (placeholder list style, else the master's
text styles) is set against what lies behind the placeholder (a filled shape of the
layout or master under the box's centre, else the background) and must reach the
WCAG 2 ratio of 4.5:1 (3:1 for large text).
"""

from __future__ import annotations

import re
from pathlib import Path

from kitgen.core import cache
from kitgen.core.findings import Finding
from kitgen.ooxml.geometry import shape_box
from kitgen.plan.slides.common import NOTES_LIMIT
from kitgen.plan.slides.sentences import ends_in_abbreviation
from kitgen.templates.background import _behind, _colour, _q, _scheme
from kitgen.templates.choose import slide_layout
from kitgen.templates.clean import open_presentation
from kitgen.templates.clean_base import PackageError

MIN_CONTRAST = 4.5  # text; large text needs 3:1 (kitgen.validate.a11y)
QUOTE_SHARE = 0.15  # of the slides that are not title, divider or closing slides
NOT_COUNTED = ("title", "section", "closing")
# Words of kitgen's own making or an editor's remark that no participant or presenter should read.
INTERNAL_WORDS = re.compile(r"\b(kitgen\w*|seed(?:et|s|en)?|editor_note|rettelse af|corrections?|"
                            r"afsender ikke angivet|sender not (?:given|stated))\b", re.IGNORECASE)


def check_deck(plan) -> list[Finding]:
    """Findings about the deck of ``plan`` (warnings: the kit is still built)."""
    findings: list[Finding] = []
    findings += _quotes(plan)
    findings += _text(plan)
    return findings


def _where(slide):
    origin = slide.origin
    return (origin.file if origin else None, origin.line if origin else None)


def _quotes(plan) -> list[Finding]:
    out = []
    counted = [s for s in plan.slides if s.kind not in NOT_COUNTED]
    quotes = [s for s in counted if s.kind == "quote"]
    if counted and len(quotes) > QUOTE_SHARE * len(counted):
        out.append(Finding("warning", "deck/quote-share",
            f"{len(quotes)} of {len(counted)} content slides are quote slides (more than {QUOTE_SHARE:.0%}); "
            "move some of the blocks' quotes to notes_quotes", *_where(quotes[0])))
    per_block: dict = {}
    for slide in quotes:
        per_block[slide.block_index] = per_block.get(slide.block_index, 0) + 1
        if per_block[slide.block_index] == 2:
            out.append(Finding("warning", "deck/quote-per-block",
                f"block '{slide.block}' has more than one quote slide; list its quotes together under quotes:", *_where(slide)))
    for before, after in zip(plan.slides, plan.slides[1:]):
        if before.kind == after.kind == "quote":
            out.append(Finding("warning", "deck/quotes-in-a-row", f"two quote slides in a row ('{after.title[:60]}')",
                               *_where(after)))
    return out


def _text(plan) -> list[Finding]:
    out = []
    for number, slide in enumerate(plan.slides, 1):
        texts = [("title", slide.title)] + [("body", p.text) for p in slide.body] + [("notes", slide.notes)]
        for part, text in texts:
            found = INTERNAL_WORDS.search(text or "")
            if found:
                out.append(Finding("warning", "deck/internal-wording",
                    f"slide {number} '{slide.title[:50]}' ({part}) says '{found.group(0)}', which is internal wording; "
                    "move such remarks to editor_note", *_where(slide)))
        for paragraph in slide.body:
            # kitgen never shortens a text with "…" (whole sentences only), so a paragraph ending in
            # "…" is the seed's own sentence starter; one ending in an abbreviation was cut
            if paragraph.style in ("bullet", "plain") and ends_in_abbreviation(paragraph.text):
                out.append(Finding("warning", "deck/cut-sentence",
                    f"slide {number} '{slide.title[:50]}': '…{paragraph.text[-40:]}' stops mid-sentence; "
                    "give the text a short slide: text", *_where(slide)))
        if len(slide.notes) > NOTES_LIMIT:
            out.append(Finding("warning", "deck/long-notes",
                f"slide {number} '{slide.title[:50]}' has {len(slide.notes)} characters of speaker notes "
                f"(at most {NOTES_LIMIT})", *_where(slide)))
    return out


# --- contrast ---------------------------------------------------------------------------------


@cache.memo(64)
def _pair(template: str, digest: str, ref, part: str, overrides: tuple) -> tuple[str, str] | None:
    """(text colour, background colour) of one layout's title or body placeholder."""
    found = _elements(template, digest, ref, part)
    if found is None:
        return None
    layout, fill, behind = found
    colours = _scheme(layout, dict(overrides))
    text = _colour(fill, colours) if fill is not None else colours.get("tx1", "000000")
    background = _colour(behind, colours) if behind is not None else colours.get("bg1", "FFFFFF")
    return (text, background) if text and background else None


@cache.memo(64)
def _elements(template: str, digest: str, ref, part: str):
    """(layout, the text's colour element, the colour element behind the box) of one layout's
    title or body placeholder: what does not depend on an org's colours, found once."""
    prs = _presentation(template, digest)
    layout = slide_layout(prs, ref) if prs is not None else None
    if layout is None:
        return None
    master = layout.slide_master
    types = ("title", "ctrTitle") if part == "title" else ("body", "subTitle", "obj", None)
    shape = _placeholder(layout, types) or _placeholder(master, types)
    if shape is None:
        return None
    q = _q
    fill = None
    for owner in (shape, _placeholder(master, types)):
        if owner is not None:
            fill = owner._element.find(f"{q('p:txBody')}/{q('a:lstStyle')}/{q('a:lvl1pPr')}/{q('a:defRPr')}/{q('a:solidFill')}")
            if fill is not None:
                break
    if fill is None:
        style = "p:titleStyle" if part == "title" else "p:bodyStyle"
        fill = master._element.find(f"{q('p:txStyles')}/{q(style)}/{q('a:lvl1pPr')}/{q('a:defRPr')}/{q('a:solidFill')}")
    box = shape_box(shape) or shape_box(_placeholder(master, types)) or (0, 0, 0, 0)  # no box: the master's
    return layout, fill, _behind(layout, master, tuple(box))  # the layout: its colour map may override the master's


@cache.memo(8)
def _presentation(template: str, digest: str):
    """The template opened once per process (and per change of its bytes): read only, never saved."""
    try:
        return open_presentation(Path(template))
    except (PackageError, OSError, ValueError):
        return None


def _placeholder(owner, types):
    for shape in owner.placeholders:
        ph = shape._element.find(f".//{_q('p:ph')}")
        if ph is not None and ph.get("type") in types and (ph.get("type") is not None or ph.get("idx") not in (None, "0")):
            return shape
    return None
