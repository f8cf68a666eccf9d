"""After fitting (kitgen.plan.assemble_docs): each run-sheet row's slide numbers, what happens
("Oplæg, slides 5–8; dialog i grupper, spørgsmål 1–2") and minutes within the block."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kitgen.content.model import parse_clock
from kitgen.plan.assemble_docs import RunSheetRow, Segment, _clock, label, short_title
from kitgen.plan.slides.questions import timed_parts

if TYPE_CHECKING:  # pragma: no cover
    from kitgen.plan.kitplan import KitPlan

SLIDE_MINUTES = 2.5  # a talk's minutes per slide, at most, where a dialogue follows


def slide_ranges(slides) -> dict[int, tuple[int, int]]:
    """Block index → (first, last) slide number (1-based, as the deck numbers them)."""
    ranges: dict[int, tuple[int, int]] = {}
    for number, slide in enumerate(slides, start=1):
        index = getattr(slide, "block_index", None)
        if index is None:
            continue
        first, _ = ranges.get(index, (number, number))
        ranges[index] = (first, number)
    return ranges


def _activity(row: RunSheetRow, labels: dict) -> str:
    """What the block's own slides are: a welcome, a break, a closing, an exercise's introduction, or else a talk."""
    if row.kind == "break":
        return labels.get("break", "Pause")
    if row.kind == "exercise":
        return label(labels, "activity_intro")
    return label(labels, f"activity_{row.kind}" if row.kind in ("welcome", "closing") else "activity_talk")


def _span(first: int, last: int, one: str, many: str) -> str:
    return f"{one} {first}" if first == last else f"{many} {first}–{last}"


def describe(plan: "KitPlan") -> None:
    """Fill each run-sheet row's ``what`` ("Oplæg, slides 5–8; dialog i grupper, spørgsmål 1–2;
    arbejdsark 2") and ``segments`` (minutes within the block) from the fitted slides."""
    labels = plan.labels
    ranges = slide_ranges(plan.slides)
    for row in plan.run_sheet:
        first = _activity(row, labels)
        if row.index in ranges:
            first += ", " + _span(*ranges[row.index], label(labels, "slide_one"), label(labels, "slides_many"))
        what = [first]
        taken_home = []
        for tool in row.tools:
            if tool.presented:  # shown and explained in the talk: no minutes of its own; its sheet goes home
                what.append(short_title(tool.title))
                if tool.worksheet_number:
                    taken_home.append(str(tool.worksheet_number))
                continue
            text = short_title(tool.title) + (f" ({tool.minutes} {labels['minutes_short']})" if tool.minutes else "")
            if tool.worksheet_number:  # "Hvordan er din balance? – arbejdsark 2" (no comma after a question mark)
                joint = " – " if text.rstrip().endswith(("?", "!")) else ", "
                text += f"{joint}{label(labels, 'worksheet_no').lower()} {tool.worksheet_number}"
            what.append(text)
        if row.questions:
            how = label(labels, question_label(row))
            if question_label(row) == "questions_of_the_day":  # "dagens spørgsmål 1–2"
                what.append(f"{how} " + ("1" if len(row.questions) == 1 else f"1–{len(row.questions)}"))
            else:
                what.append(f"{how}, " + _span(1, len(row.questions), label(labels, "question_one"), label(labels, "questions_many")))
        for script in row.roleplays:
            what.append(titled(label(labels, "roleplay"), script.title, labels))
        if taken_home:
            what.append(take_home(taken_home, labels))
        what = [keep_numbers(capital(line)) for line in what]
        row.what = what
        slides = ranges[row.index][1] - ranges[row.index][0] + 1 if row.index in ranges else 0
        # where the notes give their parts minutes ("Belastningskurven (15 min.): …") the running order is theirs:
        # never a split of kitgen's own that contradicts them
        named = NAMED_MINUTES.search(row.say_and_do or "")
        row.segments = _with_sheets(row, _named_segments(row, labels) if named else _segments(row, labels, slides), labels)


def _with_sheets(row: RunSheetRow, segments: list[Segment], labels: dict) -> list[Segment]:
    """Every worksheet the block hands out gets time in its running order: the part named like its tool
    ("Dialogguiden" for "Dialogguide på gruppeniveau") says ", arbejdsark 5"; a sheet no part names goes
    with the longest part after the introduction (the groups' or the reflection's time)."""
    word = label(labels, "worksheet_no").lower()
    for tool in row.tools:
        if tool.presented or not tool.worksheet_number or not segments:
            continue
        sheet = f"{word} {tool.worksheet_number}"
        if any(sheet in segment.text.lower() for segment in segments):
            continue
        head = re.findall(r"\w+", short_title(tool.title).lower())[:1]
        stem = head[0][:max(6, len(head[0]) - 2)] if head else ""
        named = [s for s in segments if stem and any(w.startswith(stem) for w in re.findall(r"\w+", s.text.lower()))]
        work = segments[1:] or segments  # after the introduction: the longest part is the work with the sheets
        segment = named[0] if named else max(work, key=lambda s: s.minutes)
        joint = " – " if segment.text.rstrip().endswith(("?", "!")) else ", "
        segment.text = f"{segment.text}{joint}{sheet}"
    return segments


