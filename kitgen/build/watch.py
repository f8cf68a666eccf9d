"""Command: ``kitgen watch --org ID [--org …] [--preview]``, edit and look.

One long-running process: python-pptx, python-docx and the renderers are imported once,
templates stay parsed in their per-process caches, and the content is reloaded (YAML
only, a few tens of milliseconds) when a file changes. File events come from the
operating system through ``watchfiles`` (inotify, FSEvents, ReadDirectoryChangesW),
not from a polling loop. A change is matched against each watched organisation's
inputs (:mod:`kitgen.build.inputs`, the same graph as the up-to-date check): only the kits
that read the file are rebuilt. A bad edit prints its findings; nothing is written, so
the last good kit stays in place. Ctrl-C stops the watch.

A kit that failed to build is never left stale: until it builds again, every change in the
watched folders rebuilds it (the fix may be in a file that no longer loads, so the input
graph cannot say which file matters), and every event says which kit is stale since when
and which file and line to fix. The folders watched are worked out again after each round,
so an input moved out of them (a logo in another folder) is followed there.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import click
from kitgen.build.inputs import project_org_inputs
from kitgen.build.pipeline import Project, build_org
from kitgen.build.preview import PreviewError, render_previews
from kitgen.build.recorded import key_path
from kitgen.core.report import render_report

DEBOUNCE_MS = 50  # watchfiles groups the events of one save (editors write, rename, chmod)


class Watcher:
    """The state of one watch: the selected orgs, the inputs each read, what to print."""

    def __init__(self, content_dir: Path, layouts_dir: Path, out_root: Path, org_ids: list[str], settings,
                 echo=click.echo, preview: bool = False, dpi: int = 60):
        self.content_dir, self.layouts_dir, self.out_root = Path(content_dir), Path(layouts_dir), Path(out_root)
        self.org_ids = list(org_ids)
        self.settings = settings
        self.echo = echo
        self.preview = preview
        self.dpi = dpi
        self.reads: dict[str, set[Path]] = {}  # org -> real paths of the files its kit reads (present or not)
        self.folders: dict[str, set[Path]] = {}  # org -> folders where a new or removed file matters
        self.stale: dict[str, object] = {}  # org -> the failed result whose kit is not current
        self._preview_queue: list[str] = []
        self._preview_thread: threading.Thread | None = None

    # --- one round: load, build the touched orgs, remember their inputs --------------------------

    def start(self) -> dict:
        """Build (or find current) every watched org's kit, as ``kitgen build`` would."""
        return self.rebuild(set(self.org_ids), force_check=True)

    def touched(self, changes) -> dict[str, list[str]]:
        """{org: [changed files it reads]} for a batch of watchfiles changes ``{(Change, path)}``."""
        from watchfiles import Change

        out: dict[str, list[str]] = {}
        for change, raw in changes:
            path = Path(raw).resolve()
            for org_id in self.org_ids:
                listing = change in (Change.added, Change.deleted) and path.parent in self.folders.get(org_id, ())
                replaced = path in self._holding(org_id)  # a folder holding an input, moved or replaced
                if path in self.reads.get(org_id, ()) or listing or replaced or org_id not in self.reads \
                        or org_id in self.stale:
                    out.setdefault(org_id, []).append(self._shown(path))
        return out

    def _holding(self, org_id: str) -> set[Path]:
        """The folders that hold the org's inputs, up to the filesystem root."""
        return {parent for path in self.reads.get(org_id, ()) for parent in path.parents}

    def handle(self, changes) -> dict:
        """React to one batch of file changes: rebuild the orgs whose inputs they touch."""
        touched = self.touched(changes)
        if not touched:
            names = ", ".join(sorted({self._shown(Path(p).resolve()) for _c, p in changes}))
            self.echo(f"{timestamp()} {names}: no watched kit reads it")
            return {}
        for org_id, files in sorted(touched.items()):
            self.echo(f"{timestamp()} {', '.join(sorted(set(files)))} changed: rebuilding {org_id}")
        results = self.rebuild(set(touched))
        self.say_stale()
        return results

    def say_stale(self) -> None:
        """One line per kit that is not current: since when, and what to fix."""
        for org_id, result in sorted(self.stale.items()):
            manifest = self.out_root / org_id / "kit.json"
            since = time.strftime("%H:%M", time.localtime(manifest.stat().st_mtime)) if manifest.exists() else None
            errors = [f for f in getattr(result, "findings", []) if f.severity == "error"]
            first = errors[0] if errors else None
            where = (f"fix {first.file}" + (f" line {first.line}" if first.line else "")) if first and first.file else \
                "fix the error above"
            kit = f"{org_id}'s kit is from {since}" if since else f"{org_id} has no kit yet"
            self.echo(f"{timestamp()} {kit}; {where} to rebuild")

    def rebuild(self, org_ids: set[str], force_check: bool = False) -> dict:
        """One round. The cyclic garbage collector waits until the kits are in place, then
        collects once: the save-to-kit time has no collection pauses in it."""
        import gc

        gc.disable()
        try:
            return self._rebuild(org_ids)
        finally:
            gc.enable()
            gc.collect()

    def _rebuild(self, org_ids: set[str]) -> dict:
        project = Project.load(self.content_dir, self.layouts_dir, self.settings)
        results = {}
        for org_id in [o for o in self.org_ids if o in org_ids]:
            started = time.perf_counter()
            try:
                result = build_org(project, org_id, self.out_root)
            except Exception as exc:  # a bug must not end the watch: say it, keep the last kit
                self.echo(f"{timestamp()} {org_id} failed: {type(exc).__name__}: {exc} (the last good kit stays)")
                self.stale[org_id] = exc
                continue
            results[org_id] = result
            self._report(result, time.perf_counter() - started)
            if result.status in ("built", "unchanged"):
                self.stale.pop(org_id, None)
            else:
                self.stale[org_id] = result
            org = project.content.orgs.get(org_id) if project.content else None
            if org is not None:
                try:
                    inputs = project_org_inputs(project, org)
                except Exception:
                    self.reads.pop(org_id, None)
                    continue

                self.reads[org_id] = {key_path(k, self.content_dir, self.layouts_dir).resolve() for k in inputs.files}
                self.folders[org_id] = {key_path(k, self.content_dir, self.layouts_dir).resolve()
                                        for k in inputs.folders}
            else:  # a profile that does not load: rebuild on any change until it does
                self.reads.pop(org_id, None)
            if self.preview and result.status == "built":
                self._queue_preview(org_id)
        return results

    def _report(self, result, seconds: float) -> None:
        if result.status == "built":
            self.echo(f"{timestamp()} {result.org_id} built {result.out_dir}/ in {seconds:.2f} s: {result.message}")
        elif result.status == "unchanged":
            self.echo(f"{timestamp()} {result.org_id} unchanged {result.out_dir}/")
        else:
            shown = [f for f in result.findings if f.severity != "info"]
            if shown:
                self.echo(render_report(shown, "text", title=f"{result.org_id}: the content has errors:"))
            kept = " (the last good kit stays)" if (result.out_dir / "kit.json").exists() else ""
            self.echo(f"{timestamp()} {result.org_id} failed: {result.message}{kept}")

    def _shown(self, path: Path) -> str:
        for root in (self.content_dir, self.layouts_dir):
            try:
                return str(Path(root.name) / path.relative_to(root.resolve()))
            except ValueError:
                continue
        return str(path)

    # --- previews in the background ------------------------------------------------------------

    def _queue_preview(self, org_id: str) -> None:
        if org_id not in self._preview_queue:
            self._preview_queue.append(org_id)
        if self._preview_thread is None or not self._preview_thread.is_alive():
            self._preview_thread = threading.Thread(target=self._previews, daemon=True)
            self._preview_thread.start()

    def _previews(self) -> None:
        while self._preview_queue:
            org_id = self._preview_queue.pop(0)
            try:
                sheets = render_previews(self.out_root / org_id, dpi=self.dpi)
            except (PreviewError, OSError) as exc:
                self.echo(f"{timestamp()} {org_id} preview failed: {exc}")
                continue
            for name, (pages, sheet) in sheets.items():
                self.echo(f"{timestamp()} {org_id} preview {name}: {pages} page(s), {sheet}")

    # --- the loop ----------------------------------------------------------------------------------

    def watch_paths(self) -> list[Path]:
        """The content and layouts folders, and the real folders of inputs kept outside them (symlinks)."""
        roots = [self.content_dir.resolve(), self.layouts_dir.resolve()]
        extra = set()
        for paths in self.reads.values():
            for path in paths:
                folder = path.parent
                if folder.is_dir() and not any(root == folder or root in folder.parents for root in roots):
                    if not str(folder).startswith(("/usr/", "/etc/")):  # fonts: not watched
                        extra.add(folder)
        return roots + sorted(extra)

    def run(self, stop_event=None) -> None:
        from watchfiles import DefaultFilter, watch

        paths = self.watch_paths()
        self.echo(f"{timestamp()} watching {', '.join(self._shown(p) for p in paths)} for {', '.join(self.org_ids)} "
                  "(Ctrl-C stops)")
        self.say_stale()
        while True:
            for changes in watch(*paths, watch_filter=DefaultFilter(), debounce=DEBOUNCE_MS, step=20,
                                 stop_event=stop_event, raise_interrupt=True):
                try:
                    self.handle(changes)
                except Exception as exc:  # the watch goes on whatever one round does
                    self.echo(f"{timestamp()} error while rebuilding: {type(exc).__name__}: {exc}")
                now = self.watch_paths()
                if now != paths:  # an input moved to (or from) a folder outside content/ and layouts/
                    paths = now
                    self.echo(f"{timestamp()} now watching {', '.join(self._shown(p) for p in paths)}")
                    break
            else:
                return  # stopped


def timestamp() -> str:
    return time.strftime("%H:%M:%S")
