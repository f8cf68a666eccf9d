"""A block's questions: titled by their group, the group's purpose in the notes; a group's diagram after it."""

from kitgen.plan import Paragraph, SlideSpec
from kitgen.slides import diagram as diagram_kind
from kitgen.slides.common import bullets, notes, say, slide_text


def build(deck, item):
    if not item.questions:
        return []
    block = item.block
    groups = item.groups
    label = deck.labels["questions"]
    title = say(groups[0].title, deck) if len(groups) == 1 else f"{label} – {say(block.title, deck)}"
    if any(title.casefold() == say(tool.title, deck).casefold() for tool, _ in item.tools):
        title = f"{label} – {title}"  # the tool's slide has that title already
    dialogue = any(q.kind == "dialogue" for q in item.questions) or block.kind == "dialogue"
    lines = bullets([say(g.intro, deck) for g in groups], deck)
    for question in item.questions:
        if question.help:
            lines.append("– " + " ".join(slide_text(h, deck) for h in question.help))
    body = [Paragraph(slide_text(q.text, deck, limit=200)) for q in item.questions]
    slides = [SlideSpec("questions", title, body,
                        notes(deck, "questions_notes", lines, questions=item.questions, kind="dialogue" if dialogue else "reflection",
                              block=block),
                        origin=block.origin, block=say(block.title, deck))]
    for group in groups:
        if group.diagram is not None:
            slides.extend(diagram_kind.slides_for(deck, group.diagram, say(group.title, deck), group, item))
    return slides
