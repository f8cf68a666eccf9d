"""The deck as a consultant presents it: slides, titles, notes, language, numbers, quotes, diagrams, branding."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from kitgen.build.pipeline import build_org
from kitgen.ooxml.wordml import A_PPR_ORDER
from kitgen.plan.slides.sentences import ends_in_abbreviation, sentences
from kitgen.validate.a11y import check_a11y
from kitgen.templates.background import contrast_ratio
from kitgen.validate.deck import INTERNAL_WORDS, check_deck

ROOT = Path(__file__).resolve().parent.parent
ORGS = ("KK", "AMK", "BFA")
COVERS = {"title", "section", "closing"}


@pytest.fixture(scope="module")
def decks(kits, project) -> dict:
    """KK and AMK from the shared kits, BFA built here."""
    result = build_org(project, "BFA", kits, force=True)
    assert result.status == "built", [f.message for f in result.findings if f.severity == "error"]
    return {org: Presentation(str(kits / org / "deck.pptx")) for org in ORGS}


def _texts(slide):
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def _title(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def _kind(slide) -> str:
    """The slide kind as the layout and shapes show it."""
    name = slide.slide_layout.name
    if slide is slide.part.package.presentation_part.presentation.slides[0]:
        return "title"
    if name in ("Section Header", "Afsnit"):
        return "section"
    if name in ("Title Slide", "Forside"):
        return "closing"
    if _title(slide).startswith(("Citat", "Quote")):
        return "quote"
    return "content"


def test_title_slide_names_programme_subtitle_organisation_date_and_logo(decks, project):
    first = decks["KK"].slides[0]
    assert first.slide_layout.name == "Title Slide"
    texts = "\n".join(_texts(first))
    subtitle = str(project.content.programmes["ledertrivsel-workshop-2021-02-24"].subtitle)
    for wanted in ("Workshop om lederes psykiske arbejdsmiljø", subtitle, "Københavns Kommune"):
        assert wanted in texts
    assert "2021" not in texts, "KK has no booking: the seed's workshop date is not KK's (issue 24, D1)"
    logos = [shape for shape in first.shapes if shape.shape_type == 13]
    from kitgen.ooxml.decorative import is_decorative

    assert logos and is_decorative(logos[0]._element.nvPicPr.cNvPr), "the logo is there, decorative: the slide names the org"


def test_agenda_slide_lists_every_block_with_its_clock_times(decks, project):
    agenda = decks["KK"].slides[2]  # after the welcome block's divider (issue 20)
    assert agenda.shapes.title.text == "Program"
    body = [t for t in _texts(agenda) if t != "Program"][0].split("\n")
    programme = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    assert len(body) == len(programme.blocks) == 7
    # clock times as Danish writes them (the content keeps HH:MM)
    assert body[0].startswith("08.30–08.45") and "Velkomst, formål og program" in body[0]
    assert body[3].startswith("10.00–10.15") and "Pause" in body[3]


def test_every_block_opens_with_a_divider_with_clock_time(decks, project):
    programme = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    dividers = [s for s in decks["KK"].slides if s.slide_layout.name == "Section Header"]
    assert len(dividers) == len(programme.blocks)
    for slide, block in zip(dividers, programme.blocks):
        assert block.title in _title(slide)
        danish = f"{block.start}–{block.end}".replace(":", ".")  # 08:30 in the content, 08.30 on a Danish slide
        assert danish in "\n".join(_texts(slide))


@pytest.mark.parametrize("org", ORGS)
def test_every_run_of_slides_and_notes_says_its_language(decks, org):
    for number, slide in enumerate(decks[org].slides, 1):
        for root in (slide._element, slide.notes_slide._element):
            for run in root.iter(qn("a:r"), qn("a:fld")):
                r_pr = run.find(qn("a:rPr"))
                assert r_pr is not None and r_pr.get("lang") == "da-DK", f"{org} slide {number}: {run.findtext(qn('a:t'))!r}"
            for end in root.iter(qn("a:endParaRPr")):
                assert end.get("lang") == "da-DK"


@pytest.mark.parametrize("org", ORGS)
def test_slide_numbers_on_every_slide_but_the_title_and_the_closing(decks, org):
    """The cover and the closing card are the deck's two title-type slides: both unnumbered (review round 2)."""
    slides = list(decks[org].slides)
    assert not slides[0]._element.xpath(".//a:fld[@type='slidenum']")
    assert not slides[-1]._element.xpath(".//a:fld[@type='slidenum']"), f"{org}: the closing slide is numbered"
    for number, slide in enumerate(slides[1:-1], 2):
        assert slide._element.xpath(".//a:fld[@type='slidenum']"), f"{org} slide {number} has no slide-number field"


