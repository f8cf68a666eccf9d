"""A definition the seed states: the term as the title, the text, who defined it."""

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides.common import notes, say, slide_text


def build(deck, item):
    slides = []
    for definition in item.definitions:
        body = [Paragraph(slide_text(definition.text, deck, limit=400), style="plain")]
        if say(definition.attribution, deck):
            body.append(Paragraph(f"– {say(definition.attribution, deck)}", style="attribution"))
        slides.append(SlideSpec("definition", say(definition.term, deck), body,
                                notes(deck, "definition_notes", definition=definition, block=item.block),
                                origin=definition.origin, block=say(item.block.title, deck)))
    return slides
