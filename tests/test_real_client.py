"""Real-client check: the kits as LibreOffice renders them, not as python-pptx reads them back.

Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext). Without them the
tests skip with the reason shown by ``pytest -ra``, except under CI (``CI=true``), where a
missing tool is a failure: ``.ci/run`` installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from docx import Document
from pptx import Presentation

from kitgen.build.preview import contact_sheet, pdf_pages, pdf_text, to_pdf, to_png

MISSING = [tool for tool in ("soffice", "pdftoppm", "pdftotext") if shutil.which(tool) is None]
if MISSING:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must have {', '.join(MISSING)} (.ci/run installs LibreOffice and poppler-utils)", pytrace=False)
    pytestmark = pytest.mark.skip(reason=f"needs {', '.join(MISSING)}: apt-get install libreoffice-impress libreoffice-writer poppler-utils")

ORGS = {"KK": "Københavns Kommune", "AMK": "Arbejdsmiljø København"}
FILES = ("deck.pptx", "worksheets.docx", "facilitator-notes.docx")


@pytest.fixture(scope="module")
def pdfs(kits, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    result = {}
    for org in ORGS:
        converted = to_pdf([kits / org / name for name in FILES], out / org)
        result[org] = {source.name: pdf for source, pdf in converted.items()}
    return result


@pytest.mark.parametrize("org", ORGS)
def test_deck_pdf_has_one_page_per_slide(kits, pdfs, org):
    slides = len(Presentation(str(kits / org / "deck.pptx")).slides)
    assert pdf_pages(pdfs[org]["deck.pptx"]) == slides


@pytest.mark.parametrize("org", ORGS)
def test_worksheets_have_a_page_per_worksheet_within_tolerance(kits, pdfs, org):
    document = Document(str(kits / org / "worksheets.docx"))
    worksheets = sum(1 for p in document.paragraphs if p.style.name == "Heading 1")
    pages = pdf_pages(pdfs[org]["worksheets.docx"])
    # a cover page, then each worksheet starts on a new page and runs to at most five pages
    assert worksheets + 1 <= pages <= 1 + 5 * worksheets


@pytest.mark.parametrize("org", ORGS)
def test_notes_run_sheet_fits_and_blocks_follow(kits, pdfs, org):
    pages = pdf_pages(pdfs[org]["facilitator-notes.docx"])
    assert 2 <= pages <= 20
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdfs[org]["facilitator-notes.docx"]), "-"],
                                capture_output=True, text=True).stdout
    assert re.search(r"\d\d[:.]\d\d(?:\s+|–)\d\d[:.]\d\d\s+\d+", first_page), "the run-sheet with clock times starts on page 1"


@pytest.mark.parametrize("org", ORGS)
@pytest.mark.parametrize("name", FILES)
def test_text_has_org_name_and_danish_characters(pdfs, org, name):
    text = pdf_text(pdfs[org][name])
    assert ORGS[org] in text or ORGS[org].lower().replace(" ", "") in text.replace(" ", "")
    assert re.search(r"[æøå]", text) and re.search(r"\b\w*[æøå]\w*\b", text)
    assert "\ufffd" not in text and "Ã¸" not in text, "no mojibake"


def _words(pdf, page):
    """(text, yMax in points) for each word on a page, from pdftotext's bounding boxes."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True).stdout
    return [(m.group(3), float(m.group(2))) for m in
            re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)]


@pytest.mark.parametrize("org", ORGS)
def test_no_slide_text_runs_past_its_box(kits, pdfs, org):
    """Every word LibreOffice draws lies within the bottom of the slide's lowest text box."""
    prs = Presentation(str(kits / org / "deck.pptx"))
    for number, slide in enumerate(prs.slides, start=1):
        boxes = [s for s in slide.placeholders if s.has_text_frame and s.text_frame.text.strip()]
        bottom_pt = max((s.top + s.height) / 12700 for s in boxes)
        words = _words(pdfs[org]["deck.pptx"], number)
        expected = {w.lower() for s in boxes for w in s.text_frame.text.split()}  # section titles may be in capitals
        drawn = {w.lower() for w, _ in words}
        assert len(expected & drawn) >= 0.9 * len(expected), f"slide {number}: text missing from the page"
        lowest = max(y for _, y in words)
        assert lowest <= bottom_pt + 6, f"{org} slide {number} '{slide.shapes.title.text}': text reaches {lowest:.0f} pt, box ends at {bottom_pt:.0f} pt"


def test_contact_sheet_of_the_deck(pdfs, tmp_path):
    pages = to_png(pdfs["KK"]["deck.pptx"], tmp_path, dpi=20)
    sheet = contact_sheet(pages, tmp_path / "sheet.png")
    from PIL import Image

    with Image.open(sheet) as image:
        assert image.width > 1000 and image.height > 100


def test_preview_command_writes_pages_and_contact_sheets(tmp_path):
    import sys

    from conftest import ROOT

    done = subprocess.run([sys.executable, "-m", "kitgen", "preview", "--org", "KK", "--out", str(tmp_path), "--dpi", "30"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    preview = tmp_path / ".preview" / "KK"
    assert not (tmp_path / "KK" / "preview").exists(), "previews live outside the kit folder"
    for stem in ("deck", "worksheets", "facilitator-notes"):
        assert (preview / f"{stem}-contact.png").is_file()
    slides = len(Presentation(str(tmp_path / "KK" / "deck.pptx")).slides)
    assert len(list(preview.glob("deck-*.png"))) == slides + 1  # pages + contact sheet
    assert f"deck.pptx: {slides} page(s)" in done.stdout
    rebuilt = subprocess.run([sys.executable, "-m", "kitgen", "build", "--org", "KK", "--out", str(tmp_path), "--force"],
                             cwd=ROOT, capture_output=True, text=True)
    assert rebuilt.returncode == 0 and (preview / "deck-contact.png").is_file(), "a rebuild keeps the previews"


@pytest.mark.parametrize("org", ORGS)
def test_slide_numbers_are_drawn_on_every_slide_but_the_title_and_the_closing(kits, pdfs, org):
    """LibreOffice fills the slidenum field: the number stands in the bottom-right corner."""
    prs = Presentation(str(kits / org / "deck.pptx"))
    height_pt = prs.slide_height / 12700
    for number in range(2, len(prs.slides)):  # the closing card is unnumbered like the cover
        bottom = [w for w, y in _words(pdfs[org]["deck.pptx"], number) if y > height_pt * 0.85]
        assert str(number) in bottom, f"{org} slide {number}: no page number drawn ({bottom})"


def test_text_is_drawn_at_the_size_kitgen_measured(kits, pdfs):
    """No autofit in between: a 20 pt run is drawn 20 pt high (word boxes are about 1.3 × the size)."""
    prs = Presentation(str(kits / "KK" / "deck.pptx"))
    checked = 0
    for number, slide in enumerate(prs.slides, start=1):
        body = [s for s in slide.placeholders if s.placeholder_format.idx == 1 and s.has_text_frame]
        runs = [r for s in body for p in s.text_frame.paragraphs for r in p.runs if r.font.size and not r.font.italic]
        if not runs:
            continue
        size = runs[0].font.size.pt
        html = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdfs["KK"]["deck.pptx"]), "-"],
                              capture_output=True, text=True).stdout
        first = runs[0].text.split()[0]
        heights = [float(m.group(2)) - float(m.group(1)) for m in re.finditer(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">' + re.escape(first) + "</word>", html)]
        assert heights and any(abs(h / size - 1.3) < 0.15 for h in heights), f"slide {number}: {first} at {heights} for {size} pt"
        checked += 1
    assert checked >= 5