@pytest.mark.parametrize("org", ORGS)
def test_speaker_notes_are_short_whole_and_on_every_slide(decks, org):
    source = _content_text()
    for number, slide in enumerate(decks[org].slides, 1):
        notes = _notes(slide)
        assert notes.strip(), f"{org} slide {number} has no notes"
        assert len(notes) <= 1500, f"{org} slide {number}: {len(notes)} characters of notes"
        for line in notes.split("\n"):
            line = line.strip().lstrip("–").strip()
            assert not ends_in_abbreviation(line), f"{org} slide {number}: notes line cut: {line[-60:]!r}"
            if line.endswith(("…", "...")):
                assert line in source, f"{org} slide {number}: notes line cut, not the content's own '…': {line[-60:]!r}"
    fillers = [n for n in (_notes(s) for s in decks[org].slides) if "Læs citatet højt" in n or n.strip() == "Pause."]
    assert not fillers


def test_block_notes_come_from_the_content(decks):
    slides = list(decks["KK"].slides)
    start = next(n for n, s in enumerate(slides) if _title(s).endswith("Velkomst, formål og program"))  # its divider
    end = next(n for n, s in enumerate(slides) if n > start and "Overblik over forløbet" in _title(s))
    assert any("Fokus i dag er at sætte spot på lederes psykiske arbejdsmiljø" in _notes(s) for s in slides[start:end])


def test_tool_notes_give_steps_and_timing(decks, project):
    tool = project.content.tools["styrk-din-dialog-med-naermeste-leder"] if "styrk-din-dialog-med-naermeste-leder" in \
        project.content.tools else next(t for t in project.content.tools.values() if t.title.startswith("Prototype 1"))
    slide = next(s for s in decks["KK"].slides if _title(s) in (tool.title, tool.headline))  # a long title's short form
    assert tool.title in _notes(slide)
    if tool.steps:  # the steps in order, numbered ("1. …" or "Trin 1: …")
        notes = _notes(slide)
        assert "1. " in notes or "Trin 1" in notes or "Step 1" in notes, notes[-200:]


@pytest.mark.parametrize("org", ORGS)
def test_quotes_are_curated(decks, org):
    slides = list(decks[org].slides)
    kinds = [_kind(s) for s in slides]
    counted = [k for k in kinds if k not in COVERS]
    assert kinds.count("quote") <= 0.15 * len(counted), f"{org}: {kinds.count('quote')} quote slides of {len(counted)}"
    assert not any(a == b == "quote" for a, b in zip(kinds, kinds[1:])), "never two quote slides in a row"
    blocks = [_title(s) for s in slides if _kind(s) == "quote"]
    assert len(blocks) == len(set(blocks)), "at most one quote slide per block"
    for slide in (s for s in slides if _kind(s) == "quote"):
        body = [t for t in _texts(slide) if t != _title(slide)]
        assert not any(line.strip() in ("–", "- ") for text in body for line in text.split("\n")), "no empty attribution"


def _content_text() -> str:
    return " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in (ROOT / "content").rglob("*.yaml"))


@pytest.mark.parametrize("org", ORGS)
def test_no_paragraph_is_cut_mid_sentence(decks, org):
    source = _content_text()
    for number, slide in enumerate(decks[org].slides, 1):
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:
                text = paragraph.text.strip()
                assert not ends_in_abbreviation(text), f"{org} slide {number}: {text[-50:]!r}"
                if text.endswith("…") and not text.endswith("…«"):
                    assert text in source, f"{org} slide {number}: '…' that is not the content's own: {text[-60:]!r}"


@pytest.mark.parametrize("org", ORGS)
def test_no_internal_wording_in_slides_notes_or_properties(decks, org):
    deck = decks[org]
    for number, slide in enumerate(deck.slides, 1):
        text = "\n".join(_texts(slide)) + "\n" + _notes(slide)
        assert not INTERNAL_WORDS.search(text), f"{org} slide {number}: {INTERNAL_WORDS.search(text).group(0)!r}"
    props = deck.core_properties
    for value in (props.keywords, props.last_modified_by, props.author, props.comments, props.title, props.subject):
        assert not INTERNAL_WORDS.search(value or ""), value


