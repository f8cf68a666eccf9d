"""What reading a YAML file gives: mappings and lists that remember their lines, or the problem, as a finding."""

from __future__ import annotations

from kitgen.core.findings import Finding


class LineDict(dict):
    """A mapping from YAML that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0


class YamlProblem(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding
