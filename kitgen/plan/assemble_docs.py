"""The Word side of the kit plan: worksheet specs and run-sheet rows, in the org's language.

Everything here is plain text in the organisation's language (``Text.get``), so the
renderers never choose a language. Editorial remarks (``editor_note``) are never copied
into the plan. Slide numbers for the run-sheet come from the fitted slides
(``SlideSpec.block_index``), so they are computed by :func:`slide_ranges` after fitting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from kitgen.content.model import Block, Content, Org, Programme, Tool, Worksheet
from kitgen.core.textfield import Text
from kitgen.content.model import parse_clock
from kitgen.core.textfield import DEFAULT_LANGUAGE

if TYPE_CHECKING:  # pragma: no cover
    from kitgen.plan.kitplan import KitPlan

SLIDE_MINUTES = 2.5  # a talk's minutes per slide, at most, where a dialogue follows
LONG_NOTES_CHARS = 800  # a tool's facilitator notes longer than this go to the appendix

# Fallbacks for labels a customised layouts folder may not have yet (layouts/labels/da.yaml has them all).
DEFAULT_LABELS = {
    "clock_format": "{hh}:{mm}", "page_x_of_y": "{page} / {pages}", "worksheet_no": "Arbejdsark", "slide_one": "slide",
    "slides_many": "slides", "question_one": "spørgsmål", "questions_many": "spørgsmål", "activity_talk": "Oplæg",
    "dialogue_in_groups": "dialog i grupper", "reflection": "refleksion", "present": "Præsentér", "roleplay": "Rollespil",
    "timeline": "Forløb", "read_aloud": "Til oplæsning", "on_slide": "på slide", "appendix": "Bilag",
    "see_appendix": "Se bilag", "definition": "Definition", "support_questions": "Hjælpespørgsmål", "contents": "Indhold",
    "time": "Tid", "lead": "Hvem", "no_worksheets": "ingen – programmet bruger kun slides", "questions_of_the_day": "dagens spørgsmål",
    "column_subject": "gruppen øverst i kolonnen", "hand_out": "del {sheet} ud",
}


def label(labels: dict, key: str) -> str:
    return labels.get(key) or DEFAULT_LABELS.get(key) or key


@dataclass
class Script:
    """A role-play as a script: who says what."""

    title: str
    intro: str
    lines: list[tuple[str, str]]  # (speaker, line)
    source: str = ""


@dataclass
class QuoteNote:
    text: str
    attribution: str
    source: str
    on_slide: bool  # shown on the block's quote slide (else only read aloud from the notes)
    language: str = "da"  # the language the text is in (a quote may be in another than the org's)


@dataclass
class ToolGuide:
    """A tool as the facilitator runs (or presents) it in one block."""

    id: str
    title: str
    minutes: int | None
    presented: bool  # ``use: present``: shown, not run (no steps, no time of its own)
    purpose: str
    steps: list[str]
    notes: str  # the tool's facilitator notes (long ones go to the appendix)
    source: str
    worksheet_number: int | None
    worksheet_title: str
    roleplays: list[Script]

    @property
    def long_notes(self) -> bool:
        return len(self.notes) > LONG_NOTES_CHARS


@dataclass
class Segment:
    """One part of a block's running order: clock times and what happens."""

    start: str
    end: str
    minutes: int
    text: str


@dataclass
class RunSheetRow:
    index: int  # the block's index in the programme (matches SlideSpec.block_index)
    start: str
    end: str
    minutes: int | None
    title: str
    kind: str
    say_and_do: str
    points: list[str]
    materials: list[str]
    tools: list[ToolGuide]
    questions: list[str]
    question_help: list[list[str]]
    question_kind: str  # dialogue | reflection
    quotes: list[QuoteNote]
    roleplays: list[Script]
    definitions: list[tuple[str, str]]  # (term, text)
    what: list[str] = field(default_factory=list)  # "Oplæg, slides 5–8", … (after fitting: :func:`describe`)
    segments: list[Segment] = field(default_factory=list)
    lead: str = ""  # who leads the block (``lead:``), for the run-sheet's "Hvem" column


@dataclass
class WorksheetSpec:
    number: int
    tool_id: str
    title: str
    tool_title: str
    purpose: str
    instructions: str
    worksheet: Worksheet  # every text in it a plain string in the org's language
    source: str
    duration_minutes: int | None
    diagram: Any = None  # the tool's kitgen.content.diagrams.schema diagram, if any
    roleplays: list[Script] = field(default_factory=list)
    credit: str = ""  # the short source line the sheet prints (the worksheet's ``credit``, else ``source``)

    @property
    def source_line(self) -> str:
        return self.credit or self.source


def localise(value, language: str):
    """A content object with every :class:`Text` in it replaced by its ``language`` string."""
    if isinstance(value, Text):
        return value.get(language)
    if isinstance(value, list):
        return [localise(v, language) for v in value]
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: localise(getattr(value, name), language) for name in type(value).model_fields})
    return value


