"""Native diagrams: what a user finds in the deck and in the worksheet picture.

Each seed figure is drawn into a slide from the default template, in a wide 16:9 box and
in a narrow one, and the saved file is read back: one named group with alt text, the
labels in reading order, theme colours only, every label fitting its own text area at
the size written (measured again here from the file), Danish/English language tags,
arrows pointing the way the figure means, and the same bytes from two runs.
"""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Inches
from pydantic import TypeAdapter

from kitgen.content.diagrams import KINDS, kind
from kitgen.content.diagrams.schema import Diagram
from kitgen.plan.measure import text_width_pt
from kitgen.render.diagrams import draw, png
from kitgen.render.diagrams.palette import Palette
from kitgen.templates.background import contrast_ratio

FONT = "Liberation Sans"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"

SAMPLES = {
    "levels": {"kind": "levels", "title": "IGLO", "levels": ["Individ", "Gruppe", "Ledelse", "Organisation"]},
    "curve": {"kind": "curve", "title": "Belastningskurven", "y_label": "Belastning", "x_label": "Tid",
              "phases": ["Travl periode", "Overbelastning", "Restitution"],
              "zones": ["Underbelastning", "Optimal belastning", "Overbelastning"]},
    "triangle": {"kind": "triangle", "title": "Trivselstrekanten",
                 "corners": ["Håndterer det selv", "Vender sig mod fællesskabet", "Går til ledelsen"]},
    "matrix": {"kind": "matrix", "title": "Prioriteringskortet", "rows": ["Høj grad", "Lav grad"],
               "columns": ["Lav grad", "Høj grad"], "x_label": "I hvor høj grad lykkes vi med det?",
               "y_label": "Hvor vigtigt er det for os?",
               "cells": [["Felt 1\nFokuser her. Dette er vigtigt, men fungerer mindre godt",
                          "Felt 2\nHold fast. Dette er vigtigt og fungerer godt."],
                         ["Felt 4\nOvervej. Dette er mindre vigtigt og fungerer mindre godt.",
                          "Felt 3\nForstå. Dette er mindre vigtigt, men fungerer godt."]]},
    "cycle": {"kind": "cycle", "title": "Frustrationsspiralen", "spiral": True,
              "steps": ["Kollektiv samarbejde", "Kollektiv problemorientering", "Kollektiv frustrationsophobning",
                        "Kollektiv opgivelse", "Kollektiv stress"]},
    "directions": {"kind": "directions", "title": "Stressforebyggende ledelse i flere retninger", "center": "Lederen",
                   "directions": ["Opad", "Fremad", "Udad", "Nedad", "Tilbage", "Indad"]},
    "process": {"kind": "process", "title": "Prototype 1 i tre trin", "numbered": False,
                "steps": ["Trin 1. Interviewguide", "Trin 2. Lederkontrakt med dig selv", "Trin 3. Dialog med din nærmeste leder"],
                "notes": ["Udfyld interviewguide.", "Lav en lederkontrakt med dig selv.", "Forbered dialog med din leder."]},
    "scale": {"kind": "scale", "title": "Trivselsbarometeret", "low_label": "Lav trivsel", "high_label": "Høj trivsel"},
}
# (shapes in the group, labels in reading order)
EXPECTED = {
    "levels": (4, ["Individ", "Gruppe", "Ledelse", "Organisation"]),
    "curve": (3 * 2 + 2 + 1 + 2 + 3 + 2, ["Belastning", "Tid", "Travl periode", "Overbelastning", "Restitution",
                                          "Underbelastning", "Optimal belastning", "Overbelastning"]),
    "triangle": (4, ["Håndterer det selv", "Vender sig mod fællesskabet", "Går til ledelsen"]),
    "matrix": (2 + 2 + 2 + 4, None),
    "cycle": (5 + 4, SAMPLES["cycle"]["steps"]),
    "directions": (6 + 1 + 6, ["Lederen", *SAMPLES["directions"]["directions"]]),
    "process": (6, [t for pair in zip(SAMPLES["process"]["steps"], SAMPLES["process"]["notes"]) for t in pair]),
    "scale": (10 + 1 + 2, ["Lav trivsel", *[str(n) for n in range(1, 11)], "Høj trivsel"]),
}
BOXES = {"wide": (Inches(0.9), Inches(1.6), Inches(11.5), Inches(5.0)),
         "narrow": (Inches(4.0), Inches(1.2), Inches(5.3), Inches(5.8))}


