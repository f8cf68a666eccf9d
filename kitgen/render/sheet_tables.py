"""The worksheets' tables: name and date fields, tables with writing cells and checkboxes, grids,
checklists with a write-in line. A mixin of :class:`kitgen.render.worksheets._Sheet`, which keeps
the document, the page's orientation and the controls' tags."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from kitgen.content.worksheetmodel import ChecklistSection, GridSection, TableSection
from kitgen.content.diagrams.text import one_line, say
from kitgen.ooxml.wordml import _sdt, add_writing_box, append_checkbox, contrast_text, set_column_widths, shade_cell
from kitgen.plan.assemble_docs import label
from kitgen.render.doctables import add_grid_table, branded_table
from kitgen.render.document import scale_widths
from kitgen.render.sheet_cells import _label_cell, _merge_to_end, vertical_centre
from kitgen.render.sheet_layout import BODY_PT, BOX, LINE_CM, ROW_CM, control_title, fit_header, guess_widths, is_scale, norm, text_cm
from kitgen.render.sheet_rules import (
    CAPTION_PT, FIT_SAFETY_CM, PROMPT_PT, GRID_ROW_CAPTIONED_CM, GRID_ROW_CM, MIN_WRITE_ROW_CM, _grid_captions, _header_cm, _text_rows_cm,
)
from kitgen.render.stamps import W_P, W_R, W_T, W_TC, W_TR, add_p, add_row, add_run, cells, keep_rows_together, new_p, set_format

KEEP = (("keep_with_next", True),)
WRITE_IN = {"andet", "andre", "other", "others", "andet hvad"}  # a choice that asks what: gets a write-in field
CENTRED = (("alignment", WD_ALIGN_PARAGRAPH.CENTER),)


class SheetTables:
    """Tables, grids and checklists of a worksheet (see :class:`kitgen.render.worksheets._Sheet`)."""

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
        empty = section.empty_rows
        blank = not section.rows and empty  # a list to fill in ("Potentielle temaer"): fitted to its page
        if blank and self.first_room is not None and self.first_room / empty < MIN_WRITE_ROW_CM:
            # under its instructions on the sheet's first page, with the rows that fit there (at least half the
            # content's; the page's foot is filled afterwards, kitgen.render.sheet_flow), not alone on the next
            empty = max(empty // 2 + empty % 2, min(empty, int(self.first_room / MIN_WRITE_ROW_CM)))
        rows = [list(r) + [""] * (columns - len(r)) for r in section.rows] + [[""] * columns for _ in range(empty)]
        writing = max(ROW_CM, 2.0 if len(rows) <= 6 else ROW_CM)
        if blank and self.first_room is not None and self.first_room / len(rows) >= MIN_WRITE_ROW_CM:
            writing = min(writing, self.first_room / len(rows))
        elif blank and self.first_room is not None:  # a list too long for the room under the sheet's text: whole on
            writing = min(GRID_ROW_CAPTIONED_CM, (self.height - 4.0) / len(rows))  # the next page, its rows filling it
        room, self.first_room = self.first_room, None
        widths_cm = widths
        heights = [writing if any(v == "" for v in r) else max(ROW_CM, _text_rows_cm(r, widths_cm)) for r in rows]
        if room is not None and sum(heights) <= room < 1.0 + sum(heights) + sum(self.follow[:1]):  # (cautious room)
            self.page_full = True  # the table fits its page and the box after it does not: a fresh page for the rest
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
                    self._choice_cell(tc, text, f"{section.heading or ''} {header}".strip() if options == [header]
                                      else header)
                elif value == "" and scale:
                    self._choice_cell(tc, BOX, f"{section.heading or ''} {header}".strip())
                elif value == "":
                    name = header or label(self.labels, "write_here")
                    add_writing_box(tc, self._tag("cell", name), control_title(name))
                elif BOX in value:
                    self._choice_cell(tc, value, header)
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
        self._scale_ends(section, table, tr, widths, scale)

    def _scale_ends(self, section: TableSection, table, tr, widths, scale: bool) -> None:
        """A scale's numbers centred over their checkboxes, its header coloured as its figure (when the sheet has
        one), and what its first and last numbers mean under it: "1 = Stor ubalance … 10 = God balance"."""
        if scale:
            for p in table._tbl.find(W_TR).iter(W_P):
                set_format(p, CENTRED)
        figure = getattr(self, "scale_figure", None) if scale else None
        if figure is not None:  # the scale figure drawn by the table itself: its header pale to solid, as the figure's steps
            self._ramp(table)
        ends = section.ends or (figure is not None and self._figure_ends(figure))
        if not ends:
            return
        if tr is not None:
            for p in tr.iter(W_P):
                set_format(p, KEEP)
        low, high = (str(e) for e in ends)
        legend = add_p(self.document, f"{section.columns[0]} = {low}", fmt=(("space_before", Pt(2)),),
                       size=Pt(BODY_PT - 1), italic=True)
        # the right tab on the table's right edge: the table is drawn from the margin (its cells' text indented by
        # Word's 0.19 cm, kitgen.render.doctables), so its edge is that much short of the widths' sum
        legend.paragraph_format.tab_stops.add_tab_stop(Cm(sum(widths) - 0.19), WD_TAB_ALIGNMENT.RIGHT)
        run = legend.add_run(f"\t{section.columns[-1]} = {high}")  # python-docx writes the tab as <w:tab/>
        run.font.size, run.font.italic = Pt(BODY_PT - 1), True

    def _ramp(self, table) -> None:
        """The scale's header cells from a pale tint of the table colour at the low end to the solid colour at the high."""
        fill = (getattr(self.document, "_kitgen_table_colour", None) or self.plan.branding.primary_color).lstrip("#")
        solid = [int(fill[i:i + 2], 16) for i in (0, 2, 4)]
        tcs = table._tbl.find(W_TR).findall(W_TC)
        for index, tc in enumerate(tcs):
            share = 0.15 + 0.85 * index / max(1, len(tcs) - 1)
            colour = "".join(f"{round(255 + (c - 255) * share):02X}" for c in solid)
            shade_cell(tc, colour)
            text = contrast_text(colour)
            for run in tc.iter(W_R):
                if run.find(W_T) is not None:
                    Run(run, None).font.color.rgb = text

    def _figure_ends(self, figure):
        """The scale figure's end labels ("Lav trivsel", "Høj trivsel"), or None."""
        low, high = (one_line(say(v, self.plan.org.language)) for v in (figure.low_label, figure.high_label))
        return (low, high) if low and high else None

    def _group_row(self, table, title: str) -> None:
        """A row across the table naming the group of rows below it ("A. Forudsætninger"), kept with them."""
        tr = add_row(table)
        tc = cells(tr)[0]
        _label_cell(tc, title, size=Pt(BODY_PT))
        set_format(tc.find(W_P), KEEP)
        _merge_to_end(table, tr, 0)
        shade_cell(cells(tr)[0], "F2F2F2")

    def _choice_cell(self, tc, text: str, name: str) -> None:
        """A table cell of checkboxes ("☐ L  ☐ H"), centred across and down."""
        self._choices(tc.find(W_P), text, name)
        set_format(tc.find(W_P), CENTRED)
        vertical_centre(tc)

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
            for number, text in enumerate(legend, start=1):  # the last a little apart from the grid under it
                add_p(self.document, text, "List Bullet", fmt=(("keep_with_next", True),
                                                               ("space_after", Pt(8 if number == len(legend) else 2))))
            self._gap()
        asked, columns = _shared_question(list(section.column_labels))
        table = branded_table(self.document, self.plan, [""] + columns, widths, size_pt=size)
        if asked:  # "I hvor høj grad lykkes vi med det?" once, over "LAV GRAD" and "HØJ GRAD"
            _span_over_header(table, asked)
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
                self.page_full = fitted <= row_cm  # the grid's rows take the page: what follows starts a new one
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
                    add_run(tc.find(W_P), caption, size=Pt(PROMPT_PT), italic=True)
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


