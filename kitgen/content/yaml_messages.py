"""The common YAML mistakes in a consultant's words, with the fix written out.

PyYAML reports what its parser expected ("mapping values are not allowed in this
context"); a consultant needs what to type. :func:`explain` recognises the mistakes
people make in Danish content files — a colon inside a title, a line indented one
space too far, a list item without "- ", a tab, a quote that is never closed — from
the parser's problem, its marks and the user's own lines, and says what to write
instead, quoting the user's line back. Anything else is left to the caller's
generic message.
"""

from __future__ import annotations

import re

import yaml

# "  - title: Øvelse 1: Pejlemærker" → prefix "  - ", key "title", value "Øvelse 1: Pejlemærker"
_KEY_VALUE = re.compile(r"^(?P<prefix>\s*(?:-\s+)?)(?P<key>[^\s:#\"'-][^:#]*?):[ ]+(?P<value>\S.*?)\s*$")
_LIST_ITEM = re.compile(r"^(\s*)-(\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(line: str) -> int:
    """Where a line's own content starts: after a leading "- " for a list item."""
    match = re.match(r"^(\s*-\s+)", line)
    return len(match.group(1)) if match else _indent(line)


def _line_above(lines: list[str], index: int) -> int | None:
    for i in range(index - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i
    return None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indentation(lines: list[str], index: int, expected: int | None = None) -> tuple[str, int]:
    above = _line_above(lines, index)
    if expected is None:
        expected = _content_indent(lines[above]) if above is not None else 0
    have = _indent(lines[index])
    spaces = "space" if have == 1 else "spaces"
    return (f"this line is indented {have} {spaces} but the line above {expected}: "
            f"use the same number of spaces as the line above ({lines[index].strip()})", index)


def colon_in_text(line: str, column: int) -> str | None:
    """The fix for ``title: Øvelse 1: Pejlemærker`` (a second ": " in a value), or None."""
    match = _KEY_VALUE.match(line)
    if not match or column < match.start("value"):
        return None
    value = match.group("value")
    if value[0] in "\"'":
        return None  # a quoted text followed by more: not this mistake
    return f'{match.group("prefix")}{match.group("key")}: {_quoted(value)}'


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str, int] | None:
    """(message, 0-based line) for a mistake recognised, else None."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark, context_mark = exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    index = min(mark.line, len(lines) - 1) if lines else 0
    line = lines[index] if lines else ""

    if "tab" in problem or ("\t" in line[: mark.column + 1]):
        return ("a tab character; YAML indents with spaces only: replace the tab with spaces, "
                "as many as the line above uses", index)
    if "quoted scalar" in context and context_mark is not None:
        opened = context_mark.line
        return (f"a quoted text that starts here is never closed (a missing \" or '): "
                f"{lines[opened].strip()}  — end the text with the same quote mark it starts with", opened)
    if "mapping values are not allowed" in problem:
        fixed = colon_in_text(line, mark.column)
        if fixed is not None:
            return (f"the text contains \": \", which YAML reads as the start of another field: {line.strip()}  "
                    f"— put the text in quotes: {fixed.strip()}", index)
        above = _line_above(lines, index)
        if above is not None and _indent(line) > _content_indent(lines[above]):
            return _indentation(lines, index)
        return None
    if "expected '-' indicator" in problem and context_mark is not None:
        dash = context_mark.column
        if _indent(line) == dash and not _LIST_ITEM.match(line):
            return (f"this line is in the list that starts on line {context_mark.line + 1} but does not start "
                    f"with \"- \": {line.strip()}  — start each item with \"- \" like the items above, "
                    f"or indent the line like the fields of the item above", index)
        return _indentation(lines, index)
    if "expected key" in problem and "block mapping" in context and context_mark is not None:
        return _indentation(lines, index, expected=context_mark.column)
    if "could not find expected ':'" in problem and "simple key" in context and context_mark is not None:
        index = context_mark.line
        line = lines[index]
        above = _line_above(lines, index)
        if above is not None and _LIST_ITEM.match(lines[above]) and _indent(lines[above]) == _indent(line):
            return (f"this line is in a list but does not start with \"- \": {line.strip()}  "
                    f"— write it as: {' ' * _indent(line)}- {line.strip()}", index)
        return (f"this line is neither a field (name: value) nor a list item (- …): {line.strip()}", index)
    return None
