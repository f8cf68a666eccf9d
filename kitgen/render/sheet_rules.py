"""What the worksheets decide before they write: page orientation per section, which section a
figure explains, a grid's captions as printed, headings said once, and the cautious height
estimates (cm) the fitting uses. No document is touched here (kitgen.render.worksheets writes)."""

from __future__ import annotations

import re

from kitgen.content.diagrams import explains
from kitgen.content.worksheetmodel import ChecklistSection, FieldsSection, GridSection, PromptsSection, TableSection, TextSection
from kitgen.render.sheet_layout import LINE_CM, ROW_CM, is_scale, is_wide, norm, text_cm, writing_lines

NAME_AND_DATE = {"navn", "name", "dato", "date"}  # every sheet's own fields, in either language
SHEET_FIGURE_CM = 4.5  # a figure that explains the whole sheet is at most this high
SHEET_FIGURE_WIDTH_CM = 15.0  # … and this wide
FIGURE_MIN_CM = 3.5
GRID_FIGURE_CM = 3.2  # a figure standing above the grid it explains is at most this high (r5: IGLO 7 cm over 1.8 cm cells)
FIT_SAFETY_CM = 0.8  # estimates of the room left on a page are kept this far from its foot
BACK_TO_PORTRAIT = 5  # after a wide section this many writing boxes or more get portrait pages; fewer stay on its page
KEEP_BLOCK = 7  # support questions this many or fewer keep with their box whole (one page for both)
KEEP_WITH_BOX = 2  # the last paragraphs of a text before a box that keep with it
MOST_BOX_LINES = 12  # a box grown to fill its page is at most this many lines high
FILL_SLACK_CM = 0.8  # … and leaves this much of the page free: a box pushed over would be a page of its own
MIN_BOX_LINES = 3  # a writing box is never cut below three handwritten lines to fit its page
CAPTION_CHARS = 70  # a field's caption longer than this is not printed in the field
CAPTION_PT = 9
PROMPT_PT = 10  # a prompt printed in a grid's field, above the room to write: body size, italic (not a 7 pt bold squeeze)
GRID_ROW_CM = 1.4  # a grid's row is at least this high (three handwritten lines' worth, or a curve drawn in it)
GRID_ROW_CAPTIONED_CM = 2.0  # … and this under a caption
MIN_WRITE_ROW_CM = 0.9  # a row to write in is never lower than this: two body lines  # a figure is no smaller than this (its lettering stays legible)


def _prompts_cm(section) -> list[float]:
    """A cautious height (cm) of each prompt of a prompts section: its label and box."""
    if not isinstance(section, PromptsSection):
        return []
    return [0.9 + writing_lines(p, section.lines) * LINE_CM for p in section.prompts]


def _lines_that_fit(prompts, heads: float, room: float, label_cm: float) -> int | None:
    """The lines each writing box of ``prompts`` ((section, prompt) pairs) may have, at least
    ``MIN_BOX_LINES``, for all of them (each under a label ``label_cm`` high) and ``heads`` cm of
    headings to fit in ``room`` cm; None when they fit as they are, or cannot fit."""
    def need(cap: int) -> float:
        return heads + sum(label_cm + min(writing_lines(p, s.lines), cap) * LINE_CM for s, p in prompts)

    if need(99) <= room:
        return None
    for cap in range(max(writing_lines(p, s.lines) for s, p in prompts), MIN_BOX_LINES - 1, -1):
        if need(cap) <= room:
            return cap
    return None


def _lines_to_fill(prompts, heads: float, room: float, label_cm: float, chars: int) -> int | None:
    """The least lines each writing box of ``prompts`` gets so that the boxes fill ``room`` cm (less
    ``FILL_SLACK_CM``) rather than leave the foot of their page empty: None when they fill it already.
    A box grows to at most twice its lines and ``MOST_BOX_LINES``; a label of more than a line
    (``chars`` to a line) is counted so."""
    labels = heads + sum(label_cm + 0.45 * (len(p) // chars) for _, p in prompts)
    wanted = [writing_lines(p, s.lines) for s, p in prompts]

    def need(floor: int) -> float:
        return labels + sum(max(lines, floor) * LINE_CM for lines in wanted)

    room -= FILL_SLACK_CM
    if need(0) > room:
        return None
    most = min(MOST_BOX_LINES, 2 * max(wanted))
    floor = next((f for f in range(most, 0, -1) if need(f) <= room), 0)
    return floor if floor > min(wanted) else None


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


NUMBERED_FIELD = re.compile(r"\w+ (\d+)\b")  # a caption that names its field by number ("Felt 3. Forstå …")


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
    numbers = [NUMBERED_FIELD.match(text) for text in legend]
    if legend and all(numbers):  # "Felt 1 … Felt 2 … Felt 4 … Felt 3" as the grid lays them out: read in number order
        legend = [text for _, text in sorted(zip((int(m.group(1)) for m in numbers), legend), key=lambda pair: pair[0])]
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


GROUP_INDEX = re.compile(r"\s*\(([^()]*)\)\s*$")


def _without_group_index(heading: str | None, section) -> str | None:
    """A grouped form's heading without the index of its groups in brackets ("Spørgsmål … (A. Forudsætninger
    1A–6A · B. Processer …)"): the group rows in the table say it where it applies."""
    groups = getattr(section, "groups", None) or {}
    found = GROUP_INDEX.search(heading or "")
    if not groups or not found:
        return heading
    inside = norm(found.group(1))
    if sum(norm(title) in inside for title in groups.values()) >= 2:
        return heading[:found.start()].rstrip()
    return heading


def _one_heading_per_section(sections) -> list[tuple[str | None, str | None]]:
    """Each section's heading and run-in label: a section headed "1. Mål … – støttespørgsmål"
    followed by one headed "1. Mål …" is one section under "1. Mål …", its support questions
    under the run-in label "Støttespørgsmål"."""
    headings = [_without_group_index(getattr(s, "heading", None), s) for s in sections]
    out: list[tuple[str | None, str | None]] = [(h, None) for h in headings]
    for i in range(len(headings) - 1):
        this, following = headings[i], headings[i + 1]
        if not this or not following or norm(this) == norm(following):
            continue
        if this.startswith(following) and this[len(following):].strip(" –-:"):
            rest = this[len(following):].strip(" –-:")
            out[i] = (following, rest[:1].upper() + rest[1:])
            out[i + 1] = (following, None)
        elif f" {norm(following)} " in f" {norm(this)} ":  # "A. Prioriter: Potentielle temaer i …" over "Potentielle
            out[i + 1] = (None, None)  # temaer": the table under the heading that names it, not under a second one
    return out
