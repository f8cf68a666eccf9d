"""A block's points as a list (a talk's slide); the block's notes, whole, in the speaker notes."""

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides.common import block_title, bullets, notes, say, slide_text, titled


def shows(item) -> bool:
    """Does the block get a points slide? Not a break, and not for one point left beside the block's other slides
    (tools, questions, quotes, definitions, key figures): the divider's notes keep it, with the block's notes."""
    others = item.tools or item.questions or item.quotes or item.definitions or getattr(item.block, "statement", None)
    return bool(item.points) and item.block.kind != "break" and not (len(item.points) == 1 and others)


def build(deck, item):
    if not shows(item):
        return []
    title = block_title(item.block, deck)
    if any(title.casefold() == say(tool.title, deck).casefold() for tool, _ in item.tools):
        title = titled(deck, "intro_title", title, "{title}")  # the tool's own slide comes next with that title
    body = [Paragraph(slide_text(point, deck)) for point in item.points]
    return [SlideSpec("content", title, body, notes(deck, "content_notes", source=bullets([item.notes]),
                                                    where=say(item.block.title, deck), block=item.block, title=title),
                      origin=item.block.origin, notes_field=f"blocks[{item.index}].notes", block=say(item.block.title, deck))]
