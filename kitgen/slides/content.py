"""A block's points as a list (a talk's slide); the block's notes as short bullets in the speaker notes."""

from kitgen.plan import Paragraph, SlideSpec
from kitgen.slides.common import bullets, notes, say, slide_text


def build(deck, item):
    if not item.points or item.block.kind == "break":
        return []
    title = say(item.block.title, deck)
    body = [Paragraph(slide_text(point, deck)) for point in item.points]
    return [SlideSpec("content", title, body, notes(deck, "content_notes", bullets([item.notes], deck), block=item.block),
                      origin=item.block.origin, notes_field=f"blocks[{item.index}].notes", block=title)]
