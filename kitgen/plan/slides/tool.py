"""A tool's slide (purpose and steps), followed by its diagram slide when it has one.

An exercise the block runs is an exercise card: a line with its time box and what it needs (the tool's
``duration_minutes``, a worksheet when it has one, the block's ``materials``), its purpose, and its steps
numbered. What the content does not give is left off (the seeds name no group format, so none is shown).
"""

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides import diagram as diagram_kind
from kitgen.plan.slides.common import bullets, minutes_text, notes, plain, say, slide_text


def card_line(deck, tool, block) -> str:
    """"20 min. · Arbejdsark · Post-its": the exercise's time box and materials, as the content gives them."""
    parts = [minutes_text(tool.duration_minutes, deck)] if tool.duration_minutes else []
    sheet = deck.labels.get("worksheet_no", "Arbejdsark")
    name = say(tool.title, deck).split(" – ")[0].strip().casefold()
    materials = [say(m, deck) for m in block.materials if say(m, deck)]
    # the block's materials name every tool's worksheet: this card names its own, and what every tool needs
    materials = [m for m in materials if not m.casefold().startswith(sheet.casefold()) or name in m.casefold()]
    if tool.has_worksheet and not any(m.casefold().startswith(sheet.casefold()) for m in materials):
        materials.insert(0, sheet)
    return " · ".join(parts + materials)


def build(deck, item):
    slides = []
    for tool, use in item.tools:
        card = use == "run" and tool.kind == "exercise" and bool(tool.steps)
        body = [Paragraph(line, style="meta")] if card and (line := card_line(deck, tool, item.block)) else []
        body += [plain(slide_text(tool.purpose, deck))] if say(tool.purpose, deck) else []
        body += [Paragraph(f"{n}.\t{slide_text(step, deck)}", style="step") if card else Paragraph(slide_text(step, deck))
                 for n, step in enumerate(tool.steps, 1)]
        steps = [f"{n}. {slide_text(step, deck, limit=160)}" for n, step in enumerate(tool.steps, 1)] if use == "run" else []
        title = say(tool.title, deck)
        slides.append(SlideSpec("tool", title, body, notes(deck, "tool_notes", steps, bullets([tool.facilitator_notes]), title,
                                                          tool=tool, use=use, block=item.block),
                                origin=tool.origin, notes_field="facilitator_notes", block=say(item.block.title, deck)))
        if tool.diagram is not None:
            slides.extend(diagram_kind.slides_for(deck, tool.diagram, title, tool, item))
    return slides
