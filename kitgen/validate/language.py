"""Untranslated text: for an organisation whose language is not the content's, every text
its kit uses that has no translation is a warning (rule ``language/untranslated``).

The kit then shows the text in the content's language (a Danish sentence in an English
deck). The text report lists these warnings with ``--verbose`` and counts them otherwise
(a programme in Danish has hundreds); ``--strict`` fails on them like on any warning.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from kitgen.core.findings import Finding
from kitgen.content.model import BLOCK_REFERENCES, Content, Org, Programme, block_refs
from kitgen.core.modelbase import Model
from kitgen.core.textfield import Text

RULE = "language/untranslated"
NAMES = {"da": "Danish", "en": "English"}
SKIP = {"editor_note", "editorial"}  # remarks for editors: no kit shows them


def _walk(obj: BaseModel, path: str, owner: Model, field: str | None):
    """(path, text, the model the text belongs to, its top field) for every Text in ``obj``."""
    for name in type(obj).model_fields:
        if name in SKIP:
            continue
        value = getattr(obj, name)
        here = f"{path}.{name}" if path else name
        top_owner, top_field = (obj, name) if isinstance(obj, Model) and obj._origin is not None else (owner, field)
        yield from _values(value, here, top_owner, top_field)


def _values(value, path: str, owner: Model, field: str | None):
    if isinstance(value, Text):
        if str(value).strip():
            yield path, value, owner, field
    elif isinstance(value, BaseModel):
        yield from _walk(value, path, owner, field)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, f"{path}[{index}]", owner, field)


def _used(content: Content, programme: Programme) -> list[tuple[str, str, Model]]:
    """(kind, id, object) for everything the programme's kit shows, each once, in kit order."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, Model]] = []

    def add(kind: str, item_id: str, obj) -> None:
        if obj is not None and (kind, item_id) not in seen:
            seen.add((kind, item_id))
            out.append((kind, item_id, obj))

    for block in programme.blocks:
        for field, (table, kind) in BLOCK_REFERENCES.items():
            for ref in block_refs(block, field):
                obj = getattr(content, table).get(ref)
                add(kind, ref, obj)
                for question_id in getattr(obj, "questions", []) if kind == "tool" else []:
                    add("question", question_id, content.questions.get(question_id))
    return out


def untranslated(content: Content, org: Org, programme: Programme) -> list[Finding]:
    """One warning per text of ``org``'s kit that has no ``org.language`` translation."""
    language = org.language
    if language == content.meta.language:
        return []
    name = NAMES.get(language, language)
    findings: list[Finding] = []

    def report(kind: str, item_id: str, path: str, owner: Model, field: str | None) -> None:
        findings.append(Finding(
            "warning", RULE,
            f"{kind} '{item_id}': {path} has no {name} text, so {org.id}'s kit shows the "
            f"{NAMES.get(content.meta.language, content.meta.language)}; give it as {{da: …, {language}: …}}",
            owner.origin.file, owner.line_of(field) if field else owner.origin.line, path, scope=org.id))

    for path, text, owner, field in _walk(programme, "", programme, None):
        if not text.has(language):
            report("programme", programme.id, path, owner, field)
    for kind, item_id, obj in _used(content, programme):
        for path, text, owner, field in _walk(obj, "", obj, None):
            if not text.has(language):
                report(kind, item_id, path, owner, field)
    return findings


# --- wording: numbers as the kit's language writes them, announcements that date --------------------

NUMBER_RULE = "language/number-format"
DATED_RULE = "language/dated-announcement"
NUMBERS = {
    # Danish: 4,2 and 8 % (a decimal comma, a space before %); "08.30" is a clock time and 1.000 a thousand
    "da": ((re.compile(r"(?<![\d.,])\d+\.\d(?![\d.,])"), "an English decimal point", "write it with a decimal comma (4,2)"),
           (re.compile(r"(?<![\d.,])\d+(?:,\d+)?%"), "a percent sign without a space", "write a space before it (8 %)")),
    # English: 4.2 and 8%
    "en": ((re.compile(r"(?<![\d.,])\d+,\d(?![\d.,])"), "a decimal comma", "write it with a decimal point (4.2)"),
           (re.compile(r"(?<![\d.,])\d+(?:\.\d+)? %"), "a space before the percent sign", "write it without the space (8%)")),
}
ENGLISH_RULE = "language/english-word"
ENGLISH_IN_DANISH = re.compile(r"\b(?:Step|Steps|Take-?aways?|Breakout|Check-?in)\b(?= ?\d|:)")  # "Step 1:" in Danish notes
DATED = re.compile(
    r"\b(?:udkommer|kommer|lanceres|opdateres|is out|comes out|will be published)\b[^.\n]{0,40}?\d{1,2}/\d{1,2}\b"
    r"|\bd\.\s?\d{1,2}/\d{1,2}\b"
    r"|\b(?:I|In)\s(?:19|20)\d{2}/\d{2}\b", re.IGNORECASE)


def wording(content: Content, org: Org, programme: Programme) -> list[Finding]:
    """Warnings for texts of ``org``'s kit that write numbers the way the other language does ("4.2" or
    "8%" in a Danish kit), for English words in Danish text ("Step 1") and for announcements that date
    ("udkommer d. 30/1", "I 2018/19").
    Nothing rewrites them while rendering: the fix is in the content."""
    language = org.language
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def check(kind: str, item_id: str, path: str, text: str, owner: Model, field: str | None) -> None:
        where = (owner.origin.file, owner.line_of(field) if field else owner.origin.line, path, org.id)
        for pattern, what, fix in NUMBERS.get(language, ()):
            for found in pattern.finditer(text):
                if (path, found.group(0)) not in seen:
                    seen.add((path, found.group(0)))
                    findings.append(Finding("warning", NUMBER_RULE,
                        f"{kind} '{item_id}': {path} writes '{found.group(0)}' with {what}, which "
                        f"{'an' if NAMES.get(language, language)[:1] in 'AEIOU' else 'a'} {NAMES.get(language, language)} "
                        f"reader does not; {fix}", *where[:3], scope=where[3]))
        english = ENGLISH_IN_DANISH.search(text) if language == "da" else None
        if english and (path, "english") not in seen:
            seen.add((path, "english"))
            findings.append(Finding("warning", ENGLISH_RULE,
                f"{kind} '{item_id}': {path} says '{english.group(0)}' in a Danish text; write it in Danish "
                "(\"Trin 1\")", *where[:3], scope=where[3]))
        found = DATED.search(text)
        if found and (path, "dated") not in seen:
            seen.add((path, "dated"))
            findings.append(Finding("warning", DATED_RULE,
                f"{kind} '{item_id}': {path} says '{found.group(0)}', an announcement that dates the kit; "
                "say it without the date, or leave it out", *where[:3], scope=where[3]))

    def shown(text) -> str | None:
        """The text as the kit shows it in ``language``; None for a text without that language (reported as
        untranslated: its numbers are the other language's by nature)."""
        if not hasattr(text, "get"):
            return str(text)
        if hasattr(text, "has") and language != content.meta.language and not text.has(language):
            return None
        return text.get(language)

    for path, text, owner, field in _walk(programme, "", programme, None):
        if shown(text) is not None:
            check("programme", programme.id, path, shown(text), owner, field)
    for kind, item_id, obj in _used(content, programme):
        for path, text, owner, field in _walk(obj, "", obj, None):
            if shown(text) is not None:
                check(kind, item_id, path, shown(text), owner, field)
    return findings
