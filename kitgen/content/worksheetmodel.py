"""What a worksheet is made of: sections of prompts, tables, grids, checklists, fields and text.
Re-exported by :mod:`kitgen.content.model`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from kitgen.core.modelbase import Model
from kitgen.core.textfield import Text


class PromptsSection(Model):
    """Prompts, each followed by an empty box to write in."""

    kind: Literal["prompts"]
    heading: Text | None = None
    prompts: list[Text] = Field(min_length=1)
    lines: int = Field(default=4, ge=1, le=30, description="writing lines under each prompt")


class TableSection(Model):
    """A table with a header row, pre-filled rows and empty rows to fill in.

    A cell left as "" in ``rows`` is a field for the participant.
    """

    kind: Literal["table"]
    heading: Text | None = None
    columns: list[Text] = Field(min_length=1)
    rows: list[list[Text]] = Field(default_factory=list)
    empty_rows: int = Field(default=0, ge=0, le=60)
    widths: list[float] | None = Field(default=None, description="relative column widths")
    choices: dict[int, list[Text]] | None = Field(
        default=None, description="choice columns: column number (from 1) → the boxes to tick in each row, e.g. {3: [L, H]}")
    groups: dict[int, Text] | None = Field(
        default=None, description="group rows: row number (from 1) → the group's title, shown as a row above it")
    ends: list[Text] | None = Field(
        default=None, min_length=2, max_length=2,
        description="a numbered scale's end labels [low, high], printed under its first and last number")

    @model_validator(mode="after")
    def _choices_name_columns(self):
        for number in (self.choices or {}):
            if not 1 <= number <= len(self.columns):
                raise ValueError(f"choices: column {number} does not exist (the table has {len(self.columns)} columns; "
                                 "number them from 1)")
        for number in (self.groups or {}):
            if not 1 <= number <= len(self.rows) + self.empty_rows:
                raise ValueError(f"groups: row {number} does not exist (number the rows from 1)")
        return self


class GridSection(Model):
    """A labelled matrix such as the 2×2 prioriteringskort: every cell is room to write."""

    kind: Literal["grid"]
    heading: Text | None = None
    column_labels: list[Text] = Field(min_length=1)
    row_labels: list[Text] = Field(min_length=1)
    cells: list[list[Text]] | None = Field(default=None, description="optional caption per cell")
    lines: int = Field(default=6, ge=1, le=30)


class ChecklistSection(Model):
    """Items with a real checkbox (a Word content control) in front of each."""

    kind: Literal["checklist"]
    heading: Text | None = None
    items: list[Text] = Field(min_length=1)


class FieldsSection(Model):
    """Labelled fill-in fields (name, date, team …)."""

    kind: Literal["fields"]
    heading: Text | None = None
    fields: list[Text] = Field(min_length=1)
    personal: bool = Field(True, description="false: a group fills the sheet in together, so it has no name field "
                                             "(its own fields, e.g. the team, and the date instead)")


class TextSection(Model):
    """Plain instructions or explanation."""

    kind: Literal["text"]
    heading: Text | None = None
    text: Text


WorksheetSection = Annotated[
    PromptsSection | TableSection | GridSection | ChecklistSection | FieldsSection | TextSection,
    Field(discriminator="kind"),
]


class Worksheet(Model):
    title: Text | None = None
    instructions: Text | None = None
    credit: Text | None = Field(default=None, description=(
        "the sheet's short source line, said once under the name fields and in the notes' appendix "
        "('Prototype 1 fra LEADs workshop om lederes psykiske arbejdsmiljø, 2021'); the tool's source when unset"))
    sections: list[WorksheetSection] = Field(min_length=1)
