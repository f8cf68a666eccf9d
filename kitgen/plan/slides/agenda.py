"""The agenda: clock times and block titles in two columns (a tab stop)."""

from kitgen.plan.assemble_docs import format_time
from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.common import notes, plain, say


def title(block, deck) -> str:
    """What the agenda and the block's own divider call it: a break's title when it is written in
    the org's language ("Kaffepause"), else the label ("Break"), so both slides say the same."""
    has = getattr(block.title, "has", None)
    if block.kind == "break" and (not say(block.title, deck) or (has is not None and not has(deck.language))):
        return deck.labels["break"]
    return say(block.title, deck)


def build(deck, block):
    lines = [plain(f"{format_time(b.start, deck.labels)}–{format_time(b.end, deck.labels)}\t{title(b, deck)}") for b in deck.programme.blocks]
    return [SlideSpec("agenda", deck.labels["agenda"], lines, notes(deck, "agenda_notes"), origin=deck.programme.origin)]
