"""Accessibility on the files themselves (issue 27 points 1 and 3): the deck's language, reading order,
decorations and alternative text; the PDFs' structure tree, /MarkInfo, /Lang, DisplayDocTitle, bookmarks
and PDF/UA identification, for the deck handout, the worksheets and the facilitator notes."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from lxml import etree
from pptx import Presentation

from conftest import CONTENT, LAYOUTS

from kitgen.ooxml.decorative import DECORATIVE_URI, is_decorative, mark_decorative
from kitgen.render.deck_a11y import reading_order, visual_order
from kitgen.validate.a11y import figure_labels

LANG = {"KK": "da-DK", "DEMO-EN": "en-GB"}  # the kits whose PDFs are built
DECKS = {**LANG, "AMK": "da-DK", "BFA": "da-DK"}
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def decks(project):
    from kitgen.plan.assemble import assemble
    from kitgen.render.deck import render_deck

    out = {}
    for org in DECKS:
        plan = assemble(project.content, project.content.orgs[org], project.layouts)
        out[org] = (plan, render_deck(plan))
    return out


@pytest.mark.parametrize("org", list(DECKS))
def test_every_text_and_text_default_in_the_deck_says_the_kits_language(decks, org):
    plan, data = decks[org]
    tags: dict[str, set] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith(".xml") and name.startswith("ppt/"):
                for tag in re.findall(rb'\blang="([^"]*)"', package.read(name)):
                    tags.setdefault(tag.decode(), set()).add(name)
        presentation = etree.fromstring(package.read("ppt/presentation.xml"))
        core = etree.fromstring(package.read("docProps/core.xml"))
    assert set(tags) == {DECKS[org]}, {tag: sorted(names)[:3] for tag, names in tags.items()}
    assert any(n.startswith("ppt/slideMasters/") for n in tags[DECKS[org]]), "the master's text styles"
    defaults = presentation.findall("p:defaultTextStyle//a:defRPr", NS)
    assert defaults and {d.get("lang") for d in defaults} == {DECKS[org]}
    assert core.findtext("dc:language", namespaces=NS) == DECKS[org]


def _slides(data):
    return list(Presentation(io.BytesIO(data)).slides)


def _is_title(shape) -> bool:
    return shape.is_placeholder and shape.placeholder_format.type is not None and \
        shape.placeholder_format.type.name in ("TITLE", "CENTER_TITLE")


@pytest.mark.parametrize("org", list(DECKS))
def test_the_title_is_read_first_and_decorations_last(decks, org):
    plan, data = decks[org]
    for number, slide in enumerate(_slides(data), 1):
        shapes = list(slide.shapes)
        titles = [s for s in shapes if _is_title(s)]
        assert titles and _is_title(shapes[0]), f"slide {number}: the title is not read first"
        marks = [is_decorative(s._element.find(".//p:cNvPr", NS)) for s in shapes]
        if True in marks:
            first = marks.index(True)
            assert all(marks[first:]) or shapes[-1].name == "Logo", f"slide {number}: a decoration before content"
        names = reading_order(slide)
        assert names[0] == shapes[0].name and not {"Quotation mark", "Logo plate"} & set(names)


def test_a_dividers_text_is_read_before_the_tracker_right_of_it(decks):
    plan, data = decks["KK"]
    number = next(n for n, s in enumerate(plan.slides, 1) if s.tracker)
    slide = _slides(data)[number - 1]
    names = reading_order(slide)
    body = next(n for n in names if n not in ("Agenda tracker",) and not n.startswith("Title"))
    assert names.index(body) < names.index("Agenda tracker") < names.index(next(n for n in names if "Number" in n))


def test_the_quotation_mark_and_the_logo_named_in_the_text_are_decorative(decks):
    plan, data = decks["KK"]
    slides = _slides(data)
    logo = next(s for s in slides[0].shapes if s.name == "Logo")
    c_nv_pr = logo._element.find(".//p:cNvPr", NS)
    assert is_decorative(c_nv_pr) and c_nv_pr.get("descr") is None, "the title slide names Københavns Kommune"
    number = next(n for n, s in enumerate(plan.slides, 1) if s.kind == "quote")
    mark = next(s for s in slides[number - 1].shapes if s.name == "Quotation mark")
    assert is_decorative(mark._element.find(".//p:cNvPr", NS))


def test_pictures_and_figures_that_are_not_decorative_have_alt_text_from_their_data(decks):
    plan, data = decks["KK"]
    figures = 0
    for number, (spec, slide) in enumerate(zip(plan.slides, _slides(data)), 1):
        for shape in slide.shapes:
            c_nv_pr = shape._element.find(".//p:cNvPr", NS)
            if shape.shape_type is None or is_decorative(c_nv_pr):
                continue
            if shape._element.tag in (f"{{{NS['p']}}}pic", f"{{{NS['p']}}}grpSp"):
                descr = c_nv_pr.get("descr") or ""
                assert descr and descr != shape.name and descr.casefold() not in ("figur", "logo"), (number, shape.name)
                if spec.diagram is not None and shape._element.tag.endswith("grpSp"):
                    figures += 1
                    labels = figure_labels(spec.diagram, plan.language)
                    said = [label for label in labels if " ".join(label.split())[:25] in descr]
                    assert descr.startswith(spec.title) and len(said) >= min(2, len(labels)), descr  # made from the labels
    assert figures >= 2


def test_slide_titles_in_the_deck_are_unique(decks):
    for org, (plan, data) in decks.items():
        titles = [" ".join(s.shapes.title.text_frame.text.split()).casefold() for s in _slides(data)]
        assert len(titles) == len(set(titles)), org


def test_visual_order_reads_rows_then_left_to_right():
    from types import SimpleNamespace as Box

    left, right = Box(name="left", left=0, top=100, width=50, height=400), Box(name="right", left=60, top=80, width=40, height=300)
    below, unplaced = Box(name="below", left=0, top=600, width=100, height=20), Box(name="unplaced", left=None, top=None, width=None, height=None)
    assert [s.name for s in visual_order([unplaced, below, right, left])] == ["left", "right", "below", "unplaced"]
    card, text = Box(name="card", left=0, top=0, width=100, height=100), Box(name="text", left=10, top=10, width=50, height=20)
    first = Box(name="first", left=200, top=0, width=50, height=50)
    assert [s.name for s in visual_order([text, card, first])] == ["text", "card", "first"], "what overlaps keeps its stacking"


def test_mark_decorative_writes_offices_extension_once_and_drops_the_description():
    c_nv_pr = etree.fromstring(f'<p:cNvPr xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}" id="4" name="Logo" descr="Logo: KK">'
                               '<a:extLst><a:ext uri="{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}"/></a:extLst></p:cNvPr>')
    assert not is_decorative(c_nv_pr)
    mark_decorative(c_nv_pr)
    mark_decorative(c_nv_pr)
    assert is_decorative(c_nv_pr) and "descr" not in c_nv_pr.attrib
    exts = c_nv_pr.findall("a:extLst/a:ext", NS)
    assert [e.get("uri") for e in exts] == ["{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}", DECORATIVE_URI]
    assert b'<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>' in \
        etree.tostring(c_nv_pr)


# --- the PDFs ---------------------------------------------------------------------------------------

pikepdf = pytest.importorskip("pikepdf")
NEEDS = [tool for tool in ("soffice",) if shutil.which(tool) is None]


@pytest.fixture(scope="module")
def pdf_kits(tmp_path_factory):
    if NEEDS and os.environ.get("CI", "").lower() != "true":
        pytest.skip("needs LibreOffice (soffice)")
    out = tmp_path_factory.mktemp("a11y-pdf")
    for org in LANG:
        done = subprocess.run([sys.executable, "-m", "kitgen", "build", "--org", org, "--content", str(CONTENT),
                               "--layouts", str(LAYOUTS), "--out", str(out), "--force", "--pdf"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    return out


PDFS = [(org, name) for org in LANG for name in ("deck.pdf", "worksheets.pdf", "facilitator-notes.pdf")
        if not (org == "DEMO-EN" and name == "worksheets.pdf")]  # DEMO-EN's programme has no worksheet


@pytest.mark.parametrize("org,name", PDFS)
def test_every_pdf_is_tagged_titled_and_in_the_kits_language(pdf_kits, org, name):
    path = pdf_kits / org / name
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        tree = root.get("/StructTreeRoot")
        assert tree is not None and tree.get("/K") is not None, f"{name}: no structure tree"
        kids = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
        assert len(kids) >= 1 and all("/S" in kid for kid in kids if isinstance(kid, pikepdf.Dictionary))
        assert bool(root.MarkInfo.Marked) is True, f"{name}: /MarkInfo /Marked is not true"
        assert str(root.Lang) == LANG[org], f"{name}: /Lang is {root.get('/Lang')}"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        title = str(pdf.docinfo.get("/Title", ""))
        assert title.endswith(" – Københavns Kommune" if org == "KK" else " – Demo Company Ltd"), title
        assert "/Outlines" in root, f"{name}: no bookmarks"
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1", f"{name}: not identified as PDF/UA"


def _structure(path) -> list[tuple[str, object]]:
    """(structure type, element) of every element of a PDF's structure tree, in reading order."""
    out = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                out.append((str(node.S), node))
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot.K)
        return [(kind, {key: str(node.get(key)) for key in ("/Alt",) if key in node}) for kind, node in out]


