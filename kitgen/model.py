"""The content model: one typed view of all workshop content that every stage reads.

Loading (``kitgen.load``) turns YAML into these objects; validation
(``kitgen.validate``) and assembly (``kitgen.assemble``) read only these
objects, never the YAML. Every object loaded from a file carries an
:class:`Origin` (file and line) so findings can point at it.

Clock times are kept as the text the author wrote (``"08:30"``) and parsed by
:func:`parse_clock`; a malformed time is a *timing finding*, not a load
failure, so one bad block does not hide every other problem in the file.
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from kitgen.names import ID_PATTERN, ORG_ID_PATTERN  # noqa: E402,F401  (re-exported)

CLOCK_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


class Origin(BaseModel):
    """Where an object was written: a file (relative to the content root) and a 1-based line."""

    model_config = ConfigDict(frozen=True)
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class Model(BaseModel):
    """Base for every content object: unknown fields are errors; origin is kept aside."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    _origin: Origin | None = PrivateAttr(default=None)
    _field_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def origin(self) -> Origin:
        return self._origin or Origin(file="<unknown>")

    def line_of(self, field: str) -> int | None:
        """The line where ``field`` was written, else the line of the object itself."""
        return self._field_lines.get(field) or (self._origin.line if self._origin else None)


def parse_clock(text: str) -> int | None:
    """Minutes after midnight for ``"HH:MM"``, or None when ``text`` is not a clock time."""
    match = CLOCK_RE.match(text or "")
    if not match:
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --- worksheets ---------------------------------------------------------------------------


class PromptsSection(Model):
    """Prompts, each followed by an empty box to write in."""

    kind: Literal["prompts"]
    heading: str | None = None
    prompts: list[str] = Field(min_length=1)
    lines: int = Field(default=4, ge=1, le=30, description="writing lines under each prompt")


class TableSection(Model):
    """A table with a header row, pre-filled rows and empty rows to fill in.

    A cell left as "" in ``rows`` is a field for the participant.
    """

    kind: Literal["table"]
    heading: str | None = None
    columns: list[str] = Field(min_length=1)
    rows: list[list[str]] = Field(default_factory=list)
    empty_rows: int = Field(default=0, ge=0, le=60)
    widths: list[float] | None = Field(default=None, description="relative column widths")


class GridSection(Model):
    """A labelled matrix such as the 2×2 prioriteringskort: every cell is room to write."""

    kind: Literal["grid"]
    heading: str | None = None
    column_labels: list[str] = Field(min_length=1)
    row_labels: list[str] = Field(min_length=1)
    cells: list[list[str]] | None = Field(default=None, description="optional caption per cell")
    lines: int = Field(default=6, ge=1, le=30)


class ChecklistSection(Model):
    """Items with a real checkbox (a Word content control) in front of each."""

    kind: Literal["checklist"]
    heading: str | None = None
    items: list[str] = Field(min_length=1)


class FieldsSection(Model):
    """Labelled fill-in fields (name, date, team …)."""

    kind: Literal["fields"]
    heading: str | None = None
    fields: list[str] = Field(min_length=1)


class TextSection(Model):
    """Plain instructions or explanation."""

    kind: Literal["text"]
    heading: str | None = None
    text: str


WorksheetSection = Annotated[
    PromptsSection | TableSection | GridSection | ChecklistSection | FieldsSection | TextSection,
    Field(discriminator="kind"),
]


class Worksheet(Model):
    title: str | None = None
    instructions: str | None = None
    sections: list[WorksheetSection] = Field(min_length=1)


# --- content ------------------------------------------------------------------------------


class Tool(Model):
    """An exercise or model, e.g. IGLO or Trivsel- og stressprofilen."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    purpose: str = ""
    audience: str = ""
    duration_minutes: int | None = Field(default=None, ge=1, le=600)
    steps: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list, description="ids of questions")
    source: str = ""
    seed: str | None = Field(default=None, description="the seed document it was transcribed from")
    facilitator_notes: str = ""
    has_worksheet: bool = False
    worksheet: Worksheet | None = None


class Question(Model):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    kind: Literal["reflection", "dialogue"] = "reflection"
    help: list[str] = Field(default_factory=list, description="support questions")


class QuestionGroup(Model):
    """Questions as the seeds group them (one file under content/questions/)."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    source: str = ""
    seed: str | None = None
    questions: list[Question] = Field(min_length=1)


class Quote(Model):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    attribution: str = ""
    source: str = ""
    seed: str | None = None


class QuoteFile(Model):
    quotes: list[Quote] = Field(min_length=1)


BlockKind = Literal["welcome", "talk", "dialogue", "exercise", "break", "closing"]


def _clock_text(value: object) -> object:
    """Accept what a YAML author writes for a time; keep it as text for the timing rules."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


class Slot(Model):
    start: str
    end: str

    _clock_as_text = field_validator("start", "end", mode="before")(_clock_text)


class Block(Model):
    """One timed block of a programme."""

    start: str
    end: str
    title: str = Field(min_length=1)
    kind: BlockKind
    tools: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    quotes: list[str] = Field(default_factory=list)
    points: list[str] = Field(default_factory=list, description="talk points shown on the slide")
    notes: str = ""
    materials: list[str] = Field(default_factory=list)

    _clock_as_text = field_validator("start", "end", mode="before")(_clock_text)

    @property
    def start_minutes(self) -> int | None:
        return parse_clock(self.start)

    @property
    def end_minutes(self) -> int | None:
        return parse_clock(self.end)

    @property
    def minutes(self) -> int | None:
        if self.start_minutes is None or self.end_minutes is None:
            return None
        return self.end_minutes - self.start_minutes


class Programme(Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    subtitle: str = ""
    date: Date | None = None
    slot: Slot
    seed: str | None = None
    blocks: list[Block] = Field(min_length=1)


class Branding(Model):
    """An organisation's look. Paths are relative to the org profile's folder."""

    display_name: str | None = None
    logo: str | None = Field(default=None, description="a PNG file")
    primary_color: str = Field(default="#1F4E79", pattern=HEX_COLOUR)
    accent_color: str = Field(default="#C55A11", pattern=HEX_COLOUR)
    heading_font: str = "DejaVu Sans"
    body_font: str = "DejaVu Sans"
    pptx_template: str | None = None
    docx_template: str | None = None


class Org(Model):
    """A client organisation's profile (content/orgs/<ID>.yaml)."""

    id: str = Field(pattern=ORG_ID_PATTERN)
    name: str
    programme: str
    date: Date | None = None
    venue: str = ""
    facilitators: list[str] = Field(default_factory=list)
    language: Literal["da", "en"] = "da"
    slot: Slot | None = Field(
        default=None, description="the organisation's booked slot; the programme's blocks move with its start"
    )
    branding: Branding = Field(default_factory=Branding)


class Content(BaseModel):
    """Everything under one content folder, indexed by id."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    root: str
    tools: dict[str, Tool] = Field(default_factory=dict)
    question_groups: dict[str, QuestionGroup] = Field(default_factory=dict)
    questions: dict[str, Question] = Field(default_factory=dict)
    quotes: dict[str, Quote] = Field(default_factory=dict)
    programmes: dict[str, Programme] = Field(default_factory=dict)
    orgs: dict[str, Org] = Field(default_factory=dict)
