"""The words a diagram shows in a language: a label's short slide text when it has one."""

from __future__ import annotations


def say(value, language: str) -> str:
    if value is None:
        return ""
    if hasattr(value, "slide_text"):
        return value.slide_text(language)
    return str(value)
