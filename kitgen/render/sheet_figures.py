"""The worksheets' figures: how big each is printed and where it stands (above the grid or table it
explains, or beside the sheet's text on a landscape page). A mixin of
:class:`kitgen.render.worksheets._Sheet`; kitgen.render.diagrams draws them."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from kitgen.content.fonts import font_file
from kitgen.content.worksheetmodel import GridSection
from kitgen.ooxml.wordml import TC_PR_ORDER, insert_in_order, set_column_widths
from kitgen.plan.assemble_docs import WorksheetSpec
from kitgen.render.diagrams import aspect, describe, png, print_width_cm
from kitgen.render.doctables import client_colour
from kitgen.render.sheet_layout import alt_text, is_scale
from kitgen.render.sheet_rules import (
    FIGURE_MIN_CM, GRID_FIGURE_CM, GRID_ROW_CAPTIONED_CM, GRID_ROW_CM, SHEET_FIGURE_CM, SHEET_FIGURE_WIDTH_CM, _explained, _grid_captions,
    _writing_cm,
)


class SheetFigures:
    """A worksheet's figure (see :class:`kitgen.render.worksheets._Sheet`)."""

    def _diagram_size(self, diagram, sections=()) -> tuple[float, float]:
        """The figure's printed width and height (cm): the text width (at most 15 cm), and never
        taller than the writing room of the grid or table it explains (the writing gets the height)."""
        width_cm = min(self.width, 15.0)  # text in the picture is sized for this printed width
        height_cm = width_cm * aspect(diagram)
        explained = _explained(sections, diagram)
        limit = None
        if explained is None:  # the sheet's idea at a glance, under its instructions: the writing gets the page
            limit = SHEET_FIGURE_CM
            if width_cm > SHEET_FIGURE_WIDTH_CM:
                width_cm = SHEET_FIGURE_WIDTH_CM
                height_cm = width_cm * aspect(diagram)
        elif not is_scale(sections[explained]):
            limit = max(FIGURE_MIN_CM, _writing_cm(sections[explained]) * 0.8)
            if isinstance(sections[explained], GridSection):  # above the grid it explains: small, the cells get the page
                limit = min(limit, GRID_FIGURE_CM)
            if getattr(self, "figure_cap", None):
                limit = min(limit, self.figure_cap)
        if limit is not None and height_cm > limit:
            height_cm = limit
            width_cm = height_cm / aspect(diagram)
        return width_cm, height_cm

    def _printed_size(self, diagram, sections=(), widest_cm: float | None = None) -> tuple[float, float]:
        """The figure's size (cm) as printed: :meth:`_diagram_size`, at most ``widest_cm`` wide, and
        never so small that its labels fall below print size (kitgen.render.diagrams, issue 21.4)."""
        width_cm, height_cm = self._diagram_size(diagram, sections)
        if widest_cm is not None and width_cm > widest_cm:
            width_cm, height_cm = widest_cm, widest_cm * aspect(diagram)
        legible = print_width_cm(diagram, language=self.plan.org.language,
                                 font_file=font_file(self.plan.branding.body_font), widest_cm=min(self.width, 17.0))
        if width_cm < legible:
            width_cm, height_cm = legible, legible * aspect(diagram)
        return width_cm, height_cm

    def _colours(self) -> dict:
        """The figure's colours: the client's colour as the Word file's own parts take it
        (:func:`client_colour`: the profile's, or a Word template's heading colour), never kitgen
        blue for a client onboarded from a Word template only; None (a neutral slate) for a
        template whose headings are not coloured. The accent only where the profile or kitgen's
        own document gives it."""
        if getattr(self, "_figure_colours", None) is not None:
            return self._figure_colours
        branding = self.plan.branding
        own = "accent_color" in branding.document_overrides or branding.docx_template == branding.default_document
        self._figure_colours = {"primary": client_colour(self.document, self.plan),
                                "accent": branding.accent_color if own else None}
        return self._figure_colours

    def _diagram(self, diagram, sections=(), title: str = "", widest_cm: float | None = None):
        """The tool's figure as a picture, drawn from the same data as the deck's shapes, above the
        grid or table it explains and never taller than it (the writing room gets the height)."""
        if diagram is None:
            return None
        width_cm, height_cm = self._printed_size(diagram, sections, widest_cm)
        data = png(diagram, int(width_cm * 60), int(height_cm * 60), language=self.plan.org.language,
                   font_file=font_file(self.plan.branding.body_font), width_cm=width_cm,
                   colours=self._colours())
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = _explained(sections, diagram) is not None  # with the grid it explains
        paragraph.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))
        self.diagram_cm = height_cm + 0.8
        self.figure_above = height_cm + 0.8 if _explained(sections, diagram) is not None else 0.0
        alt_text(paragraph, describe(diagram, self.plan.org.language))
        return paragraph

    def _beside(self, spec: WorksheetSpec, diagram, sections, body, explained) -> bool:
        """On a landscape page, the figure that explains the sheet's first grid stands beside the
        sheet's purpose and instructions (a borderless table of two cells) rather than under them:
        the grid below gets the page's height, all its rows on one page. True when placed so."""
        if not (self.landscape and explained is not None and body and sections[explained] is body[0]
                and isinstance(body[0], GridSection)):
            return False
        intro = self.intro
        if not intro:
            return False
        self.diagram_cm = 0.0
        least = GRID_ROW_CAPTIONED_CM if any(any(r) for r in _grid_captions(body[0])[0]) else GRID_ROW_CM
        tallest = self._room_left(spec, sections, None) - 0.8 - least * len(body[0].row_labels)
        widest = min(self.width * 0.45, max(FIGURE_MIN_CM, tallest) / aspect(diagram))
        figure_cm = self._printed_size(diagram, sections, widest)[0]
        table = self.document.add_table(rows=1, cols=2)
        set_column_widths(table, [self.width - figure_cm - 0.3, figure_cm + 0.3])
        text_cell, figure_cell = table.rows[0].cells
        margin = OxmlElement("w:tcMar")  # the text flush with the name fields above it, not indented by the cell
        margin.append(OxmlElement("w:left", {qn("w:w"): "0", qn("w:type"): "dxa"}))
        insert_in_order(text_cell._tc.get_or_add_tcPr(), margin, TC_PR_ORDER)
        first = text_cell.paragraphs[0]._p
        for p in intro:
            first.addprevious(p)
        text_cell._tc.remove(first)
        self.figure_cap = None
        paragraph = self._diagram(diagram, sections, spec.title, widest_cm=figure_cm)
        figure_cell.paragraphs[0]._p.addprevious(paragraph._p)
        figure_cell._tc.remove(figure_cell.paragraphs[-1]._p)
        chars = int(140 * (self.width - figure_cm) / self.width)
        text_cm = sum(0.48 * (len(p.xpath("string(.)")) // chars + 1) + 0.3 for p in intro)
        wide_cm = sum(0.48 * (len(p.xpath("string(.)")) // 140 + 1) + 0.3 for p in intro)
        self.diagram_cm = max(text_cm, self.diagram_cm - 0.4) - wide_cm
        self.figure_above = 0.0
        return True
