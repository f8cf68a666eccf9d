"""Slide kinds and their traits, as ``layouts/deck.yaml`` → ``slides:`` declares them (see :mod:`kitgen.plan.slides`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from kitgen.content.layouts import KindTraits, parse_traits
from kitgen.content.yamlfile import YamlProblem, read_yaml_kept

SCOPES = ("opening", "block", "closing", "inline")
_TEXT = ["title", "body"]
DEFAULT_KINDS = {  # used when a layouts folder's deck.yaml has no slides: section (older layouts folders), and for missing traits
    "title": {"scope": "opening", "layout": "title", "role": "cover", "needs": ["title", "body", "picture"]},
    "agenda": {"scope": "opening", "layout": "agenda", "role": "content", "needs": _TEXT},
    "section": {"scope": "block", "layout": "section", "role": "divider", "needs": _TEXT},
    "quote": {"scope": "block", "layout": "quote", "role": "quote", "needs": _TEXT, "splittable": True, "split_unit": "item",
              "centred": True},
    "content": {"scope": "block", "layout": "content", "role": "content", "needs": _TEXT, "splittable": True},
    "statement": {"scope": "block", "layout": "content", "role": "statement", "needs": _TEXT, "centred": True},
    "definition": {"scope": "block", "layout": "content", "role": "statement", "needs": _TEXT, "centred": True},
    "tool": {"scope": "block", "layout": "tool", "role": "exercise", "needs": _TEXT, "splittable": True, "split_unit": "item"},
    "questions": {"scope": "block", "layout": "questions", "role": "question", "needs": _TEXT, "splittable": True,
                  "split_unit": "item", "centred": True},
    "diagram": {"scope": "inline", "layout": "content", "role": "figure", "needs": ["title", "picture"]},
    "recap": {"scope": "inline", "layout": "content", "role": "content", "needs": _TEXT, "splittable": True},
    "closing": {"scope": "closing", "layout": "closing", "role": "closing", "needs": ["title", "body", "picture"]},
}
CONTENT_ROLES = ("content", "statement", "quote", "question", "exercise")  # each of their paragraphs once per deck
CONTENT_KINDS = tuple(k for k, v in DEFAULT_KINDS.items() if v["role"] in CONTENT_ROLES and k != "agenda" or k == "recap")

_DEFAULT_TRAITS = parse_traits(DEFAULT_KINDS, "kitgen.plan.slides.kinds", [])


@dataclass(frozen=True)
class Kind:
    name: str
    scope: str
    layout: str  # the kind whose template layout this kind uses
    body_pt: float | None = None
    title_pt: float | None = None  # cover kinds (title, section, closing) only: every other kind shares one title size
    role: str = "content"
    needs: tuple = ("title", "body")
    splittable: bool = False
    split_unit: str = "paragraph"
    centred: bool = False


@lru_cache(maxsize=8)
def _read_kinds(path: str, stamp: float) -> tuple[Kind, ...]:
    data = {}
    if Path(path).is_file():
        try:
            data = read_yaml_kept(Path(path)) or {}
        except YamlProblem:
            data = {}  # load_layouts reports the file
    table = data.get("slides") if isinstance(data, dict) and isinstance(data.get("slides"), dict) else DEFAULT_KINDS
    traits = parse_traits(table, path, [])  # the one reader of a kind's traits (load_layouts reports the file)
    kinds = []
    for name, entry in table.items():
        entry = entry if isinstance(entry, dict) else {}
        scope = entry.get("scope") if entry.get("scope") in SCOPES else "block"
        size = {key: float(entry[key]) if isinstance(entry.get(key), (int, float)) and not isinstance(entry.get(key), bool)
                and 8 <= entry[key] <= 96 else None for key in ("body_pt", "title_pt")}
        kinds.append(Kind(str(name), scope, str(entry.get("layout") or name), size["body_pt"], size["title_pt"],
                          **asdict(traits.get(str(name), KindTraits()))))
    return tuple(kinds)


def trait(kind: str, name: str, kinds: dict | None = None):
    """One trait of ``kind`` (from ``kinds``, the layouts folder's kinds, else the default kind's)."""
    if kinds and kind in kinds:
        return getattr(kinds[kind], name)
    entry = DEFAULT_KINDS.get(kind, {})
    if name in ("scope", "layout"):
        return entry.get(name, "block" if name == "scope" else kind)
    return getattr(_DEFAULT_TRAITS.get(kind) or KindTraits(), name)


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
