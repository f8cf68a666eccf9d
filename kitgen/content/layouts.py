"""The layouts folder: templates, the slide-layout map, fixed labels and note texts, as data.

```
layouts/
  default/deck.pptx        default slide masters and layouts (16:9)
  default/document.docx    default styles for worksheets and facilitator notes (A4)
  deck.yaml                slide kind -> layout name; slide kinds and their traits; text-fitting sizes
  labels/<lang>.yaml       fixed labels (Program, Pause, Spørgsmål …)
  text/<lang>.yaml         note texts kitgen writes itself (Jinja2)
```
A client's own template may bring its own layout map as ``<template>.yaml`` beside it:

```yaml
layouts:                      # optional per kind; kinds left out are chosen by what layouts hold
  title: Forside              # a layout name (taken from the master chosen for that kind)
  content: {master: 2, layout: "Title, Content"}   # or a master (number or name) and a layout
fit:                          # optional: this template's own text sizes (same keys as deck.yaml)
  body_size_pt: 20
```
Unknown keys and slide kinds are errors with a did-you-mean; fitting numbers must lie in
:data:`FIT_RANGES` (a size of 1e8 would have kitgen measure for minutes).

Each slide kind in ``deck.yaml`` → ``slides:`` carries its **traits**, the one vocabulary layout
choice (:mod:`kitgen.templates.choose`), fitting (:mod:`kitgen.plan.fit`) and the deck renderer read
(:class:`KindTraits`)::

    slides:
      content: {scope: block, layout: content, role: content, needs: [title, body], splittable: true, split_unit: paragraph}
      quote:   {scope: block, layout: quote, role: quote, centred: true, splittable: true, split_unit: item}

``role`` is one of :data:`ROLES`; ``needs`` lists what the kind's layout must hold (:data:`NEEDS`);
``splittable`` lets fitting put the kind's text on continuation slides, by ``split_unit``:
``paragraph`` (a list of points, at most six a slide) or ``item`` (whole items, a quote with its
attribution, an agenda line, only when they do not fit); ``centred`` stands the text in the middle
of its slide. A kind that gives no ``role`` takes the traits of the kind whose layout it uses.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from kitgen.core.findings import Finding
from kitgen.content.yamlfile import YamlProblem, display_path
from kitgen.content.yamlfile import read_yaml_kept

SLIDE_KINDS = ("title", "agenda", "section", "content", "tool", "questions", "quote", "closing")
# Word styles kitgen writes with; a client .docx template that lacks one gets it from kitgen's default document.
REQUIRED_DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Number", "List Bullet", "Table Grid",
                        "List Bullet 2", "Quote")


@dataclass(frozen=True)
class MapEntry:
    """What a layout map says for one slide kind: a layout name, and optionally a master (number or name)."""

    layout: str
    master: int | str | None = None
    line: int | None = None


@dataclass(frozen=True)
class FitSettings:
    body_size_pt: float = 22
    quote_size_pt: float = 28
    min_body_size_pt: float = 16
    dense_size_pt: float = 18       # the one smaller body size a full slide may use (issue 21: two body sizes at most)
    display_size_pt: float = 32     # large type: question and statement slides
    figure_min_size_pt: float = 16  # no figure's lettering is smaller
    title_size_pt: float = 32
    min_title_size_pt: float = 24
    line_spacing: float = 1.2
    paragraph_space_pt: float = 4.4
    letter_spacing_pt: float = 0.0  # a template master's letter spacing (not a map key: read from the master)


# Sane ranges (inclusive) for every fitting number: kitgen measures every size in between.
FIT_RANGES = {
    "body_size_pt": (8, 60), "quote_size_pt": (8, 72), "min_body_size_pt": (6, 60),
    "dense_size_pt": (6, 60), "display_size_pt": (8, 96), "figure_min_size_pt": (6, 60),
    "title_size_pt": (10, 96), "min_title_size_pt": (8, 96), "line_spacing": (0.8, 3.0), "paragraph_space_pt": (0, 48),
}
MAP_KEYS = ("layouts", "fit")

ROLES = ("cover", "divider", "closing", "content", "figure", "statement", "quote", "question", "exercise")
NEEDS = ("title", "body", "picture")
SPLIT_UNITS = ("paragraph", "item")
TRAIT_KEYS = ("role", "needs", "splittable", "split_unit", "centred")
KIND_KEYS = ("scope", "layout", "body_pt", "title_pt") + TRAIT_KEYS


@dataclass(frozen=True)
class KindTraits:
    """What a slide kind is, in the words layout choice and fitting read (``deck.yaml`` → ``slides:``)."""

    role: str = "content"
    needs: tuple[str, ...] = ("title", "body")
    splittable: bool = False
    split_unit: str = "paragraph"
    centred: bool = False

    @property
    def cover_like(self) -> bool:
        """A cover, divider or closing: its own sizes, and a layout of the template's title design."""
        return self.role in ("cover", "divider", "closing")


