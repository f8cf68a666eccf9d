"""The template corpus (tests/fixtures/template_corpus.py): every feature real client templates
have, onboarded with ``init-org`` and built — findings or a kit, never an unexpected error.

The LibreOffice check (one page per slide) skips without soffice/pdfinfo, and fails under CI=true.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn as wqn
from pptx import Presentation

from conftest import FIXTURES, LAYOUTS

sys.path.insert(0, str(FIXTURES))

import template_corpus as tc  # noqa: E402
from kitgen.cli.main import main  # noqa: E402

LOGO = LAYOUTS.parent / "content" / "orgs" / "KK" / "logo.png"
# No template is refused any more: a master without layouts gets one made from its own placeholders, and
# Google's two narrow columns give way to such a layout too (issue 23, point 2).
REFUSED: set[str] = set()
OVERFLOWS: set[str] = set()
WITH_WORD = {"creation-id": "first-and-even", "wps": "cjk", "four-three": "line-numbers", "portuguese": "exact-spacing",
             "dark": "own-page-numbers", "master-graphics": "untyped-headers"}


def kitgen(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _org(name: str) -> str:
    return "C" + name.replace("-", "").upper()[:10]


def _unexpected(result) -> bool:
    return result.exit_code == 3 or "kitgen/unexpected" in result.output or (
        result.exception is not None and not isinstance(result.exception, SystemExit))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    work = tmp_path_factory.mktemp("corpus")
    content = work / "content"
    shutil.copytree(LAYOUTS.parent / "content", content)
    decks = {name: make(work / f"{name}.pptx") for name, make in tc.DECKS.items()}
    decks["potm"] = tc.potm(work / "macros.potm", work / "macros-plain.pptx")
    documents = {name: make(work / f"{name}.docx") for name, make in tc.DOCUMENTS.items()}
    inits = {}
    for name, deck in decks.items():
        args = ["init-org", _org(name), "--name", f"Kunde {name}", "--content", content, "--layouts", LAYOUTS,
                "--logo", LOGO, "--pptx", deck]
        if name in WITH_WORD:
            args += ["--docx", documents[WITH_WORD[name]]]
        inits[name] = kitgen(*args)
    orgs = [_org(n) for n in decks if n not in REFUSED | OVERFLOWS]
    build = kitgen("build", *[a for o in orgs for a in ("--org", o)], "--content", content, "--layouts", LAYOUTS,
                   "--out", work / "out", "--force")
    return {"work": work, "inits": inits, "build": build, "out": work / "out"}


@pytest.mark.parametrize("name", sorted(tc.DECKS) + ["potm"])
def test_every_deck_template_onboards_with_findings_or_a_kit_never_an_unexpected_error(corpus, name):
    init = corpus["inits"][name]
    assert not _unexpected(init), init.output
    if name in REFUSED:
        assert init.exit_code == 1, init.output
        assert "[template/no-content-layout]" in init.output
        assert "has a layout with a title and a text box" in init.output
        return
    if name in OVERFLOWS:
        assert init.exit_code == 1 and "[slides/overflow]" in init.output and "google.yaml" in init.output, init.output
        return
    assert init.exit_code == 0, init.output
    build = corpus["build"]
    assert not _unexpected(build), build.output
    deck = corpus["out"] / _org(name) / "deck.pptx"
    assert deck.is_file(), build.output
    assert len(Presentation(str(deck)).slides) > 5


def test_lists_go_on_a_layout_made_from_the_masters_own_boxes_when_the_master_has_no_layouts(corpus):
    init = corpus["inits"]["no-layouts"]
    assert init.exit_code == 0, init.output
    deck = Presentation(str(corpus["out"] / _org("no-layouts") / "deck.pptx"))
    layouts = {slide.slide_layout.name for slide in deck.slides}
    assert layouts == {"Title and Content"}, layouts  # a plain name in PowerPoint's layout menu, no tool name


def test_body_text_never_goes_into_a_box_shorter_than_five_lines(corpus):
    """Google's SECTION_HEADER text box (389×65 pt) once held the tool slides: every slide with a list
    now has a text box at least five lines tall at the size its text is set in."""
    for org in (p.parent.name for p in corpus["out"].glob("*/deck.pptx")):
        deck = Presentation(str(corpus["out"] / org / "deck.pptx"))
        for number, slide in enumerate(deck.slides, 1):
            for shape in slide.placeholders:
                paragraphs = [p for p in shape.text_frame.paragraphs if p.text.strip()] if shape.has_text_frame else []
                sizes = [r.font.size.pt for p in paragraphs for r in p.runs if r.font.size is not None]
                if shape.placeholder_format.idx == 0 or len(paragraphs) < 3 or not sizes or shape.height is None:
                    continue
                assert shape.height / 12700 >= 5 * min(sizes) * 1.2, (org, number, slide.slide_layout.name)


def test_validation_reads_a_shapes_size_not_its_creation_id(corpus):
    """The crash of issue 23: the first a:ext under a shape was the a16:creationId extension."""
    done = kitgen("validate", "--org", _org("creation-id"), "--content", corpus["work"] / "content", "--layouts", LAYOUTS)
    assert not _unexpected(done), done.output
    assert "TypeError" not in done.output


def _word(corpus, deck_name: str, which: str = "worksheets.docx"):
    return Document(str(corpus["out"] / _org(deck_name) / which))


@pytest.mark.parametrize("which", ["worksheets.docx", "facilitator-notes.docx"])
def test_kitgens_header_and_footer_are_on_first_and_even_pages_too(corpus, which):
    document = _word(corpus, "creation-id", which)
    section = document.sections[0]
    assert section.different_first_page_header_footer and document.settings.odd_and_even_pages_header_footer
    for header in (section.header, section.first_page_header, section.even_page_header):
        assert "Kunde creation-id" in header._element.xml or header.paragraphs[0].runs, header.paragraphs[0].text
        assert header.paragraphs[0].text.strip() not in ("Odd header", "First page header", "Even header")
    for footer in (section.footer, section.first_page_footer, section.even_page_footer):
        assert tc.page_fields(footer._element) == 1, footer._element.xml


def test_one_page_number_per_footer_and_none_in_the_header(corpus):
    document = _word(corpus, "dark")
    section = document.sections[0]
    assert tc.page_fields(section.footer._element) == 1
    assert "Kommunen · Rådhuspladsen 1" in "".join(p.text for p in section.footer.paragraphs)
    assert tc.page_fields(section.header._element) == 0


def test_headers_python_docx_cannot_read_give_way_to_kitgens(corpus):
    document = _word(corpus, "master-graphics")
    section = document.sections[0]  # the masthead on the first page; later pages carry the sheet's own title
    header = section.first_page_header if section.different_first_page_header_footer else section.header
    assert "Kunde master-graphics" in header.paragraphs[0].text
    assert tc.page_fields(section.footer._element) == 1


def test_line_numbering_is_removed(corpus):
    document = _word(corpus, "four-three")
    assert not list(document.element.iter(wqn("w:lnNumType")))


def test_a_page_number_restart_is_removed_so_no_section_shows_side_0(corpus):
    document = _word(corpus, "four-three")  # its template starts numbering at 0 (a manuscript's title page)
    sections = list(document.element.iter(wqn("w:sectPr")))
    assert len(sections) > 1, "the worksheets have more than one section (landscape pages)"
    # the template's restart at 0 never; a worksheet's pages count from 1 (kitgen.render.sheet_pages)
    assert all(p.get(wqn("w:start")) in (None, "1") for s in sections for p in s.findall(wqn("w:pgNumType")))


@pytest.mark.parametrize("deck_name", ["wps", "portuguese"])
def test_table_paragraphs_get_single_automatic_spacing_under_a_fixed_line_or_a_grid(corpus, deck_name):
    for which in ("worksheets.docx", "facilitator-notes.docx"):
        document = _word(corpus, deck_name, which)
        paragraphs = [p for t in document.element.body.iter(wqn("w:tbl")) for p in t.iter(wqn("w:p"))]
        assert paragraphs
        for p in paragraphs:
            spacing = p.find(f"{wqn('w:pPr')}/{wqn('w:spacing')}")
            assert spacing is not None and spacing.get(wqn("w:lineRule")) == "auto", p.xml[:300]


def test_east_asian_text_keeps_the_templates_east_asian_fonts(corpus):
    document = _word(corpus, "wps")
    for name, east in (("Normal", "仿宋"), ("Heading 1", "黑体")):
        fonts = document.styles[name].element.find(f"{wqn('w:rPr')}/{wqn('w:rFonts')}")
        assert fonts is not None and fonts.get(wqn("w:eastAsia")) == east, name
        assert fonts.get(wqn("w:ascii")) and fonts.get(wqn("w:ascii")) != east  # Latin text in a Latin font
    with zipfile.ZipFile(corpus["out"] / _org("wps") / "worksheets.docx") as package:
        assert "仿宋".encode() in package.read("word/styles.xml")


# --- LibreOffice: one page per slide ----------------------------------------------------------

CI = os.environ.get("CI", "").lower() == "true"
MISSING = [tool for tool in ("soffice", "pdftoppm", "pdfinfo") if shutil.which(tool) is None]


@pytest.fixture(scope="module")
def rendered(corpus):
    if MISSING:
        if CI:
            pytest.fail(f"CI must have {', '.join(MISSING)} (.ci/run installs LibreOffice and poppler-utils)", pytrace=False)
        pytest.skip(f"needs {', '.join(MISSING)}: apt-get install libreoffice-impress poppler-utils")
    from kitgen.build.preview import pdf_pages, to_pdf

    decks = sorted(p for p in corpus["out"].glob("*/deck.pptx"))
    pdfs = to_pdf(decks, corpus["work"] / "pdf")
    return {deck.parent.name: (len(Presentation(str(deck)).slides), pdf_pages(pdfs[deck])) for deck in decks if deck in pdfs}


@pytest.mark.parametrize("name", sorted(set(tc.DECKS) - REFUSED - OVERFLOWS) + ["potm"])
def test_libreoffice_renders_one_page_per_slide(rendered, name):
    slides, pages = rendered[_org(name)]
    assert pages == slides


def test_show_template_png_renders_each_chosen_layout_with_sample_text(corpus, tmp_path):
    if MISSING:
        if CI:
            pytest.fail(f"CI must have {', '.join(MISSING)}", pytrace=False)
        pytest.skip(f"needs {', '.join(MISSING)}")
    from kitgen.content.layouts import SLIDE_KINDS
    from kitgen.build.preview import pdf_text

    done = kitgen("show", "template", corpus["work"] / "master-graphics.pptx", "--png", tmp_path)
    assert done.exit_code == 0, done.output
    assert f"chosen layouts with sample text: {tmp_path / 'master-graphics-chosen-contact.png'}" in done.output
    assert len(list(tmp_path.glob("master-graphics-chosen-*.png"))) == len(SLIDE_KINDS) + 1  # and the contact sheet
    text = pdf_text(tmp_path / "master-graphics-chosen.pdf")
    assert "Trivsel i hverdagen" in text and "Det siger undersøgelsen" in text and "Tak for i dag" in text
