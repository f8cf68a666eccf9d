"""A designed deck (issue 21): one type scale, at most six points a slide, and the slide kinds a designer uses."""

from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from kitgen.plan.fit import BODY_ROLES, MAX_BULLETS, MAX_DENSE_BULLETS
from kitgen.plan.measure import CARD_INSET_PT, text_width_pt
from kitgen.content.layouts import slide_traits
from kitgen.render.deck_ink import TEXT_CONTRAST, text_ink
from kitgen.templates.background import background_colour, contrast_ratio

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
def test_at_most_six_points_a_slide_seven_at_the_dense_size(plans, org):
    points = {id(s): [p for p in s.body if p.style not in ("meta", "attribution")] for s in plans[org].slides}  # a card's time box is no point
    dense = min(s.body_size_pt for s in plans[org].slides if s.kind in BODY_KINDS and s.body_size_pt)
    full = [(s.title, len(points[id(s)])) for s in plans[org].slides if s.kind in LIMITED and (len(points[id(s)]) >
                                                                                              MAX_DENSE_BULLETS or len(points[id(s)]) > MAX_BULLETS and s.body_size_pt > dense)]
    assert not full, f"{org}: {full}"


def test_a_list_that_fits_at_the_dense_size_is_one_slide_and_a_split_marks_every_piece(project):
    """Brief 2 (AMK 7/8, BFA 8/9): seven points that fit at the dense size are one slide, not 3 + 4 on two half-empty
    ones; a list that must split is titled alike on every piece, the first one too ("(fortsat 1/2)", "(fortsat 2/2)")."""
    from kitgen.plan.fit import fit_slides
    from kitgen.plan.kitplan import Paragraph, SlideSpec

    plan = check_plan(project, "KK")
    seven = SlideSpec("content", "Syv", [Paragraph(f"Punkt {n} om lederne og presset") for n in range(7)], "")
    [one] = fit_slides([seven], plan.branding, plan.branding.fit, [], plan.labels)
    assert len(one.body) == 7 and one.body_size_pt == plan.branding.fit.dense_size_pt
    nine = SlideSpec("content", "Ni", [Paragraph(f"Punkt {n} om lederne og presset") for n in range(9)], "")
    pieces = fit_slides([nine], plan.branding, plan.branding.fit, [], plan.labels)
    assert [s.title for s in pieces] == ["Ni (fortsat 1/2)", "Ni (fortsat 2/2)"]


def check_plan(project, org: str):
    from kitgen.validate import check_org

    return check_org(project.content, project.content.orgs[org], project.layouts, project.settings)[1]


def test_questions_stand_at_the_body_size_on_a_card_below_the_titles(plans, decks):
    """Issue 21.3 (r5: question slides' body at 30 pt, the titles' size): a question is set at the deck's body size,
    without a bullet, on a pale card from the top of the body box; the title leads."""
    for org, plan in plans.items():
        body = {s.body_size_pt for s in plan.slides if s.kind in BODY_KINDS and s.body_size_pt}  # the body and dense sizes
        for slide in (s for s in plan.slides if s.kind == "questions"):
            assert all(p.style != "bullet" for p in slide.body if p.level == 0), (org, slide.title)
            assert slide.body_size_pt <= max(body) and slide.body_size_pt < slide.title_size_pt, (org, slide.title)
        cards = [slide for slide in decks[org].slides if any(shape.name == "Question card" for shape in slide.shapes)]
        assert len(cards) == sum(1 for s in plan.slides if s.kind == "questions"), org
        for slide in cards:
            card = next(shape for shape in slide.shapes if shape.name == "Question card")
            body = next(s for s in slide.placeholders if s.placeholder_format.type not in (1, 3, 13))
            assert card.left == body.left and body.top <= card.top and card.top + card.height <= body.top + body.height
            t_ins = int(body.text_frame._txBody.find(qn("a:bodyPr")).get("tIns"))
            assert t_ins == card.top - body.top + Pt(CARD_INSET_PT), "the question stands inside its card"
            assert list(slide.shapes).index(card) < list(slide.shapes).index(body), "behind the question"


