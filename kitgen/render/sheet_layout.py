"""How a worksheet is laid out, apart from writing it: sizes, which tables need a landscape
page, column widths at which no word breaks, room to write, and small table helpers."""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from kitgen.content.worksheetmodel import GridSection, TableSection
from kitgen.plan.measure import text_width_pt

LINE_CM = 0.8  # one handwritten line
ROW_CM = 1.2  # a table row to write in: two small handwritten lines
WIDE_COLUMNS = 5  # tables with this many columns get a landscape page
HEADER_PT = 10.0  # table header size, shrunk (to MIN_HEADER_PT) before a word would break
MIN_HEADER_PT = 7.5
BODY_PT = 10.0  # text in table cells
CELL_MARGINS_PT = 2 * 5.4 + 1  # Word's default left and right cell margins (0.19 cm each), and a point to spare
BOX = "\u2610"


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


TITLE_CHARS = 60  # a content control's title (what Word shows on its tab and a screen reader says)


def control_title(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` as a control's title: at most ``limit`` characters, cut after a whole word with "…"."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:–-/") + "…"


def slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens ("Hvor godt lykkes I …" → "hvor-godt-lykkes-i")."""
    import unicodedata

    text = (text or "").lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or "felt"


def is_scale(section) -> bool:
    """A table whose columns are the numbers of a scale (1 … 10): one box to tick per number."""
    return isinstance(section, TableSection) and all(str(c).strip().isdigit() for c in section.columns)


def is_wide(section) -> bool:
    """Five or more text columns need a landscape page: a table's columns, or a grid's row labels
    and its fields (a grid of four fields beside its row labels is five columns of text, each
    under 3 cm wide on a portrait page); a numbered scale does not (its headers are numbers, its
    cells checkboxes)."""
    if isinstance(section, TableSection):
        return len(section.columns) >= WIDE_COLUMNS and not is_scale(section)
    if isinstance(section, GridSection):
        return len(section.column_labels) + 1 >= WIDE_COLUMNS
    return False


def writing_lines(prompt: str, base: int) -> int:
    """Room for an answer: at least four lines for a question (three for a sentence to
    finish); a prompt that asks several questions, or a long one, gets more."""
    questions = prompt.count("?")
    lines = max(base, 4 if questions else 3)
    lines += max(0, questions - 1) * 2
    if len(prompt) > 120:
        lines += 1
    return min(lines, 14)


def without_source(text: str, source: str) -> str:
    """The text without sentences that repeat the source line (printed once, under the title)."""
    if not source:
        return text.strip()
    source_words = set(norm(source).split())

    def repeats(sentence: str) -> bool:
        words = norm(sentence).split()
        return len(words) >= 3 and sum(w in source_words for w in words) >= 0.7 * len(words)

    if "\n" in text.strip():
        return "\n".join(line for line in text.strip().split("\n") if not repeats(line))
    return " ".join(s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if not repeats(s)).strip()


def keep_table_together(table, whole: bool = True) -> None:
    """Keep a table on one page: "keep with next" on every paragraph of every row but the
    last (Word and LibreOffice move the whole table to the next page when it does not fit).
    With ``whole`` false, only the header row and the first two rows are kept together: a
    long table may break, but never leaves its header alone at the bottom of a page, nor its
    last row alone at the top of the next (the last two rows are kept together)."""
    rows = table.rows
    if whole:
        chosen = rows[:-1]
    else:
        chosen = [rows[i] for i in sorted({0, 1, len(rows) - 2}) if 0 <= i < len(rows) - 1]
    for row in chosen:
        for cell in row.cells:
            for paragraph in cell._tc.iter(qn("w:p")):
                Paragraph(paragraph, cell).paragraph_format.keep_with_next = True


def alt_text(paragraph, text: str) -> None:
    """The picture's ``wp:docPr/@descr``: what a screen reader says for the figure."""
    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", text)


def text_cm(text: str, family: str, size: float = 11, bold: bool = False) -> float:
    return text_width_pt(text, family, size, bold) / 28.3465


def guess_widths(section: TableSection) -> list[float]:
    """Narrow columns for short codes (Nr., L, H), wide ones for text and writing room."""
    widths = []
    for index, header in enumerate(section.columns):
        values = [r[index] for r in section.rows if index < len(r)]
        longest = max([len(header)] + [len(v) for v in values])
        widths.append(1.2 if longest <= 4 else min(8.0, max(3.0, longest / 6)))
    return widths


def fit_header(headers: list[str], widths_cm: list[float], family: str, body: list[list[str]] | None = None,
               body_bold: bool = False) -> tuple[list[float], float]:
    """Column widths and a header size at which no word breaks in the middle.

    Each header's longest word is measured (bold, in the body font, as the header row is
    set), and so is the longest word of each column's cells (``body``, at ``BODY_PT``). A
    column too narrow for its word borrows from the columns with the most room to spare;
    when borrowing is not enough the header size steps down, at most to ``MIN_HEADER_PT``.
    """
    def longest(texts, size, bold):
        return max([text_width_pt(w, family, size, bold) for t in texts for w in str(t).split()] or [0])

    body = (body or []) + [[] for _ in headers]
    cells = [longest(body[i], BODY_PT, body_bold) for i in range(len(headers))]
    total = sum(widths_cm)
    size = HEADER_PT
    while True:
        need = [max(longest([h], size, True), cells[i]) + CELL_MARGINS_PT for i, h in enumerate(headers)]
        need_cm = [n / 28.3465 for n in need]
        widths = list(widths_cm)
        for i, want in enumerate(need_cm):
            while widths[i] < want:
                spare = [(widths[j] - max(need_cm[j], 1.0), j) for j in range(len(widths)) if j != i]
                room, donor = max(spare) if spare else (0, -1)
                if room <= 0.05:
                    break
                take = min(room, want - widths[i])
                widths[donor] -= take
                widths[i] += take
        if all(w >= n - 0.01 for w, n in zip(widths, need_cm)) or size <= MIN_HEADER_PT:
            scale = total / sum(widths)
            return [w * scale for w in widths], size
        size -= 0.5
