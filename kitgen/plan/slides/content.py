"""A block's points as a list (a talk's slide); the block's notes, whole, in the speaker notes."""

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides.common import block_title, bullets, notes, say, slide_text, titled


def build(deck, item):
    if not item.points or item.block.kind == "break":
        return []
    title = block_title(item.block, deck)
    if any(title.casefold() == say(tool.title, deck).casefold() for tool, _ in item.tools):
        title = titled(deck, "intro_title", title, "{title}")  # the tool's own slide comes next with that title
    body = [Paragraph(slide_text(point, deck)) for point in item.points]
    return [SlideSpec("content", title, body, notes(deck, "content_notes", source=bullets([item.notes]),
                                                    where=say(item.block.title, deck), block=item.block),
                      origin=item.block.origin, notes_field=f"blocks[{item.index}].notes", block=say(item.block.title, deck))]
