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
from kitgen.plan.assemble_docs import RunSheetRow, Script, ToolGuide, format_time, label, question_label
from kitgen.render.document import (
    add_styled, branded_table, open_document, prepare_pages, save_document, scale_widths, text_width_cm, write_text,
)
from kitgen.render.sheet_layout import fit_header, norm
from kitgen.render.wordpages import restart_numbering, tag_run_language
from kitgen.ooxml.wordml import insert_in_order, shade_cell
from kitgen.render.stamps import W_P, add_p, add_row, add_run, cells, new_p
from kitgen.render.document import _shrink_paragraph
from kitgen.render.stamps import style_id

TIME_COLUMNS_CM = [2.45, 1.1]  # "00.00–00.00" at 9 pt plus cell margins; minutes
OTHER_COLUMNS = [3.6, 6.6, 3.4]  # block, what happens (one line per activity), materials: share the rest
RUN_SHEET_PT = 9
APPENDIX_PT = 9
GUIDE_PT = 10
CELL_LINE = (("space_before", Pt(0)), ("space_after", Pt(0)))
PAUSE_FILL = "E7E6E6"
REPEAT = 0.6  # an item is a repeat when this share of its words is in one item already printed
REPEAT_IN_TEXT = 0.6  # … or this share is in the block's notes
P_PR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
              "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
KEEP = (("keep_with_next", True),)
LABEL = (("keep_with_next", True), ("space_before", Pt(6)), ("space_after", Pt(2)))
SCRIPT_LINE = (("left_indent", Pt(18)), ("first_line_indent", Pt(-18)), ("space_after", Pt(3)))
LONG_SAY_CHARS = 1600  # a block's notes longer than this keep their opening in the guide, the rest goes to the appendix
KEEP_SAY_CHARS = 700  # … about this much of it (whole paragraphs)
SHORT_APPENDIX_CHARS = 3500
KEEP_LIST = 7  # a list this long or shorter is kept on one page
SHORT_HELP = 40  # help texts this short are set on one line, "·" between them
HELP_LINE = (("left_indent", Pt(36)), ("space_after", Pt(4)))
REPEAT_IN_APPENDIX = 0.75  # an appendix paragraph this much made of one thing the guide printed is left out


def render_notes(plan: KitPlan) -> bytes:
    labels = plan.labels
    document = open_document(plan, f"{plan.branding.display_name} · {labels['facilitator_notes']}")
    prepare_pages(document, plan)
    normal = document.styles["Normal"]
    if normal.font.size is None or normal.font.size > Pt(GUIDE_PT):  # a guide to read at the table, not a letter
        normal.font.size = Pt(GUIDE_PT)
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
    if not plan.worksheets:  # the kit has no worksheets file: say so where the facilitator plans
        facts.append((labels["worksheets"], label(labels, "no_worksheets")))
    common = _common_materials(plan)
    if common:  # what every block uses ("Slides") is said once, here, not under each block
        facts.append((labels["materials"], ", ".join(common)))
    document._kitgen_common_materials = set(common)
    for name, value in facts:
        if value:
            paragraph = add_p(document, f"{name}: ", fmt=(("space_after", Pt(0)),), bold=True)
            add_run(paragraph._p, value)

    add_styled(document, labels["run_sheet"], "Heading 1", KEEP)
    _run_sheet(document, plan)
    appendix: list[tuple[str, str, str]] = []  # (title, text, source)
    credited: list[str] = []  # the quotes' sources, named once at the end
    for row in plan.run_sheet:
        _block_detail(document, plan, row, appendix, credited)
    if appendix:
        _appendix(document, plan, appendix)
    for source in _sources([source for _, _, source in appendix if source] + credited):
        add_p(document, f"{labels['source']}: {plain(source)}", fmt=(("space_before", Pt(4)), ("space_after", Pt(0))),
              italic=True, size=Pt(8))
    return save_document(document, plan, f"{labels['facilitator_notes']} – {plan.title} – {plan.org.name}")


