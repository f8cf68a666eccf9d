"""Findings: what loading and validation say about the content, each pointing at a file and line."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One thing a consultant should know about the content.

    ``rule`` is a stable, documented name (``timing/overlap``, ``schema/unknown-field`` …);
    ``file`` is a path as the user would type it; ``field`` is the dotted path inside the
    YAML document (``blocks[3].start``).
    """

    severity: Severity
    rule: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    scope: str | None = dataclasses.field(default=None, compare=False)  # the org or programme checked

    @property
    def location(self) -> str:
        where = self.file or ""
        if self.file and self.line:
            where += f":{self.line}"
        if self.field:
            where += f" ({self.field})" if where else self.field
        return where

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(
        set(findings),
        key=lambda f: (SEVERITY_ORDER[f.severity], f.file or "", f.line or 0, f.rule, f.message),
    )


def count(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