def _shared_question(labels: list[str]) -> tuple[str, list[str]]:
    """Column labels that all ask one question and then name their column ("I hvor høj grad lykkes vi med det?
    LAV GRAD", "… HØJ GRAD"): the question, said once, and what is left of each label; else ("", labels)."""
    import re

    parts = [re.split(r"(?<=[?:])\s+", label, maxsplit=1) for label in labels]
    if len(labels) < 2 or not all(len(p) == 2 and p[1].strip() for p in parts) or len({p[0] for p in parts}) != 1:
        return "", labels
    return parts[0][0], [p[1] for p in parts]


def _span_over_header(table, text: str) -> None:
    """A header row above the table's header: its first cell empty, ``text`` across the other columns (repeats too)."""
    import copy

    header = table._tbl.find(W_TR)
    row = copy.deepcopy(header)
    tcs = row.findall(W_TC)
    for tc in tcs[2:]:
        row.remove(tc)
    spanned = tcs[1]
    tc_pr = spanned.find(qn("w:tcPr"))
    width = tc_pr.find(qn("w:tcW"))
    total = sum(int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")) or 0) for tc in tcs[1:])
    if width is not None:
        width.set(qn("w:w"), str(total))
    span = OxmlElement("w:gridSpan", {qn("w:val"): str(len(tcs) - 1)})
    width.addnext(span) if width is not None else tc_pr.insert(0, span)
    for t in spanned.iter(W_T):
        t.text = ""
    texts = list(spanned.iter(W_T))
    if texts:
        texts[-1].text = text
    for p in spanned.iter(W_P):
        set_format(p, CENTRED)
    header.addprevious(row)
