"""How much a value that a text template builds holds when written out, for the limits of
:mod:`kitgen.content.texttemplate`."""

from __future__ import annotations

MAX_VALUE = 2 * 1024 * 1024  # units (a character, or 8 per item) one value may hold, counted through nested lists


def logical_size(value, limit: int = MAX_VALUE) -> int:
    """What ``value`` holds when written out: characters of text, 8 per item of a list, tuple,
    set or mapping, through nested ones, counting a list that appears n times n times (that
    is what ``string``/``join``/``tojson`` would make of it). Stops counting past ``limit``,
    so it costs at most about ``limit / 8`` steps."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += 8 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 8 * len(item)
            stack.extend(item)
        else:
            total += 8
        if total > limit:
            return total
    return total
