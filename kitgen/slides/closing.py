"""The closing slide: thanks (unless the last block already says it), and who to contact.

When a block already says thanks and the organisation names no facilitators to contact,
the slide is a quiet end card instead: the organisation with its logo, the programme and
the date (a "Kontakt" slide naming only the client itself would tell the client nothing).
"""

from kitgen.plan import SlideSpec
from kitgen.slides.common import notes, plain, say


def build(deck, block):
    facilitators = ", ".join(f for f in deck.org.facilitators if f != deck.branding.display_name)
    thanks = deck.labels["thanks"]
    said = any(thanks.casefold() in say(b.title, deck).casefold() for b in deck.programme.blocks)
    if said and not facilitators:
        date = deck.render.context.get("date", "")
        title = deck.branding.display_name
        lines = [plain(say(deck.programme.title, deck))] + ([plain(date)] if date else [])
    else:
        title = deck.labels.get("contact", thanks) if said else thanks
        lines = [plain(deck.branding.display_name)] + ([plain(facilitators)] if facilitators else [])
    return [SlideSpec("closing", title, lines, notes(deck, "closing_notes"), origin=deck.programme.origin,
                      alt=f"{deck.labels.get('logo', 'Logo')}: {deck.branding.display_name}", logo=deck.branding.logo)]
