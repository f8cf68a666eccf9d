"""Where kitgen puts what on a client's template: figures get the largest box the template offers."""

from __future__ import annotations

from pptx import Presentation
from pptx.util import Pt

from fixtures.client_decks import with_boxes
from kitgen.templates.choose import choose_layouts
from kitgen.templates.inspect import inspect_template
from kitgen.templates.place import figure_box


def _short_body(path):
    """A 4:3 template whose 'Title and Content' body box is 128 pt tall (LibreOffice's Midnightblue)."""
    return with_boxes(path, (Pt(40), Pt(30), Pt(640), Pt(80)), (Pt(40), Pt(130), Pt(496), Pt(128)))


def test_a_figure_gets_the_whole_free_area_under_the_title_not_a_short_body_box(tmp_path):
    info = inspect_template(_short_body(tmp_path / "kort.pptx"))
    layout = next(lay for lay in info.layouts if lay.name == "Title and Content")
    figure = figure_box(info, layout)
    assert figure.height_pt > 2 * layout.body.box.height_pt, figure  # 128 pt → the room down to the footers
    assert figure.width_pt >= 600  # as wide as the title reaches
    title = layout.title.box
    assert figure.top >= title.top + title.height  # under the title, never over it
    assert figure.top + figure.height <= info.slide_height and figure.left + figure.width <= info.slide_width


def test_figure_slides_are_placed_on_the_largest_box_and_lists_keep_theirs(tmp_path):
    info = inspect_template(_short_body(tmp_path / "kort.pptx"))
    choice = choose_layouts(info)
    content = info.layout(choice.refs["content"])
    figure = choice.boxes["diagram"]["body"]
    listed = (choice.boxes.get("content") or {}).get("body", content.body.box)
    assert figure.area > listed.area and figure.top >= content.title.box.top + content.title.box.height
    assert "title" not in choice.boxes["diagram"]  # the title stays where the content slides have it


def test_the_kits_branding_carries_the_placed_boxes_fitting_and_the_deck_use(content_copy, tmp_path):
    """A client template whose list box is short (Google's export: 151 pt of a 405 pt slide): the box
    kitgen grows into the free room reaches fitting, so lists are not split with most of the slide empty."""
    from conftest import LAYOUTS
    from kitgen.build.pipeline import Project
    from kitgen.plan.kit import resolve_branding

    prs = Presentation(_short_body(tmp_path / "x.pptx"))
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            if shape.placeholder_format.idx == 1:
                shape.height = Pt(150)  # holds five lines, far less than the room under it
    prs.save(content_copy / "orgs" / "KK" / "kort.pptx")
    profile = content_copy / "orgs" / "KK.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "  pptx_template: KK/kort.pptx\n", encoding="utf-8")
    project = Project.load(content_copy, LAYOUTS)
    branding = resolve_branding(project.content, project.content.orgs["KK"], project.layouts)
    body = branding.boxes["content"]["body"]
    assert body.height_pt > 250, body  # grown from 150 pt down to the footers
    assert branding.boxes["diagram"]["body"].height_pt >= body.height_pt


