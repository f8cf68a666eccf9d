"""Text fitting: long lists split across continuation slides, long titles shrink, the rest is a finding."""

from __future__ import annotations

from kitgen.plan.assemble import slide_line
from kitgen.plan.kit import resolve_branding
from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.fit import fit_slides, template_boxes
from kitgen.plan.measure import fits
from kitgen.plan.slides.kinds import kinds_for
from kitgen.core.findings import Finding


def _branding(project):
    return resolve_branding(project.content, project.content.orgs["KK"], project.layouts)


def test_body_text_has_one_size_and_a_dense_one_and_at_most_six_points(project):
    """One type scale (issue 21): a short list and a full one share the body size; a fuller one takes the
    dense size; more than six points go onto balanced continuation slides (this replaces the old test that
    set short lists larger)."""
    scale = project.layouts.fit
    slide = SlideSpec("content", "Kort", [Paragraph("Et punkt"), Paragraph("Et andet punkt")], "noter")
    [out] = fit_slides([slide], _branding(project), scale, [], {"continued": "fortsat"})
    assert out.body_size_pt == scale.body_size_pt and out.overflow is None
    many = SlideSpec("content", "Lang", [Paragraph("Et punkt der fylder en hel linje på denne slide, og lidt til " * 2)] * 5, "n")
    [out] = fit_slides([many], _branding(project), scale, [], {"continued": "fortsat"})
    assert out.body_size_pt in (scale.body_size_pt, scale.dense_size_pt)
    eight = SlideSpec("content", "Otte", [Paragraph(f"Punkt {n}") for n in range(8)], "n")
    out = fit_slides([eight], _branding(project), scale, [], {"continued": "fortsat"})
    assert [len(s.body) for s in out] == [4, 4] and [s.title for s in out] == ["Otte (fortsat 1/2)", "Otte (fortsat 2/2)"]
    assert {s.body_size_pt for s in out} == {scale.body_size_pt}


def test_every_title_that_is_not_a_cover_gets_one_size(project):
    branding, settings = _branding(project), project.layouts.fit
    long_title = "Stressforebyggende ledelse i flere retninger – indad, nedad, fremad, tilbage, opad og udad " * 2
    slides = [SlideSpec("content", "Kort titel", [Paragraph("x")], "n"), SlideSpec("content", long_title, [Paragraph("x")], "n"),
              SlideSpec("section", "1. Velkomst", [Paragraph("08:30–08:45", style="plain")], "n")]
    out = fit_slides(slides, branding, settings, [], {}, kinds_for(project.layouts.root))
    assert out[0].title_size_pt == out[1].title_size_pt < settings.title_size_pt
    assert out[2].title_size_pt == kinds_for(project.layouts.root)["section"].title_pt, "a divider keeps its own size"


def test_a_long_list_is_split_into_continuation_slides(project):
    body = [Paragraph(f"Spørgsmål nummer {n}: Hvordan lykkes vi med at tale ærligt sammen i ledergruppen om presset?")
            for n in range(1, 31)]
    findings: list[Finding] = []
    out = fit_slides([SlideSpec("questions", "Spørgsmål", body, "noter")], _branding(project), project.layouts.fit, findings,
                     {"continued": "fortsat"})
    assert len(out) >= 3
    assert [s.title for s in out] == [f"Spørgsmål (fortsat {n}/{len(out)})" for n in range(1, len(out) + 1)], "every piece marked"
    assert [p.text for s in out for p in s.body] == [p.text for p in body], "nothing lost, order kept"
    assert all(s.notes == "noter" for s in out), "continuation slides keep the notes"
    assert findings == []
    box = template_boxes(str(_branding(project).pptx_template), "Title and Content").body
    for slide in out:
        assert fits(slide.body, box, "Liberation Sans", slide.body_size_pt or 22, project.layouts.fit)


def test_a_long_title_shrinks_and_a_huge_one_is_a_finding(project):
    branding, settings = _branding(project), project.layouts.fit
    long_title = "Stressforebyggende ledelse i flere retninger – indad, nedad, fremad, tilbage, opad og udad i ledergruppen " * 2
    [out] = fit_slides([SlideSpec("content", long_title, [Paragraph("x")], "n")], branding, settings, [], {})
    assert out.title_size_pt is not None and settings.min_title_size_pt <= out.title_size_pt < settings.title_size_pt
    findings: list[Finding] = []
    [out] = fit_slides([SlideSpec("content", "Meget lang titel " * 30, [Paragraph("x")], "n")], branding, settings, findings, {})
    assert out.overflow and [f.rule for f in findings] == ["slides/overflow"]
    assert "too long for its box" in findings[0].message


