"""kitgen/render/deck_ink.py: what a divider's agenda tracker and a text line look like on any template."""

from __future__ import annotations

from kitgen.content.layouts import FitSettings
from kitgen.ooxml.geometry import Rect
from kitgen.render.deck_ink import TRACKER_SPACE, TRACKER_SPACE_TIGHT, _tracker_fit


def test_a_long_day_sets_the_tracker_closer_never_smaller():
    """BFA's eight parts fell to the least body size (18 pt beside 22 pt lists: a third running-text size on the
    divider). The parts move closer together first; a day that does not fit even so gets no tracker."""
    parts = [f"{n}. Redskab {n} – samtalen om trivsel" for n in range(1, 9)]
    dense = FitSettings().dense_size_pt
    assert _tracker_fit(parts, Rect(0, 0, 3_600_000, 5_600_000), None) == (dense, TRACKER_SPACE)
    tight = _tracker_fit(parts, Rect(0, 0, 3_600_000, 5_000_000), None)
    assert tight == (dense, TRACKER_SPACE_TIGHT), tight
    assert _tracker_fit(parts, Rect(0, 0, 3_600_000, 2_000_000), None) is None


def _line_slide(width_pt: float, text: str):
    from pptx import Presentation
    from pptx.util import Pt

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Pt(20), Pt(20), Pt(width_pt), Pt(80))
    box.text_frame.word_wrap = True
    run = box.text_frame.paragraphs[0].add_run()
    run.text, run.font.size, run.font.bold = text, Pt(18), True
    return slide, box


def _lines(box) -> list[str]:
    from pptx.oxml.ns import qn

    lines = [""]
    for child in box.text_frame.paragraphs[0]._p:
        if child.tag == qn("a:r"):
            lines[-1] += child.find(qn("a:t")).text
        elif child.tag == qn("a:br"):
            lines.append("")
    return lines


def test_a_line_of_parts_breaks_between_whole_parts_never_after_a_dot():
    """Midnightblue's divider box wrapped '08.30–08.45 ·' / '15 min.' on every divider (review r5 decks-b B1),
    Vivid's key figure labels began a line with '·' (C7): the line breaks between whole parts, the dot left out."""
    from types import SimpleNamespace

    from kitgen.render.deck_ink import whole_parts

    plan = SimpleNamespace(branding=SimpleNamespace(fit=None, body_font="Liberation Sans"))
    spec = SimpleNamespace(body_size_pt=None)
    slide, box = _line_slide(175, "09.30–10.00 · 30\u00a0min. · Oplæg")
    whole_parts(slide, spec, plan)
    assert _lines(box) == ["09.30–10.00", "30\u00a0min.", "Oplæg"], _lines(box)  # a part a line: none runs into the next
    assert all(run.font.bold and run.font.size.pt == 18 for run in box.text_frame.paragraphs[0].runs)
    slide, box = _line_slide(110, "Med hjem: Prototype 1 · Prototype 2 · Prototype 3")
    whole_parts(slide, spec, plan)
    assert not any(line.strip().startswith("·") or line.strip().endswith("·") for line in _lines(box)), _lines(box)
    slide, box = _line_slide(400, "08.30–08.45 · 15\u00a0min.")
    whole_parts(slide, spec, plan)
    assert _lines(box) == ["08.30–08.45 · 15\u00a0min."], "a line that fits stays one line"


def test_a_field_the_slide_leaves_empty_shows_no_prompt():
    """Corpus D01/D03 (review r5c): the title layout's 'Author', 'Institution' and 'Date' fields, a divider's second
    text field, were left empty and showed the template's prompts in PowerPoint's editing view. They are taken
    off; the title and a picture placeholder (where the logo may go) stay."""
    from pptx import Presentation

    from kitgen.render.deck_ink import no_empty_prompts

    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Picture with Caption")
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = "Tak for i dag"
    kinds = lambda: sorted(str(s.placeholder_format.type).split(" ")[0] for s in slide.placeholders)  # noqa: E731
    assert "BODY" in kinds()[0] or any("BODY" in k for k in kinds()), kinds()
    no_empty_prompts(slide)
    assert not any("BODY" in k for k in kinds()), kinds()
    assert any("PICTURE" in k for k in kinds()) and any("TITLE" in k for k in kinds()), kinds()


def test_large_text_keeps_the_templates_colour_where_it_reaches_three_to_one():
    """Corpus D03 (review r5c): the template's white divider text on its orange field (about 3.5:1) was forced to
    near-black. Large text (18 pt, 14 pt bold) needs 3:1, as validation checks it; small text still 4.5:1."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    from kitgen.render.deck_ink import _legible, text_ink
    from kitgen.templates.background import contrast_ratio

    prs = Presentation()
    layout = prs.slide_layouts[2]
    layout.background.fill.solid()
    layout.background.fill.fore_color.rgb = RGBColor.from_string("E8590C")
    assert 3.0 <= contrast_ratio("FFFFFF", "E8590C") < 4.5
    for size, kept in ((36, True), (12, False)):
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = "2. Overblik"
        run = slide.shapes.title.text_frame.paragraphs[0].runs[0]
        run.font.size, run.font.color.rgb = Pt(size), RGBColor.from_string("FFFFFF")
        _legible(slide.shapes.title, layout)
        assert (text_ink(slide.shapes.title, layout) == "FFFFFF") is kept, (size, text_ink(slide.shapes.title, layout))