def test_quote_slide_has_a_large_mark_at_its_first_line_and_an_italic_quote(decks):
    quoted = [slide for slide in decks["KK"].slides if any(shape.name == "Quotation mark" for shape in slide.shapes)]
    assert quoted, "KK's quote slides show the large quotation mark"
    for slide in quoted:
        mark = next(shape for shape in slide.shapes if shape.name == "Quotation mark")
        assert mark.shape_type == 6, "the mark is one drawn unit (a group), display type apart from the running text"
        body = next(s for s in slide.placeholders if s.placeholder_format.idx != 0)
        assert body.text_frame._txBody.find(qn("a:bodyPr")).get("anchor") == "t", "no void under the title (AMK 12)"
        first_line = body.top + int(body.text_frame._txBody.find(qn("a:bodyPr")).get("tIns"))
        assert abs(mark.top - first_line) < Pt(12), "the mark stands at the quote's first line"
        assert all(r.font.italic for p in body.text_frame.paragraphs[:1] for r in p.runs)


def test_a_definition_with_its_source_is_set_as_a_quote(plans, decks):
    """Brief 5 (AMK 6 vs 12): Edmondson's definition has the quote slide's large mark, italic words and styled source."""
    number = next(n for n, s in enumerate(plans["AMK"].slides) if s.kind == "definition")
    slide = decks["AMK"].slides[number]
    assert any(shape.name == "Quotation mark" for shape in slide.shapes)
    body = next(s for s in slide.placeholders if s.placeholder_format.idx != 0)
    words, source = body.text_frame.paragraphs[0], body.text_frame.paragraphs[-1]
    assert all(r.font.italic for r in words.runs) and source.text.startswith("–") and not source.runs[0].font.italic


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
    assert len(drawn) == len(parts), "every divider, the first too (r6a C39)"
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
    agenda = prs.slides[2]  # after the welcome block's divider (issue 20)
    lines = [p for shape in agenda.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs if "\t" in p.text]
    assert len(lines) >= 5, "the agenda lists the day's blocks as time<tab>title"
    for paragraph in lines:
        stops = paragraph._p.findall(".//" + qn("a:tab"))
        assert stops, f"{paragraph.text!r} has no tab stop of its own"
        size = paragraph.runs[0].font.size.pt
        time = paragraph.text.split("\t")[0]
        room = Emu(int(stops[0].get("pos"))).pt - text_width_pt(time, "DejaVu Sans", size, bold=True)
        assert room >= 8, f"{time!r} at {size} pt leaves {room:.0f} pt before its title"


def test_text_reads_against_what_lies_behind_it_on_every_slide(kits):
    """MB's cover and closing printed the template's black subtitle on its navy band (1.9:1): a title or body whose
    template colour does not reach 4.5:1 against the background behind its box is set white or near-black."""
    for org in ("KK", "AMK"):
        prs = Presentation(str(kits / org / "deck.pptx"))
        for number, slide in enumerate(prs.slides, 1):
            for shape in slide.placeholders:
                if not shape.has_text_frame or not shape.text_frame.text.strip() or shape.placeholder_format.type is None:
                    continue
                if "SLIDE_NUMBER" in str(shape.placeholder_format.type):
                    continue
                behind = str(slide.background.fill.fore_color.rgb) if slide._element.cSld.bg is not None else \
                    background_colour(slide.slide_layout, (shape.left, shape.top, shape.width, shape.height))
                ratio = contrast_ratio(text_ink(shape, slide.slide_layout), behind)
                assert ratio >= TEXT_CONTRAST, f"{org} slide {number} {shape.name!r}: {ratio:.1f}:1 on #{behind}"


def _on_filled_layout(index: int, colour: str):
    """python-pptx's default template with layout ``index`` filled with ``colour`` and one slide on it."""
    from pptx.dml.color import RGBColor

    prs = Presentation()
    layout = prs.slide_layouts[index]
    layout.background.fill.solid()
    layout.background.fill.fore_color.rgb = RGBColor.from_string(colour)
    return prs, layout, prs.slides.add_slide(layout)


