"""The slide kinds a designer uses (issue 21 point 2) and each item once (issue 20 point 2), read from the plans and
decks a presenter gets: the traits in layouts/deck.yaml, the statement slide where the content gives key figures, no
divider followed by a slide of the same title, no tool step asked again as a question, continuation notes that go on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import LAYOUTS
from kitgen.plan.slides import continued_notes
from kitgen.plan.slides.kinds import kinds_for
from kitgen.content.layouts import ROLES
from kitgen.plan.slides.kinds import DEFAULT_KINDS

ORGS = ("KK", "AMK", "BFA", "DEMO-EN")


@pytest.fixture(scope="module")
def plans(project) -> dict:
    from kitgen.validate import check_org

    return {org: check_org(project.content, project.content.orgs[org], project.layouts, project.settings)[1] for org in ORGS}


def test_every_kind_in_deck_yaml_declares_its_traits():
    table = yaml.safe_load((LAYOUTS / "deck.yaml").read_text(encoding="utf-8"))["slides"]
    for name, entry in table.items():
        assert entry["role"] in ROLES, name
        assert set(entry["needs"]) <= {"title", "body", "picture"} and "title" in entry["needs"], name
        assert isinstance(entry["splittable"], bool) and isinstance(entry["centred"], bool), name
        if entry["splittable"]:
            assert entry["split_unit"] in ("paragraph", "item"), name
    kinds = kinds_for(LAYOUTS)
    assert kinds["statement"].role == "statement" and kinds["questions"].centred and not kinds["content"].centred
    assert set(DEFAULT_KINDS) == set(table), "the defaults for an older layouts folder know every kind"


def test_a_kind_reads_its_traits_from_the_layouts_folder(tmp_path):
    (tmp_path / "deck.yaml").write_text("slides:\n  content: {scope: block, layout: content, role: statement, centred: true}\n"
                                        "  odd: {scope: block, role: nonsense}\n", encoding="utf-8")
    kinds = kinds_for(tmp_path)
    assert kinds["content"].role == "statement" and kinds["content"].centred  # the traits the file gives (main: others default)
    assert kinds["odd"].role == "content", "an unknown role falls back, load_layouts reports the file"


@pytest.mark.parametrize("org, headline, values", [
    ("KK", "Fokusgrupperne vurderer alle tre prototyper højt", ["4,2", "4,4", "3,9"]),
    ("AMK", "Høj tillid betyder mindre stress", ["74 %", "40 %", "50 %", "13 %"]),
    ("DEMO-EN", "High trust means less stress", ["74%", "40%", "50%", "13%"]),
])
def test_key_figures_get_a_statement_slide_and_leave_the_bullets(plans, org, headline, values):
    plan = plans[org]
    statements = [s for s in plan.slides if s.kind == "statement" and any(p.style == "figure" for p in s.body)]
    assert [s.title for s in statements] == [headline]
    assert [p.text.split("\t")[0] for p in statements[0].body if p.style == "figure"] == values
    for slide in plan.slides:
        if slide.kind in ("content", "recap"):
            for paragraph in slide.body:
                assert not all(v in paragraph.text for v in values[:2]), f"{org}: the figures are a bullet again: {paragraph.text!r}"


def test_the_statement_slide_draws_its_figures_large(kits):
    from pptx import Presentation

    prs = Presentation(str(kits / "KK" / "deck.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text.startswith("Fokusgrupperne"))
    units = [shape for shape in slide.shapes if re.fullmatch(r"Key figure \d", shape.name)]  # a group: value and label
    figures = [next(s for s in unit.shapes if s.name == "Value") for unit in units]
    assert [f.text_frame.text for f in figures] == ["4,2", "4,4", "3,9"]
    assert all(r.font.size.pt >= 60 and r.font.bold for f in figures for r in f.text_frame.paragraphs[0].runs)
    labels = [shape.text_frame.text for unit in units for shape in unit.shapes if shape.name == "Label"]
    assert labels[0].startswith("Prototype 1")
    from pptx.enum.shapes import PP_PLACEHOLDER

    assert not [s for s in slide.placeholders if s.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)], \
        "no body box left under the figures"


def test_a_block_without_key_figures_gets_no_statement_slide(plans, project):
    """BFA's one statement slide is its welcome block's ``statement:`` (the guide's two figures, with the guide as source)."""
    blocks = project.content.programmes[plans["BFA"].programme.id].blocks
    given = [str(b.statement.headline) for b in blocks if getattr(b, "statement", None) is not None]
    assert [s.title for s in plans["BFA"].slides if s.kind == "statement"] == given == ["Stress er udbredt"], \
        "never a default statement"
    [slide] = [s for s in plans["BFA"].slides if s.kind == "statement"]
    assert [p.text for p in slide.body if p.style == "meta"] == [
        "Kilde: BFA Industri, guide om stressforebyggelse og -håndtering i industrien"]


@pytest.mark.parametrize("org", ORGS)
def test_no_divider_is_followed_by_a_slide_of_its_own_title(plans, org):
    slides = plans[org].slides
    for number, (divider, after) in enumerate(zip(slides, slides[1:]), 1):
        if divider.kind == "section":
            own = re.sub(r"^\d+\. ", "", divider.title).casefold()
            assert re.sub(r" \((?:fortsat|continued) \d+/\d+\)$", "", after.title).casefold() != own, \
                f"{org} slide {number + 1} repeats its divider's title {divider.title!r}"


def test_questions_a_tools_steps_already_ask_stay_off_the_slides(plans):
    """BFA's Belastningskurven: step 1 "Tegn din/jeres kurve …" is not asked again as "Hvordan vil du/I tegne …"."""
    asked = [p.text for s in plans["BFA"].slides if s.kind in ("questions", "recap") for p in s.body if p.style == "question"]
    assert asked, "BFA still asks its own questions"
    assert not any("tegne din/jeres kurve" in q for q in asked)
    assert not any("forklarer du/I udsvingene" in q for q in asked)
    points = [p.text for s in plans["BFA"].slides if s.kind == "content" for p in s.body]
    assert not any(p.startswith("Tegn din kurve") for p in points), "a point that the card's steps say goes"


def test_group_work_is_the_first_dialogue_not_a_recap_and_keeps_its_large_type(plans):
    """Review r5: KK's group dialogues are presented on slide 4 and worked on in the workshop — the first time the
    groups work on them, so "Gruppedialog 1 – …", not "Tilbage til …"; the help questions one a paragraph (role
    ``help``); each slide's notes its own part, the block's running order adding up to its 75 minutes."""
    slides = plans["KK"].slides
    assert not [s.title for s in slides if s.title.startswith("Tilbage til ")]
    worked = [s for s in slides if any(p.style == "help" for p in s.body)]
    assert [s.title for s in worked] == ["Gruppedialog 1 – de tre tiltag", "Gruppedialog 2 – den bredere, strukturelle dialog"]
    assert all(s.kind == "questions" for s in worked), "still a question slide"
    assert [len([p for p in s.body if p.style == "help"]) for s in worked] == [3, 3]
    assert "Forløb: Introduktion (10 min.) · Gruppedialog 1 – de tre tiltag (25 min.) · Gruppedialog 2" in worked[0].notes
    assert "Gruppedialog 2" not in worked[0].notes.split("Forløb:")[1].split("\n", 1)[-1]
    assert "Opsamling i plenum" in worked[1].notes and "Gruppedialog 2 – den bredere" in worked[1].notes
    assert not any("75 min" in p.text for p in worked[0].body)
    assert all("(igen)" not in s.title for plan in plans.values() for s in plan.slides)


@pytest.mark.parametrize("first_marked", (False, True))
def test_continuation_slides_split_the_notes_with_their_points(plans, first_marked):
    """Review r5 (BFA 9, KK 24): a continuation is known by its title's mark, not by equal notes, and its notes speak
    to its own points — the first piece's note lines split with the points, a piece no line speaks to told where it
    goes on from, the block's transition on the last piece; a slide that only shares notes is no continuation."""
    from kitgen.plan.kitplan import Paragraph, SlideSpec

    labels = plans["AMK"].labels
    notes = "\n".join(["– Mellemlederne er overraskende pressede og føler sig alene.",
                       "– De begrunder det med manglende tid, dårlig mødestyring og chefens tilstedeværelse.",
                       "Kl. 13.30 går vi videre til »Forskningen«."])
    first = "Lederne står alene (fortsat 1/3)" if first_marked else "Lederne står alene"
    pieces = [SlideSpec("content", first, [Paragraph("Mellemlederne er pressede og alene")], notes, block_index=2),
              SlideSpec("content", "Lederne står alene (fortsat 2/3)", [Paragraph("Begrundelse: tid, mødestyring, chefen")],
                        notes, block_index=2),
              SlideSpec("content", "Lederne står alene (fortsat 3/3)", [Paragraph("Konklusion: start i ledergruppen")],
                        notes, block_index=2),
              SlideSpec("content", "Et andet emne", [Paragraph("Noget andet")], notes, block_index=3)]
    out = continued_notes(pieces, labels)
    assert out[0] == "– Mellemlederne er overraskende pressede og føler sig alene."
    assert out[1] == "– De begrunder det med manglende tid, dårlig mødestyring og chefens tilstedeværelse."
    assert out[2].split("\n") == ["Fortsæt med »Konklusion: start i ledergruppen« og resten af sliden.",
                                  "Kl. 13.30 går vi videre til »Forskningen«."]
    assert out[3] == notes, "equal notes alone make no continuation"


def test_closing_names_where_the_material_is_when_the_profile_gives_it(plans):
    closing = plans["AMK"].slides[-1]
    assert "Materialet: https://www.amk.kk.dk/ps" in [p.text for p in closing.body]
    assert not any(t in p.text for p in closing.body for t in ("og 4 flere", "and 4 more"))


def test_a_client_templates_sizes_are_clamped_to_the_scale():
    from kitgen.content.layouts import FitSettings, clamp_to_scale

    scale = FitSettings(body_size_pt=24, dense_size_pt=20, min_body_size_pt=18, quote_size_pt=28, display_size_pt=32,
                        title_size_pt=30, min_title_size_pt=22)
    client = FitSettings(body_size_pt=15, dense_size_pt=12, min_body_size_pt=10, quote_size_pt=15, display_size_pt=15,
                         title_size_pt=44, min_title_size_pt=22)
    fit = clamp_to_scale(client, scale)
    assert (fit.body_size_pt, fit.dense_size_pt, fit.quote_size_pt, fit.title_size_pt) == (18, 18, 18, 30)
    assert fit.display_size_pt == 18 and fit.min_body_size_pt == 10, "a box too small for 18 pt may still shrink text"
    big = clamp_to_scale(FitSettings(body_size_pt=40, dense_size_pt=36, min_body_size_pt=30, title_size_pt=60), scale)
    assert (big.body_size_pt, big.dense_size_pt, big.min_body_size_pt, big.title_size_pt) == (24, 20, 18, 30)


def test_lists_keep_a_bullet_the_template_draws_only_in_its_master_placeholder(tmp_path):
    """LibreOffice's converted templates put the bullet in the master body placeholder's paragraph, not its text styles."""
    from lxml import etree
    from pptx import Presentation
    from pptx.oxml.ns import qn

    from kitgen.render.deck_body import _template_list, template_bullet

    prs = Presentation()
    layout = prs.slide_layouts[1]
    assert template_bullet(layout) is None, "python-pptx's default template has its bullet in the text styles"
    master = layout.slide_master
    level = master._element.find(f"{qn('p:txStyles')}/{qn('p:bodyStyle')}/{qn('a:lvl1pPr')}")
    for tag in ("a:buChar", "a:buFont"):
        for found in level.findall(qn(tag)):
            level.remove(found)
    body = next(s for s in master.placeholders if s.placeholder_format.idx == 1)
    p_pr = body.text_frame.paragraphs[0]._p.get_or_add_pPr()
    p_pr.set("marL", "432000")
    p_pr.set("indent", "-324000")
    etree.SubElement(p_pr, qn("a:buFont"), typeface="Wingdings")
    etree.SubElement(p_pr, qn("a:buChar"), char="\uf0a7")
    model = template_bullet(layout)
    assert model is not None
    slide = prs.slides.add_slide(layout)
    paragraph = slide.placeholders[1].text_frame.paragraphs[0]
    paragraph.text = "Et punkt"
    _template_list(paragraph, model)
    got = paragraph._p.find(qn("a:pPr"))
    assert got.get("marL") == "432000" and got.find(qn("a:buChar")).get("char") == "\uf0a7"


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


@pytest.mark.parametrize("org", ORGS)
def test_a_tool_whose_chevrons_follow_does_not_list_its_steps_too(plans, org):
    """KK Prototype 1/2/3: the chevron slide "i tre trin" right after the card shows the steps, so the card keeps
    its time box and purpose and lists no step; a tool without such a figure still lists them."""
    slides = plans[org].slides
    checked = 0
    for slide, after in zip(slides, slides[1:]):
        if slide.kind not in ("tool", "statement") or after.kind != "diagram" or getattr(after.diagram, "kind", "") != "process":
            continue
        chevrons = {_norm(str(step)) for step in after.diagram.steps}
        listed = [p.text for p in slide.body if p.style in ("step", "bullet")]
        if len(after.diagram.steps) == len(listed) or not listed:
            checked += 1
            assert listed == [], f"{org} {slide.title!r} lists its steps and the next slide draws them: {listed}"
            assert not any(_norm(p.text) in chevrons for p in slide.body), f"{org} {slide.title!r}"
    if org == "KK":  # a purpose alone is not a slide: the chevrons carry the tool's title, its purpose opens their notes
        assert not [s.title for s in slides if s.kind in ("tool", "statement") and s.title.startswith("Prototype")]
        merged = [s for s in slides if s.kind == "diagram" and s.title.startswith("Prototype ")]
        assert [s.title for s in merged] == ["Prototype 1: Styrk din dialog med nærmeste leder",
                                             "Prototype 2: Styrk ledelsesgruppen", "Prototype 3: Styrk jeres organisation"]
        assert all(getattr(s.diagram, "kind", "") == "process" for s in merged)
        assert all(s.notes.split("\n")[1].startswith("Formålet med ") for s in merged), [s.notes for s in merged]


@pytest.mark.parametrize("org", ORGS)
def test_closing_notes_promise_the_material_only_where_the_profile_says_where(plans, project, org):
    """KK and BFA give no materials_url: their closing notes do not tell the presenter to say where the material is."""
    notes = plans[org].slides[-1].notes.casefold()
    url = str(getattr(project.content.orgs[org], "materials_url", None) or "")
    if url:
        assert url.casefold() in notes
    else:
        assert "materiale" not in notes and "material" not in notes, f"{org}: {notes!r}"


@pytest.mark.parametrize("org", ORGS)
def test_an_exercise_card_is_its_steps_and_a_long_purpose_is_said_in_the_notes(plans, org):
    """Review r6a C32 (BFA 12, 14, 17, 22, 24): a card with a two-line title, a label, a three-line purpose and five
    steps is a worksheet on the wall. A card with numbered steps shows its purpose only when it is about one line;
    a longer one opens the notes as 'Formål: …'."""
    from kitgen.plan.slides.tool import PURPOSE_ON_CARD_CHARS

    cards = [s for s in plans[org].slides if s.kind == "tool" and any(p.style == "step" for p in s.body)]
    for card in cards:
        long = [p.text for p in card.body if p.style == "plain" and len(p.text) > PURPOSE_ON_CARD_CHARS]
        assert not long, f"{org} {card.title!r}: {long}"
    if org == "BFA":
        card = next(s for s in cards if s.title == "Trivselsbarometeret")
        assert [p.style for p in card.body] == ["meta", "step", "step", "step", "step"]
        assert "Formål: At få en fornemmelse af trivsel i gruppen" in card.notes
