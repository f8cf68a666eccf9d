"""What the two Word outputs share: opening the org's template, branding its styles,
the page header with logo, branded tables, and saving reproducibly."""

from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from kitgen.ooxml.package import fixed_datetime, saved, set_core_properties
from kitgen.ooxml.wordml import R_PR_ORDER, drop_styles_with_effects, insert_in_order, use_font
from kitgen.plan.assemble_docs import label
from kitgen.plan.kitplan import KitPlan
from kitgen.plan.measure import text_width_pt
from kitgen.render.cellfit import fit_cell_words
from kitgen.render.doctables import PLAIN_HEADER_FILL, _loosen_table_lines, _pad_table_cells, client_colour
from kitgen.render.stamps import add_p, style_id
from kitgen.render.wordpages import LANGUAGE_TAGS, add_page_x_of_y, restart_numbering, set_language, set_orientation, unique_drawing_ids
from kitgen.templates.wordstyles import get_style, open_whole
from kitgen.templates.wordtheme import Typography

HEADING_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3")


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def open_document(plan: KitPlan, header_text: str):
    """The org's Word template, cleaned and made whole, emptied, with the profile's fonts and colours on its styles.

    The file goes through the package cleaning (.dotx/.dotm open; macros and outside links
    dropped), then gets every style kitgen writes with (copied from kitgen's default
    document when missing), a page setup, and no heading numbering. Fonts and colours are
    written only where the profile sets them (``document_overrides``); otherwise the
    client's own styles stay as they are.
    """
    document = open_whole(plan.branding.docx_template, plan.branding.default_document)
    wanted = plan.branding.document_overrides
    normal = get_style(document, "Normal")
    if "body_font" in wanted and normal is not None:
        use_font(normal, office_font(plan.branding.body_font))
    for name in HEADING_STYLES:
        style = get_style(document, name)
        if style is None:
            continue
        if "heading_font" in wanted:
            use_font(style, office_font(plan.branding.heading_font))
        if "primary_color" in wanted:
            style.font.color.rgb = rgb(plan.branding.primary_color)
    own_colour = client_colour(document, plan)
    document._kitgen_table_colour = own_colour or PLAIN_HEADER_FILL
    section = document.sections[0]
    typography = Typography(document)
    for header in page_kinds(document, section, "header"):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.text = ""
        raise_pt = 0.0
        # the template's own logo elsewhere in this header (a masthead): one brand, not two stacked
        own_logo = any(True for _ in header._element.iter(*PICTURES))
        if plan.branding.logo is not None and plan.branding.logo.is_file() and not own_logo:
            height = _logo_height(section)
            paragraph.add_run().add_picture(_trimmed_logo(plan.branding.logo), height=height)
            for doc_pr in paragraph._p.iter(qn("wp:docPr")):  # what a screen reader says for it
                doc_pr.set("descr", f"{plan.branding.display_name} logo")
            for inline in paragraph._p.iter(qn("wp:inline")):  # no wrap distance left and right: LibreOffice reads a
                for side in ("distL", "distR"):  # missing one as 0.32 cm, and set the logo that far in from the margin
                    inline.set(side, "0")
            paragraph.add_run("\u2002\u2002")  # a fixed gap (two en spaces) after the logo's ink
            # the text's middle on the logo's middle: raised by half the logo's height less half the capitals'
            raise_pt = max(0.0, Emu(int(height)).pt / 2 - HEADER_PT * 0.35)
        run = paragraph.add_run(header_text)
        run.font.size = Pt(HEADER_PT)
        if own_colour:  # else the template's header colour
            run.font.color.rgb = rgb(own_colour)
        _fit_header_line(paragraph, run, section, typography)
        if raise_pt:
            _raise(run, raise_pt)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return document


HEADER_PT = 9
PICTURES = ("{http://schemas.openxmlformats.org/drawingml/2006/picture}pic", "{urn:schemas-microsoft-com:vml}imagedata")
MIN_HEADER_PT = 7
HEADER_SPARE = 1.1  # a font without a metric twin (仿宋) renders wider than the one it is measured with


