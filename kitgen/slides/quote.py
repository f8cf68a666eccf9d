"""At most one quote slide per block: the quotes the content chose for it, sharing the slide."""

from kitgen.plan import Paragraph, SlideSpec
from kitgen.slides.common import notes, say


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
    title = deck.labels["quote"] if len(item.quotes) == 1 else deck.labels.get("quotes_in_block", deck.labels["quote"])
    return [SlideSpec("quote", f"{title} – {say(item.block.title, deck)}", body,
                      notes(deck, "quote_notes", quotes=item.quotes, block=item.block),
                      origin=item.quotes[0].origin, block=say(item.block.title, deck))]