def parse_traits(table, file: str, problems: list[Finding]) -> dict[str, KindTraits]:
    """``slides:`` of a deck.yaml → kind → :class:`KindTraits`; a wrong value is an error naming the kind
    and the key with what is allowed. A kind without ``role`` takes the traits of its ``layout:`` kind."""
    if not isinstance(table, dict):
        return {}
    own: dict[str, KindTraits] = {}
    for kind, entry in table.items():
        kind = str(kind)
        if not isinstance(entry, dict):
            problems.append(Finding("error", "layouts/invalid-kind", f"slides.{kind} must be a mapping such as "
                "{scope: block, layout: content, role: content}", file, _line(table, kind), f"slides.{kind}"))
            continue
        for key in entry:
            if key not in KIND_KEYS:
                problems.append(Finding("error", "layouts/unknown-kind-key",
                    f"unknown key '{key}' in slides.{kind}{_did_you_mean(key, KIND_KEYS)}", file, _line(entry, key),
                    f"slides.{kind}.{key}"))
        if "role" not in entry:
            continue
        own[kind] = _traits(kind, entry, file, problems)
    traits = dict(own)
    for kind, entry in table.items():  # no role: the traits of the kind whose layout it uses (diagram -> content)
        kind = str(kind)
        if kind not in traits and isinstance(entry, dict):
            traits[kind] = own.get(str(entry.get("layout") or ""), KindTraits())
    return traits


def _traits(kind: str, entry: dict, file: str, problems: list[Finding]) -> KindTraits:
    base = KindTraits()
    values = {}

    def bad(key: str, allowed: str) -> None:
        problems.append(Finding("error", "layouts/invalid-trait",
            f"slides.{kind}.{key} is {entry.get(key)!r}; it must be {allowed}", file, _line(entry, key), f"slides.{kind}.{key}"))

    role = entry.get("role")
    if role in ROLES:
        values["role"] = role
    else:
        close = difflib.get_close_matches(str(role), ROLES, n=1, cutoff=0.6)
        bad("role", "one of " + ", ".join(ROLES) + (f" (did you mean '{close[0]}'?)" if close else ""))
    if "needs" in entry:
        needs = entry["needs"]
        if isinstance(needs, list) and needs and all(n in NEEDS for n in needs):
            values["needs"] = tuple(needs)
        else:
            bad("needs", "a list of " + ", ".join(NEEDS))
    for key in ("splittable", "centred"):
        if key in entry:
            if isinstance(entry[key], bool):
                values[key] = entry[key]
            else:
                bad(key, "true or false")
    if "split_unit" in entry:
        if entry["split_unit"] in SPLIT_UNITS:
            values["split_unit"] = entry["split_unit"]
        else:
            bad("split_unit", " or ".join(SPLIT_UNITS))
    return replace(base, **values)


_TRAITS_CACHE: dict[tuple[str, float], dict[str, KindTraits]] = {}


def slide_traits(root: Path | None = None) -> dict[str, KindTraits]:
    """The traits of every slide kind in ``root``/deck.yaml (kitgen's own layouts folder when None);
    problems in the file are reported by :func:`load_layouts`."""
    path = Path(root) / "deck.yaml" if root is not None else DEFAULT_ROOT / "deck.yaml"
    stamp = path.stat().st_mtime if path.is_file() else 0.0
    key = (str(path), stamp)
    if key not in _TRAITS_CACHE:
        data = {}
        if path.is_file():
            try:
                data = read_yaml_kept(path) or {}
            except YamlProblem:
                data = {}
        _TRAITS_CACHE[key] = parse_traits(data.get("slides") if isinstance(data, dict) else None, display_path(path), [])
    return _TRAITS_CACHE[key]


def traits_of(kind: str, traits: dict | None) -> KindTraits:
    """One kind's traits (a kind no table names: a plain content slide)."""
    return (traits if traits is not None else slide_traits()).get(kind) or KindTraits()


DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "layouts"  # kitgen's own layouts folder (a source checkout)


def _did_you_mean(wanted: str, known) -> str:
    close = difflib.get_close_matches(str(wanted), list(known), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(known)}"


def _line(data, key) -> int | None:
    return getattr(data, "key_lines", {}).get(str(key)) or getattr(data, "line", None)


