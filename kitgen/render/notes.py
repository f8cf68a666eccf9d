"""Kit plan → facilitator notes (.docx): a run-sheet with clock times and slide numbers, then a
facilitator's guide per block (what to say and do, minutes within the block, quotes to read
aloud, role-play scripts, tool steps numbered from 1 per tool), and the tools' long source
texts in an appendix at the end."""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from kitgen.plan.kitplan import KitPlan
from kitgen.plan.assemble_docs import RunSheetRow, format_time, label
from kitgen.render.doctables import branded_table
from kitgen.render.document import (
    add_styled, open_document, prepare_pages, save_document, scale_widths, text_width_cm, write_text,
)
from kitgen.plan.measure import text_width_pt
from kitgen.render.sheet_layout import CELL_MARGINS_PT, fit_header
from kitgen.ooxml.wordml import insert_in_order, shade_cell
from kitgen.render.stamps import W_P, add_p, add_row, add_run, cells, new_p
from kitgen.render.notes_block import LIST_ITEM, KEEP, _block_detail, keep_lead_ins
from kitgen.render.notes_prep import before_workshop, block_materials
from kitgen.render.notes_text import plain
from kitgen.render.notes_said import Said

TIME_COLUMNS_CM = [2.45, 1.1]  # "00.00–00.00" at 9 pt plus cell margins; minutes
OTHER_COLUMNS = [3.6, 6.6, 3.4]  # block, what happens (one line per activity), materials: share the rest
RUN_SHEET_PT = 9
WHAT = 3  # the run-sheet's "what happens" column
MIN_COLUMN_CM = 2.3  # a block, materials or who column is never narrower
MAX_WHAT_CM = 9.0
APPENDIX_PT = 9.5
GUIDE_PT = 10
GUIDE_AFTER_PT = 6  # space after a paragraph of the guide (DEMO-EN: 3 pages, two lines on the last, at 10 pt)
CELL_LINE = (("space_before", Pt(0)), ("space_after", Pt(0)))
PAUSE_FILL = "E7E6E6"
PAUSE_TINT = 0.82  # a pause row is filled with the brand colour this far towards white: it stands out, text stays legible
P_PR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
              "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")


def _set_close(document) -> None:
    """A guide's paragraphs set close (the template's default is Word's 10 pt after each): in the document
    defaults, so a table style's own spacing (the run-sheet's cells) still wins over it."""
    twips = int(GUIDE_AFTER_PT * 20)
    spacing = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None and int(spacing.get(qn("w:after"), "0")) > twips:
        spacing.set(qn("w:after"), str(twips))
    after = document.styles["Normal"].paragraph_format.space_after
    if after is not None and after > Pt(GUIDE_AFTER_PT):
        document.styles["Normal"].paragraph_format.space_after = Pt(GUIDE_AFTER_PT)


def render_notes(plan: KitPlan) -> bytes:
    labels = plan.labels
    document = open_document(plan, f"{plan.branding.display_name} · {labels['facilitator_notes']}")
    prepare_pages(document, plan)
    normal = document.styles["Normal"]
    if normal.font.size is None or normal.font.size > Pt(GUIDE_PT):  # a guide to read at the table, not a letter
        normal.font.size = Pt(GUIDE_PT)
    _set_close(document)
    title = add_styled(document, labels["facilitator_notes"], "Title")
    title_rule(title, plan.branding.primary_color)
    add_p(document, plan.title or None, bold=True)
    slot = plan.programme.slot
    blank = "_" * 24  # what the organisation does not give, the facilitator fills in by hand ("Dato: ____")
    facts = [
        (labels["date"], plan.date_text or blank),
        (labels["venue"], plan.org.venue or blank),
        (labels["facilitators"], ", ".join(plan.org.facilitators) or blank),
        (labels["agenda"], f"{format_time(slot.start, labels)}–{format_time(slot.end, labels)}"),
    ]
    for name, value in facts:
        if value:
            paragraph = add_p(document, f"{name}: ", fmt=(("space_after", Pt(0)),), bold=True)
            add_run(paragraph._p, value)

    add_styled(document, labels["run_sheet"], "Heading 1", KEEP)
    _run_sheet(document, plan)
    before_workshop(document, plan)  # the deck, copies, scripts and materials: what "no worksheets" and "Slides" said
    document._kitgen_own_materials = any(block_materials(row, labels) for row in plan.run_sheet)
    appendix: list[tuple[str, str, str]] = []  # (title, text, source)
    credited: list[str] = []  # the quotes' sources: each named once, under the first quotes it credits
    for row in plan.run_sheet:
        _block_detail(document, plan, row, appendix, credited)
    if appendix:
        _appendix(document, plan, appendix)
    return save_document(document, plan, f"{labels['facilitator_notes']} – {plan.title} – {plan.org.name}")


