"""``matrix``: a grid of cells under column headings and beside row headings (the
prioriteringskort's felt 1–4, the individuel/kollektiv × tilpasning/forandring matrix).
Headings are solid accent with background-coloured text; cells are pale, empty when the
content gives no cell texts (a matrix to write in). The optional axis names stand above
the column headings and, turned to read upwards, beside the row headings."""

from __future__ import annotations

from kitgen.render.diagrams.figure import ACCENT, EMU_PER_IN, INSET, TEXT, Figure, Label, Shape, text_on, tint
from kitgen.render.diagrams.text import say


def draw(diagram, width: float, height: float, language: str) -> Figure:
    figure = Figure(width, height)
    rows = [say(r, language) for r in diagram.rows]
    columns = [say(c, language) for c in diagram.columns]
    cells = [[say(c, language) for c in row] for row in (diagram.cells or [])]
    x_label, y_label = say(diagram.x_label, language), say(diagram.y_label, language)
    gap = min(width, height) * 0.015
    axis_w = min(max(width * 0.06, 0.3 * EMU_PER_IN), 0.55 * EMU_PER_IN) if y_label else 0.0
    axis_h = min(max(height * 0.1, 0.3 * EMU_PER_IN), 0.5 * EMU_PER_IN) if x_label else 0.0
    head_w = min(max(width * 0.16, 1.2 * EMU_PER_IN), width * 0.3)
    head_h = min(max(height * 0.13, 0.36 * EMU_PER_IN), 0.7 * EMU_PER_IN)
    grid_x, grid_y = axis_w + head_w + gap, axis_h + head_h + gap
    cell_w = (width - grid_x - gap * (len(columns) - 1)) / len(columns)
    cell_h = (height - grid_y - gap * (len(rows) - 1)) / len(rows)
    order = []
    if y_label:
        side = height - grid_y
        figure.add(Shape("rect", axis_w / 2 - side / 2, grid_y + side / 2 - axis_w / 2, side, axis_w, rotation=270,
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
        figure.add(Shape("rect", axis_w, y, head_w, cell_h, fill=ACCENT,
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