def _run_sheet(document, plan: KitPlan) -> None:
    """Time, minutes, block, what happens (one line per activity), materials and, when any
    block names who leads it, who: the pauses shaded so they stand out."""
    labels = plan.labels
    leads = any(row.lead for row in plan.run_sheet)
    header = [label(labels, "time"), labels["minutes"], labels["block"], labels["what_happens"], labels["materials"]]
    relative = list(OTHER_COLUMNS)
    if leads:
        header.append(label(labels, "lead"))
        relative.append(2.2)
    rest = text_width_cm(document) - sum(TIME_COLUMNS_CM)
    columns = [[r.title for r in plan.run_sheet], [w for r in plan.run_sheet for w in r.what],
               [m for r in plan.run_sheet for m in _short_materials(r, labels)]] + ([[r.lead for r in plan.run_sheet]] if leads else [])
    widths, size = fit_header(header, TIME_COLUMNS_CM + scale_widths(relative, rest), plan.branding.body_font,
                              [[], []] + columns)  # no word of a block, activity or material breaks mid-word
    table = branded_table(document, plan, header, widths, size_pt=min(9, size))
    for row in plan.run_sheet:
        tr = add_row(table)
        pause = row.kind == "break"
        clock = f"{format_time(row.start, labels)}–{format_time(row.end, labels)}"
        values = [[clock], [str(row.minutes if row.minutes is not None else "")], [row.title], row.what,
                  _short_materials(row, labels)]
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
                shade_cell(tc, PAUSE_FILL)


