"""A template error in the author's words: which name or field is unknown, and the nearest one
that exists (``{{ org.nme }}`` → did you mean 'name'?). Loaded only when a text fails."""

from __future__ import annotations

import difflib
import re

from jinja2 import TemplateError


_NO_ATTRIBUTE = re.compile(r"has no attribute '(?P<attr>[^']+)'")
_UNDEFINED = re.compile(r"'(?P<name>[^']+)' is undefined")


def _fields(value) -> list[str]:
    """The names a template may write after ``value.``: a content object's fields, a mapping's keys."""
    if isinstance(value, dict):
        return sorted(str(k) for k in value)
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        extra = [n for n, v in vars(type(value)).items() if isinstance(v, property) and not n.startswith("_")]
        return sorted({*fields, *extra} - {"origin"})
    return []


def _walk(context: dict, dotted: str):
    """(value, found) for ``org.slot`` in the template's context."""
    parts = dotted.split(".") if dotted else []
    if not parts or parts[0] not in context:
        return None, False
    value = context[parts[0]]
    for part in parts[1:]:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif part in _fields(value):
            value = getattr(value, part, None)
        else:
            return None, False
    return value, True


def _suggest(wanted: str, known: list[str]) -> str:
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.5)
    return close[0] if close else ""


def explain(exc: TemplateError, source: str = "", context: dict | None = None) -> str:
    """The template's own words: ``org.navn`` is not a field of org; did you mean ``org.name``?
    Never a Python class name (the consultant writes fields, not classes)."""
    context = context or {}
    message = getattr(exc, "message", None) or str(exc)
    if "unsafe" in message or "access to attribute" in message:
        return f"template tries to reach something it may not ({message}); only plain fields such as {{{{ org.name }}}} are allowed"
    missing = _NO_ATTRIBUTE.search(message)
    if missing:
        attr = missing.group("attr")
        used = re.search(r"\b([A-Za-z_][\w.]*?)\s*\.\s*" + re.escape(attr) + r"\b", source)
        owner = used.group(1) if used else ""
        value, found = _walk(context, owner)
        if found and value is None:
            return f"template uses {{{{ {owner}.{attr} }}}}, but {owner} is not set here; leave it out or give {owner} a value"
        known = _fields(value) if found else []
        close = _suggest(attr, known)
        hint = f"; did you mean {{{{ {owner}.{close} }}}}?" if close else ""
        listing = f" ({owner} has: {', '.join(known)})" if known and not close else ""
        where = f"{owner} has no field '{attr}'" if owner else f"there is no field '{attr}'"
        return f"template uses {{{{ {f'{owner}.' if owner else ''}{attr} }}}}, but {where}{hint}{listing}"
    undefined = _UNDEFINED.search(message)
    if undefined or "is undefined" in message:
        name = undefined.group("name") if undefined else message.split(" is undefined")[0]
        close = _suggest(name, sorted(context))
        hint = f"; did you mean {{{{ {close} }}}}?" if close else ""
        available = ", ".join(sorted(context)) or "org, programme, block, labels, date, breaks"
        return f"template uses '{name}', which is not defined{hint} (available: {available})"
    return f"template error: {message}"