def diagram(kind: str, **changes):
    return TypeAdapter(Diagram).validate_python({**SAMPLES[kind], **changes})


def slide_with(kind: str, box: str = "wide", language: str = "da", **changes):
    prs = Presentation("layouts/default/deck.pptx")
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts.get_by_name("Title and Content"))  # where a figure goes: a white slide
    group = draw(slide.shapes, diagram(kind, **changes), *BOXES[box], language=language, font=FONT)
    return prs, slide, group


def text_of(shape) -> str:
    return "\n".join(p.text for p in shape.text_frame.paragraphs) if shape.has_text_frame else ""


def test_every_kind_is_one_module_with_its_model_labels_aspect_drawing_and_description():
    assert set(SAMPLES) == set(KINDS)
    for name in KINDS:
        module = kind(name)
        assert module.Model.model_fields["kind"].annotation.__args__ == (name,)
        assert set(module.LABELS) <= set(module.Model.model_fields)
        assert 0.1 < float(getattr(module, "ASPECT")) < 1.5
        assert callable(module.draw) and callable(module.describe)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_one_named_group_with_alt_text_and_labels_in_reading_order(kind):
    _, slide, group = slide_with(kind)
    count, labels = EXPECTED[kind]
    groups = [s for s in slide.shapes if s.shape_type is not None and s.shape_type == 6]  # MSO_SHAPE_TYPE.GROUP
    assert groups == [group]
    assert group.name == SAMPLES[kind]["title"]
    assert len(group.shapes) == count
    descr = group._element.nvGrpSpPr.cNvPr.get("descr")
    assert descr.startswith(SAMPLES[kind]["title"] + ": ")
    if kind == "matrix":
        labels = ["Hvor vigtigt er det for os?", "I hvor høj grad lykkes vi med det?", "Lav grad", "Høj grad",
                  "Høj grad", SAMPLES[kind]["cells"][0][0], SAMPLES[kind]["cells"][0][1],
                  "Lav grad", SAMPLES[kind]["cells"][1][0], SAMPLES[kind]["cells"][1][1]]
    for label in labels:  # the description names every label the figure shows
        assert " ".join(label.split()) in descr or label.isdigit(), label
    shown = sorted(text_of(s) for s in group.shapes if text_of(s))
    assert shown == sorted(labels)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_only_theme_colours_so_a_client_theme_recolours_the_diagram(kind):
    _, _, group = slide_with(kind)
    xml = group._element
    assert not xml.findall(f".//{A}srgbClr") and not xml.findall(f".//{A}sysClr") and not xml.findall(f".//{A}prstClr")
    assert xml.findall(f".//{A}schemeClr")
    assert not xml.findall(f".//{P}style"), "p:style would pull the theme's shadow and light text"


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_text_contrasts_with_what_it_sits_on(kind):
    """Every label's colour, resolved through the slide's theme, reaches 4.5:1 against its shape's fill, or
    against the slide's background where the shape has none (the triangle's centre lies on the triangle)."""
    prs, slide, group = slide_with(kind)
    from kitgen.templates.background import background_colour, theme_colours

    palette = Palette.choose(theme_colours(slide.slide_layout), background_colour(slide.slide_layout, BOXES["wide"]))
    from kitgen.content.diagrams.figure import Colour

    def resolved(element) -> str:
        clr = element.find(f"{A}schemeClr")
        lum_off = clr.find(f"{A}lumOff")
        lum_mod = clr.find(f"{A}lumMod")
        brightness = int(lum_off.get("val")) / 100000 if lum_off is not None else (
            int(lum_mod.get("val")) / 100000 - 1 if lum_mod is not None else 0.0)
        sat_mod = clr.find(f"{A}satMod")  # a scale's muted middle steps
        return palette.rgb(Colour(clr.get("val"), brightness, int(sat_mod.get("val")) / 100000 if sat_mod is not None else 1.0))

    triangle = next((s for s in group.shapes if s._element.spPr.find(f"{A}prstGeom") is not None
                     and s._element.spPr.find(f"{A}prstGeom").get("prst") == "triangle"), None)
    for shape in group.shapes:
        if not text_of(shape):
            continue
        text = resolved(shape._element.find(f".//{A}rPr/{A}solidFill"))
        fill = shape._element.spPr.find(f"{A}solidFill")
        if fill is None and triangle is not None:
            fill = triangle._element.spPr.find(f"{A}solidFill")
        under = resolved(fill) if fill is not None else palette.background
        assert contrast_ratio(text, under) >= 4.5, (text_of(shape), text, under)


