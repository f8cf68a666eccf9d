"""Kit plan → participants' worksheets (.docx), for a pen and for Word.

Each worksheet starts a section of its own (a new page); a table of five or more columns
gets a landscape section. Writing room is table cells that are rich-text content controls
with nothing in them (nothing prints in an unfilled sheet; typing stays in the box); the
prompt stands above the box as a label. Choices are checkbox content controls (a cell or
item written with "☐" in the content gets a real checkbox there). Every sheet has name and
date fields; the footer says "Side X af Y".
"""

from __future__ import annotations

import copy
import io
import re

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from kitgen.plan.kitplan import KitPlan
from kitgen.plan.assemble_docs import WorksheetSpec, label
from kitgen.content.model import ChecklistSection, FieldsSection, GridSection, PromptsSection, TableSection, TextSection
from kitgen.render.document import (
    add_grid_table, add_styled, branded_table, new_section, open_document, prepare_pages, save_document, scale_widths,
    section_text_width_cm, write_text,
)
from kitgen.render.sheet_layout import (
    BODY_PT, BOX, LINE_CM, ROW_CM, alt_text, control_title, slug, fit_header, guess_widths, is_scale, is_wide, norm, text_cm,
    without_source,
    writing_lines,
)
from kitgen.ooxml.wordml import (
    TC_PR_ORDER, add_writing_box, append_checkbox, insert_in_order, keep_row_on_one_page, set_column_widths, set_row_height,
    shade_cell,
)
from kitgen.render.stamps import (
    W_P, W_R, W_TC, W_TR, add_p, add_row, add_run, cells, keep_rows_together, last_section, new_p, set_format, stamp,
)
from kitgen.content.fonts import font_file
from kitgen.core.textfield import Text
from kitgen.ooxml.wordml import _sdt
from kitgen.content.diagrams import explains
from kitgen.render.diagrams import aspect, describe, png, print_width_cm
from kitgen.render.wordpages import set_orientation

CAPTION = RGBColor(0x40, 0x40, 0x40)
SOURCE = RGBColor(0x59, 0x59, 0x59)
KEEP = (("keep_with_next", True),)
WRITE_IN = {"andet", "andre", "other", "others", "andet hvad"}  # a choice that asks what: gets a write-in field
CENTRED = (("alignment", WD_ALIGN_PARAGRAPH.CENTER),)


def render_worksheets(plan: KitPlan) -> bytes:
    labels = plan.labels
    document = open_document(plan, f"{plan.branding.display_name} · {labels['worksheets']}")
    prepare_pages(document, plan)
    sheet = _Sheet(document, plan)
    for number, spec in enumerate(plan.worksheets):
        sheet.worksheet(spec, first=number == 0)
    if not plan.worksheets:
        add_styled(document, labels["worksheets"], "Title")
    return save_document(document, plan, f"{labels['worksheets']} – {plan.title} – {plan.org.name}")