def test_a_template_colour_that_does_not_read_on_its_background_gives_way():
    """The class of MB's black-on-navy subtitle: python-pptx's default template (black text) on a layout made navy."""
    from kitgen.render.deck_ink import _legible

    prs, layout, slide = _on_filled_layout(0, "2C3E50")
    slide.shapes.title.text = "Workshop"
    subtitle = slide.placeholders[1]
    subtitle.text = "Midnightblue Kommune"
    assert contrast_ratio(text_ink(subtitle, layout), "2C3E50") < 3, "the template's black reads badly on navy"
    for shape in (slide.shapes.title, subtitle):
        _legible(shape, layout)
        assert contrast_ratio(text_ink(shape, layout), "2C3E50") >= TEXT_CONTRAST, shape.name
    kept = prs.slides.add_slide(prs.slide_layouts[1])  # a white layout: the template's own colour stays
    kept.shapes.title.text = "Program"
    _legible(kept.shapes.title, prs.slide_layouts[1])
    assert kept.shapes.title.text_frame.paragraphs[0].runs[0].font.color.type is None


def test_a_divider_on_a_white_section_layout_is_full_colour_and_reads(kits, plans):
    """AMK's own section layout is white: its dividers looked like empty slides. They are filled with the primary
    colour, the text set to read on it; KK's template has a coloured section design of its own and keeps it."""
    from pptx.enum.dml import MSO_FILL

    for org, filled in (("AMK", True), ("KK", False)):
        prs = Presentation(str(kits / org / "deck.pptx"))
        kinds = [s.kind for s in plans[org].slides]
        assert len(kinds) == len(prs.slides), f"{org}: plan and deck differ"
        dividers = [slide for slide, kind in zip(prs.slides, kinds) if kind == "section"]
        primary = str(plans[org].branding.primary_color).lstrip("#").upper()
        assert len(dividers) >= 5, f"{org}: {len(dividers)} dividers"
        for slide in dividers:
            own = slide._element.cSld.bg is not None and slide.background.fill.type == MSO_FILL.SOLID
            assert own == filled, f"{org}: divider {slide.shapes.title.text!r} background filled={own}"
            if filled:
                assert str(slide.background.fill.fore_color.rgb) == primary
                for shape in [p for p in slide.placeholders if p.has_text_frame and p.text_frame.text.strip()
                              and "SLIDE_NUMBER" not in str(p.placeholder_format.type)]:
                    ratio = contrast_ratio(text_ink(shape, slide.slide_layout), primary)
                    assert ratio >= TEXT_CONTRAST, f"{org} divider {shape.text_frame.text!r}: {ratio:.1f}:1"


def test_a_slide_number_that_does_not_read_on_its_background_gives_way():
    """Vivid's grey number on its blue divider band (about 1:1): the number is set white or near-black there."""
    import copy

    from kitgen.render.deck import _number_body
    from kitgen.render.deck_ink import _legible_number

    prs, layout, slide = _on_filled_layout(1, "1F4E79")
    model = next(p for p in layout.placeholders if "SLIDE_NUMBER" in str(p.placeholder_format.type))
    element = copy.deepcopy(model._element)  # as kitgen copies the layout's sldNum placeholder
    element.remove(element.find(qn("p:txBody")))
    element.append(_number_body("3"))
    slide.shapes._spTree.append(element)
    number = next(p for p in slide.placeholders if p._element is element)
    assert contrast_ratio(text_ink(number, layout), "1F4E79") < 3, "the template's dark number on navy"
    _legible_number(slide, layout, element)
    assert contrast_ratio(text_ink(number, layout), "1F4E79") >= TEXT_CONTRAST


def _running_text_sizes(prs) -> dict[float, list[str]]:
    """Every explicit text size on the deck's slides but titles, slide numbers and drawn units (groups: a figure, a key
    figure's number with its label, the quote's large mark): the running text a participant reads, with where."""
    sizes: dict[float, list[str]] = {}
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.is_placeholder and shape.placeholder_format.type in (1, 3, 13):  # title, centred title, slide number
                continue
            if shape.shape_type == 6 or not shape.has_text_frame:
                continue
            for run in (r for p in shape.text_frame.paragraphs for r in p.runs if r.text.strip() and r.font.size):
                sizes.setdefault(round(run.font.size.pt, 1), []).append(f"slide {number} {shape.name}")
    return sizes


