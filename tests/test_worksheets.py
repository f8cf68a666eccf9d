"""The participants' worksheets, as a participant with a pen and in Word meets them."""

from __future__ import annotations

import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from kitgen.build.pipeline import build_org
from kitgen.plan.measure import text_width_pt
from kitgen.render.sheet_layout import CELL_MARGINS_PT

W14_CHECKBOX = "{http://schemas.microsoft.com/office/word/2010/wordml}checkbox"


@pytest.fixture(scope="module")
def bfa(project, tmp_path_factory):
    out = tmp_path_factory.mktemp("bfa")
    result = build_org(project, "BFA", out, force=True)
    assert result.status == "built", result.message
    return out / "BFA"


def _doc(folder, org=None):
    return Document(str((folder / org if org else folder) / "worksheets.docx"))


def _text(element) -> str:
    """The text of an OOXML element (python-docx's element classes confuse lxml's itertext)."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _headings(document):
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def _sections_of_tables(document):
    """Each body table with the w:sectPr of the section that holds it (the next one in the body)."""
    body = list(document.element.body)
    result = []
    for index, element in enumerate(body):
        if element.tag != qn("w:tbl"):
            continue
        sect = None
        for later in body[index:]:
            sect = later.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if later.tag == qn("w:p") else None
            if later.tag == qn("w:sectPr"):
                sect = later
            if sect is not None:
                break
        result.append((element, sect))
    return result


def _header_texts(tbl) -> list[str]:
    first = tbl.find(qn("w:tr"))
    return [_text(tc) for tc in first.findall(qn("w:tc"))]


def test_one_sheet_per_tool_with_a_worksheet_numbered(kits):
    headings = _headings(_doc(kits, "KK"))
    assert len(headings) == 3
    assert [h.split(":")[0] for h in headings] == ["Arbejdsark 1", "Arbejdsark 2", "Arbejdsark 3"]
    assert any("Styrk ledelsesgruppen" in h for h in headings)


def test_the_25_question_form_has_both_ratings_as_checkboxes(kits):
    document = _doc(kits, "KK")
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Nr.", "Spørgsmål"]
                 and len(t.columns) == 4)
    header = [c.text for c in table.rows[0].cells]
    assert header[2] == "Hvor godt lykkes I med det i dag?"
    assert header[3] == "Hvor vigtigt er det for jeres psykiske arbejdsmiljø?"
    groups = [r.cells[0].text for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) == 1]
    assert groups == ["A. Forudsætninger", "B. Processer", "C. Resultater"], "the form shows its A/B/C groups"
    rows = [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) > 1]
    codes = [r.cells[0].text for r in rows]
    assert len(codes) == 25 and codes[0] == "1A" and codes[-1] == "8C"
    for row in rows:
        for cell in row.cells[2:]:
            boxes = list(cell._tc.iter(W14_CHECKBOX))
            assert len(boxes) == 2, "an L and an H box in each rating"
            assert "L" in cell.text and "H" in cell.text


def test_wide_tables_sit_on_landscape_pages(kits, bfa):
    found = 0
    for document in (_doc(kits, "KK"), _doc(bfa)):
        for tbl, sect in _sections_of_tables(document):
            columns = len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
            headers = _header_texts(tbl)
            if columns < 5 or all(h.strip().isdigit() for h in headers):  # a 1–10 scale is a row of boxes
                continue
            found += 1  # a grid's row labels count: four fields beside them are five columns (BFA's Arbejdsark 7)
            size = sect.find(qn("w:pgSz"))
            assert size.get(qn("w:orient")) == "landscape", headers
            assert int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))
            first = tbl.find(qn("w:tr")).find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
            assert first is not None, "the header row repeats on every page"
            for tr in tbl.findall(qn("w:tr")):
                assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None, "a row is not split across pages"
    assert found >= 4, "KK's prioriteringskort and BFA's wide tables and grids"


def test_a_landscape_page_is_there_for_a_wide_table(kits, bfa):
    """Landscape only where a table or grid of five or more text columns needs it: every landscape section
    holds one (the few boxes after it may share its pages), and BFA's 'Fjern stenene' grid is one."""
    for name, document in (("KK", _doc(kits, "KK")), ("BFA", _doc(bfa))):
        widest = {}
        for tbl, sect in _sections_of_tables(document):
            headers = _header_texts(tbl)
            text_columns = 0 if all(h.strip().isdigit() for h in headers) else len(headers)
            widest[id(sect)] = (sect, max(widest.get(id(sect), (sect, 0))[1], text_columns))
        for sect, columns in widest.values():
            if sect.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape":
                assert columns >= 5, f"{name}: a landscape section whose widest table has {columns} text columns"
    stones = [(tbl, sect) for tbl, sect in _sections_of_tables(_doc(bfa)) if "Hvor er problematikken opstået?" in _header_texts(tbl)]
    assert stones and stones[0][1].find(qn("w:pgSz")).get(qn("w:orient")) == "landscape"
    assert not any("O, L, G, I" in h for h in _header_texts(stones[0][0])), "the IGLO letters are not used before IGLO is introduced"