class _Sheet:
    """Writes worksheets into one document, keeping track of the page orientation."""

    def __init__(self, document, plan: KitPlan):
        self.document = document
        self.plan = plan
        self.labels = plan.labels
        self.landscape = False
        self.tags: set[str] = set()

    # --- layout -------------------------------------------------------------------------

    def _section(self, landscape: bool) -> None:
        new_section(self.document, landscape)
        self.landscape = landscape

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
            self._section(start_wide)
        elif start_wide:
            set_orientation(self.document.sections[-1], True)
            self.landscape = True
        document, labels = self.document, self.labels
        heading = add_styled(document, f"{label(labels, 'worksheet_no')} {spec.number}: {spec.title}", "Heading 1", KEEP)
        shown = {norm(spec.title), norm(heading.text)}
        self._fields(self._sheet_fields(sections), columns=2)
        if spec.source_line:  # under the name fields: at the end of the sheet it could be left alone on a page
            add_p(document, f"{labels['source']}: {spec.source_line}", fmt=(("space_before", Pt(3)), ("space_after", Pt(4))),
                  italic=True, size=Pt(8), color=SOURCE)
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
        # the figure stands right above the grid (or else the table) it explains, unless that grid is the figure
        # itself (a matrix whose cells are the grid's): then the grid, where participants write, is enough
        diagram = None if _grid_is_the_figure(spec.diagram, sections) else spec.diagram
        explained = _explained(sections, diagram) if diagram is not None else None
        self.diagram_cm = 0.0
        self.figure_above = 0.0
        if diagram is not None and explained is None:
            self._diagram(diagram, sections, spec.title)
        self.first_room = None
        body = [s for s in sections if not isinstance(s, (FieldsSection, TextSection))]
        self.figure_cap = None
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
                add_styled(document, heading_text, "Heading 2", KEEP)
                shown.add(norm(heading_text))
            if run_in and norm(run_in) not in shown:  # "Støttespørgsmål": said once per sheet
                self._label(run_in, space_before=2)
                shown.add(norm(run_in))
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
                    if isinstance(following, PromptsSection) and written and written[-1].text.rstrip().endswith("?"):
                        for paragraph in written[-KEEP_WITH_BOX:]:  # the last support questions go with the box they
                            paragraph.paragraph_format.keep_with_next = True  # help fill in: no lone one over a break

    follow: list = []

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
        if not body or not all(isinstance(s, PromptsSection) for s in body) or self.diagram_cm:
            return None
        chars = 140 if self.landscape else 95
        lead = next(i for i, s in enumerate(sections) if isinstance(s, PromptsSection))
        trailing = sum(0.48 * (len(s.text) // chars + 1) + 0.4 for s in sections[lead:] if isinstance(s, TextSection) and s.text)
        room = self._room_left(spec, sections, None) + 2.4 - trailing  # (no grid heading or header here)
        prompts = [(s, p) for s in body for p in s.prompts]
        heads = sum(0.9 for s in body if s.heading)

        def need(cap: int) -> float:
            return heads + sum(0.9 + min(writing_lines(p, s.lines), cap) * LINE_CM for s, p in prompts)

        if need(99) <= room:
            return None
        for cap in range(max(writing_lines(p, s.lines) for s, p in prompts), MIN_BOX_LINES - 1, -1):
            if need(cap) <= room:
                return cap
        return None

    def _fit_rest(self, rest) -> int | None:
        """The rest of a sheet, questions and text only, on a fresh page: the boxes' lines (at least
        ``MIN_BOX_LINES``) that fit it on that page, or None (it fits, or needs more pages)."""
        if not rest or not all(isinstance(s, (PromptsSection, TextSection)) for s in rest):
            return None
        chars = 140 if self.landscape else 95
        room = self.height - 0.6 - sum(0.48 * (len(s.text) // chars + 1) + 0.4 for s in rest
                                       if isinstance(s, TextSection) and s.text)
        prompts = [(s, p) for s in rest if isinstance(s, PromptsSection) for p in s.prompts]
        if not prompts:
            return None
        heads = sum(0.9 for s in rest if isinstance(s, PromptsSection) and s.heading)

        def need(cap: int) -> float:
            return heads + sum(0.95 + min(writing_lines(p, s.lines), cap) * LINE_CM for s, p in prompts)

        if need(99) <= room:
            return None
        for cap in range(max(writing_lines(p, s.lines) for s, p in prompts), MIN_BOX_LINES - 1, -1):
            if need(cap) <= room:
                return cap
        return None

    def _sheet_fields(self, sections) -> list[str]:
        """Name, the sheet's own fields (team, unit …), date: once, at the top of the sheet."""
        name, date = self.labels["name"], self.labels["date"]
        own = [f for s in sections if isinstance(s, FieldsSection) for f in s.fields]
        fields, seen = [name], {norm(name), norm(date)} | NAME_AND_DATE  # "Navn" never beside "Name"
        for item in own:
            if norm(item) not in seen:
                fields.append(item)
                seen.add(norm(item))
        return fields + [date]

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
            self._label(prompt)
            lines = writing_lines(prompt, section.lines)
            self._box(min(lines, self.lines_cap) if getattr(self, "lines_cap", None) else lines, prompt)

    def _fields(self, names: list[str], columns: int) -> None:
        """Label | box pairs, ``columns`` pairs to a row: name and date on every sheet."""
        width = self.width
        label_cm = min(3.5, max(2.2, max(text_cm(n, self.plan.branding.body_font, bold=True) for n in names) + 0.5))
        box_cm = (width - columns * label_cm) / columns
        self._gap()
        table = add_grid_table(self.document, 0, 2 * columns)
        short_rows = []
        rows = []
        for start in range(0, len(names), columns):
            tr = add_row(table, 1.0)
            rows.append(tr)
            chunk = names[start:start + columns]
            tcs = cells(tr)
            for offset, name in enumerate(chunk):
                tc = tcs[2 * offset]
                _label_cell(tc, name)
                vertical_centre(tc)
                shade_cell(tc, "F2F2F2")
            if len(chunk) < columns:
                short_rows.append((tr, len(chunk)))
        set_column_widths(table, [label_cm, box_cm] * columns)
        for tr, used in short_rows:  # the last box runs to the right edge instead of an unlabelled box
            _merge_to_end(table, tr, 2 * used - 1)
        for r, tr in enumerate(rows):
            chunk = names[r * columns:(r + 1) * columns]
            tcs = cells(tr)
            for offset, name in enumerate(chunk):
                add_writing_box(tcs[2 * offset + 1], self._tag("field", name), control_title(name))

    def _table(self, section: TableSection) -> None:
        columns = len(section.columns)
        choices = {n - 1: [str(c) for c in options] for n, options in (section.choices or {}).items()}
        relative = section.widths if section.widths and len(section.widths) == columns else guess_widths(section)
        body = [[v for r in section.rows for v in r[i:i + 1] if BOX not in v] for i in range(columns)]
        for index, options in choices.items():
            body[index] = [" ".join(f"{BOX} {o}" for o in options)]
        widths, size = fit_header(section.columns, scale_widths(relative, self.width), self.plan.branding.body_font, body)
        self._gap()
        table = branded_table(self.document, self.plan, section.columns, widths, size_pt=size)
        rows = [list(r) + [""] * (columns - len(r)) for r in section.rows] + [[""] * columns for _ in range(section.empty_rows)]
        writing = max(ROW_CM, 2.0 if len(rows) <= 6 else ROW_CM)
        blank = not section.rows and section.empty_rows  # a list to fill in ("Potentielle temaer"): fitted to its page
        if blank and self.first_room is not None and self.first_room / len(rows) >= MIN_WRITE_ROW_CM:
            writing = min(writing, self.first_room / len(rows))
        self.first_room = None
        widths_cm = widths
        heights = [writing if any(v == "" for v in r) else max(ROW_CM, _text_rows_cm(r, widths_cm)) for r in rows]
        fits = 1.0 + sum(heights) + 0.6 * len(section.groups or {}) <= self.height - 2.5
        scale = is_scale(section)
        groups = section.groups or {}
        group_ends = []  # the last row of each group: a grouped form breaks between groups only
        for number, values in enumerate(rows, start=1):
            if number in groups:
                if number > 1:
                    group_ends.append(len(table._tbl.findall(W_TR)) - 1)
                self._group_row(table, groups[number])
            free = [v == "" and i not in choices for i, v in enumerate(values[:columns])]
            tr = add_row(table, writing if any(free) and not scale else None)
            for index, (tc, value) in enumerate(zip(cells(tr), values[:columns])):
                header = section.columns[index]
                if index in choices and value == "":
                    options = choices[index]
                    text = BOX if options == [header] else "  ".join(f"{BOX} {o}" for o in options)
                    self._choices(tc.find(W_P), text, f"{section.heading or ''} {header}".strip() if options == [header]
                                  else header)
                    set_format(tc.find(W_P), CENTRED)
                    vertical_centre(tc)
                elif value == "" and scale:
                    self._choices(tc.find(W_P), BOX, f"{section.heading or ''} {header}".strip())
                    set_format(tc.find(W_P), CENTRED)
                    vertical_centre(tc)
                elif value == "":
                    name = header or label(self.labels, "write_here")
                    add_writing_box(tc, self._tag("cell", name), control_title(name))
                elif BOX in value:
                    self._choices(tc.find(W_P), value, header)
                    set_format(tc.find(W_P), CENTRED)
                    vertical_centre(tc)
                else:
                    _label_cell(tc, value, size=Pt(BODY_PT), bold=None)
        if groups and not fits:  # each group on one page (its rows kept with the next), the header repeating
            trs = table._tbl.findall(W_TR)
            for index, tr in enumerate(trs[:-1]):
                if index not in group_ends:
                    for p in tr.iter(W_P):
                        set_format(p, KEEP)
        else:  # a table that fits on a page is not split; a longer one breaks between rows (its header repeats)
            keep_rows_together(table, whole=fits or len(rows) <= 2)
        if section.ends:  # what the scale's first and last numbers mean, under them: "1 = Stor ubalance … 10 = God balance"
            if tr is not None:
                for p in tr.iter(W_P):
                    set_format(p, KEEP)
            low, high = (str(e) for e in section.ends)
            ends = add_p(self.document, f"{section.columns[0]} = {low}", fmt=(("space_before", Pt(2)),),
                         size=Pt(BODY_PT - 1), italic=True)
            ends.paragraph_format.tab_stops.add_tab_stop(Cm(sum(widths)), WD_TAB_ALIGNMENT.RIGHT)
            run = ends.add_run(f"\t{section.columns[-1]} = {high}")  # python-docx writes the tab as <w:tab/>
            run.font.size, run.font.italic = Pt(BODY_PT - 1), True

    def _group_row(self, table, title: str) -> None:
        """A row across the table naming the group of rows below it ("A. Forudsætninger"), kept with them."""
        tr = add_row(table)
        tc = cells(tr)[0]
        _label_cell(tc, title, size=Pt(BODY_PT))
        set_format(tc.find(W_P), KEEP)
        _merge_to_end(table, tr, 0)
        shade_cell(cells(tr)[0], "F2F2F2")

    def _choices(self, p, text: str, name: str) -> None:
        """"☐ L  ☐ H" as text with a real checkbox where each ☐ is (``p``: a ``w:p``)."""
        parts = text.split(BOX)
        paragraph = Paragraph(p, None)
        if parts[0]:
            add_run(p, parts[0])
        for part in parts[1:]:
            title = f"{name} {part.strip()}".strip()
            append_checkbox(paragraph, self._tag("check", title), control_title(title))
            if part.strip():
                add_run(p, part if part.startswith(" ") else " " + part)

    def _grid(self, section: GridSection) -> None:
        width = self.width
        label_width = min(4.0, width * 0.2)
        cell_width = (width - label_width) / len(section.column_labels)
        widths, size = fit_header([""] + list(section.column_labels), [label_width] + [cell_width] * len(section.column_labels),
                                  self.plan.branding.body_font, [list(section.row_labels)], body_bold=True)
        self._gap()
        captions, row_notes, legend = _grid_captions(section, label(self.labels, "column_subject"))
        if legend:  # what each field is for, above the grid: the fields stay empty to write in
            for text in legend:
                add_p(self.document, text, "List Bullet", fmt=(("keep_with_next", True), ("space_after", Pt(2))))
            self._gap()
        table = branded_table(self.document, self.plan, [""] + list(section.column_labels), widths, size_pt=size)
        # the whole grid on one page: rows no taller than the page allows (room for a heading)
        above = self.figure_above  # a figure just placed above this grid shares its page
        self.figure_above = 0.0
        row_cm = min(section.lines * LINE_CM, (self.height - 3.5 - above) / len(section.row_labels))
        least = GRID_ROW_CAPTIONED_CM if any(any(row) for row in captions) else GRID_ROW_CM
        follow = 0.0
        for box in self.follow:  # as many of the sheet's follow-on boxes under it as leave rows of ``least``
            if (self.height - 3.5 - above - follow - box) / len(section.row_labels) < max(least, 0.75 * section.lines * LINE_CM):
                break
            follow += box
        if follow:
            row_cm = min(row_cm, (self.height - 3.5 - above - follow) / len(section.row_labels))
        whole = True
        if self.first_room is not None:  # the sheet's first grid on its first page, when rows of 1.6 cm fit
            header_cm = _header_cm([""] + list(section.column_labels), widths, size, self.plan.branding.body_font)
            safety = FIT_SAFETY_CM if least == GRID_ROW_CAPTIONED_CM else 0.0  # captions wrap as they will
            fitted = (self.first_room - safety - max(0.0, header_cm - 0.8)) / len(section.row_labels)
            if fitted >= least:  # two handwritten lines at least (under a caption, more)
                row_cm = min(row_cm, fitted)
            else:  # it starts under the sheet's title and breaks between rows, not leaving a page half empty
                whole = False
            self.first_room = None
        for r, row_label in enumerate(section.row_labels):
            tcs = cells(add_row(table, row_cm))
            _label_cell(tcs[0], row_label, size=Pt(BODY_PT))
            if row_notes[r]:  # what the row's fields ask, said once beside them
                note = new_p(None, (("space_before", Pt(3)),))
                add_run(note, row_notes[r], size=Pt(CAPTION_PT))
                tcs[0].append(note)
            shade_cell(tcs[0], "F2F2F2")
            for c, tc in enumerate(tcs[1:]):
                caption = captions[r][c]
                if caption:  # a prompt above the writing box, outside it: nothing to delete
                    add_run(tc.find(W_P), caption, size=Pt(CAPTION_PT), bold=True)
                    tc.append(new_p())  # cell.add_paragraph()
                title = f"{row_label} / {section.column_labels[c]}"
                add_writing_box(tc, self._tag("cell", title), control_title(title))
        keep_rows_together(table, whole=whole)

    def _checklist(self, section: ChecklistSection) -> None:
        for item in section.items:
            keep = len(section.items) <= 12 and item != section.items[-1]
            paragraph = add_p(self.document, fmt=(("left_indent", Cm(0.8)), ("first_line_indent", Cm(-0.8)),
                                                  ("space_after", Pt(4)), ("keep_with_next", keep), ("tab_stop", Cm(0.8))))
            text = item.replace(BOX, "").strip()
            append_checkbox(paragraph, self._tag("check", text), control_title(text))
            add_run(paragraph._p, "\t" + text)
            if norm(text) in WRITE_IN:  # "Andet?": a line to say what, to the right margin, and a field to type in
                self._write_in(paragraph, text)

    def _write_in(self, paragraph, text: str) -> None:
        """An empty plain-text control (nothing that prints) and a tab whose leader draws the line to write on."""
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
        from docx.oxml import OxmlElement

        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(self.width - 0.8), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES)
        add_run(paragraph._p, " ")
        sdt, sdt_pr, content = _sdt(self._tag("field", text), control_title(text))
        sdt_pr.append(OxmlElement("w:text"))
        content.append(OxmlElement("w:r"))
        paragraph._p.append(sdt)
        add_run(paragraph._p, "\t")

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
            if getattr(self, "figure_cap", None):
                limit = min(limit, self.figure_cap)
        if limit is not None and height_cm > limit:
            height_cm = limit
            width_cm = height_cm / aspect(diagram)
        return width_cm, height_cm

    def _diagram(self, diagram, sections=(), title: str = "") -> None:
        """The tool's figure as a picture, drawn from the same data as the deck's shapes, above the
        grid or table it explains and never taller than it (the writing room gets the height)."""
        if diagram is None:
            return
        width_cm, height_cm = self._diagram_size(diagram, sections)
        legible = print_width_cm(diagram, language=self.plan.org.language,  # never so small that labels
                                 font_file=font_file(self.plan.branding.body_font), widest_cm=min(self.width, 17.0))
        if width_cm < legible:  # fall below print size (kitgen.render.diagrams draws them, issue 21.4)
            width_cm, height_cm = legible, legible * aspect(diagram)
        data = png(diagram, int(width_cm * 60), int(height_cm * 60), language=self.plan.org.language,
                   font_file=font_file(self.plan.branding.body_font), width_cm=width_cm,
                   colours={"primary": self.plan.branding.primary_color, "accent": self.plan.branding.accent_color})
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = _explained(sections, diagram) is not None  # with the grid it explains
        paragraph.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))
        self.diagram_cm = height_cm + 0.8
        self.figure_above = height_cm + 0.8 if _explained(sections, diagram) is not None else 0.0
        alt_text(paragraph, describe(diagram, self.plan.org.language) or _figure_description(diagram, title, self.plan.org.language))


