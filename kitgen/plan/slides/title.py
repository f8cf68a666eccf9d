"""The title slide: programme title; subtitle, organisation, date and venue; the logo in its place."""

from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.common import notes, plain, say


def build(deck, block):
    org, programme = deck.org, deck.programme
    body = []
    if say(programme.subtitle, deck):
        body.append(plain(say(programme.subtitle, deck)))
    body.append(plain(org.name))
    venue = org.venue if org.venue != org.name else ""  # "Københavns Kommune · Københavns Kommune" says nothing
    date = deck.render.context.get("date", "")
    if date or venue:
        body.append(plain(" · ".join(x for x in (date, venue) if x)))
    alt = f"{deck.labels.get('logo', 'Logo')}: {deck.branding.display_name}"
    return [SlideSpec("title", say(programme.title, deck), body, notes(deck, "title_notes"),
                      origin=org.origin, logo=deck.branding.logo, alt=alt)]