def test_client_sheets_do_not_say_prototype(kits):
    text = "\n".join(p.text for p in _doc(kits, "KK").paragraphs)
    assert "Kilde: Workshop om lederes psykiske arbejdsmiljø (LEAD, 2021)" in text
    assert "prototype" not in text.lower(), [line for line in text.splitlines() if "rototype" in line]


def test_the_curve_grid_rows_are_the_figures_phases(project, bfa):
    """BFA's load-curve grid: its rows are the phases the figure above it names (no row the figure lacks)."""
    tool = project.content.tools["belastningskurven"]
    phases = {p.get("da") for p in tool.diagram.phases}
    grid = next(s for s in tool.worksheet.sections if getattr(s, "row_labels", None))
    rows = [r.get("da") for r in grid.row_labels]
    assert set(rows) == phases
    table = next(t for t in _doc(bfa).tables if "6 mdr. siden" in [c.text for c in t.rows[0].cells])
    assert [r.cells[0].text for r in table.rows[1:]] == rows


def test_no_header_word_is_wider_than_its_column(kits, bfa):
    for document in (_doc(kits, "KK"), _doc(kits, "AMK"), _doc(bfa)):
        for table in document.tables:
            header = table.rows[0]
            if header._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
                continue
            for cell in header.cells:
                runs = [r for p in cell.paragraphs for r in p.runs if r.text]
                if not runs:
                    continue
                size = runs[0].font.size.pt if runs[0].font.size else 11
                family = document.styles["Normal"].font.name or "Calibri"
                width_pt = cell.width / 12700
                for word in cell.text.split():
                    assert text_width_pt(word, family, size, True) + CELL_MARGINS_PT <= width_pt + 0.5, (word, cell.text)


def test_writing_cells_are_empty_content_controls(kits, bfa):
    for document in (_doc(kits, "KK"), _doc(kits, "AMK"), _doc(bfa)):
        xml = document.element.xml
        assert "w:showingPlcHdr" not in xml, "no placeholder text that would print"
        boxes = [sdt for sdt in document.element.body.iter(qn("w:sdt")) if sdt.getparent().tag == qn("w:tc")]
        assert len(boxes) >= 10
        for sdt in boxes:
            assert _text(sdt) == "", "a writing box holds nothing to delete"
            assert sdt.find(f"{qn('w:sdtPr')}/{qn('w:alias')}").get(qn("w:val")), "the box is named"
        # every empty body cell of a table (not a header, not a label) is a box
        for table in document.tables:
            for row in table.rows[1:]:
                if row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:  # a second header row (a shared question)
                    continue
                for tc in row._tr.findall(qn("w:tc")):
                    if not _text(tc).strip() and not list(tc.iter(W14_CHECKBOX)):
                        assert tc.find(qn("w:sdt")) is not None, "an empty cell is a writing box"


def test_prompts_have_a_box_sized_to_the_question(kits):
    heights = {}
    for org in ("AMK", "KK"):
        children = list(_doc(kits, org).element.body.iterchildren())
        for index, element in enumerate(children[:-1]):
            if element.tag == qn("w:p") and _text(element).strip().endswith(("?", "…", ":")) and children[index + 1].tag == qn("w:tbl"):
                height = children[index + 1].find(f".//{qn('w:trHeight')}")
                if height is not None:
                    heights[_text(element).strip()] = int(height.get(qn("w:val")))
    assert len(heights) >= 10
    # at least three handwritten lines (2.4 cm) under a question: four or more, unless three fit a sheet on its page
    assert min(heights.values()) >= 1360, "at least three lines (2.4 cm) under a question"
    two_questions = [h for q, h in heights.items() if q.count("?") >= 2]
    one_question = [h for q, h in heights.items() if q.count("?") == 1 and len(q) < 100]
    assert two_questions and one_question and min(two_questions) > max(one_question)


