"""``kitgen serve``: one organisation's kit as a local web page that follows the content while you write.

A :class:`kitgen.build.watch.Watcher` rebuilds the kit on every save that touches it; after
each round the page is told (server-sent events, ``/events``) and fetches the new kit: every
slide with its text and speaker notes, the worksheet and facilitator-note sections, and the
validation findings. The slide and page images come from LibreOffice (:mod:`kitgen.build.preview`),
rendered in the background after each build: the text of a new kit is on the page at once, its
images follow when they are ready (until then the previous images stay, marked as such). A
failed rebuild shows its errors above the last good kit.

Safety: the server listens on 127.0.0.1 unless told otherwise, answers only requests whose
``Host`` header names the address it listens on (a page on another site cannot reach it by
DNS rebinding), and serves only what it made itself (the page, the images it rendered, the
kit's own files by name); a path is never joined onto a folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from kitgen.build.watch import Watcher
from kitgen.build.diff import read_deck, read_word
from kitgen.build.pipeline import Project, check_org_safely
from kitgen.build.preview import missing_tools, to_pdf, to_png
from kitgen.build.serve_http import Handler, HTTPServer, allowed_hosts

RENDER_DPI = 50
KEPT_RENDERS = 2  # image generations kept on disk: the one shown and the one being made


class KitState:
    """What the page shows, changed only under ``cond`` (a rebuild and a render run in other threads)."""

    def __init__(self):
        self.cond = threading.Condition()
        self.version = 0          # bumps on anything the page shows: a build, a failure, images
        self.kit_gen = 0          # bumps on each new kit
        self.kit: dict | None = None  # {"slides": [...], "docs": {name: [sections]}, "files": [...], "built": t}
        self.findings: list[dict] = []
        self.errors: list[str] | None = None  # the last rebuild failed: why
        self.failed_at: float | None = None
        self.images: dict[str, list[Path]] = {}  # file name -> page PNGs of generation images_gen
        self.images_gen = 0
        self.render_note = ""
        self.shown_at: dict[int, float] = {}  # version -> time.time() it was made (for timing)

    def bump(self) -> None:
        self.version += 1
        self.shown_at[self.version] = time.time()
        self.cond.notify_all()


def read_kit(kit_dir: Path) -> dict:
    """The page's view of a kit: slides (title, text, notes), Word files by section, file list."""
    kit_dir = Path(kit_dir)
    slides, docs, files = [], {}, []
    for path in sorted(kit_dir.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        files.append(path.name)
        if path.suffix == ".pptx":
            for unit in read_deck(path):
                text = [line for line in unit.lines if not line.startswith("notes: ")]
                notes = [line[len("notes: "):] for line in unit.lines if line.startswith("notes: ")]
                slides.append({"title": unit.title, "text": text, "notes": notes, "file": path.name})
        elif path.suffix == ".docx":
            docs[path.name] = [{"title": u.title.lstrip("# "), "lines": u.lines} for u in read_word(path)]
    return {"slides": slides, "docs": docs, "files": files, "built": time.time()}


def finding_lines(findings) -> list[dict]:
    order = {"error": 0, "warning": 1, "info": 2}
    return [{"severity": f.severity, "where": f.location, "message": f.message, "rule": f.rule}
            for f in sorted(findings, key=lambda f: order.get(f.severity, 3))]


class _ServeWatcher(Watcher):
    """The watch's rounds, each reported to the server when it ends."""

    def __init__(self, server: "KitServer", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.server = server

    def rebuild(self, org_ids: set[str], force_check: bool = False) -> dict:
        self.server.round_started()
        results = super().rebuild(org_ids, force_check)
        self.server.round_done(results)
        return results

    def _report(self, result, seconds: float) -> None:
        """The kit is in place: the page hears of it now, not after the watch has noted the kit's inputs."""
        super()._report(result, seconds)
        if result.status == "built" and result.org_id == self.server.org_id:
            self.server.kit_in_place(result)


class KitServer:
    def __init__(self, content_dir: Path, layouts_dir: Path, out_root: Path, org_id: str, settings,
                 host: str = "127.0.0.1", port: int = 8000, echo=print, images: bool = True, dpi: int = RENDER_DPI):
        self.content_dir, self.layouts_dir, self.out_root = Path(content_dir), Path(layouts_dir), Path(out_root)
        self.org_id, self.settings, self.echo, self.dpi = org_id, settings, echo, dpi
        self.state = KitState()
        self._lines: list[str] = []
        self._in_place: float | None = None  # when this round's kit was in place
        self._shown = False  # this round's kit is on the page
        self.watcher = _ServeWatcher(self, self.content_dir, self.layouts_dir, self.out_root, [org_id], settings,
                                     echo=self._echo)
        self.httpd = HTTPServer((host, port), Handler)
        self.httpd.kit = self
        self.host, self.port = host, self.httpd.server_address[1]
        self.allowed_hosts = allowed_hosts(host, self.port)
        self.work = Path(tempfile.mkdtemp(prefix="kitgen-serve-"))
        self.images = images
        self._render_wanted = 0
        self._rendered = 0  # the last generation a render was tried for
        self._render_thread: threading.Thread | None = None
        self._render_lock = threading.Lock()
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def _echo(self, text: str) -> None:
        self._lines.append(str(text))
        if f" {self.org_id} built " in f" {text}":  # the watch says so as soon as the kit is in place
            self._in_place = time.time()
        self.echo(text)

    # --- rounds -----------------------------------------------------------------------------------

    def round_started(self) -> None:
        self._lines = []
        self._in_place = None
        self._shown = False

    def kit_in_place(self, result) -> None:
        self._in_place = self._in_place or time.time()
        self._shown = True
        self._new_kit(self.out_root / self.org_id, result.findings)

    def round_done(self, results: dict) -> None:
        result = results.get(self.org_id)
        kit_dir = self.out_root / self.org_id
        state = self.state
        if result is None or result.status == "failed":
            errors = []
            if result is not None:
                errors = [f"{f.severity} {f.location}: {f.message} [{f.rule}]"
                          for f in result.findings if f.severity == "error"]
                errors.append(result.message or "the kit could not be built")
            else:
                errors = [line for line in self._lines if line.strip()] or ["the kit could not be built"]
            with state.cond:
                state.errors, state.failed_at = errors, time.time()
                if result is not None and state.kit is None:
                    state.findings = finding_lines(result.findings)
                state.bump()
            if state.kit is None and (kit_dir / "kit.json").exists():
                self._new_kit(kit_dir, None)  # the first round failed: show the last good kit on disk
            return
        if self._shown:  # shown already, as soon as it was in place
            return
        findings = result.findings if result.status == "built" else None
        if result.status == "unchanged" and state.kit is not None:
            with state.cond:
                state.errors = None
                state.bump()
            return
        self._new_kit(kit_dir, findings)

    def _new_kit(self, kit_dir: Path, findings) -> None:
        try:
            kit = read_kit(kit_dir)
        except Exception as exc:  # a kit that cannot be read: say so, keep what is shown
            with self.state.cond:
                self.state.errors = [f"cannot read the kit in {kit_dir}: {type(exc).__name__}: {exc}"]
                self.state.bump()
            return
        if findings is None:
            findings = self._validate()
        kit["in_place"] = self._in_place or kit["built"]
        with self.state.cond:
            state = self.state
            state.kit, state.errors = kit, (state.errors if state.kit is None and state.errors else None)
            state.findings = finding_lines(findings)
            state.kit_gen += 1
            state.bump()
            generation = state.kit_gen
        if self.images:
            self._queue_render(kit_dir, generation)

    def _validate(self) -> list:
        """The findings of a kit that was current already (no build ran, so none came with it)."""
        try:
            project = Project.load(self.content_dir, self.layouts_dir, self.settings)
            findings = list(project.findings)
            org = project.content.orgs.get(self.org_id) if project.content else None
            if org is not None and project.layouts is not None:
                findings.extend(check_org_safely(project, org)[0])
            return findings
        except Exception as exc:
            self.echo(f"validation failed: {type(exc).__name__}: {exc}")
            return []

    # --- images in the background -----------------------------------------------------------------

    def _queue_render(self, kit_dir: Path, generation: int) -> None:
        """Copy the kit (a later rebuild replaces the folder) and render it after the one running."""
        source = self.work / f"kit-{generation}"
        try:
            shutil.copytree(kit_dir, source)
        except OSError as exc:
            self.echo(f"cannot copy the kit for its images: {exc}")
            return
        with self._render_lock:  # the render thread ends under this lock only when nothing is wanted
            self._render_wanted = generation
            if self._render_thread is None:
                self._render_thread = threading.Thread(target=self._renders, daemon=True)
                self._render_thread.start()

    def _renders(self) -> None:
        try:  # this thread (and the LibreOffice it starts) yields the CPU to the next rebuild and the page
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):  # not Linux: a thread's priority is the process's
            pass

        while True:
            with self._render_lock:
                generation = self._render_wanted
                if generation <= self._rendered or self._stopping.is_set():
                    self._render_thread = None
                    return
                self._rendered = generation
            missing = missing_tools()
            if missing:  # removed while serving: say so, and try again after the next rebuild
                with self.state.cond:
                    self.state.render_note = f"No slide or page images: install {', '.join(missing)}."
                    self.state.bump()
                continue
            source = self.work / f"kit-{generation}"
            target = self.work / f"img-{generation}"
            files = sorted(p for p in source.iterdir() if p.suffix in (".pptx", ".docx"))
            started = time.perf_counter()
            try:
                images = {path.name: to_png(pdf, target, self.dpi) for path, pdf in to_pdf(files, target).items()}
                note = f"Images rendered by LibreOffice in {time.perf_counter() - started:.1f} s."
            except Exception as exc:  # PreviewError, OSError, or a bug: the text stays, the page says so
                images, note = None, f"The images could not be rendered: {exc}"
            with self.state.cond:
                if images is not None:
                    self.state.images, self.state.images_gen = images, generation
                self.state.render_note = note
                self.state.bump()
            for old in self.work.glob("img-*"):  # keep the shown generation and any newer
                if int(old.name.split("-")[1]) < self.state.images_gen - KEPT_RENDERS + 1:
                    shutil.rmtree(old, ignore_errors=True)
            for old in self.work.glob("kit-*"):
                if int(old.name.split("-")[1]) <= generation:
                    shutil.rmtree(old, ignore_errors=True)

    # --- running ------------------------------------------------------------------------------------

    def run(self, stop_event: threading.Event | None = None) -> None:
        """Serve and watch until Ctrl-C (or ``stop_event``)."""
        thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        thread.start()
        try:
            self.watcher.start()
            self.echo(f"serving {self.org_id} at {self.url} (Ctrl-C stops)")
            self.watcher.run(stop_event=stop_event)
        finally:
            self.close()

    def close(self) -> None:
        self._stopping.set()
        with self.state.cond:
            self.state.cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.work, ignore_errors=True)

    # --- what the handler asks ---------------------------------------------------------------------

    def kit_file(self, name: str) -> Path | None:
        """A file of the kit, by its name as listed (never a path built from the request)."""
        kit = self.state.kit
        if kit is None or name not in kit["files"]:
            return None
        path = self.out_root / self.org_id / name
        return path if path.is_file() else None

    def image(self, generation: str, name: str, number: str) -> Path | None:
        state = self.state
        if not (generation.isdigit() and number.isdigit()) or int(generation) != state.images_gen:
            return None
        pages = state.images.get(name)
        index = int(number) - 1
        return pages[index] if pages and 0 <= index < len(pages) else None
