"""Regenerate the default templates in ``layouts/default/``.

The committed ``deck.pptx`` and ``document.docx`` are what ``kitgen build`` uses when
an organisation brings no template of its own. They are made from python-pptx's and
python-docx's own default templates, reshaped to 16:9 / A4 and given sizes and a colour
bar that follow the theme, so that an organisation's colours and fonts (written into
the theme at build time) reach every slide. Run ``python -m kitgen.build.default_layouts``
after changing this file; the output is deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt
from lxml import etree
from pptx import Presentation
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Inches

from kitgen.ooxml.package import normalise_file
from kitgen.templates.wordstyles import trim_styles
from kitgen.ooxml.rels import RT

WIDE = (Emu(12_192_000), Emu(6_858_000))  # 16:9 exactly (Inches(13.333) fell 305 EMU short: a 1-px line on dark slides)
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
TITLE_BOX = (0.6, 0.35, 12.1, 1.2)  # inches: room for a two-line title at the deck's one title size
BODY_BOX = (0.6, 1.7, 12.1, 5.1)  # down to 6.8 in, above the slide number
KEEP_LAYOUTS = ("Title Slide", "Title and Content", "Section Header", "Title Only", "Blank")


THEME_COLOURS = {"dk2": "1F4E79", "accent1": "1F4E79", "accent2": "C55A11", "lt2": "F2F2F2"}  # kitgen's brand defaults
THEME_FONT = "Calibri"  # on every Windows PC; measured here with its metric twin Carlito (kitgen/data/fonts.yaml)


def brand_shape(name: str, shape_id: int, width: int, height: int, left: int = 0, top: int = 0, colour: str = "accent1"):
    """A rectangle filled with a theme colour (accent1 = the org's primary colour).

    MasterShapes and LayoutShapes have no add_shape(), so the shape is written as OOXML.
    """
    return parse_xml(
        f"""<p:sp xmlns:p="{NS_P}" xmlns:a="{NS_A}">
          <p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>
          <p:spPr><a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>
            <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
            <a:solidFill><a:schemeClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>
        </p:sp>"""
    )


def _theme(prs) -> None:
    """kitgen's colours and Calibri in the theme: what a kit without an org colour shows."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    for slot, colour in THEME_COLOURS.items():
        element = scheme.find(qn(f"a:{slot}"))
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, qn("a:srgbClr"), val=colour)
    for which in ("a:majorFont", "a:minorFont"):
        root.find(f".//{qn(which)}/{qn('a:latin')}").set("typeface", THEME_FONT)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text_colour(shape, colour: str, size_pt: int | None = None, bold: bool = False) -> None:
    """Give a layout placeholder's first level a theme text colour (and size) through its list style."""
    body = shape.text_frame._txBody
    lst = body.find(qn("a:lstStyle"))
    lvl = lst.find(qn("a:lvl1pPr"))
    if lvl is None:
        lvl = etree.SubElement(lst, qn("a:lvl1pPr"))
    rpr = lvl.find(qn("a:defRPr"))
    if rpr is None:
        rpr = etree.SubElement(lvl, qn("a:defRPr"))
    if size_pt:
        rpr.set("sz", str(size_pt * 100))
    if bold:
        rpr.set("b", "1")
    rpr.attrib.pop("cap", None)  # python-pptx's Section Header sets all caps: titles read as the content writes them
    for old in rpr.findall(qn("a:solidFill")):
        rpr.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val=colour)
    rpr.insert(0, fill)  # solidFill precedes latin/ea/cs in CT_TextCharacterProperties


def _box(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)


def _set_size(style_el, level: int, size_pt: int, colour: str | None = None, bold: bool = False, align: str | None = None):
    lvl = style_el.find(qn(f"a:lvl{level}pPr"))
    if align:
        lvl.set("algn", align)
    rpr = lvl.find(qn("a:defRPr"))
    rpr.set("sz", str(size_pt * 100))
    if bold:
        rpr.set("b", "1")
    if colour:
        fill = rpr.find(qn("a:solidFill"))
        fill.find(qn("a:schemeClr")).set("val", colour)
    return lvl


