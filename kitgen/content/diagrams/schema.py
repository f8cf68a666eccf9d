"""The content format of diagrams: ``Diagram`` reads a ``diagram:`` mapping as its kind's model.

The kind is looked up in the registry (:data:`kitgen.content.diagrams.KINDS`), so a kind added there —
by kitgen or with :func:`kitgen.content.diagrams.register` — is read without a change here. The
annotation names the shipped kinds' models as a union, for JSON Schema and for error messages
that suggest a misspelt field of the right kind.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, WrapValidator
from pydantic_core import PydanticCustomError

from kitgen.content.diagrams import KINDS, kind
from kitgen.content.diagrams.base import DiagramBase

SHIPPED = tuple(KINDS)


def _read(value: Any, handler, info=None):
    """``value`` as the model of the kind it names."""
    if isinstance(value, DiagramBase):
        return value
    name = value.get("kind") if isinstance(value, dict) else None
    if not isinstance(value, dict) or name is None:
        raise PydanticCustomError("union_tag_not_found", "a diagram needs kind: one of {expected_tags}",
                                  {"expected_tags": ", ".join(KINDS)})
    if name not in KINDS:
        raise PydanticCustomError(
            "union_tag_invalid", "Input tag '{tag}' found using 'kind' does not match any of the expected tags: {expected_tags}",
            {"tag": name, "expected_tags": ", ".join(repr(k) for k in KINDS), "discriminator": "'kind'"})
    return kind(name).Model.model_validate(value)


Diagram = Annotated[
    Union[tuple(kind(name).Model for name in SHIPPED)],  # noqa: UP007 — built from the registry
    Field(discriminator="kind"),
    WrapValidator(_read),
]
