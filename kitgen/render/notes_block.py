"""The facilitator's guide for one block (kitgen.render.notes): one pass through the block (notes,
minutes, tools with their steps, questions, slide points, quotes), each thing printed once."""

from __future__ import annotations

import re

from docx.shared import Pt

from kitgen.plan.kitplan import KitPlan
from kitgen.plan.assemble_docs import RunSheetRow, Script, ToolGuide, format_time, label
from kitgen.plan.assemble_timing import keep_numbers, question_label, titled
from kitgen.render.document import add_styled, write_text
from kitgen.render.sheet_layout import norm
from kitgen.render.wordpages import restart_numbering, tag_run_language
from kitgen.render.stamps import add_p, add_run, style_id
from kitgen.render.notes_said import sentences
from kitgen.render.notes_text import credit_of, excerpt, mark_said, plain, slide_map, source_key, unquote

REPEAT = 0.6  # an item is a repeat when this share of its words is in one item already printed
REPEAT_IN_TEXT = 0.6  # … or this share is in the block's notes
KEEP = (("keep_with_next", True),)
LABEL = (("keep_with_next", True), ("space_before", Pt(6)), ("space_after", Pt(2)))
SCRIPT_LINE = (("left_indent", Pt(18)), ("first_line_indent", Pt(-18)), ("space_after", Pt(3)))
LONG_SAY_CHARS = 1600  # a block's notes longer than this keep their opening in the guide, the rest goes to the appendix
KEEP_SAY_CHARS = 700  # … about this much of it (whole paragraphs)
CLOSING_WORDS = 4  # a short last sentence of the notes ("Tak for i dag.") closes the block: said last
KEEP_LIST = 7  # a list this long or shorter is kept on one page
SHORT_HELP = 40  # help texts this short are set on one line, "·" between them
HELP_LINE = (("left_indent", Pt(36)), ("space_after", Pt(4)))


def _short_materials(row: RunSheetRow, labels: dict) -> list[str]:
    """The row's materials with its worksheets as one line ("Arbejdsark 4, 5, 6"): the activity
    column names them already."""
    numbers = [str(t.worksheet_number) for t in row.tools if t.worksheet_number]
    if not numbers:
        return row.materials
    word = label(labels, "worksheet_no")
    named = tuple(f"{word} {n}:" for n in numbers)
    rest = [m for m in row.materials if not m.startswith(named)]
    if any(re.match(rf"{re.escape(word)}\s\d", m) for m in rest):  # the content names them by number itself
        return rest  # ("Arbejdsark 1–3 til hjemtagning (ét sæt pr. deltager)")
    return rest + [f"{word} {', '.join(dict.fromkeys(numbers))}"]


def _is_deck(material: str, labels: dict) -> bool:
    """"Slides" (the deck every block shows), however a block words it."""
    words = re.findall(r"\w+", material.lower())  # "Slides med IGLO-modellen" too: the deck, named in the checklist
    return bool(words) and words[0] in ("slides", label(labels, "slides_many").lower(), label(labels, "slide_one").lower())


def block_materials(row: RunSheetRow, labels: dict) -> list[str]:
    """The block's own materials, its worksheets by number ("Arbejdsark 4, 5, 6"), the deck left out."""
    return [m for m in _short_materials(row, labels) if not _is_deck(m, labels)]


def _label(document, text: str):
    """A bold run-in label ("Sig og gør") that stays with the text under it."""
    return add_p(document, text, fmt=LABEL, bold=True)


URL = re.compile(r"(?:https?://|www\.)[\w./-]+|\b[\w-]+(?:\.[\w-]+)*\.(?:dk|com|org|net|eu)\b(?:/[\w./-]*)?")


def _stems(text: str) -> set[str]:
    """The content words of ``text``, cut to five letters ("forklarer", "forklar" → "forkl")."""
    urls = {u.rstrip(".,;:)").removeprefix("http://").removeprefix("https://") for u in URL.findall(text.lower())}
    return {w[:5] for w in re.findall(r"\w+", URL.sub(" ", text.lower())) if len(w) >= 4} | urls  # a web address is one word