NAME_AND_DATE = {"navn", "name", "dato", "date"}  # every sheet's own fields, in either language
SHEET_FIGURE_CM = 6.0  # a figure that explains the whole sheet is at most this high
SHEET_FIGURE_WIDTH_CM = 15.0  # … and this wide
FIGURE_MIN_CM = 3.5
FIT_SAFETY_CM = 0.8  # estimates of the room left on a page are kept this far from its foot
BACK_TO_PORTRAIT = 5  # after a wide section this many writing boxes or more get portrait pages; fewer stay on its page
KEEP_WITH_BOX = 2  # the last paragraphs of a text before a box that keep with it
MIN_BOX_LINES = 3  # a writing box is never cut below three handwritten lines to fit its page
CAPTION_CHARS = 70  # a field's caption longer than this is not printed in the field
CAPTION_PT = 9
GRID_ROW_CM = 1.4  # a grid's row is at least this high (three handwritten lines' worth, or a curve drawn in it)
GRID_ROW_CAPTIONED_CM = 2.0  # … and this under a caption
MIN_WRITE_ROW_CM = 0.9  # a row to write in is never lower than this: two body lines  # a figure is no smaller than this (its lettering stays legible)


def _prompts_cm(section) -> list[float]:
    """A cautious height (cm) of each prompt of a prompts section: its label and box."""
    if not isinstance(section, PromptsSection):
        return []
    return [0.9 + writing_lines(p, section.lines) * LINE_CM for p in section.prompts]