def test_a_sheet_of_many_questions_gets_one_box_per_group_not_per_question(kits):
    """AMK's six directions (28 questions, a 50-minute dialogue): the questions as a list, one box per direction."""
    document = _doc(kits, "AMK")
    body = list(document.element.body.iterchildren())
    start = next(i for i, el in enumerate(body) if _text(el).startswith("Arbejdsark 2"))
    boxes = [el for el in body[start:] if el.tag == qn("w:tbl") and el.find(f".//{qn('w:sdt')}") is not None]
    assert 6 <= len(boxes) - 1 <= 8, "the name fields, one box per direction and one for the shared reflection"
    text = "\n".join(_text(el) for el in body[start:])
    assert "Vælg de to eller tre retninger" in text, "the sheet says how to choose among the directions"


def test_name_and_date_on_every_sheet(kits, bfa):
    for document in (_doc(kits, "KK"), _doc(kits, "AMK"), _doc(bfa)):
        body = list(document.element.body.iterchildren())
        starts = [i for i, el in enumerate(body) if el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
                  and _text(el).startswith(("Arbejdsark ", "Worksheet "))]
        assert starts
        for start in starts:
            table = next(el for el in body[start:] if el.tag == qn("w:tbl"))
            labels = [_text(tc) for tc in table.iter(qn("w:tc"))]
            heading = _text(body[start])
            if any(word in heading for word in ("gruppeniveau", "Fjern stenene", "IGLO")):  # filled in by a group: no name
                assert labels[0] in ("Afdeling", "Team/afdeling") and labels[2] == "Dato" and "Navn" not in labels, labels
                continue
            assert labels[0] == "Navn" and labels[2] == "Dato", f"every sheet's first row is Navn | Dato: {labels}"


def test_lists_are_word_lists_not_typed_bullets(kits, bfa):
    for document in (_doc(kits, "KK"), _doc(kits, "AMK"), _doc(bfa)):
        for paragraph in document.paragraphs:
            assert not re.match(r"^\s*[•·\-–*]\s", paragraph.text), paragraph.text
        bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
        assert bullets or document is not None


def test_no_heading_or_source_line_twice_and_no_page_break_paragraphs(kits, bfa):
    for document in (_doc(kits, "KK"), _doc(kits, "AMK"), _doc(bfa)):
        for sheet in re.split(r"\n(?=Arbejdsark \d+: )", "\n".join(p.text for p in document.paragraphs if p.text)):
            lines = [line for line in sheet.split("\n") if line.strip()]
            headings = [line for line in lines if len(line) < 120]
            sources = [line for line in lines if line.startswith("Kilde:")]
            assert len(sources) <= 1, sources
            assert len(set(headings)) == len(headings), [h for h in headings if headings.count(h) > 1]
        assert 'w:type="page"' not in document.element.xml, "sheets start with a section, not a page-break paragraph"


def test_page_x_of_y_and_language_in_every_document(kits):
    for name in ("worksheets.docx", "facilitator-notes.docx"):
        document = Document(str(kits / "KK" / name))
        footer = document.sections[0].footer._element
        instructions = " ".join(t.text for t in footer.iter(qn("w:instrText")))
        pages = "PAGEREF _Sheet1End" if name == "worksheets.docx" else "NUMPAGES"  # a sheet counts its own pages
        assert "PAGE" in instructions and pages in instructions
        assert re.search(r"Side \d+ af \d+", _text(footer))
        defaults = document.styles.element.find(qn("w:docDefaults"))
        lang = defaults.find(f".//{qn('w:lang')}")
        assert lang.get(qn("w:val")) == "da-DK"
        assert all(el.get(qn("w:val")) == "da-DK" for el in document.styles.element.iter(qn("w:lang")))


