"""The Word files as they print: measured on the PDFs LibreOffice renders (tests/pagefill.py).

Every kit (KK, AMK, BFA, DEMO-EN) is built once, its Word files converted to PDF in one
LibreOffice run, and each page measured: how far down its body the ink reaches, and the text
it ends on. Checks that need no PDF (checkboxes, control titles, tags) read the .docx.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import CONTENT, LAYOUTS
from pagefill import measure

ORGS = ("KK", "AMK", "BFA", "DEMO-EN")
MISSING = [tool for tool in ("soffice", "pdftoppm", "pdftotext") if shutil.which(tool) is None]
needs_pdf = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)}: apt-get install libreoffice poppler-utils")
W14_CHECKBOX = "{http://schemas.microsoft.com/office/word/2010/wordml}checkbox"
HALF = 0.5
QUARTER = 0.25


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from kitgen.build.pipeline import Project, build_org

    out = tmp_path_factory.mktemp("printed")
    project = Project.load(CONTENT, LAYOUTS)
    for org in ORGS:
        result = build_org(project, org, out, force=True)
        assert result.status == "built", (org, result.message)
    return out


@pytest.fixture(scope="module")
def pdfs(built) -> dict[tuple[str, str], Path]:
    from kitgen.build.preview import to_pdf

    files = [built / org / name for org in ORGS for name in ("worksheets.docx", "facilitator-notes.docx")
             if (built / org / name).is_file()]
    converted = to_pdf(files, built / "pdf")
    return {(path.parent.name, path.stem): pdf for path, pdf in converted.items()}


def _sheet_last_pages(pages) -> set[int]:
    """The page numbers on which a worksheet ends (the page before the next sheet's title, and the last)."""
    starts = [p.number for p in pages if any(re.match(r"(Arbejdsark|Worksheet) \d+: ", line) for line in p.body_lines[:4])]
    return {s - 1 for s in starts if s > 1} | {len(pages)}


@needs_pdf
@pytest.mark.parametrize("org", ORGS)
def test_no_page_under_half_filled(pdfs, org):
    for kind in ("worksheets", "facilitator-notes"):
        if (org, kind) not in pdfs:
            continue
        pages = measure(pdfs[org, kind])
        # a worksheet's last page ends where it ends; the notes' appendix follows the last block on its page
        exempt = _sheet_last_pages(pages) if kind == "worksheets" else {len(pages)}
        thin = [(p.number, round(p.fill, 2)) for p in pages if p.number not in exempt and p.fill < HALF]
        assert not thin, f"{org} {kind}: pages under half filled (page, fill): {thin}"
        # and a sheet's last page holds more than a lone box or a line or two
        bare = [(p.number, round(p.fill, 2)) for p in pages if kind == "worksheets" and p.fill < QUARTER]
        assert not bare, f"{org} {kind}: pages under a quarter filled (page, fill): {bare}"


WRITING_FILL = 0.85


def _writing_labels(document) -> list[str]:
    """The prompts printed right above a writing box, and the header texts of tables with cells to write in."""
    body = document.element.body
    labels = []
    for tbl in body.iter(qn("w:tbl")):
        tags = [t.get(qn("w:val")) or "" for t in tbl.iter(qn("w:tag"))]
        if any(t.startswith("box-") for t in tags):
            before = tbl.getprevious()
            text = "".join(x.text or "" for x in before.iter(qn("w:t"))) if before is not None else ""
            if text.strip():
                labels.append(" ".join(text.split())[:40])
        elif any(t.startswith("cell-") for t in tags):  # its heading, else its header's longer texts
            before = tbl.getprevious()
            heading = "".join(x.text or "" for x in before.iter(qn("w:t"))) if before is not None else ""
            first = tbl.find(qn("w:tr"))
            texts = [heading] if heading.strip() else [
                "".join(x.text or "" for x in tc.iter(qn("w:t"))) for tc in first.findall(qn("w:tc"))]
            labels += [" ".join(t.split())[:40] for t in texts if len(t.strip()) >= 12]
    return labels


@needs_pdf
@pytest.mark.parametrize("org", ("KK", "AMK", "BFA"))
def test_pages_with_writing_room_are_used_to_their_foot(built, pdfs, org):
    """A page holding a writing box or a table participants write in is used to its foot (the writing
    room grows into the space left there): at least 85 % of its body, its sheet's last page included."""
    labels = _writing_labels(Document(str(built / org / "worksheets.docx")))
    assert labels
    pages = measure(pdfs[org, "worksheets"])
    short = []
    for page in pages:
        text = " ".join(" ".join(page.lines).split())
        if any(label in text for label in labels) and page.fill < WRITING_FILL:
            short.append((page.number, round(page.fill, 2)))
    assert not short, f"{org} worksheets: pages with writing room under {WRITING_FILL:.0%} used (page, fill): {short}"


@needs_pdf
def test_the_load_curve_grid_is_on_one_page_under_its_figure(pdfs):
    """BFA's Arbejdsark 1: the three rows participants draw one curve across are on the sheet's first page,
    with the figure's phases as their labels."""
    pages = measure(pdfs["BFA", "worksheets"])
    first = next(p for p in pages if any(line.startswith("Arbejdsark 1:") for line in p.body_lines[:4]))
    text = " ".join(first.lines)
    for row in ("Overbelastning", "Optimal belastning", "Restitution", "1 md. siden – nu"):
        assert row in text, f"{row!r} is not on the sheet's first page ({first.number})"
    following = " ".join(pages[first.number].lines)
    assert "6 mdr. siden" not in following, "the grid's header repeats on the next page: the grid was split"


@needs_pdf
@pytest.mark.parametrize("org", ORGS)
def test_no_page_ends_on_a_lead_in(built, pdfs, org):
    for kind in ("worksheets", "facilitator-notes"):
        if (org, kind) not in pdfs:
            continue
        document = Document(str(built / org / f"{kind}.docx"))
        # headings, and in the notes the run-in labels ("Sig og gør"); a worksheet's prompt stands above
        # an empty box (no text for pdftotext), so it is checked by its heading only
        lead_ins = {p.text.strip() for p in document.paragraphs
                    if p.text.strip() and len(p.text) < 80
                    and ((p.style is not None and p.style.name.startswith("Heading"))
                         or (kind == "facilitator-notes" and p.paragraph_format.keep_with_next))}
        pages = measure(pdfs[org, kind])
        for page in pages[:-1]:
            last = page.body_lines[-1] if page.body_lines else ""
            assert last not in lead_ins, f"{org} {kind} page {page.number} ends on the lead-in {last!r}"


@needs_pdf
@pytest.mark.parametrize("org, heading, box", [
    ("AMK", "Led »nedad« – til medarbejderne", "Jeres overvejelser – at lede »nedad«:"),
    ("AMK", "Led opad – i ledelsesstrengen", "Jeres overvejelser – at lede opad:"),
    ("KK", "1. Mål for din ledelsesopgave", "Dine noter om dine mål"),
    ("KK", "3. Aftale og løbende dialog med din nærmeste leder", "Dine noter om dialogen med din nærmeste leder"),
])
def test_a_sections_questions_and_its_writing_box_share_a_page(pdfs, org, heading, box):
    """The support questions under a heading and the box they help fill in print on one page."""
    pages = measure(pdfs[org, "worksheets"])
    where = [p.number for p in pages if heading in " ".join(" ".join(p.lines).split())]
    boxes = [p.number for p in pages if box in " ".join(" ".join(p.lines).split())]
    assert where and boxes and where[0] == boxes[0], f"{heading!r} on page {where}, its box {box!r} on {boxes}"


@needs_pdf
def test_bfa_grids_are_never_split_across_pages(pdfs):
    """Each of BFA's grids (the load curve, demands and resources, the stones in the shoe, IGLO) prints on one
    page: the text of its header row is on one page only (a split grid repeats it on the next)."""
    pages = measure(pdfs["BFA", "worksheets"])
    for header in ("1 md. siden – nu", "Ressourcer", "Tidsramme: hvem gør hvad", "Fællesskabskultur"):
        on = [p.number for p in pages if header in " ".join(p.lines)]
        assert len(on) == 1, f"the grid headed {header!r} is on pages {on}"


@needs_pdf
def test_bfa_notes_for_three_hours_fit_in_ten_pages(pdfs):
    assert len(measure(pdfs["BFA", "facilitator-notes"])) <= 10


def test_no_worksheets_file_when_the_programme_has_none(built):
    assert not (built / "DEMO-EN" / "worksheets.docx").exists()
    manifest = json.loads((built / "DEMO-EN" / "kit.json").read_text(encoding="utf-8"))
    assert "worksheets.docx" not in [f["name"] for f in manifest["files"]]
    assert manifest["omitted"] == {"worksheets.docx": "the programme has no worksheet"}
    notes = "\n".join(p.text for p in Document(str(built / "DEMO-EN" / "facilitator-notes.docx")).paragraphs)
    assert "Worksheets: none – this programme uses the slides only" in notes
    assert (built / "KK" / "worksheets.docx").is_file()


def test_choice_columns_are_checkboxes(built):
    from kitgen.build.pipeline import Project

    project = Project.load(CONTENT, LAYOUTS)
    declared = [s for t in project.content.tools.values() if t.worksheet for s in t.worksheet.sections
                if getattr(s, "choices", None)]
    assert len(declared) >= 3, "the 25-question form, KK's L/H and 'Kan jeg selv ændre det?' declare choices"
    found = 0
    for org in ("KK", "BFA"):
        document = Document(str(built / org / "worksheets.docx"))
        for table in document.tables:
            header = [c.text for c in table.rows[0].cells]
            for section in declared:
                if header != [str(c) for c in section.columns]:
                    continue
                found += 1
                for row in table.rows[1:]:
                    tcs = {id(c._tc) for c in row.cells}
                    if len(tcs) == 1:  # a group row ("A. Forudsætninger")
                        continue
                    for number, options in section.choices.items():
                        boxes = list(row.cells[number - 1]._tc.iter(W14_CHECKBOX))
                        assert len(boxes) == len(options), (header[number - 1], row.cells[0].text)
    assert found >= 3
    assert "☐" not in "".join(str(s.rows) for s in declared), "no typed boxes left in the content"


def test_control_titles_are_whole_words_and_short_and_tags_unique(built):
    for org in ("KK", "AMK", "BFA"):
        document = Document(str(built / org / "worksheets.docx"))
        tags = [t.get(qn("w:val")) for t in document.element.iter(qn("w:tag"))]
        assert len(tags) == len(set(tags)), f"{org}: tags are unique"
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t) for t in tags), [t for t in tags if not re.fullmatch(r"[a-z0-9-]+", t)]
        for alias in document.element.iter(qn("w:alias")):
            title = alias.get(qn("w:val"))
            assert len(title) <= 60, title
            assert not title.endswith(" …"), title