@pytest.mark.parametrize("org", ORGS)
def test_one_title_size_across_the_deck_and_titles_unique(decks, org):
    sizes, titles = set(), []
    for slide in decks[org].slides:
        titles.append(_title(slide).casefold())
        if _kind(slide) in COVERS or slide.shapes.title is None:
            continue
        runs = slide.shapes.title.text_frame.paragraphs[0].runs
        sizes.add(runs[0].font.size.pt if runs and runs[0].font.size else None)
    assert len(sizes) == 1, f"{org}: title sizes {sizes}"
    assert len(titles) == len(set(titles)), f"{org}: {[t for t in titles if titles.count(t) > 1]}"
    bodies = ["\n".join(_texts(s)) for s in decks[org].slides]
    assert len(bodies) == len(set(bodies)), "no two identical slides"


@pytest.mark.parametrize("org", ORGS)
def test_title_is_first_in_reading_order(decks, org):
    for slide in decks[org].slides:
        shapes = list(slide.shapes)
        if slide.shapes.title is not None:
            assert shapes[0].shape_id == slide.shapes.title.shape_id


@pytest.mark.parametrize("org", ORGS)
def test_paragraph_properties_in_schema_order(decks, org):
    order = [qn(tag) for tag in A_PPR_ORDER]
    for slide in decks[org].slides:
        for p_pr in slide._element.iter(qn("a:pPr")):
            seen = [order.index(child.tag) for child in p_pr if child.tag in order]
            assert seen == sorted(seen), [etree.QName(c).localname for c in p_pr]


@pytest.mark.parametrize("org, least", [("KK", 1), ("BFA", 2), ("AMK", 1)])
def test_diagram_slides_hold_a_native_drawing_with_alt_text(decks, org, least):
    groups = [(number, shape) for number, slide in enumerate(decks[org].slides, 1) for shape in _diagrams(slide)]
    assert len(groups) >= least, f"{org}: {len(groups)} diagram slides"
    for number, group in groups:
        assert group._element.nvGrpSpPr.cNvPr.get("descr"), f"{org} slide {number}: a diagram without alt text"
        assert not any(shape.shape_type == 13 for shape in group.shapes), "drawn as shapes, never a picture"


def _diagrams(slide):
    """A slide's drawn figures: its groups, less a key figure's value-and-label unit and the quote mark (decorative)."""
    from kitgen.ooxml.decorative import is_decorative

    return [shape for shape in slide.shapes if shape.shape_type == 6 and not shape.name.startswith("Key figure")
            and not is_decorative(shape._element.nvGrpSpPr.cNvPr)]


def test_kk_prioriteringskort_diagram_follows_its_tool(decks):
    slides = list(decks["KK"].slides)
    number = next(i for i, s in enumerate(slides) if _diagrams(s) and _title(s) == "Prioriteringskortet")
    assert _title(slides[number - 1]).startswith("Prototype 2"), "the map is drawn right after the tool that uses it"
    first = next(i for i, s in enumerate(slides) if _diagrams(s))
    # the first figure is Prototype 1's chevrons, on the slide titled with the tool (a purpose alone is no slide: issue 20)
    assert _title(slides[first]).startswith("Prototype 1")


def test_fonts_are_written_with_their_windows_names(kits):
    with zipfile.ZipFile(kits / "KK" / "deck.pptx") as package:
        theme = etree.fromstring(package.read("ppt/theme/theme1.xml"))
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    assert theme.find(".//a:clrScheme/a:accent1/a:srgbClr", ns).get("val") == "005E8C"
    assert theme.find(".//a:clrScheme/a:accent2/a:srgbClr", ns).get("val") == "E6A000"
    assert theme.find(".//a:majorFont/a:latin", ns).get("typeface") == "Arial", "KK asks for Liberation Sans: Arial on Windows"