def _run_sheet(document, plan: KitPlan) -> None:
    """Time, minutes, block, what happens (one line per activity), materials and, when any
    block names who leads it, who: the pauses shaded so they stand out."""
    labels = plan.labels
    leads = any(row.lead for row in plan.run_sheet)
    materials = any(block_materials(row, labels) for row in plan.run_sheet)  # none but the deck: no column of it
    header = [label(labels, "time"), labels["minutes"], labels["block"], labels["what_happens"]]
    relative = list(OTHER_COLUMNS)
    if materials:
        header.append(labels["materials"])
    else:
        relative.pop()
    if leads:
        header.append(label(labels, "lead"))
        relative.append(2.2)
    rest = text_width_cm(document) - sum(TIME_COLUMNS_CM)
    columns = [[r.title for r in plan.run_sheet], [w for r in plan.run_sheet for w in r.what]]
    columns += [[m for r in plan.run_sheet for m in block_materials(r, labels)]] if materials else []
    columns += [[r.lead for r in plan.run_sheet]] if leads else []
    widths, size = fit_header(header, TIME_COLUMNS_CM + scale_widths(relative, rest), plan.branding.body_font,
                              [[], []] + columns)  # no word of a block, activity or material breaks mid-word
    widths = _widen_for_lines(widths, WHAT, columns, plan.branding.body_font)
    table = branded_table(document, plan, header, widths, size_pt=min(9, size))
    fill = tint(plan.branding.primary_color, PAUSE_TINT) if plan.branding.primary_color else PAUSE_FILL
    for row in plan.run_sheet:
        tr = add_row(table)
        pause = row.kind == "break"
        clock = f"{format_time(row.start, labels)}–{format_time(row.end, labels)}"
        values = [[clock], [str(row.minutes if row.minutes is not None else "")], [row.title], row.what]
        if materials:
            values.append(block_materials(row, labels))
        if leads:
            values.append([row.lead])
        for tc, lines in zip(cells(tr), values):
            p = tc.find(W_P)
            for number, line in enumerate(lines):
                if number:
                    p = new_p(None, CELL_LINE)
                    tc.append(p)
                add_run(p, line, size=Pt(RUN_SHEET_PT), bold=True if pause else None)
            if pause:
                shade_cell(tc, fill)


def tint(hex_colour: str, towards_white: float) -> str:
    """``hex_colour`` mixed with white ("#7A1F3D", 0.82 → "EBDADF")."""
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * towards_white):02X}" for c in rgb)


def _widen_for_lines(widths: list[float], index: int, columns: list[list[str]], family: str) -> list[float]:
    """Column ``index`` ("Hvad sker der", one activity a line) as wide as its longest line, where
    the block, materials and who columns can give the room: each keeps its longest word (and
    ``MIN_COLUMN_CM``), the block's title wraps first."""
    def need(texts, whole):
        parts = texts if whole else [w for t in texts for w in str(t).split()]
        return (max([text_width_pt(p, family, RUN_SHEET_PT) for p in parts] or [0]) + CELL_MARGINS_PT) / 28.3465

    widths = list(widths)
    want = min(need(columns[index - 2], True), MAX_WHAT_CM)
    for donor in [2] + list(range(index + 1, len(widths))):  # the block first, then materials and who
        floor = max(need(columns[donor - 2], False), MIN_COLUMN_CM)
        take = max(0.0, min(widths[donor] - floor, want - widths[index]))
        widths[donor] -= take
        widths[index] += take
    return widths


def title_rule(paragraph, hex_colour: str | None) -> None:
    """The rule under the title in the organisation's colour (``w:pBdr/w:bottom``), in place of the
    template style's own (Word's default is blue)."""
    if not hex_colour:
        return
    p_pr = paragraph._p.get_or_add_pPr()
    for old in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(old)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", hex_colour.lstrip("#").upper())):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    insert_in_order(p_pr, border, P_PR_ORDER)


LEAD_IN = re.compile(r"^([A-ZÆØÅ][^:.!?]{1,64}): ")
LEAD_IN_WORDS = 9  # "MED/SU og AMO – leder, TR og AMR:" as bold as "Topledelsen:" beside it


