"""A designed deck (issue 21): one type scale, at most six points a slide, and the slide kinds a designer uses."""

from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from kitgen.plan.fit import BODY_ROLES, MAX_BULLETS, text_width_pt
from kitgen.content.layouts import slide_traits

BODY_KINDS = {kind for kind, trait in slide_traits().items() if trait.role in BODY_ROLES}
LIMITED = {kind for kind, trait in slide_traits().items() if trait.splittable and trait.split_unit == "paragraph"}

ORGS = ("KK", "AMK", "BFA", "DEMO-EN")


@pytest.fixture(scope="module")
def plans(project) -> dict:
    from kitgen.validate import check_org

    out = {}
    for org in ORGS:
        _, plan = check_org(project.content, project.content.orgs[org], project.layouts, project.settings)
        out[org] = plan
    return out


@pytest.mark.parametrize("org", ORGS)
def test_body_text_uses_two_sizes_at_most(plans, org):
    sizes = {s.body_size_pt for s in plans[org].slides if s.kind in BODY_KINDS and s.body and s.diagram is None}
    assert 1 <= len(sizes) <= 2, f"{org}: body text at {sorted(sizes)} pt"


@pytest.mark.parametrize("org", ORGS)
def test_at_most_six_points_a_slide(plans, org):
    points = {id(s): [p for p in s.body if p.style not in ("meta", "attribution")] for s in plans[org].slides}  # a card's time box is no point
    full = [(s.title, len(points[id(s)])) for s in plans[org].slides if s.kind in LIMITED and len(points[id(s)]) > MAX_BULLETS]
    assert not full, f"{org}: {full}"


def test_questions_are_large_type_without_bullets_at_most_three_a_slide(plans):
    scale_display = None
    for org, plan in plans.items():
        for slide in (s for s in plan.slides if s.kind == "questions"):
            asked = [p for p in slide.body if p.style == "question"]
            assert 1 <= len(asked) <= 3 and all(p.style != "bullet" for p in slide.body), (org, slide.title)
            assert slide.body_size_pt > max(s.body_size_pt or 0 for s in plan.slides if s.kind == "content"), (org, slide.title)
    del scale_display


def test_quote_slide_has_a_large_mark_italic_quote_and_centred_body(kits):
    from pptx import Presentation

    prs = Presentation(str(kits / "KK" / "deck.pptx"))
    quoted = [slide for slide in prs.slides if any(shape.name == "Quotation mark" for shape in slide.shapes)]
    assert quoted, "KK's quote slides show the large quotation mark"
    for slide in quoted:
        body = next(s for s in slide.placeholders if s.placeholder_format.idx != 0)
        assert body.text_frame._txBody.find("{http://schemas.openxmlformats.org/drawingml/2006/main}bodyPr").get("anchor") == "ctr"
        assert all(r.font.italic for p in body.text_frame.paragraphs[:1] for r in p.runs)


def test_dividers_carry_the_agenda_tracker_with_the_current_part_marked(plans, kits):
    from pptx import Presentation

    plan = plans["KK"]
    dividers = [s for s in plan.slides if s.kind == "section" and s.tracker]
    parts = [b for b in plan.programme.blocks if b.kind != "break"]
    assert len(dividers) == len(parts), "every part's divider has a tracker"
    for number, slide in enumerate(dividers):
        assert [current for _, current in slide.tracker].index(True) == number
    prs = Presentation(str(kits / "KK" / "deck.pptx"))
    drawn = [s for s in prs.slides if any(shape.name == "Agenda tracker" for shape in s.shapes)]
    assert len(drawn) == len(parts)
    assert all(s.slide_layout.background.fill.type is not None for s in drawn), "full-colour dividers"


def test_closing_slide_names_what_the_day_leaves_and_the_contact_when_given(project):
    from kitgen.plan.assemble import assemble

    from kitgen.content.model import Contact

    org = project.content.orgs["KK"].model_copy(update={"contact": Contact(name="Anna Holm", email="anna@example.dk"),
                                                          "materials_url": "https://example.dk/materiale"})
    closing = assemble(project.content, org, project.layouts).slides[-1]
    texts = [p.text for p in closing.body]
    assert closing.title == "Tak for i dag"
    assert "Kontakt: Anna Holm · anna@example.dk" in texts and "Materialet: https://example.dk/materiale" in texts
    bare = assemble(project.content, project.content.orgs["KK"], project.layouts).slides[-1]
    assert not any(t.startswith(("Kontakt", "Materialet")) for t in (p.text for p in bare.body)), "left off when not given"


def test_agenda_times_never_touch_their_titles_even_in_a_wider_bold_font(kits):
    """Midnightblue (bold body style, DejaVu for the brand font) glued "08.30–08.45Velkomst": the agenda's tab stop
    leaves room for the widest time set bold in a substituted font, and a gap after it."""
    prs = Presentation(str(kits / "KK" / "deck.pptx"))
    agenda = prs.slides[1]
    lines = [p for shape in agenda.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs if "\t" in p.text]
    assert len(lines) >= 5, "the agenda lists the day's blocks as time<tab>title"
    for paragraph in lines:
        stops = paragraph._p.findall(".//" + qn("a:tab"))
        assert stops, f"{paragraph.text!r} has no tab stop of its own"
        size = paragraph.runs[0].font.size.pt
        time = paragraph.text.split("\t")[0]
        room = Emu(int(stops[0].get("pos"))).pt - text_width_pt(time, "DejaVu Sans", size, bold=True)
        assert room >= 8, f"{time!r} at {size} pt leaves {room:.0f} pt before its title"
