"""The figures of the shipped kits, as a participant sees them (issue 21.4): lettering of 18 pt at least,
each model drawn where it is introduced and referred back to later, alternative text that describes the
figure from its data, both axes of a 2×2 titled."""

from __future__ import annotations

import math
import re

import pytest
from pptx import Presentation
from pydantic import TypeAdapter, ValidationError

from conftest import CONTENT, LAYOUTS
from kitgen.build.pipeline import build_org
from kitgen.content.diagrams.schema import Diagram

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
GROUP = 6


@pytest.fixture(scope="module")
def decks(project, kits, tmp_path_factory):
    out = tmp_path_factory.mktemp("bfa")
    result = build_org(project, "BFA", out, force=True)
    assert result.status == "built", result.message
    return {"KK": Presentation(kits / "KK" / "deck.pptx"), "AMK": Presentation(kits / "AMK" / "deck.pptx"),
            "BFA": Presentation(out / "BFA" / "deck.pptx")}


def figures(deck):
    return [(number, shape) for number, slide in enumerate(deck.slides, 1) for shape in slide.shapes
            if shape.shape_type == GROUP and shape.name != "Quotation mark" and not shape.name.startswith("Key figure")]


def texts(group) -> list[str]:
    return [shape.text_frame.text for shape in group.shapes if shape.has_text_frame and shape.text_frame.text.strip()]


@pytest.mark.parametrize("org", ["KK", "AMK", "BFA"])
def test_every_figure_letter_is_18_pt_or_more(decks, org):
    found = figures(decks[org])
    assert found, f"{org} shows no figure"
    for number, group in found:
        for shape in group.shapes:
            if not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    assert run.font.size.pt >= 18, f"{org} slide {number} '{group.name}': '{run.text}' at {run.font.size.pt} pt"


@pytest.mark.parametrize("org", ["KK", "AMK", "BFA"])
def test_alt_text_describes_the_figure_from_its_data(decks, org):
    for number, group in figures(decks[org]):
        descr = group._element.nvGrpSpPr.cNvPr.get("descr") or ""
        assert descr.startswith(f"{group.name}: ") and len(descr) > len(group.name) + 20, (number, descr)
        assert not re.fullmatch(r"(Figur|Figure|Diagram)\b.*", descr)
        for text in texts(group):  # every label a sighted participant reads is in what a screen reader says
            assert " ".join(text.split()) in descr or text.strip().isdigit(), (org, number, text, descr)


def test_iglo_is_drawn_in_the_talk_that_introduces_it_and_referred_back_to_later(decks):
    deck = decks["BFA"]
    titles = [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in deck.slides]
    iglo = [number for number, group in figures(deck) if group.name == "IGLO-modellen"]
    assert len(iglo) == 1, "the model is drawn once"
    talk = next(n for n, t in enumerate(titles, 1) if "Stress og IGLO-modellen" in t)
    exercise = next(n for n, t in enumerate(titles, 1) if "Fjern stenene i skoen – og IGLO-handling" in t)
    assert talk < iglo[0] < exercise, (talk, iglo, exercise)
    tool = next(slide for slide in list(deck.slides)[exercise:] if slide.shapes.title is not None
                and slide.shapes.title.text.startswith("IGLO-modellen – forebyggelse"))
    notes = tool.notes_slide.notes_text_frame.text
    assert "»IGLO-modellen« blev vist under »Oplæg: Stress og IGLO-modellen«" in notes


def test_the_three_prototypes_are_drawn_as_chevrons(decks):
    deck = decks["KK"]
    processes = [group for _, group in figures(deck)
                 if any(shape._element.spPr.find(f"{A}prstGeom") is not None
                        and shape._element.spPr.find(f"{A}prstGeom").get("prst") == "chevron" for shape in group.shapes)]
    steps = [[t for t in texts(group) if t.startswith(("Trin", "A.", "B.", "C."))] for group in processes]
    assert len(processes) == 3 and all(len(s) == 3 for s in steps), steps
    assert steps[0][0].replace("\n", " ") == "Trin 1. Interviewguide"


