"""The pipeline, end to end: load → validate → assemble → render → write.

``Project`` is one run's loaded content and layouts (loaded once, shared by every
organisation's build, also across worker processes). ``build_org`` makes one
organisation's kit or says why not; it never leaves a partial kit behind.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from kitgen import __version__
from kitgen.core.findings import Finding, count, has_errors
from kitgen.build.result import BuildResult
from kitgen.content.layouts import Layouts, LayoutsError, load_layouts
from kitgen.content.load import load_content
from kitgen.content.model import Content
from kitgen.validate import TimingSettings, check_content, check_org
from kitgen.build.lock import org_lock
from kitgen.build.outfolder import KitWriteError
from kitgen.build.manifest import kit_is_current, sha256
from kitgen.build.write import write_kit
from kitgen.build.inputs import hash_layouts, org_findings_only, project_org_inputs
from kitgen.build.pdf import PdfError, kit_has_pdfs, kit_pdfs
from kitgen.build.uptodate import mark_read_at
from kitgen.core.cache import release_memory
from kitgen.ooxml.package import fixed_datetime
from kitgen.build.outputs import pdf_names, rendered
from kitgen.plan.kit import Kit
from kitgen.render.deck import DeckError
from kitgen.validate.completeness import TODAY_RULES

@dataclass
class Project:
    content_dir: Path
    layouts_dir: Path
    content: Content | None = None
    layouts: Layouts | None = None
    findings: list[Finding] = field(default_factory=list)  # loading and content-wide rules
    settings: TimingSettings = TimingSettings()
    layout_sources: dict[str, str] = field(default_factory=dict)  # layouts/<path> -> sha256, hashed before parsing
    read_at_ns: int = 0  # when the inputs were read (kit.json gets this mtime; see kitgen.build.inputs)
    file_hashes: dict = field(default_factory=dict)  # templates, logos, fonts hashed once per load
    pdf: bool | None = None  # PDFs of the Word files and the deck: True --pdf, False --no-pdf, None as the kit had them

    @classmethod
    def load(cls, content_dir: Path, layouts_dir: Path, settings: TimingSettings = TimingSettings()) -> "Project":
        project = cls(Path(content_dir), Path(layouts_dir), settings=settings, read_at_ns=time.time_ns())
        project.content, load_findings = load_content(project.content_dir)
        project.findings.extend(load_findings)
        project.layout_sources = hash_layouts(project.layouts_dir)  # before parsing: an edit meanwhile rebuilds
        try:
            project.layouts = load_layouts(project.layouts_dir)
        except LayoutsError as exc:
            project.findings.extend(exc.findings)
        project.findings.extend(check_content(project.content))
        return project


def build_org(project: Project, org_id: str, out_root: Path, digest: str = "", *, force: bool = False) -> BuildResult:
    """Validate, render and write one organisation's kit; never raises for one org's problem.

    Anything that goes wrong for this org (a file that vanished, a folder that cannot be
    written, an unexpected error in a renderer) becomes this org's failure with a plain
    message; other organisations are not affected. ``digest`` is not used (kept for callers):
    the up-to-date digest is this org's own, from :mod:`kitgen.build.inputs`.
    """
    started = time.perf_counter()
    result = BuildResult(org_id, "failed", Path(out_root) / org_id)
    try:
        _build_org(project, org_id, Path(out_root), digest, force, result)
    except KitWriteError as exc:
        result.status, result.message = "failed", str(exc)
    except OSError as exc:
        result.status, result.message = "failed", f"{_os_message(exc)}; nothing was written"
    except Exception as exc:  # one org's unexpected failure must not stop or mislabel the others
        if os.environ.get("KITGEN_DEBUG"):
            raise
        result.status = "failed"
        if type(exc).__name__ == "DecompressionBombError":  # Pillow's guard, before any pixel is decoded
            result.message = (f"an image this kit uses is too large to open safely ({exc}); "
                              "use a logo of at most a few thousand pixels each way; nothing was written")
        else:
            result.message = (f"unexpected error while building {org_id} ({type(exc).__name__}: {exc}); nothing was "
                              "written. This is a bug in kitgen or an input it does not check yet: run with KITGEN_DEBUG=1 "
                              "and report it")
    result.seconds = time.perf_counter() - started
    return result


def _os_message(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot read or write{where}: {exc.strerror or exc}"


def check_org_safely(project: Project, org, kit: Kit | None = None) -> tuple[list[Finding], object]:
    """``check_org`` with an unexpected error turned into an error finding on the org's file."""
    try:
        return check_org(project.content, org, project.layouts, project.settings, kit)
    except OSError as exc:
        message = f"{_os_message(exc)}; check that the file exists and is readable"
    except Exception as exc:
        if os.environ.get("KITGEN_DEBUG"):
            raise
        message = (f"unexpected error while checking {org.id} ({type(exc).__name__}: {exc}); "
                   "this is a bug in kitgen or an input it does not check yet: run with KITGEN_DEBUG=1 and report it")
    return [Finding("error", "kitgen/unexpected", message, org.origin.file, 1, scope=org.id)], None