@pytest.fixture(scope="module")
def decks(plans) -> dict:
    """The four decks as rendered (kitgen.render.deck), opened by python-pptx."""
    from io import BytesIO

    from kitgen.render.deck import render_deck

    return {org: Presentation(BytesIO(render_deck(plan))) for org, plan in plans.items()}


@pytest.mark.parametrize("org", ORGS)
def test_running_text_has_two_sizes_at_most_all_below_the_titles(decks, plans, org):
    """Issue 21.3 (r5: KK's running text at 20, 24, 28 and 30 pt besides its key figures' 80 and quote marks' 89.6 pt):
    every text a participant reads but the titles and the drawn display units is at most two sizes, each smaller than
    every title, so the deck reads title > body > dense."""
    sizes = _running_text_sizes(decks[org])
    assert len(sizes) <= 2, {size: where[:3] for size, where in sizes.items()}
    titles = [run.font.size.pt for slide in decks[org].slides for shape in slide.placeholders
              if shape.placeholder_format.type in (1, 3) for p in shape.text_frame.paragraphs for run in p.runs if run.font.size]
    assert max(sizes) < min(titles), (sorted(sizes), sorted(set(titles)))


@pytest.mark.parametrize("org", ORGS)
def test_question_and_quote_blocks_stand_at_the_optical_centre_under_the_title(decks, plans, org):
    """r6a C34/C35 (KK 5/9/12, BFA 18, KK 7/24): a question's card hugs its text and a quote stands at the optical
    centre of the room under the title, not a tall card or a quote in the top third over an empty lower half."""
    from kitgen.render.deck_card import OPTICAL

    for spec, slide in zip(plans[org].slides, decks[org].slides):
        if spec.kind not in ("questions", "quote", "definition"):
            continue
        body = next(s for s in slide.placeholders if s.placeholder_format.type not in (1, 3, 13))
        body_pr = body.text_frame._txBody.find(qn("a:bodyPr"))
        assert body_pr.get("anchor") == "t", (org, spec.title)
        card = next((shape for shape in slide.shapes if shape.name == "Question card"), None)
        if card is not None:
            below = body.top + body.height - card.top - card.height
            assert abs((card.top - body.top) - OPTICAL / (1 - OPTICAL) * below) <= Pt(2), (org, spec.title)
            assert card.height < body.height * 0.9 or len(spec.body) > 4, ("the card hugs its text", org, spec.title)
        else:
            assert int(body_pr.get("tIns")) > Pt(12), ("a quote stands lower than the lists' first line", org, spec.title)


def test_a_short_list_is_spaced_out(kits):
    """Issue 21 (short slides): a list of two to four points uses its box (each point at least half the size below
    the one before, not 4.4 pt: KK 7, 10, 14 and 29 left their lower half empty)."""
    from kitgen.render.deck_body import AIR

    spread = 0
    for slide in Presentation(str(kits / "KK" / "deck.pptx")).slides:
        for shape in slide.placeholders:
            if shape.placeholder_format.type in (1, 3, 13) or not shape.has_text_frame:
                continue
            paragraphs = [p for p in shape.text_frame.paragraphs if p.runs]
            bullets = [p for p in paragraphs if p._p.pPr is None or p._p.pPr.find(qn("a:buNone")) is None]
            if 2 <= len(paragraphs) <= 4 and len(bullets) == len(paragraphs) and all(p.runs[0].font.size for p in paragraphs):
                size = paragraphs[0].runs[0].font.size.pt
                assert all(p.space_before is not None and p.space_before.pt >= size * AIR / 2 for p in paragraphs[1:]), \
                    (shape.text_frame.text[:60], [p.space_before for p in paragraphs])
                spread += 1
    assert spread >= 3, spread


