"""Speaker notes fitted to the deck they end up in, once its order is known.

- A quote the block's notes use for one part of the block ("Gruppedialog 2 …: Brug citatet på sliden (»Du er under
  et pres …«) som afsæt") stands right before that part's slide, not before the first one.
- A quote slide's notes end on a cue to the slide after it ("Brug svarene som afsæt til »…«"), not on the section
  the divider just announced.
- Key figures a statement slide shows are not recited in another slide's notes.
- Each note sentence is said once per deck (compared normalised): the welcome on the first slide, the programme
  on the agenda slide, a repeated paragraph or materials line only where it is said first.
"""

from __future__ import annotations

import re

from kitgen.plan.slides.common import note_text, say
from kitgen.plan.slides.continued import continues
from kitgen.plan.slides.items import _figures, normalise
from kitgen.plan.slides.sentences import sentences

SAME_SENTENCE_WORDS = 2  # a note sentence of this many words or more is said once per deck ("Materialer: Kuglepenne.")
WELCOME = re.compile(r"^(?:Byd (?:alle )?velkommen|Welcome everyone|Welcome participants)(?:,? og |,? and |\.\s*|$)",
                     re.IGNORECASE)
PROGRAMME = re.compile(r"^(?:gennemgå (?:kort )?programmet|take them through the programme|walk (?:briefly )?through the programme)",
                       re.IGNORECASE)
GOES_ON = ("Til sidst", "Finally", "Og ", "And ")  # a sentence that only continues the one before it


def place_quotes(deck, blocks, slides: list) -> list:
    """The slides with each quote before the part of its block that the block's notes use it for."""
    return _quotes_before_their_part(deck, blocks, slides)


def speak(deck, slides: list) -> None:
    """The notes fitted to the deck's order: quote cues, figures where shown, each sentence once."""
    _quote_cues(deck, slides)
    _figures_where_shown(deck, slides)
    _said_once(slides, deck.labels)


def _part_name(line: str) -> str:
    found = re.match(r"^\s*[-–]?\s*([^:\n]{3,90}?)\s*\(\d+\s*min\.?\)", line)
    return found.group(1).strip() if found else ""


def _quotes_before_their_part(deck, blocks, slides: list) -> list:
    by_index = {block.index: block for block in blocks}
    for quote in [s for s in slides if s.kind == "quote"]:
        block = by_index.get(quote.block_index)
        if block is None:
            continue
        openings = [normalise(say(q.text, deck))[:24] for q in block.quotes]
        target = ""
        for line in str(block.notes or "").split("\n"):
            if any(opening and opening in normalise(line) for opening in openings):
                target = _part_name(line)
        after = next((s for s in slides if s.block_index == quote.block_index and s is not quote
                      and s.title.casefold() == target.casefold()), None) if target else None
        if after is None:
            continue
        slides = [s for s in slides if s is not quote]
        slides.insert(slides.index(after), quote)
    return slides


def _quote_lines(slides: list) -> None:
    """A block-notes line that is about a quote slide ("– Problemet i en nøddeskal – og et bud på en løsning: læs de
    tre citater op …", the quote titled "Problemet i en nøddeskal") is said on that slide, not on the slide after it."""
    for quote in [s for s in slides if s.kind == "quote"]:
        name = normalise(quote.title)
        if len(name.split()) < 2:
            continue
        for slide in slides:
            if slide is quote or slide.block_index != quote.block_index or not slide.notes:
                continue
            lines = slide.notes.split("\n")
            about = [line for line in lines if line.startswith("– ") and normalise(line).startswith(name)]
            if about:
                slide.notes = "\n".join(line for line in lines if line not in about)
                quote.notes = "\n".join([*about, quote.notes]).strip()


def _quote_cues(deck, slides: list) -> None:
    _quote_lines(slides)
    for number, slide in enumerate(slides):
        after = slides[number + 1] if number + 1 < len(slides) else None
        if slide.kind != "quote" or after is None or after.block_index != slide.block_index or after.kind == "section":
            continue
        cue = note_text(deck, "quote_next", next_title=after.title)
        if cue:
            slide.notes = f"{slide.notes.rstrip()}\n{cue}".strip()


def _keep_sentences(notes: str, keep) -> str:
    """``notes`` with only the sentences ``keep(sentence, line_number)`` accepts; a line left empty goes."""
    out = []
    for line in notes.split("\n"):
        lead = "– " if line.startswith("– ") else ""
        parts = sentences(line[len(lead):])
        kept = [part for part in parts if keep(part)]
        if len(kept) == len(parts):
            out.append(line)
        elif kept:
            out.append(lead + " ".join(kept))
    return "\n".join(out)


def _figures_where_shown(deck, slides: list) -> None:
    """A sentence that recites two or more of a statement slide's figures is left to that slide."""
    shown = set()
    for slide in slides:
        if slide.kind == "statement":
            shown |= set().union(*(_figures(p.text.split("\t")[0]) for p in slide.body if p.style == "figure"))
    if len(shown) < 2:
        return
    for slide in slides:
        if slide.kind != "statement":
            slide.notes = _keep_sentences(slide.notes, lambda part: len(_figures(part) & shown) < 2)


def _said_once(slides: list, labels: dict) -> None:
    """Each note sentence once per deck; the welcome once (on the first slide that gives it) and the programme walked
    through once (on the agenda slide, or where it is said first)."""
    said: set[str] = set()
    acts: set[str] = set()
    first = None
    agenda = any(slide.kind == "agenda" for slide in slides)  # the agenda slide walks through the programme, wherever it is
    for slide in slides:
        if first is not None and continues(slide, first, labels):
            continue  # a kind's later page: the deck splits the first page's notes over the pages
        first = slide
        here: set[str] = set()
        lines = []
        dropping = False
        for line in slide.notes.split("\n"):
            lead = "– " if line.startswith("– ") else ""
            kept = []
            for part in sentences(line[len(lead):]):
                part, act = _acts(part, acts | ({"programme"} if agenda and slide.kind != "agenda" else set()))
                if dropping and part.startswith(GOES_ON):
                    continue
                dropping = False
                key = normalise(part)
                if not part or (key in said and len(key.split()) >= SAME_SENTENCE_WORDS):
                    dropping = bool(act)
                    continue
                here.add(key)
                kept.append(part)
            if kept:
                lines.append(lead + " ".join(kept))
        said |= here
        slide.notes = "\n".join(lines)
        acts |= _acts_of(slide)  # what this slide now says


def _acts_of(slide) -> set[str]:
    out = set()
    for line in slide.notes.split("\n"):
        text = line.lstrip("– ").strip()
        if re.match(r"^(?:Velkommen|Welcome)\b", text) or WELCOME.match(text):
            out.add("welcome")
        if slide.kind == "agenda" or PROGRAMME.match(text):
            out.add("programme")
    return out


def _acts(sentence: str, acts: set[str]) -> tuple[str, str]:
    """The sentence without a welcome that was given before ("Byd velkommen og præsentér formålet: …" →
    "Præsentér formålet: …"), or "" when it only walks through the programme again; and the act it dropped."""
    if "welcome" in acts:
        found = WELCOME.match(sentence)
        if found:
            rest = sentence[found.end():].strip()
            sentence = rest[:1].upper() + rest[1:]
            if not sentence:
                return "", "welcome"
    if "programme" in acts and PROGRAMME.match(sentence):
        return "", "programme"
    return sentence, ""