def language_of(text: Text, language: str) -> str:
    """The language of what ``text.get(language)`` gives: ``language`` when it has that
    translation, else the language of the text it falls back to."""
    if text.has(language):
        return language

    if text.has(DEFAULT_LANGUAGE):
        return DEFAULT_LANGUAGE
    return next(iter(text.translations), language)


def format_time(clock: str | None, labels: dict) -> str:
    """"08:30" as the org's language writes it ("08.30" in Danish); content keeps HH:MM."""
    if not clock or len(clock) != 5 or clock[2] != ":":
        return clock or ""
    return label(labels, "clock_format").format(hh=clock[:2], mm=clock[3:], h=str(int(clock[:2])))


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _script(roleplay, language: str) -> Script:
    return Script(roleplay.title.get(language), roleplay.intro.get(language),
                  [(line.speaker.get(language), line.line.get(language)) for line in roleplay.lines], roleplay.source)


def plan_documents(content: Content, org: Org, programme: Programme, labels: dict, render) -> tuple[list[WorksheetSpec], list[RunSheetRow]]:
    """The worksheets (one per tool that is run and has one) and one run-sheet row per block.

    ``render`` is assembly's text renderer (Jinja in a sandbox); it is used with a findings
    list of its own, as the slide side has already reported any template error once.
    """
    language = org.language
    quiet = type(render)(render.context, [])
    used_tools: list[str] = []
    for block in programme.blocks:
        for use in block.tools:
            if use.id in content.tools and use.id not in used_tools:  # presented tools' sheets are handouts
                used_tools.append(use.id)
    worksheets: list[WorksheetSpec] = []
    for tool_id in used_tools:
        tool = content.tools[tool_id]
        if not (tool.has_worksheet and tool.worksheet is not None):
            continue
        sheet: Worksheet = localise(tool.worksheet, language)
        worksheets.append(WorksheetSpec(
            number=len(worksheets) + 1, tool_id=tool.id, title=sheet.title or tool.title.get(language),
            tool_title=tool.title.get(language), purpose=tool.purpose.get(language),
            instructions=sheet.instructions or "", worksheet=sheet, source=tool.source,
            duration_minutes=tool.duration_minutes, diagram=tool.diagram,
            roleplays=[_script(content.roleplays[r], language) for r in tool.roleplays if r in content.roleplays],
            credit=sheet.credit or ""))
    numbers = {w.tool_id: w for w in worksheets}
    rows = [_row(content, block, index, language, labels, quiet, numbers) for index, block in enumerate(programme.blocks)]
    return worksheets, rows


def _credit(tool: Tool, language: str) -> str:
    """The tool's source as the kit prints it: its worksheet's short ``credit`` where it has one."""
    if tool.worksheet is not None and tool.worksheet.credit is not None:
        return tool.worksheet.credit.get(language)
    return tool.source


def _row(content: Content, block: Block, index: int, language: str, labels: dict, render, numbers: dict) -> RunSheetRow:
    notes = render.content(block.notes.get(language), block, "notes", block=block)
    points = [render.content(p.get(language), block, "points", block=block) for p in block.points]
    tools = []
    for use in block.tools:
        tool: Tool | None = content.tools.get(use.id)
        if tool is None:
            continue
        sheet = numbers.get(tool.id)
        tools.append(ToolGuide(
            tool.id, tool.title.get(language), tool.duration_minutes if use.use == "run" else None, use.use == "present",
            tool.purpose.get(language), [s.get(language) for s in tool.steps],
            render.content(tool.facilitator_notes.get(language), tool, "facilitator_notes"), _credit(tool, language),
            sheet.number if sheet else None, sheet.title if sheet else "",
            [_script(content.roleplays[r], language) for r in tool.roleplays if r in content.roleplays]))
    questions = [content.questions[q] for q in block.questions if q in content.questions]
    kind = "dialogue" if block.kind == "dialogue" or any(q.kind == "dialogue" for q in questions) else "reflection"
    quotes = [QuoteNote(content.quotes[q].text.get(language), content.quotes[q].attribution.get(language),
                        content.quotes[q].source, on_slide, language_of(content.quotes[q].text, language))
              for ids, on_slide in ((block.quotes, True), (block.notes_quotes, False)) for q in ids if q in content.quotes]
    sheets = [t for t in tools if t.worksheet_number]
    materials = [m.get(language) for m in block.materials]
    # a material line that names one of the block's worksheets gives way to the numbered one
    materials = [m for m in materials if not any(_names_sheet(m, t.worksheet_title, labels) for t in sheets)]
    materials += [f"{label(labels, 'worksheet_no')} {t.worksheet_number}: {short_title(t.worksheet_title)}" for t in sheets]
    roleplays = [_script(content.roleplays[r], language) for r in block.roleplays if r in content.roleplays]
    definitions = [(content.definitions[d].term.get(language), content.definitions[d].text.get(language))
                   for d in block.definitions if d in content.definitions]
    title = block.title.get(language)
    if block.kind == "break" and not block.title.has(language):
        title = label(labels, "break")  # as the deck's agenda and break slide call it (kitgen.plan.slides.agenda.title)
    local = (lambda text: local_numbers(text, language))
    for tool in tools:
        tool.steps = [local(s) for s in tool.steps]
        tool.notes = local(tool.notes)
    return RunSheetRow(index, block.start or "", block.end or "", block.span_minutes, title, block.kind,
                       local(notes), [local(p) for p in points], materials, tools,
                       [local(q.text.get(language)) for q in questions],
                       [[local(h.get(language)) for h in q.help] for q in questions], kind, quotes, roleplays, definitions,
                       lead=block.lead or "")


