"""What building one organisation's kit came to (kept light: the CLI reports it without loading the pipeline)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kitgen.core.findings import Finding


@dataclass
class BuildResult:
    org_id: str
    status: str  # built | unchanged | failed
    out_dir: Path
    org_name: str = ""
    findings: list[Finding] = field(default_factory=list)  # from a build_many worker: errors (and a failed kit's warnings)
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes
    counts: dict[str, int] = field(default_factory=dict)  # slides, worksheets, run-sheet rows
    message: str = ""
    seconds: float = 0.0
    shared_findings: bool = False  # sent from a worker without the run's own findings (build_many puts them back)
