"""The one background function (kitgen.templates.background): what lies behind a box, photos and dark layouts too."""

from __future__ import annotations

import sys

from PIL import Image
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.dml.color import RGBColor
from pptx.util import Inches

from conftest import FIXTURES

sys.path.insert(0, str(FIXTURES))

import template_corpus as tc  # noqa: E402
from kitgen.templates.background import background_colour  # noqa: E402



def _set_background(owner, bg) -> None:
    """Replace ``owner``'s (a master's or layout's) ``p:bg`` with ``bg``."""
    c_sld = owner._element.find(qn("p:cSld"))
    old = c_sld.find(qn("p:bg"))
    if old is not None:
        c_sld.remove(old)
    c_sld.insert(0, bg)

def _photo(path, colour):
    Image.new("RGB", (64, 48), colour).save(path)
    return path


def test_a_photo_on_the_master_is_sampled_where_the_box_lies_not_read_as_white(tmp_path, monkeypatch):
    """The false '#FFFFFF on #FFFFFF' of issue 23: a box over a dark photo sees the photo's colour."""
    monkeypatch.setattr(tc, "LOGO", _photo(tmp_path / "photo.png", (20, 30, 40)))
    prs = tc._base()
    master = prs.slide_masters[0]
    tc._master_picture(prs, master, (Inches(6), 0, Inches(7.333), Inches(7.5)), name="Photo")
    layout = prs.slide_layouts[1]
    assert background_colour(layout, (Inches(8), Inches(2), Inches(2), Inches(2))) == "141E28"
    assert background_colour(layout, (Inches(1), Inches(2), Inches(2), Inches(2))) != "141E28", "beside the photo"


def test_a_picture_filled_background_is_sampled_under_the_box(tmp_path, monkeypatch):
    image = Image.new("RGB", (100, 50), (255, 255, 255))
    image.paste((200, 0, 0), (50, 0, 100, 50))  # the right half red
    monkeypatch.setattr(tc, "LOGO", tmp_path / "bg.png")
    image.save(tc.LOGO)
    prs = tc._base()
    master = prs.slide_masters[0]
    picture = tc._master_picture(prs, master, (0, 0, Inches(1), Inches(1)))
    rid = picture.find(f".//{qn('a:blip')}").get(qn("r:embed"))
    picture.getparent().remove(picture)
    _set_background(master, parse_xml(
        '<p:bg xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:bgPr>'
        f'<a:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>'))
    layout = prs.slide_layouts[1]
    width, height = prs.slide_width, prs.slide_height
    assert background_colour(layout, (int(width * 0.7), 0, int(width * 0.2), int(height * 0.2))) == "C80000"
    assert background_colour(layout, (int(width * 0.1), 0, int(width * 0.2), int(height * 0.2))) == "FFFFFF"


def test_a_layout_that_maps_the_background_to_a_dark_colour_is_dark():
    """SAP's cover layouts map bg1 to dk1 (p:clrMapOvr): their text stands on black, not on the master's white."""
    prs = tc._base()
    layout = prs.slide_layouts[0]
    override = layout._element.find(qn("p:clrMapOvr"))
    if override is not None:
        layout._element.remove(override)
    layout._element.append(parse_xml(
        '<p:clrMapOvr xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:overrideClrMapping bg1="dk1" tx1="lt1" '
        'bg2="dk2" tx2="lt2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" '
        'accent6="accent6" hlink="hlink" folHlink="folHlink"/></p:clrMapOvr>'))
    c_sld = layout._element.find(qn("p:cSld"))
    c_sld.insert(0, parse_xml('<p:bg xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                              '<p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>'))
    box = (Inches(2), Inches(3), Inches(4), Inches(1))
    dark = background_colour(layout, box)
    light = background_colour(prs.slide_layouts[1], box)
    assert dark != light and int(dark[:2], 16) < 0x60, (dark, light)


def _title_placeholder(owner):
    return next(s for s in owner.placeholders if s.placeholder_format.type is not None
                and s.placeholder_format.type.name in ("TITLE", "CENTER_TITLE"))


def test_a_title_bar_filled_by_the_masters_title_placeholder_is_what_the_title_stands_on():
    """NYU Shanghai's master fills its title placeholder grey (tx1, lumMod 65 %, lumOff 35 %): the titles were made
    near-black on it (2.5:1) because the background read the slide's white under the bar."""
    prs = tc._base()
    master = prs.slide_masters[0]
    title = _title_placeholder(master)
    title.fill.solid()
    title.fill.fore_color.rgb = RGBColor.from_string("595959")
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    own = _title_placeholder(layout)
    assert background_colour(layout, (own.left, own.top, own.width, own.height)) == "595959"  # inherited from the master
    body = next(s for s in layout.placeholders if s.placeholder_format.idx == 1)
    assert background_colour(layout, (body.left, body.top, body.width, body.height)) != "595959"  # under the bar only
    own.fill.solid()
    own.fill.fore_color.rgb = RGBColor.from_string("1F3864")
    assert background_colour(layout, (own.left, own.top, own.width, own.height)) == "1F3864"  # the layout's own first


def test_a_shape_filled_by_its_style_and_a_gradient_background_are_read():
    """A rectangle drawn in PowerPoint has no fill of its own but its style's (fillRef: accent 1); a background can be
    a gradient. Both were read as the theme's white."""
    prs = tc._base()
    master = prs.slide_masters[0]
    band = tc._master_shape(prs, master, box=(0, Inches(6), prs.slide_width, Inches(1.5)))
    sp_pr = band.find(qn("p:spPr"))
    sp_pr.remove(sp_pr.find(qn("a:solidFill")))
    style = parse_xml('<p:style xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                      '<a:lnRef idx="0"><a:srgbClr val="000000"/></a:lnRef><a:fillRef idx="1"><a:srgbClr val="0A6E3C"/></a:fillRef>'
                      '<a:effectRef idx="0"><a:srgbClr val="000000"/></a:effectRef><a:fontRef idx="minor"/></p:style>')
    old = band.find(qn("p:style"))
    if old is not None:
        band.remove(old)
    sp_pr.addnext(style)
    layout = prs.slide_layouts[1]
    assert background_colour(layout, (Inches(1), Inches(6.2), Inches(2), Inches(0.5))) == "0A6E3C"
    _set_background(master, parse_xml(
        '<p:bg xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:bgPr><a:gradFill><a:gsLst>'
        '<a:gs pos="0"><a:srgbClr val="000000"/></a:gs><a:gs pos="50000"><a:srgbClr val="102030"/></a:gs>'
        '<a:gs pos="100000"><a:srgbClr val="FFFFFF"/></a:gs></a:gsLst></a:gradFill><a:effectLst/></p:bgPr></p:bg>'))
    assert background_colour(layout, (Inches(1), Inches(3), Inches(2), Inches(1))) == "102030"