def test_the_word_pdfs_carry_headings_header_cells_and_figure_descriptions(pdf_kits, project):
    from kitgen.plan.assemble import assemble

    plan = assemble(project.content, project.content.orgs["KK"], project.layouts)
    sheets = _structure(pdf_kits / "KK" / "worksheets.pdf")
    kinds = [kind for kind, _ in sheets]
    assert kinds.count("/H1") >= len(plan.worksheets), "every worksheet's title is a heading"
    assert "/Table" in kinds and "/TH" in kinds, "tables with header cells"
    figures = [attrs for kind, attrs in sheets if kind == "/Figure"]
    assert figures and all(attrs.get("/Alt", "").strip() for attrs in figures), figures
    notes = [kind for kind, _ in _structure(pdf_kits / "KK" / "facilitator-notes.pdf")]
    assert "/H1" in notes and "/TH" in notes, "the run-sheet's header row"


def test_the_deck_handouts_structure_holds_the_speaker_notes_as_paragraphs(pdf_kits):
    with pikepdf.open(pdf_kits / "KK" / "deck.pdf") as pdf:
        kinds: dict[str, int] = {}

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    kinds[str(node.S)] = kinds.get(str(node.S), 0) + 1
                if "/K" in node:
                    walk(node.K)

        walk(pdf.Root.StructTreeRoot.K)
        assert kinds.get("/P", 0) >= len(pdf.pages), kinds