def _fit_header_line(paragraph, run, section, typography: Typography) -> None:
    """The header's text a size smaller (down to ``MIN_HEADER_PT``) when it would not fit on one
    line beside the logo in the template's header font: a long name wrapped "Facilitatornoter"
    under the logo (W01)."""
    room = (section.page_width - section.left_margin - section.right_margin) / 12700
    room -= sum(int(e.get("cx") or 0) for e in paragraph._p.iter(qn("wp:extent"))) / 12700
    room -= 2 * HEADER_PT  # the two en spaces after the logo, and a little to spare
    indent = typography.paragraph_property(paragraph._p, None, "w:ind")
    for side in ("w:left", "w:start", "w:firstLine", "w:right", "w:end"):
        value = indent.get(qn(side)) if indent is not None else None
        room -= int(value) / 20 if value and value.isdigit() else 0
    family, _, bold = typography.run_font(run._r, paragraph._p)
    width = text_width_pt(run.text, family, HEADER_PT, bold) * HEADER_SPARE
    if width > room > 0:
        run.font.size = Pt(max(MIN_HEADER_PT, int(HEADER_PT * room / width * 2) / 2))


def _trimmed_logo(path):
    """The logo without the transparent (or white) margin around its ink, as a stream: the
    header's text then stands a fixed gap from what the reader sees, not from the file's edge."""
    import io

    from PIL import Image, ImageChops

    try:
        with Image.open(path) as image:
            image.load()
            if image.mode in ("RGBA", "LA") or "transparency" in image.info:
                box = image.convert("RGBA").getchannel("A").getbbox()
            else:
                rgb_image = image.convert("RGB")
                box = ImageChops.difference(rgb_image, Image.new("RGB", rgb_image.size, "white")).getbbox()
            if not box or box == (0, 0, *image.size):
                return str(path)
            out = io.BytesIO()
            image.crop(box).save(out, format="PNG")
            out.seek(0)
            return out
    except (OSError, ValueError):
        return str(path)  # python-docx reports what it cannot read, as before


def _raise(run, points: float) -> None:
    """``w:position``: the run raised by ``points`` above the line's baseline (half-points)."""
    from docx.oxml import OxmlElement

    position = OxmlElement("w:position")
    position.set(qn("w:val"), str(int(round(points * 2))))
    insert_in_order(run._r.get_or_add_rPr(), position, R_PR_ORDER)


# Free fonts a profile may name, and the Office font of the same metrics (or, for DejaVu, the
# closest): a Word file names the font every Windows and Mac Office has, so Word lays it out as
# rendered here; LibreOffice maps the Office name back to the same free font (fontconfig aliases).
OFFICE_FONTS = {
    "liberation sans": "Arial", "liberation serif": "Times New Roman", "liberation mono": "Courier New",
    "liberation sans narrow": "Arial Narrow", "carlito": "Calibri", "caladea": "Cambria",
    "dejavu sans": "Verdana", "dejavu serif": "Georgia", "dejavu sans mono": "Consolas",
}


def office_font(family: str) -> str:
    """The name a Word file should carry for ``family``: its Office equivalent, or itself."""
    return OFFICE_FONTS.get((family or "").strip().lower(), family)


def page_kinds(document, section, which: str) -> list:
    """The section's headers (``which="header"``) or footers that pages show: the default one,
    the first page's when the section has a distinct first page (``w:titlePg``), and the even
    pages' when the document has distinct odd and even pages (``w:evenAndOddHeaders``).
    kitgen's header and footer go on each, so no page shows only the template's."""
    kinds = [getattr(section, which)]
    if section.different_first_page_header_footer:
        kinds.append(getattr(section, f"first_page_{which}"))
    if document.settings.odd_and_even_pages_header_footer:
        kinds.append(getattr(section, f"even_page_{which}"))
    return kinds


def add_styled(document, text: str, style: str, fmt: tuple = ()):
    """``document.add_paragraph(text, style)`` with the style id looked up once (and
    ``ParagraphFormat`` settings ``fmt``, see :func:`kitgen.render.stamps.new_p`)."""
    return add_p(document, text or None, style, fmt)  # add_paragraph("") adds no run


def _logo_height(section):
    """The header logo's height: 1 cm, or less when the template's header has less room,
    so the logo never runs into the body text below it."""
    room = section.top_margin - section.header_distance - Cm(0.3)
    return Emu(max(Cm(0.5), min(Cm(1.0), room)))


def text_width_cm(document) -> float:
    section = document.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def scale_widths(relative: list[float], total_cm: float) -> list[float]:
    whole = sum(relative) or 1
    return [total_cm * part / whole for part in relative]