def _build_org(project: Project, org_id: str, out_root: Path, digest: str, force: bool, result: BuildResult) -> None:
    out_dir = out_root / org_id
    org = project.content.orgs.get(org_id) if project.content else None
    kit = Kit(project.content, org, project.layouts) if org is not None and project.layouts is not None else None
    inputs = project_org_inputs(project, org, kit) if org is not None else None
    digest = inputs.digest if inputs is not None else ""  # this org's inputs only (kitgen.build.inputs)
    if project.pdf is not None:
        force = force or kit_has_pdfs(out_dir) != project.pdf  # --pdf on a kit without them, --no-pdf on one with them
    if not force and inputs is not None and not has_errors(project.findings) and kit_is_current(out_dir, org_id, digest):
        mark_read_at(out_dir, project.read_at_ns, inputs)  # the listings too (kitgen.build.uptodate)
        result.status, result.message = "unchanged", "inputs unchanged since the last build"
        return
    findings = list(project.findings)
    result.org_name = org.name if org else org_id
    plan = None
    if org is not None and project.layouts is not None and not has_errors(project.findings):
        org_findings, plan = check_org_safely(project, org, kit)
        findings.extend(org_findings)
    result.findings = findings
    if has_errors(findings) or plan is None:
        result.message = "content has errors; nothing was written"
        return
    with org_lock(out_root, org_id):  # one builder per org; a second one waits here
        if not force and kit_is_current(out_dir, org_id, digest):
            result.status, result.message = "unchanged", "built by another kitgen run meanwhile"
            return
        try:
            files, omitted = rendered(plan)  # every needed file of the registry (kitgen.build.outputs)
        except DeckError as exc:
            result.message = f"{exc}; nothing was written"
            return

        with_pdf = project.pdf if project.pdf is not None else kit_has_pdfs(out_dir)  # a kit keeps its PDFs current
        if with_pdf:  # print-ready PDFs through LibreOffice (kitgen.build.pdf)

            try:
                files.update(kit_pdfs(files, fixed_datetime(plan.day), pdf_names()))
            except PdfError as exc:
                result.message = f"{exc}; nothing was written"
                return
        counts = {"slides": len(plan.slides), "worksheets": len(plan.worksheets), "run_sheet_rows": len(plan.run_sheet)}
        manifest = {
            "kitgen_version": __version__,
            "org": org_id,
            "org_name": org.name,
            "programme": plan.programme.id,
            "input_digest": digest,
            "content_version": digest,
            "counts": counts,
            "pdf": bool(with_pdf),
            "validation": count([f for f in org_findings_only(findings, project.findings, inputs)
                                 if f.rule not in TODAY_RULES]),  # the same inputs, the same kit.json, any day
            "inputs": inputs.manifest(),
            "files": [{"name": name, "sha256": sha256(data), "bytes": len(data)} for name, data in files.items()],
        }
        if omitted:
            manifest["omitted"] = omitted
        write_kit(out_dir, files, manifest, locked=True)
        mark_read_at(out_dir, project.read_at_ns)
    result.counts = counts
    result.status = "built"
    result.files = {name: len(data) for name, data in files.items()}
    result.message = f"{counts['slides']} slides, {counts['worksheets']} worksheets, {counts['run_sheet_rows']} run-sheet rows"


# --- several organisations at once ----------------------------------------------------------

_WORKER: dict = {}


