"""A tool's slide (purpose and steps), followed by its diagram slide when it has one."""

from kitgen.plan import Paragraph, SlideSpec
from kitgen.slides import diagram as diagram_kind
from kitgen.slides.common import bullets, notes, plain, say, slide_text


def build(deck, item):
    slides = []
    for tool, use in item.tools:
        body = [plain(slide_text(tool.purpose, deck))] if say(tool.purpose, deck) else []
        body += [Paragraph(slide_text(step, deck)) for step in tool.steps]
        steps = [f"{n}. {slide_text(step, deck, limit=160)}" for n, step in enumerate(tool.steps, 1)] if use == "run" else []
        title = say(tool.title, deck)
        slides.append(SlideSpec("tool", title, body, notes(deck, "tool_notes", steps, bullets([tool.facilitator_notes]), title,
                                                          tool=tool, use=use, block=item.block),
                                origin=tool.origin, notes_field="facilitator_notes", block=say(item.block.title, deck)))
        if tool.diagram is not None:
            slides.extend(diagram_kind.slides_for(deck, tool.diagram, title, tool, item))
    return slides