def _two_columns(document, columns: int = 2) -> None:
    """What follows starts a new page set in two columns: the appendix's background text reads
    like a handout, takes less paper, and does not start in the middle of the last block's page."""
    from docx.enum.section import WD_SECTION_START

    section = document.add_section(WD_SECTION_START.NEW_PAGE)
    _shrink_paragraph(document.element.body.findall(qn("w:p"))[-1])  # the break paragraph: no line of its own
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:cols")):
        sect_pr.remove(old)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(columns))
    cols.set(qn("w:space"), "567")  # 1 cm between the columns
    later = [c for c in sect_pr if c.tag in {qn(t) for t in ("w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                                               "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid")}]
    if later:
        later[0].addprevious(cols)
    else:
        sect_pr.append(cols)


def _short_materials(row: RunSheetRow, labels: dict) -> list[str]:
    """The row's materials with its worksheets as one line ("Arbejdsark 4, 5, 6"): the activity
    column names them already."""
    numbers = [str(t.worksheet_number) for t in row.tools if t.worksheet_number]
    if not numbers:
        return row.materials
    word = label(labels, "worksheet_no")
    named = tuple(f"{word} {n}:" for n in numbers)
    rest = [m for m in row.materials if not m.startswith(named)]
    return rest + [f"{word} {', '.join(dict.fromkeys(numbers))}"]


def _common_materials(plan: KitPlan) -> list[str]:
    """The materials every block but the pauses lists (when there are two blocks or more)."""
    rows = [r for r in plan.run_sheet if r.kind != "break"]
    if len(rows) < 2:
        return []
    lists = [_short_materials(r, plan.labels) for r in rows]
    return [m for m in lists[0] if all(m in other for other in lists[1:])]


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


def _label(document, text: str):
    """A bold run-in label ("Sig og gør") that stays with the text under it."""
    return add_p(document, text, fmt=LABEL, bold=True)


def _stems(text: str) -> set[str]:
    """The content words of ``text``, cut to five letters ("forklarer", "forklar" → "forkl")."""
    return {w[:5] for w in re.findall(r"\w+", text.lower()) if len(w) >= 4}


class _Shown:
    """What a block's guide has printed so far: an item whose words are mostly there already
    (a slide point that repeats the notes, a question that repeats a tool's step) is left out."""

    def __init__(self):
        self.items: list[set[str]] = []
        self.text: set[str] = set()

    def add(self, text: str, whole: bool = False) -> None:
        stems = _stems(text)
        if whole:
            self.text |= stems
        else:
            self.items.append(stems)

    def repeats(self, text: str) -> bool:
        stems = _stems(text)
        if not stems:
            return False
        if any(len(stems & item) >= REPEAT * len(stems) for item in self.items):
            return True
        return len(stems & self.text) >= REPEAT_IN_TEXT * len(stems)

    def new(self, texts: list[str]) -> list[str]:
        kept = []
        for text in texts:
            if not self.repeats(text):
                kept.append(text)
                self.add(text)
        return kept


def _block_detail(document, plan: KitPlan, row: RunSheetRow, appendix: list, credited: list) -> None:
    """One pass through the block: notes, minutes, tools with their steps, questions, slide
    points and quotes, each thing printed once."""
    labels = plan.labels
    add_styled(document, f"{format_time(row.start, labels)}–{format_time(row.end, labels)}  {row.title}", "Heading 2", KEEP)
    facts = []
    if row.minutes:
        facts.append(f"{row.minutes} {labels['minutes_short']}")
    if row.what and "," in row.what[0]:
        facts.append(row.what[0].split(", ", 1)[1])  # "slides 5–8"
    if row.lead:
        facts.append(f"{label(labels, 'lead')}: {row.lead}")
    if facts:
        add_p(document, " · ".join(facts), fmt=KEEP, italic=True)
    shown = _Shown()
    for question in row.questions:  # the block's questions are printed (numbered as the run-sheet counts them): a step,
        shown.add(question)  # point or help text that repeats one is not
    if row.say_and_do and not (row.kind == "break" and norm(row.say_and_do) in (norm(row.title), "")):
        _label(document, labels["say_and_do"])
        kept = _say_and_do(document, plan, row, appendix)
        shown.add(kept, whole=True)  # what the guide prints (a question only in the appendix text is still printed here)
    if row.segments:  # from the notes' own minutes where they give them (kitgen.assemble_docs.describe)
        _label(document, label(labels, "timeline"))
        for segment in row.segments:
            paragraph = add_p(document, f"{format_time(segment.start, labels)}–{format_time(segment.end, labels)}  ",
                              "List Bullet", bold=True)
            add_run(paragraph._p, f"{segment.text} ({segment.minutes} {labels['minutes_short']})")
    for term, text in row.definitions:
        paragraph = add_p(document, f"{label(labels, 'definition')} – {term}: ", bold=True)
        add_run(paragraph._p, text)
        shown.add(text, whole=True)
    scripts = set()  # a role-play named by the block and by its tool is printed once
    for tool in row.tools:
        _tool(document, plan, tool, appendix, scripts, shown)
    questions = list(zip(row.questions, row.question_help))  # all of them: the run-sheet's "spørgsmål 1–n"
    if questions:
        how = label(labels, question_label(row))
        _label(document, how[:1].upper() + how[1:] if question_label(row) == "questions_of_the_day"
               else f"{labels['questions']} ({how})")
        numbered, listed = [], []
        for question, helps in questions:
            numbered.append(add_styled(document, question, "List Number"))
            listed.append(numbered[-1])
            helps = shown.new(helps)
            if helps and all(len(h) <= SHORT_HELP for h in helps):  # short prompts ("Stor arbejdsmængde?") on one line
                listed.append(add_p(document, " · ".join(helps), fmt=HELP_LINE))
            else:
                for help_text in helps:
                    listed.append(add_styled(document, help_text,
                                             "List Bullet 2" if _has_style(document, "List Bullet 2") else "List Bullet"))
        restart_numbering(document, numbered)
        _keep_together(listed)
    points = shown.new(row.points)
    if points:
        _label(document, labels["points"])
        _keep_together([add_styled(document, point, "List Bullet") for point in points])
    for script in row.roleplays:
        if script.title not in scripts:
            _script(document, plan, script)
            scripts.add(script.title)
    read = getattr(document, "_kitgen_quotes", None)
    if read is None:
        read = document._kitgen_quotes = _Shown()  # quotes read aloud so far: each once in the guide
    quotes = [q for q in row.quotes if not shown.repeats(q.text) and not read.repeats(q.text)]  # said once
    for quote in quotes:
        read.add(quote.text)
    if quotes:
        _label(document, label(labels, "read_aloud"))
        for quote in quotes:
            paragraph = add_p(document, excerpt(quote.text), "Quote" if _has_style(document, "Quote") else None, italic=True)
            if quote.language != plan.org.language:  # spelling and hyphenation in the quote's own language
                tag_run_language(paragraph.runs[0], quote.language)
            if quote.attribution:  # credited only as the seed credits it: who said it, where it names someone
                add_run(paragraph._p, f"\n– {quote.attribution}", size=Pt(9))
            if quote.source:  # named once, with the document's other sources, at its end
                credited.append(quote.source)
    materials = _short_materials(row, labels)  # the worksheets by number: their titles are under "Redskab" above
    materials = [m for m in materials if m not in getattr(document, "_kitgen_common_materials", set())]
    if materials:
        _keep_together(document.paragraphs[-1:] + [None])  # not alone at the top of a page
        paragraph = add_p(document, f"{labels['materials']}: ", fmt=(("space_before", Pt(6)),), bold=True)
        add_run(paragraph._p, ", ".join(materials))


def _keep_together(paragraphs: list) -> None:
    """A short list (``KEEP_LIST`` items or fewer) is not split across pages: each item but the
    last keeps with the next (``None`` stands for a paragraph still to come)."""
    if len(paragraphs) > KEEP_LIST:
        return
    for paragraph in paragraphs[:-1]:
        if paragraph is not None:
            paragraph.paragraph_format.keep_with_next = True


def excerpt(text: str) -> str:
    """A quote that starts mid-sentence (with a small letter, as the seed has it) shown as the
    excerpt it is: "… man er i et krydspres"."""
    text = text.strip()
    if text[:1].islower():
        text = f"… {text}"
    if text and text[-1] not in ".!?…\"”’»)":
        text += " …"
    return text


UNEXPLAINED_SCORE = re.compile(r"\s\(\d,\d\)(?=[\s.,;:])")  # "(4,1)": a survey score the notes do not explain


def plain(text: str) -> str:
    """Notes as a facilitator reads them: without the seed's bare scores ("… kan stå inde for (4,1).") and
    with a word's leading hyphen kept on its line ("stressforebyggelse og -håndtering")."""
    return NO_BREAK_HYPHEN.sub("\u2011", UNEXPLAINED_SCORE.sub("", text))


NO_BREAK_HYPHEN = re.compile(r"(?<= )-(?=\w)")


def _has_style(document, name: str) -> bool:
    try:
        style_id(document, name)
    except KeyError:
        return False
    return True


def _say_and_do(document, plan: KitPlan, row: RunSheetRow, appendix: list) -> str:
    """The block's notes; a long one keeps its opening paragraphs here (what to say first) and
    sends the rest, the seed's background text, to the appendix."""
    text = plain(row.say_and_do.strip())
    if len(text) <= LONG_SAY_CHARS:
        write_text(document, text)
        return text
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    kept, size = [], 0
    for paragraph in paragraphs:
        if kept and size + len(paragraph) > KEEP_SAY_CHARS:
            break
        kept.append(paragraph)
        size += len(paragraph)
    rest = paragraphs[len(kept):]
    written = write_text(document, "\n\n".join(kept))
    if rest:
        _keep_together(written[-1:] + [None])  # the pointer to the appendix stays under the text it continues
        appendix.append((row.title, "\n\n".join(rest), ""))
        add_p(document, f"{label(plan.labels, 'see_appendix')} ({len(appendix)}).", italic=True)
    return "\n\n".join(kept)


def _tool(document, plan: KitPlan, tool: ToolGuide, appendix: list, scripts: set, shown: _Shown) -> None:
    labels = plan.labels
    title = _label(document, f"{labels['tool']}: {tool.title}")
    details = []
    if tool.minutes and not tool.presented:
        details.append(f"{tool.minutes} {labels['minutes_short']}")
    if tool.worksheet_number:  # when the sheet is used: handed out here
        details.append(label(labels, "hand_out").format(sheet=f"{label(labels, 'worksheet_no').lower()} {tool.worksheet_number}"))
    if details:
        add_run(title._p, f" ({', '.join(details)})")
    if tool.purpose and not shown.repeats(tool.purpose):
        paragraph = add_p(document, f"{labels['purpose']}: ", italic=True)
        add_run(paragraph._p, tool.purpose)
        shown.add(tool.purpose)
    if tool.steps and not tool.presented:
        kept = shown.new(tool.steps)  # a step the notes or a question already say is not said again
        if len(kept) == 1:  # one step left is a sentence, not a list numbered "1."
            add_p(document, kept[0])
        else:
            steps = [add_styled(document, step, "List Number") for step in kept]  # numbered from 1
            restart_numbering(document, steps)
    for script in tool.roleplays:
        if script.title not in scripts:
            _script(document, plan, script)
            scripts.add(script.title)
    if tool.notes:
        if tool.long_notes:
            appendix.append((tool.title, tool.notes, tool.source))
            _keep_together(document.paragraphs[-1:] + [None])
            add_p(document, f"{label(labels, 'see_appendix')} ({len(appendix)}).", italic=True)
        else:
            lines = [line for line in tool.notes.split("\n") if not shown.repeats(line)]
            write_text(document, "\n".join(lines))
            for line in lines:
                shown.add(line)


LEAD_IN = re.compile(r"^([A-ZÆØÅ][^:.!?]{1,45}): ")


def _bold_lead_in(paragraph) -> None:
    """"Baggrund: …" with its lead-in label in bold, so the eye finds it in the background text."""
    runs = paragraph.runs
    match = LEAD_IN.match(paragraph.text)
    if not match or len(runs) != 1 or len(match.group(1).split()) > 5:
        return
    run = runs[0]
    head = paragraph.add_run(match.group(0))
    head.bold = True
    run.text = run.text[len(match.group(0)):]
    run._r.addprevious(head._r)


def _repeats_one(shown: _Shown, text: str) -> bool:
    """Is ``text`` mostly (``REPEAT_IN_APPENDIX`` of its words) one item ``shown`` holds?"""
    stems = _stems(text)
    return bool(stems) and any(len(stems & item) >= REPEAT_IN_APPENDIX * len(stems) for item in shown.items)


def _sources(sources: list[str]) -> list[str]:
    """One line per source document: "Guide – section A" and "Guide – section B" become
    "Guide – section A; section B"."""
    by_document: dict[str, list[str]] = {}
    for source in dict.fromkeys(sources):
        document, _, section = source.partition(" – ")
        by_document.setdefault(document, [])
        if section:
            by_document[document].append(section)
    return [f"{document} – {'; '.join(sections)}" if sections else document for document, sections in by_document.items()]


def _script(document, plan: KitPlan, script: Script) -> None:
    """A role-play as a script: the speaker in bold, then the line."""
    _label(document, f"{label(plan.labels, 'roleplay')}: {script.title}")
    if script.intro:
        add_p(document, script.intro, italic=True)
    for speaker, line in script.lines:
        paragraph = add_p(document, f"{speaker}: ", fmt=SCRIPT_LINE, bold=True)
        add_run(paragraph._p, line)


def _appendix(document, plan: KitPlan, entries: list[tuple[str, str, str]]) -> None:
    """The long background texts (blocks' and tools'), numbered as the guide refers to them; a
    paragraph that repeats one the guide printed (a step, a tip, a question) is left out, and the
    sources are named once, at the end, one line per source document."""
    guide = _Shown()
    for paragraph in document.paragraphs:
        guide.add(paragraph.text)
    short = sum(len(text) for _, text, _ in entries) < SHORT_APPENDIX_CHARS  # a page or less: one column, not half a page
    _two_columns(document, 1 if short else 2)
    add_styled(document, label(plan.labels, "appendix"), "Heading 1", KEEP)
    first = len(document.paragraphs)
    for number, (title, text, source) in enumerate(entries, start=1):
        add_styled(document, f"{number}. {title}", "Heading 3", KEEP)
        lines = [line for line in plain(text).split("\n") if not _repeats_one(guide, line)]
        for paragraph in write_text(document, "\n".join(lines)):
            _bold_lead_in(paragraph)
    for paragraph in document.paragraphs[first:]:  # background to read before the day: set closer than the guide
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            continue
        paragraph.paragraph_format.space_after = Pt(3)
        for run in paragraph.runs:
            if run.font.size is None:
                run.font.size = Pt(APPENDIX_PT)
