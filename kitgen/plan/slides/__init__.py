"""Slide kinds: one module per kind, one entry per kind in ``layouts/deck.yaml`` → ``slides:``.

```yaml
slides:                       # in deck order; a block's kinds in the order a block shows them
  title:   {scope: opening, layout: title, role: cover, needs: [title, body, picture]}
  quote:   {scope: block, layout: quote, role: quote, splittable: true, split_unit: item, centred: true}
  diagram: {scope: inline, layout: content, role: figure}   # made by other kinds (a tool's figure right after it)
```
``scope`` says when the kind's module runs: ``opening`` and ``closing`` once per deck,
``block`` once per programme block, ``inline`` never by itself. ``layout`` names the
slide kind whose template layout the kind uses (so a new kind needs no new layout in a
client's template). ``body_pt`` is the kind's body size before fitting shrinks it; ``title_pt`` a cover
kind's title size (every other kind shares the deck's one title size).

Traits say what a kind is, so that layout choice, fitting and the renderer read them instead of
lists of kind names: ``role`` (cover, divider, closing, content, figure, statement, quote,
question, exercise), ``needs`` (the parts it fills: title, body, picture), ``splittable`` and
``split_unit`` (paragraph or item: how an overfull slide goes on continuation slides), ``centred``
(its body stands in the middle of its box). A kind without a trait gets its default kind's.

A kind's module is ``kitgen.plan.slides.<kind>`` with ``build(deck, block) -> list[SlideSpec]``
(``block`` is None for opening and closing kinds). Adding a kind is one module and one
entry here; a module outside kitgen (a test's) is named in :data:`MODULES`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.common import danish_quotes, say, tidy
from kitgen.plan.slides.items import _words, normalise, once_per_deck, points_shown_elsewhere, same_items
from kitgen.plan.slides.continued import continues
from kitgen.plan.slides.section import transition
from kitgen.plan.slides.spoken import place_quotes, speak

@dataclass
class Deck:
    """What every slide module may read while building one organisation's deck."""

    content: object
    org: object
    programme: object
    branding: object
    labels: dict
    texts: dict
    language: str
    render: object  # kitgen.plan.assemble._Texts: renders content and note texts, findings for errors
    kinds: dict = field(default_factory=dict)
    pointed: bool = False  # the notes have said once that the facilitator notes hold the rest (said once per deck)


@dataclass
class BlockSlides:
    """One programme block with what it refers to, resolved (rendered texts, content objects)."""

    block: object
    index: int
    number: int  # 1-based among the blocks that are not breaks
    notes: str
    points: list
    tools: list  # (Tool, use)
    questions: list
    groups: list  # question groups the block's questions come from
    quotes: list
    definitions: list


MODULES: dict[str, str] = {}  # kind -> the import path of a kind's module from outside kitgen (a test's)


def module(kind: str):
    """The module of slide kind ``kind``: ``kitgen.plan.slides.<kind>``, or the one :data:`MODULES` names."""
    return importlib.import_module(MODULES.get(kind) or f"kitgen.plan.slides.{kind}")


def build_slides(deck: Deck, blocks: list[BlockSlides]) -> list[SlideSpec]:
    """Every slide of the deck: opening kinds, each block's kinds, closing kinds; each item once, titles unique."""
    kinds = list(deck.kinds.values())
    canon = same_items(deck, blocks)
    slides: list[SlideSpec] = []
    for kind in (k for k in kinds if k.scope == "opening"):
        slides.extend(module(kind.name).build(deck, None))
    for block in blocks:
        block = points_shown_elsewhere(deck, block, canon)
        for kind in (k for k in kinds if k.scope in ("block", "inline")):  # an inline kind may add a block's own
            for slide in module(kind.name).build(deck, block):               # (diagram: the figures it shows:)
                slide.block_index = block.index
                slides.append(slide)
    for kind in (k for k in kinds if k.scope == "closing"):
        slides.extend(module(kind.name).build(deck, None))
    slides = once_per_deck(deck, slides, canon)
    slides = _agenda_in_welcome(blocks, slides)
    slides = place_quotes(deck, blocks, slides)
    _transitions(deck, blocks, slides)
    _dividers_say_more(deck, blocks, slides)
    speak(deck, slides)
    if deck.language == "da":  # the notes quote as the slides do
        for slide in slides:
            slide.notes = danish_quotes(slide.notes)
    return unique_titles(slides)


def _agenda_in_welcome(blocks: list[BlockSlides], slides: list[SlideSpec]) -> list[SlideSpec]:
    """A deck that opens with a welcome block ("1. Velkomst, formål og program") shows the programme in it, right
    after its divider, not before the part that presents it."""
    first = next((b for b in blocks if b.block.kind != "break"), None)
    agenda = next((s for s in slides if s.kind == "agenda"), None)
    if first is None or agenda is None or first.block.kind != "welcome":
        return slides
    divider = next((n for n, s in enumerate(slides) if s.kind == "section" and s.block_index == first.index), None)
    if divider is None:
        return slides
    rest = [s for s in slides if s is not agenda]
    at = rest.index(slides[divider]) + 1
    agenda.block_index = first.index
    names = [line.split("\t")[-1].casefold() for line in (p.text for p in agenda.body)]
    lines = slides[divider].notes.split("\n")  # a line that reads the programme out goes: the agenda slide says it next
    slides[divider].notes = "\n".join(line for line in lines if sum(name in line.casefold() for name in names) < 3)
    return rest[:at] + [agenda] + rest[at:]