def _explained(sections, diagram=None) -> int | None:
    """The index of the section a figure explains: the sheet's first grid, or for a scale figure
    ("1 … 10, lav … høj") the scale participants tick; without one, the figure explains the whole
    sheet and stands under its instructions."""
    what = explains(diagram) if diagram is not None else "grid"  # the kind's EXPLAINS (kitgen.content.diagrams)
    if what == "scale":
        return next((index for index, section in enumerate(sections) if is_scale(section)), None)
    if what != "grid":  # a process, cycle, triangle …: the sheet's whole idea
        return None
    return next((index for index, section in enumerate(sections) if isinstance(section, GridSection)), None)


def _words(text: str) -> list[str]:
    return text.split()


def _row_pattern(texts: list[str]) -> str | None:
    """What a row of long captions has in common, with "…" where they differ ("Indsæt temaer som
    … skal støttes i at løfte."), when the common words are most of each caption."""
    if len(texts) < 2 or not all(texts):
        return None
    split = [_words(t) for t in texts]
    head = 0
    while all(len(w) > head for w in split) and len({w[head].lower() for w in split}) == 1:
        head += 1
    tail = 0
    while all(len(w) > head + tail for w in split) and len({w[-1 - tail].lower() for w in split}) == 1:
        tail += 1
    shortest = min(len(w) for w in split)
    if head + tail < 0.5 * shortest or head + tail >= shortest:
        return None
    first = split[0]
    return " ".join(first[:head] + ["…"] + (first[len(first) - tail:] if tail else []))


