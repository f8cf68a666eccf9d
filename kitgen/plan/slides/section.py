"""A divider for every block: its title, clock time and length, what kind of block it is, and the day's parts with
this one marked (the agenda tracker)."""

import re

from kitgen.plan.assemble_docs import format_time
from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.agenda import title as agenda_title
from kitgen.plan.slides.content import presented_lines, shows
from kitgen.plan.slides.questions import group_lines
from kitgen.plan.slides.common import block_title, bullets, part_title, kind_label, minutes_text, note_text, notes, plain, say


def build(deck, item):
    block = item.block
    title = agenda_title(block, deck)  # a break is called what the agenda calls it
    if block.kind != "break":
        title = f"{item.number}. {part_title(block, deck)}"  # numbered parts as the agenda names them; the block's own slides carry its headline
    elif sum(b.kind == "break" for b in deck.programme.blocks) > 1:
        title = f"{title} {format_time(block.start, deck.labels)}–{format_time(block.end, deck.labels)}"
    facts = [f"{format_time(block.start, deck.labels)}–{format_time(block.end, deck.labels)}", minutes_text(block.span_minutes if (block.span_minutes or 0) > 0 else None, deck)]
    label = kind_label(block, deck)
    if label and block.kind != "break" and not re.search(rf"\b{re.escape(label)}", title, re.IGNORECASE):
        # what kind of part it is, unless its title says so ("1. Velkomst, formål og program · Velkomst" says it twice)
        facts.append(label)
    # the block's own notes go on its points slide; a block without points gets them here
    elsewhere = group_lines(item) + presented_lines(deck, item)  # said on the slides that show them
    lines = [] if shows(item) else bullets([line for line in item.notes.split("\n") if line not in elsewhere])
    lines = [line for line in lines if line.strip("–. ").casefold() != title.casefold()]  # no "– Pause." filler
    return [SlideSpec("section", title, [plain(" · ".join(f for f in facts if f))],
                      notes(deck, "section_notes", None, lines, say(block.title, deck), block=block, kind_label=label, item=item,
                            title=part_title(block, deck)),
                      origin=block.origin, notes_field=f"blocks[{item.index}].notes", block=say(block.title, deck),
                      tracker=tracker(deck, item))]


def tracker(deck, item) -> list:
    """The day's parts as a divider lists them, the current one marked: ("2. Overblik …", True). A break's
    divider stays calm (no tracker); a day of one part needs none."""
    parts = [(index, b) for index, b in enumerate(deck.programme.blocks) if b.kind != "break"]
    if len(parts) < 2 or item.block.kind == "break":
        return []
    return [(f"{number}. {part_title(b, deck)}", index == item.index) for number, (index, b) in enumerate(parts, 1)]


def transition(deck, item) -> str:
    """The last line of the block's last slide's notes: when the block ends and what comes next (the timing
    cue and the transition; :func:`kitgen.plan.slides.build_slides` adds it)."""
    blocks = deck.programme.blocks
    after = blocks[item.index + 1] if item.index + 1 < len(blocks) else None
    name = "" if after is None else agenda_title(after, deck) if after.kind == "break" else part_title(after, deck)
    return note_text(deck, "section_next", block=item.block, next_title=name, next_block=after)
