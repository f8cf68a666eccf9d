"""Kit plan → participants' worksheets (.docx): real tables, boxes and fields to fill in.

One section per tool with a worksheet, each starting on a new page. Writing room is
made of table cells with a minimum height (they grow as people type), so the
document stays editable in Word and LibreOffice alike; checkboxes and name/date
fields are Word content controls.
"""

from __future__ import annotations

from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt, RGBColor

from kitgen.assemble import KitPlan, WorksheetSpec
from kitgen.model import ChecklistSection, FieldsSection, GridSection, PromptsSection, TableSection, TextSection
from kitgen.render.document import add_grid_table, add_styled, branded_table, open_document, save_document, scale_widths, text_width_cm
from kitgen.render.ooxml import (
    add_checkbox,
    add_text_field,
    keep_row_on_one_page,
    set_column_widths,
    set_row_height,
    shade_cell,
)

LINE_CM = 0.75  # height of one writing line
ROW_CM = 0.9  # minimum height of an empty table row
GREY = RGBColor(0x70, 0x70, 0x70)


def render_worksheets(plan: KitPlan) -> bytes:
    labels = plan.labels
    document = open_document(plan, f"{plan.branding.display_name} · {labels['worksheets']}")
    add_styled(document, labels["worksheets"], "Title")
    intro = document.add_paragraph()
    intro.add_run(plan.title).bold = True
    details = " · ".join(x for x in (plan.org.name, plan.date_text, plan.org.venue) if x)
    document.add_paragraph(details)
    for spec in plan.worksheets:
        add_styled(document, f"{spec.title}", "List Bullet")
    for spec in plan.worksheets:
        _page_break(document)
        _worksheet(document, plan, spec)
    return save_document(document, plan, f"{labels['worksheets']} – {plan.title} – {plan.org.name}")


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _worksheet(document, plan: KitPlan, spec: WorksheetSpec) -> None:
    labels = plan.labels
    add_styled(document, spec.title, "Heading 1")
    if spec.title != spec.tool_title:
        document.add_paragraph(f"{labels['tool']}: {spec.tool_title}")
    if spec.purpose:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{labels['purpose']}: ").bold = True
        paragraph.add_run(spec.purpose)
    if spec.duration_minutes:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{labels['duration']}: ").bold = True
        paragraph.add_run(f"{spec.duration_minutes} {labels['minutes_short']}")
    if spec.instructions:
        document.add_paragraph(spec.instructions)
    width = text_width_cm(document)
    for number, section in enumerate(spec.worksheet.sections):
        if section.heading:
            add_styled(document, section.heading, "Heading 2")
        tag = f"{spec.tool_id}-{number}"
        if isinstance(section, PromptsSection):
            _prompts(document, section, width)
        elif isinstance(section, TableSection):
            _table(document, plan, section, width)
        elif isinstance(section, GridSection):
            _grid(document, plan, section, width)
        elif isinstance(section, ChecklistSection):
            _checklist(document, section, tag)
        elif isinstance(section, FieldsSection):
            _fields(document, plan, section, width, tag)
        elif isinstance(section, TextSection):
            for part in section.text.split("\n\n"):
                document.add_paragraph(part.strip())
    if spec.source:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(12)
        run = paragraph.add_run(f"{labels['source']}: {spec.source}")
        run.italic = True
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY


def _writing_box(document, width: float, lines: int):
    """An empty one-cell table: a box to write in, ``lines`` writing lines high."""
    table = add_grid_table(document, 1, 1)
    set_row_height(table.rows[0], lines * LINE_CM)
    keep_row_on_one_page(table.rows[0])
    table.rows[0].cells[0].width = Cm(width)
    return table


def _prompts(document, section: PromptsSection, width: float) -> None:
    for prompt in section.prompts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(prompt).bold = True
        _writing_box(document, width, section.lines)


def _table(document, plan: KitPlan, section: TableSection, width: float) -> None:
    columns = len(section.columns)
    relative = section.widths if section.widths and len(section.widths) == columns else _guess_widths(section)
    table = branded_table(document, plan, section.columns, scale_widths(relative, width))
    rows = [list(r) + [""] * (columns - len(r)) for r in section.rows] + [[""] * columns for _ in range(section.empty_rows)]
    for values in rows:
        row = table.add_row()
        set_row_height(row, ROW_CM)
        keep_row_on_one_page(row)
        for cell, value in zip(row.cells, values[:columns]):
            cell.text = value


def _guess_widths(section: TableSection) -> list[float]:
    """Narrow columns for short codes (Nr., L, H), wide ones for text and writing room."""
    widths = []
    for index, header in enumerate(section.columns):
        values = [r[index] for r in section.rows if index < len(r)]
        longest = max([len(header)] + [len(v) for v in values])
        widths.append(1.2 if longest <= 4 else min(8.0, max(3.0, longest / 6)))
    return widths


def _grid(document, plan: KitPlan, section: GridSection, width: float) -> None:
    label_width = min(4.0, width * 0.22)
    cell_width = (width - label_width) / len(section.column_labels)
    table = branded_table(document, plan, [""] + section.column_labels,
                          [label_width] + [cell_width] * len(section.column_labels))
    for r, label in enumerate(section.row_labels):
        row = table.add_row()
        set_row_height(row, section.lines * LINE_CM)
        keep_row_on_one_page(row)
        first = row.cells[0]
        first.text = ""
        first.paragraphs[0].add_run(label).bold = True
        shade_cell(first, "F2F2F2")
        for c, cell in enumerate(row.cells[1:]):
            caption = section.cells[r][c] if section.cells and r < len(section.cells) and c < len(section.cells[r]) else ""
            if caption:
                run = cell.paragraphs[0].add_run(caption)
                run.font.size = Pt(8.5)
                run.font.color.rgb = GREY


def _checklist(document, section: ChecklistSection, tag: str) -> None:
    for number, item in enumerate(section.items):
        paragraph = document.add_paragraph()
        paragraph.add_run(" " + item)
        add_checkbox(paragraph, f"{tag}-check-{number}")


def _fields(document, plan: KitPlan, section: FieldsSection, width: float, tag: str) -> None:
    table = add_grid_table(document, 0, 2)
    for number, name in enumerate(section.fields):
        row = table.add_row()
        set_row_height(row, ROW_CM)
        row.cells[0].text = ""
        row.cells[0].paragraphs[0].add_run(name).bold = True
        shade_cell(row.cells[0], "F2F2F2")
        add_text_field(row.cells[1].paragraphs[0], f"{tag}-field-{number}", name, plan.labels["write_here"])
    set_column_widths(table, [min(4.0, width * 0.25), width - min(4.0, width * 0.25)])
