"""The closing slide: thanks (unless the last block already says it) and who to contact."""

from kitgen.plan import SlideSpec
from kitgen.slides.common import notes, plain, say


def build(deck, block):
    lines = [plain(deck.branding.display_name)]
    facilitators = ", ".join(f for f in deck.org.facilitators if f != deck.branding.display_name)
    if facilitators:
        lines.append(plain(facilitators))
    thanks = deck.labels["thanks"]
    said = any(thanks.casefold() in say(b.title, deck).casefold() for b in deck.programme.blocks)
    title = deck.labels.get("contact", thanks) if said else thanks
    return [SlideSpec("closing", title, lines, notes(deck, "closing_notes"), origin=deck.programme.origin,
                      alt=f"{deck.labels.get('logo', 'Logo')}: {deck.branding.display_name}", logo=deck.branding.logo)]
