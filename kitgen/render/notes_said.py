"""One source per fact in the facilitator notes (kitgen.render.notes): sentences, normalised, and
whether the notes have said one already — word for word, nearly so ("ikke kan" / "kan ikke"), or
as the same figures ("4,2 … 8 %" on a slide point and again in a background text)."""

from __future__ import annotations

import re

LEAD_IN = re.compile(r"^[^:]{1,60}?:\s+")  # "Kort fortalt: ", "Trin 1: ", "Prototype 1: " before what is said
LEAD_IN_WORDS = 6
LABEL_WORDS = 8  # a sentence said already that opens new ones stays as their label ("Udfyld forberedelsesskema:")
END = re.compile(r"(?<=[.!?…])\s+(?=[»\"“(]?[A-ZÆØÅ0-9(])")  # "… leder. Trin 2" (not "dvs. kobling", "fx. at")
ABBREVIATION = re.compile(r"\b(?:fx|f\.eks|bl\.a|dvs|ca|jf|mv|inkl|ift|evt|nr|pga|hhv|mht|min|ex)\.$", re.IGNORECASE)
NUMBERED = re.compile(r"(?:^|\s)\d{1,2}\.$")  # "… felter: 1. Mål for …, 2. Dit …": an item number, not a sentence's end
FIGURE = re.compile(r"\d+,\d+|\d+\s?%")  # a score ("4,2") or a share ("8 %"): the facts a background text repeats
NEAR = 0.85  # a sentence is said when this share of its words stands in one sentence said before
NEAR_WORDS = 5  # … when it has this many words or more (shorter ones only when equal)
NEAR_LONG = 0.75  # … a long sentence when this share does ("Men første skridt er …" beside "Første skridt er …")
LONG_WORDS = 10


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences: at a full stop, question or exclamation mark before a capital, never
    inside brackets nor after an abbreviation; a bracket that follows a sentence ("(Doré, Morris, Burr
    2017)") stays with it."""
    result: list[str] = []
    for line in (text or "").split("\n"):
        parts: list[str] = []
        for part in END.split(line.strip()):
            if parts and (_open(parts[-1]) or ABBREVIATION.search(parts[-1]) or NUMBERED.search(parts[-1])
                          or part.startswith("(")):
                parts[-1] = f"{parts[-1]} {part}"
            else:
                parts.append(part)
        result.extend(p for p in parts if p.strip())
    return result


def _open(text: str) -> bool:
    return text.count("(") > text.count(")")


def key(sentence: str) -> str:
    """A sentence as compared: its lead-in labels off ("Kort fortalt: Trin 1: Udfyld interviewguide." →
    "udfyld interviewguide"), lower case, words only."""
    while True:
        match = LEAD_IN.match(sentence)
        if not match or len(match.group(0).split()) > LEAD_IN_WORDS or not sentence[match.end():].strip():
            break
        sentence = sentence[match.end():]
    return " ".join(re.findall(r"\w+", sentence.lower()))


class Said:
    """What the notes have printed so far, sentence by sentence."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.words: list[set[str]] = []
        self.figures: list[set[str]] = []

    def add(self, text: str) -> None:
        for sentence in sentences(text):
            k = key(sentence)
            if k:
                self.keys.add(k)
                self.words.append(set(k.split()))
        found = _figures(text)
        if found:
            self.figures.append(found)

    def said(self, sentence: str) -> bool:
        """Is ``sentence`` said already: the same words, nearly all its words in one sentence, or all its
        figures (two or more) in one text?"""
        k = key(sentence)
        if not k:
            return True  # a label with nothing after it
        if k in self.keys:
            return True
        words = set(k.split())
        share = NEAR_LONG if len(k.split()) >= LONG_WORDS else NEAR
        if len(k.split()) >= NEAR_WORDS and any(len(words & other) >= share * len(words) for other in self.words):
            return True
        found = _figures(sentence)
        return len(found) >= 2 and any(found <= other for other in self.figures)

    def new(self, text: str) -> str:
        """``text`` without the sentences said already ("" when all of them are, or only a label is left);
        what is left is said from now on. A first sentence said already that opens new ones keeps its
        place as their label: whole when short ("Udfyld forberedelsesskema:"), else its lead-in
        ("Ledere af medarbejdere:")."""
        parts = sentences(text)
        fresh = [not self.said(part) for part in parts]
        kept = [part for part, new in zip(parts, fresh) if new]
        if kept and parts and not fresh[0]:
            first = parts[0]
            if len(key(first).split()) <= LABEL_WORDS:
                kept.insert(0, first.rstrip(" .!?") + ":")
            elif lead_in(first):
                kept[0] = f"{lead_in(first)} {kept[0]}"
        left = " ".join(kept)
        if left.rstrip().endswith(":") and len(kept) == 1:  # a label with nothing new after it
            left = ""
        self.add(left)
        return left


def lead_in(sentence: str) -> str:
    """The labels ``key`` leaves off ("Ledere af medarbejdere:"), or ""."""
    stripped = sentence
    while True:
        match = LEAD_IN.match(stripped)
        if not match or len(match.group(0).split()) > LEAD_IN_WORDS or not stripped[match.end():].strip():
            break
        stripped = stripped[match.end():]
    return sentence[:len(sentence) - len(stripped)].strip()


def _figures(text: str) -> set[str]:
    return {re.sub(r"\s", "", f) for f in FIGURE.findall(text)}