def _lead(text: str, limit: int = 24) -> str:
    """The opening sentences of a caption, as long as they stay under ``limit`` characters ("Felt 1. Fokuser her.")."""
    import re

    out = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out


def _grid_captions(section, column_word: str = "…") -> tuple[list[list[str]], list[str], list[str]]:
    """The grid's captions as printed: short ones (a prompt, ``CAPTION_CHARS`` or less) stay in their
    field, above the room to write; a row of long ones that say the same thing is said once beside the
    row; other long ones go to a legend above the grid, their field keeping only its opening words."""
    rows, columns = len(section.row_labels), len(section.column_labels)
    raw = [[(section.cells[r][c] if section.cells and r < len(section.cells) and c < len(section.cells[r]) else "") or ""
            for c in range(columns)] for r in range(rows)]
    captions = [[""] * columns for _ in range(rows)]
    notes, legend = [""] * rows, []
    for r, row in enumerate(raw):
        long = [len(t) > CAPTION_CHARS for t in row]
        pattern = _row_pattern(row) if all(long) else None
        if pattern:
            notes[r] = pattern.replace("…", column_word)
            continue
        for c, text in enumerate(row):
            if not long[c]:
                captions[r][c] = text
            else:
                legend.append(text)
                captions[r][c] = _lead(text)
    return captions, notes, legend


