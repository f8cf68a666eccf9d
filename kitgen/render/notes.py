"""Kit plan → facilitator notes (.docx): a run-sheet with clock times, then each block in detail."""

from __future__ import annotations

from docx.shared import Pt

from kitgen.assemble import KitPlan, RunSheetRow
from kitgen.render.document import add_styled, branded_table, open_document, save_document, scale_widths, text_width_cm
from kitgen.render.ooxml import keep_row_on_one_page

TIME_COLUMNS_CM = [1.45, 1.45, 1.15]  # wide enough for "00:00" at 9 pt plus cell margins
OTHER_COLUMNS = [3.6, 5.4, 4.4]  # block, what happens, materials: share the rest


def render_notes(plan: KitPlan) -> bytes:
    labels = plan.labels
    document = open_document(plan, f"{plan.branding.display_name} · {labels['facilitator_notes']}")
    add_styled(document, labels["facilitator_notes"], "Title")
    document.add_paragraph(plan.title).runs[0].bold = True
    facts = [
        (labels["date"], plan.date_text),
        (labels["venue"], plan.org.venue),
        (labels["facilitators"], ", ".join(plan.org.facilitators)),
        (labels["agenda"], f"{plan.programme.slot.start}–{plan.programme.slot.end}"),
    ]
    for label, value in facts:
        if value:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)

    add_styled(document, labels["run_sheet"], "Heading 1")
    header = [labels["start"], labels["end"], labels["minutes"], labels["block"], labels["what_happens"], labels["materials"]]
    rest = text_width_cm(document) - sum(TIME_COLUMNS_CM)
    table = branded_table(document, plan, header, TIME_COLUMNS_CM + scale_widths(OTHER_COLUMNS, rest), size_pt=9)
    for row in plan.run_sheet:
        cells = table.add_row().cells
        keep_row_on_one_page(table.rows[-1])
        values = [row.start, row.end, str(row.minutes if row.minutes is not None else ""), row.title,
                  "\n".join(row.what), "\n".join(row.materials)]
        for cell, value in zip(cells, values):
            cell.text = value
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    for row in plan.run_sheet:
        _block_detail(document, plan, row)
    return save_document(document, plan, f"{labels['facilitator_notes']} – {plan.title} – {plan.org.name}")


def _block_detail(document, plan: KitPlan, row: RunSheetRow) -> None:
    labels = plan.labels
    heading = add_styled(document, f"{row.start}–{row.end}  {row.title}", "Heading 2")
    heading.paragraph_format.keep_with_next = True
    if row.minutes:
        document.add_paragraph(f"{row.minutes} {labels['minutes_short']}").runs[0].italic = True
    if row.points:
        document.add_paragraph(labels["points"]).runs[0].bold = True
        for point in row.points:
            add_styled(document, point, "List Bullet")
    if row.say_and_do:
        document.add_paragraph(labels["say_and_do"]).runs[0].bold = True
        _write_text(document, row.say_and_do)
    for tool in row.tools:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{labels['tool']}: {tool.title}").bold = True
        if tool.duration_minutes:
            paragraph.add_run(f" ({tool.duration_minutes} {labels['minutes_short']})")
        for step in tool.steps:
            add_styled(document, step, "List Number")
        if tool.facilitator_notes:
            _write_text(document, tool.facilitator_notes)
        if tool.source:
            document.add_paragraph(f"{labels['source']}: {tool.source}").runs[0].italic = True
    if row.questions:
        document.add_paragraph(labels["questions"]).runs[0].bold = True
        for question in row.questions:
            add_styled(document, question.text, "List Bullet")
    for quote in row.quotes:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{labels['quote']}: ").bold = True
        paragraph.add_run(quote.text).italic = True
        credit = " – ".join(x for x in (quote.attribution, quote.source) if x)
        if credit:
            document.add_paragraph(credit).runs[0].font.size = Pt(9)
    if row.materials:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{labels['materials']}: ").bold = True
        paragraph.add_run(", ".join(row.materials))



BULLETS = ("- ", "• ", "* ", "– ")


def _write_text(document, text: str) -> None:
    """Notes as paragraphs; lines written as "- item" become bullet points."""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(BULLETS):
            add_styled(document, line[2:].strip(), "List Bullet")
        else:
            document.add_paragraph(line)
