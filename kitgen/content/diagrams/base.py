"""What every diagram kind's content model shares: a title, alt text, the dense marker."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kitgen.core.textfield import Text


class DiagramBase(BaseModel):
    """The fields every ``diagram:`` mapping may carry, whatever its ``kind``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    title: Text | None = None
    alt: Text | None = Field(default=None, description="alt text; default: a description made from the figure's data")
    dense: bool = Field(default=False, description=(
        "true: a figure with many or long labels; its deck lettering may go down to layouts/deck.yaml's "
        "figure_min_size_pt (16 pt) instead of 18 pt"))
    editor_note: str = ""