def _text_area_pt(shape) -> tuple[float, float]:
    """The shape's text rectangle less its insets, from the file (preset text rectangles of roundRect/ellipse)."""
    w, h = shape.width, shape.height
    geometry = shape._element.spPr.find(f"{A}prstGeom").get("prst")
    if geometry == "roundRect":
        cut = 2 * 0.29289 * shape.adjustments[0] * min(w, h)
        w, h = w - cut, h - cut
    elif geometry == "ellipse":
        w, h = w * math.sqrt(0.5), h * math.sqrt(0.5)
    frame = shape.text_frame
    return ((w - frame.margin_left - frame.margin_right) / 12700, (h - frame.margin_top - frame.margin_bottom) / 12700)


def _lines(text: str, width: float, size: float, bold: bool) -> int:
    lines = 0
    for paragraph in text.split("\n"):
        count, current = 1, 0.0
        for word in paragraph.split():
            word_w = text_width_pt(word, FONT, size, bold)
            assert word_w <= width, f"'{word}' is wider than its shape at {size} pt"
            if current and current + text_width_pt(" ", FONT, size, bold) + word_w > width:
                count, current = count + 1, 0.0
            current += (text_width_pt(" ", FONT, size, bold) if current else 0.0) + word_w
        lines += count
    return lines


VARIANTS = {
    "levels with notes": ("levels", {"notes": ["Den enkelte medarbejders robusthed", "Kollegial støtte og fællesskab",
                                               "Ledelsesmæssig støtte og planlægning", "Kommunikation og involvering"]}),
    "empty matrix": ("matrix", {"rows": ["Tilpasning", "Forandring"], "columns": ["Individuel", "Kollektiv"],
                                "cells": None, "x_label": None, "y_label": None}),
    "closed loop": ("cycle", {"spiral": False}),
}


@pytest.mark.parametrize("box", list(BOXES))
@pytest.mark.parametrize("case", list(SAMPLES) + list(VARIANTS))
def test_every_label_fits_its_own_shape_at_a_readable_size(case, box):
    kind, changes = VARIANTS.get(case, (case, {}))
    _, _, group = slide_with(kind, box, **changes)
    from kitgen.render.diagrams import too_small

    def reported(box):
        return too_small(diagram(kind, **changes), *BOXES[box][2:], language="da", font=FONT)

    for shape in group.shapes:
        text = text_of(shape)
        if not text:
            continue
        frame = shape.text_frame
        assert frame.word_wrap is True and frame._bodyPr.find(f"{A}noAutofit") is not None
        runs = [r for p in frame.paragraphs for r in p.runs]
        size = runs[0].font.size.pt
        assert {r.font.size.pt for r in runs} == {size}
        # a slide's figure box: 18 pt at least; a box a third of the slide may go lower, and then says so
        assert size >= 18 or (box == "narrow" and size >= 9 and text in reported(box)), f"{kind}/{box}: '{text}' at {size} pt"
        width, height = _text_area_pt(shape)
        lines = sum(_lines(p.text, width, size, bool(p.runs[0].font.bold)) for p in frame.paragraphs)
        assert lines * size * 1.2 <= height + 0.01, text