def test_each_sheet_has_its_own_header_and_page_count(kits, bfa):
    """Every page after a sheet's first names the sheet in its header; the footer counts the sheet's
    pages (numbers restart at 1, "af" is the page of a bookmark at the sheet's end)."""
    for folder in (kits / "KK", bfa):
        document = _doc(folder)
        sheets = _headings(document)
        starts = [s for s in document.sections if s._sectPr.find(qn("w:pgNumType")) is not None]
        assert len(starts) == len(sheets)
        bookmarks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
        for number, (section, title) in enumerate(zip(starts, sheets), start=1):
            assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
            header = _text(section.header._element)
            name = title.split(":")[0]
            assert header.strip().startswith(f"{name}: ") and len(header) < 90, header
            assert not re.search(r"\b(og|i|af|til|med)…", header), header
            assert section.different_first_page_header_footer and name not in _text(section.first_page_header._element)
            footer = section.footer._element
            assert _text(footer).startswith(f"{name} · Side"), _text(footer)
            assert f"PAGEREF _Sheet{number}End" in " ".join(t.text for t in footer.iter(qn("w:instrText")))
            assert f"_Sheet{number}End" in bookmarks
        later = [s for s in document.sections if s._sectPr.find(qn("w:pgNumType")) is None]
        assert all(not s.different_first_page_header_footer for s in later), "a sheet's later section goes on counting"


def test_english_org_gets_english_language_and_footer(project, content_copy, tmp_path):
    from pathlib import Path

    from kitgen.build.pipeline import Project

    LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"

    profile = content_copy / "orgs" / "AMK.yaml"
    text = profile.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^language:.*$", "language: en", text) if re.search(r"(?m)^language:", text) else "language: en\n" + text
    profile.write_text(text, encoding="utf-8")
    english = Project.load(content_copy, LAYOUTS)
    result = build_org(english, "AMK", tmp_path, force=True)
    assert result.status == "built", result.message
    for name in ("worksheets.docx", "facilitator-notes.docx"):
        document = Document(str(tmp_path / "AMK" / name))
        lang = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
        assert lang.get(qn("w:val")) == "en-GB"
        assert re.search(r"Page \d+ of \d+", _text(document.sections[0].footer._element))
    notes = Document(str(tmp_path / "AMK" / "facilitator-notes.docx"))
    assert re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", notes.tables[0].rows[1].cells[0].text), "clock times as English writes them (13:00)"


def test_a_sheet_whose_tool_has_a_diagram_shows_it(kits):
    document = _doc(kits, "KK")
    pictures = document.element.body.findall(f".//{qn('w:drawing')}")
    assert pictures, "Styrk ledelsesgruppen's prioriteringskort as a figure"
    descr = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    assert all(descr), "alt text on every figure"


def test_a_figure_that_explains_a_grid_is_above_it_and_no_taller(bfa):
    """BFA's load curve and IGLO model: each stands before the grid it explains (above it, or beside the
    sheet's text just above it) and is no taller than that grid's rows, where participants write."""
    body = list(_doc(bfa).element.body)
    checked = 0
    for index, element in enumerate(body):
        extents = list(element.iter(qn("wp:extent")))
        if not extents:
            continue
        p = element if element.tag == qn("w:p") else None
        keeps = p is not None and p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        if not keeps and element.tag != qn("w:tbl"):  # a figure for the whole sheet, or the logo
            continue
        grid = next((el for el in body[index + 1:index + 4] if el.tag == qn("w:tbl")
                     and el.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None), None)
        assert grid is not None, "a figure that explains a grid stands just before it"
        if all(h.strip().isdigit() for h in _header_texts(grid)):  # a 1–10 scale: its figure is the scale drawn
            continue
        rows_twips = sum(int(h.get(qn("w:val"))) for h in grid.iter(qn("w:trHeight")))
        figure_cm = int(extents[0].get("cy")) / 360000
        assert figure_cm <= rows_twips / 567 + 0.01, (figure_cm, rows_twips / 567, _header_texts(grid))
        checked += 1
    assert checked >= 2, "the load curve and the IGLO model"


def test_header_carries_org_name(kits):
    """A sheet's first page names the organisation beside its logo; later pages name the sheet there."""
    header = _doc(kits, "KK").sections[0].first_page_header
    assert "Københavns Kommune" in header.paragraphs[0].text


# --- accessible Word files (issue 27, point 2) ---------------------------------------------------

WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _word_files(kits, bfa):
    yield "KK worksheets", Document(str(kits / "KK" / "worksheets.docx"))
    yield "AMK worksheets", Document(str(kits / "AMK" / "worksheets.docx"))
    yield "BFA worksheets", Document(str(bfa / "worksheets.docx"))
    for org in ("KK", "AMK"):
        yield f"{org} notes", Document(str(kits / org / "facilitator-notes.docx"))
    yield "BFA notes", Document(str(bfa / "facilitator-notes.docx"))