def save_document(document, plan: KitPlan, title: str) -> bytes:
    set_core_properties(document.core_properties, title=title, subject=plan.title, author=plan.branding.display_name,
                        when=fixed_datetime(plan.day), keywords=plan.title)
    # document properties are read by participants too: no tool names (write.set_core_properties says "kitgen")
    document.core_properties.last_modified_by = plan.branding.display_name
    document.core_properties.category = ""

    document.core_properties.language = LANGUAGE_TAGS.get(plan.org.language, plan.org.language)  # dc:language
    _pad_table_cells(document)

    drop_styles_with_effects(document)  # a client template's copy is stale once styles change (language, fonts)
    _loosen_table_lines(document)
    fit_cell_words(document)  # after the lines are loosened: the cells as the template sets them
    unique_drawing_ids(document)  # the header's logo and the body's figures numbered as one document
    return saved(document)


# --- pages: language, footer, sections, lists (worksheets and facilitator notes) ----------------


def prepare_pages(document, plan: KitPlan) -> None:
    """The document's language (``w:lang`` in the defaults and styles) and a footer with
    "Side X af Y" (PAGE and NUMPAGES fields) on every page: centred, or after the footer text
    a client's template has."""
    set_language(document, plan.org.language)
    for footer in page_kinds(document, document.sections[0], "footer"):
        footer.is_linked_to_previous = False
        # a client template's own footer text stays, with the page numbers after it on the same
        # line (a second footer line would take a line from every page); its own page numbers
        # went when the template was made whole (kitgen.templates.wordsections.reconcile_sections)
        written = [p for p in footer.paragraphs if p.text.strip()]
        if written:
            paragraph = written[-1]
            paragraph.add_run("   ·   ")
        else:
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first_new = len(paragraph.runs)
        add_page_x_of_y(paragraph, label(plan.labels, "page_x_of_y"))
        size = paragraph.runs[0].font.size if written and paragraph.runs and paragraph.runs[0].font.size else Pt(8.5)
        for run in paragraph.runs[max(0, first_new - 1):]:
            run.font.size = size


def new_section(document, landscape: bool):
    """Start a new section on a new page, portrait or landscape.

    python-docx ends the current section with an empty paragraph that carries the
    section's ``w:sectPr``; that paragraph is made 1 pt high with no spacing, so a page
    that is full to its last line does not spill it onto a blank page of its own. The new
    section keeps the same header and footer (its ``w:sectPr`` is a copy of the last one).
    """
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # a template's first-page masthead on the kit's first page only
    body = document.element.body
    breaker = body.findall(qn("w:p"))[-1]
    _shrink_paragraph(breaker)
    set_orientation(section, landscape)
    return section


def _shrink_paragraph(p) -> None:
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(p, None)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(1)
    mark = p.get_or_add_pPr().get_or_add_rPr() if hasattr(p.get_or_add_pPr(), "get_or_add_rPr") else None
    if mark is not None:
        size = mark.get_or_add_sz()
        size.val = Pt(1)


def section_text_width_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


BULLET_MARKS = ("• ", "- ", "– ", "* ", "· ")
NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
NUMBERED_MARK = re.compile(r"^\d{1,2}[.)]\s+")


def write_text(document, text: str, container=None) -> list:
    """Text as Word paragraphs: blank lines and line breaks separate paragraphs; lines written
    as "• item" or "- item" become ``List Bullet`` paragraphs (a real list with a hanging
    indent, not a typed bullet); "1. item" lines become ``List Number``. Returns the
    paragraphs written."""
    if container is not None:  # a cell or other container: python-docx's own paragraphs
        def add(words, style):
            paragraph = container.add_paragraph(words)
            if style:
                paragraph._p.style = style_id(document, style)
            return paragraph
    else:
        def add(words, style):
            return add_p(document, words or None, style)

    written, numbered = [], []
    for line in text.replace("\r", "").split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(BULLET_MARKS) or line in ("•", "-"):
            paragraph = add(line[2:].strip(), "List Bullet")
        elif NUMBERED.match(line):
            paragraph = add(NUMBERED_MARK.sub("", line), "List Number")
            numbered.append(paragraph)
        else:
            paragraph = add(line, None)
            restart_numbering(document, numbered)  # each numbered list in the text counts from 1
            numbered = []
        written.append(paragraph)
    restart_numbering(document, numbered)
    return written
