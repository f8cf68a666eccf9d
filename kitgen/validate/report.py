"""Findings as text for a person, JSON for a program, or GitHub annotations for CI."""

from __future__ import annotations

import json

from kitgen.findings import Finding, count, sort_findings

FORMATS = ("text", "json", "github")


def render_report(findings: list[Finding], fmt: str = "text", *, title: str = "", notes: bool = True) -> str:
    """Findings in ``fmt``. With ``notes=False`` informational findings are counted, not listed."""
    findings = sort_findings(findings)
    if fmt == "json":
        return json.dumps({"summary": count(findings), "findings": [f.as_dict() for f in findings]},
                          indent=2, ensure_ascii=False)
    shown = findings if notes else [f for f in findings if f.severity != "info"]
    if fmt == "github":
        return "\n".join(_github(f) for f in shown)
    return _text(shown, title, count(findings), hidden=len(findings) - len(shown))


def summary_line(findings: list[Finding], counts: dict | None = None) -> str:
    counts = counts or count(findings)
    parts = [f"{counts['error']} error{'s' * (counts['error'] != 1)}",
             f"{counts['warning']} warning{'s' * (counts['warning'] != 1)}",
             f"{counts['info']} note{'s' * (counts['info'] != 1)}"]
    return ", ".join(parts)


def _text(findings: list[Finding], title: str, counts: dict | None = None, hidden: int = 0) -> str:
    lines = [title] if title else []
    for f in findings:
        location = f.location
        lines.append(f"{f.severity:<7} {location + ': ' if location else ''}{f.message} [{f.rule}]")
    summary = summary_line(findings, counts)
    if hidden:
        summary += " (notes not listed; --verbose lists them)"
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