def _left_aligned(shape, size_pt: int | None = None) -> None:
    """Left-align a layout placeholder through its list style (what slides inherit)."""
    body = shape.text_frame._txBody
    lst = body.find(qn("a:lstStyle"))
    if lst is None:
        lst = etree.SubElement(body, qn("a:lstStyle"))
        body.remove(lst)
        body.insert(1, lst)
    lvl = lst.find(qn("a:lvl1pPr"))
    if lvl is None:
        lvl = etree.SubElement(lst, qn("a:lvl1pPr"))
    lvl.set("algn", "l")
    lvl.set("marL", "0")
    lvl.set("indent", "0")
    if size_pt:
        rpr = lvl.find(qn("a:defRPr"))
        if rpr is None:
            rpr = etree.SubElement(lvl, qn("a:defRPr"))
        rpr.set("sz", str(size_pt * 100))
    for paragraph in body.findall(qn("a:p")):
        ppr = paragraph.find(qn("a:pPr"))
        if ppr is not None and ppr.get("algn"):
            del ppr.attrib["algn"]


def _remove_layout(prs, layout) -> None:
    """Drop a slide layout: its id in the master's list and the relationship to its part."""
    master = prs.slide_master
    lst = master._element.find(qn("p:sldLayoutIdLst"))
    for entry in list(lst):
        if master.part.related_part(entry.get(qn("r:id"))) is layout.part:
            master.part.drop_rel(entry.get(qn("r:id")))
            lst.remove(entry)


def build_deck_template(path: Path) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    prs._element.find(qn("p:sldSz")).attrib.pop("type", None)  # python-pptx's "screen4x3" is not this size
    master = prs.slide_master
    for layout in list(prs.slide_layouts):
        if layout.name not in KEEP_LAYOUTS:
            _remove_layout(prs, layout)

    _theme(prs)
    styles = master._element.find(qn("p:txStyles"))
    _set_size(styles.find(qn("p:titleStyle")), 1, 28, colour="tx2", bold=True, align="l")
    body = styles.find(qn("p:bodyStyle"))
    for level, size in ((1, 24), (2, 20), (3, 18), (4, 16), (5, 16)):
        lvl = _set_size(body, level, size)
        bullet_colour = etree.SubElement(lvl, qn("a:buClr"))
        bullet_colour.append(etree.Element(qn("a:schemeClr"), val="accent2"))
        lvl.insert(1, bullet_colour)  # buClr precedes buFont in CT_TextParagraphProperties

    # The bar at the top of every slide takes the theme's accent1 = the org's primary colour.
    bar = brand_shape("kitgen brand bar", 90, WIDE[0], Inches(0.22))
    master.shapes._spTree.insert(2, bar)  # after the group properties: drawn behind the placeholders

    for shape in master.placeholders:
        # No normAutofit: kitgen measures and writes the size itself; LibreOffice's autofit
        # would shrink text that already fits (and PowerPoint's only applies after an edit).
        for autofit in shape._element.iter(qn("a:normAutofit")):
            autofit.getparent().remove(autofit)
        kind = shape.placeholder_format.type
        if kind is not None and shape.placeholder_format.idx == 0:
            _box(shape, *TITLE_BOX)
        elif shape.placeholder_format.idx == 1:
            _box(shape, *BODY_BOX)
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            idx = shape.placeholder_format.idx
            if idx >= 10:  # date, footer, slide number: spread along the bottom
                left = {10: 0.6, 11: 4.4, 12: 10.2}[idx]
                _box(shape, left, 6.95, 2.5 if idx != 11 else 4.5, 0.4)
            elif layout.name == "Title Slide":
                _box(shape, 0.9, 2.1, 11.5, 1.7) if idx == 0 else _box(shape, 0.9, 4.08, 11.5, 1.9)
            elif layout.name == "Section Header":  # the right third is the agenda tracker's (kitgen.render.deck)
                _box(shape, 0.9, 1.9, 7.2, 2.3) if idx == 0 else _box(shape, 0.9, 4.45, 7.2, 1.2)
            elif idx == 0:
                _box(shape, *TITLE_BOX)
            else:
                _box(shape, *BODY_BOX)
    for layout in prs.slide_layouts:
        if layout.name in ("Title Slide", "Section Header"):
            for shape in layout.placeholders:
                if shape.placeholder_format.idx in (0, 1):
                    _left_aligned(shape, size_pt=40 if layout.name == "Title Slide" and shape.placeholder_format.idx == 0 else None)
    _design_cover(prs)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    normalise_file(path)


