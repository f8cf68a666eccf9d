"""Each content item once per deck.

Items are compared after normalising case, punctuation and whitespace, and a text's short
``slide:`` form counts as the same item as its long form. Three rules:

- a block's points slide leaves out a point that the block's tool, question, quote or
  definition slide shows (the specific slide owns it);
- a paragraph already shown on an earlier slide is left out of a later one, and a sentence
  is never shown twice on one slide (a step that repeats the purpose above it keeps only its
  new sentences); a list's lead-in ("…:") with nothing under it goes too;
- a slide whose every paragraph was shown before becomes a recap: its own kind, titled and
  noted as one (``labels.recap_title``, ``texts.recap_notes``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.common import say, slide_text, titled
from kitgen.plan.slides.sentences import sentences

_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """``text`` for comparing: case, punctuation, quotes and whitespace left out."""
    return " ".join(_PUNCT.sub(" ", str(text or "")).casefold().split())


def _forms(value, deck) -> list[str]:
    """The normalised texts a content text can show as: its long form and its slide form."""
    out = [normalise(say(value, deck)), normalise(slide_text(value, deck))]
    return [form for form in out if form]


def _block_items(block, deck) -> list:
    items = []
    for tool, _ in block.tools:
        items += [tool.purpose, *tool.steps]
    items += [q.text for q in block.questions]
    items += [q.text for q in block.quotes]
    items += [d.text for d in block.definitions]
    return items


def same_items(deck, blocks) -> dict[str, str]:
    """Normalised slide form → normalised long form, for every text the deck's blocks show."""
    canon: dict[str, str] = {}
    for block in blocks:
        for value in [*block.points, *_block_items(block, deck)]:
            forms = _forms(value, deck)
            for form in forms[1:]:
                canon.setdefault(form, forms[0])
    return canon


def key(text: str, canon: dict[str, str]) -> str:
    norm = normalise(text)
    return canon.get(norm, norm)


def points_shown_elsewhere(deck, block, canon: dict[str, str]):
    """``block`` without the points its tool, question, quote or definition slides show."""
    owned = {key(form, canon) for value in _block_items(block, deck) for form in _forms(value, deck)}
    if not owned or not block.points:
        return block
    points = [p for p in block.points if not ({key(f, canon) for f in _forms(p, deck)} & owned)]
    return block if len(points) == len(block.points) else replace(block, points=points)


CONTENT_KINDS = ("content", "definition", "quote", "tool", "questions", "recap")  # each of their paragraphs once per deck
SIDE_LINES = ("attribution", "meta")  # lines about a slide's items (who said it, how and how long): kept with them, never items


def once_per_deck(deck, slides: list[SlideSpec], canon: dict[str, str]) -> list[SlideSpec]:
    """Later repeats left out; a slide that only repeats becomes a recap that says so."""
    seen: set[str] = set()
    for slide in slides:
        if slide.kind not in CONTENT_KINDS:
            continue
        kept, here, repeats = [], set(), 0
        said: set[str] = set()  # the sentences shown on this slide so far
        for paragraph in slide.body:
            if paragraph.style in SIDE_LINES:
                kept.append(paragraph)
                continue
            item = key(paragraph.text, canon)
            if not item or item in here:
                continue  # no paragraph twice on one slide
            here.add(item)
            paragraph = _new_sentences(paragraph, said)
            if paragraph is None:
                continue  # every sentence of it is on the slide already
            if item in seen:
                repeats += 1
                continue
            kept.append(paragraph)
        while kept and kept[-1].style not in SIDE_LINES and kept[-1].text.rstrip().endswith(":"):
            kept.pop()  # a lead-in with nothing under it
        shown = [p for p in kept if p.style not in SIDE_LINES]
        if not shown:
            kept = []  # a side line alone says nothing
        if repeats and not shown:
            _recap(deck, slide)  # every paragraph was on an earlier slide: a recap, and it says so
        else:
            slide.body = kept
        seen |= here
    return slides


def _new_sentences(paragraph, said: set[str]):
    """``paragraph`` without the sentences already on the slide (None when none is left); ``said`` grows."""
    parts = sentences(paragraph.text)
    fresh = [part for part in parts if normalise(part) not in said]
    said |= {normalise(part) for part in parts}
    if not fresh:
        return None
    return paragraph if len(fresh) == len(parts) else replace(paragraph, text=" ".join(fresh))


def _recap(deck, slide: SlideSpec) -> None:
    slide.kind = "recap"
    slide.title = titled(deck, "recap_title", slide.title, "{title}")
    head = deck.render.fixed(deck.texts.get("recap_notes", ""), "recap_notes").strip() if deck.texts.get("recap_notes") else ""
    if head:
        slide.notes = f"{head}\n{slide.notes}" if slide.notes else head