def test_set_language_rewrites_the_catalogs_lang_in_place():
    from kitgen.build.pdf import set_language

    raw = b"%PDF-1.6\n1 0 obj\n<</Type/Catalog/Lang(en-US)/Pages 2 0 R>>\nendobj\n"
    assert set_language(raw, "da-DK") == raw.replace(b"en-US", b"da-DK")
    shorter = set_language(raw, "da")
    assert len(shorter) == len(raw) and b"/Lang(da)   /Pages" in shorter
    assert set_language(raw, "de-CH-1996") == raw and set_language(raw, None) == raw


@pytest.mark.parametrize("org", list(DECKS))
def test_every_slide_number_reaches_4_5_to_1(decks, org):
    from kitgen.render.deck_a11y import number_colour
    from kitgen.templates.background import contrast_ratio

    plan, data = decks[org]
    numbers = 0
    for number, slide in enumerate(_slides(data), 1):
        for shape in slide.shapes:
            if shape.is_placeholder and shape.placeholder_format.type.name == "SLIDE_NUMBER" or shape.name == "Slide Number":
                numbers += 1
                text, background = number_colour(slide, shape)
                assert contrast_ratio(text, background) >= 4.5, f"{org} slide {number}: #{text} on #{background}"
    assert numbers >= len(plan.slides) - 2, "every slide but the cover and the closing card has its number"


def test_a_grey_number_is_darkened_on_white_and_lightened_on_dark_blue():
    from kitgen.render.deck_a11y import legible
    from kitgen.templates.background import contrast_ratio

    assert legible("404040", "FFFFFF") == "404040", "what reaches 4.5:1 stays"
    dark = legible("898989", "FFFFFF")
    light = legible("898989", "005E8C")
    assert contrast_ratio(dark, "FFFFFF") >= 4.5 and int(dark[:2], 16) < 0x89
    assert contrast_ratio(light, "005E8C") >= 4.5 and int(light[:2], 16) > 0x89