def _design_cover(prs) -> None:
    """The title and closing slide, and the section dividers, on the primary colour with white text and an
    accent line; a divider's right third is left free for the agenda tracker the deck draws there."""
    for layout in prs.slide_layouts:
        if layout.name == "Title Slide":
            _on_primary(layout, "Cover line", 92, Inches(3.92), 40, section=False)
        elif layout.name == "Section Header":
            _on_primary(layout, "Section line", 91, Inches(4.3), 36, section=True)


def _on_primary(layout, line: str, shape_id: int, line_top: int, title_pt: int, section: bool) -> None:
    """One cover layout on the theme's accent1 with an accent line, a white title set at the foot of its box and
    a white subtitle (a divider's at the head of its box, and its slide number white too)."""
    fill = layout.background.fill  # the layout's own background (p:bg), in the theme's accent1
    fill.solid()
    fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
    layout._element.cSld.spTree.insert(2, brand_shape(line, shape_id, Inches(2.0), Inches(0.08), Inches(0.9), line_top, "accent2"))
    for shape in layout.placeholders:
        idx = shape.placeholder_format.idx
        if idx == 0:
            _text_colour(shape, "bg1", title_pt, bold=True)
            shape.text_frame._txBody.find(qn("a:bodyPr")).set("anchor", "b")
        elif idx == 1:
            _text_colour(shape, "bg1", 20)
            if section:
                shape.text_frame._txBody.find(qn("a:bodyPr")).set("anchor", "t")
        elif section and shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            _text_colour(shape, "bg1")


def build_document_template(path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.0)
    section.header_distance = Cm(1.0)  # leaves 1.6 cm for the header's logo line
    styles = document.styles
    styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        styles[name].font.size = Pt(size)
    if "Writing Line" not in [s.name for s in styles]:
        writing = styles.add_style("Writing Line", WD_STYLE_TYPE.PARAGRAPH)
        writing.base_style = styles["Normal"]
        writing.paragraph_format.space_after = Pt(0)
        writing.paragraph_format.line_spacing = Pt(22)
    # Word 2010's stylesWithEffects.xml duplicates styles.xml for Word 2007; it is stale as
    # soon as a style changes, so the template drops it (relationship, part, content type).
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(r_id)
    # Drop the paragraph the default template starts with.
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)

    trim_styles(document)  # only the styles kitgen writes with (and what they rest on): 24 KB, not 350 KB
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    normalise_file(path)


def main(argv: list[str] | None = None) -> int:
    """``python -m kitgen.build.default_layouts [FOLDER] [--deck-only]``: regenerate the default templates."""
    args = list(argv or [])
    if any(a in ("-h", "--help") for a in args):
        print(__doc__.strip() + "\n\nusage: python -m kitgen.build.default_layouts [FOLDER] [--deck-only]\n"
              "  FOLDER       where to write deck.pptx and document.docx (default: layouts/default)\n"
              "  --deck-only  write deck.pptx only")
        return 0
    unknown = [a for a in args if a.startswith("-") and a != "--deck-only"]
    if unknown or len([a for a in args if not a.startswith("-")]) > 1:
        print(f"error: unexpected {' '.join(unknown or args)}; usage: python -m kitgen.build.default_layouts [FOLDER] "
              "[--deck-only]", file=sys.stderr)
        return 2
    deck_only = "--deck-only" in args
    folders = [a for a in args if a != "--deck-only"]
    root = Path(folders[0]) if folders else Path(__file__).resolve().parents[2] / "layouts" / "default"
    build_deck_template(root / "deck.pptx")
    if not deck_only:
        build_document_template(root / "document.docx")
    print(f"wrote {root / 'deck.pptx'}" + ("" if deck_only else f" and {root / 'document.docx'}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
