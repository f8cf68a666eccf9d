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
from kitgen.plan.slides.common import say, slide_text, titled, without_label
from kitgen.plan.slides.kinds import CONTENT_ROLES, trait
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


_FIGURE = re.compile(r"\d+(?:[,.]\d+)?(?:\s?%)?")


def _figures(text: str) -> set[str]:
    """The key numbers of a text: decimals and percentages ("4,2", "74 %"), written one way."""
    found = {n.replace(" ", "").replace(".", ",") for n in _FIGURE.findall(text)}
    return {n for n in found if "," in n or n.endswith("%")}


def _statement_figures(block, deck) -> set[str]:
    statement = getattr(block.block, "statement", None)
    if statement is None:
        return set()
    texts = [say(f.value, deck) for f in statement.figures] + [say(f.label, deck) for f in statement.figures]
    texts.append(say(statement.source, deck))
    return set().union(*(_figures(t) for t in texts))


def points_shown_elsewhere(deck, block, canon: dict[str, str]):
    """``block`` without the points its tool, question, quote, definition or statement slides show: the same
    text (normalised, slide form or long form), the same words (:func:`covered`), or the statement's numbers."""
    owned = {key(form, canon) for value in _block_items(block, deck) for form in _forms(value, deck)}
    owned |= _programme_words(deck)  # the cover and the agenda say these: a welcome's points do not repeat the programme
    numbers = _statement_figures(block, deck)
    if not (owned or numbers) or not block.points:
        return block
    texts = [form for value in _block_items(block, deck) for form in _forms(value, deck)]
    texts += [normalise(say(tool.title, deck)) for tool, _ in block.tools]  # the tool's own slide is titled so
    points = [p for p in block.points if not ({key(f, canon) for f in _forms(p, deck)} & owned)
              and not (numbers and _figures(say(p, deck)) and _figures(say(p, deck)) <= numbers)
              and not covered(normalise(slide_text(p, deck)), texts)]
    if len(points) == len(block.points):
        return block
    kept = [p for n, p in enumerate(points) if not (say(p, deck).rstrip().endswith(":") and (
        n + 1 == len(points) or block.points.index(points[n + 1]) != block.points.index(p) + 1))]  # a lead-in whose list went
    return replace(block, points=kept)


def _programme_words(deck) -> set[str]:
    """The programme's title, subtitle and every block's title (also without its activity label), normalised."""
    programme = deck.programme
    texts = [say(programme.title, deck), say(programme.subtitle, deck)]
    for block in programme.blocks:
        texts += [say(block.title, deck), without_label(say(block.title, deck), deck)]
    return {normalise(t) for t in texts if normalise(t)}


STOP = frozenset("""og i at er en et de den det der som til på af med for om har kan vil skal du dig din dit jeres jer
vi os man hvad hvem hvor hvordan hvilke hvornår eller men så også ikke fra ud ind op the a an and or of to in on for with
is are you your we what how who when which""".split())
COVERED = 0.7  # a point whose words are this much in one of the block's other texts says the same thing


def _words(norm: str) -> set[str]:
    """The words that carry a text's meaning, each as its first four letters ("tegne" and "tegn", "forklarer"
    and "forklar" are one word)."""
    return {w[:4] for w in norm.split() if w not in STOP and len(w) > 2}


def covered(norm: str, texts: list[str], share: float = COVERED) -> bool:
    """Is the (normalised) text said by the texts already: at least ``share`` of its words in one of them, or in
    two neighbours together ("Tegn din kurve … – og forklar udsvingene" = step 1 "Tegn din/jeres kurve …" and step 2
    "Forklar udsvingene")? A text of two words is covered only by a text with both; of one word, never."""
    words = _words(norm)
    if len(words) < 2:
        return False
    if len(words) == 2:
        return any(words <= _words(t) for t in texts)
    sets = [_words(t) for t in texts]
    if any(len(other) >= 3 and other <= words for other in sets):
        return True  # the text restates another with a label ("Gruppedialog 2: … – <the question>")
    for number, other in enumerate(sets):
        pair = other | (sets[number + 1] if number + 1 < len(sets) else set())
        if len(words & other) >= share * len(words) or (len(words & pair) >= share * len(words) and len(words & other) >= 2):
            return True
    return False


SIDE_LINES = ("attribution", "meta")  # lines about a slide's items (who said it, how and how long): kept with them, never items


def once_per_deck(deck, slides: list[SlideSpec], canon: dict[str, str]) -> list[SlideSpec]:
    """Later repeats left out; a slide that only repeats becomes a recap that says so."""
    seen: set[str] = set()
    for slide in slides:
        if trait(slide.kind, "role", deck.kinds) not in CONTENT_ROLES or trait(slide.kind, "scope", deck.kinds) == "opening":
            continue
        if any(p.style == "help" for p in slide.body):  # a question the groups now work on (its help beside it) is the
            seen |= {key(p.text, canon) for p in slide.body if p.style == "question"}  # task, not a recap of it
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
    """The slide as a recap: titled and noted as one ("Tilbage til …"). A list becomes the recap kind; questions asked
    again stay a question slide (large type, centred: they are what the block works on), titled as a recap."""
    if trait(slide.kind, "role", deck.kinds) != "question":
        slide.kind = "recap"
    slide.title = titled(deck, "recap_title", slide.title, "{title}")
    name = "recap_question_notes" if slide.kind != "recap" and deck.texts.get("recap_question_notes") else "recap_notes"
    head = deck.render.fixed(deck.texts.get(name, ""), name).strip() if deck.texts.get(name) else ""
    if head:
        slide.notes = f"{head}\n{slide.notes}" if slide.notes else head
