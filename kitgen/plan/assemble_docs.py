"""The Word side of the kit plan: worksheet specs and run-sheet rows, in the org's language.

Everything here is plain text in the organisation's language (``Text.get``), so the
renderers never choose a language. Editorial remarks (``editor_note``) are never copied
into the plan. Slide numbers for the run-sheet come from the fitted slides
(``SlideSpec.block_index``), so they are computed by :func:`slide_ranges` after fitting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from kitgen.content.model import Block, Content, Org, Programme, Tool
from kitgen.content.worksheetmodel import Worksheet
from kitgen.core.textfield import Text
from kitgen.core.textfield import DEFAULT_LANGUAGE

LONG_NOTES_CHARS = 800  # a tool's facilitator notes longer than this go to the appendix

# Fallbacks for labels a customised layouts folder may not have yet (layouts/labels/da.yaml has them all).
DEFAULT_LABELS = {
    "clock_format": "{hh}:{mm}", "page_x_of_y": "{page} / {pages}", "worksheet_no": "Arbejdsark", "slide_one": "slide",
    "slides_many": "slides", "question_one": "spørgsmål", "questions_many": "spørgsmål", "activity_talk": "Oplæg", "activity_intro": "Introduktion",
    "dialogue_in_groups": "dialog i grupper", "reflection": "refleksion", "present": "Præsentér", "roleplay": "Rollespil",
    "timeline": "Forløb", "read_aloud": "Til oplæsning", "on_slide": "på slide", "appendix": "Bilag",
    "see_appendix": "Se bilag", "definition": "Definition", "support_questions": "Hjælpespørgsmål", "contents": "Indhold",
    "time": "Tid", "lead": "Hvem", "no_worksheets": "ingen – programmet bruger kun slides", "questions_of_the_day": "dagens spørgsmål",
    "column_subject": "gruppen øverst i kolonnen", "hand_out": "del {sheet} ud", "titled": "{name} »{title}«",
    "take_home_sheet": "{sheet} uddeles til hjemtagning", "and": "og",
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
    question_sets: list[str] = field(default_factory=list)  # each question's group title (BFA 12.55: two worksheets' questions)


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
    sets = {q.id: g.title.get(language) for g in content.question_groups.values() for q in g.questions}
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
                       lead=block.lead or "", question_sets=[sets.get(q.id, "") for q in questions])


def local_numbers(text: str, language: str) -> str:
    """Guidance in the document's language: in Danish "Step 1" is "Trin 1" and a decimal is
    written with a comma ("4.2" → "4,2"; clock times, dates and "1.000" are left as they are)."""
    if language != "da" or not text:
        return text
    text = re.sub(r"\bStep (\d)", r"Trin \1", text)
    return re.sub(r"(?<![\d.,:])(\d)\.(\d)(?![\d.:])", r"\1,\2", text)


def _words(text: str) -> list[str]:
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


def short_title(title: str) -> str:
    """A tool's title without its subtitle ("Prototype 2: Styrk ledelsesgruppen – afklaring …" → before the dash)."""
    return title.split(" – ")[0].strip() if " – " in title else title
