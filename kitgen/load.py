"""YAML → content model.

Reads every file under a content folder with a safe YAML loader that remembers the
line of every mapping and key, validates each document against ``kitgen.model``,
and turns every problem into a :class:`~kitgen.findings.Finding` that names the
file, line and field. Loading never raises for a content mistake: it returns what
it could load together with the findings, so one broken file does not hide the
problems of the others.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kitgen.findings import Finding
from kitgen.yaml_messages import explain as explain_yaml
from kitgen.model import (
    Content,
    ContentMeta,
    Definition,
    Model,
    Org,
    Origin,
    Programme,
    ProgrammeVariant,
    QuestionGroup,
    QuoteFile,
    RolePlay,
    Tool,
)

MAX_FILE_BYTES = 2_000_000
# XML 1.0 forbids these characters; python-pptx/python-docx would write a corrupt file.
ILLEGAL_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class LineDict(dict):
    """A mapping from YAML that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: ~5x faster


class ContentLoader(_SafeBase):
    """A safe YAML loader (no Python objects) that keeps line numbers, refuses duplicate
    keys, and reads ``8:30`` as text rather than YAML 1.1's base-60 integer 510."""


def _drop_sexagesimal(loader: type) -> None:
    int_tag, float_tag = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (int_tag, float_tag)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        int_tag,
        re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
        list("-+0123456789"),
    )
    loader.add_implicit_resolver(
        float_tag,
        re.compile(
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
            r"|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+0123456789."),
    )


_drop_sexagesimal(ContentLoader)