def _worker_init(project: Project, out_root: Path, digest: str, force: bool) -> None:
    """Workers leave signals to the parent: it stops them (terminate) on Ctrl-C or SIGTERM,
    and a kit is swapped in by one rename, so a stopped worker leaves no half kit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER.update(project=project, out_root=out_root, digest=digest, force=force)


def _worker_build(org_id: str) -> BuildResult:
    result = build_org(_WORKER["project"], org_id, _WORKER["out_root"], _WORKER["digest"], force=_WORKER["force"])
    _WORKER["kits"] = _WORKER.get("kits", 0) + 1
    if _WORKER["kits"] % 10 == 0:  # now and then: after every kit, the pages handed back were faulted in again

        release_memory()
    shared = _WORKER["project"].findings
    if shared and len(result.findings) >= len(shared) and all(a is b for a, b in zip(result.findings, shared)):
        # the loading and content-wide findings every kit starts with: the parent has them already, so
        # they are not copied back once per kit (500 kits × 140 findings made the parent, and every
        # worker forked from it, grow by ~50 MiB)
        result.findings, result.shared_findings = result.findings[len(shared):], True
    # What build prints of a kit among many: the errors and warnings of one that failed; a built kit
    # only has its row (its kit.json counts them; validate lists them). The rest is not sent back:
    # an English kit of a Danish programme has ~400 untranslated-text warnings, 500 such kits
    # made the parent (and the workers forked from it) grow by tens of MiB.
    keep = ("error", "warning") if result.status == "failed" else ("error",)
    result.findings = [f for f in result.findings if f.severity in keep]
    return result


def build_many(project: Project, org_ids: list[str], out_root: Path, digest: str = "", *, force: bool = False,
               jobs: int | None = None, on_done=None) -> list[BuildResult]:
    """Build several kits, in parallel across cores; one failure does not stop or mislabel the others.

    Every org gets its own result: built, unchanged, or failed with its own message (also
    when its worker process died). On Ctrl-C or SIGTERM the workers are stopped and the
    exception goes on to the caller; the kits already swapped in stay, whole.
    """
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(org_ids)))
    results: dict[str, BuildResult] = {}
    if len(org_ids) > 1:
        import gc

        gc.enable()  # the CLI switches it off for a one-kit process; many kits need their garbage collected
        gc.freeze()  # ... but not the loaded content, shared by every kit (and by forked workers' pages)

    def done(result: BuildResult) -> None:
        if result.shared_findings:
            result.findings, result.shared_findings = project.findings + result.findings, False
        results[result.org_id] = result
        if on_done:
            on_done(result)

    if jobs == 1:
        for org_id in org_ids:
            done(build_org(project, org_id, out_root, digest, force=force))
        return [results[o] for o in org_ids]
    import multiprocessing  # only for several kits at once: one kit's build does not pay for it

    context = multiprocessing.get_context("fork")

    for chunk in _rounds(org_ids, jobs):
        release_memory()  # each round's workers are forked from this process: hand back what it freed first
        _build_round(context, chunk, jobs, project, out_root, digest, force, done)
    return [results[o] for o in org_ids]


ROUND_KITS = 50  # kits a worker builds before a fresh fork replaces it


def _rounds(org_ids: list[str], jobs: int) -> list[list[str]]:
    """Equal rounds of at most ``jobs * ROUND_KITS`` kits. Each round gets new workers, forked from
    this process: what lxml and Pillow leave fragmented in a worker's native heap goes with it,
    so the largest process stays the same size for 100 kits or 5,000."""
    size = jobs * ROUND_KITS
    count_ = max(1, -(-len(org_ids) // size))
    per = -(-len(org_ids) // count_)
    return [org_ids[i:i + per] for i in range(0, len(org_ids), per)]


def _build_round(context, org_ids: list[str], jobs: int, project: Project, out_root: Path, digest: str, force: bool,
                 done) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(min(jobs, len(org_ids)), mp_context=context, initializer=_worker_init,
                               initargs=(project, out_root, digest, force))
    try:
        futures = {pool.submit(_worker_build, org_id): org_id for org_id in org_ids}
        for future in as_completed(futures):
            org_id = futures[future]
            try:
                done(future.result())
            except BrokenProcessPool:
                done(BuildResult(org_id, "failed", Path(out_root) / org_id,
                                 message="a build process stopped unexpectedly (out of memory?); nothing was written"))
            except Exception as exc:  # the result could not come back from the worker
                done(BuildResult(org_id, "failed", Path(out_root) / org_id,
                                 message=f"the build process failed ({type(exc).__name__}: {exc}); nothing was written"))
    except BaseException:
        _stop(pool)  # Ctrl-C, SIGTERM: stop the workers now, then let the caller report it
        raise
    pool.shutdown(wait=True)


def _stop(pool) -> None:
    """Terminate the worker processes (the executor has no public way to stop running tasks)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)
