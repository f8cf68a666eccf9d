"""``matrix``: a grid of cells under column headings and beside row headings (the
prioriteringskort's felt 1–4, the individuel/kollektiv × tilpasning/forandring matrix).
Headings are solid accent with background-coloured text; cells are pale, empty when the
content gives no cell texts (a matrix to write in). The optional axis names stand above
the column headings and, turned to read upwards, beside the row headings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kitgen.content.diagrams.base import DiagramBase
from kitgen.content.diagrams.figure import ACCENT, EMU_PER_IN, EMU_PER_PT, INSET, LINE_SPACING, TEXT, Figure, Label, Medium, Shape, text_on, tint
from kitgen.content.diagrams.text import one_line, pick, say, titled
from kitgen.core.textfield import Text


class MatrixDiagram(DiagramBase):
    """A 2×2 or n×m matrix with row and column headings and optional cell texts."""

    kind: Literal["matrix"]
    rows: list[Text] = Field(min_length=1, max_length=6)
    columns: list[Text] = Field(min_length=1, max_length=6)
    cells: list[list[Text]] | None = Field(default=None, description=(
        "one list per row, one text per column; a text with a line break shows its first line in bold "
        "(\"Felt 1\\nFokuser her …\"); leave out for an empty matrix to write in"))
    x_label: Text | None = Field(default=None, description="the columns' axis, above the column headings")
    y_label: Text | None = Field(default=None, description="the rows' axis, turned to read upwards beside the row headings")

    @model_validator(mode="after")
    def _both_axes_titled(self):
        """A matrix of two or more rows and columns reads as two axes: both are titled, or neither is
        a scale (rows and columns that are categories). One title alone leaves the other axis unnamed."""
        if len(self.rows) > 1 and len(self.columns) > 1 and bool(self.x_label) != bool(self.y_label):
            missing = "y_label" if self.x_label else "x_label"
            raise ValueError(f"a matrix with x_label needs y_label too (and the other way round): add {missing}, "
                             "the title of the other axis")
        return self


Model = MatrixDiagram  # the kind's content format, as the registry reads it
LABELS = ("y_label", "x_label", "columns", "rows", "cells")
EXPLAINS = "grid"  # on a worksheet: stands above the grid that repeats its rows or axes, to write in
ASPECT = 0.65
AVERAGE_WIDTH = 0.6  # a bold letter's average width, as a share of the size (Arial, Carlito, DejaVu)


def describe(diagram: MatrixDiagram, language: str) -> str:
    rows = [one_line(say(r, language)) for r in diagram.rows]
    columns = [one_line(say(c, language)) for c in diagram.columns]
    x, y = one_line(say(diagram.x_label, language)), one_line(say(diagram.y_label, language))
    body = pick(language, f"en matrix med {len(rows)} rækker og {len(columns)} kolonner",
                f"a matrix of {len(rows)} rows and {len(columns)} columns")
    if y:
        body += pick(language, f"; lodret akse: {y} ({', '.join(rows)})", f"; vertical axis: {y} ({', '.join(rows)})")
    else:
        body += pick(language, f"; rækker: {', '.join(rows)}", f"; rows: {', '.join(rows)}")
    if x:
        body += pick(language, f"; vandret akse: {x} ({', '.join(columns)})", f"; horizontal axis: {x} ({', '.join(columns)})")
    else:
        body += pick(language, f"; kolonner: {', '.join(columns)}", f"; columns: {', '.join(columns)}")
    cells = [(r, c, one_line(say(text, language))) for r, row in enumerate(diagram.cells or []) for c, text in enumerate(row)]
    if cells:
        body += pick(language, "; felter: ", "; cells: ") + ", ".join(
            f"{text} ({rows[r] if r < len(rows) else ''}/{columns[c] if c < len(columns) else ''})" for r, c, text in cells if text)
    elif diagram.cells is None:
        body += pick(language, "; felterne er tomme at skrive i", "; the cells are empty, to write in")
    return titled(diagram, language, body)


def draw(diagram: MatrixDiagram, width: float, height: float, language: str, medium: Medium) -> Figure:
    figure = Figure(width, height)
    rows = [say(r, language) for r in diagram.rows]
    columns = [say(c, language) for c in diagram.columns]
    cells = [[say(c, language) for c in row] for row in (diagram.cells or [])]
    x_label, y_label = say(diagram.x_label, language), say(diagram.y_label, language)
    gap = min(width, height) * 0.015
    line = medium.at("axis") * LINE_SPACING * EMU_PER_PT  # one line of an axis title at its largest size
    axis_h = min((1 if len(x_label) < 60 else 2) * line + 2 * INSET, height * 0.16) if x_label else 0.0
    head_w = min(max(width * 0.16, 1.2 * EMU_PER_IN), width * 0.3)
    head_h = min(max(height * 0.13, 0.36 * EMU_PER_IN), 0.7 * EMU_PER_IN)
    # the turned axis title's lines: its letters at the medium's least size along the side it reads up (KK's
    # 52-letter "Hvor vigtigt er det for jeres psykiske arbejdsmiljø?" needs three beside a 230 pt side, not two)
    # It reads up beside the column headings and the rows (the corner left of the headings is free), centred on them, so it
    # wraps to as few lines as it can (r5 KK 19: three narrow lines beside the rows alone), a gap off the row headings.
    per_line = max((height - axis_h - 2 * INSET) / (medium.floor_pt * AVERAGE_WIDTH * EMU_PER_PT), 1.0)
    y_lines = min(-(-len(y_label) // int(per_line)), 3)
    axis_w = min(y_lines * line + 2 * INSET, width * 0.14) if y_label else 0.0
    head_x = axis_w + (2 * gap if y_label else 0.0)
    grid_x, grid_y = head_x + head_w + gap, axis_h + head_h + gap
    cell_w = (width - grid_x - gap * (len(columns) - 1)) / len(columns)
    cell_h = (height - grid_y - gap * (len(rows) - 1)) / len(rows)
    order = []
    if y_label:
        side, middle = height - axis_h, axis_h + (height - axis_h) / 2  # beside the headings and rows, centred on them
        figure.add(Shape("rect", axis_w / 2 - side / 2, middle - axis_w / 2, side, axis_w, rotation=270,
                         text=Label(y_label, role="axis", bold=True, colour=TEXT, insets=(INSET, 0, INSET, 0)),
                         name="Lodret akse"))
    if x_label:
        figure.add(Shape("rect", grid_x, 0, width - grid_x, axis_h,
                         text=Label(x_label, role="axis", bold=True, colour=TEXT, insets=(INSET, 0, INSET, 0)),
                         name="Vandret akse"))
    order += [t for t in (y_label, x_label) if t]
    for col, column in enumerate(columns):
        figure.add(Shape("rect", grid_x + col * (cell_w + gap), axis_h, cell_w, head_h, fill=ACCENT,
                         text=Label(column, role="heading", bold=True, colour=text_on(ACCENT)), name=f"Kolonne {col + 1}"))
    order += columns
    for row_index, row in enumerate(rows):
        y = grid_y + row_index * (cell_h + gap)
        figure.add(Shape("rect", head_x, y, head_w, cell_h, fill=ACCENT,
                         text=Label(row, role="heading", bold=True, colour=text_on(ACCENT)), name=f"Række {row_index + 1}"))
        order.append(row)
        for col in range(len(columns)):
            text = cells[row_index][col] if row_index < len(cells) and col < len(cells[row_index]) else ""
            fill = tint(0.8)
            label = Label(text, role="cell", colour=text_on(fill), align="left" if len(text) > 40 else "center",
                          bold_first_line="\n" in text, insets=(INSET * 2, INSET, INSET * 2, INSET)) if text else None
            figure.add(Shape("rect", grid_x + col * (cell_w + gap), y, cell_w, cell_h, fill=fill, text=label,
                             name=f"Felt {row_index + 1}.{col + 1}"))
            if text:
                order.append(text)
    figure.reading_order = order
    return figure