def _header_cm(headers, widths_cm, size_pt: float, family: str) -> float:
    """A cautious height (cm) of a header row: its most-wrapped cell's lines at ``size_pt``, bold."""
    import math

    lines = 1
    for header, width in zip(headers, widths_cm):
        room = max(0.5, width - 0.45)
        words, line, count = str(header).split(), 0.0, 1
        for word in words:
            w = text_cm(word + " ", family, size_pt, bold=True)
            if line and line + w > room:
                count, line = count + 1, 0.0
            line += w
        lines = max(lines, count)
    return 0.3 + lines * size_pt * 1.2 / 28.35 + 0.05 * math.ceil(lines / 2)


def _text_rows_cm(values, widths_cm) -> float:
    """A cautious height (cm) of a table row of text at 10 pt: the tallest cell's lines."""
    lines = max([len(str(v)) / max(1.0, w * 5.2) for v, w in zip(values, widths_cm)] or [1])
    return 0.25 + 0.45 * (int(lines) + 1)


def _grid_is_the_figure(diagram, sections) -> bool:
    """A matrix figure whose rows and columns are a grid's on the same sheet: the grid shows it already."""
    if diagram is None or not (hasattr(diagram, "rows") and hasattr(diagram, "columns")):
        return False
    rows, columns = len(getattr(diagram, "rows", []) or []), len(getattr(diagram, "columns", []) or [])
    return any(isinstance(s, GridSection) and len(s.row_labels) == rows and len(s.column_labels) == columns for s in sections)