def capital(text: str) -> str:
    """A run-sheet cell starts with a capital ("Dialog i grupper, spørgsmål 1–2")."""
    return text[:1].upper() + text[1:]


def keep_numbers(text: str) -> str:
    """A number never alone at a line's start: a no-break space before it ("arbejdsark 3", "slides 2–4")."""
    return re.sub(r"(?<=[\w,]) (?=\d)", "\u00a0", text)


def titled(name: str, title: str, labels: dict) -> str:
    """"Rollespil: Eksempel" — or, for a title with a colon of its own, "Rollespil »Eksempel: en ledergruppe …«"
    (never two colons in a row)."""
    if ":" not in title:
        return f"{name}: {title}"
    return label(labels, "titled").format(name=name, title=title)


def take_home(numbers: list[str], labels: dict) -> str:
    """"Arbejdsark 1, 2, 3 uddeles til hjemtagning": sheets a talk presents and no minute of the block uses."""
    sheets = f"{label(labels, 'worksheet_no')} {', '.join(numbers)}"
    return label(labels, "take_home_sheet").format(sheet=sheets)


def question_label(row: RunSheetRow) -> str:
    """How a block's questions are used (a label key): discussed in groups, reflected on, or, in a
    welcome or a closing, put to the room as the day's questions (no minutes of their own)."""
    if row.kind in ("welcome", "closing"):
        return "questions_of_the_day"
    return "dialogue_in_groups" if row.question_kind == "dialogue" else "reflection"


NAMED_MINUTES = re.compile(r"([A-ZÆØÅ][^.:;()\n]{2,70}?[?]?)\s*\((\d+)\s*min\.?\)")


def _named_segments(row: RunSheetRow, labels: dict) -> list[Segment]:
    """The block's running order where its notes give the parts minutes (KK's 75-minute workshop:
    25 + 25 + 15): the minutes left over first, as the introduction (an exercise) or the talk, then the
    parts in the notes' order, so "Forløb" accounts for every minute. Where the parts take the whole
    block the first one opens with the introduction ("Introduktion og Belastningskurven": BFA's 15 + 20
    of 35 minutes). Empty when the parts take more minutes than the block has."""
    start = _minutes(row.start)
    parts = [(minutes, name) for name, minutes in timed_parts(row.say_and_do, row.minutes, _activity(row, labels))]
    if start is None or not row.minutes or not parts:  # one rule with the deck's "Forløb" (plan.slides.questions)
        return []
    intro = _activity(row, labels)  # the minutes the notes leave over come first under this name (timed_parts)
    if row.kind == "exercise" and intro.lower() not in parts[0][1].lower():  # none over: the first part opens with it
        parts[0] = (parts[0][0], f"{intro} {label(labels, 'and')} {parts[0][1]}")
    segments, clock = [], start
    for minutes, text in parts:
        segments.append(Segment(_clock(clock), _clock(clock + minutes), minutes, text))
        clock += minutes
    return segments


def _segments(row: RunSheetRow, labels: dict, slides: int = 0) -> list[Segment]:
    """The block's minutes, part by part: tools that are run take their own minutes; the rest of
    the block goes to the opening talk and the questions: in a dialogue block a third to the talk
    and two thirds to the groups, in a talk two thirds to the talk and a third to reflection. A
    welcome or closing that names the day's questions gives them no time of their own."""
    start = _minutes(row.start)
    if start is None or not row.minutes or row.kind == "break":
        return []
    run = [t for t in row.tools if t.minutes and not t.presented]
    rest = row.minutes - sum(t.minutes for t in run)
    asked = row.questions and row.kind not in ("welcome", "closing")
    if rest < 0 or (not run and not asked):
        return []
    talk_text = _activity(row, labels)
    parts: list[tuple[int, str]] = []
    if asked:
        how = label(labels, question_label(row))
        # talk: a third before a dialogue or a worksheet to fill in, else two thirds (a reflection after a talk)
        filled = any(t.worksheet_number and not t.presented for t in row.tools)  # a presented tool's sheet is a handout
        share = 3 if row.question_kind == "dialogue" or filled else 1.5
        talk = rest / share
        if row.question_kind == "dialogue" and slides:  # … at most about 2½ minutes a slide before the groups start
            talk = min(talk, SLIDE_MINUTES * slides)
        talk = 0 if not (row.points or row.say_and_do or any(t.presented for t in row.tools)) else 5 * max(1, round(talk / 5))
        if talk:
            parts.append((talk, talk_text))
        questions = rest - talk
    else:
        if rest:
            parts.append((rest, talk_text))
        questions = 0
    for tool in run:
        extra = f", {label(labels, 'worksheet_no').lower()} {tool.worksheet_number}" if tool.worksheet_number else ""
        parts.append((tool.minutes, short_title(tool.title) + extra))
    if questions > 0:
        parts.append((questions, f"{how[:1].upper()}{how[1:]}"))
    segments, clock = [], start
    for minutes, text in parts:
        segments.append(Segment(_clock(clock), _clock(clock + minutes), minutes, text))
        clock += minutes
    return segments


def _minutes(clock: str) -> int | None:
    return parse_clock(clock)
