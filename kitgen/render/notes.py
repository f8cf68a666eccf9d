"""Kit plan → facilitator notes (.docx): a run-sheet with clock times and slide numbers, then a
facilitator's guide per block (what to say and do, minutes within the block, quotes to read
aloud, role-play scripts, tool steps numbered from 1 per tool), and the tools' long source
texts in an appendix at the end."""

from __future__ import annotations

from docx.shared import Pt

from kitgen.assemble import KitPlan
from kitgen.assemble_docs import RunSheetRow, Script, ToolGuide, format_time, label
from kitgen.render.document import (
    add_styled, branded_table, open_document, prepare_pages, save_document, scale_widths, text_width_cm, write_text,
)
from kitgen.render.sheet_layout import fit_header
from kitgen.render.wordpages import restart_numbering, tag_run_language
from kitgen.render.stamps import W_P, add_p, add_row, add_run, cells

TIME_COLUMNS_CM = [1.45, 1.45, 1.15]  # wide enough for "00.00" at 9 pt plus cell margins
OTHER_COLUMNS = [4.4, 5.4, 3.6]  # block, what happens, materials: share the rest
KEEP = (("keep_with_next", True),)
LABEL = (("keep_with_next", True), ("space_before", Pt(6)), ("space_after", Pt(2)))
SCRIPT_LINE = (("left_indent", Pt(18)), ("first_line_indent", Pt(-18)), ("space_after", Pt(3)))
LONG_SAY_CHARS = 1600  # a block's notes longer than this keep their opening in the guide, the rest goes to the appendix
KEEP_SAY_CHARS = 700  # … about this much of it (whole paragraphs)


def render_notes(plan: KitPlan) -> bytes:
    labels = plan.labels
    document = open_document(plan, f"{plan.branding.display_name} · {labels['facilitator_notes']}")
    prepare_pages(document, plan)
    add_styled(document, labels["facilitator_notes"], "Title")
    add_p(document, plan.title or None, bold=True)
    slot = plan.programme.slot
    facts = [
        (labels["date"], plan.date_text),
        (labels["venue"], plan.org.venue),
        (labels["facilitators"], ", ".join(plan.org.facilitators)),
        (labels["agenda"], f"{format_time(slot.start, labels)}–{format_time(slot.end, labels)}"),
    ]
    for name, value in facts:
        if value:
            paragraph = add_p(document, f"{name}: ", fmt=(("space_after", Pt(0)),), bold=True)
            add_run(paragraph._p, value)

    add_styled(document, labels["run_sheet"], "Heading 1", KEEP)
    header = [labels["start"], labels["end"], labels["minutes"], labels["block"], labels["what_happens"], labels["materials"]]
    rest = text_width_cm(document) - sum(TIME_COLUMNS_CM)
    columns = [[r.title for r in plan.run_sheet], [w for r in plan.run_sheet for w in r.what],
               [m for r in plan.run_sheet for m in r.materials]]
    widths, size = fit_header(header, TIME_COLUMNS_CM + scale_widths(OTHER_COLUMNS, rest), plan.branding.body_font,
                              [[], [], []] + columns)  # no word of a block, activity or material breaks mid-word
    table = branded_table(document, plan, header, widths, size_pt=min(9, size))
    for row in plan.run_sheet:
        tr = add_row(table)
        values = [format_time(row.start, labels), format_time(row.end, labels),
                  str(row.minutes if row.minutes is not None else ""), row.title, "\n".join(row.what), "\n".join(row.materials)]
        for tc, value in zip(cells(tr), values):
            add_run(tc.find(W_P), value, size=Pt(9))  # cell.text = value, every run of it in 9 pt
    appendix: list[tuple[str, str, str]] = []  # (title, text, source)
    for row in plan.run_sheet:
        _block_detail(document, plan, row, appendix)
    if appendix:
        _appendix(document, plan, appendix)
    return save_document(document, plan, f"{labels['facilitator_notes']} – {plan.title} – {plan.org.name}")


def _label(document, text: str):
    """A bold run-in label ("Sig og gør") that stays with the text under it."""
    return add_p(document, text, fmt=LABEL, bold=True)