def _figure_description(diagram, title: str, language: str) -> str:
    """Alternative text made from the figure's data: the sheet's title and the words the figure shows."""
    words: list[str] = []
    for name in type(diagram).model_fields:
        if name in ("kind", "editor_note", "editorial", "seed"):
            continue
        value = getattr(diagram, name, None)
        for item in value if isinstance(value, list) else [value]:
            for text in item if isinstance(item, list) else [item]:
                if isinstance(text, Text) and text.get(language):
                    words.append(text.get(language))
    return control_title(": ".join(t for t in (title, ", ".join(dict.fromkeys(words))) if t), 250)


def _orientations(sections) -> list[bool]:
    """Each section's page orientation (True: landscape). A wide table or grid (five or more text
    columns) gets landscape pages; a text section goes with the page it follows (a legend under a
    grid), or at the start with the first section after it. After a wide section the sheet turns back
    to portrait for what follows when that holds a table or grid or three writing boxes or more;
    a box or two stay on the landscape page."""
    wide = [is_wide(s) for s in sections]
    turned: list[bool | None] = [None] * len(sections)
    for index, section in enumerate(sections):
        if isinstance(section, (TextSection, FieldsSection)):
            continue
        if wide[index]:
            turned[index] = True
            continue
        before = [i for i in range(index) if wide[i]]
        if before:
            rest = sections[index:]
            boxes = sum(len(s.prompts) for s in rest if isinstance(s, PromptsSection))
            boxes += sum(1 for s in rest if isinstance(s, ChecklistSection))
            back = any(isinstance(s, (TableSection, GridSection)) and not is_wide(s) for s in rest) or boxes >= BACK_TO_PORTRAIT
            turned[index] = not back if not any(turned[i] is False for i in range(before[-1] + 1, index)) else False
        else:
            turned[index] = False
    # the light sections just before a wide one (questions, a scale, a checklist) go onto its landscape page
    # rather than onto a portrait page of their own between a full page and the turn
    for index, section in enumerate(sections):
        if not wide[index]:
            continue
        back = index - 1
        while back >= 0 and _light(sections[back]) and turned[back] is not True:
            if turned[back] is False:
                turned[back] = True
            back -= 1
    first = next((t for t in turned if t is not None), False)
    current = first
    out = []
    for value in turned:
        current = current if value is None else value
        out.append(current)
    return out


