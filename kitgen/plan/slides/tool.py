"""A tool's slide (purpose and steps), followed by its diagram slide when it has one.

An exercise the block runs is an exercise card: a line with its time box and what it needs (the tool's
``duration_minutes``, a worksheet when it has one, the block's ``materials``), its purpose, and its steps
numbered — unless a process figure drawn right after shows the steps (one chevron a step): then the card keeps
its time box, worksheet and purpose, and the steps are the figure's. What the content does not give is left off (the seeds name no group format, so none is shown).
"""

import re

from kitgen.content.diagrams import describe
from kitgen.core.textfield import Text
from kitgen.plan.kitplan import Paragraph, SlideSpec
import kitgen.plan.slides.diagram as diagram_kind
from kitgen.plan.slides.items import _words, normalise
from kitgen.plan.slides.sentences import sentences
from kitgen.plan.slides.common import bullets, minutes_text, notes, plain, say, slide_text, tidy


MAX_STEPS_WITH_PURPOSE = 5  # an exercise card with this many steps leaves its purpose to the notes (five steps fill a card)
PURPOSE_ON_CARD_CHARS = 90  # a card's purpose longer than about one line goes to the notes: the card is its steps
# (review r6a C32: BFA's cards were a two-line title, a label, a three-line purpose and five steps — a worksheet on the wall)


def card_line(deck, tool, block) -> str:
    """"20 min. · Arbejdsark: Belastningskurven": the exercise's time box and the worksheet it is done on, as the
    content gives them. Pens, flipovers and post-its are the facilitator's logistics: :func:`materials_line` puts
    them in the notes."""
    parts = [minutes_text(tool.duration_minutes, deck)] if tool.duration_minutes else []
    sheet = deck.labels.get("worksheet_no", "Arbejdsark")
    name = say(tool.title, deck).split(" – ")[0].strip()
    if tool.has_worksheet:
        parts.append(f"{sheet}: {name}")
    return " · ".join(parts)


def materials_line(deck, tool, block) -> str:
    """What the facilitator brings for this exercise besides the worksheets (pens, a flipover, post-its)."""
    sheet = deck.labels.get("worksheet_no", "Arbejdsark").casefold()
    materials = [say(m, deck) for m in block.materials if say(m, deck)]
    materials = [m for m in materials if not m.casefold().startswith(sheet)]  # worksheets: the card and the notes' first lines
    if not materials:
        return ""
    return f"{deck.labels.get('materials', 'Materialer')}: {', '.join(materials)}."


def numbered(number: int, text: str) -> str:
    """"2. Afhold dialogen …"; a step that numbers itself ("Trin 2. Lederkontrakt …", "B. Kvalificér …") as it is."""
    return text if re.match(r"(?:Trin|Step|Fase|Phase) \d+\b|[A-Z]\. ", text) else f"{number}. {text}"