def test_matrix_cells_lead_with_their_heading_line_in_bold():
    _, _, group = slide_with("matrix")
    cell = next(s for s in group.shapes if text_of(s).startswith("Felt 1"))
    assert [p.runs[0].font.bold for p in cell.text_frame.paragraphs] == [True, False]
    assert [p.text for p in cell.text_frame.paragraphs] == ["Felt 1", "Fokuser her. Dette er vigtigt, men fungerer mindre godt"]


def test_labels_too_long_for_the_box_are_reported_not_hidden():
    from kitgen.render.diagrams import too_small

    assert too_small(diagram("triangle"), *BOXES["narrow"][2:], language="da", font=FONT) == []
    long = "Håndterer det selv uden at tale med nogen om det, hverken kolleger, ledere eller familie derhjemme"
    found = too_small(diagram("triangle", corners=[long, "B", "C"]), Inches(3), Inches(2), language="da", font=FONT)
    assert long in found


def test_labels_of_one_role_share_one_size():
    _, _, group = slide_with("directions")
    sizes = {text_of(s): s.text_frame.paragraphs[0].runs[0].font.size.pt for s in group.shapes if text_of(s)}
    assert len({sizes[name] for name in SAMPLES["directions"]["directions"]}) == 1


@pytest.mark.parametrize("language, tag", [("da", "da-DK"), ("en", "en-GB")])
def test_every_run_carries_the_language_of_its_text(language, tag):
    levels = [{"da": "Individ", "en": "Individual"}, {"da": "Gruppe", "en": "Group"},
              {"da": "Ledelse", "en": "Management"}, {"da": "Organisation", "en": "Organisation"}]
    _, _, group = slide_with("levels", language=language, levels=levels)
    runs = group._element.findall(f".//{A}r/{A}rPr")
    assert runs and {r.get("lang") for r in runs} == {tag}
    assert ("Individual" in group._element.nvGrpSpPr.cNvPr.get("descr")) == (language == "en")


def test_every_arrow_of_directions_points_out_from_the_centre():
    _, _, group = slide_with("directions")
    centre = next(s for s in group.shapes if text_of(s) == "Lederen")
    cx, cy = centre.left + centre.width / 2, centre.top + centre.height / 2
    arrows = [s for s in group.shapes if s.shape_type == 9 or s._element.tag.endswith("cxnSp")]
    assert len(arrows) == 6
    boxes = {text_of(s): (s.left + s.width / 2, s.top + s.height / 2) for s in group.shapes if text_of(s)}
    for arrow in arrows:
        assert arrow._element.find(f".//{A}tailEnd").get("type") == "triangle"
        begin, end = (arrow.begin_x, arrow.begin_y), (arrow.end_x, arrow.end_y)
        assert math.dist(end, (cx, cy)) > math.dist(begin, (cx, cy)), "out from the centre, inward too (r5 AMK 20)"
        assert math.dist(begin, end) >= Inches(0.3), "every arrow has a shaft, not a stub"


