"""The YAML parser kitgen reads content with: PyYAML's safe loader (libyaml when present), with
line numbers, no duplicate keys, no aliases or tags, and errors in a consultant's words.

Imported only when a file is really parsed: a build whose files are all kept parsed
(:mod:`kitgen.content.loadcache`, :func:`kitgen.content.yamlfile.read_yaml_kept`) does not load PyYAML.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from kitgen.core.findings import Finding
from kitgen.content.yaml_messages import explain as explain_yaml
from kitgen.content.yamlnodes import LineDict, LineList, YamlProblem


def parse_text(text: str, shown: str) -> Any:
    """The plain data of one file's text; :class:`YamlProblem` with the file and line on failure."""
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
    if not isinstance(node, yaml.MappingNode):
        raise _BadValue(None, None, "the YAML tag !!map belongs on a mapping (key: value lines); "
                                                "remove the tag", node.start_mark)
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
    if not isinstance(node, yaml.SequenceNode):
        raise _BadValue(None, None, "the YAML tag !!seq belongs on a list ('- ' items); "
                                                "remove the tag", node.start_mark)
    result = LineList(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


def _construct_timestamp(loader: ContentLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a real date ({exc})", node.start_mark) from None


class _BadValue(yaml.constructor.ConstructorError):
    """A value its tag (written or resolved) cannot read: a finding at its line, never a crash."""


MAX_DIGITS = 100  # a longer number is no count, duration or size: text that lacks its quotes


def _scalar_only(node, tag: str) -> None:
    if not isinstance(node, yaml.ScalarNode):
        raise _BadValue(None, None, f"the YAML tag {tag} belongs on a single value, not on a "
                                                "list or mapping; remove the tag", node.start_mark)


def _checked_scalar(tag: str, construct, what: str):
    """A constructor for ``tag`` whose every failure on a value is a finding at the value's
    line: ``!!int abc``, ``!!bool maybe``, ``!!float`` with nothing, a 5000-digit number
    (Python refuses to read it), ``.inf``/``.nan`` (no JSON number)."""

    def checked(loader, node):
        short = _short_tag(tag)
        _scalar_only(node, short)
        value = node.value
        digits = sum(ch.isalnum() for ch in value) if tag.endswith(("int", "float")) else 0
        if digits > MAX_DIGITS:
            raise _BadValue(
                None, None, f"a number of {digits} digits is too long (at most {MAX_DIGITS}); if it is text, put it in "
                "quotes", node.start_mark)
        try:
            result = construct(loader, node)
        except yaml.YAMLError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError, IndexError):
            result = None
            bad = True
        else:
            bad = False
        if tag.endswith(":null") and value not in ("", "~", "null", "Null", "NULL"):
            bad = True  # PyYAML reads '!!null anything' as nothing: the text would vanish
        if bad or (isinstance(result, float) and not math.isfinite(result)):
            raise _BadValue(
                None, None, f"'{value[:60]}' is not {what}" + (f" (the tag {short} asks for one)" if _explicit(loader, node)
                                                              else "") + "; write " + what + ", or put the text in quotes",
                node.start_mark)
        return result

    return checked


def _explicit(loader, node) -> bool:
    """Whether the tag was written in the file (``!!int abc``), not resolved from the value."""
    try:
        return loader.resolve(yaml.ScalarNode, node.value, (True, False)) != node.tag
    except Exception:  # noqa: BLE001 — only the wording depends on it
        return True


_SAFE = yaml.constructor.SafeConstructor
for _tag, _construct, _what in (
        ("tag:yaml.org,2002:int", _SAFE.construct_yaml_int, "a whole number"),
        ("tag:yaml.org,2002:float", _SAFE.construct_yaml_float, "a finite number"),
        ("tag:yaml.org,2002:bool", _SAFE.construct_yaml_bool, "true or false"),
        ("tag:yaml.org,2002:null", _SAFE.construct_yaml_null, "empty (null)"),
        ("tag:yaml.org,2002:timestamp", _construct_timestamp, "a date (YYYY-MM-DD)"),
        ("tag:yaml.org,2002:str", _SAFE.construct_yaml_str, "text")):
    ContentLoader.add_constructor(_tag, _checked_scalar(_tag, _construct, _what))
ContentLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
ContentLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


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
    elif isinstance(exc, _BadValue):
        rule = "yaml/bad-value"
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