def test_control_title_cuts_at_a_word():
    from kitgen.render.sheet_layout import control_title

    title = control_title("Hvilke mål skal jeg lykkes med det kommende halve til hele år som leder? Tænk hele vejen rundt")
    assert len(title) <= 60 and title.endswith("…")
    assert title == "Hvilke mål skal jeg lykkes med det kommende halve til hele…"
    assert control_title("Kort titel") == "Kort titel"


@pytest.mark.parametrize("org", ("KK", "BFA", "AMK"))
def test_danish_words_and_numbers_in_danish_notes(built, org):
    document = Document(str(built / org / "facilitator-notes.docx"))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert not re.search(r"\bStep \d", text), "Trin, not Step"
    assert not re.search(r"(?<![\d.,:])\d\.\d(?![\d.:])", text), "decimals with a comma (4,2)"
    for english in ("Say and do", "Run-sheet", "Materials"):
        assert english not in text


def test_english_worksheet_fields_have_english_labels_only():
    """An English kit's sheet never prints "Navn" beside "Name": the content's own Danish name and date
    fields give way to the kit's labels (first, as on every sheet), its other fields follow in their order."""
    from types import SimpleNamespace

    from kitgen.content.worksheetmodel import FieldsSection
    from kitgen.render.worksheets import _Sheet

    sheet = _Sheet(None, SimpleNamespace(labels={"name": "Name", "date": "Date"}))
    fields = FieldsSection(kind="fields", fields=["Navn", "Team", "Dato"])
    assert sheet._sheet_fields([fields]) == ["Name", "Date", "Team"]
    danish = _Sheet(None, SimpleNamespace(labels={"name": "Navn", "date": "Dato"}))
    assert danish._sheet_fields([FieldsSection(kind="fields", fields=["Name", "Date", "Team"])]) == ["Navn", "Dato", "Team"]


def _soffice_version() -> tuple[int, ...]:
    try:
        out = subprocess.run(["soffice", "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    match = re.search(r"(\d+)\.(\d+)", out)
    return tuple(int(x) for x in match.groups()) if match else ()


@needs_pdf
def test_worksheets_pdf_keeps_its_form_fields(pdfs):
    """LibreOffice ≥ 7.5 exports Word content controls as PDF form fields; 7.4 exports none."""
    version = _soffice_version()
    if version < (7, 5):
        pytest.skip(f"LibreOffice {'.'.join(map(str, version)) or '?'} exports no form fields from content controls (needs 7.5)")
    pdf = pdfs["KK", "worksheets"].read_bytes()
    assert b"/AcroForm" in pdf and b"/FT /Btn" in pdf.replace(b"/FT/Btn", b"/FT /Btn"), "checkboxes as form fields"
    assert b"/FT /Tx" in pdf.replace(b"/FT/Tx", b"/FT /Tx"), "writing boxes as text fields"