@pytest.mark.parametrize("line, drawn", [('<a:ln w="0"><a:solidFill><a:srgbClr val="808080"/></a:solidFill></a:ln>', False),
                                         ('<a:ln w="19050"><a:solidFill><a:srgbClr val="808080"/></a:solidFill></a:ln>', True)])
def test_a_slide_number_draws_no_hairline_frame_a_meant_frame_stays(line, drawn):
    """Vivid (LibreOffice) gives its number placeholder an unfilled box with a 0-width grey line: on the slide it
    showed as an outlined rectangle inside the blue divider band. The slide's number box draws no line then; a
    line with a width (a frame the template means) is left to show."""
    from pptx.oxml import parse_xml
    from kitgen.render.deck import _no_hairline

    prs = Presentation()
    layout = prs.slide_layouts[1]
    master_number = next(p for p in layout.slide_master.placeholders if "SLIDE_NUMBER" in str(p.placeholder_format.type))
    sp_pr = master_number._element.find(qn("p:spPr"))
    ns_a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    sp_pr.append(parse_xml(f'<a:noFill xmlns:a="{ns_a}"/>'))
    sp_pr.append(parse_xml(line.replace("<a:ln ", f'<a:ln xmlns:a="{ns_a}" ', 1)))
    for own in [p for p in layout.placeholders if "SLIDE_NUMBER" in str(p.placeholder_format.type)]:
        own._element.getparent().remove(own._element)  # the layout inherits the master's box
    element = parse_xml(f'<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:nvSpPr><p:cNvPr id="9" name="n"/>'
                        f'<p:cNvSpPr/><p:nvPr><p:ph type="sldNum" idx="12"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>')
    _no_hairline(element, layout)
    own_line = element.find(f"{qn('p:spPr')}/{qn('a:ln')}")
    assert (own_line is None) == drawn
    if not drawn:
        assert own_line.find(qn("a:noFill")) is not None


def test_a_quote_slide_shows_one_pair_of_quotation_marks(kits):
    """The slide draws its own large mark, so the quote's enclosing »…« go (the seed keeps them): one pair, not two."""
    quoted = 0
    for slide in Presentation(str(kits / "KK" / "deck.pptx")).slides:
        if any(shape.name == "Quotation mark" for shape in slide.shapes):
            body = next(s for s in slide.placeholders if s.placeholder_format.type not in (1, 3, 13) and s.has_text_frame)
            first = body.text_frame.paragraphs[0].text.strip()
            assert first[:1] not in "»«“„\"" and first[-1:] not in "«»”\"", first[:60]
            quoted += 1
    assert quoted >= 2


@pytest.mark.parametrize("text, shown", [("»Citat her.«", "Citat her."), ("“Quote”", "Quote"), ("»A« og »B«", "»A« og »B«"),
                                         ("Uden tegn", "Uden tegn")])
def test_unquoted_strips_only_an_enclosing_pair(text, shown):
    from kitgen.render.deck_body import unquoted

    assert unquoted(text) == shown


def test_key_figures_read_on_a_dark_slide():
    """Corpus D04 (#004F5B on #1D242C) and D06: a key figure in the theme's text 2 on a dark slide is set in an ink
    that reads (4.5:1), its label and source too; on a light slide the title colour stays (a theme colour)."""
    from types import SimpleNamespace

    from pptx.dml.color import RGBColor
    from kitgen.plan.kitplan import Paragraph, SlideSpec
    from kitgen.render.deck_body import _draw_figures

    prs = Presentation()
    layout = prs.slide_layouts[1]
    layout.background.fill.solid()
    layout.background.fill.fore_color.rgb = RGBColor.from_string("1D242C")
    slide = prs.slides.add_slide(layout)
    body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    spec = SlideSpec("statement", "Tal", [Paragraph("4,2\tPrototype 1", style="figure"), Paragraph("74 %\tAndel", style="figure"),
                                          Paragraph("Kilde: måling 2021", style="meta")], "")
    _draw_figures(slide, body, spec, SimpleNamespace(branding=SimpleNamespace(fit=None, body_font="Liberation Sans")))
    units = [s for s in slide.shapes if s.name.startswith("Key figure")]
    assert len(units) == 2 and all(unit.shape_type == 6 for unit in units), "a key figure is one unit: number and label"
    drawn = [shape for unit in units for shape in unit.shapes] + [s for s in slide.shapes if s.name == "Source"]
    assert len(drawn) == 5
    for shape in drawn:
        run = shape.text_frame.paragraphs[0].runs[0]
        assert run.font.color.type is not None and run.font.color.rgb is not None, shape.name
        assert contrast_ratio(str(run.font.color.rgb), "1D242C") >= TEXT_CONTRAST, (shape.name, run.font.color.rgb)


