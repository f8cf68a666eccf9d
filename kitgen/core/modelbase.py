"""The base of every content model: where it was written (:class:`Origin`), unknown fields
refused (:class:`Model`), editors' remarks (:class:`Editorial`). Re-exported by :mod:`kitgen.content.model`."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

from kitgen.core.textfield import Text


class Origin(BaseModel):
    """Where an object was written: a file (relative to the content root) and a 1-based line."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class Model(BaseModel):
    """Base for every content object: unknown fields are errors; origin is kept aside."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    _origin: Origin | None = PrivateAttr(default=None)
    _field_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def origin(self) -> Origin:
        return self._origin or Origin(file="<unknown>")

    def line_of(self, field: str) -> int | None:
        """The line where ``field`` was written, else the line of the object itself."""
        return self._field_lines.get(field) or (self._origin.line if self._origin else None)


class Editorial(Model):
    """What is not the seed's: ``editor_note`` (shown by no output; listed by ``validate --verbose``)
    and ``editorial`` (names of fields that are an editor's estimate or addition)."""

    editor_note: str = Field(default="", description="a remark for editors; no output shows it")
    editorial: list[str] = Field(default_factory=list, description="fields that are an editor's estimate or addition")


def _non_empty(value: Text) -> Text:
    if not str(value).strip():
        raise ValueError("must not be empty")
    return value


NonEmptyText = Annotated[Text, AfterValidator(_non_empty)]
