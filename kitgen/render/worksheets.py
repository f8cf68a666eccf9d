"""Kit plan → participants' worksheets (.docx), for a pen and for Word.

Each worksheet starts a section of its own (a new page); a table of five or more columns
gets a landscape section. Writing room is table cells that are rich-text content controls
with nothing in them (nothing prints in an unfilled sheet; typing stays in the box); the
prompt stands above the box as a label. Choices are checkbox content controls (a cell or
item written with "☐" in the content gets a real checkbox there). Every sheet has name and
date fields; its pages name it in their header and count from 1 in their footer ("Arbejdsark 2 ·
Side 2 af 3", :mod:`kitgen.render.sheet_pages`). Once written, the writing room on each page grows
into the space left at its foot (:mod:`kitgen.render.sheet_flow`).
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from kitgen.plan.kitplan import KitPlan
from kitgen.plan.assemble_docs import WorksheetSpec, label
from kitgen.content.worksheetmodel import ChecklistSection, FieldsSection, GridSection, PromptsSection, TableSection, TextSection
from kitgen.render.doctables import add_grid_table
from kitgen.render.document import (
    add_styled, new_section, open_document, prepare_pages, save_document, section_text_width_cm, write_text,
)
from kitgen.render.sheet_cells import _box_table
from kitgen.render.sheet_layout import LINE_CM, control_title, is_wide, slug, norm, without_source, writing_lines
from kitgen.render.sheet_rules import (
    FIGURE_MIN_CM, GRID_ROW_CAPTIONED_CM, GRID_ROW_CM, KEEP_BLOCK, KEEP_WITH_BOX, NAME_AND_DATE, _explained, _grid_captions,
    _grid_is_the_figure, _lines_that_fit, _lines_to_fill, _one_heading_per_section, _orientations, _prompts_cm,
    labelled_parts,
)
from kitgen.render.sheet_figures import SheetFigures
from kitgen.content.diagrams import explains
from kitgen.render.sheet_flow import fill_pages
from kitgen.render.sheet_pages import SheetPages
from kitgen.render.sheet_tables import KEEP, SheetTables
from kitgen.ooxml.wordml import add_writing_box
from kitgen.render.stamps import W_P, W_TC, W_TR, add_p, add_run, keep_with_next, last_section, stamp
from kitgen.render.wordpages import set_orientation

SOURCE = RGBColor(0x59, 0x59, 0x59)


def render_worksheets(plan: KitPlan) -> bytes:
    labels = plan.labels
    header_text = f"{plan.branding.display_name} · {labels['worksheets']}"
    document = open_document(plan, header_text)
    prepare_pages(document, plan)
    sheet = _Sheet(document, plan)
    sheet.pages = SheetPages(document, header_text, plan.branding.body_font)
    for number, spec in enumerate(plan.worksheets):
        sheet.worksheet(spec, first=number == 0)
    if not plan.worksheets:
        add_styled(document, labels["worksheets"], "Title")
    fill_pages(document)  # the writing room on each page grown into the space left at its foot
    return save_document(document, plan, f"{labels['worksheets']} – {plan.title} – {plan.org.name}")


class _Sheet(SheetTables, SheetFigures):
    """Writes worksheets into one document, keeping track of the page orientation."""

    def __init__(self, document, plan: KitPlan):
        self.document = document
        self.plan = plan
        self.labels = plan.labels
        self.landscape = False
        self.tags: set[str] = set()

    # --- layout -------------------------------------------------------------------------

    pages: SheetPages | None = None

    def _section(self, landscape: bool, turn: bool = True) -> None:
        new_section(self.document, landscape)
        self.landscape = landscape
        if turn and self.pages is not None:  # a landscape page and back within a sheet: its header and count go on
            self.pages.turn()

    @property
    def width(self) -> float:
        return section_text_width_cm(last_section(self.document))

    def _tag(self, kind: str, name: str = "") -> str:
        """A unique slug for a control: its kind and what it is for ("cell-hvor-godt-lykkes-i-2")."""
        base = f"{kind}-{slug(name)}" if name else kind
        tag, number = base, 1
        while tag in self.tags:
            number += 1
            tag = f"{base}-{number}"
        self.tags.add(tag)
        return tag

    # --- one worksheet ------------------------------------------------------------------

    def worksheet(self, spec: WorksheetSpec, first: bool) -> None:
        sections = list(spec.worksheet.sections)
        # landscape only for the pages of a wide table or grid (see :func:`_orientations`)
        turned = _orientations(sections)
        start_wide = turned[0] if turned else False
        if not first:
            self._section(start_wide, turn=False)
        elif start_wide:
            set_orientation(self.document.sections[-1], True)
            self.landscape = True
        sheet_name = f"{label(self.labels, 'worksheet_no')} {spec.number}"
        if self.pages is not None:  # the sheet's own running header ("… · Arbejdsark 2: title") and page count
            self.pages.start(spec.number, f"{sheet_name}: {spec.title}", sheet_name)
        shown = self._intro(spec, sections)
        # the figure stands right above the grid (or else the table) it explains, unless that grid is the figure
        # itself (a matrix whose cells are the grid's): then the grid, where participants write, is enough
        diagram = None if _grid_is_the_figure(spec.diagram, sections) else spec.diagram
        self.scale_figure = None  # a scale figure over the scale participants tick: one scale, the table's header coloured
        if diagram is not None and explains(diagram) == "scale" and _explained(sections, diagram) is not None:
            self.scale_figure, diagram = diagram, None  # as the figure's steps, its ends said under it
        explained = _explained(sections, diagram) if diagram is not None else None
        self.diagram_cm = 0.0
        self.figure_above = 0.0
        if diagram is not None and explained is None:
            self._diagram(diagram, sections, spec.title)
        self.first_room = None
        body = [s for s in sections if not isinstance(s, (FieldsSection, TextSection))]
        self.figure_cap = None
        if self._beside(spec, diagram, sections, body, explained):
            explained = None  # placed: beside the sheet's purpose and instructions, above the grid
        if body and isinstance(body[0], (GridSection, TableSection)):
            ahead = diagram if explained is not None and sections[explained] is body[0] else None
            if ahead is not None and isinstance(body[0], GridSection):  # figure and grid on the sheet's first page:
                room = self._room_left(spec, sections, None)  # the figure takes what the grid's rows leave
                least = GRID_ROW_CAPTIONED_CM if any(any(r) for r in _grid_captions(body[0])[0]) else GRID_ROW_CM
                cap = room - 0.8 - least * len(body[0].row_labels)
                if cap >= FIGURE_MIN_CM:
                    self.figure_cap = cap
            self.first_room = self._room_left(spec, sections, ahead)
        self.lines_cap = self._fit_prompts(spec, sections, body)
        self.floors = self._fill_before_wide(spec, sections, body)
        headings = _one_heading_per_section(sections)
        for number, (section, (heading_text, run_in)) in enumerate(zip(sections, headings)):
            if turned[number] != self.landscape:
                self._section(turned[number])
                self.lines_cap = self._fit_rest(sections[number:])  # a fresh page: its boxes fitted to it
            same = []  # what follows on pages of the same orientation: boxes and text under it, on its page if they fit
            for later, turn in zip(sections[number + 1:], turned[number + 1:]):
                if turn != turned[number]:
                    break
                same.append(later)
            chars = 140 if turned[number] else 95
            self.follow = [h for s in same for h in _prompts_cm(s)] + [
                0.5 * (len(s.text) // chars + 1) + 0.35 for s in same if isinstance(s, TextSection) and s.text]
            if number == explained:
                self._diagram(diagram, sections, spec.title)
            if heading_text and norm(heading_text) not in shown:
                add_styled(self.document, heading_text, "Heading 2", KEEP)
                shown.add(norm(heading_text))
            if run_in and norm(run_in) not in shown:  # "Støttespørgsmål": said once per sheet
                self._label(run_in, space_before=2)
                shown.add(norm(run_in))
            self._write(spec, sections, number)
            if self.page_full:  # a fresh page for the rest: its boxes fitted to it
                self.page_full = False
                self.lines_cap = self._fit_rest(sections[number + 1:])
        if self.pages is not None:
            self.pages.end(spec.number)

    def _intro(self, spec: WorksheetSpec, sections) -> set[str]:
        """The sheet's title, its name fields, source line, tool, purpose and instructions; the
        normalised headings shown (a section heading that repeats one is not written again)."""
        document, labels = self.document, self.labels
        heading = add_styled(document, f"{label(labels, 'worksheet_no')} {spec.number}: {spec.title}", "Heading 1", KEEP)
        shown = {norm(spec.title), norm(heading.text)}
        self._fields(self._sheet_fields(sections), columns=2)
        if spec.source_line:  # under the name fields: at the end of the sheet it could be left alone on a page
            add_p(document, f"{labels['source']}: {spec.source_line}", fmt=(("space_before", Pt(3)), ("space_after", Pt(4))),
                  italic=True, size=Pt(8), color=SOURCE)
        body = self.document.element.body
        before = len(body)
        short = spec.tool_title.split(" – ")[0].split(": ", 1)[-1]
        if norm(short) not in norm(spec.title):
            paragraph = add_p(document, f"{labels['tool']}: ", bold=True)
            add_run(paragraph._p, spec.tool_title)
        if spec.purpose:  # "Formål: Formålet med …" says it twice: a purpose that names itself goes without the label
            names_itself = norm(spec.purpose).split()[:1] and norm(spec.purpose).split()[0].startswith(norm(labels["purpose"]))
            paragraph = add_p(document, None if names_itself else f"{labels['purpose']}: ", fmt=(("space_before", Pt(8)),),
                              bold=True)
            add_run(paragraph._p, spec.purpose)
        if spec.instructions:
            write_text(document, without_source(spec.instructions, spec.source))
        end = len(body) - (1 if body[-1].tag == qn("w:sectPr") else 0)  # the tool, purpose and instructions:
        self.intro = list(body)[end - (len(body) - before):end]  # beside a figure on a landscape page (_beside)
        return shown

    def _write(self, spec: WorksheetSpec, sections, number: int) -> None:
        """Section ``number`` of the sheet, by its kind."""
        section, document = sections[number], self.document
        if isinstance(section, PromptsSection):
            self._prompts(section)
        elif isinstance(section, TableSection):
            self._table(section)
        elif isinstance(section, GridSection):
            self._grid(section)
        elif isinstance(section, ChecklistSection):
            self._checklist(section)
        elif isinstance(section, FieldsSection):
            pass  # in the fields at the top of the sheet
        elif isinstance(section, TextSection):
            text = without_source(section.text, spec.source)
            if text:
                after_table = self._ends_with_table()
                parts = labelled_parts(text)
                if parts:  # "Ydre krav: … Indre krav: …": one line per label, the label in bold
                    written = []
                    for name, rest in parts:
                        written.append(add_p(document, f"{name}: ", "List Bullet", bold=True))
                        add_run(written[-1]._p, rest)
                else:
                    written = write_text(document, text)
                if after_table and written:  # a legend under a table: not flush against its last row
                    written[0].paragraph_format.space_before = Pt(6)
                following = sections[number + 1] if number + 1 < len(sections) else None
                kept = []  # support questions go with the box they help fill in: a short list whole (its heading,
                if isinstance(following, PromptsSection) and any(p.text.rstrip().endswith("?") for p in written):
                    kept = written if len(written) <= KEEP_BLOCK else written[-KEEP_WITH_BOX:]  # questions and box on
                elif isinstance(following, TextSection) and len(written) <= 2:  # one page); a short lead-in goes with
                    kept = written  # the section it leads into ("Agenda …" over its steps)
                for paragraph in kept:
                    paragraph.paragraph_format.keep_with_next = True

    follow: list = []
    lines_cap: int | None = None  # the sheet's boxes are at most this many lines (to fit their page) …
    lines_floor: int | None = None  # … and at least this many (to fill it)
    page_full = False  # the section just written takes the rest of its page
    floors: dict = {}  # a prompts section's least box lines (id → lines), to fill its page

    def _room_left(self, spec: WorksheetSpec, sections=(), diagram=None) -> float:
        """A cautious estimate of the height (cm) left on the sheet's first page for its first
        grid's or table's rows: title, source line, fields, purpose, instructions and the text
        sections before it (about 95 characters to a line in portrait, 140 in landscape), the
        figure, the grid's heading and header."""
        chars = 140 if self.landscape else 95
        used = 1.6 + 1.0 * ((len(self._sheet_fields(spec.worksheet.sections)) + 1) // 2) + 0.3
        if spec.source_line:
            used += 0.35 * (len(spec.source_line) // (chars + 30) + 1) + 0.2
        texts = [spec.purpose, spec.instructions]
        for section in sections:
            if not isinstance(section, (TextSection, FieldsSection)):
                break
            if isinstance(section, TextSection):
                texts.append(section.text)
                used += 0.9 if section.heading else 0
        for text in texts:
            if text:
                used += 0.48 * (len(text) // chars + 1) + 0.3
        figure = self.diagram_cm
        if diagram is not None:
            figure = self._diagram_size(diagram, sections)[1] + 0.8
        used += figure + 1.6 + (0.8 if getattr(next((s for s in sections if not isinstance(s, (TextSection, FieldsSection))), None),
                                                   "heading", None) else 0)
        return self.height - used

    def _fit_prompts(self, spec: WorksheetSpec, sections, body) -> int | None:
        """A sheet of questions and boxes only, a little too long for its page: the boxes' lines
        (at least ``MIN_BOX_LINES``) that fit it on one page, or None (it fits, or needs more pages)."""
        self.lines_floor = None
        if not body or not all(isinstance(s, PromptsSection) for s in body) or self.diagram_cm:
            return None
        chars = 140 if self.landscape else 95
        lead = next(i for i, s in enumerate(sections) if isinstance(s, PromptsSection))
        trailing = sum(0.48 * (len(s.text) // chars + 1) + 0.4 for s in sections[lead:] if isinstance(s, TextSection) and s.text)
        room = self._room_left(spec, sections, None) + 2.4 - trailing  # (no grid heading or header here)
        prompts = [(s, p) for s in body for p in s.prompts]
        heads = sum(0.9 for s in body if s.heading)
        self.lines_floor = _lines_to_fill(prompts, heads, room, 0.8, chars)
        return _lines_that_fit(prompts, heads, room, 0.9)

    def _fill_before_wide(self, spec: WorksheetSpec, sections, body) -> dict:
        """Questions on the sheet's first page before a wide grid that cannot follow them there (it is
        kept whole on the next page): their boxes fill the first page. {id(section): lines}."""
        if len(body) < 2 or not isinstance(body[0], PromptsSection) or not isinstance(body[1], GridSection) \
                or not is_wide(body[1]) or self.diagram_cm:
            return {}
        chars = 140 if self.landscape else 95
        room = self._room_left(spec, sections, None) + 2.4  # (no grid heading or header here)
        prompts = [(body[0], p) for p in body[0].prompts]
        boxes = sum(0.8 + writing_lines(p, s.lines) * LINE_CM for s, p in prompts)
        grid = 1.5 + len(body[1].row_labels) * GRID_ROW_CAPTIONED_CM
        if room - boxes >= grid:
            return {}
        floor = _lines_to_fill(prompts, 0.9 if body[0].heading else 0.0, room, 0.8, chars)
        return {id(body[0]): floor} if floor else {}

    def _fit_rest(self, rest) -> int | None:
        """The rest of a sheet, questions and text only, on a fresh page: the boxes' lines (at least
        ``MIN_BOX_LINES``) that fit it on that page, or None (it fits, or needs more pages)."""
        self.lines_floor = None
        if not rest or not all(isinstance(s, (PromptsSection, TextSection)) for s in rest):
            return None
        chars = 140 if self.landscape else 95
        room = self.height - 0.6 - sum(0.48 * (len(s.text) // chars + 1) + 0.4 for s in rest
                                       if isinstance(s, TextSection) and s.text)
        prompts = [(s, p) for s in rest if isinstance(s, PromptsSection) for p in s.prompts]
        if not prompts:
            return None
        heads = sum(0.9 for s in rest if isinstance(s, PromptsSection) and s.heading)
        self.lines_floor = _lines_to_fill(prompts, heads, room, 0.8, chars)
        return _lines_that_fit(prompts, heads, room, 0.95)

    def _sheet_fields(self, sections) -> list[str]:
        """Name and date, then the sheet's own fields (team, unit …): once, at the top of the sheet, so
        every sheet's first row is the same "Navn | Dato"."""
        name, date = self.labels["name"], self.labels["date"]
        own = [f for s in sections if isinstance(s, FieldsSection) for f in s.fields]
        fields, seen = [name], {norm(name), norm(date)} | NAME_AND_DATE  # "Navn" never beside "Name"
        for item in own:
            if norm(item) not in seen:
                fields.append(item)
                seen.add(norm(item))
        if not all(getattr(s, "personal", True) for s in sections if isinstance(s, FieldsSection)):
            return (fields[1:2] or [name]) + [date] + fields[2:]  # a group's sheet: its team and date
        return fields[:1] + [date] + fields[1:]

    # --- pieces -------------------------------------------------------------------------

    def _label(self, text: str, space_before: float = 8):
        fmt = (("space_before", Pt(space_before)), ("space_after", Pt(3)), ("keep_with_next", True))
        return add_p(self.document, text, fmt=fmt, bold=True)

    def _box(self, lines: int, name: str) -> None:
        """A one-cell table that is a writing box ``lines`` lines high; the row does not split.
        The empty table of each height and width is made once (as below) and copied."""
        self._gap()
        width = self.width
        table = add_grid_table(self.document, 1, 1)
        kept = stamp(("box", lines, width, table._tbl.tblPr.style), lambda: _box_table(table, lines, width))
        table._tbl.getparent().replace(table._tbl, kept)
        add_writing_box(kept.find(W_TR).find(W_TC), self._tag("box", name), control_title(name))

    def _keep_box_with_next(self) -> None:
        """A section's last question and its box never stand alone on a page: the writing box
        just before them (the section's or the one before's) goes to the next page with them.
        Its row loses ``cantSplit``: LibreOffice ignores a table's keep-with-next when a row
        may not split (measured); kept with the next, the box moves whole to the next page."""
        body = self.document.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag == qn("w:tbl") and len(last.findall(W_TR)) == 1 and len(last.find(W_TR).findall(W_TC)) == 1:
            for cant in last.find(W_TR).iter(qn("w:cantSplit")):
                cant.getparent().remove(cant)
            for p in last.iter(W_P):
                keep_with_next(p)

    def _ends_with_table(self) -> bool:
        body = self.document.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        return last.tag == qn("w:tbl")

    def _gap(self) -> None:
        """A small paragraph between two tables (Word would join them into one), added only
        where a table follows a table: an empty paragraph at the end of a full page would
        otherwise spill onto a page of its own."""
        body = self.document.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag != qn("w:tbl"):
            return
        add_p(self.document, fmt=(("space_before", Pt(0)), ("space_after", Pt(0)), ("line_spacing", Pt(8))))

    @property
    def height(self) -> float:
        """The text height of the current page, in cm."""
        section = last_section(self.document)
        return (section.page_height - section.top_margin - section.bottom_margin) / 360000

    def _prompts(self, section: PromptsSection) -> None:
        for prompt in section.prompts:
            if prompt == section.prompts[-1]:
                self._keep_box_with_next()
            self._label(prompt)
            lines = writing_lines(prompt, section.lines)
            floor = self.floors.get(id(section)) or self.lines_floor
            if floor:  # the sheet's last boxes, or those before a grid that takes the next page, fill their page
                lines = max(lines, floor)
            self._box(min(lines, self.lines_cap) if self.lines_cap else lines, prompt)
