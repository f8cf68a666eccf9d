"""A block's questions: titled by their group, the group's purpose in the notes; a group's diagram after it.

What the notes ask the presenter to do follows the content: a dialogue in groups only when the
block is a dialogue (or its questions are dialogue questions in an exercise); reflection in an
exercise or talk; in a welcome or closing block the questions are presented, not worked on.
"""

import re

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides.diagram import slides_for as diagram_slides
from kitgen.plan.slides.content import presented_lines
from kitgen.plan.slides.items import covered, normalise
from kitgen.plan.slides.common import bullets, part_title, minutes_text, note_text, notes, say, slide_text, titled


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


def meta(deck, item, title: str = "") -> str:
    """The line under the questions, on every slide of them: how they are worked on ("Dialog i grupper", "Refleksion")
    unless the title says so already ("Dialog i mindre grupper", "Individuel refleksion"), and their minutes: the
    block's when the questions are its whole activity (no points, tool or quote, and the block's notes split no
    time), else the minutes the block's notes give the part named as the slide ("Dialog i mindre grupper (15 min.)");
    what the content does not give is left off."""
    whole = not (item.points or item.tools or item.quotes or splits(item)) and item.block.kind not in ("welcome", "closing")
    minutes = item.block.span_minutes if whole else None  # a welcome's questions are presented, not its 15 minutes
    named = [m for name, m in timed(item) if title and normalise(title) in normalise(name)]
    minutes = minutes or (named[0] if len(named) == 1 else None)
    if not minutes:
        return ""  # a label alone ("Refleksion", "Dialog i grupper") reads as a leftover heading: the notes say how
    how = {"dialogue": deck.labels.get("dialogue_in_groups", ""), "reflection": deck.labels.get("reflection", "")}.get(activity(item), "")
    if how and how.split()[0].casefold() in title.casefold():
        how = ""
    parts = [how[:1].upper() + how[1:]] if how else []
    line = next((line for line in str(item.notes or "").split("\n") if named and _PART.match(line)
                 and normalise(title) in normalise(_PART.match(line).group(1))), "")
    size = re.search(r"grupper på (\d+[–-]\d+)", line)  # the format the part's own line gives ("grupper på 3–4")
    extra = [deck.labels.get("group_size", "grupper på {size}").format(size=size.group(1))] if size else []
    return " · ".join([*parts, minutes_text(minutes, deck), *extra])


def splits(item) -> bool:
    """Do the block's own notes split its time ("Gruppedialog 1 (25 min.)")? Then the whole block's minutes under the
    questions would contradict them: no minutes are shown."""
    return bool(re.search(r"\d+\s*(?:min\b|min\.|minutter|minutes)", str(item.notes or "")))


_PART = re.compile(r"^\s*[-–]?\s*([^:\n]{3,90}?)\s*\((\d+)\s*min\.?\)", re.MULTILINE)


def timed(item) -> list[tuple[str, int]]:
    """The parts the block's own notes give minutes, in their order: ("Gruppedialog 1 – de tre tiltag", 25)."""
    return [(found.group(1).strip(), int(found.group(2))) for found in _PART.finditer(str(item.notes or ""))]


def timed_parts(text: str, minutes: int | None, rest: str) -> list[tuple[str, int]]:
    """The block's running order from its notes: the parts they time, and, where those leave minutes of the block over,
    the rest first under ``rest`` ("Introduktion"), so the parts add up to the block (KK's 75-minute workshop: 10 +
    25 + 25 + 15). Empty when the notes time fewer than two parts, or more minutes than the block has. The same rule
    as the facilitator notes' "Forløb" (kitgen.plan.assemble_timing)."""
    parts = [(found.group(1).strip(), int(found.group(2))) for found in _PART.finditer(str(text or ""))]
    used = sum(m for _, m in parts)
    if not parts or (minutes and used > minutes) or (len(parts) < 2 and not (minutes and used < minutes)):
        return []
    return ([(rest, minutes - used)] if minutes and used < minutes else []) + parts


def rest_name(deck, block) -> str:
    """What the minutes a block's notes leave untimed are: an exercise's introduction, a welcome, a closing, else a talk."""
    key = "activity_intro" if block.kind == "exercise" else f"activity_{block.kind}" if block.kind in ("welcome", "closing") \
        else "activity_talk"
    return deck.labels.get(key, "")


def running_order(deck, item) -> str:
    """"Forløb: Introduktion (10 min.) · Gruppedialog 1 – de tre tiltag (25 min.) · … · Opsamling … (15 min.)": the
    parts the block's own notes time, in their words, and the minutes they leave over named (never a split kitgen works
    out otherwise); "" when the notes time no running order."""
    parts = timed_parts(item.notes, item.block.span_minutes, rest_name(deck, item.block))
    if not parts:
        return ""
    short = deck.labels.get("minutes_short", "min.")
    return f"{deck.labels.get('timeline', 'Forløb')}: {' · '.join(f'{name} ({m} {short})' for name, m in parts)}."


def _worked(item, helps: bool = True) -> list[tuple[str, int]] | None:
    parts = timed(item)
    if activity(item) != "dialogue" or not helps or len(parts) < len(item.questions) or len(item.questions) < 2:
        return None
    return parts


