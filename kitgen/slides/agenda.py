"""The agenda: clock times and block titles in two columns (a tab stop)."""

from kitgen.plan import SlideSpec
from kitgen.slides.common import notes, plain, say


def build(deck, block):
    lines = [plain(f"{b.start}–{b.end}\t{deck.labels['break'] if b.kind == 'break' else say(b.title, deck)}")
             for b in deck.programme.blocks]
    return [SlideSpec("agenda", deck.labels["agenda"], lines, notes(deck, "agenda_notes"), origin=deck.programme.origin)]