def test_the_agenda_tracker_is_left_out_where_the_day_does_not_fit_its_box():
    """Corpus D10: six wrapped parts ran out of the placed tracker box into the divider's title. The tracker is set
    at the dense size, else the least body size, else not drawn."""
    from kitgen.ooxml.geometry import Rect
    from kitgen.render.deck_ink import _tracker_size

    parts = [f"{n}. Overblik over forløbet og resultaterne – dialog i mindre grupper" for n in range(1, 7)]
    from kitgen.content.layouts import FitSettings

    assert _tracker_size(parts[:4], Rect(0, 0, 3_600_000, 4_800_000), None) == FitSettings().dense_size_pt
    assert _tracker_size(parts, Rect(0, 0, 2_000_000, 1_500_000), None) is None


def test_a_full_colour_dividers_slide_number_reads_on_its_fill(kits):
    """AMK's green dividers (the slide's own fill): the template's #3F403F number stood at about 2:1 on #2E7D32."""
    checked = 0
    for slide in Presentation(str(kits / "AMK" / "deck.pptx")).slides:
        fill = slide._element.find(f"{qn('p:cSld')}/{qn('p:bg')}/{qn('p:bgPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
        number = next((p for p in slide.placeholders if p.placeholder_format.type == 13), None)
        if fill is None or number is None:
            continue
        assert contrast_ratio(text_ink(number, slide.slide_layout), fill.get("val")) >= TEXT_CONTRAST, number.text_frame.text
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("text, shown", [("stressforebyggelse og -håndtering", "stressforebyggelse og\u00a0\u2011håndtering"),
                                         ("PS - Indsatsen", "PS - Indsatsen"), ("08.30 – 08.45", "08.30 – 08.45"),
                                         ("8 %, 11 % og 4 %", "8\u00a0%, 11\u00a0% og 4\u00a0%"), ("30 min. · Oplæg", "30\u00a0min. · Oplæg")])
def test_a_suspended_compounds_hyphen_does_not_break(text, shown):
    """BFA's cover broke "og -" / "håndtering": the hyphen that opens a word is a non-breaking hyphen on the slide;
    a number keeps its unit (Vivid's key-figure source broke "11" / "%")."""
    from kitgen.render.deck_body import suspended

    assert suspended(text) == shown


def test_a_title_box_grown_for_its_size_keeps_its_left_edge_and_width():
    """A title placeholder that inherits its box from the layout has no xfrm of its own: growing it writes all four
    values (D10: setting only top and height drew the title 0 wide at x = 0, and it vanished)."""
    from pptx import Presentation
    from kitgen.content.layouts import FitSettings
    from kitgen.render.deck import _room_for_title

    prs = Presentation("layouts/default/deck.pptx")
    slide = prs.slides.add_slide(prs.slide_layouts.get_by_name("Title and Content"))
    title = slide.shapes.title
    left, width = title.left, title.width  # the layout's, inherited
    slide2 = prs.slides.add_slide(prs.slide_layouts.get_by_name("Title and Content"))
    inherited = slide2.shapes.title
    _room_for_title(inherited, 60, FitSettings())
    assert inherited.left == left and inherited.width == width and inherited.height >= Pt(60)


@pytest.mark.parametrize("label, lines", [
    ("Prototype 1: dialog med nærmeste leder · fremgang 8 %", ["Prototype 1: dialog med nærmeste leder", "fremgang\u00a08\u00a0%"]),
    ("mindre stress", ["mindre stress"])])
def test_a_key_figures_label_is_its_name_then_its_measure_on_a_line_of_its_own(label, lines):
    """r5 KK 15: "nærmeste leder ·" ended a line and "4 %" stood alone on one; now no line starts or ends with "·"."""
    from kitgen.render.deck_body import label_lines

    assert label_lines(label) == lines


def test_a_scales_ramp_runs_evenly_from_pale_to_the_accent_without_a_vivid_band():
    """r5 BFA 24: the barometer's step 7 was a saturated pink between its muted neighbours (lumOff keeps saturation)."""
    import colorsys

    from kitgen.content.diagrams.figure import Shape
    from kitgen.content.diagrams.scale import ScaleDiagram, draw
    from kitgen.content.diagrams.figure import deck
    from kitgen.render.diagrams.palette import Palette

    figure = draw(ScaleDiagram(kind="scale", low=1, high=10, low_label="Lav", high_label="Høj"), 9e6, 3e6, "da", deck())
    palette = Palette.choose({"accent1": "7A1F3D"}, "FFFFFF")
    steps = [palette.rgb(palette.map(item.fill)) for item in figure.items if isinstance(item, Shape) and item.name.startswith("Trin")]
    hls = [colorsys.rgb_to_hls(*(int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))) for c in steps]
    assert all(a[1] >= b[1] for a, b in zip(hls, hls[1:])), "each step darker than the one before"
    saturation = [s for _, _, s in hls]
    assert max(saturation[1:-1]) <= max(saturation[0], saturation[-1]) + 0.05, [round(s, 2) for s in saturation]


