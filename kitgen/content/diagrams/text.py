"""The words a diagram shows in a language: a label's short slide text when it has one."""

from __future__ import annotations

NUMBERS = {"da": ["nul", "ét", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti"],
           "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]}


def say(value, language: str) -> str:
    if value is None:
        return ""
    if hasattr(value, "slide_text"):
        return value.slide_text(language)
    return str(value)


def pick(language: str, da: str, en: str) -> str:
    """The Danish or the English wording of a description (Danish for any other language)."""
    return en if language == "en" else da


def count(number: int, language: str) -> str:
    """A small number in words, as a description reads it ("fire niveauer")."""
    words = NUMBERS["en" if language == "en" else "da"]
    return words[number] if 0 <= number < len(words) else str(number)


def one_line(text: str) -> str:
    return " ".join(text.split())


def titled(diagram, language: str, body: str) -> str:
    """"Title: body." — the description's first words name the figure."""
    title = one_line(say(diagram.title, language))
    body = body.rstrip(".") + "."
    return f"{title}: {body}" if title else body[:1].upper() + body[1:]
