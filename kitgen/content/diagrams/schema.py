"""The content format of diagrams: one model per kind, chosen by ``kind``.

Every label is a :class:`kitgen.core.textfield.Text` (a plain string or ``{da: …, en: …}``),
so a diagram translates like any other text. Adding a kind means adding one model
here (and one drawing module in ``kitgen/render/diagrams/``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kitgen.core.textfield import Text


class _Diagram(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    title: Text | None = None
    alt: Text | None = Field(default=None, description="alt text; default: the title and labels")
    editor_note: str = ""


class LevelsDiagram(_Diagram):
    """Stacked levels, e.g. IGLO: individ, gruppe, ledelse, organisation (first = innermost/bottom)."""

    kind: Literal["levels"]
    levels: list[Text] = Field(min_length=2, max_length=8, description="innermost first, drawn as nested boxes")
    notes: list[Text] = Field(default_factory=list, description="optional one-line gloss per level")


class CurveDiagram(_Diagram):
    """A curve over time with phases along it, e.g. Belastningskurven."""

    kind: Literal["curve"]
    phases: list[Text] = Field(min_length=2, max_length=8, description="equal stretches of the time axis, named under it")
    x_label: Text | None = Field(default=None, description="the time axis, e.g. 'De seneste 6 måneder'")
    y_label: Text | None = Field(default=None, description="the load axis, e.g. 'Belastning'")
    points: list[tuple[float, float]] | None = Field(
        default=None, description="the curve's shape as (x, y) pairs in 0..1; default: a rising-then-falling load curve")
    zones: list[Text] = Field(default_factory=list, max_length=5, description=(
        "optional horizontal bands, bottom to top, e.g. underbelastning, optimal belastning, overbelastning"))


class TriangleDiagram(_Diagram):
    """Three corners and an optional centre, e.g. trivselstrekanten."""

    kind: Literal["triangle"]
    corners: list[Text] = Field(min_length=3, max_length=3, description="apex, lower right, lower left")
    center: Text | None = Field(default=None, description="optional text inside the triangle")


class MatrixDiagram(_Diagram):
    """A 2×2 or n×m matrix with row and column headings and optional cell texts."""

    kind: Literal["matrix"]
    rows: list[Text] = Field(min_length=1, max_length=6)
    columns: list[Text] = Field(min_length=1, max_length=6)
    cells: list[list[Text]] | None = Field(default=None, description=(
        "one list per row, one text per column; a text with a line break shows its first line in bold "
        "(\"Felt 1\\nFokuser her …\"); leave out for an empty matrix to write in"))
    x_label: Text | None = Field(default=None, description="the columns' axis, above the column headings")
    y_label: Text | None = Field(default=None, description="the rows' axis, turned to read upwards beside the row headings")


class CycleDiagram(_Diagram):
    """Steps in a loop, e.g. frustrationsspiralen."""

    kind: Literal["cycle"]
    steps: list[Text] = Field(min_length=3, max_length=8)
    spiral: bool = Field(default=False, description=(
        "true: the steps wind inwards to the last one in the centre (frustrationsspiralen); false: a closed loop"))


class DirectionsDiagram(_Diagram):
    """A centre with directions around it, e.g. the leader and indad, nedad, fremad, tilbage, opad, udad.

    Directions that name where they point (opad/up, nedad/down, fremad/forward, tilbage/back,
    udad/outward, indad/inward) are drawn there: up at the top, forward to the right, back to
    the left, outward upper right, inward lower left. Otherwise they go clockwise from the top
    in the order given."""

    kind: Literal["directions"]
    center: Text
    directions: list[Text] = Field(min_length=2, max_length=8)


Diagram = Annotated[
    LevelsDiagram | CurveDiagram | TriangleDiagram | MatrixDiagram | CycleDiagram | DirectionsDiagram,
    Field(discriminator="kind"),
]
DIAGRAM_KINDS = ("levels", "curve", "triangle", "matrix", "cycle", "directions")