def test_a_figures_own_title_stands_as_its_caption_only_where_it_says_more_than_the_slides():
    """r5 KK 16: the time a process takes was only in the notes; a figure titled 'Prototype 1 i tre trin · 2 × 45
    minutter' on a slide titled by its tool shows that title above the drawing; a title the slide's repeats is not shown."""
    from types import SimpleNamespace

    from kitgen.plan.kitplan import SlideSpec
    from kitgen.render.deck_body import figure_caption

    def spec(title, figure):
        return SlideSpec("diagram", title, [], "", diagram=SimpleNamespace(title=figure))

    assert figure_caption(spec("Prototype 1: Styrk din dialog", "Prototype 1 i tre trin · 2 × 45 minutter"), "da") == \
        "Prototype 1 i tre trin · 2 × 45 minutter"
    assert figure_caption(spec("Overblik over trivselsbarometeret", "Trivselsbarometeret"), "da") == ""
    assert figure_caption(spec("Interviewguide", None), "da") == ""


def test_a_short_reference_in_brackets_stays_on_one_line():
    from kitgen.render.deck_body import cited_together

    assert cited_together("Organisationer med høj grad af tillid (Paul Zak, 2017)") == \
        "Organisationer med høj grad af tillid (Paul\u00a0Zak,\u00a02017)"
    assert cited_together("(en meget lang parentes der ikke er en kildehenvisning)") == \
        "(en meget lang parentes der ikke er en kildehenvisning)"


def test_key_figure_labels_end_above_their_source_line_in_a_short_box():
    """tpl's corpus D11 (a Google export's short body box): four-line labels ran down into the source line."""
    from types import SimpleNamespace

    from kitgen.plan.kitplan import Paragraph, SlideSpec
    from kitgen.render.deck_body import _draw_figures

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    body.height = Emu(Pt(230))
    label = "Prototype 1: dialog med nærmeste leder og med én selv · fremgang 8 %"
    spec = SlideSpec("statement", "Tal", [Paragraph(f"4,{n}\t{label}", style="figure") for n in range(3)] +
                     [Paragraph("Fire fokusgruppers vurdering på en skala fra 1 til 5; fremgang fra målingen før til målingen efter",
                                style="meta")], "")
    _draw_figures(slide, body, spec, SimpleNamespace(branding=SimpleNamespace(fit=None, body_font="Liberation Sans")))
    source = next(s for s in slide.shapes if s.name == "Source")
    labels = [shape for unit in slide.shapes if unit.name.startswith("Key figure") for shape in unit.shapes if shape.name == "Label"]
    assert labels and all(shape.top + shape.height <= source.top for shape in labels)
