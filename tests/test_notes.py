"""Facilitator notes: the run-sheet and what to say and do in each block."""

from __future__ import annotations

from docx import Document


def test_run_sheet_rows_match_the_programme_blocks(kits, project):
    document = Document(str(kits / "KK" / "facilitator-notes.docx"))
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Start", "Slut", "Min.", "Blok", "Hvad sker der", "Materialer"]
    programme = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(programme.blocks)
    for row, block in zip(rows, programme.blocks):
        assert row[0] == block.start and row[1] == block.end
        assert row[2] == str(block.span_minutes)
        assert row[3] == block.title
    assert sum(int(r[2]) for r in rows) == 225  # 08:30–12:15, no gaps


def test_workshop_block_lists_tools_and_worksheets(kits):
    document = Document(str(kits / "KK" / "facilitator-notes.docx"))
    row = next(r for r in document.tables[0].rows if r.cells[3].text == "Workshops og opsamling")
    assert "Styrk ledelsesgruppen" in row.cells[4].text
    assert "Arbejdsark" in row.cells[5].text


def test_each_block_has_say_and_do(kits, project):
    document = Document(str(kits / "KK" / "facilitator-notes.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    programme = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    assert headings == [f"{b.start}–{b.end}  {b.title}" for b in programme.blocks]
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("Sig og gør") == len(programme.blocks)
