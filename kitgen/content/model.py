"""The content model: one typed view of all workshop content that every stage reads.

Loading (``kitgen.content.load``) turns YAML into these objects; validation
(``kitgen.validate``) and assembly (``kitgen.plan.assemble``) read only these
objects, never the YAML. Every object loaded from a file carries an
:class:`Origin` (file and line) so findings can point at it.

Clock times are kept as the text the author wrote (``"08:30"``) and parsed by
:func:`parse_clock`; a malformed time is a *timing finding*, not a load
failure, so one bad block does not hide every other problem in the file.
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kitgen.content.diagrams.schema import Diagram
from kitgen.core.modelbase import Editorial, Model, NonEmptyText
from kitgen.core.names import ID_PATTERN, ORG_ID_PATTERN
from kitgen.core.textfield import Text
from kitgen.content.worksheetmodel import Worksheet

SCHEMA_VERSION = 2  # content/content.yaml declares it; ``kitgen migrate`` rewrites older content

CLOCK_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


def parse_clock(text: str) -> int | None:
    """Minutes after midnight for ``"HH:MM"``, or None when ``text`` is not a clock time."""
    match = CLOCK_RE.match(text or "")
    if not match:
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --- content ------------------------------------------------------------------------------


class Tool(Editorial):
    """An exercise (steps to run) or a model (something to present), e.g. IGLO or Trivsel- og stressprofilen."""

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["exercise", "model"] = "exercise"
    title: NonEmptyText
    headline: Text = Field(default_factory=Text, description="a short title for the tool's slide when its title is long (editorial: list it in `editorial`)")
    purpose: Text = Text()
    audience: Text = Text()
    duration_minutes: int | None = Field(
        default=None, ge=1, le=600,
        description="the exercise's own duration as the seed states it; an estimate is listed in `editorial`")
    steps: list[Text] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list, description="ids of questions")
    roleplays: list[str] = Field(default_factory=list, description="ids of role-plays (example dialogues) that belong to it")
    source: str = ""
    seed: str | None = Field(default=None, description="the seed document it was transcribed from")
    facilitator_notes: Text = Text()
    has_worksheet: bool = False
    worksheet: Worksheet | None = None
    diagram: Diagram | None = None
    figures: list[Diagram] = Field(default_factory=list, description=(
        "further figures of the tool the deck shows after its slide, before its diagram (e.g. its steps "
        "as a process); the worksheet prints the diagram"))


class Question(Editorial):
    id: str = Field(pattern=ID_PATTERN)
    text: NonEmptyText
    kind: Literal["reflection", "dialogue"] = "reflection"
    help: list[Text] = Field(default_factory=list, description="support questions")


class QuestionGroup(Editorial):
    """Questions as the seeds group them (one file under content/questions/)."""

    id: str = Field(pattern=ID_PATTERN)
    title: NonEmptyText
    headline: Text = Field(default_factory=Text, description="a short slide title that says the point (editorial: list it in `editorial`)")
    intro: Text = Text()
    source: str = ""
    seed: str | None = None
    questions: list[Question] = Field(min_length=1)
    diagram: Diagram | None = None


class Quote(Editorial):
    """Words someone said or wrote. ``attribution`` only where the seed names the speaker."""

    id: str = Field(pattern=ID_PATTERN)
    text: NonEmptyText
    attribution: Text = Text()
    headline: Text = Field(default_factory=Text, description="a short slide title that says the point (editorial: list it in `editorial`)")
    source: str = ""
    seed: str | None = None


class RoleLine(Model):
    speaker: NonEmptyText
    line: NonEmptyText


class RolePlay(Editorial):
    """An example dialogue or role-play script (content/roleplays/<id>.yaml): speakers and their lines."""

    id: str = Field(pattern=ID_PATTERN)
    title: NonEmptyText
    intro: Text = Text()
    lines: list[RoleLine] = Field(min_length=1)
    source: str = ""
    seed: str | None = None


class Definition(Editorial):
    """A definition or model text the seed states (content/definitions/<id>.yaml), e.g. psychological safety."""

    id: str = Field(pattern=ID_PATTERN)
    term: NonEmptyText
    text: NonEmptyText
    attribution: Text = Text()
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


class ToolUse(Model):
    """A tool in a block: ``run`` (the block holds the tool's own duration) or ``present`` (it is shown, not run)."""

    id: str
    use: Literal["run", "present"] = "run"

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: object) -> object:
        return {"id": value} if isinstance(value, str) else value