def _dividers_say_more(deck: Deck, blocks: list[BlockSlides], slides: list[SlideSpec]) -> None:
    """A divider followed by a slide of its own title ("4. Trivsel- og stressprofilen", then the tool's card) is
    titled with its block's whole title, label included ("4. Redskab 1: Trivsel- og stressprofilen")."""
    by_index = {block.index: block for block in blocks}
    for divider, after in zip(slides, slides[1:]):
        block = by_index.get(divider.block_index)
        if divider.kind != "section" or block is None or block.block.kind == "break":
            continue
        number, _, own = divider.title.partition(". ")
        if own.casefold() == after.title.casefold():
            divider.title = f"{number}. {say(block.block.title, deck)}"


def _transitions(deck: Deck, blocks: list[BlockSlides], slides: list[SlideSpec]) -> None:
    """The last slide of each block ends its notes with when the block ends and what comes next."""
    last = {}
    for slide in slides:
        if slide.block_index is not None:
            last[slide.block_index] = slide
    for block in blocks:
        slide = last.get(block.index)
        line = transition(deck, block) if slide is not None and slide.notes.strip() else ""
        if line:  # a slide with no notes of its own stays empty: validation names the field to write
            slide.notes = tidy(f"{slide.notes}\n{line}")


def unique_titles(slides: list[SlideSpec]) -> list[SlideSpec]:
    """Two slides never share a title: a later one gets a number ("Titel (2)")."""
    seen: dict[str, int] = {}
    for slide in slides:
        key = slide.title.casefold()
        if key not in seen:
            seen[key] = 1
            continue
        number = seen[key]
        candidate = ""
        while not candidate or candidate.casefold() in seen:
            number += 1
            candidate = f"{slide.title} ({number})"
        seen[key] = number
        seen[candidate.casefold()] = 1
        slide.title = candidate
    return slides


def continued_notes(slides: list, labels: dict) -> list[str]:
    """The speaker notes of each slide once fitting has split some onto continuation slides ("(fortsat 2/3)").

    The first piece's notes are split with its points: each note line goes to the piece whose points it speaks
    to (a line about none follows the line before it, a lead-in "…:" the line after it); a piece that no line
    speaks to gets one line naming where it goes on from. The block's transition (the last line of the block's last
    slide, added by :func:`build_slides`) goes to the last piece, where the block ends."""
    out = [slide.notes for slide in slides]
    start = 0
    while start < len(slides):
        end = start + 1
        while end < len(slides) and continues(slides[end], slides[start], labels):
            end += 1
        if end - start > 1:
            last_of_block = end == len(slides) or slides[end].block_index != slides[start].block_index
            out[start:end] = split_notes(slides[start:end], labels, last_of_block)
        start = end
    return out


def split_notes(pieces: list, labels: dict, last_of_block: bool) -> list[str]:
    base, last = pieces[0].notes.rstrip(), pieces[-1].notes.rstrip()
    lines = [line for line in base.split("\n") if line.strip()]
    transition = ""
    if last != base and last.startswith(base):  # a kind's own pages: the transition was added to the last one
        transition = last[len(base):].strip()
    elif last_of_block and pieces[0].block_index is not None and len(lines) > 1:
        transition = lines.pop()
    words = [set().union(*(_words(normalise(p.text)) for p in piece.body if p.style not in ("meta", "attribution")))
             for piece in pieces]
    owner = [_owner(line, words) for line in lines]
    for number in range(len(lines) - 2, -1, -1):  # a lead-in goes with what it leads into
        if owner[number] is None and lines[number].rstrip().endswith(":"):
            owner[number] = owner[number + 1]
    current = 0
    for number, found in enumerate(owner):
        current = found if found is not None else current
        owner[number] = current
    out = []
    for index, piece in enumerate(pieces):
        own = [line for line, found in zip(lines, owner) if found == index]
        if not own:
            first = next((p.text for p in piece.body if p.style not in ("meta", "attribution")), "")
            lead = labels.get("continued_notes") or "Fortsæt med »{first}« og resten af sliden."
            own = [lead.format(first=_opening(first))] if first else []
        if index == len(pieces) - 1 and transition:
            own.append(transition)
        out.append("\n".join(own))
    return out


def _owner(line: str, words: list[set]) -> int | None:
    """The piece whose points a note line speaks to: most of the line's words among its points (None: no clear one)."""
    mine = _words(normalise(line))
    if len(mine) < 2:
        return None
    shared = [len(mine & piece) for piece in words]
    best = max(range(len(shared)), key=lambda n: shared[n])
    second = max((count for n, count in enumerate(shared) if n != best), default=0)
    if shared[best] >= 0.4 * len(mine) and shared[best] > second:
        return best  # most of the line is about these points
    return best if shared[best] >= 3 and shared[best] >= 1.5 * second else None  # a long line that names them


def _opening(text: str, limit: int = 60) -> str:
    """A point's first words, to name it in a note ("Den måde, I bedst kan støtte og hjælpe mig på, er…")."""
    text = " ".join(text.split("\t")[-1].split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ") + " …"