def _construct_mapping(loader: ContentLoader, node: yaml.MappingNode) -> LineDict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first written on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    result = LineDict(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines = {str(k): v for k, v in seen.items()}
    return result


def _construct_sequence(loader: ContentLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


def _construct_timestamp(loader: ContentLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a real date ({exc})", node.start_mark) from None


ContentLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
ContentLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
ContentLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    absolute = Path(path).absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


class YamlProblem(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def read_yaml(path: Path, sources: dict[str, str] | None = None) -> Any:
    """Parse one YAML file safely; raise :class:`YamlProblem` with file and line on failure.

    ``sources``, when given, records the sha256 of the very bytes parsed (display path →
    digest): the per-organisation input graph hashes what was loaded, not a second read.
    """
    shown = display_path(path)
    try:
        raw = path.read_bytes()
        if sources is not None:
            sources[shown] = hashlib.sha256(raw).hexdigest()
    except OSError as exc:
        raise YamlProblem(Finding("error", "file/unreadable", f"cannot read file: {exc.strerror}", shown)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            Finding("error", "file/too-large", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}", shown)
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(Finding("error", "yaml/encoding", "file is not UTF-8 text", shown, line)) from None
    try:
        return _parse(text)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(_syntax_finding(exc, text, shown)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (NUL, ...): say the line, not a byte offset
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(Finding("error", "text/illegal-character", f"the file contains the control character "
                                  f"U+{code:04X}, which YAML and Office files cannot hold; delete it", shown, line)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Finding("error", "yaml/syntax", f"YAML error: {exc}", shown, 1)) from None


MAX_NODES = 200_000  # far more than any content file has; bounds what a file can make kitgen build


class _Refused(yaml.MarkedYAMLError):
    pass


def _parse(text: str) -> Any:
    """Compose, check, then construct: aliases (``*name``) are refused before they can be
    expanded (a few hundred bytes of nested aliases would otherwise make millions of nodes)."""
    loader = ContentLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


# Plain data only, as JSON has it (plus dates): no !!set (unordered: a different deck per
# process), !!binary (bytes past the character checks), !!omap/!!pairs, !!python/*, merge
# keys (<<), or tags of one's own (!thing).
PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp",
                                                                   "map", "seq"))


def _short_tag(tag: str) -> str:
    if tag == "tag:yaml.org,2002:merge":
        return "!!merge (a '<<' merge key)"
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _check_nodes(root: yaml.Node) -> None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _Refused(None, None, "YAML aliases (*name) are not allowed in content files; write the value out",
                           node.start_mark)
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise _Refused(None, None, f"the file has more than {MAX_NODES:,} values", node.start_mark)
        if node.tag not in PLAIN_TAGS:
            raise _Refused(None, None, f"the YAML tag {_short_tag(node.tag)} is not allowed in content files; "
                           "write plain text, a number, true/false, a date, a list or a mapping", node.start_mark)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    raise _Refused(None, None, "a key must be a plain name, not a list or mapping (a '?' complex key)",
                                   key.start_mark)
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _syntax_finding(exc: yaml.MarkedYAMLError, text: str, shown: str) -> Finding:
    """A YAML error in a consultant's words, on the line where the problem starts."""
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or str(exc)
    rule = "yaml/syntax"
    if "duplicate key" in what:
        rule = "yaml/duplicate-key"
    elif isinstance(exc, _Refused):
        rule = "yaml/refused"
    elif (plain := explain_yaml(exc, lines)) is not None:  # the common mistakes, with the fix written out
        what, at = plain
        return Finding("error", rule, f"YAML syntax error: {what}", shown, at + 1)
    elif exc.context and "flow sequence" in exc.context:
        what = "a [ list that starts here is not closed with ] (or an item lacks its comma)"
        mark = exc.context_mark or mark
    elif exc.context and "flow mapping" in exc.context:
        what = "a { mapping that starts here is not closed with } (or an item lacks its comma)"
        mark = exc.context_mark or mark
    elif "not a real date" in what:
        rule = "yaml/invalid-date"
    elif exc.context:
        what = f"{exc.context}, {what}"
    line = min(mark.line + 1, max(len(lines), 1)) if mark else None
    label = "YAML syntax error: " if rule == "yaml/syntax" else ""
    return Finding("error", rule, f"{label}{what}", shown, line)


# --- turning pydantic errors into findings ------------------------------------------------


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


# --- the content folder -------------------------------------------------------------------

def yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_content(root: Path) -> tuple[Content, list[Finding]]:
    """Load every file under ``root``; return the content and the findings of loading."""
    root = Path(root)
    content = Content(root=str(root))
    findings: list[Finding] = []
    if not root.is_dir():
        findings.append(Finding("error", "file/missing", "content folder does not exist", display_path(root)))
        return content, findings

    def each(folder: str, model):
        """Validated objects of one folder; ``model`` is a class, or a function choosing one per document."""
        for path in yaml_files(root / folder):
            try:
                data = read_yaml(path, content.sources)
            except YamlProblem as problem:
                findings.append(problem.finding)
                continue
            before = len(findings)
            _check_text(data, display_path(path), data, (), findings)
            if len(findings) > before:
                continue
            chosen = model if isinstance(model, type) else model(data)
            obj, problems = validate_document(chosen, data, path)
            findings.extend(problems)
            if obj is not None:
                yield path, obj

    def register(table: dict, obj: Model, kind: str, field: str = "id") -> None:
        key = getattr(obj, field)
        if key in table:
            first = table[key].origin
            findings.append(Finding(
                "error", "content/duplicate-id",
                f"{kind} id '{key}' is defined twice; first at {first}",
                obj.origin.file, obj.line_of(field), field))
            return
        table[key] = obj

    meta_file = root / "content.yaml"
    if meta_file.is_file():
        try:
            data = read_yaml(meta_file, content.sources)
        except YamlProblem as problem:
            findings.append(problem.finding)
        else:
            meta, problems = validate_document(ContentMeta, data, meta_file)
            findings.extend(problems)
            if meta is not None:
                content.meta = meta
    for _, tool in each("tools", Tool):
        register(content.tools, tool, "tool")
    for _, group in each("questions", QuestionGroup):
        register(content.question_groups, group, "question group")
        for question in group.questions:
            register(content.questions, question, "question")
    for _, quote_file in each("quotes", QuoteFile):
        for quote in quote_file.quotes:
            register(content.quotes, quote, "quote")
    for _, roleplay in each("roleplays", RolePlay):
        register(content.roleplays, roleplay, "role-play")
    for _, definition in each("definitions", Definition):
        register(content.definitions, definition, "definition")
    def programme_or_variant(data):
        return ProgrammeVariant if isinstance(data, dict) and "extends" in data else Programme

    for _, programme in each("programmes", programme_or_variant):
        if isinstance(programme, ProgrammeVariant):
            if programme.id in content.programmes:
                register(content.programmes, programme, "programme")  # reports the duplicate id
            else:
                register(content.variants, programme, "programme")
        elif programme.id in content.variants:
            register(content.variants, programme, "programme")  # reports the duplicate id
        else:
            register(content.programmes, programme, "programme")
    for path, org in each("orgs", Org):
        if org.id != path.stem:
            findings.append(Finding(
                "error", "org/file-name",
                f"org id '{org.id}' does not match its file name '{path.name}'; name the file {org.id}.yaml",
                org.origin.file, org.line_of("id"), "id"))
            continue
        register(content.orgs, org, "organisation")
    from kitgen.schedule import resolve_programmes  # variants → programmes; durations → clock times

    findings.extend(resolve_programmes(content))
    return content, findings


def load_programme_file(path: Path) -> tuple[Programme | None, list[Finding]]:
    """Load a single programme file (used for checking a programme on its own)."""
    try:
        data = read_yaml(path)
    except YamlProblem as problem:
        return None, [problem.finding]
    return validate_document(Programme, data, path)
