"""Validating one YAML document against the content model: pydantic's errors as findings
with file, line and field, and the model objects given their origins."""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kitgen.core.findings import Finding
from kitgen.core.modelbase import Model, Origin
from kitgen.content.yamlfile import ILLEGAL_XML_CHARS, display_path
from kitgen.content.yamlnodes import LineDict, LineList

def format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_at(data: Any, loc: tuple) -> int | None:
    """The line of the deepest node of ``data`` that ``loc`` reaches."""
    line = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(str(part), line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", None) or line
        else:
            break
    return line


def _model_at(model: type[BaseModel], data: Any, loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc`` (for "did you mean"), walking the
    annotations and the data together so a union is resolved by each item's own ``kind``."""
    current: Any = model
    node = data
    for part in loc[:-1]:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            current = _resolve(_item_type(current), node)
            continue
        owner = _resolve(current, node)
        if not (isinstance(owner, type) and issubclass(owner, BaseModel)) or part not in owner.model_fields:
            return None
        current = owner.model_fields[part].annotation
        node = node.get(part) if isinstance(node, dict) else None
    owner = _resolve(current, node)
    return owner if isinstance(owner, type) and issubclass(owner, BaseModel) else None


def _strip(annotation: Any) -> Any:
    """``Annotated[X, ...]`` → X; ``X | None`` → X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _item_type(annotation: Any) -> Any:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (list, dict):
        return typing.get_args(annotation)[-1]
    return annotation


def _resolve(annotation: Any, value: Any) -> Any:
    """The model a value is read as: a union of models is resolved by the value's ``kind``."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        kind = value.get("kind") if isinstance(value, dict) else None
        for candidate in models:
            kind_field = candidate.model_fields.get("kind")
            if kind_field is not None and kind in typing.get_args(kind_field.annotation):
                return candidate
        return None
    return annotation


def _data_loc(data: Any, loc: tuple) -> tuple:
    """``loc`` without the union tags pydantic inserts (``sections[1].prompts.lines`` → ``sections[1].lines``)."""
    out, node, previous = [], data, None
    for part in loc:
        if isinstance(previous, int) and isinstance(node, dict) and isinstance(part, str) and node.get("kind") == part:
            previous = part
            continue  # pydantic puts a tagged union's tag right after the item's index; it is not a key
        out.append(part)
        previous = part
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _message(error: dict, model: type[BaseModel], data: Any) -> tuple[str, str]:
    kind = error["type"]
    loc = error["loc"]
    given = error.get("input")
    if kind == "extra_forbidden":
        owner = _model_at(model, data, loc)
        known = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (f"; known fields: {', '.join(known)}" if known else "")
        return "schema/unknown-field", f"unknown field '{loc[-1]}'{hint}"
    if kind == "text_key":
        return "schema/unknown-field", error["msg"]
    if kind == "text_empty":
        return "schema/missing-field", error["msg"]
    if kind == "missing":
        return "schema/missing-field", f"required field '{loc[-1]}' is missing"
    if kind == "union_tag_invalid":
        return "schema/wrong-value", f"unknown section kind {error['ctx'].get('tag')!r}; use one of {error['ctx'].get('expected_tags')}"
    if kind == "literal_error":
        return "schema/wrong-value", f"{_show(given)} is not allowed here; use one of {error['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        field = str(loc[-1]) if loc else ""
        if field.endswith("color"):
            return "schema/wrong-value", f"{_show(given)} is not a colour; write it as \"#RRGGBB\""
        return "schema/wrong-value", f"{_show(given)} is not a valid id: use lower-case letters, digits and hyphens"
    if kind in ("string_type", "int_type", "int_parsing", "bool_type", "bool_parsing", "list_type",
                "dict_type", "model_type", "date_type", "date_parsing", "date_from_datetime_parsing",
                "float_type", "model_attributes_type", "int_from_float"):
        return "schema/wrong-type", f"{error['msg'].lower()}, got {_show(given)}"
    if kind == "invalid_key":
        what = "a number" if isinstance(given, (int, float)) else f"a {type(given).__name__}"
        return "schema/invalid-key", f"the field name {given!r} must be a word, not {what}"
    if kind == "too_short":
        return "schema/too-short", f"needs at least {error['ctx'].get('min_length', 1)} item(s), got {error['ctx'].get('actual_length', 0)}"
    if kind == "too_long":
        return "schema/too-long", f"allows at most {error['ctx'].get('max_length')}, got {error['ctx'].get('actual_length')}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return "schema/out-of-range", f"{_show(given)}: {error['msg'][0].lower()}{error['msg'][1:]}"
    message = error["msg"]
    return "schema/invalid", message[:1].lower() + message[1:]


def _show(value: Any) -> str:
    text = repr(value)
    if isinstance(value, dict):
        text = "a mapping"
    elif isinstance(value, list):
        text = "a list"
    return text if len(text) <= 60 else text[:57] + "..."


def validate_document(model: type[Model], data: Any, path: Path, prefix: tuple = ()) -> tuple[Model | None, list[Finding]]:
    """Validate one YAML document against ``model``; findings carry file, line and field."""
    shown = display_path(path)
    if not isinstance(data, dict):
        if data is None:
            what = "empty"
        elif isinstance(data, list):
            what = "a list"
        else:
            what = f"a single value ({_show(data)})"
        return None, [Finding("error", "schema/not-a-mapping", f"expected a mapping of fields, the file is {what}", shown, getattr(data, "line", None) or 1)]
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        findings = []
        for error in exc.errors():
            error["loc"] = loc = _data_loc(data, tuple(error["loc"]))
            rule, message = _message(error, model, data)
            line = _line_at(data, loc)
            if error["type"] == "invalid_key":
                loc = loc[:-1]  # the key is the problem: name the mapping it is in
            findings.append(Finding("error", rule, message, shown, line, format_loc(prefix + loc)))
        return None, findings
    _attach_origins(obj, data, shown)
    return obj, []


def _attach_origins(obj: Any, data: Any, shown: str) -> None:
    """Give every model in ``obj`` its file and line, walking the raw data alongside."""
    if isinstance(obj, Model) and isinstance(data, LineDict):
        obj._origin = Origin(file=shown, line=data.line)
        obj._field_lines = dict(data.key_lines)
        for name in type(obj).model_fields:
            if name in data:
                _attach_origins(getattr(obj, name), data[name], shown)
    elif isinstance(obj, list) and isinstance(data, list):
        for item, raw in zip(obj, data):
            _attach_origins(item, raw, shown)


def _check_text(value: Any, shown: str, data: Any, loc: tuple, findings: list[Finding]) -> None:
    """Report characters that XML cannot hold (they would corrupt the .pptx/.docx)."""
    if isinstance(value, str):
        match = ILLEGAL_XML_CHARS.search(value)
        if match:
            findings.append(Finding(
                "error", "text/illegal-character",
                f"text contains the control character U+{ord(match.group()):04X}, which Word and PowerPoint files cannot hold",
                shown, _line_at(data, loc), format_loc(loc)))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and ILLEGAL_XML_CHARS.search(key):
                findings.append(Finding(
                    "error", "text/illegal-character",
                    f"the field name {key!r} contains a control character; write the name without it",
                    shown, _line_at(data, loc + (key,)), format_loc(loc)))
                continue
            _check_text(item, shown, data, loc + (key,), findings)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, shown, data, loc + (index,), findings)
