"""How much room text takes: widths measured with Pillow in the font fontconfig finds, lines wrapped
as PowerPoint wraps them, heights added up (:mod:`kitgen.plan.fit` shrinks and splits slides with it)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageFont

from kitgen.core import cache
from kitgen.content.fonts import font_file
from kitgen.content.layouts import FitSettings

EMU_PER_PT = 12700
INSET_X_PT = 7.2 * 2  # default bodyPr lIns + rIns (0.1 in each)
INSET_Y_PT = 3.6 * 2  # default tIns + bIns (0.05 in each)
TAB_GAP_PT = 24  # space between an agenda line's clock times and its title (the deck renderer uses it too)
BULLET_INDENT_PT = 27.0  # marL of a first-level bullet in the default master
QUOTE_INDENT_PT = 84.0  # a quote and its attribution stand right of the large quotation mark …
CARD_INSET_PT = 18.0  # a question card's text stands this far inside its panel, each side (kitgen.render.deck_card)
QUOTE_MARK_MIN_WIDTH_PT = 540.0  # … in a box at least this wide (a narrow box keeps its width for the words)


def title_line_pt(size_pt: float, settings: FitSettings) -> float:
    """The height one title line at ``size_pt`` needs in its box (its line, the space before it, the box's insets):
    a client's title box drawn for a smaller title (D10: 29 pt for its 15 pt titles) grows to it (kitgen.render.deck)."""
    return size_pt * settings.line_spacing + settings.paragraph_space_pt + INSET_Y_PT


@dataclass(frozen=True)
class Box:
    width_pt: float
    height_pt: float


@cache.memo(32)
def _font(family: str, bold: bool):
    return _measure(family, bold)


def _measure(family: str, bold: bool):
    path = font_file(family, bold)
    if path:
        return ImageFont.truetype(path, size=1000)
    return ImageFont.load_default(size=1000)


_WIDTHS: dict[tuple[str, bool], dict[str, float]] = {}  # (family, bold) -> {text: width at 1000 pt}
MAX_WIDTHS = 50_000  # per font; a larger table starts again


def _width_at_1000(text: str, family: str, bold: bool) -> float:
    """``text``'s width at 1000 pt, measured once per process (Pillow); every time with ``KITGEN_NO_CACHE``."""
    if not cache.enabled():
        return _measure(family, bold).getlength(text)
    table = _WIDTHS.setdefault((family, bold), {})
    width = table.get(text)
    if width is None:
        if len(table) >= MAX_WIDTHS:
            table.clear()
        width = table[text] = _font(family, bold).getlength(text)
    return width


def text_width_pt(text: str, family: str, size_pt: float, bold: bool = False) -> float:
    """Width of ``text`` in points; widths are measured once per word and scaled by size."""
    return _width_at_1000(text, family, bold) * size_pt / 1000


@cache.memo(16384)
def line_count(text: str, width_pt: float, family: str, size_pt: float, bold: bool = False, tracking_pt: float = 0.0) -> int:
    """Lines ``text`` wraps to at ``width_pt`` (greedy word wrap, as PowerPoint does). Kept per
    process: kits of one programme wrap the same texts in the same fonts and boxes."""
    total = 0
    space = text_width_pt(" ", family, size_pt, bold) + tracking_pt
    text = text.replace("\t", "    ")  # a tab to the next stop: about four spaces wide
    for hard_line in text.split("\n") or [""]:
        lines, current = 1, 0.0
        for word in hard_line.split(" "):
            width = text_width_pt(word, family, size_pt, bold) + tracking_pt * len(word)  # letter spacing: after each letter
            if current and current + space + width > width_pt:
                lines += 1
                current = 0.0
            if width > width_pt:  # a word longer than the line breaks inside itself
                lines += int(width // width_pt)
                width = width % width_pt
            current += (space if current else 0) + width
        total += lines
    return total


def text_height_pt(paragraphs, box: Box, family: str, size_pt: float, settings: FitSettings, bold: bool = False) -> float:
    height = 0.0
    for paragraph in paragraphs:
        indent = BULLET_INDENT_PT * (paragraph.level + 1) if paragraph.style in ("bullet", "help") else \
            QUOTE_INDENT_PT if paragraph.style in ("quote", "attribution") and box.width_pt >= QUOTE_MARK_MIN_WIDTH_PT else 0.0
        text = paragraph.text
        if "\t" in text:  # "08:30–08:45<tab>Title": the title wraps in its own column (a hanging indent)
            head, text = text.split("\t", 1)
            indent += text_width_pt(head, family, size_pt, bold) + TAB_GAP_PT
        width = box.width_pt - INSET_X_PT - indent
        lines = line_count(text, width, family, size_pt, bold, settings.letter_spacing_pt)
        height += lines * size_pt * settings.line_spacing + settings.paragraph_space_pt * size_pt / settings.body_size_pt
    return height


def words_fit(text: str, box: Box, family: str, size_pt: float, settings: FitSettings, bold: bool = False) -> bool:
    """Every word of ``text`` fits on one line of ``box``: none breaks inside itself."""
    width = box.width_pt - INSET_X_PT
    return all(text_width_pt(word, family, size_pt, bold) + settings.letter_spacing_pt * len(word) <= width
               for word in text.split())


def fits(paragraphs, box: Box, family: str, size_pt: float, settings: FitSettings, bold: bool = False) -> bool:
    return text_height_pt(paragraphs, box, family, size_pt, settings, bold) <= box.height_pt - INSET_Y_PT


def _sizes(start: float, stop: float) -> list[float]:
    sizes, size = [], start
    while size >= stop:
        sizes.append(size)
        size -= 2
    return sizes
