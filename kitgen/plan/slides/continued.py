"""Continuation slides: a slide's later pieces, titled "Titel (fortsat 2/3)" through the labels."""

from __future__ import annotations

import re


def _pattern(labels: dict, title: str | None = None) -> str:
    template = re.escape(labels.get("continued_title") or "{title} (fortsat {n}/{of})")
    pattern = template.replace(re.escape("{title}"), "(?P<title>.+)" if title is None else re.escape(title))
    return pattern.replace(re.escape("{n}"), r"(?P<n>\d+)").replace(re.escape("{of}"), r"\d+")


def base_title(title: str, labels: dict) -> tuple[str, int]:
    """A title without its continuation mark, and the piece's number: ("Titel", 2) for "Titel (fortsat 2/3)";
    (title, 0) for a title without one."""
    found = re.fullmatch(_pattern(labels), title)
    return (found.group("title"), int(found.group("n"))) if found else (title, 0)


def continues(slide, first, labels: dict) -> bool:
    """Is ``slide`` a later piece of ``first`` ("Titel (fortsat 2/3)" after "Titel" or "Titel (fortsat 1/3)"): the
    title fitting gives the pieces of one slide, in the same block and of the same kind?"""
    if slide.kind != first.kind or slide.block_index != first.block_index:
        return False
    base, number = base_title(first.title, labels)
    if number > 1:
        return False
    found = re.fullmatch(_pattern(labels, base), slide.title)
    return found is not None and int(found.group("n")) > 1