def _block_detail(document, plan: KitPlan, row: RunSheetRow, appendix: list) -> None:
    labels = plan.labels
    add_styled(document, f"{format_time(row.start, labels)}–{format_time(row.end, labels)}  {row.title}", "Heading 2", KEEP)
    facts = []
    if row.minutes:
        facts.append(f"{row.minutes} {labels['minutes_short']}")
    if row.what and "," in row.what[0]:
        facts.append(row.what[0].split(", ", 1)[1])  # "slides 5–8"
    if facts:
        add_p(document, " · ".join(facts), fmt=KEEP, italic=True)
    if row.say_and_do:
        _label(document, labels["say_and_do"])
        _say_and_do(document, plan, row, appendix)
    if row.segments:
        _label(document, label(labels, "timeline"))
        for segment in row.segments:
            paragraph = add_p(document, f"{format_time(segment.start, labels)}–{format_time(segment.end, labels)}  ",
                              "List Bullet", bold=True)
            add_run(paragraph._p, f"{segment.text} ({segment.minutes} {labels['minutes_short']})")
    if row.points:
        _label(document, labels["points"])
        for point in row.points:
            add_styled(document, point, "List Bullet")
    for term, text in row.definitions:
        paragraph = add_p(document, f"{label(labels, 'definition')} – {term}: ", bold=True)
        add_run(paragraph._p, text)
    scripts = set()  # a role-play named by the block and by its tool is printed once
    for tool in row.tools:
        _tool(document, plan, tool, appendix, scripts)
    if row.questions:
        how = label(labels, "dialogue_in_groups" if row.question_kind == "dialogue" else "reflection")
        _label(document, f"{labels['questions']} ({how})")
        numbered = []
        for question, helps in zip(row.questions, row.question_help):
            numbered.append(add_styled(document, question, "List Number"))
            for help_text in helps:
                add_styled(document, help_text, "List Bullet 2" if _has_style(document, "List Bullet 2") else "List Bullet")
        restart_numbering(document, numbered)
    for script in row.roleplays:
        if script.title not in scripts:
            _script(document, plan, script)
            scripts.add(script.title)
    quotes = [q for q in row.quotes]
    if quotes:
        _label(document, label(labels, "read_aloud"))
        for quote in quotes:
            paragraph = add_p(document, quote.text, "Quote" if _has_style(document, "Quote") else None, italic=True)
            if quote.language != plan.org.language:  # spelling and hyphenation in the quote's own language
                tag_run_language(paragraph.runs[0], quote.language)
            credit = " – ".join(x for x in (quote.attribution, quote.source) if x)
            if credit:
                add_run(paragraph._p, f"\n– {credit}", size=Pt(9))
            if quote.on_slide:
                add_run(paragraph._p, f" ({label(labels, 'on_slide')})", size=Pt(9))
    if row.materials:
        paragraph = add_p(document, f"{labels['materials']}: ", fmt=(("space_before", Pt(6)),), bold=True)
        add_run(paragraph._p, ", ".join(row.materials))


def _has_style(document, name: str) -> bool:
    from kitgen.render.document import style_id

    try:
        style_id(document, name)
    except KeyError:
        return False
    return True


def _say_and_do(document, plan: KitPlan, row: RunSheetRow, appendix: list) -> None:
    """The block's notes; a long one keeps its opening paragraphs here (what to say first) and
    sends the rest, the seed's background text, to the appendix."""
    text = row.say_and_do.strip()
    if len(text) <= LONG_SAY_CHARS:
        write_text(document, text)
        return
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    kept, size = [], 0
    for paragraph in paragraphs:
        if kept and size + len(paragraph) > KEEP_SAY_CHARS:
            break
        kept.append(paragraph)
        size += len(paragraph)
    rest = paragraphs[len(kept):]
    write_text(document, "\n\n".join(kept))
    if rest:
        appendix.append((row.title, "\n\n".join(rest), ""))
        add_p(document, f"{label(plan.labels, 'see_appendix')} ({len(appendix)}).", italic=True)


def _tool(document, plan: KitPlan, tool: ToolGuide, appendix: list, scripts: set) -> None:
    labels = plan.labels
    title = _label(document, f"{labels['tool']}: {tool.title}")
    details = []
    if tool.presented:
        details.append(label(labels, "present").lower())
    elif tool.minutes:
        details.append(f"{tool.minutes} {labels['minutes_short']}")
    if tool.worksheet_number:
        details.append(f"{label(labels, 'worksheet_no').lower()} {tool.worksheet_number}")
    if details:
        add_run(title._p, f" ({', '.join(details)})")
    if tool.purpose:
        paragraph = add_p(document, f"{labels['purpose']}: ", italic=True)
        add_run(paragraph._p, tool.purpose)
    if tool.steps and not tool.presented:
        steps = [add_styled(document, step, "List Number") for step in tool.steps]
        restart_numbering(document, steps)
    for script in tool.roleplays:
        if script.title not in scripts:
            _script(document, plan, script)
            scripts.add(script.title)
    if tool.notes:
        if tool.long_notes:
            appendix.append((tool.title, tool.notes, tool.source))
            add_p(document, f"{label(labels, 'see_appendix')} ({len(appendix)}).", italic=True)
        else:
            write_text(document, tool.notes)


def _script(document, plan: KitPlan, script: Script) -> None:
    """A role-play as a script: the speaker in bold, then the line."""
    _label(document, f"{label(plan.labels, 'roleplay')}: {script.title}")
    if script.intro:
        add_p(document, script.intro, italic=True)
    for speaker, line in script.lines:
        paragraph = add_p(document, f"{speaker}: ", fmt=SCRIPT_LINE, bold=True)
        add_run(paragraph._p, line)


def _appendix(document, plan: KitPlan, entries: list[tuple[str, str, str]]) -> None:
    """The long background texts (blocks' and tools'), numbered as the guide refers to them."""
    add_styled(document, label(plan.labels, "appendix"), "Heading 1", (("page_break_before", True), ("keep_with_next", True)))
    for number, (title, text, source) in enumerate(entries, start=1):
        add_styled(document, f"{number}. {title}", "Heading 3", KEEP)
        write_text(document, text)
        if source:
            add_p(document, f"{plan.labels['source']}: {source}", italic=True, size=Pt(8.5))
