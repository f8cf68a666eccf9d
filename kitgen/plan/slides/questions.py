"""A block's questions: titled by their group, the group's purpose in the notes; a group's diagram after it.

What the notes ask the presenter to do follows the content: a dialogue in groups only when the
block is a dialogue (or its questions are dialogue questions in an exercise); reflection in an
exercise or talk; in a welcome or closing block the questions are presented, not worked on.
"""

import re

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides import diagram as diagram_kind
from kitgen.plan.slides.items import covered, normalise
from kitgen.plan.slides.common import bullets, part_title, minutes_text, notes, say, slide_text, titled


def activity(item) -> str:
    """"dialogue", "reflection" or "present": what the block does with its questions, as the content says."""
    block = item.block
    if block.kind == "dialogue":
        return "dialogue"
    if block.kind in ("welcome", "closing", "break"):
        return "present"
    if block.kind == "exercise" and any(q.kind == "dialogue" for q in item.questions):
        return "dialogue"
    return "reflection"


PER_SLIDE = 3  # questions on one slide at most: large type with room; 4 questions are 2 + 2, 5 are 3 + 2


def meta(deck, item, title: str = "") -> str:
    """The line under the questions, on every slide of them: how they are worked on ("Dialog i grupper", "Refleksion")
    unless the title says so already ("Dialog i mindre grupper", "Individuel refleksion") and, when the questions are the
    block's whole activity (no points, no tool), its minutes; what the content does not give is left off."""
    how = {"dialogue": deck.labels.get("dialogue_in_groups", ""), "reflection": deck.labels.get("reflection", "")}.get(activity(item), "")
    if how and how.split()[0].casefold() in title.casefold():
        how = ""
    parts = [how[:1].upper() + how[1:]] if how else []
    minutes = item.block.span_minutes if not item.points and not item.tools else None
    if minutes:
        parts.append(minutes_text(minutes, deck))
    return " · ".join(parts)


def on_the_card(deck, item) -> list:
    """The block's questions that its tools' slides already ask as steps ("Hvordan forklarer du/I udsvingene?" after
    step "Forklar udsvingene."): they stay in the notes, not on a slide of their own."""
    steps = [normalise(slide_text(step, deck, limit=400)) for tool, _ in item.tools for step in tool.steps]
    steps += [normalise(say(step, deck)) for tool, _ in item.tools for step in tool.steps]
    return [q for q in item.questions if steps and covered(normalise(say(q.text, deck)), steps)]


def build(deck, item):
    if not item.questions:
        return []
    asked = on_the_card(deck, item)
    if asked:
        from dataclasses import replace

        item = replace(item, questions=[q for q in item.questions if q not in asked])
        if not item.questions:
            return []
    block = item.block
    groups = item.groups
    if len(groups) == 1:
        title = say(getattr(groups[0], "headline", None), deck) or say(groups[0].title, deck)
    else:
        part = re.sub(r" \([^()]*\)$", "", part_title(block, deck))  # "… (gruppe- og ledelsesniveau)": no double parentheses
        title = titled(deck, "questions_on", part, "{title}")  # "Spørgsmål til <the part the agenda names>"
    if any(title.casefold() == say(tool.title, deck).casefold() for tool, _ in item.tools):
        title = titled(deck, "questions_on", title, "{title}")  # the tool's slide has that title already
    lines = bullets([say(g.intro, deck) for g in groups])
    helps = [" ".join(slide_text(h, deck) for h in question.help) for question in item.questions if question.help]
    if helps:
        lines.append(f"{deck.labels.get('support_questions', 'Hjælpespørgsmål')}:")
        lines += [f"– {text}" for text in helps]
    texts = [slide_text(q.text, deck, limit=200) for q in item.questions]
    line = meta(deck, item, title)
    count = -(-len(texts) // PER_SLIDE)
    sizes = [len(texts) // count + (1 if n < len(texts) % count else 0) for n in range(count)]  # balanced: 3 + 2, not 3 + 1 + 1
    starts = [sum(sizes[:n]) for n in range(count)]
    pages = [texts[start:start + size] for start, size in zip(starts, sizes)]
    note = notes(deck, "questions_notes", lines, questions=item.questions, kind=activity(item), block=block)
    slides = []
    for number, page in enumerate(pages):
        heading = title if number == 0 else (deck.labels.get("continued_title") or "{title} (fortsat {n}/{of})").format(
            title=title, n=number + 1, of=len(pages))
        body = [Paragraph(text, style="question") for text in page] + ([Paragraph(line, style="meta")] if line else [])
        page_note = note if number == 0 else "\n".join(  # a later page's notes go on with its own questions
            [deck.labels.get("continued_notes") or "Fortsæt med punkterne på sliden:", *(f"– {text}" for text in page)])
        slides.append(SlideSpec("questions", heading, body, page_note, origin=block.origin, block=say(block.title, deck)))
    for group in groups:
        slides.extend(diagram_kind.slides_for(deck, group, say(group.title, deck), item))
    return slides
