"""Text as the facilitator notes print it (kitgen.render.notes, notes_block): a quote as the excerpt it
is, a script line without quotation marks, the seed's scores and spaced slashes tidied, a quote's
credit and source as compared."""

from __future__ import annotations

import re

from kitgen.render.sheet_layout import norm


EDITORIAL_CREDIT = re.compile(r"\s*\((?:citat fortsat|quote continued)\)", re.IGNORECASE)


def credit_of(attribution: str | None) -> str:
    """An attribution as printed: without the editor's "(citat fortsat)" (the quotes above it are one run)."""
    return EDITORIAL_CREDIT.sub("", attribution or "").strip()


CITED_IN = re.compile(r"^(?:citeret i|cited in)\s+", re.IGNORECASE)


def source_key(source: str) -> str:
    """A source as compared: "Citeret i BFA Industri: guide …" names the guide "BFA Industri: guide …" does."""
    return norm(CITED_IN.sub("", source.partition(" – ")[0]))


def excerpt(text: str) -> str:
    """A quote that starts mid-sentence (with a small letter, as the seed has it) shown as the
    excerpt it is: "… man er i et krydspres"."""
    text = text.strip()
    if text[:1].islower():
        text = f"…\u00a0{text}"
    if text and text[-1] not in ".!?…\"”’»)":
        text += "\u00a0…"
    return re.sub(r" …$", "\u00a0…", text)  # the ellipsis never alone on the quote's last line


UNEXPLAINED_SCORE = re.compile(r"\s\(\d,\d\)(?=[\s.,;:])")  # "(4,1)": a survey score the notes do not explain


def plain(text: str, language: str = "") -> str:
    """Notes as a facilitator reads them: without the seed's bare scores ("… kan stå inde for (4,1).") and
    with a word's leading hyphen kept on its line ("stressforebyggelse og -håndtering"); a slash between
    words closed up ("HR/ interne" → "HR/interne") and, in Danish, straight quotation marks as the
    notes' own »…« ('mindset', "Hvad hæfter I jer ved?")."""
    text = SPACED_SLASH.sub("/", NO_BREAK_HYPHEN.sub("\u2011", UNEXPLAINED_SCORE.sub("", text)))
    if language == "da":
        text = STRAIGHT_QUOTES.sub(lambda m: f"»{m.group(2)}«", text)
    return text


SPACED_SLASH = re.compile(r"(?<=\w)/ (?=\w)")
STRAIGHT_QUOTES = re.compile(r"(?<![\w'\"])(['\"])([^'\"\n]{1,200}?)\1(?![\w'\"])")


NO_BREAK_HYPHEN = re.compile(r"(?<= )-(?=\w)")


QUOTED = re.compile(r'^[”"“»](.*)[”"“«]([.!?]?)$', re.DOTALL)


def unquote(line: str) -> str:
    """A script line without the quotation marks around it (”Jeg bliver …”. → Jeg bliver ….): the
    speaker's name already says it is speech, and the seed quotes some lines and not others."""
    line = line.strip()
    match = QUOTED.match(line)
    if not match or any(mark in match.group(1) for mark in '”"“»«'):
        return line
    text, stop = match.group(1).strip(), match.group(2)
    return text if text.endswith((".", "!", "?", "…")) or not stop else text + stop