LIST_ITEM = re.compile(r"^\s*(?:[-•–]|\d+[.)])\s+")  # "- Fase 1 …", "2) …"
SAID_WORDS = 4  # a text this long or longer is said already where it stands inside a printed one; shorter only when equal


SAID_RUN = 0.8  # a help text is said already when this share of it, one run of words in its order, was printed


def said_in(seen: list[str], text: str, words: int = SAID_WORDS, share: float = 1.0) -> bool:
    """Does the whole of ``text`` (normalised, without a list marker) stand in one of ``seen`` (normalised
    texts), word for word, or (``share`` < 1) one run of that share of its words in their order? Shared
    topic words are not enough."""
    key = norm(LIST_ITEM.sub("", text)).split()
    if not key:
        return False
    if len(key) < words:
        return " ".join(key) in seen
    size = max(words, -(-len(key) * share // 1))  # the run's length, rounded up
    runs = {" ".join(key[i:i + int(size)]) for i in range(len(key) - int(size) + 1)}
    return any(f" {run} " in f" {other} " for other in seen for run in runs)


class _Shown:
    """What a block's guide has printed so far: an item whose words are mostly there already
    (a slide point that repeats the notes, a question that repeats a tool's step) is left out."""

    def __init__(self):
        self.items: list[set[str]] = []
        self.text: set[str] = set()
        self.asked: set[str] = set()  # the block's questions' words
        self.whole: list[str] = []  # each printed text, normalised (kitgen.render.sheet_layout.norm)

    def add(self, text: str, whole: bool = False) -> None:
        self.whole.append(norm(text))
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
        said = self.text | self.asked  # the notes and the block's questions together (AMK: a step that is the notes'
        return len(stems & said) >= REPEAT_IN_TEXT * len(stems)  # aim and the two questions under it)

    def said(self, text: str) -> bool:
        """Is ``text`` (normalised) printed already, all of it or a run of ``SAID_RUN`` of its words?
        AMK: »Hvis målet er SAMMEN i lederteamet …« repeats the notes' »med målet for øje: SAMMEN …«."""
        return said_in(self.whole, text, share=SAID_RUN)

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
    span, shown_slides = slide_map(plan.slides, row.index, labels)
    if span and not (shown_slides and row.kind != "break"):
        facts.append(span)  # "slides 5–8"
    if row.lead:
        facts.append(f"{label(labels, 'lead')}: {row.lead}")
    show = shown_slides and row.kind != "break"  # what to show, slide by slide: the facilitator's cue for each
    if facts or show:  # one line under the heading, kept with what follows ("15 min. · Vis slides 5–8: 6 … · 7–8 …")
        paragraph = add_p(document, " · ".join(facts) + (" · " if facts and show else ""), fmt=KEEP, italic=True)
        if show:
            add_run(paragraph._p, f"{label(labels, 'show')} {span}: ", bold=True)
            add_run(paragraph._p, shown_slides)
    shown = _Shown()
    for question in row.questions:  # the block's questions are printed (numbered as the run-sheet counts them): a step,
        shown.add(question)  # point or help text that repeats one is not
        shown.asked |= _stems(question)
    if row.segments:  # the plan first, each part's minutes once (kitgen.plan.assemble_timing.describe)
        _label(document, label(labels, "timeline"))
        timeline = []
        for segment in row.segments:
            paragraph = add_p(document, f"{format_time(segment.start, labels)}–{format_time(segment.end, labels)}  ",
                              "List Bullet", bold=True)
            add_run(paragraph._p, keep_numbers(f"{segment.text} ({segment.minutes} {labels['minutes_short']})"))
            timeline.append(paragraph)
        _keep_together(timeline)  # a running order is read at a glance: on one page
    parts = []  # the notes' paragraphs, in running order: the intro first, the closing last
    if row.say_and_do and not (row.kind == "break" and norm(row.say_and_do) in (norm(row.title), "")):
        _label(document, labels["say_and_do"])
        parts = _say_and_do(plan, row, appendix)
        _write_say(document, plan, parts[0])
        shown.add("\n\n".join(parts), whole=True)  # what the guide prints (a question only in the appendix text is still
    scripts = set()  # printed here); a role-play named by the block and by its tool is printed once
    for script in row.roleplays:  # read right after the intro, as the session runs (AMK 13.45: the example, then the steps)
        _script(document, plan, script)
        scripts.add(script.title)
    _quotes(document, plan, row, shown, credited)  # read where the intro leads to them, not after the closing
    points = shown.new(row.points)  # what the slides show while the intro is said
    if points:
        _label(document, labels["points"])
        _keep_together([add_styled(document, point, "List Bullet") for point in points])
    for term, text in row.definitions:
        if shown.repeats(text):  # the notes give the definition already (AMK: printed twice in a row)
            continue
        paragraph = add_p(document, f"{label(labels, 'definition')} – {term}: ", bold=True)
        add_run(paragraph._p, text)
        shown.add(text, whole=True)
    for tool in row.tools:
        _tool(document, plan, tool, appendix, scripts, shown)
    _more_say(document, plan, parts[1:2] if len(parts) > 2 else [])  # the first working step, then the questions it uses
    later = plan.run_sheet[plan.run_sheet.index(row) + 1:] if row in plan.run_sheet else []
    where = [other for other in later if row.questions and {norm(q) for q in row.questions} <= {norm(q) for q in other.questions}]
    if where:  # a later block asks them all: printed there, with their help texts, where they are used
        add_p(document, label(labels, "questions_later").format(
            time=f"{format_time(where[0].start, labels)}–{format_time(where[0].end, labels)}", block=where[0].title), italic=True)
    else:
        _questions(document, labels, row, shown)
    _more_say(document, plan, parts[2:] if len(parts) > 2 else parts[1:])  # the rest of the run, the closing last
    materials = block_materials(row, labels)  # the worksheets by number: their titles are under "Redskab" above
    if row.kind != "break" and (materials or document._kitgen_own_materials):  # every block, or none, says what it needs
        _keep_together(document.paragraphs[-1:] + [None])  # not alone at the top of a page
        paragraph = add_p(document, f"{labels['materials']}: ", fmt=(("space_before", Pt(6)),), bold=True)
        add_run(paragraph._p, keep_numbers(", ".join(materials)) or label(labels, "deck_only"))


def _questions(document, labels: dict, row: RunSheetRow, shown: _Shown) -> None:
    """The block's questions, numbered from 1 as the run-sheet counts them, each with its help texts."""
    questions = list(zip(row.questions, row.question_help))  # the run-sheet's 1–n
    if questions:
        how = label(labels, question_label(row))
        _label(document, how[:1].upper() + how[1:] if question_label(row) == "questions_of_the_day"
               else f"{labels['questions']} ({how})")
        numbered, listed = [], []
        sets = row.question_sets if len(set(row.question_sets)) > 1 and all(row.question_sets) else []
        for number, (question, helps) in enumerate(questions):
            if sets and (number == 0 or sets[number] != sets[number - 1]):  # two sheets' questions: each set named
                listed.append(add_p(document, sets[number], fmt=KEEP + (("space_before", Pt(2)),), italic=True))
            numbered.append(add_styled(document, question, "List Number"))
            listed.append(numbered[-1])
            helps = [h for h in helps if not shown.said(h)]  # a help text is left out only when printed whole: it shares
            for help_text in helps:  # its question's topic words by nature ("Hvor ser I særlige styrker ved tiltagene …")
                shown.add(help_text)
            if helps and all(len(h) <= SHORT_HELP for h in helps):  # short prompts ("Stor arbejdsmængde?") on one line
                listed.append(add_p(document, " · ".join(helps), fmt=HELP_LINE))
            else:
                for help_text in helps:
                    listed.append(add_styled(document, help_text,
                                             "List Bullet 2" if _has_style(document, "List Bullet 2") else "List Bullet"))
        restart_numbering(document, numbered)
        _keep_together(listed)


def _quotes(document, plan: KitPlan, row: RunSheetRow, shown: _Shown, credited: list) -> None:
    """The quotes to read aloud, each once in the guide; their sources named once, at the end."""
    labels = plan.labels
    read = getattr(document, "_kitgen_quotes", None)
    if read is None:
        read = document._kitgen_quotes = _Shown()  # quotes read aloud so far: each once in the guide
    quotes = [q for q in row.quotes if not shown.repeats(q.text) and not read.repeats(q.text)]  # said once
    for quote in quotes:
        read.add(quote.text)
    if quotes:
        _label(document, label(labels, "read_aloud"))
        for number, quote in enumerate(quotes):
            paragraph = add_p(document, excerpt(quote.text), "Quote" if _has_style(document, "Quote") else None, italic=True,
                              fmt=(("keep_together", True),))  # read aloud without turning the page
            if quote.language != plan.org.language:  # spelling and hyphenation in the quote's own language
                tag_run_language(paragraph.runs[0], quote.language)
            following = quotes[number + 1].attribution if number + 1 < len(quotes) else None
            if quote.attribution and credit_of(following) != credit_of(quote.attribution):  # who said it (as the seed
                add_run(paragraph._p, f"\n– {credit_of(quote.attribution)}", size=Pt(9))  # credits it), once under a run
        sources = {source_key(q.source): q.source.partition(" – ")[0].strip() for q in quotes if q.source}
        for key, source in sources.items():  # where the quotes come from: once, under the first quotes it credits
            if key in credited:
                continue
            credited.append(key)
            add_p(document, f"{labels['source']}: {plain(source, plan.org.language)}", fmt=(("space_after", Pt(4)),),
                  italic=True, size=Pt(8))


def keep_lead_ins(paragraphs: list) -> list:
    """A line that leads into what follows ("5 perspektiver på tværs:", "Det vi får øje på hos
    lederne…") keeps with it, and with the list's second item too, so no page ends on it."""
    for number, paragraph in enumerate(paragraphs[:-1]):
        if paragraph.text.rstrip().endswith((":", "…", "...")):
            paragraph.paragraph_format.keep_with_next = True
            after = paragraphs[number + 1]
            if number + 2 < len(paragraphs) and _is_list(after) and _is_list(paragraphs[number + 2]):
                after.paragraph_format.keep_with_next = True
    run: list = []  # a short list is not split across pages (AMK's five perspectives split 2/3)
    for paragraph in paragraphs + [None]:
        if paragraph is not None and _is_list(paragraph):
            run.append(paragraph)
            continue
        _keep_together(run)
        run = []
    return paragraphs


def _is_list(paragraph) -> bool:
    return paragraph.style is not None and paragraph.style.name.startswith("List")


def _keep_together(paragraphs: list) -> None:
    """A short list (``KEEP_LIST`` items or fewer) is not split across pages: each item but the
    last keeps with the next (``None`` stands for a paragraph still to come)."""
    if len(paragraphs) > KEEP_LIST:
        return
    for paragraph in paragraphs[:-1]:
        if paragraph is not None:
            paragraph.paragraph_format.keep_with_next = True


def _has_style(document, name: str) -> bool:
    try:
        style_id(document, name)
    except KeyError:
        return False
    return True


PART_MINUTES = re.compile(r"([?!]?)\s*\(\d+\s*min\.?\)\s*:")  # "Belastningskurven (15 min.): …"


def _say_and_do(plan: KitPlan, row: RunSheetRow, appendix: list) -> list[str]:
    """The block's notes as paragraphs; a long one keeps its opening paragraphs (what to say first)
    and sends the rest, the seed's background text, to the appendix."""
    text = plain(row.say_and_do.strip(), plan.org.language)
    if row.segments:  # "Forløb" above gives each part its minutes: the notes name the parts without them
        text = PART_MINUTES.sub(lambda m: m.group(1) or ":", text)  # "Hvordan er din balance? Deltagerne …"
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(text) <= LONG_SAY_CHARS:
        last = sentences(paragraphs[-1]) if paragraphs and "\n" not in paragraphs[-1] else []
        if len(last) > 1 and len(last[-1].split()) <= CLOSING_WORDS:  # "… Tak for i dag." stays last, after a quote
            paragraphs[-1:] = [" ".join(last[:-1]), last[-1]]
        return paragraphs or [text]
    kept, size = [], 0
    for paragraph in paragraphs:
        if kept and size + len(paragraph) > KEEP_SAY_CHARS:
            break
        kept.append(paragraph)
        size += len(paragraph)
    rest = paragraphs[len(kept):]
    if rest:  # background reading, after the guide (titled by its block; no pointer here)
        appendix.append((row.title, "\n\n".join(rest), ""))
    return kept


def _write_say(document, plan: KitPlan, text: str) -> list:
    """Notes as paragraphs, what to say to the room marked 'Sig: »…«'."""
    written = keep_lead_ins(write_text(document, mark_said(text, label(plan.labels, "say"), plan.org.language)))
    document._kitgen_said_to = len(document.paragraphs)  # where the notes stop: a later part goes on from there
    return written


def _more_say(document, plan: KitPlan, parts: list[str]) -> None:
    """The notes' later paragraphs, after the tool or questions printed between them, under their label again."""
    if parts:
        if getattr(document, "_kitgen_said_to", None) != len(document.paragraphs):  # not straight on from the notes
            _label(document, plan.labels["say_and_do"])
        _write_say(document, plan, "\n\n".join(parts))


def _tool(document, plan: KitPlan, tool: ToolGuide, appendix: list, scripts: set, shown: _Shown) -> None:
    labels = plan.labels
    title = _label(document, titled(labels["tool"], tool.title, labels))
    details = []
    if tool.minutes and not tool.presented:
        details.append(f"{tool.minutes} {labels['minutes_short']}")
    if tool.worksheet_number:  # when the sheet is used: handed out here; a presented tool's sheet goes home
        sheet = f"{label(labels, 'worksheet_no').lower()} {tool.worksheet_number}"
        if not tool.presented:  # a presented tool's sheet goes home: the run-sheet and materials say so, once each
            details.append(label(labels, "hand_out").format(sheet=sheet))
    if details:
        add_run(title._p, keep_numbers(f" ({', '.join(details)})").replace(" ud)", "\u00a0ud)"))
    fresh = bool(tool.purpose) and not shown.repeats(tool.purpose)
    if fresh:
        shown.add(tool.purpose)
    kept = shown.new(tool.steps) if tool.steps and not tool.presented else []  # a step the notes or a question say: once
    lines = [] if not tool.notes or tool.long_notes else [line for line in tool.notes.split("\n") if not shown.repeats(line)]
    fresh_scripts = [script for script in tool.roleplays if script.title not in scripts]
    # the purpose once, but always when nothing else would stand under the tool's name (BFA's ark 6, AMK's ark 2)
    if tool.purpose and (fresh or not (kept or any(line.strip() for line in lines) or fresh_scripts)):
        said_itself = tool.purpose.lower().startswith(labels["purpose"].lower())  # "Formålet med …": no "Formål:" before it
        paragraph = add_p(document, "" if said_itself else f"{labels['purpose']}: ", italic=True)
        add_run(paragraph._p, tool.purpose)
    for script in fresh_scripts:  # the example first, as the session runs (AMK: told, then the profile filled in)
        _script(document, plan, script)
        scripts.add(script.title)
    if kept:
        if len(kept) == 1:  # one step left is a sentence, not a list numbered "1."
            add_p(document, kept[0])
        else:
            steps = [add_styled(document, step, "List Number") for step in kept]  # numbered from 1
            restart_numbering(document, steps)
    if tool.long_notes:  # background reading, after the guide (titled by the tool; no pointer here)
        appendix.append((tool.title, tool.notes, tool.source))
    elif lines:
        keep_lead_ins(write_text(document, "\n".join(lines)))
        for line in lines:
            shown.add(line)


def _script(document, plan: KitPlan, script: Script) -> None:
    """A role-play as a script: the speaker in bold, then the line."""
    _label(document, titled(label(plan.labels, "roleplay"), script.title, plan.labels))
    if script.intro:
        add_p(document, script.intro, italic=True)
    for speaker, line in script.lines:
        paragraph = add_p(document, f"{speaker}: ", fmt=SCRIPT_LINE, bold=True)
        add_run(paragraph._p, unquote(line))
