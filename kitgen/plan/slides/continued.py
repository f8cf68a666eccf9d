"""Continuation slides: a slide's later pieces, titled "Titel (fortsat 2/3)" through the labels."""

from __future__ import annotations

import re


def continues(slide, first, labels: dict) -> bool:
    """Is ``slide`` a continuation of ``first`` ("Titel (fortsat 2/3)"): the title fitting (or a question kind's pages)
    gives a later piece, in the same block and of the same kind?"""
    if slide.kind != first.kind or slide.block_index != first.block_index:
        return False
    template = re.escape(labels.get("continued_title") or "{title} (fortsat {n}/{of})")
    pattern = template.replace(re.escape("{title}"), re.escape(first.title)).replace(re.escape("{n}"), r"\d+")
    return re.fullmatch(pattern.replace(re.escape("{of}"), r"\d+"), slide.title) is not None
