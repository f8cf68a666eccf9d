"""Findings as text for a person, JSON for a program, or GitHub annotations for CI.

Messages quote user text (titles, ids, field names). In text output every control
character in them is shown escaped (a newline as ``\\n``), so one finding is always one
line and a title cannot forge another finding. A finding on a file always names a line
(line 1, the file as a whole, when the check has no better one).
"""

from __future__ import annotations

import dataclasses
import json
import re

from kitgen.core.findings import Finding, count, sort_findings

FORMATS = ("text", "json", "github")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_text(value: str) -> str:
    """Control, line-separator and bidi-override characters as visible escapes (``\\n``, ``\\x07``, ``\\u202e``)."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                                else f"\\u{ord(m.group()):04x}"), value)


def _with_line(f: Finding) -> Finding:
    if f.file and not f.line and "." in f.file.rsplit("/", 1)[-1]:
        return dataclasses.replace(f, line=1)
    return f


def render_report(findings: list[Finding], fmt: str = "text", *, title: str = "", notes: bool = True) -> str:
    """Findings in ``fmt``. With ``notes=False`` informational findings are counted, not listed."""
    findings = sort_findings([_with_line(f) for f in findings])
    if fmt == "json":
        return json.dumps({"summary": count(findings), "findings": [f.as_dict() for f in findings]},
                          indent=2, ensure_ascii=False)
    # Without --verbose, info findings and untranslated texts (one per field: hundreds) are counted, not listed.
    shown = findings if notes else [f for f in findings if f.severity != "info" and f.rule != "language/untranslated"]
    if fmt == "github":
        return "\n".join(_github(f) for f in shown)
    untranslated = 0 if notes else sum(f.rule == "language/untranslated" for f in findings)
    return _text(shown, title, count(findings), hidden=len(findings) - len(shown), untranslated=untranslated)


def summary_line(findings: list[Finding], counts: dict | None = None) -> str:
    counts = counts or count(findings)
    parts = [f"{counts['error']} error{'s' * (counts['error'] != 1)}",
             f"{counts['warning']} warning{'s' * (counts['warning'] != 1)}",
             f"{counts['info']} info"]
    return ", ".join(parts)


def _text(findings: list[Finding], title: str, counts: dict | None = None, hidden: int = 0, untranslated: int = 0) -> str:
    lines = [escape_text(title)] if title else []
    for f in findings:
        location = escape_text(f.location)
        lines.append(f"{f.severity:<7} {location + ': ' if location else ''}{escape_text(f.message)} [{escape_text(f.rule)}]")
    summary = summary_line(findings, counts)
    if untranslated:
        summary += f" ({untranslated} untranslated texts and the info findings not listed; --verbose lists them)"
    elif hidden:
        summary += " (info findings not listed; --verbose lists them)"
    lines.append(summary)
    return "\n".join(lines)


def _escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _github(f: Finding) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
    props = []
    if f.file:
        props.append(f"file={_escape(f.file, prop=True)}")
    if f.line:
        props.append(f"line={f.line}")
    props.append(f"title={_escape(f.rule, prop=True)}")
    field = f" ({f.field})" if f.field else ""
    return f"::{level} {','.join(props)}::{_escape(f.message + field)}"