def test_named_directions_stand_where_they_point():
    names = ["Led indad", "Led ”nedad”", "Led fremad", "Led tilbage", "Led opad", "Led udad"]  # the seed's order
    _, _, group = slide_with("directions", directions=names)
    centre = {text_of(s): (s.left + s.width / 2, s.top + s.height / 2) for s in group.shapes if text_of(s)}
    assert centre["Led opad"][1] < centre["Lederen"][1] < centre["Led ”nedad”"][1]
    assert centre["Led tilbage"][0] < centre["Lederen"][0] < centre["Led fremad"][0]
    assert abs(centre["Led opad"][0] - centre["Lederen"][0]) < 12700
    # all six on a hexagon: two on each side, no corner left empty (the review's "lopsided" layout)
    right = {name for name, (x, _) in centre.items() if x > centre["Lederen"][0] + Inches(1)}
    left = {name for name, (x, _) in centre.items() if x < centre["Lederen"][0] - Inches(1)}
    assert right == {"Led fremad", "Led udad"} and left == {"Led tilbage", "Led indad"}
    assert centre["Led udad"][1] < centre["Lederen"][1] < centre["Led fremad"][1]
    assert centre["Led tilbage"][1] < centre["Lederen"][1] < centre["Led indad"][1]
    # each side's pair mirrored (r5 AMK 20: staggered and not aligned): one column each side, rows at one height
    assert abs(centre["Led udad"][0] - centre["Led fremad"][0]) < 12700 and abs(centre["Led tilbage"][0] - centre["Led indad"][0]) < 12700
    assert abs(centre["Led udad"][1] - centre["Led tilbage"][1]) < 12700 and abs(centre["Led fremad"][1] - centre["Led indad"][1]) < 12700
    assert abs((centre["Led udad"][0] + centre["Led tilbage"][0]) / 2 - centre["Lederen"][0]) < 12700
    descr = group._element.nvGrpSpPr.cNvPr.get("descr")
    assert ", ".join(names) in descr  # read in the content's order


@pytest.mark.parametrize("box", list(BOXES))
def test_spiral_winds_inwards_to_the_last_step_in_the_centre(box):
    _, _, group = slide_with("cycle", box)
    steps = [s for s in group.shapes if text_of(s)]
    assert [text_of(s) for s in steps] == SAMPLES["cycle"]["steps"]
    x, y = zip(*[(s.left + s.width / 2, s.top + s.height / 2) for s in steps])
    assert x[0] < x[1] and y[0] < y[2] and x[2] > x[3] and y[3] > y[0]  # top left, top right, bottom right, bottom left
    assert min(x[0], x[3]) < x[4] < max(x[1], x[2]) and min(y[0], y[1]) < y[4] < max(y[2], y[3])  # then the centre
    arrows = [s for s in group.shapes if s._element.find(f".//{A}tailEnd") is not None]
    assert len(arrows) == 4
    last = steps[-1]._element.spPr.find(f"{A}solidFill/{A}schemeClr")
    assert last.get("val") == "accent1" and last.find(f"{A}lumOff") is None


def test_curve_is_a_freeform_not_a_chart_or_picture():
    _, slide, group = slide_with("curve")
    freeforms = [s for s in group.shapes if s._element.spPr.find(f"{A}custGeom") is not None]
    assert freeforms and max(len(s._element.findall(f".//{A}lnTo")) for s in freeforms) > 20
    assert not slide._element.findall(f".//{P}graphicFrame") and not slide._element.findall(f".//{P}pic")