class KeyFigure(Model):
    """One number a statement slide shows large: the number as the language writes it ("4,2", "74 %") and what it is."""

    value: NonEmptyText = Field(description='the number as the kit\'s language writes it: "4,2", "74 %" (English: "4.2", "74%")')
    label: Text = Field(default_factory=Text, description="what the number is, in a few words")


class Statement(Model):
    """A block's statement slide: its key figures shown large under a headline that says what they mean."""

    headline: NonEmptyText = Field(description="the slide's title: the point the figures make")
    figures: list[KeyFigure] = Field(min_length=1, max_length=4)
    source: Text = Field(default_factory=Text, description="where the figures come from (a line under them)")


class Block(Editorial):
    """One block of a programme: ``minutes`` (its clock flows from the block before), or ``start``
    (pinned) with ``end`` or ``minutes``. ``id`` names it for variants (drop, insert, override)."""

    id: str | None = Field(default=None, pattern=ID_PATTERN, description="a slug, unique within the programme")
    start: str | None = None
    end: str | None = None
    minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    title: NonEmptyText
    headline: Text = Field(default_factory=Text, description="a short slide title that says the point (editorial: list it in `editorial`)")
    kind: BlockKind
    tools: list[ToolUse] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    quotes: list[str] = Field(default_factory=list, description="quotes shown on the block's one quote slide")
    notes_quotes: list[str] = Field(default_factory=list, description="quotes for the facilitator notes only")
    definitions: list[str] = Field(default_factory=list)
    roleplays: list[str] = Field(default_factory=list)
    points: list[Text] = Field(default_factory=list, description="talk points shown on the slide")
    statement: Statement | None = Field(default=None, description="key figures shown large on a slide of their own (editorial: list it in `editorial`)")
    notes: Text = Text()
    materials: list[Text] = Field(default_factory=list)
    shows: list[str] = Field(default_factory=list, description=(
        "ids of tools whose figures this block introduces (drawn after its slides; a later block that "
        "uses the tool refers back to them)"))
    lead: str | None = Field(default=None, description="who leads the block: a name from the organisation's facilitators")

    _clock_as_text = field_validator("start", "end", mode="before")(_clock_text)

    @property
    def tool_ids(self) -> list[str]:
        return [use.id for use in self.tools]

    @property
    def start_minutes(self) -> int | None:
        return parse_clock(self.start or "")

    @property
    def end_minutes(self) -> int | None:
        return parse_clock(self.end or "")

    @property
    def span_minutes(self) -> int | None:
        """The block's length from its clock times (after resolution every block has them)."""
        if self.start_minutes is None or self.end_minutes is None:
            return self.minutes
        return self.end_minutes - self.start_minutes


# What a block may refer to: field -> (the Content table it refers into, what one item is called).
# A new kind of reference is one entry here; validation, assembly and the input graph read it.
BLOCK_REFERENCES: dict[str, tuple[str, str]] = {
    "tools": ("tools", "tool"),
    "questions": ("questions", "question"),
    "quotes": ("quotes", "quote"),
    "notes_quotes": ("quotes", "quote"),
    "definitions": ("definitions", "definition"),
    "roleplays": ("roleplays", "role-play"),
    "shows": ("tools", "tool"),
}


def block_refs(block: "Block", field: str) -> list[str]:
    """The ids a block names in ``field`` (tool uses give their tool's id)."""
    return [getattr(item, "id", item) for item in getattr(block, field)]


class BlockInsert(Model):
    """A block a variant adds, ``after`` or ``before`` a block of the programme it extends."""

    after: str | None = None
    before: str | None = None
    block: Block