def build(deck, item):
    slides = []
    for tool, use in item.tools:
        card = use == "run" and tool.kind == "exercise" and bool(tool.steps)
        body = [Paragraph(line, style="meta")] if card and (line := card_line(deck, tool, item.block)) else []
        drawn = diagram_kind.shows_steps(deck, tool, item)  # the chevrons on the next slide show the steps: each item once
        full = card and not drawn and (len(tool.steps) >= MAX_STEPS_WITH_PURPOSE  # five steps fill the card: the purpose is said
                                       or len(slide_text(tool.purpose, deck)) > PURPOSE_ON_CARD_CHARS)
        body += [plain(slide_text(tool.purpose, deck))] if say(tool.purpose, deck) and not full else []
        body += [] if drawn else [Paragraph(f"{n}.\t{slide_text(step, deck)}", style="step") if card
                                  else Paragraph(slide_text(step, deck)) for n, step in enumerate(tool.steps, 1)]
        steps = [numbered(n, slide_text(step, deck, limit=160)) for n, step in enumerate(tool.steps, 1)] \
            if use == "run" or drawn else []  # chevrons show a step's label: the notes say the step
        brings = materials_line(deck, tool, item.block) if card else ""
        steps = steps + ([brings] if brings else [])  # after the steps: the list stays whole under its lead-in
        if full:
            steps = [*steps, f"{deck.labels.get('purpose', 'Formål')}: {say(tool.purpose, deck)}"]
        title = say(tool.headline, deck) or say(tool.title, deck)  # a long title ("Prototype 2: … – afklaring …") has a short one
        alone = drawn and not card and len(body) == 1  # a presented tool whose chevrons show the steps: its purpose is all
        label = deck.labels.get("purpose", "Formål")
        purpose = [say(tool.purpose, deck) if say(tool.purpose, deck).casefold().startswith(label.casefold())
                   else f"{label}: {say(tool.purpose, deck)}"] if alone else []  # not "Formål: Formålet med …"
        told = beyond_steps(bullets([tool.facilitator_notes]), [say(step, deck) for step in tool.steps]
                            + [slide_text(step, deck) for step in tool.steps]
                            + [label for figure in diagram_kind.figures_of(tool) if getattr(figure, "kind", "") == "process"
                               for label in diagram_kind.labels_of(figure, deck)] if steps else [])
        spec = SlideSpec("tool", title, body, notes(deck, "tool_notes", purpose + steps, told, title,
                                                                    tool=tool, use=use, block=item.block),
                         origin=tool.origin, notes_field="facilitator_notes", block=say(item.block.title, deck))
        figures = diagram_kind.slides_for(deck, tool, title, item, None if alone else spec)
        if alone and figures:  # a purpose alone is not a slide: the chevrons carry the tool's title and notes
            later = {line for figure in figures[1:] for line in figure.notes.split("\n") if line.startswith("– ")}
            spec.notes = "\n".join(line for line in spec.notes.split("\n") if line not in later)  # said at their figure
            merge(figures[0], spec, deck.language)
            slides.extend(figures)
        elif card and figures:  # an exercise's model is shown before its instructions refer to it (review r6a A9)
            slides.extend(figures)
            slides.append(spec)
        else:
            slides.append(spec)
            slides.extend(figures)
    return slides


def beyond_steps(lines: list[str], steps: list[str]) -> list[str]:
    """The tool's note lines without the sentences that give its steps again ("Procestrin: Du skal gennemgå 1) …",
    "Kort fortalt: Trin 1: … Trin 2: …" under the steps themselves): a sentence, its lead label ("Kort fortalt:") left
    out, whose words are mostly the steps' words; a line left empty goes."""
    if not steps:
        return lines
    known = set().union(*(_words(normalise(step)) for step in steps))
    out = []
    for line in lines:
        lead = "– " if line.startswith("– ") else ""
        parts = [part for part in sentences(line[len(lead):]) if not _restates(part, known)]
        if parts:
            out.append(lead + " ".join(parts))
    return out


def _restates(sentence: str, known: set) -> bool:
    text = re.sub(r"^[\w ]{3,20}:\s*", "", sentence)  # "Kort fortalt: Trin 1: …" is said by its steps' words
    words = _words(normalise(re.sub(r"\b(?:Trin|Step|Fase|Phase)\b", "", text)))
    share = 0.5 if re.match(r"(?:Trin|Step|Fase|Phase) \d", text) else 0.7  # "Trin 1: Udfyld interviewguide." is a step
    return bool(words) and len(words & known) >= share * len(words)  # "Trin 1: Prioriter." under step "A. Prioriter: …"


def merge(figure: SlideSpec, card: SlideSpec, language: str) -> None:
    """The tool's chevron slide titled as the tool, its notes the tool's: purpose, steps in short, facilitator notes.
    The figure's own title, where it says more than the tool's ("Prototype 1 i tre trin · 2 × 45 minutter"), stays on
    the slide as its caption (a ``meta`` line the renderer draws above the drawing)."""
    if figure.diagram is not None and figure.diagram.title:  # the drawing is named as its slide is titled
        own = " ".join(figure.diagram.title.get(language).split()) if hasattr(figure.diagram.title, "get") \
            else str(figure.diagram.title)
        if own and own.casefold() != card.title.casefold():
            figure.body = [Paragraph(own, style="meta")]
        figure.diagram = figure.diagram.model_copy(update={"title": Text(card.title)})
        figure.alt = describe(figure.diagram, language)
    figure.title = card.title
    figure.notes = tidy(card.notes.strip())
    figure.origin, figure.notes_field = card.origin, card.notes_field