def test_triangle_is_a_real_triangle_with_a_label_on_each_corner():
    _, _, group = slide_with("triangle")
    triangle = next(s for s in group.shapes if s._element.spPr.find(f"{A}prstGeom").get("prst") == "triangle")
    corners = [s for s in group.shapes if text_of(s)]
    apex = corners[0]
    assert apex.top < triangle.top < apex.top + apex.height  # the first label sits on the apex
    for corner in corners[1:]:  # the others straddle the base line
        assert corner.top < triangle.top + triangle.height < corner.top + corner.height


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_same_diagram_same_xml(kind):
    first = slide_with(kind)[1]._element
    second = slide_with(kind)[1]._element
    from lxml import etree

    assert etree.tostring(first) == etree.tostring(second)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_png_for_print_is_300_dpi_deterministic_and_not_blank(kind):
    picture = png(diagram(kind), 1600, 900, language="da", font_file=None)
    assert picture == png(diagram(kind), 1600, 900, language="da", font_file=None)
    image = Image.open(io.BytesIO(picture))
    width = round(16 / 2.54 * 300)
    assert image.size == (width, round(width * 900 / 1600)) and image.mode == "RGB"
    assert not image.info, "no metadata (timestamps, software) in the PNG"
    greys = image.convert("L")
    w, h = image.size
    border = [greys.getpixel((x, y)) for x in range(0, w, 7) for y in (0, 1, h - 2, h - 1)]
    border += [greys.getpixel((x, y)) for y in range(0, h, 7) for x in (0, 1, w - 2, w - 1)]
    assert set(border) == {255}, "white background round the figure"
    assert sum(greys.histogram()[:128]) > 0.002 * w * h, "dark text and lines drawn"


def test_print_figures_use_the_organisations_colours():
    red = png(diagram("levels"), 1600, 900, language="da", font_file=None, colours={"primary": "7A1E3C", "accent": "E8702A"})
    image = Image.open(io.BytesIO(red))
    colours = image.getcolors(maxcolors=1 << 22)
    assert max(count for count, rgb in colours if rgb == (0x7A, 0x1E, 0x3C)) > 0.02 * image.width * image.height


def test_print_lettering_is_at_print_scale():
    """On paper a figure's labels are about body size (10 pt), not slide size: measured from the figure the
    worksheet paints, laid out at its printed width."""
    from kitgen.content.diagrams import layout
    from kitgen.content.diagrams.figure import EMU_PER_IN, printed
    from kitgen.render.diagrams.raster import file_measure

    for name in SAMPLES:
        figure = layout(diagram(name), 15 / 2.54 * EMU_PER_IN, 15 / 2.54 * EMU_PER_IN * 0.55, language="da",
                        measure=file_measure(None), medium=printed())
        sizes = [label.size_pt for _, label in figure.labels()]
        assert 7.5 <= min(sizes) and max(sizes) <= 12, (name, sizes)


def test_a_small_png_request_is_still_300_dpi():
    image = Image.open(io.BytesIO(png(diagram("triangle"), 780, 351, language="da", font_file=None, width_cm=13)))
    assert image.size == (round(13 / 2.54 * 300), round(round(13 / 2.54 * 300) * 351 / 780))


def test_a_diagram_fills_the_box_it_is_given():
    _, _, group = slide_with("levels")
    left, top, width, height = BOXES["wide"]
    assert abs(group.left - left) < Emu(Inches(0.05)) and abs(group.top - top) < Emu(Inches(0.05))
    assert group.left + group.width <= left + width + 1 and group.top + group.height <= top + height + 1
    assert group.width > 0.9 * width and group.height > 0.9 * height


@pytest.mark.parametrize("kind", ["levels", "directions", "process", "scale"])
def test_on_a_dark_slide_the_colours_are_chosen_against_the_dark(kind):
    """The default template's title layout is dark blue: the figure's strong colour is one that stands out
    from it (3:1), and every label is light or dark as its fill needs (4.5:1), from the theme's own colours."""
    from kitgen.content.diagrams.figure import Colour
    from kitgen.templates.background import background_colour, theme_colours

    prs = Presentation("layouts/default/deck.pptx")
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    layout = prs.slide_layouts.get_by_name("Title Slide")
    slide = prs.slides.add_slide(layout)
    group = draw(slide.shapes, diagram(kind), *BOXES["wide"], language="da", font=FONT)
    palette = Palette.choose(theme_colours(layout), background_colour(layout, BOXES["wide"]))
    assert palette.dark

    def resolved(element) -> str:
        clr = element.find(f"{A}schemeClr")
        lum_off, lum_mod = clr.find(f"{A}lumOff"), clr.find(f"{A}lumMod")
        brightness = int(lum_off.get("val")) / 100000 if lum_off is not None else (
            int(lum_mod.get("val")) / 100000 - 1 if lum_mod is not None else 0.0)
        sat_mod = clr.find(f"{A}satMod")  # a scale's muted middle steps
        return palette.rgb(Colour(clr.get("val"), brightness, int(sat_mod.get("val")) / 100000 if sat_mod is not None else 1.0))

    solid = [resolved(s._element.spPr.find(f"{A}solidFill")) for s in group.shapes
             if s._element.spPr.find(f"{A}solidFill") is not None]
    assert max(contrast_ratio(fill, palette.background) for fill in solid) >= 3.0
    for shape in group.shapes:
        if text_of(shape):
            fill = shape._element.spPr.find(f"{A}solidFill")
            under = resolved(fill) if fill is not None else palette.background
            text = resolved(shape._element.find(f".//{A}rPr/{A}solidFill"))
            assert contrast_ratio(text, under) >= 4.5, (text_of(shape), text, under)


