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

import html
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kitgen.build.watch import Watcher
from kitgen.build.diff import read_deck, read_word
from kitgen.build.pipeline import Project, check_org_safely
from kitgen.build.preview import missing_tools, to_pdf, to_png

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
        self.httpd = _HTTPServer((host, port), _Handler)
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


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers the server answers: the address it listens on (and ``localhost`` for loopback)."""
    names = {host}
    if host in ("127.0.0.1", "::1", "localhost"):
        names |= {"localhost", "127.0.0.1"} if host != "::1" else {"localhost"}
    if host in ("0.0.0.0", "::", ""):  # every address of this machine
        names = {socket.gethostname(), socket.getfqdn(), "localhost", "127.0.0.1"}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
        except OSError:
            pass
    out = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out.add(f"{shown}:{port}".lower())
        if port == 80:
            out.add(shown.lower())
    return out


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


_IMAGE = re.compile(r"^/img/(\d+)/([A-Za-z0-9._-]+)/(\d+)\.png$")
_KIT = re.compile(r"^/kit/([A-Za-z0-9._-]+)$")


class _Handler(BaseHTTPRequestHandler):
    server_version = "kitgen-serve"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # quiet: the watch prints what matters
        pass

    @property
    def kit(self) -> KitServer:
        return self.server.kit

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.kit.allowed_hosts:
            return self._send(403, "text/plain; charset=utf-8",
                              f"kitgen serve answers only requests to {self.kit.url} (Host header '{host}')\n".encode())
        path = urlsplit(self.path).path
        if path == "/":
            return self._send(200, "text/html; charset=utf-8", page(self.kit).encode())
        if path == "/fragment":
            return self._send(200, "text/html; charset=utf-8", fragment(self.kit).encode())
        if path == "/state":
            return self._send(200, "application/json", json.dumps(state_json(self.kit)).encode())
        if path == "/events":
            return self._events()
        match = _IMAGE.match(path)
        if match:
            file = self.kit.image(match[1], unquote(match[2]), match[3])
            if file is not None:
                return self._send(200, "image/png", file.read_bytes(), cache=True)
        match = _KIT.match(path)
        if match:
            file = self.kit.kit_file(match[1])
            if file is not None:
                return self._send(200, "application/octet-stream", file.read_bytes(),
                                  extra={"Content-Disposition": f'attachment; filename="{match[1]}"'})
        return self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _send(self, code: int, kind: str, body: bytes, cache: bool = False, extra: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state's version, each time it changes (and a comment every 15 s)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state, kit = self.kit.state, self.kit
        sent = -1
        try:
            while not kit._stopping.is_set():
                with state.cond:
                    state.cond.wait_for(lambda: state.version != sent or kit._stopping.is_set(), timeout=15)
                    version = state.version
                if kit._stopping.is_set():
                    return
                if version == sent:
                    self.wfile.write(b": still here\n\n")
                else:
                    self.wfile.write(f"data: {json.dumps({'version': version})}\n\n".encode())
                    sent = version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


# --- the page ------------------------------------------------------------------------------------------

def state_json(kit: KitServer) -> dict:
    state = kit.state
    with state.cond:
        return {"version": state.version, "kit_gen": state.kit_gen, "images_gen": state.images_gen,
                "failed": state.errors is not None, "errors": state.errors or [],
                "slides": len(state.kit["slides"]) if state.kit else 0,
                "built": state.kit["built"] if state.kit else None,
                "in_place": state.kit["in_place"] if state.kit else None}


def fragment(kit: KitServer) -> str:
    state = kit.state
    esc = html.escape
    with state.cond:
        version, data, errors, findings = state.version, state.kit, state.errors, list(state.findings)
        images, images_gen, kit_gen, note = dict(state.images), state.images_gen, state.kit_gen, state.render_note
    out = [f"<div id='state' data-version='{version}' data-kit='{kit_gen}'></div>"]
    if errors is not None:
        kept = " The last good kit is shown below." if data else ""
        out.append(f"<section class='failed' id='errors'><h2>The last rebuild failed "
                   f"({time.strftime('%H:%M:%S', time.localtime(state.failed_at or time.time()))}).{kept}</h2><ul>"
                   + "".join(f"<li>{esc(line)}</li>" for line in errors) + "</ul></section>")
    if data is None:
        out.append("<p>No kit yet.</p>")
        return "\n".join(out)
    built = time.strftime("%H:%M:%S", time.localtime(data["built"]))
    stale = images_gen != kit_gen
    status = note if not stale or not kit.images else "Rendering the images of this kit…" + (
        " (the previous kit's images are shown)" if images else "")
    out.append(f"<p class='status'>Kit built {built}: {len(data['slides'])} slides, {len(data['docs'])} Word files. "
               f"{esc(status)} Files: " + ", ".join(f"<a href='/kit/{esc(n)}'>{esc(n)}</a>" for n in data["files"])
               + "</p>")
    shown = [f for f in findings if f["severity"] != "info"]
    infos = len(findings) - len(shown)
    errors_n, warnings_n = (sum(f["severity"] == s for f in findings) for s in ("error", "warning"))
    out.append(f"<section id='findings'><h2>Validation: {_n(errors_n, 'error')}, {_n(warnings_n, 'warning')}, "
               f"{_n(infos, 'note')}</h2><ul>"
               + "".join(f"<li class='{esc(f['severity'])}'>{esc(f['severity'])} {esc(f['where'])}: "
                         f"{esc(f['message'])} <code>[{esc(f['rule'])}]</code></li>" for f in shown) + "</ul></section>")
    out.append("<section id='slides'><h2>Slides</h2>")
    for number, slide in enumerate(data["slides"], start=1):
        out.append(f"<article class='slide' data-number='{number}'>")
        out.append(_img(images, images_gen, slide["file"], number, stale))
        out.append(f"<div class='text'><h3>{number}. {esc(slide['title'])}</h3>"
                   + "".join(f"<p>{esc(line)}</p>" for line in slide["text"] if line != slide["title"])
                   + "<div class='notes'><b>Speaker notes</b>"
                   + ("".join(f"<p>{esc(line)}</p>" for line in slide["notes"]) or "<p><i>none</i></p>")
                   + "</div></div></article>")
    out.append("</section>")
    for name, sections in data["docs"].items():
        out.append(f"<section class='doc'><h2>{esc(name)}</h2><div class='pages'>")
        for number in range(1, len(images.get(name, [])) + 1):
            out.append(_img(images, images_gen, name, number, stale, cls="page"))
        out.append("</div><details><summary>Text by section</summary>")
        for section in sections:
            out.append(f"<h4>{esc(section['title'])}</h4>" + "".join(f"<p>{esc(line)}</p>" for line in section["lines"]))
        out.append("</details></section>")
    return "\n".join(out)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _img(images: dict, generation: int, name: str, number: int, stale: bool, cls: str = "") -> str:
    pages = images.get(name) or []
    if number > len(pages):
        return f"<div class='noimg {cls}'>no image yet</div>"
    mark = " stale" if stale else ""
    return (f"<img class='{cls}{mark}' loading='lazy' alt='{html.escape(name)} {number}' "
            f"src='/img/{generation}/{html.escape(name)}/{number}.png'>")


def page(kit: KitServer) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kitgen serve: {html.escape(kit.org_id)}</title>
<style>
body{{font:15px/1.4 system-ui,sans-serif;margin:1.5em;background:#f4f4f4;color:#222}}
h1{{margin:0 0 .3em}} .status{{color:#555}}
.failed{{background:#fde8e8;border:2px solid #c00;padding:.5em 1em;margin:1em 0}}
.slide{{display:flex;gap:1em;background:#fff;margin:.6em 0;padding:.6em;border-radius:4px}}
.slide img,.slide .noimg{{width:420px;flex:none;border:1px solid #ccc}} .noimg{{height:236px;background:#ddd;
display:flex;align-items:center;justify-content:center;color:#777}}
.slide .text{{flex:1}} .slide h3{{margin:.1em 0}} .slide p{{margin:.15em 0}} .notes{{margin-top:.5em;padding:.4em;background:#fffbe6}}
.pages{{display:flex;flex-wrap:wrap;gap:.5em}} .pages img{{width:260px;border:1px solid #ccc;background:#fff}}
img.stale{{opacity:.55}} li.error{{color:#b00}} li.warning{{color:#a60}}
</style></head><body>
<h1>{html.escape(kit.org_id)}</h1>
<main id="kit">{fragment(kit)}</main>
<script>
window.kitShown = {{}};
let current = document.getElementById('state').dataset.version;
async function refresh(version) {{
  if (String(version) === String(current)) return;
  const response = await fetch('/fragment', {{cache: 'no-store'}});
  const text = await response.text();
  document.getElementById('kit').innerHTML = text;
  current = document.getElementById('state').dataset.version;
  window.kitShown[current] = Date.now();
}}
const events = new EventSource('/events');
events.onmessage = (e) => refresh(JSON.parse(e.data).version);
events.onerror = () => {{ document.title = 'kitgen serve: disconnected'; }};
</script></body></html>
"""