def test_one_paragraph_too_long_for_any_slide_is_a_finding(project):
    findings: list[Finding] = []
    fit_slides([SlideSpec("quote", "Citat", [Paragraph("ord " * 900, style="quote")], "n")], _branding(project),
               project.layouts.fit, findings, {})
    assert [f.rule for f in findings] == ["slides/overflow"]


def test_slide_line_shows_whole_sentences_and_never_cuts_one():
    assert slide_line("Kort tekst.") == "Kort tekst."
    long = "A. Prioriter: Sæt strategisk spot på ledertrivsel. " + "Afstem hvordan ledertrivsel er afgørende. " * 5
    shown = slide_line(long)
    assert shown.startswith("A. Prioriter: Sæt strategisk spot på ledertrivsel. Afstem") and shown.endswith("afgørende.")
    assert len(shown) <= 140
    assert slide_line("ord " * 80) == ("ord " * 80).strip(), "one long sentence is shown whole (fitting shrinks or splits it)"
    assert slide_line("Det sker internt ved f.eks. at tale med lederen om det. Og så videre.", 60) == \
        "Det sker internt ved f.eks. at tale med lederen om det."


def test_shipped_kits_have_no_overflow(project):
    from kitgen.validate import check_org

    for org in project.content.orgs.values():
        found, plan = check_org(project.content, org, project.layouts, project.settings)
        assert not [f for f in found if f.rule == "slides/overflow"], org.id
        assert all(s.overflow is None for s in plan.slides)


def test_a_client_templates_scale_comes_from_its_master(project):
    from kitgen.plan.fit import type_scale
    from kitgen.templates.inspect import inspect_template

    branding = resolve_branding(project.content, project.content.orgs["AMK"], project.layouts)
    master = inspect_template(branding.pptx_template).masters[0]
    scale = type_scale(branding, project.layouts)
    assert (scale.title_size_pt, scale.body_size_pt) == (master.title_size_pt, master.body_size_pt)
    assert scale.title_size_pt != project.layouts.fit.title_size_pt, "not kitgen's own scale"
    assert type_scale(_branding(project), project.layouts) == project.layouts.fit, "kitgen's template: deck.yaml's scale"


def test_several_quotes_too_tall_for_a_small_box_go_onto_continuation_slides_each_whole():
    """A client template with a small content box: quotes that share a slide are split between
    slides, each quote kept with its attribution, instead of an overflow error."""
    from kitgen.plan.fit import _fit_body
    from kitgen.plan.measure import Box, fits
    from kitgen.content.layouts import FitSettings, slide_traits
    from kitgen.plan.kitplan import Paragraph, SlideSpec

    settings = FitSettings()
    quote = "Lederen skal selv have et godt psykisk arbejdsmiljø ellers påvirker det hele vejen ned i organisationen."
    body = []
    for n in range(3):
        body += [Paragraph(f"»{quote} {n}«", style="quote"), Paragraph(f"– Leder {n}", style="attribution")]
    slide = SlideSpec("quote", "Citater", body, "noter")
    box = Box(500, 170)
    pieces = _fit_body(slide, slide_traits()["quote"], box, "Liberation Sans", settings, {"continued": "fortsat"})
    assert len(pieces) > 1 and all(p.overflow is None for p in pieces)
    for piece in pieces:
        styles = [p.style for p in piece.body]
        assert styles[0] == "quote" and styles[-1] == "attribution"  # no quote parted from its speaker
        assert fits(piece.body, box, "Liberation Sans", piece.body_size_pt, settings)
    assert [p.text for piece in pieces for p in piece.body] == [p.text for p in body]
    assert pieces[1].title == f"Citater (fortsat 2/{len(pieces)})"


def test_a_title_box_drawn_for_a_small_title_takes_the_decks_title_size():
    """D10's template draws its title box 29 pt high for 15 pt titles: every title was set at 14 pt. The box holds one
    line at the deck's title size (the renderer grows it about its middle), so the title is not shrunk below it."""
    from kitgen.content.layouts import FitSettings
    from kitgen.plan.fit import _fit_title
    from kitgen.plan.measure import Box, title_line_pt

    settings = FitSettings(title_size_pt=22, min_title_size_pt=12)
    slide = _fit_title(SlideSpec("content", "Dagens to spørgsmål", [], "n"), Box(881, 29), "Liberation Sans", settings)
    assert slide.title_size_pt == 22 and slide.overflow is None
    assert title_line_pt(22, settings) > 29