@pytest.mark.parametrize("org", list(DECKS))
def test_every_text_kitgen_colours_reaches_wcag_contrast(decks, org):
    """Tracker, sources, step numbers, notes under questions, figure labels: 4.5:1, large text 3:1."""
    from kitgen.render.deck_a11y import text_contrasts
    from kitgen.templates.background import contrast_ratio
    from kitgen.validate.a11y import needed_contrast

    plan, data = decks[org]
    coloured = 0
    for number, slide in enumerate(_slides(data), 1):
        for name, text, colour, background, size, bold in text_contrasts(slide):
            coloured += 1
            ratio, needed = contrast_ratio(colour, background), needed_contrast(size, bold)
            assert ratio >= needed, f"{org} slide {number} {name} '{text[:30]}': #{colour} on #{background} " \
                                    f"{ratio:.1f}:1 at {size} pt (needs {needed}:1)"
    assert coloured >= 10


def test_text_contrasts_sees_a_pale_run_on_white(decks):
    from pptx.dml.color import RGBColor

    from kitgen.render.deck_a11y import text_contrasts

    from pptx.oxml.ns import qn

    from kitgen.templates.background import background_colour

    plan, data = decks["KK"]
    # the first slide that is white mid-slide (KK's second slide is now its first divider, on brand blue)
    spot = (4000000, 3000000, 100000, 100000)
    slide = next(s for s in _slides(data)[1:] if s._element.find(f"{qn('p:cSld')}/{qn('p:bg')}") is None
                 and background_colour(s.slide_layout, spot) == "FFFFFF")
    box = slide.shapes.add_textbox(*spot)  # mid-slide, on white
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "svag tekst"
    run.font.color.rgb = RGBColor.from_string("BBBBBB")
    found = [t for t in text_contrasts(slide) if t[1] == "svag tekst"]
    assert found and found[0][2:4] == ("BBBBBB", "FFFFFF")
    from kitgen.templates.background import contrast_ratio
    from kitgen.validate.a11y import needed_contrast

    assert contrast_ratio("BBBBBB", "FFFFFF") < needed_contrast(found[0][4], found[0][5]), "the check above would fail on it"


@pytest.mark.parametrize("org", ["KK", "AMK", "BFA"])
def test_every_field_in_the_worksheets_has_a_title_that_says_what_to_write(project, org):
    """What a11y/control-title and a11y/table-header guard on the plan, on the Word file: every content control
    is titled, and none only "Skriv her"."""
    from kitgen.plan.assemble import assemble
    from kitgen.render.worksheets import render_worksheets

    plan = assemble(project.content, project.content.orgs[org], project.layouts)
    with zipfile.ZipFile(io.BytesIO(render_worksheets(plan))) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    controls = document.iter(f"{w}sdt")
    titles = [(sdt.find(f"{w}sdtPr/{w}alias").get(f"{w}val") if sdt.find(f"{w}sdtPr/{w}alias") is not None else "")
              for sdt in controls]
    generic = {plan.labels.get("write_here", "Skriv her").casefold(), ""}
    assert titles and not [t for t in titles if t.strip().casefold() in generic]


def test_an_unnamed_column_gives_its_fields_a_generic_title_and_the_rule_says_so(project):
    from kitgen.plan.assemble import assemble
    from kitgen.render.worksheets import render_worksheets
    from kitgen.validate.a11y import check_a11y

    plan = assemble(project.content, project.content.orgs["BFA"], project.layouts)
    spec, index, section = next((w, i, s) for w in plan.worksheets for i, s in enumerate(w.worksheet.sections)
                                if s.kind == "table" and s.columns[0] and any(r and not r[-1] for r in s.rows))
    columns = list(section.columns)
    columns[-1] = ""  # the column the participant writes in, unnamed
    spec.worksheet.sections[index] = section.model_copy(update={"columns": columns})
    with zipfile.ZipFile(io.BytesIO(render_worksheets(plan))) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert f'w:alias w:val="{plan.labels["write_here"]}"' in xml, "a field that says only 'write here'"
    assert [f for f in check_a11y(plan) if f.rule == "a11y/table-header" and f"worksheet {spec.number} " in f.message]
