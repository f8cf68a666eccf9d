"""At most one quote slide per block: the quotes the content chose for it, sharing the slide.

The title says what the quote is about: the quote's ``headline``, else the part of its source
that names the passage it is from ("… – Problemet i en nøddeskal"), else ``labels.quotes_title``.
"""

import re

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides.common import notes, say


def about(quote, deck) -> str:
    """What a quote is about, as its content says: its headline, else the passage its source names."""
    if say(getattr(quote, "headline", None), deck):
        return say(quote.headline, deck)
    parts = str(quote.source or "").split(" – ")
    passage = parts[-1].strip() if len(parts) > 1 else ""
    if not passage or re.search(r"\d{4}", passage) or passage.startswith("("):
        return ""
    return passage[:1].upper() + passage[1:]


def build(deck, item):
    if not item.quotes:
        return []
    body = []
    for quote in item.quotes:
        text = say(quote.text, deck)
        if text[:1].islower():
            text = "…" + text  # the seed quotes from mid-sentence: show that it is an excerpt
        body.append(Paragraph(f"»{text}«", style="quote"))
        if say(quote.attribution, deck):
            body.append(Paragraph(f"– {say(quote.attribution, deck)}", style="attribution"))
    topics = {about(quote, deck) for quote in item.quotes}
    title = topics.pop() if len(topics) == 1 and "" not in topics else deck.labels.get("quotes_title") or deck.labels["quote"]
    return [SlideSpec("quote", title, body,  # the cue to the next slide is added once the deck's order is known (spoken.py)
                      notes(deck, "quote_notes", quotes=item.quotes, block=item.block, title=title),
                      origin=item.quotes[0].origin, block=say(item.block.title, deck))]