def test_the_barometer_is_a_scale_from_1_to_10(decks):
    scale = next(group for _, group in figures(decks["BFA"]) if group.name == "Trivselsbarometeret")
    numbers = [t for t in texts(scale) if t.isdigit()]
    assert numbers == [str(n) for n in range(1, 11)]
    lefts = [shape.left for shape in scale.shapes if shape.has_text_frame and shape.text_frame.text.isdigit()]
    assert lefts == sorted(lefts), "1 to 10 from left to right"


def test_a_2x2_has_both_axes_titled(decks):
    matrix = next(group for _, group in figures(decks["KK"]) if group.name == "Prioriteringskortet")
    named = {shape.name: shape.text_frame.text for shape in matrix.shapes if shape.has_text_frame}
    assert named["Lodret akse"] == "Hvor vigtigt er det for jeres psykiske arbejdsmiljø?"
    assert named["Vandret akse"] == "I hvor høj grad lykkes vi med det?"
    with pytest.raises(ValidationError, match="y_label"):
        TypeAdapter(Diagram).validate_python({"kind": "matrix", "rows": ["Høj", "Lav"], "columns": ["Lav", "Høj"],
                                              "x_label": "I hvor høj grad lykkes vi med det?"})


def test_every_shipped_2x2_titles_both_axes(project):
    for tool in project.content.tools.values():
        for diagram in [*tool.figures, tool.diagram]:
            if diagram is not None and diagram.kind == "matrix" and len(diagram.rows) > 1 and len(diagram.columns) > 1:
                assert diagram.x_label and diagram.y_label, tool.id


def test_inward_points_out_from_the_centre_on_amk(decks):
    group = next(group for _, group in figures(decks["AMK"]) if "flere retninger" in group.name)
    centre = next(s for s in group.shapes if s.has_text_frame and s.text_frame.text == "Ledergruppen")
    cx, cy = centre.left + centre.width / 2, centre.top + centre.height / 2
    box = next(s for s in group.shapes if s.has_text_frame and s.text_frame.text == "Led indad")
    arrow = min((s for s in group.shapes if s._element.tag.endswith("cxnSp")),
                key=lambda s: math.dist((s.begin_x, s.begin_y), (box.left + box.width / 2, box.top + box.height / 2)))
    assert math.dist((arrow.end_x, arrow.end_y), (cx, cy)) > math.dist((arrow.begin_x, arrow.begin_y), (cx, cy))


@pytest.mark.parametrize("org", ["KK", "AMK", "BFA"])
def test_every_figure_fills_its_slide(decks, org):
    """A figure uses the room under its title: the full width of the body, or its full height
    (a flat figure such as a process or a scale is as wide as the body, a tall one as high)."""
    deck = decks[org]
    for number, group in figures(deck):
        assert group.width > 0.75 * deck.slide_width or group.height > 0.6 * deck.slide_height, (
            org, number, group.name, group.width / deck.slide_width, group.height / deck.slide_height)


def test_a_figure_too_full_for_its_box_is_a_finding_that_says_what_to_do(project):
    """Labels that cannot reach 18 pt in the body box of the organisation's template are named, with their
    size and what to do; a figure marked dense is held to 16 pt."""
    from kitgen.plan.assemble import assemble
    from kitgen.validate.a11y import figure_text

    content = project.content.model_copy(deep=True)
    tool = content.tools["styrk-din-dialog-med-naermeste-leder"]
    long = ("Hvad er vigtigt for dig for at styrke din ledelsesopgave, passe godt på dig selv, holde fri, sætte grænser, "
            "få sparring på vanskelige dilemmaer og samtidig lykkes med dine mål i det kommende halve til hele år?")
    tool.diagram = tool.diagram.model_copy(update={"center": long})
    found = figure_text(assemble(content, content.orgs["KK"], project.layouts))
    assert len(found) == 1 and found[0].rule == "a11y/figure-text" and found[0].severity == "warning"
    message = found[0].message
    assert "'Interviewguide'" in message and "below 18 pt" in message and "dense: true" in message
    assert found[0].file.endswith("styrk-din-dialog-med-naermeste-leder.yaml") and found[0].field == "diagram"
    assert figure_text(assemble(project.content, project.content.orgs["KK"], project.layouts)) == []
