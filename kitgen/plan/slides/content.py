"""A block's points as a list (a talk's slide); the block's notes, whole, in the speaker notes."""

import re

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides.items import normalise
from kitgen.plan.slides.common import block_title, bullets, notes, say, slide_text, titled


def shows(item) -> bool:
    """Does the block get a points slide? Not a break, and not for one point left beside the block's other slides
    (tools, questions, quotes, definitions, key figures): the divider's notes keep it, with the block's notes."""
    others = item.tools or item.questions or item.quotes or item.definitions or getattr(item.block, "statement", None)
    return bool(item.points) and item.block.kind != "break" and not (len(item.points) == 1 and others)


def presented_lines(deck, item) -> list[str]:
    """The block's note lines that present its questions ("Præsentér dagens to primære spørgsmål (på sliden)") where
    the block only presents them (a welcome or a closing): they are said on the questions' slide, not before it."""
    if not item.questions or item.block.kind not in ("welcome", "closing"):
        return []
    asked = [normalise(say(q.text, deck))[:40] for q in item.questions]
    word = normalise(deck.labels.get("questions", "Spørgsmål"))
    return [line for line in str(item.notes or "").split("\n")
            if any(a and a in normalise(line) for a in asked) or (word and re.search(rf"\b{word}\b", normalise(line)))]


def build(deck, item):
    if not shows(item):
        return []
    title = block_title(item.block, deck)
    if any(title.casefold() == say(tool.title, deck).casefold() for tool, _ in item.tools):
        title = titled(deck, "intro_title", title, "{title}")  # the tool's own slide comes next with that title
    body = [Paragraph(slide_text(point, deck)) for point in item.points]
    elsewhere = presented_lines(deck, item)  # said with the questions
    said = bullets([line for line in str(item.notes or "").split("\n") if line not in elsewhere])
    return [SlideSpec("content", title, body, notes(deck, "content_notes", source=said,
                                                    where=say(item.block.title, deck), block=item.block, title=title),
                      origin=item.block.origin, notes_field=f"blocks[{item.index}].notes", block=say(item.block.title, deck))]