def test_a_figure_is_set_in_the_decks_body_font_by_name_not_the_themes():
    """A client's text styles may name another font than its theme's minor font (D02: Verdana over a Calibri
    theme; Midnightblue: Source Sans Pro over Arial): every label names the deck's body font."""
    prs = Presentation("layouts/default/deck.pptx")
    slide = prs.slides.add_slide(prs.slide_layouts.get_by_name("Title and Content"))
    group = draw(slide.shapes, diagram("process"), *BOXES["wide"], language="da", font="DejaVu Serif")
    fonts = {run.font.name for shape in group.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs}
    assert fonts == {"DejaVu Serif"}


def test_a_template_still_in_offices_colours_draws_figures_in_its_own():
    """A theme that keeps Office's default accents has not put its brand there (D01's purple, MB's navy are in its
    shapes): the figure's strong colour is a colour of the client's own when the theme has one that stands out."""
    office = {"accent1": "4472C4", "accent2": "ED7D31", "accent3": "A5A5A5", "accent4": "FFC000",
              "accent5": "5B9BD5", "accent6": "70AD47", "tx1": "000000", "bg1": "FFFFFF", "tx2": "44546A", "bg2": "E7E6E6"}
    assert Palette.choose({**office, "tx2": "57068C"}, "FFFFFF").strong == "tx2"  # NYU purple as its title colour
    assert Palette.choose({**office, "accent4": "57068C"}, "FFFFFF").strong == "accent4"
    assert Palette.choose({**office, "accent1": "2E7D32"}, "FFFFFF").strong == "accent1"  # its own accent1 first
    assert Palette.choose(office, "FFFFFF").strong == "tx2"  # nothing of its own: its title colour, not Office blue


def test_three_directions_fan_out_from_the_centre_with_full_arrows():
    """r5 KK 17: three boxes around a large centre left the top corners empty and ran stub arrows into box corners.
    Up to three unnamed directions stand in one column right of the centre, in order, each arrow a full shaft."""
    names = ["1. Mål for din ledelsesopgave", "2. Dit psykiske arbejdsmiljø som leder", "3. Aftale med din nærmeste leder"]
    _, _, group = slide_with("directions", directions=names)
    boxes = {text_of(s): s for s in group.shapes if text_of(s) in names}
    centre = next(s for s in group.shapes if text_of(s) == "Lederen")
    assert len({box.left for box in boxes.values()}) == 1, "one column"
    assert [name for name, _ in sorted(boxes.items(), key=lambda item: item[1].top)] == names, "in their order"
    assert all(box.left > centre.left + centre.width for box in boxes.values())
    arrows = [s for s in group.shapes if s._element.tag.endswith("cxnSp")]
    assert len(arrows) == 3 and all(math.dist((a.begin_x, a.begin_y), (a.end_x, a.end_y)) >= Inches(0.8) for a in arrows)