class BlockMove(Model):
    """A block a variant moves, ``after`` or ``before`` another block."""

    block: str = Field(description="id of the block to move")
    after: str | None = None
    before: str | None = None


class Programme(Editorial):
    """A timed programme: a slot and its blocks (clock times, durations or both)."""

    id: str = Field(pattern=ID_PATTERN)
    schema_version: int | None = Field(default=None, description="the content schema this file is written in")
    title: NonEmptyText
    subtitle: Text = Text()
    date: Date | None = None
    slot: Slot
    seed: str | None = None
    blocks: list[Block] = Field(min_length=1)


class ProgrammeVariant(Editorial):
    """A variant of another programme (``extends``): blocks dropped, inserted or overridden by id.

    Fields it gives (title, subtitle, date, slot) replace the base programme's; clock times
    flow again after the changes. Resolved into a :class:`Programme` by ``kitgen.content.schedule``.
    """

    id: str = Field(pattern=ID_PATTERN)
    schema_version: int | None = None
    extends: str = Field(description="id of the programme this one varies")
    drop: list[str] = Field(default_factory=list, description="ids of blocks to leave out")
    insert: list[BlockInsert] = Field(default_factory=list)
    move: list[BlockMove] = Field(default_factory=list, description="blocks to move: {block: ID, after: ID} or before:")
    override: dict[str, dict] = Field(default_factory=dict, description="block id -> fields that replace the block's")
    title: Text | None = None
    subtitle: Text | None = None
    date: Date | None = None
    slot: Slot | None = None
    seed: str | None = None


class Branding(Model):
    """An organisation's look. Paths are relative to the org profile's folder."""

    display_name: str | None = None
    logo: str | None = Field(default=None, description="a PNG file")
    logo_on_dark: str | None = Field(default=None, description="a PNG file: the logo drawn for a dark background (light ink)")
    logo_on_light: str | None = Field(default=None, description="a PNG file: the logo drawn for a light background (dark ink)")
    primary_color: str | None = Field(default=None, pattern=HEX_COLOUR, description="override; default: the template's own")
    accent_color: str | None = Field(default=None, pattern=HEX_COLOUR, description="override; default: the template's own")
    heading_font: str | None = Field(default=None, description="override; default: the template's own")
    body_font: str | None = Field(default=None, description="override; default: the template's own")
    pptx_template: str | None = None
    docx_template: str | None = None


class Contact(Model):
    """Who participants contact after the workshop (shown on the closing slide)."""

    name: str | None = None
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = None

    def __str__(self) -> str:
        return " · ".join(part for part in (self.name, self.email, self.phone) if part)


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
    contact: Contact | None = None
    materials_url: str | None = Field(default=None, pattern=r"^https?://\S+$",
                                      description="where participants find the material (closing slide)")


class ContentMeta(Model):
    """content/content.yaml: what the whole folder is written in."""

    schema_version: int = Field(default=1, ge=1, description=f"the content schema version (current: {SCHEMA_VERSION})")
    language: Literal["da", "en"] = Field(default="da", description="the language of plain (untranslated) text")


class Content(BaseModel):
    """Everything under one content folder, indexed by id."""

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)
    root: str
    meta: ContentMeta = Field(default_factory=ContentMeta)
    tools: dict[str, Tool] = Field(default_factory=dict)
    question_groups: dict[str, QuestionGroup] = Field(default_factory=dict)
    questions: dict[str, Question] = Field(default_factory=dict)
    quotes: dict[str, Quote] = Field(default_factory=dict)
    roleplays: dict[str, RolePlay] = Field(default_factory=dict)
    definitions: dict[str, Definition] = Field(default_factory=dict)
    programmes: dict[str, Programme] = Field(default_factory=dict, description="resolved programmes, variants included")
    variants: dict[str, ProgrammeVariant] = Field(default_factory=dict, description="variants as written")
    orgs: dict[str, Org] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict, description="display path -> sha256 of the bytes parsed")
