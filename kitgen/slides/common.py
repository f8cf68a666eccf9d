"""Helpers every slide kind uses: slide text in the org's language, notes written to length."""

from __future__ import annotations

import re

from kitgen.plan import Paragraph
from kitgen.slides.sentences import capped_lines, first_sentences, sentences

NOTES_LIMIT = 1500  # speaker notes a presenter can glance at: whole lines up to this many characters
SLIDE_LINE_CHARS = 140  # a step or purpose longer than this shows whole sentences up to it (or its slide text)
NOTE_LINE_CHARS = 220  # one note bullet: whole sentences up to this


def say(value, deck) -> str:
    """A content text in the org's language (a Text's translation; plain strings as they are)."""
    getter = getattr(value, "get", None)
    return " ".join((getter(deck.language) if callable(getter) and not isinstance(value, dict) else str(value or "")).split())


def slide_text(value, deck, limit: int = SLIDE_LINE_CHARS) -> str:
    """What a slide shows for a text: the content's short slide text, else whole sentences up to ``limit``."""
    getter = getattr(value, "slide_text", None)
    if callable(getter) and getattr(value, "slide", None):
        return " ".join(getter(deck.language).split())
    return first_sentences(say(value, deck), limit)


def bullets(texts, deck, limit: int = NOTE_LINE_CHARS) -> list[str]:
    """Note bullets from longer texts: each paragraph or list line, whole sentences up to ``limit``."""
    out = []
    for text in texts:
        for line in re.split(r"\n+", str(text or "")):
            line = line.strip().lstrip("-•–*").strip()
            if line and sentences(line):
                out.append("– " + first_sentences(line, limit))
    return out


def notes(deck, key: str, lines: list[str] | None = None, **extra) -> str:
    """The kind's note text (``layouts/text/<lang>.yaml`` → ``key``) followed by ``lines``, capped at 1,500."""
    head = deck.render.fixed(deck.texts.get(key, ""), key, **extra) if deck.texts.get(key) else ""
    return capped_lines([*head.split("\n"), *(lines or [])], NOTES_LIMIT)


def plain(text: str) -> Paragraph:
    return Paragraph(text, style="plain")


def minutes_text(minutes, deck) -> str:
    return f"{minutes} {deck.labels.get('minutes_short', 'min.')}" if minutes else ""


def kind_label(block, deck) -> str:
    return deck.labels.get(f"activity_{block.kind}", "")