def local_numbers(text: str, language: str) -> str:
    """Guidance in the document's language: in Danish "Step 1" is "Trin 1" and a decimal is
    written with a comma ("4.2" → "4,2"; clock times, dates and "1.000" are left as they are)."""
    import re

    if language != "da" or not text:
        return text
    text = re.sub(r"\bStep (\d)", r"Trin \1", text)
    return re.sub(r"(?<![\d.,:])(\d)\.(\d)(?![\d.:])", r"\1,\2", text)


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", text.lower())


def _names_sheet(material: str, title: str, labels: dict) -> bool:
    """Does a material line ("Arbejdsark: Belastningskurven") name this worksheet? Its words,
    after the worksheet label, are all words of the title (or it starts like the title)."""
    words = _words(material)
    word_label = _words(label(labels, "worksheet_no")) + _words(labels.get("worksheets", ""))
    rest = [w for w in words if w not in word_label]
    return _same_start(title, material) or (bool(rest) and len(rest) < len(words) and set(rest) <= set(_words(title)))


def _same_start(title: str, material: str, words: int = 4) -> bool:
    """Does a material line already name this worksheet (its first words, punctuation aside)?"""
    head = " ".join(_words(title)[:words])
    return bool(head) and head in " ".join(_words(material))


# --- after fitting: slide numbers, what happens, minutes within the block ----------------------


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


def short_title(title: str) -> str:
    """A tool's title without its subtitle ("Prototype 2: Styrk ledelsesgruppen – afklaring …" → before the dash)."""
    return title.split(" – ")[0].strip() if " – " in title else title


def _activity(row: RunSheetRow, labels: dict) -> str:
    """What the block's own slides are: a welcome, a break, a closing, or else a talk."""
    if row.kind == "break":
        return labels.get("break", "Pause")
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
        for tool in row.tools:
            if tool.presented:
                joint = " – " if short_title(tool.title).rstrip().endswith(("?", "!")) else ", "
                sheet = f"{joint}{label(labels, 'worksheet_no').lower()} {tool.worksheet_number}" if tool.worksheet_number else ""
                what.append(f"{short_title(tool.title)}{sheet}")  # shown and explained: no minutes of its own
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
            what.append(f"{label(labels, 'roleplay').lower()}: {script.title}")
        row.what = what
        slides = ranges[row.index][1] - ranges[row.index][0] + 1 if row.index in ranges else 0
        row.segments = _named_segments(row, labels, slides) or _segments(row, labels, slides)


def question_label(row: RunSheetRow) -> str:
    """How a block's questions are used (a label key): discussed in groups, reflected on, or, in a
    welcome or a closing, put to the room as the day's questions (no minutes of their own)."""
    if row.kind in ("welcome", "closing"):
        return "questions_of_the_day"
    return "dialogue_in_groups" if row.question_kind == "dialogue" else "reflection"


NAMED_MINUTES = re.compile(r"([A-ZÆØÅ][^.:;()\n]{2,70}?[?]?)\s*\((\d+)\s*min\.?\)")


def _named_segments(row: RunSheetRow, labels: dict, slides: int = 0) -> list[Segment]:
    """The block's own running order, where its notes give the parts minutes ("Belastningskurven
    (15 min.): …"): the talk first when those parts leave minutes over, then the parts in the
    notes' order. Empty when the notes name no minutes, or more minutes than the block has."""
    start = _minutes(row.start)
    named = [(int(match.group(2)), match.group(1).strip()) for match in NAMED_MINUTES.finditer(row.say_and_do or "")]
    if start is None or not row.minutes or not named or sum(m for m, _ in named) > row.minutes:
        return []
    if sum(m for m, _ in named) == row.minutes and slides >= 3:  # the parts take the whole block, yet it has slides to
        return []  # show: no running order that leaves the talk no time (the notes say the minutes themselves)
    rest = row.minutes - sum(m for m, _ in named)
    parts = ([(rest, _activity(row, labels))] if rest else []) + named
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
        share = 3 if row.question_kind == "dialogue" or any(t.worksheet_number for t in row.tools) else 1.5
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