def _section_with_arcs(path, top_only: bool = False):
    """kitgen's default deck with a free-drawn arc (a custGeom shape, as HKUST's dark template draws) over
    the right half of its section layout, or over the top fifth of it."""
    from conftest import LAYOUTS

    prs = Presentation(LAYOUTS / "default" / "deck.pptx")
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Section Header")
    w, h = prs.slide_width, prs.slide_height
    slide = prs.slides.add_slide(layout)
    bottom = h // 5 if top_only else h
    builder = slide.shapes.build_freeform(w // 2, 0)
    builder.add_line_segments([(w, 0), (w, bottom), (w // 2, bottom)])
    arc = builder.convert_to_shape()
    layout.shapes._spTree.append(arc._element)  # the drawing belongs to the layout, not a slide
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(path)
    return path


def test_the_agenda_tracker_never_sits_on_the_templates_drawn_artwork(tmp_path):
    from conftest import LAYOUTS

    plain = choose_layouts(inspect_template(LAYOUTS / "default" / "deck.pptx")).boxes["section"]["tracker"]
    assert plain is not None  # kitgen's own divider keeps its tracker
    info = inspect_template(_section_with_arcs(tmp_path / "buer.pptx"))
    assert choose_layouts(info).boxes["section"]["tracker"] is None  # no free room: no tracker over the arcs
    info = inspect_template(_section_with_arcs(tmp_path / "top.pptx", top_only=True))
    moved = choose_layouts(info).boxes["section"]["tracker"]
    assert moved is not None and moved.top >= info.slide_height // 5 and moved.height < plain.height


def test_a_title_shrinks_rather_than_break_inside_a_word():
    """HKUST's divider: '3. Præsentation af hovedkonklusioner' in a 350 pt wide title box broke as
    'hovedkonklusione/r' at 36 pt; the title takes the largest size at which every word fits on a line."""
    from kitgen.content.layouts import FitSettings
    from kitgen.plan.fit import _fit_title
    from kitgen.plan.measure import Box, text_width_pt
    from kitgen.plan.kitplan import SlideSpec

    box = Box(350, 225)
    slide = SlideSpec(kind="section", title="3. Præsentation af hovedkonklusioner", body=[])
    fitted = _fit_title(slide, box, "DejaVu Sans", FitSettings(), start=36)
    assert fitted.overflow is None
    assert text_width_pt("hovedkonklusioner", "DejaVu Sans", fitted.title_size_pt, True) <= box.width_pt - 14.4
    assert fitted.title_size_pt >= 24  # shrunk only as far as the word needs


def test_a_masters_own_words_are_cleared_with_a_note_and_its_copyright_kept(tmp_path):
    """WPS's mechatronics template writes its course name in a master text box that is no placeholder:
    it showed on every slide of the kit."""
    from kitgen.templates.clean import clean_file, open_presentation

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    for text in ("Practical Software Engineering for Mechatronic System", "© 2024 Firma A/S", "PUBLIC"):
        box = slide.shapes.add_textbox(Pt(10), Pt(10), Pt(300), Pt(20))
        box.text_frame.text = text
        prs.slide_master.shapes._spTree.append(box._element)  # the master's own text box
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(tmp_path / "wps.pptx")
    cleaned = clean_file(tmp_path / "wps.pptx")
    notes = [f for f in cleaned.findings if f.rule == "template/fixed-text-cleared"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "'Practical Software Engineering for Mechatronic System'" in notes[0].message and "slide masters" in notes[0].message
    master = open_presentation(tmp_path / "wps.pptx").slide_master
    texts = [shape.text_frame.text for shape in master.shapes if shape.has_text_frame and not shape.is_placeholder]
    assert texts == ["", "© 2024 Firma A/S", "PUBLIC"]


def test_a_figure_stops_above_the_footers_and_slide_number(tmp_path):
    """Vivid's body box runs down over its footers: a figure drawn there hid the slide number."""
    prs = Presentation(_short_body(tmp_path / "kort.pptx"))
    for shape in prs.slide_layouts[1].placeholders:
        if shape.placeholder_format.idx == 1:
            shape.height = prs.slide_height - shape.top  # down over the footers
    prs.save(tmp_path / "lang.pptx")
    info = inspect_template(tmp_path / "lang.pptx")
    layout = next(lay for lay in info.layouts if lay.name == "Title and Content")
    figure = figure_box(info, layout)
    footers = [p.box for p in layout.placeholders if p.type in ("SLIDE_NUMBER", "FOOTER", "DATE") and p.box is not None]
    assert footers and all(figure.top + figure.height <= box.top for box in footers)


def _with_corner_logo(path, tmp_path, height_pt: float = 110):
    """python-pptx's default template with a logo picture on its master, in the bottom right corner over the
    layouts' slide-number box (AWS's template: the page number landed in the logo's orange arrow)."""
    from PIL import Image

    Image.new("RGB", (200, 120), (35, 47, 62)).save(tmp_path / "logo.png")
    prs = Presentation()
    w, h = prs.slide_width, prs.slide_height
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    picture = slide.shapes.add_picture(str(tmp_path / "logo.png"), w - Pt(200), h - Pt(height_pt), Pt(180), Pt(height_pt - 10))
    _, rid = prs.slide_master.part.get_or_add_image_part(str(tmp_path / "logo.png"))
    picture._element.blipFill.blip.rEmbed = rid  # the picture belongs to the master, not a slide
    prs.slide_master.shapes._spTree.append(picture._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(path)
    return path


def test_a_slide_number_is_kept_off_the_templates_logo(tmp_path):
    from kitgen.templates.place import default_number_box, number_box

    info = inspect_template(_with_corner_logo(tmp_path / "logo.pptx", tmp_path))
    logo = next(g.box for g in info.masters[0].graphics if g.kind == "picture")
    choice = choose_layouts(info)
    for kind in ("content", "section"):
        layout = info.layout(choice.refs[kind])
        own = next((p.box for p in layout.placeholders if p.type == "SLIDE_NUMBER"), None) or default_number_box(info)
        assert own.overlap(logo)  # the template's own box lies on the logo …
        moved = choice.boxes[kind]["number"]  # … kitgen's is beside it, on the slide, still big enough for "30"
        assert not moved.overlap(logo), (kind, moved, logo)
        assert moved.left >= 0 and moved.left + moved.width <= info.slide_width and moved.top + moved.height <= info.slide_height
        assert moved.width_pt >= 28 and moved.height_pt >= 12
        assert number_box(info, layout) == moved
    plain = inspect_template(_short_body(tmp_path / "plain.pptx"))
    assert all("number" not in boxes for boxes in choose_layouts(plain).boxes.values())  # nothing in the way: unmoved


def test_a_figure_is_cut_round_a_corner_logo_not_cut_to_a_strip_above_it(tmp_path):
    info = inspect_template(_with_corner_logo(tmp_path / "logo.pptx", tmp_path, height_pt=160))
    layout = next(lay for lay in info.layouts if lay.name == "Title and Content")
    logo = next(g.box for g in layout.graphics if g.kind == "picture")
    figure = figure_box(info, layout)
    assert not figure.overlap(logo)
    assert figure.top + figure.height > logo.top  # beside the logo, down to the footers: not only the room above it
    assert figure.height_pt > 300, figure


def test_a_title_rule_is_artwork_a_figure_starts_below_it(tmp_path):
    """Atorus's layouts draw a thin rule (a connector with no height) under the title: chevrons were drawn over it."""
    from pptx.enum.shapes import MSO_CONNECTOR

    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    title = next(s for s in layout.placeholders if s.placeholder_format.idx == 0)
    y = title.top + title.height + Pt(8)
    slide = prs.slides.add_slide(layout)
    rule = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, title.left, y, title.left + title.width, y)
    layout.shapes._spTree.append(rule._element)  # the rule belongs to the layout, not a slide
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(tmp_path / "streg.pptx")
    info = inspect_template(tmp_path / "streg.pptx")
    layout = next(lay for lay in info.layouts if lay.name == "Title and Content")
    rule = next(g for g in layout.graphics if g.where == "layout")
    assert rule.box.height >= Pt(1) and rule.box.top <= y <= rule.box.top + rule.box.height  # the stroke, not nothing
    figure = figure_box(info, layout)
    assert figure.top > rule.box.top + rule.box.height, (figure, rule.box)


def test_a_title_bar_across_the_slide_does_not_take_a_figure_to_the_slide_edges(tmp_path):
    """NYU Shanghai's title is a bar from edge to edge: its diagrams ran flush to the slide's sides."""
    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    title = next(s for s in layout.placeholders if s.placeholder_format.idx == 0)
    title.left, title.width = 0, prs.slide_width
    prs.save(tmp_path / "bar.pptx")
    info = inspect_template(tmp_path / "bar.pptx")
    layout = next(lay for lay in info.layouts if lay.name == "Title and Content")
    figure = figure_box(info, layout)
    body = layout.body.box
    assert figure.left >= body.left and figure.left + figure.width <= body.left + body.width


def test_a_slide_number_climbs_off_a_wave_band_but_never_into_the_text(tmp_path):
    """Google's waves run along the foot of the slide, free-drawn (custGeom): the number sat on them. A wave is artwork
    even where its box holds the number's; the number goes above it where that room is free of text, else stays."""
    import copy

    from kitgen.templates.place import default_number_box, number_box

    prs = Presentation()
    w, h = prs.slide_width, prs.slide_height
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    builder = scratch.shapes.build_freeform(0, h - Pt(50))
    builder.add_line_segments([(w // 2, h - Pt(70)), (w, h - Pt(50)), (w, h), (0, h)])
    wave = builder.convert_to_shape()
    for name in ("Title Only", "Title and Content"):
        layout = next(lay for lay in prs.slide_layouts if lay.name == name)
        layout.shapes._spTree.append(copy.deepcopy(wave._element))
        for shape in list(layout.placeholders):
            if shape.placeholder_format.type is not None and shape.placeholder_format.type.name == "SLIDE_NUMBER":
                shape._element.getparent().remove(shape._element)  # the number goes to kitgen's own box
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(tmp_path / "wave.pptx")
    info = inspect_template(tmp_path / "wave.pptx")
    wave_box = next(g.box for g in info.layouts[5].graphics if g.freeform)
    plain = default_number_box(info)
    assert plain.overlap(wave_box)
    only = number_box(info, next(lay for lay in info.layouts if lay.name == "Title Only"))
    assert only.top + only.height <= wave_box.top and only.left == plain.left  # above the wave, same column
    content = next(lay for lay in info.layouts if lay.name == "Title and Content")
    assert number_box(info, content) == plain  # above the wave is the list's room: the number stays where it was


def test_a_list_box_is_not_cut_off_artwork_to_fewer_than_five_lines(tmp_path):
    """LibreOffice's Progress draws a swoosh over the lower part of its text box: cut off it, the box held 131 pt and
    the programme could not fit at 13 pt. A cut that leaves fewer than five lines keeps the designer's own box."""
    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    body = next(s for s in layout.placeholders if s.placeholder_format.idx == 1)
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    right = body.left + body.width
    builder = scratch.shapes.build_freeform(body.left, body.top + Pt(120))
    builder.add_line_segments([(right, body.top + Pt(110)), (right, body.top + Pt(250)), (body.left, body.top + Pt(250))])
    layout.shapes._spTree.append(builder.convert_to_shape()._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(tmp_path / "swoosh.pptx")
    info = inspect_template(tmp_path / "swoosh.pptx")
    from kitgen.templates.place import clear_of_artwork, placed_boxes

    content = next(lay for lay in info.layouts if lay.name == "Title and Content")
    assert clear_of_artwork(info, content, content.body.box).height_pt < 5 * 22 * 1.2  # the cut would leave too little
    assert "body" not in placed_boxes(info, content, cover_like=False, list_pt=22)  # so the designer's box stands
    assert "body" in placed_boxes(info, content, cover_like=False, list_pt=14)  # at a small size the cut holds five lines


def test_a_speech_bubbles_tail_is_part_of_its_artwork(tmp_path):
    """LibreOffice's Midnightblue divider: a wedgeRectCallout whose tail tip (adj1 -34032, adj2 132916) lies far below
    its own box, over the divider's text box; the time line was clipped by the tail."""
    from pptx.enum.shapes import MSO_SHAPE

    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Section Header")
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    bubble = scratch.shapes.add_shape(MSO_SHAPE.RECTANGULAR_CALLOUT, Pt(100), Pt(60), Pt(300), Pt(100))
    bubble.adjustments[0], bubble.adjustments[1] = -0.34032, 1.32916
    layout.shapes._spTree.append(bubble._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(tmp_path / "bubble.pptx")
    info = inspect_template(tmp_path / "bubble.pptx")
    drawn = next(g.box for g in next(lay for lay in info.layouts if lay.name == "Section Header").graphics
                 if g.where == "layout")
    tip_x, tip_y = Pt(100 + 150 - 0.34032 * 300), Pt(60 + 50 + 1.32916 * 100)
    assert drawn.left <= Pt(100) and drawn.top == Pt(60) and drawn.width >= Pt(300)
    assert abs(drawn.top + drawn.height - tip_y) <= Pt(1) and drawn.left <= tip_x  # down to the tail's tip


def test_a_title_crossed_by_a_thin_rule_keeps_its_box_but_not_one_a_picture_covers(tmp_path):
    """LibreOffice's Sunset draws a thin rule across its 71 pt title box: cut above it, the title had 27 pt and every
    kit was refused (slides/overflow). A cut that leaves a title fewer than two lines keeps the designer's box when
    only rules cross it; a picture over the title still moves the title off it."""
    from pptx.enum.shapes import MSO_SHAPE

    from kitgen.templates.place import placed_boxes

    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title Only")
    title = next(s for s in layout.placeholders if s.placeholder_format.idx == 0)
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    group = scratch.shapes.add_group_shape()  # a group (not a shape) is artwork even for a title
    group.shapes.add_shape(MSO_SHAPE.RECTANGLE, title.left, title.top + Pt(30), title.width, Pt(4))
    layout.shapes._spTree.append(group._element)
    other = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    block = scratch.shapes.add_group_shape()
    block.shapes.add_shape(MSO_SHAPE.RECTANGLE, title.left, title.top + Pt(30), title.width, title.height - Pt(30))
    other.shapes._spTree.append(block._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(tmp_path / "rule.pptx")
    info = inspect_template(tmp_path / "rule.pptx")
    crossed = next(lay for lay in info.layouts if lay.name == "Title Only")
    assert "title" not in placed_boxes(info, crossed, cover_like=False)
    covered = next(lay for lay in info.layouts if lay.name == "Title and Content")
    assert placed_boxes(info, covered, cover_like=False)["title"].height_pt <= 30  # off the artwork, however short


def test_a_cover_text_box_does_not_straddle_a_colour_seam(tmp_path):
    """Midnightblue's title slide is teal above navy, and its subtitle box crosses the seam: the closing's first line
    was white on teal, half unreadable. The box keeps to the larger part on one colour."""
    from pptx.enum.shapes import MSO_SHAPE

    from kitgen.templates.place import placed_boxes

    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title Slide")
    subtitle = next(s for s in layout.placeholders if s.placeholder_format.idx == 1)
    seam = subtitle.top + subtitle.height // 3
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    panel = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, seam)
    layout.shapes._spTree.insert(2, panel._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(tmp_path / "seam.pptx")
    info = inspect_template(tmp_path / "seam.pptx")
    cover = next(lay for lay in info.layouts if lay.name == "Title Slide")
    body = placed_boxes(info, cover, cover_like=True)["body"]
    assert body.top > seam and body.top + body.height <= subtitle.top + subtitle.height  # all of it below the seam


def test_a_text_box_running_over_the_slide_number_ends_above_it(tmp_path):
    """Vivid's text box runs down over its footers: the key-figure slide's source line ran into the slide number."""
    from kitgen.templates.place import placed_boxes

    prs = Presentation(_short_body(tmp_path / "kort.pptx"))
    for shape in prs.slide_layouts[1].placeholders:
        if shape.placeholder_format.idx == 1:
            shape.top, shape.height = Pt(130), prs.slide_height - Pt(130)  # down over the footers, tall enough for lists
    prs.save(tmp_path / "lang.pptx")
    info = inspect_template(tmp_path / "lang.pptx")
    layout = next(lay for lay in info.layouts if lay.name == "Title and Content")
    body = placed_boxes(info, layout, cover_like=False)["body"]
    footers = [p.box for p in layout.placeholders if p.type in ("SLIDE_NUMBER", "FOOTER", "DATE") and p.box is not None]
    assert footers and all(body.top + body.height <= box.top for box in footers)
