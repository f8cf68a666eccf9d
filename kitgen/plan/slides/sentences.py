"""Whole sentences for slides and speaker notes: a Danish-aware sentence splitter.

A full stop after "f.eks." or "bl.a." does not end a sentence, so a first-sentence
rule that breaks at every ". " cuts "…internt ved f.eks." in half. :func:`sentences`
knows the abbreviations Danish (and English) workshop material uses and only breaks
where a sentence really ends: end punctuation, a space, and a capital, digit or quote.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset("""
f.eks. fx. bl.a. dvs. ift. i.f.t. jf. jfr. evt. inkl. ekskl. pga. p.g.a. ca. mv. m.v. osv. m.m. el.lign. e.l. ifm. i.f.m.
hhv. mht. m.h.t. vha. v.h.a. kl. nr. pkt. stk. tlf. m.fl. o.l. o.lign. bl.andet vedr. ang. iflg. ifølge. s. sml. ex. mfl.
e.g. i.e. etc. vs. cf. approx. no. dr. mr. mrs. ms. prof.
""".split())
_END = re.compile(r"[.!?…]+[\"”’»)]*(?=\s+[\"“‘«(]?[A-ZÆØÅ0-9])")
_WORD_BEFORE = re.compile(r"(\S+)$")


def ends_in_abbreviation(text: str) -> bool:
    """Does ``text`` end in an abbreviation ("… bl.a.") rather than a sentence's full stop?"""
    match = _WORD_BEFORE.search(text.rstrip())
    if not match:
        return False
    word = match.group(1).lower().lstrip("(\"'«“")
    return word in ABBREVIATIONS or bool(re.fullmatch(r"[a-zæøå]\.", word))


def sentences(text: str) -> list[str]:
    """``text`` split into sentences, whitespace collapsed; abbreviations do not end one."""
    text = " ".join(str(text).split())
    out, start = [], 0
    for match in _END.finditer(text):
        end = match.end()
        if ends_in_abbreviation(text[start:end]) and not match.group(0).startswith(("!", "?")):
            continue
        if re.search(r"(^|\s)\d{1,2}\.$", text[start:end].rstrip()):  # "Trin 1. Afklaring", "…, 2. Mål", "24. februar"
            continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def first_sentences(text: str, limit: int) -> str:
    """As many whole sentences of ``text`` as fit in ``limit`` characters (at least the first)."""
    parts = sentences(text)
    if not parts:
        return ""
    shown = parts[0]
    for part in parts[1:]:
        if len(shown) + 1 + len(part) > limit:
            break
        shown += " " + part
    return shown


def cut_mid_sentence(text: str) -> bool:
    """Does a paragraph stop mid-thought: an abbreviation at its end, or "…" that is not the seed's?"""
    stripped = text.rstrip()
    return ends_in_abbreviation(stripped) or stripped.endswith(("…", "...")) and not stripped.endswith(("?…", "!…"))