def test_word_files_name_their_title_and_language(kits, bfa):
    for name, document in _word_files(kits, bfa):
        assert document.core_properties.title.strip(), f"{name}: a document title"
        assert document.core_properties.language in ("da-DK", "en-GB"), f"{name}: dc:language"


def test_word_headings_use_heading_styles(kits, bfa):
    """The sheet titles, section headings and block headings are Word headings (a screen reader's outline)."""
    for name, document in _word_files(kits, bfa):
        styles = {p.style.name for p in document.paragraphs if p.text.strip() and p.style is not None}
        assert {"Heading 1"} <= styles or {"Title", "Heading 1"} <= styles, name
        for paragraph in document.paragraphs:  # no heading faked with a big bold run
            runs = [r for r in paragraph.runs if r.text.strip()]
            if runs and all(r.font.size and r.font.size.pt >= 13 for r in runs):
                assert paragraph.style.name.startswith(("Heading", "Title")), f"{name}: {paragraph.text!r}"


def test_every_table_with_a_header_row_marks_it(kits, bfa):
    """A table whose first row is shaded in the brand colour (a visual header) repeats and marks
    it as a header (w:tblHeader); the fields and writing boxes have no header row."""
    marked = 0
    for name, document in _word_files(kits, bfa):
        for tbl in document.element.body.iter(qn("w:tbl")):
            first = tbl.find(qn("w:tr"))
            fills = {tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) for tc in first.findall(qn("w:tc"))
                     if tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None}
            header_like = len(first.findall(qn("w:tc"))) > 1 and fills and not fills <= {"F2F2F2", "E7E6E6", "auto"}
            if header_like:
                assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None, f"{name}: {_text(first)[:60]}"
                marked += 1
    assert marked >= 10, "the kits' tables with header rows were checked"


