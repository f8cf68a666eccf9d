"""JSON Schema of every content file kind, generated from the pydantic models (``kitgen schema``).

Editors that speak JSON Schema (the YAML language server in VS Code and others) then
complete field names and check values while a consultant types. The models are the
only source: a field added to ``kitgen.content.model`` appears here without further work.
"""

from __future__ import annotations

from pydantic.json_schema import models_json_schema

from kitgen.content import model
from kitgen.content.filekinds import FILE_KINDS, where

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# kind -> (the models a file of that kind is one of, where such files live under content/)
KINDS: dict[str, tuple[tuple[type, ...], str]] = {
    kind: (tuple(getattr(model, name) for name in names), where(kind)) for kind, (_, names) in FILE_KINDS.items()}


def model_for(folder: str, data):
    """The model a file in ``folder`` (``tools``) is read with: a programme with ``extends`` is a variant."""
    kind = next((k for k, (f, _) in FILE_KINDS.items() if f == folder), None)
    if kind is None:
        return None
    models = KINDS[kind][0]
    return models[1] if len(models) > 1 and isinstance(data, dict) and "extends" in data else models[0]


def _all() -> tuple[dict, dict]:
    models = sorted({m for models, _ in KINDS.values() for m in models}, key=lambda m: m.__name__)
    refs, top = models_json_schema([(m, "validation") for m in models], ref_template="#/$defs/{model}")
    defs = top.get("$defs", {})
    if "ToolUse" in defs:  # the model also accepts a bare tool id (its "before" validator); say so
        defs["ToolUse"] = {"anyOf": [{"type": "string", "description": "a tool id (run in the block)"},
                                     defs["ToolUse"]]}
    return {m: refs[(m, "validation")] for m in models}, defs


def _one_of(refs: dict, models: tuple[type, ...]) -> dict:
    if len(models) == 1:
        return dict(refs[models[0]])
    return {"anyOf": [refs[m] for m in models]}


def content_schema(kind: str | None = None) -> dict:
    """One JSON Schema document: of one file kind, or of any content file (``anyOf`` the kinds)."""
    refs, defs = _all()
    if kind is not None:
        models, where = KINDS[kind]
        body = _one_of(refs, models)
        title = f"kitgen {kind} file (content/{where})"
    else:
        body = {"anyOf": [_one_of(refs, models) for models, _ in KINDS.values()]}
        title = "kitgen content file"
    return {"$schema": DRAFT, "title": title, **body, "$defs": defs}


def editor_settings(folder: str) -> dict:
    """``yaml.schemas`` for VS Code's YAML extension: schema file -> the files it checks."""
    return {f"{folder}/{kind}.schema.json": f"content/{where}" for kind, (_, where) in KINDS.items()}
