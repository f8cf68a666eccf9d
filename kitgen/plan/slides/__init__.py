"""Slide kinds: one module per kind, one entry per kind in ``layouts/deck.yaml`` → ``slides:``.

```yaml
slides:                       # in deck order; a block's kinds in the order a block shows them
  title:   {scope: opening, layout: title}
  quote:   {scope: block, layout: quote, body_pt: 28}
  diagram: {scope: inline, layout: content}   # made by other kinds (a tool's figure right after it)
```
``scope`` says when the kind's module runs: ``opening`` and ``closing`` once per deck,
``block`` once per programme block, ``inline`` never by itself. ``layout`` names the
slide kind whose template layout the kind uses (so a new kind needs no new layout in a
client's template). ``body_pt`` is the kind's body size before fitting shrinks it; ``title_pt`` a cover
kind's title size (every other kind shares the deck's one title size).

A kind's module is ``kitgen.plan.slides.<kind>`` with ``build(deck, block) -> list[SlideSpec]``
(``block`` is None for opening and closing kinds). Adding a kind is one module and one
entry here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kitgen.plan.kitplan import SlideSpec
from kitgen.content.yamlfile import YamlProblem, read_yaml_kept
from kitgen.plan.slides.common import tidy
from kitgen.plan.slides.items import once_per_deck, points_shown_elsewhere, same_items
from kitgen.plan.slides.section import transition

SCOPES = ("opening", "block", "closing", "inline")
DEFAULT_KINDS = {  # used when a layouts folder's deck.yaml has no slides: section (older layouts folders)
    "title": {"scope": "opening", "layout": "title"}, "agenda": {"scope": "opening", "layout": "agenda"},
    "section": {"scope": "block", "layout": "section"}, "content": {"scope": "block", "layout": "content"},
    "definition": {"scope": "block", "layout": "content"}, "quote": {"scope": "block", "layout": "quote"},
    "tool": {"scope": "block", "layout": "tool"}, "questions": {"scope": "block", "layout": "questions"},
    "diagram": {"scope": "inline", "layout": "content"}, "closing": {"scope": "closing", "layout": "closing"},
    "recap": {"scope": "inline", "layout": "content"},
}


@dataclass(frozen=True)
class Kind:
    name: str
    scope: str
    layout: str  # the kind whose template layout this kind uses
    body_pt: float | None = None
    title_pt: float | None = None  # cover kinds (title, section, closing) only: every other kind shares one title size


@dataclass
class Deck:
    """What every slide module may read while building one organisation's deck."""

    content: object
    org: object
    programme: object
    branding: object
    labels: dict
    texts: dict
    language: str
    render: object  # kitgen.plan.assemble._Texts: renders content and note texts, findings for errors
    kinds: dict = field(default_factory=dict)


@dataclass
class BlockSlides:
    """One programme block with what it refers to, resolved (rendered texts, content objects)."""

    block: object
    index: int
    number: int  # 1-based among the blocks that are not breaks
    notes: str
    points: list
    tools: list  # (Tool, use)
    questions: list
    groups: list  # question groups the block's questions come from
    quotes: list
    definitions: list


@lru_cache(maxsize=8)
def _read_kinds(path: str, stamp: float) -> tuple[Kind, ...]:
    data = {}
    if Path(path).is_file():
        try:
            data = read_yaml_kept(Path(path)) or {}
        except YamlProblem:
            data = {}  # load_layouts reports the file
    table = data.get("slides") if isinstance(data, dict) and isinstance(data.get("slides"), dict) else DEFAULT_KINDS
    kinds = []
    for name, entry in table.items():
        entry = entry if isinstance(entry, dict) else {}
        scope = entry.get("scope") if entry.get("scope") in SCOPES else "block"
        size = {key: float(entry[key]) if isinstance(entry.get(key), (int, float)) and not isinstance(entry.get(key), bool)
                and 8 <= entry[key] <= 96 else None for key in ("body_pt", "title_pt")}
        kinds.append(Kind(str(name), scope, str(entry.get("layout") or name), size["body_pt"], size["title_pt"]))
    return tuple(kinds)


def kinds_for(layouts_root: Path) -> dict[str, Kind]:
    """The slide kinds of a layouts folder, in deck order."""
    path = Path(layouts_root) / "deck.yaml"
    stamp = path.stat().st_mtime if path.is_file() else 0.0
    return {kind.name: kind for kind in _read_kinds(str(path), stamp)}


def layout_kind(kind: str, kinds: dict | None = None) -> str:
    """The kind whose template layout ``kind`` is placed on (``diagram`` → ``content``)."""
    if kinds and kind in kinds:
        return kinds[kind].layout
    return DEFAULT_KINDS.get(kind, {}).get("layout", kind)


def module(kind: str):
    return importlib.import_module(f"kitgen.plan.slides.{kind}")


def build_slides(deck: Deck, blocks: list[BlockSlides]) -> list[SlideSpec]:
    """Every slide of the deck: opening kinds, each block's kinds, closing kinds; each item once, titles unique."""
    kinds = list(deck.kinds.values())
    canon = same_items(deck, blocks)
    slides: list[SlideSpec] = []
    for kind in (k for k in kinds if k.scope == "opening"):
        slides.extend(module(kind.name).build(deck, None))
    for block in blocks:
        block = points_shown_elsewhere(deck, block, canon)
        for kind in (k for k in kinds if k.scope in ("block", "inline")):  # an inline kind may add a block's own
            for slide in module(kind.name).build(deck, block):               # (diagram: the figures it shows:)
                slide.block_index = block.index
                slides.append(slide)
    for kind in (k for k in kinds if k.scope == "closing"):
        slides.extend(module(kind.name).build(deck, None))
    slides = once_per_deck(deck, slides, canon)
    _transitions(deck, blocks, slides)
    return unique_titles(slides)


def _transitions(deck: Deck, blocks: list[BlockSlides], slides: list[SlideSpec]) -> None:
    """The last slide of each block ends its notes with when the block ends and what comes next."""
    last = {}
    for slide in slides:
        if slide.block_index is not None:
            last[slide.block_index] = slide
    for block in blocks:
        slide = last.get(block.index)
        line = transition(deck, block) if slide is not None and slide.notes.strip() else ""
        if line:  # a slide with no notes of its own stays empty: validation names the field to write
            slide.notes = tidy(f"{slide.notes}\n{line}")


def unique_titles(slides: list[SlideSpec]) -> list[SlideSpec]:
    """Two slides never share a title: a later one gets a number ("Titel (2)")."""
    seen: dict[str, int] = {}
    for slide in slides:
        key = slide.title.casefold()
        if key not in seen:
            seen[key] = 1
            continue
        number = seen[key]
        candidate = ""
        while not candidate or candidate.casefold() in seen:
            number += 1
            candidate = f"{slide.title} ({number})"
        seen[key] = number
        seen[candidate.casefold()] = 1
        slide.title = candidate
    return slides