def _paired(item) -> list[int]:
    """The index among the block's timed note lines of each question's part: the line that names it ("Gruppedialog 2
    …: spørgsmål 2"), else the parts in order from the first that names a question (an introduction before them is no
    question's part)."""
    lines = [line for line in str(item.notes or "").split("\n") if _PART.match(line)]
    named = {}
    for index, line in enumerate(lines):
        for found in re.finditer(r"(?:spørgsmål|question|dialog|dialogue)\s+(\d+)\b", line, re.IGNORECASE):
            named.setdefault(int(found.group(1)) - 1, index)
    count = len(item.questions)
    if all(n in named for n in range(count)):
        return [named[n] for n in range(count)]
    start = min(named.values(), default=0) if min(named.values(), default=0) + count <= len(lines) else 0
    return list(range(start, start + count))


def group_lines(item) -> list[str]:
    """The block's note lines that its group-work slides say (one part each): the divider leaves them to those slides."""
    if not _worked(item, any(q.help for q in item.questions)):
        return []
    return [line for line in str(item.notes or "").split("\n") if _PART.match(line)]


def group_work(deck, item, helps, lead: list[str]) -> list | None:
    """A dialogue whose block times one part per question ("Gruppedialog 1 – … (25 min.)") and gives help questions:
    one slide per question, titled by its part, with what the groups need in sight — the part's minutes, the group size
    and what to write down as the block's notes give them, and the question's help questions, one a paragraph (style
    ``help``). Each slide's notes say its own part (the block's note line for it); the first opens with ``lead``, the
    last ends with the parts after the questions (the plenary). None when the block is no such dialogue."""
    text = str(item.notes or "")
    parts = _worked(item, bool(helps))
    if parts is None:
        return None
    size = re.search(r"grupper på (\d+[–-]\d+)", text)
    write = re.search(r"skrive (?:sine|jeres|deres) (\w+) ned", text)
    extra = [deck.labels.get("group_size", "grupper på {size}").format(size=size.group(1)) if size else "",
             deck.labels.get("write_down", "skriv jeres {what} ned").format(what=write.group(1)) if write else ""]
    help_of = dict((id(question), items) for question, items in helps)
    label = deck.labels.get("support_questions", "Hjælpespørgsmål")
    said = ["– " + line.strip().lstrip("-–• ").strip() for line in group_lines(item)]
    paired = _paired(item)
    pages = []
    for number, (question, index) in enumerate(zip(item.questions, paired)):
        name, minutes = parts[index]
        how = " · ".join(x for x in [minutes_text(minutes, deck), *extra] if x)
        body = [Paragraph(slide_text(question.text, deck, limit=200), style="question"), Paragraph(how, style="meta")]
        if help_of.get(id(question)):
            body.append(Paragraph(f"{label}:", style="meta"))
            body += [Paragraph(text, style="help") for text in help_of[id(question)]]
        before = said[:paired[0]] if number == 0 else []  # an introduction: said as the groups are set going
        after = said[paired[-1] + 1:] if number == len(paired) - 1 else []  # the plenary: after the last dialogue
        start = [note_text(deck, "group_work_notes", part=name, minutes=minutes)]  # its own opening: each part's differs
        pages.append((name, body, "\n".join([x for x in start if x] + (lead if number == 0 else []) + before
                                            + said[index:index + 1] + after)))
    return pages


def opening(text: str, limit: int = 50) -> str:
    """A question's first words, to name it in a note ("Hvorfor er det – set fra din stol …")."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ") + " …"


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
    order = running_order(deck, item)
    # the run-sheet once: where the divider says the block's timed parts, the question slide does not say them again
    untimed = sum(m for _, m in timed(item)) < (block.span_minutes or 0)  # the notes leave minutes to name
    lines = ([order] if order and (untimed or group_lines(item)) else []) + lines
    helps = [(question, [slide_text(h, deck).rstrip(" ;,") for h in question.help]) for question in item.questions
             if question.help and activity(item) != "present"]  # presented, not worked on: the help is for later
    if helps:
        lines.append(f"{deck.labels.get('support_questions', 'Hjælpespørgsmål')}:")
        for question, items in helps:  # each question's prompts under it, one item from the next told apart
            lead = f"{deck.labels.get('to_question', 'Til')} »{slide_text(question.text, deck, limit=200)}« – " if len(helps) > 1 else ""
            lines.append(f"– {lead}{' · '.join(items)}")
    texts = [slide_text(q.text, deck, limit=200) for q in item.questions]
    line = meta(deck, item, title)
    presented = bullets(presented_lines(deck, item))
    note = notes(deck, "" if presented else "questions_notes", presented + lines, questions=item.questions,
                 kind=activity(item), block=block, first=opening(texts[0]))  # the slide's own question: no two alike
    slides = []
    worked = group_work(deck, item, helps, [order] if order else [])
    for name, body, said in worked or []:
        slides.append(SlideSpec("questions", name, body, said, origin=block.origin, block=say(block.title, deck)))
    if not worked:  # one slide: kitgen.plan.fit splits it by fit ("(fortsat 1/2)", "(fortsat 2/2)"), and the deck the notes
        body = [Paragraph(text, style="question") for text in texts] + ([Paragraph(line, style="meta")] if line else [])
        slides.append(SlideSpec("questions", title, body, note, origin=block.origin, block=say(block.title, deck)))
    for group in groups:
        slides.extend(diagram_slides(deck, group, say(group.title, deck), item))
    return slides
