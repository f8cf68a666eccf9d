"""The layouts folder: templates, the slide-layout map, fixed labels and note texts, as data.

```
layouts/
  default/deck.pptx        default slide masters and layouts (16:9)
  default/document.docx    default styles for worksheets and facilitator notes (A4)
  deck.yaml                slide kind -> layout name; text-fitting sizes
  labels/<lang>.yaml       fixed labels (Program, Pause, Spørgsmål …)
  text/<lang>.yaml         note texts kitgen writes itself (Jinja2)
```
A client's own template may bring its own layout map as ``<template>.yaml`` beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kitgen.findings import Finding
from kitgen.load import YamlProblem, display_path, read_yaml

SLIDE_KINDS = ("title", "agenda", "section", "content", "tool", "questions", "quote", "closing")
# Word styles kitgen writes with; a client .docx template must define each of them.
REQUIRED_DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "List Number", "List Bullet", "Table Grid")


@dataclass(frozen=True)
class FitSettings:
    body_size_pt: float = 22
    quote_size_pt: float = 28
    min_body_size_pt: float = 16
    title_size_pt: float = 32
    min_title_size_pt: float = 24
    line_spacing: float = 1.2
    paragraph_space_pt: float = 4.4


@dataclass
class Layouts:
    root: Path
    deck_template: Path
    document_template: Path
    layout_names: dict[str, str]
    fit: FitSettings
    labels: dict[str, dict] = field(default_factory=dict)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)

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
        data = read_yaml(path)
    except YamlProblem as problem:
        problems.append(problem.finding)
        return {}
    if not isinstance(data, dict):
        problems.append(Finding("error", "layouts/invalid", "expected a mapping", display_path(path), 1))
        return {}
    return data


def layout_map_for(template: Path, default: dict[str, str], problems: list[Finding]) -> dict[str, str]:
    """The layout map for a template: ``<template>.yaml`` beside it if present, else ``default``."""
    side = template.with_suffix(".yaml")
    if not side.is_file():
        return dict(default)
    data = _read(side, problems)
    mapping = dict(default)
    mapping.update({k: str(v) for k, v in (data.get("layouts") or {}).items() if k in SLIDE_KINDS})
    return mapping


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
    fit_data = deck.get("fit") or {}
    fit = FitSettings(**{k: float(v) for k, v in fit_data.items() if k in FitSettings.__dataclass_fields__})
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
    )
