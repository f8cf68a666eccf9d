"""``process``: steps in order as chevrons in a row (the three steps of a prototype: interview
guide → leader contract → dialogue), the first with a flat back, each step's label inside its
chevron and an optional note under it. All chevrons are the solid accent: one process."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import ACCENT, INSET, Figure, Label, Medium, Shape, text_on, tint
from kitgen.content.diagrams.text import count, one_line, pick, say, titled
from kitgen.core.textfield import Text


class ProcessDiagram(DiagramBase):
    """Steps in order, drawn as chevrons, e.g. Trin 1 Interviewguide, Trin 2 Lederkontrakt, Trin 3 Dialog."""

    kind: Literal["process"]
    steps: list[Text] = Field(min_length=2, max_length=6, description="each step's short name, in order")
    notes: list[Text] = Field(default_factory=list, description="optional: what happens in each step, under its chevron")
    numbered: bool = Field(default=True, description="true: each chevron leads with its step's number")


Model = ProcessDiagram  # the kind's content format, as the registry reads it
LABELS = ("steps", "notes")
ASPECT = 0.42


def aspect(diagram: ProcessDiagram) -> float:
    return ASPECT if diagram.notes else 0.22


def describe(diagram: ProcessDiagram, language: str) -> str:
    steps = [one_line(say(s, language)) for s in diagram.steps]
    notes = [one_line(say(n, language)) for n in diagram.notes] + [""] * len(steps)
    shown = [f"{n}. {step}" if diagram.numbered else step for n, step in enumerate(steps, 1)]
    shown = [f"{step} ({note})" if note else step for step, note in zip(shown, notes)]
    return titled(diagram, language, pick(language, f"{count(len(steps), language)} trin i rækkefølge: ",
                                          f"{count(len(steps), language)} steps in order: ") + " → ".join(shown))


def draw(diagram: ProcessDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    figure = Figure(width, height)
    steps = [say(s, language) for s in diagram.steps]
    notes = [say(n, language) for n in diagram.notes][: len(steps)]
    count_ = len(steps)
    gap = min(width, height) * 0.02
    chevron_h = min(height * (0.42 if notes else 1.0), width / count_ * 0.55)
    point = chevron_h * 0.32
    chevron_w = (width + (count_ - 1) * (point - gap)) / count_
    top = 0.0 if notes else (height - chevron_h) / 2
    order = []
    for index, step in enumerate(steps):
        x = index * (chevron_w - point + gap)
        text = f"{index + 1}\n{step}" if diagram.numbered else step
        figure.add(Shape("homeplate" if index == 0 else "chevron", x, top, chevron_w, chevron_h, fill=ACCENT, line=None,
                         point=point, text=Label(text, role="step", bold=True, colour=text_on(ACCENT),
                                                 bold_first_line=diagram.numbered, insets=(INSET, INSET, INSET, INSET)),
                         name=f"Trin {index + 1}: {step}"))
        order.append(text)
        if index < len(notes) and notes[index]:
            note_w = (width - gap * 3 * (count_ - 1)) / count_  # equal columns, one under each chevron
            note_x = index * (note_w + gap * 3)
            fill = tint(0.85)
            figure.add(Shape("rect", note_x, top + chevron_h + gap * 2, note_w, height - chevron_h - gap * 2, fill=fill,
                             line=None, text=Label(notes[index], role="step_note", anchor="middle",
                                                   colour=text_on(fill), insets=(INSET * 2, INSET * 2, INSET * 2, INSET)),
                             name=f"Note {index + 1}"))
            order.append(notes[index])
    figure.reading_order = order
    return figure