def parse_fit(data, base: FitSettings, file: str, problems: list[Finding], where: str = "fit") -> FitSettings:
    """A ``fit:`` mapping over ``base``: unknown keys, non-numbers and values out of range are errors."""
    if data is None:
        return base
    if not isinstance(data, dict):
        problems.append(Finding("error", "layouts/invalid-fit", "fit: must be a mapping of size names to numbers",
                                file, _line(data, where), where))
        return base
    values = {}
    for key, value in data.items():
        line = _line(data, key)
        if key not in FIT_RANGES:
            problems.append(Finding("error", "layouts/unknown-fit-key",
                f"unknown fitting setting '{key}'{_did_you_mean(key, FIT_RANGES)}", file, line, f"{where}.{key}"))
            continue
        low, high = FIT_RANGES[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            problems.append(Finding("error", "layouts/invalid-fit", f"{key} must be a number, not {value!r}",
                                    file, line, f"{where}.{key}"))
        elif not low <= value <= high:
            problems.append(Finding("error", "layouts/fit-out-of-range",
                f"{key} is {value:g}; it must lie between {low:g} and {high:g}", file, line, f"{where}.{key}"))
        else:
            values[key] = float(value)
    fit = replace(base, **values)
    for low_key, high_key in (("min_body_size_pt", "body_size_pt"), ("min_title_size_pt", "title_size_pt"),
                              ("min_body_size_pt", "quote_size_pt")) + ((("dense_size_pt", "body_size_pt"),)
                                                                          if "dense_size_pt" in values else ()):
        if getattr(fit, low_key) > getattr(fit, high_key):
            problems.append(Finding("error", "layouts/fit-out-of-range",
                f"{low_key} ({getattr(fit, low_key):g}) is larger than {high_key} ({getattr(fit, high_key):g})",
                file, _line(data, low_key if low_key in data else high_key), f"{where}.{low_key}"))
            fit = replace(fit, **{low_key: getattr(fit, high_key)})
    if fit.dense_size_pt > fit.body_size_pt or fit.dense_size_pt < fit.min_body_size_pt:  # a map that sets only body_size_pt
        fit = replace(fit, dense_size_pt=max(min(fit.dense_size_pt, fit.body_size_pt), fit.min_body_size_pt))
    return fit


@dataclass(frozen=True)
class TemplateMap:
    """A client template's ``<template>.yaml``: layouts per kind (names or master+layout) and fitting."""

    path: Path | None
    layouts: dict = field(default_factory=dict)   # kind -> MapEntry
    fit: FitSettings = field(default_factory=FitSettings)

@dataclass
class Layouts:
    root: Path
    deck_template: Path
    document_template: Path
    layout_names: dict[str, str]
    fit: FitSettings
    labels: dict[str, dict] = field(default_factory=dict)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    traits: dict[str, KindTraits] = field(default_factory=dict)  # slide kind -> its traits (deck.yaml -> slides:)

    def labels_for(self, language: str) -> dict:
        return self.labels.get(language) or self.labels["da"]

    def texts_for(self, language: str) -> dict[str, str]:
        return self.texts.get(language) or self.texts["da"]


class LayoutsError(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def _read(path: Path, problems: list[Finding]) -> dict:
    try:
        data = read_yaml_kept(path)
    except YamlProblem as problem:
        problems.append(problem.finding)
        return {}
    if not isinstance(data, dict):
        problems.append(Finding("error", "layouts/invalid", "expected a mapping", display_path(path), 1))
        return {}
    return data


def map_entries(data, file: str, problems: list[Finding]) -> dict:
    """``layouts:`` of a map → kind → MapEntry; misspelt kinds and malformed entries are errors."""
    entries = {}
    if data is None:
        return entries
    if not isinstance(data, dict):
        problems.append(Finding("error", "layouts/invalid-map", "layouts: must map slide kinds to layout names",
                                file, _line(data, "layouts"), "layouts"))
        return entries
    for kind, value in data.items():
        line = _line(data, kind)
        if kind not in SLIDE_KINDS:
            problems.append(Finding("error", "layouts/unknown-kind",
                f"unknown slide kind '{kind}'{_did_you_mean(kind, SLIDE_KINDS)}", file, line, f"layouts.{kind}"))
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            entries[kind] = MapEntry(str(value).strip(), None, line)
        elif isinstance(value, dict) and set(value) <= {"master", "layout"} and value.get("layout"):
            entries[kind] = MapEntry(str(value["layout"]), value.get("master"), line)
        else:
            problems.append(Finding("error", "layouts/invalid-map",
                f"layouts.{kind} must be a layout name or {{master: N, layout: NAME}}, not {value!r}"[:200],
                file, line, f"layouts.{kind}"))
    return entries


def read_template_map(template: Path, base_fit: FitSettings, problems: list[Finding]) -> TemplateMap:
    """The map beside a client template (``<template>.yaml``), or an empty one."""
    side = Path(template).with_suffix(".yaml")
    if not side.is_file():
        return TemplateMap(None, {}, base_fit)
    data = _read(side, problems)
    shown = display_path(side)
    for key in data:
        if key not in MAP_KEYS:
            problems.append(Finding("error", "layouts/unknown-key",
                f"unknown key '{key}' in a template map{_did_you_mean(key, MAP_KEYS)}", shown, _line(data, key), str(key)))
    return TemplateMap(side, map_entries(data.get("layouts"), shown, problems),
                       clamp_to_scale(parse_fit(data.get("fit"), base_fit, shown, problems), base_fit))


def clamp_to_scale(fit: FitSettings, scale: FitSettings) -> FitSettings:
    """A client template's sizes (its own text styles) held inside the deck's one type scale (layouts/deck.yaml ``fit:``):
    body text starts no smaller than the scale's floor and no larger than its body size, titles between the scale's two
    title sizes (issue 21: a 15 pt master body is set at 18 pt, a 44 pt master title at the scale's title size); only a
    box too small for the floor shrinks text below it, down to the template's own minimum."""
    def within(value, low, high):
        return min(max(value, low), max(low, high))

    floor = scale.min_body_size_pt
    body = within(fit.body_size_pt, floor, scale.body_size_pt)
    least = min(fit.min_body_size_pt, floor)  # a box too small for the scale's floor may still shrink text (else it fails)
    return replace(fit, body_size_pt=body, min_body_size_pt=least,
                   dense_size_pt=within(fit.dense_size_pt, floor, min(body, scale.dense_size_pt)),
                   quote_size_pt=within(fit.quote_size_pt, floor, scale.quote_size_pt),
                   display_size_pt=within(fit.display_size_pt, body, scale.display_size_pt),
                   title_size_pt=within(fit.title_size_pt, scale.min_title_size_pt, scale.title_size_pt),
                   min_title_size_pt=within(fit.min_title_size_pt, min(scale.min_title_size_pt, fit.min_title_size_pt),
                                            scale.min_title_size_pt))


def load_layouts(root: Path) -> Layouts:
    """Read the layouts folder; raise :class:`LayoutsError` with findings if it is unusable."""
    root = Path(root)
    problems: list[Finding] = []
    if not root.is_dir():
        raise LayoutsError([Finding("error", "layouts/missing", "layouts folder does not exist", display_path(root))])
    deck = _read(root / "deck.yaml", problems) if (root / "deck.yaml").is_file() else {}
    names = {kind: str(deck.get("layouts", {}).get(kind, "")) for kind in SLIDE_KINDS}
    missing = [kind for kind, name in names.items() if not name]
    if missing:
        problems.append(Finding("error", "layouts/missing-layout-name",
            f"deck.yaml names no layout for slide kind(s): {', '.join(missing)}", display_path(root / "deck.yaml")))
    fit = parse_fit(deck.get("fit"), FitSettings(), display_path(root / "deck.yaml"), problems)
    traits = parse_traits(deck.get("slides"), display_path(root / "deck.yaml"), problems) if deck.get("slides") is not None \
        else slide_traits()  # an older layouts folder without slides: kitgen's own kinds
    labels, texts = {}, {}
    for folder, table in (("labels", labels), ("text", texts)):
        for path in sorted((root / folder).glob("*.yaml")):
            table[path.stem] = _read(path, problems)
    if "da" not in labels:
        problems.append(Finding("error", "layouts/missing-labels", "no Danish labels (labels/da.yaml)", display_path(root / "labels")))
    if "da" not in texts:
        problems.append(Finding("error", "layouts/missing-texts", "no Danish note texts (text/da.yaml)", display_path(root / "text")))
    for lang, table in labels.items():
        if lang in texts or lang == "da":
            continue
        problems.append(Finding("error", "layouts/missing-texts", f"labels for '{lang}' but no text/{lang}.yaml", display_path(root / "text")))
    for kind, path in (("deck", root / "default" / "deck.pptx"), ("document", root / "default" / "document.docx")):
        if not path.is_file():
            problems.append(Finding("error", "layouts/missing-template", f"default {kind} template is missing", display_path(path)))
    if problems:
        raise LayoutsError(problems)
    return Layouts(
        root=root,
        deck_template=root / "default" / "deck.pptx",
        document_template=root / "default" / "document.docx",
        layout_names=names,
        fit=fit,
        labels=labels,
        texts=texts,
        traits=traits,
    )
