"""Slide-kind traits: one vocabulary in layouts/deck.yaml (slides:) that layout choice and fitting read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import LAYOUTS
from kitgen.content.layouts import KindTraits, LayoutsError, load_layouts, slide_traits
from PIL import ImageFont

from kitgen.content.fonts import WIDTH_SAMPLE, classes, font_class, font_info
from kitgen.plan.fit import _fit_body
from kitgen.plan.measure import Box
from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.content.layouts import FitSettings


def _layouts_with(tmp_path: Path, slides: str) -> Path:
    root = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, root)
    text = (root / "deck.yaml").read_text(encoding="utf-8")
    start = text.index("\nslides:\n")
    end = text.index("\n\n", start + 1)
    (root / "deck.yaml").write_text(text[:start] + "\nslides:\n" + slides + text[end:], encoding="utf-8")
    return root


def test_every_shipped_kind_has_a_role_from_the_vocabulary():
    traits = load_layouts(LAYOUTS).traits
    assert traits["title"].role == "cover" and traits["section"].role == "divider" and traits["closing"].role == "closing"
    assert traits["content"].splittable and traits["content"].split_unit == "paragraph"
    assert traits["quote"].split_unit == "item" and traits["quote"].centred
    assert traits == slide_traits(), "kitgen's own folder is read the same way"


def test_a_kind_without_a_role_takes_the_traits_of_the_kind_whose_layout_it_uses(tmp_path):
    root = _layouts_with(tmp_path, "  title: {scope: opening, layout: title, role: cover}\n"
                                   "  content: {scope: block, layout: content, role: content, splittable: true}\n"
                                   "  recap: {scope: inline, layout: content}\n")
    traits = load_layouts(root).traits
    assert traits["recap"] == traits["content"] == KindTraits("content", ("title", "body"), True, "paragraph", False)


@pytest.mark.parametrize("entry, message", [
    ("{scope: block, layout: content, role: contents}", "slides.content.role is 'contents'; it must be one of cover,"),
    ("{scope: block, layout: content, role: content, split_unit: word}", "slides.content.split_unit is 'word'; it must be"),
    ("{scope: block, layout: content, role: content, needs: [title, photo]}", "a list of title, body, picture"),
    ("{scope: block, layout: content, role: content, centred: yes please}", "must be true or false"),
    ("{scope: block, layout: content, role: content, splitable: true}", "unknown key 'splitable' in slides.content; did you mean 'splittable'?"),
])
def test_a_wrong_trait_is_an_error_naming_the_kind_key_and_line(tmp_path, entry, message):
    root = _layouts_with(tmp_path, f"  title: {{scope: opening, layout: title, role: cover}}\n  content: {entry}\n")
    with pytest.raises(LayoutsError) as raised:
        load_layouts(root)
    finding = next(f for f in raised.value.findings if message in f.message)
    assert finding.file.endswith("deck.yaml") and finding.line and finding.field.startswith("slides.content")
    if "contents" in entry:
        assert "did you mean 'content'?" in finding.message


def test_fitting_splits_by_the_kinds_traits_not_by_its_name():
    """A new kind named in no code: split by paragraph (six points a slide) because its traits say so."""
    body = [Paragraph(f"Punkt {n}", style="bullet") for n in range(9)]
    slide = SlideSpec("checklist", "Tjekliste", body, "noter")
    box = Box(800, 380)
    pieces = _fit_body(slide, KindTraits("content", splittable=True, split_unit="paragraph"), box, "Liberation Sans",
                       FitSettings(), {"continued": "fortsat"})
    assert sorted(len(p.body) for p in pieces) == [4, 5], "nine points: two balanced slides of at most six"
    whole = _fit_body(slide, KindTraits("content", splittable=False), box, "Liberation Sans", FitSettings(),
                      {"continued": "fortsat"})
    assert len(whole) == 1


def test_a_font_without_a_twin_is_measured_with_the_widest_font_of_its_class_kitgen_ships():
    assert font_class("Trebuchet MS") == "sans" and font_class("Garamond") == "serif" and font_class("Consolas") == "mono"
    assert font_class("Source Serif Pro") == "serif" and font_class("PT Sans") == "sans"
    info = font_info("Myriad Pro")
    if info.found:
        pytest.skip("Myriad Pro is installed here")
    widths = {}
    for name in classes()["sans"]:
        found = font_info(name)
        if found.found and found.measure_family == name:
            widths[name] = ImageFont.truetype(found.measure_file, 100).getlength(WIDTH_SAMPLE)
    assert info.measure_family == max(widths, key=widths.get), (info, widths)
    assert font_info("Garamond").measure_family in classes()["serif"]


def test_the_renderer_reads_the_same_traits_as_layout_choice_and_fitting(tmp_path):
    """One reader of deck.yaml's traits: a kind that leaves a trait out has the same traits in the renderer's
    kinds (kitgen.plan.slides.kinds) as in layout choice and fitting (load_layouts), here not centred."""
    from kitgen.plan.slides.kinds import kinds_for, trait

    root = _layouts_with(tmp_path, "  title: {scope: opening, layout: title, role: cover}\n"
                                   "  quote: {scope: block, layout: quote, role: quote, splittable: true}\n"
                                   "  content: {scope: block, layout: content, role: content, splittable: true}\n"
                                   "  recap: {scope: inline, layout: content}\n")
    traits = load_layouts(root).traits
    kinds = kinds_for(root)
    for name, kind in kinds.items():
        assert KindTraits(kind.role, kind.needs, kind.splittable, kind.split_unit, kind.centred) == traits[name], name
    assert trait("quote", "centred", kinds) is False and trait("recap", "splittable", kinds) is True