LABEL_AT = re.compile(r"(?:^|(?<=[.!?]) )([A-ZÆØÅ][\wæøå]*(?:[ /-][\wæøå]+){0,4}): ")


def labelled_parts(text: str) -> list[tuple[str, str]]:
    """A paragraph that runs several labelled lists together ("Ydre krav: deadlines, … Indre krav:
    fejlfri, …") as (label, text) pairs, when it starts with a label and has three or more; else []."""
    text = " ".join(text.split())
    found = list(LABEL_AT.finditer(text))
    if len(found) < 3 or found[0].start() != 0:
        return []
    parts = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        parts.append((match.group(1), text[match.end():end].strip()))
    return parts if all(rest for _, rest in parts) else []


def _light(section) -> bool:
    """A section that fits beside others on a page: questions with boxes, a checklist, a scale, text."""
    return isinstance(section, (PromptsSection, ChecklistSection, TextSection)) or is_scale(section)


def _writing_cm(section) -> float:
    """The least height (cm) the grid or table a figure explains is given to write in."""
    if isinstance(section, GridSection):
        return len(section.row_labels) * min(section.lines * LINE_CM, 2.0) + 1.0
    return (len(section.rows) + section.empty_rows) * ROW_CM + 1.0


def _one_heading_per_section(sections) -> list[tuple[str | None, str | None]]:
    """Each section's heading and run-in label: a section headed "1. Mål … – støttespørgsmål"
    followed by one headed "1. Mål …" is one section under "1. Mål …", its support questions
    under the run-in label "Støttespørgsmål"."""
    headings = [getattr(s, "heading", None) for s in sections]
    out: list[tuple[str | None, str | None]] = [(h, None) for h in headings]
    for i in range(len(headings) - 1):
        this, following = headings[i], headings[i + 1]
        if not this or not following or norm(this) == norm(following):
            continue
        if this.startswith(following) and this[len(following):].strip(" –-:"):
            rest = this[len(following):].strip(" –-:")
            out[i] = (following, rest[:1].upper() + rest[1:])
            out[i + 1] = (following, None)
    return out


def _label_cell(tc, text: str, bold=True, size=None) -> None:
    """``cell.text = ""`` then ``cell.paragraphs[0].add_run(text)`` in a bold (or sized) run."""
    p = tc.find(W_P)
    etree.SubElement(p, W_R)
    add_run(p, text, bold=bold, size=size)


def vertical_centre(tc) -> None:
    """``cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER``."""
    insert_in_order(tc.get_or_add_tcPr(), stamp("vAlign-center", _v_align), TC_PR_ORDER)


def _v_align():
    from docx.oxml import OxmlElement

    tc = OxmlElement("w:tc")
    _Cell(tc, None).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return tc.tcPr.vAlign


def _box_table(table, lines: int, width: float):
    """The empty one-cell writing-box table as :meth:`_Sheet._box` sets it up (kept, copied)."""
    row = table.rows[0]
    set_row_height(row, lines * LINE_CM)
    keep_row_on_one_page(row)
    set_column_widths(table, [width])
    return copy.deepcopy(table._tbl)


def _merge_to_end(table, tr, first: int) -> None:
    """``row.cells[first].merge(row.cells[-1])`` in a row of plain cells (no spans yet).

    python-docx's merge works out the span from the whole table on every call; the cells it
    leaves are a function of the merged cells alone, so they are made once per shape (on a
    scratch copy of the table, by ``_Cell.merge``) and copied into the row."""
    tcs = cells(tr)
    key = ("merge", first, len(tcs), b"".join(etree.tostring(tc) for tc in tcs[first:]))

    def build():
        scratch = copy.deepcopy(table._tbl)
        row = scratch[table._tbl.index(tr)]
        scratch_tcs = cells(row)
        _Cell(scratch_tcs[first], table).merge(_Cell(scratch_tcs[-1], table))
        holder = etree.Element(W_TR)
        holder.extend(copy.deepcopy(tc) for tc in cells(row)[first:])
        return holder

    merged = stamp(key, build)
    for tc in tcs[first:]:
        tr.remove(tc)
    tr.extend(list(merged))
