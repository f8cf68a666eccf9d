"""The pipeline, end to end: load → validate → assemble → render → write.

``Project`` is one run's loaded content and layouts (loaded once, shared by every
organisation's build, also across worker processes). ``build_org`` makes one
organisation's kit or says why not; it never leaves a partial kit behind.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kitgen import __version__
from kitgen.findings import Finding, count, has_errors
from kitgen.result import BuildResult
from kitgen.layouts import Layouts, LayoutsError, load_layouts
from kitgen.load import load_content
from kitgen.model import Content
from kitgen.validate import TimingSettings, check_content, check_org
from kitgen.write import KitWriteError, kit_is_current, sha256, write_kit

@dataclass
class Project:
    content_dir: Path
    layouts_dir: Path
    content: Content | None = None
    layouts: Layouts | None = None
    findings: list[Finding] = field(default_factory=list)  # loading and content-wide rules
    settings: TimingSettings = TimingSettings()

    @classmethod
    def load(cls, content_dir: Path, layouts_dir: Path, settings: TimingSettings = TimingSettings()) -> "Project":
        project = cls(Path(content_dir), Path(layouts_dir), settings=settings)
        project.content, load_findings = load_content(project.content_dir)
        project.findings.extend(load_findings)
        try:
            project.layouts = load_layouts(project.layouts_dir)
        except LayoutsError as exc:
            project.findings.extend(exc.findings)
        project.findings.extend(check_content(project.content))
        return project


def build_org(project: Project, org_id: str, out_root: Path, digest: str, *, force: bool = False) -> BuildResult:
    """Validate, render and write one organisation's kit."""
    from kitgen.render.deck import DeckError, render_deck
    from kitgen.render.notes import render_notes
    from kitgen.render.worksheets import render_worksheets

    started = time.perf_counter()
    out_dir = Path(out_root) / org_id
    result = BuildResult(org_id, "failed", out_dir)
    if not force and kit_is_current(out_dir, org_id, digest):
        result.status, result.message = "unchanged", "inputs unchanged since the last build"
        result.seconds = time.perf_counter() - started
        return result
    findings = list(project.findings)
    org = project.content.orgs.get(org_id) if project.content else None
    result.org_name = org.name if org else org_id
    plan = None
    if org is not None and project.layouts is not None and not has_errors(project.findings):
        org_findings, plan = check_org(project.content, org, project.layouts, project.settings)
        findings.extend(org_findings)
    result.findings = findings
    if has_errors(findings) or plan is None:
        result.message = "content has errors; nothing was written"
        result.seconds = time.perf_counter() - started
        return result
    try:
        files = {
            "deck.pptx": render_deck(plan),
            "worksheets.docx": render_worksheets(plan),
            "facilitator-notes.docx": render_notes(plan),
        }
    except DeckError as exc:
        result.message = f"{exc}; nothing was written"
        result.seconds = time.perf_counter() - started
        return result
    result.counts = {"slides": len(plan.slides), "worksheets": len(plan.worksheets), "run_sheet_rows": len(plan.run_sheet)}
    manifest = {
        "kitgen_version": __version__,
        "org": org_id,
        "org_name": org.name,
        "programme": plan.programme.id,
        "input_digest": digest,
        "content_version": digest[:12],
        "counts": result.counts,
        "validation": count(findings),
        "files": [{"name": name, "sha256": sha256(data), "bytes": len(data)} for name, data in files.items()],
    }
    try:
        write_kit(out_dir, files, manifest)
    except KitWriteError as exc:
        result.message = str(exc)
        result.seconds = time.perf_counter() - started
        return result
    result.status = "built"
    result.files = {name: len(data) for name, data in files.items()}
    result.message = f"{result.counts['slides']} slides, {result.counts['worksheets']} worksheets, {result.counts['run_sheet_rows']} run-sheet rows"
    result.seconds = time.perf_counter() - started
    return result


# --- several organisations at once ----------------------------------------------------------

_WORKER: dict = {}


def _worker_init(project: Project, out_root: Path, digest: str, force: bool) -> None:
    _WORKER.update(project=project, out_root=out_root, digest=digest, force=force)


def _worker_build(org_id: str) -> BuildResult:
    return build_org(_WORKER["project"], org_id, _WORKER["out_root"], _WORKER["digest"], force=_WORKER["force"])


def build_many(project: Project, org_ids: list[str], out_root: Path, digest: str, *, force: bool = False,
               jobs: int | None = None, on_done=None) -> list[BuildResult]:
    """Build several kits, in parallel across cores; one failure does not stop the others."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(org_ids)))
    results: dict[str, BuildResult] = {}
    if jobs == 1:
        for org_id in org_ids:
            results[org_id] = build_org(project, org_id, out_root, digest, force=force)
            if on_done:
                on_done(results[org_id])
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init,
                                 initargs=(project, out_root, digest, force)) as pool:
            for result in pool.map(_worker_build, org_ids, chunksize=max(1, len(org_ids) // (jobs * 4))):
                results[result.org_id] = result
                if on_done:
                    on_done(result)
    return [results[o] for o in org_ids]
