"""Text as the facilitator notes print it (kitgen.render.notes, notes_block): a quote as the excerpt it
is, a script line without quotation marks, the seed's scores and spaced slashes tidied, a quote's
credit and source as compared."""

from __future__ import annotations

import re

from kitgen.render.notes_said import lead_in, sentences
from kitgen.render.sheet_layout import norm


EDITORIAL_CREDIT = re.compile(r"\s*\((?:citat fortsat|quote continued)\)", re.IGNORECASE)


def credit_of(attribution: str | None) -> str:
    """An attribution as printed: without the editor's "(citat fortsat)" (the quotes above it are one run)."""
    return EDITORIAL_CREDIT.sub("", attribution or "").strip()


CITED_IN = re.compile(r"^(?:citeret i|cited in)\s+", re.IGNORECASE)


def source_key(source: str) -> str:
    """A source as compared: "Citeret i BFA Industri: guide …" names the guide "BFA Industri: guide …" does, and
    "Workshop …, 24. februar 2021 (interview)" the workshop "Workshop …, 24. februar 2021" does."""
    return norm(re.sub(r"\s*\([^()]*\)$", "", CITED_IN.sub("", source.partition(" – ")[0].strip())))


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
    notes' own »…« ('mindset', "Hvad hæfter I jer ved?"); in English, »…« as “…”."""
    text = SPACED_SLASH.sub("/", NO_BREAK_HYPHEN.sub("\u2011", UNEXPLAINED_SCORE.sub("", text)))
    if language == "da":
        text = STRAIGHT_QUOTES.sub(lambda m: f"»{m.group(2)}«", text)
    elif language == "en":  # English quotation marks in English notes, a Danish title quoted included (DEMO-EN)
        text = DANISH_QUOTES.sub(lambda m: f"“{m.group(1)}”", text)
    return text


DANISH_QUOTES = re.compile(r"»([^«»\n]{1,200})«")


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


CONTINUED = re.compile(r"\s*\((?:fortsat|continued) \d+/\d+\)$")


def slide_map(slides: list, index: int, labels: dict) -> tuple[str, str]:
    """What a block shows, slide by slide: ("slides 5–8", "5 skilleside · 6 Problemet i en nøddeskal · 7–8 Lederne
    står alene med presset"); a slide continued on the next is one entry; the last block's map takes in the
    closing slide after it ("28 Tak for i dag"), so every slide of the deck is named once."""
    numbered = [(n, s) for n, s in enumerate(slides, start=1) if getattr(s, "block_index", None) == index]
    if not numbered:
        return "", ""
    blocks = [getattr(s, "block_index", None) for s in slides]
    if index == max((b for b in blocks if b is not None), default=None):  # the closing slide(s) after the last block
        numbered += [(n, s) for n, s in enumerate(slides, start=1) if n > numbered[-1][0] and blocks[n - 1] is None]
    first, last = numbered[0][0], numbered[-1][0]
    span = f"{labels.get('slide_one', 'slide')} {first}" if first == last else f"{labels.get('slides_many', 'slides')} {first}–{last}"
    entries: list[list] = []  # [first, last, title]
    for number, slide in numbered:
        title = labels.get("divider", "") if slide.kind == "section" else CONTINUED.sub("", slide.title.strip())
        if entries and entries[-1][2] == title and entries[-1][1] == number - 1:
            entries[-1][1] = number
        else:
            entries.append([number, number, title])
    shown = " · ".join(f"{a}\u00a0{t}" if a == b else f"{a}–{b}\u00a0{t}" for a, b, t in entries if t)
    return span.replace(" ", "\u00a0"), shown


ADDRESSED = re.compile(r"(?<=\S )I\b(?![-‑]|\s\()|\b[Jj]er(?:es)?\b")  # "får I", "del jer", "jeres medarbejdere" (not "I travlhed …")
MARKED = re.compile(r"^\s*(?:[»\"“]|\w+:\s*[»\"“])")  # speech already marked ("Spørg: »…«")


def mark_said(text: str, say: str, language: str) -> str:
    """Guidance in the facilitator's voice: a run of sentences that speaks to the participants ("Er I flere
    end fire, så del jer i flere grupper.") is set as what to say — 'Sig: »…«' — so no "I/jeres" reads as
    addressed to the facilitator. Danish only (the pronouns are unambiguous there)."""
    if language != "da" or not text:
        return text
    lines = []
    for line in text.split("\n"):
        marker = re.match(r"^\s*(?:[-•–]|\d+[.)])\s+", line)
        head, body = (marker.group(0), line[marker.end():]) if marker else ("", line)
        parts, run = [], []
        for sentence in sentences(body) + [None]:
            if sentence is not None and ADDRESSED.search(sentence) and not MARKED.match(sentence) and "»" not in sentence:
                run.append(sentence)
                continue
            if run:  # a lead-in stays outside what is said ("Fælles opsamling: Sig: »Hvad lærte I …?«")
                lead = lead_in(run[0])
                run[0] = run[0][len(lead):].strip()
                parts.append(f"{lead + ' ' if lead else ''}{say}: »{' '.join(run)}«")
                run = []
            if sentence is not None:
                parts.append(sentence)
        lines.append(head + " ".join(parts) if parts else line)
    return "\n".join(lines)