def test_prompts_come_before_their_fields_in_reading_order(kits, bfa):
    """No floating frames or anchored pictures; no merged-down cells; in a table without a header row,
    a row's writing field never comes before its label (the label cell or the prompt above the box)."""
    for name, document in _word_files(kits, bfa):
        body = document.element.body
        assert not list(body.iter(qn("w:framePr"))), f"{name}: no text frames"
        assert not list(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor")), name
        assert not list(body.iter(qn("w:vMerge"))), f"{name}: no cells merged down"
        children = list(body)
        for index, tbl in enumerate(children):
            if tbl.tag != qn("w:tbl"):
                continue
            rows = tbl.findall(qn("w:tr"))
            if rows and rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
                continue  # the header row names each column's fields
            for tr in rows:
                tcs = tr.findall(qn("w:tc"))
                first_is_field = tcs and tcs[0].find(f".//{qn('w:sdt')}") is not None
                if first_is_field:  # a writing box: the prompt is the paragraph right above the table
                    before = children[index - 1] if index else None
                    assert before is not None and before.tag == qn("w:p") and _text(before).strip(), (
                        f"{name}: a field with no prompt before it")


def test_every_picture_has_alternative_text(kits, bfa):
    for name, document in _word_files(kits, bfa):
        parts = [document.element] + [s.header._element for s in document.sections[:1]]
        for part in parts:
            for doc_pr in part.iter(WP_DOC_PR):
                assert (doc_pr.get("descr") or "").strip(), f"{name}: picture {doc_pr.get('name')} without alt text"


def test_content_controls_say_what_to_write(kits, bfa):
    for name, document in _word_files(kits, bfa):
        for sdt_pr in document.element.body.iter(qn("w:sdtPr")):
            alias = sdt_pr.find(qn("w:alias"))
            assert alias is not None and alias.get(qn("w:val")).strip(), f"{name}: a control without a title"
            assert len(alias.get(qn("w:val"))) <= 60


def test_labelled_lists_run_together_are_split_one_per_label():
    from kitgen.render.sheet_rules import labelled_parts

    parts = labelled_parts("Ydre krav: deadlines, tidspres. Indre krav: fejlfri, loyal. Ydre ressourcer: planlægning. "
                           "Indre ressourcer: robusthed.")
    assert [name for name, _ in parts] == ["Ydre krav", "Indre krav", "Ydre ressourcer", "Indre ressourcer"]
    assert parts[0][1] == "deadlines, tidspres."
    assert labelled_parts("Formål: én sætning. Ikke flere: her.") == [], "two labels are prose, not a list"


def test_grid_fields_are_empty_to_write_in(kits):
    """Long instructions never fill a grid's fields: they are beside the row or in a legend above."""
    document = _doc(kits, "KK")
    for table in document.tables:
        rows = table.rows
        if len(rows) < 2 or rows[0].cells[0].text.strip():
            continue  # grids have an empty top-left header cell
        for row in rows[1:]:
            for cell in row.cells[1:]:
                assert len(cell.text) <= 70, cell.text[:80]


def test_landscape_only_for_the_wide_section(kits):
    """KK's Arbejdsark 3: the theme list and the questions on portrait pages, only the map on landscape."""
    document = _doc(kits, "KK")
    orient = {}
    for tbl, sect in _sections_of_tables(document):
        headers = _header_texts(tbl)
        if len(headers) < 2:
            continue
        size = sect.find(qn("w:pgSz"))
        orient[headers[0] if headers[0].strip() else headers[1]] = size.get(qn("w:orient")) == "landscape"
    assert orient["Tema"] is False, "a three-column list stays portrait"
    assert orient["LEDERE AF MEDARBEJDERE"] is True, "the five-column map is landscape"


def test_header_text_sits_beside_the_logos_ink_at_its_middle(kits):
    """The logo's transparent margin is trimmed (the picture's width is its ink's) and the header text
    is raised to the logo's middle, not left on its baseline three spaces away."""
    header = _doc(kits, "KK").sections[0].first_page_header.paragraphs[0]  # a sheet's first page: the org beside its logo
    extent = next(header._p.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"))
    width, height = int(extent.get("cx")), int(extent.get("cy"))
    assert width / height < 640 / 200 * 0.6, "KK's logo file is 640×200 with half of it transparent"
    text_run = next(r for r in header.runs if "Københavns Kommune" in r.text)
    position = text_run._r.find(f"{qn('w:rPr')}/{qn('w:position')}")
    assert position is not None and int(position.get(qn("w:val"))) > 0
    assert "   " not in header.text


def test_a_numbered_scale_says_what_its_ends_mean(bfa):
    """BFA's 1–10 balance scales: '1 = Stor ubalance' and '10 = God balance' stand under the numbers."""
    document = _doc(bfa)
    body = list(document.element.body.iterchildren())
    scales = [i for i, el in enumerate(body) if el.tag == qn("w:tbl")
              and [_text(tc) for tc in el.find(qn("w:tr")).findall(qn("w:tc"))][:2] == ["1", "2"]]
    ended = [i for i in scales if _text(body[i + 1]).startswith("1 = ") and "10 = " in _text(body[i + 1])]
    assert ended, [_text(body[i + 1]) for i in scales]
    legends = [_text(body[i + 1]) for i in ended]
    assert any("Stor ubalance" in t and "God balance" in t for t in legends), legends
    assert any("Lav trivsel" in t and "Høj trivsel" in t for t in legends), "the barometer's ends, from its figure"


def test_a_question_all_columns_ask_is_said_once_over_them(kits):
    """KK's priority map: 'I hvor høj grad lykkes vi med det?' once, across 'LAV GRAD' and 'HØJ GRAD'."""
    document = _doc(kits, "KK")
    table = next(t for t in document.tables if "Felt 1" in _text(t._tbl))
    first, second = table._tbl.findall(qn("w:tr"))[:2]
    assert [_text(tc) for tc in first.findall(qn("w:tc"))] == ["", "I hvor høj grad lykkes vi med det?"]
    assert [_text(tc) for tc in second.findall(qn("w:tc"))] == ["", "LAV GRAD", "HØJ GRAD"]
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_the_barometer_is_drawn_once_its_scale_coloured_as_the_figure(bfa):
    """BFA's Trivselsbarometer: no picture of the scale above the scale participants tick; the scale's
    header runs from a pale tint to the solid colour, its numbers centred over their checkboxes."""
    document = _doc(bfa)
    body = list(document.element.body.iterchildren())
    start = next(i for i, el in enumerate(body) if "Trivselsbarometeret" in _text(el) and el.tag == qn("w:p"))
    end = next(i for i in range(start + 1, len(body)) if _text(body[i]).startswith("Arbejdsark "))
    sheet = body[start:end]
    assert not any(True for el in sheet for _ in el.iter(qn("w:drawing"))), "one barometer: the table, not a picture too"
    scale = next(el for el in sheet if el.tag == qn("w:tbl") and _text(el.find(qn("w:tr"))).startswith("12345"))
    fills = [tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) for tc in scale.find(qn("w:tr")).findall(qn("w:tc"))]
    assert len(set(fills)) == 10 and sum(int(fills[0][i:i + 2], 16) for i in (0, 2, 4)) > sum(
        int(fills[-1][i:i + 2], 16) for i in (0, 2, 4)), fills
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == "center" for p in scale.find(qn("w:tr")).iter(qn("w:p")))