def _bold_lead_in(paragraph) -> None:
    """"Baggrund: …" with its lead-in label in bold, so the eye finds it in the background text."""
    runs = paragraph.runs
    match = LEAD_IN.match(paragraph.text)
    if not match or len(runs) != 1 or len(match.group(1).split()) > LEAD_IN_WORDS:
        return
    run = runs[0]
    head = paragraph.add_run(match.group(0))
    head.bold = True
    run.text = run.text[len(match.group(0)):]
    run._r.addprevious(head._r)


def _new_lines(text: str, said: Said) -> list[str]:
    """The lines of an appendix text that the notes do not say already, sentence by sentence
    (kitgen.render.notes_said): a paragraph keeps only its new sentences and goes when none is left;
    a list's lead-in ("Kendte stressreaktioner:") goes with its list when every item is said."""
    lines = text.split("\n")
    kept: list[str | None] = []
    for line in lines:
        marker = LIST_ITEM.match(line)
        head = marker.group(0) if marker else ""
        if not line.strip():
            kept.append(line)
            continue
        if line.rstrip().endswith(":") and not head:
            kept.append(line)  # a lead-in: decided by what follows it, below
            continue
        left = said.new(line[len(head):])
        kept.append(f"{head}{left}" if left else None)
    for number, line in enumerate(kept):  # a lead-in stays with its list: when an item of it is new
        if line is None or not line.rstrip().endswith(":") or LIST_ITEM.match(line):
            continue
        end = number + 1
        while end < len(lines) and LIST_ITEM.match(lines[end]):
            end += 1
        if end == number + 1:  # no list under it: a paragraph like any other
            left = said.new(line)
            kept[number] = left or None
        elif all(item is None for item in kept[number + 1:end]):
            kept[number] = None
        else:
            said.add(line)
    result = [line for line in kept if line is not None]
    while result and not result[-1].strip():
        result.pop()
    return result if any(line.strip() for line in result) else []


def _sources(sources: list[str]) -> list[str]:
    """One line per source document, as a citation: "Guide – section A" and "Guide – section B"
    are both "Guide" (the sections a text was taken from are the editor's trail, not a source)."""
    return list(dict.fromkeys(source.partition(" – ")[0].strip() for source in sources if source.strip()))


def _appendix(document, plan: KitPlan, entries: list[tuple[str, str, str]]) -> None:
    """Background reading, on a page of its own after the guide: the long texts (blocks' and tools')
    without the sentences the notes printed already (one source per fact); a text with nothing new
    is left out. Texts from different sources each name theirs under the text; one shared source is
    named once, under the last."""
    said = Said()
    for paragraph in document.paragraphs:
        said.add(paragraph.text)
    texts = [(title, _new_lines(plain(text, plan.org.language), said), source) for title, text, source in entries]
    texts = [(title, lines, source) for title, lines, source in texts if lines]
    if not texts:
        return
    heading = add_styled(document, label(plan.labels, "appendix"), "Heading 1", KEEP)
    heading.paragraph_format.space_before = Pt(18)  # it follows the last block: no page of the guide is left half empty
    first = len(document.paragraphs)
    own = len({_sources([s])[0] for _, _, s in texts if s}) > 1  # texts from different sources: each names its own
    for number, (title, lines, source) in enumerate(texts, start=1):
        add_styled(document, f"{number}. {title}", "Heading 3", KEEP)
        for paragraph in keep_lead_ins(write_text(document, "\n".join(lines))):
            _bold_lead_in(paragraph)
        if own and source:  # under its own text, so no citation reads as the last one's
            [name] = _sources([source])
            document.paragraphs[-1].paragraph_format.keep_with_next = True
            add_p(document, f"{plan.labels['source']}: {plain(name)}", fmt=(("space_after", Pt(6)),), italic=True, size=Pt(8))
    shared = _sources([source for _, _, source in texts if source])
    if not own and shared:  # one source for every text: named once, under the last
        document.paragraphs[-1].paragraph_format.keep_with_next = True
        add_p(document, f"{plan.labels['source']}: {plain(shared[0])}", fmt=(("space_before", Pt(4)), ("space_after", Pt(0))),
              italic=True, size=Pt(8))
    for paragraph in document.paragraphs[first:]:  # background to read before the day: set closer than the guide
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            continue
        paragraph.paragraph_format.space_after = Pt(3)
        for run in paragraph.runs:
            if run.font.size is None:
                run.font.size = Pt(APPENDIX_PT)