def test_default_template_writes_calibri(project):
    prs = Presentation(str(project.layouts.deck_template))
    theme = etree.fromstring(prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    assert theme.find(".//a:minorFont/a:latin", ns).get("typeface") == "Calibri"


def test_danish_sentences_do_not_end_at_abbreviations():
    text = "Det gøres f.eks. ved at tale med bl.a. lederen ift. opgaven. Næste skridt er dvs. planen. Trin 1. Vælg et emne."
    assert sentences(text) == ["Det gøres f.eks. ved at tale med bl.a. lederen ift. opgaven.", "Næste skridt er dvs. planen.",
                               "Trin 1. Vælg et emne."]
    assert ends_in_abbreviation("…internt ved f.eks.") and not ends_in_abbreviation("Det er slut.")


def test_contrast_rule_warns_about_light_text_backgrounds(project):
    from kitgen.plan.assemble import assemble

    org = project.content.orgs["KK"].model_copy(deep=True)
    org.branding = org.branding.model_copy(update={"primary_color": "#FFE680"})  # white title text on pale yellow
    plan = assemble(project.content, org, project.layouts)
    rules = [f for f in check_a11y(plan) if f.rule == "a11y/contrast"]  # the one contrast rule (kitgen.validate.a11y)
    assert rules and "title" in rules[0].message and ":1 is needed" in rules[0].message
    assert contrast_ratio("FFFFFF", "1F4E79") > 4.5 > contrast_ratio("FFFFFF", "FFE680")


@pytest.mark.parametrize("org", ORGS)
def test_shipped_decks_pass_the_contrast_and_wording_rules(project, org):
    from kitgen.validate import check_org

    found, _ = check_org(project.content, project.content.orgs[org], project.layouts, project.settings)
    bad = [f for f in found if f.rule in ("a11y/contrast", "deck/internal-wording", "a11y/slide-title", "deck/cut-sentence")]
    assert not bad, [f.message for f in bad]


def test_internal_wording_in_content_is_a_finding(project):
    from kitgen.plan.assemble import assemble

    plan = assemble(project.content, project.content.orgs["KK"], project.layouts)
    plan.slides[3].notes += "\nTidsplanen er kitgens forslag; seedet angiver ingen klokkeslæt."
    assert [f for f in check_deck(plan) if f.rule == "deck/internal-wording"]
    assert re.search(INTERNAL_WORDS, "Afsender ikke angivet i guiden")


def test_a_new_slide_kind_is_one_module_and_one_entry(project, tmp_path, monkeypatch):
    """A 'summary' kind: a module kitgen.plan.slides.summary and a line in deck.yaml's slides: — nothing else."""
    import shutil
    import sys
    import types

    from kitgen.plan.assemble import assemble
    from kitgen.content.layouts import load_layouts
    from kitgen.plan.kitplan import Paragraph, SlideSpec

    summary = types.ModuleType("kitgen.plan.slides.summary")
    summary.build = lambda deck, block: [SlideSpec("summary", "Sammenfatning", [Paragraph(b.title) for b in deck.programme.blocks
                                                                         if b.kind != "break"], "Saml op.")]
    monkeypatch.setitem(sys.modules, "kitgen.plan.slides.summary", summary)
    layouts = tmp_path / "layouts"
    shutil.copytree(project.layouts.root, layouts)
    deck_yaml = layouts / "deck.yaml"
    text = deck_yaml.read_text(encoding="utf-8")
    deck_yaml.write_text(text.replace("  closing:    {scope: closing", "  summary:      {scope: closing, layout: content}\n"
                                      "  closing:    {scope: closing"), encoding="utf-8")
    plan = assemble(project.content, project.content.orgs["KK"], load_layouts(layouts))
    assert [s.kind for s in plan.slides][-2:] == ["summary", "closing"]
    assert plan.slides[-2].body_size_pt, "fitted on the content layout it names"


def test_contrast_applies_tint_as_office_draws_it():
    """A 75 % tint of black is drawn #898989 by PowerPoint and LibreOffice (tint works on linear
    RGB), which is 3.5:1 on white: the rule must see that grey, not the #404040 of sRGB arithmetic."""
    from lxml import etree

    from kitgen.validate.deck import _colour

    fill = etree.fromstring('<a:solidFill xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                            '<a:schemeClr val="tx1"><a:tint val="75000"/></a:schemeClr></a:solidFill>')
    grey = _colour(fill, {"tx1": "000000"})
    assert grey == "898989"
    assert contrast_ratio(grey, "FFFFFF") < 4.5


def test_closing_slide_never_names_the_client_as_its_contact(project):
    """KK names no facilitators and no contact: the closing slide thanks (issue 21: "Tak for i dag" plus what the
    day leaves; this replaces the old end-card assertion that pinned the look before it) and never says
    'Kontakt' followed by the client's own name; KK has no booking, so no date (issue 24, D1)."""
    from kitgen.plan.assemble import assemble

    plan = assemble(project.content, project.content.orgs["KK"], project.layouts)
    closing = plan.slides[-1]
    assert closing.kind == "closing" and closing.title == "Tak for i dag"
    texts = [p.text for p in closing.body]
    assert texts and not any(t.startswith("Kontakt") and plan.org.name in t for t in texts)
    assert not any("2021" in t for t in texts)


def test_clock_times_in_speaker_notes_are_written_as_the_orgs_language_writes_them(decks):
    """The content keeps HH:MM; a Danish kit's notes say 08.30, as its slides and run-sheet do."""
    notes = decks["KK"].slides[2].notes_slide.notes_text_frame.text
    assert "08.30 til 12.15" in notes and "08:30" not in notes