def test_a_purpose_that_names_itself_has_no_label(kits):
    """'Formål: Formålet med …' says it twice; 'Formålet med …' alone does not."""
    texts = [p.text for p in _doc(kits, "KK").paragraphs]
    assert not [t for t in texts if t.startswith("Formål: Formålet")]
    assert [t for t in texts if t.startswith("Formålet med")], "KK's purposes start 'Formålet med'"


def test_a_grid_legend_of_numbered_fields_reads_in_number_order(project):
    """KK's prioriteringskort lays its fields out 1 2 / 4 3; the legend above it reads Felt 1, 2, 3, 4."""
    from kitgen.render.sheet_rules import _grid_captions

    tool = project.content.tools["styrk-ledelsesgruppen"]
    grid = next(s for s in tool.worksheet.sections if getattr(s, "row_labels", None) and getattr(s, "cells", None))
    _, _, legend = _grid_captions(grid)
    assert [text.split(".")[0] for text in legend] == ["Felt 1", "Felt 2", "Felt 3", "Felt 4"]


def test_figures_take_a_word_only_clients_heading_colour_not_kitgen_blue(project, tmp_path):
    """An organisation onboarded from a Word template alone (no primary_color in its profile):
    the worksheet figures are drawn in the template's heading colour, as its table header rows
    are, not in kitgen's blue (review r4c/w: 'the diagrams are always the same blue')."""
    import io

    from PIL import Image

    from kitgen.plan.assemble import assemble
    from kitgen.render.worksheets import render_worksheets

    template = Document(str(project.layouts.document_template))
    template.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    path = tmp_path / "red.docx"
    template.save(str(path))
    profile = project.content.orgs["KK"]
    branding = profile.branding.model_copy(update={"docx_template": str(path), "primary_color": None,
                                                   "accent_color": None})
    plan = assemble(project.content, profile.model_copy(update={"branding": branding}), project.layouts)
    document = Document(io.BytesIO(render_worksheets(plan)))
    pictures = [p for p in document.part.related_parts.values() if p.content_type == "image/png"]
    assert pictures
    blue = plan.branding.primary_color.lstrip("#")
    kitgen = tuple(int(blue[i:i + 2], 16) for i in (0, 2, 4))
    for part in pictures:
        colours = Image.open(io.BytesIO(part.blob)).convert("RGB").getcolors(1 << 24)
        strong = [rgb for _, rgb in colours if max(rgb) - min(rgb) > 60]
        assert strong, "the figure has no colour of its own"
        assert kitgen not in strong
        assert any(r > 150 and g < 60 and b < 60 for r, g, b in strong), "no red from the template's headings"


def test_the_last_question_goes_to_its_page_with_the_box_before_it(kits):
    """A section's last question and its box never stand alone on a page (review r4c/w: W02 p16,
    W03 p17, W04 p16): the writing box before it is kept with it, and that box's row may break so
    LibreOffice honours the keep (it ignores a table's keep-with-next over a row that may not split)."""
    document = _doc(kits, "KK")
    body = list(document.element.body)
    kept = 0
    for index, element in enumerate(body[:-2]):
        label, box = body[index + 1], body[index + 2]
        if element.tag == qn("w:tbl") and label.tag == qn("w:p") and box.tag == qn("w:tbl") and \
                len(element.findall(qn("w:tr"))) == 1 and not element.xpath("./w:tr/w:trPr/w:cantSplit") \
                and all(p.xpath("./w:pPr/w:keepNext") for p in element.iter(qn("w:p"))):
            kept += 1
    assert kept >= 3
