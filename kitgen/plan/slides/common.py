"""Helpers every slide kind uses: slide text in the org's language, notes written to length."""

from __future__ import annotations

import re

from kitgen.plan.kitplan import Paragraph
from kitgen.plan.slides.sentences import first_sentences, sentences

NOTES_LIMIT = 1500  # a slide's source text longer than this stays in the facilitator notes (whole parts only here)
TRANSITION_CHARS = 160  # kept free for the line a block's last slide ends on (when it ends, what comes next)
SLIDE_LINE_CHARS = 140  # a step or purpose longer than this shows whole sentences up to it (or its slide text)


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


def bullets(texts, deck=None) -> list[str]:
    """Note bullets from longer texts: each paragraph or list line whole (nothing is cut)."""
    out = []
    for text in texts:
        for line in re.split(r"\n+", str(text or "")):
            line = line.strip().lstrip("-•–*").strip()
            if line and sentences(line):
                out.append(line if _NUMBERED.match(line) else "– " + line)  # "1. …" is numbered: no dash as well
    return out


_NUMBERED = re.compile(r"^[–-]?\s*\d+[.)] ")


def units(lines: list[str]) -> list[list[str]]:
    """Note lines grouped so that a lead-in ending in ":" stays with the list under it (whole or not at all)."""
    out: list[list[str]] = []
    open_list = False
    for line in lines:
        if (open_list and out and not line.rstrip().endswith(":")) or (out and _NUMBERED.match(line)):
            out[-1].append(line)  # a numbered item ("– 2. …") stays with the item or question before it
            continue
        out.append([line])
        open_list = line.rstrip().endswith(":")
    return out


def source_lines(lines: list[str], pointer: str, limit: int = NOTES_LIMIT) -> list[str]:
    """A slide's source text as note lines: whole parts (a list with its lead-in) while they fit in
    ``limit``; when the text is longer, the rest stays in the facilitator notes and ``pointer`` says where."""
    out: list[str] = []
    used = 0
    for unit in units([line for line in lines if line.strip()]):
        cost = sum(len(line) + 1 for line in unit)
        if used + cost > limit and (out or limit < cost):  # the first part too, when it does not fit at all
            return out + ([pointer] if pointer else [])
        out.extend(unit)
        used += cost
    return out


_TIDY = ((re.compile(r"([?!…])[.,](?=\s|$|[»”\"])"), r"\1"),  # "?." "?," "!." after a sentence that ends itself
         (re.compile(r"([?!…][»«”\"’])[.,:](?=\s|$)"), r"\1"),  # »…?«. and “…?”. (a quoted title that ends itself)
         (re.compile(r"([?!…]):(?=\s)"), r"\1"),  # "…svaret?: kl." 
         (re.compile(r"(?<![.…])\.\.(?!\.)"), "."),  # ".." (a sentence's own full stop, then the template's)
         (re.compile(r"[ \t]+\n"), "\n"))


def tidy(text: str) -> str:
    """Note text without doubled end punctuation ("?.", "?,", "..")."""
    for pattern, repl in _TIDY:
        text = pattern.sub(repl, text)
    return text


_STRAIGHT = re.compile(r'"([^"\n]+)"')


def danish_quotes(text: str) -> str:
    """Straight double quotes ("…") in a Danish note as the deck writes quotes: »…«."""
    return _STRAIGHT.sub(r"»\1«", text)


def notes(deck, key: str, lines: list[str] | None = None, source: list[str] | None = None, where: str = "",
          last: str = "", **extra) -> str:
    """The kind's note text (``layouts/text/<lang>.yaml`` → ``key``), then ``lines``, then the slide's
    ``source`` text (note bullets) in whole parts up to :data:`NOTES_LIMIT` in all; when the source is
    longer, a line says that the rest is in the facilitator notes under ``where``; ``last`` (the
    transition) ends the note."""
    head = deck.render.fixed(deck.texts.get(key, ""), key, **extra) if deck.texts.get(key) else ""
    fixed = [line.rstrip() for line in [*head.split("\n"), *(lines or [])] if line.strip()]
    if source:
        pointer = more_in_notes(deck, where) if where else ""
        budget = NOTES_LIMIT - TRANSITION_CHARS - sum(len(line) + 1 for line in fixed) - len(pointer) - len(last) - 2
        fixed += source_lines(source, pointer, budget)
        if pointer and fixed and fixed[-1] == pointer:
            deck.pointed = True
    return tidy("\n".join([*fixed, last] if last.strip() else fixed))


def note_text(deck, key: str, **values) -> str:
    """One note sentence from ``layouts/text/<lang>.yaml`` → ``key`` ("" when the layouts have none)."""
    template = deck.texts.get(key, "")
    return deck.render.fixed(template, key, **values).strip() if template else ""


def more_in_notes(deck, where: str) -> str:
    """The line that says where the rest of a long source text is (the facilitator notes): once per deck, on the
    first slide whose notes are shortened (a presenter needs to be told once, not on every slide)."""
    return "" if getattr(deck, "pointed", False) else note_text(deck, "notes_more", where=where)


def plain(text: str) -> Paragraph:
    return Paragraph(text, style="plain")


def minutes_text(minutes, deck) -> str:
    return f"{minutes} {deck.labels.get('minutes_short', 'min.')}" if minutes else ""


def block_title(block, deck) -> str:
    """What a block's own slides are titled: its ``headline`` when the content gives one, else its
    title without a leading activity label ("Øvelse: Belastningskurven" → "Belastningskurven": the
    divider already says what kind of block it is)."""
    headline = getattr(block, "headline", None)
    if say(headline, deck):
        return say(headline, deck)
    return without_label(say(block.title, deck), deck)


def part_title(block, deck) -> str:
    """What the divider, the agenda tracker and the notes' transitions call a block: its title as the agenda
    has it, without a leading activity label (its ``headline`` titles the block's own slides)."""
    return without_label(say(block.title, deck), deck)


def without_label(title: str, deck) -> str:
    """``title`` without a leading kind label ("Øvelse: …", "Redskab 1: …", "Afrunding – …"); kept whole when
    nothing would remain."""
    names = [label for key, label in deck.labels.items()
             if (key.startswith("activity_") or key in ("tool", "questions", "quote")) and isinstance(label, str) and label]
    for label in names:
        found = re.match(rf"{re.escape(label)}(?: \d+)?(?:: | – | - )(.+)$", title, re.IGNORECASE)
        if found and found.group(1).strip():
            rest = found.group(1).strip()
            return rest[:1].upper() + rest[1:]
    return title


def lower_first(text: str) -> str:
    """``text`` to follow a word in a sentence: "Belastningskurven" → "belastningskurven"; "IGLO-modellen" kept."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and text[1] not in "-.":
        return text[0].lower() + text[1:]
    return text


def titled(deck, key: str, title: str, fallback: str) -> str:
    """A composed title from ``labels[key]`` ("Overblik over {lower}", "{title} (igen)")."""
    template = deck.labels.get(key) or fallback
    return template.format(title=title, lower=lower_first(title))


def kind_label(block, deck) -> str:
    return deck.labels.get(f"activity_{block.kind}", "")
