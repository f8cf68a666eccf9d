"""``kitgen serve``: the page, a rebuild after an edit, a failed rebuild, who may connect, what it serves;
and the page in a real headless Chromium (driven through the DevTools protocol with a small stdlib client)."""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kitgen.build.serve import KitServer
from kitgen.build.serve_http import allowed_hosts
from kitgen.validate.timing import TimingSettings

ROOT = Path(__file__).resolve().parent.parent
SUBTITLE = "Sæt spot på lederes psykiske arbejdsmiljø"
PROGRAMME = "programmes/ledertrivsel-workshop-2021-02-24.yaml"


def edit_subtitle(tree: Path, new: str) -> None:
    path = tree / "content" / PROGRAMME
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("subtitle:"))
    path.write_text(text.replace(old, f"subtitle: {new}", 1), encoding="utf-8")


def break_profile(tree: Path) -> str:
    profile = tree / "content" / "orgs" / "KK.yaml"
    good = profile.read_text(encoding="utf-8")
    profile.write_text(good + "programme: [\n", encoding="utf-8")
    return good


def wait_for(check, seconds: float = 60, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"waited {seconds} s for {check}")


def kk_slides(tree: Path) -> int:
    """The number of slides in the KK deck the server built (the page must show every one)."""
    from pptx import Presentation

    return len(Presentation(str(tree / "out" / "KK" / "deck.pptx")).slides)


@pytest.fixture()
def served(tree):
    """A KitServer on a free loopback port, watching in a thread (images off: LibreOffice is slow)."""
    lines: list[str] = []
    server = KitServer(tree / "content", tree / "layouts", tree / "out", "KK", TimingSettings(), port=0,
                       echo=lines.append, images=False)
    stop = threading.Event()
    thread = threading.Thread(target=server.run, args=(stop,), daemon=True)
    thread.start()
    wait_for(lambda: server.state.kit is not None and any("serving KK" in line for line in lines))
    yield server, lines
    stop.set()
    thread.join(15)
    assert not thread.is_alive()


def get(server: KitServer, path: str, host: str | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def test_the_page_shows_slides_notes_word_files_and_findings(served, tree):
    server, _ = served
    status, page = get(server, "/")
    assert status == 200
    assert page.count("<article class='slide'") == kk_slides(tree) > 20
    assert "<h3>1. Workshop om lederes psykiske arbejdsmiljø</h3>" in page
    assert "Speaker notes</b><p>Velkommen til Workshop om lederes psykiske arbejdsmiljø for Københavns Kommune" in page
    assert "<h2>worksheets.docx</h2>" in page and "<h2>facilitator-notes.docx</h2>" in page
    assert "Validation: 0 errors, 1 warning," in page and "[timing/no-break]" in page
    assert "new EventSource('/events')" in page
    status, deck = get(server, "/kit/deck.pptx")
    assert status == 200 and deck.startswith("PK")


def test_an_edit_reaches_the_page_and_a_failed_rebuild_keeps_the_last_good_kit(served, tree):
    server, lines = served
    version = server.state.version
    edit_subtitle(tree, "Redigeret undertitel")
    wait_for(lambda: server.state.version > version and "Redigeret undertitel" in get(server, "/fragment")[1])
    good = break_profile(tree)
    wait_for(lambda: server.state.errors is not None)
    status, fragment = get(server, "/fragment")
    assert "The last rebuild failed" in fragment and "The last good kit is shown below." in fragment
    assert "KK.yaml:" in fragment and "YAML syntax error" in fragment  # the file and line, as the finding says
    assert fragment.count("<article class='slide'") == kk_slides(tree) and "Redigeret undertitel" in fragment
    state = json.loads(get(server, "/state")[1])
    assert state["failed"] is True and state["slides"] == kk_slides(tree)
    (tree / "content" / "orgs" / "KK.yaml").write_text(good, encoding="utf-8")
    wait_for(lambda: server.state.errors is None)
    assert "The last rebuild failed" not in get(server, "/fragment")[1]


def test_it_answers_only_its_own_host_name(served):
    server, _ = served
    port = server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert get(server, "/state", host)[0] == 200, host
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", "", f"127.0.0.1.evil.example:{port}"):
        status, body = get(server, "/", host)
        assert status == 403, host
        assert "kitgen serve answers only requests to http://127.0.0.1:" in body
    assert allowed_hosts("192.168.1.5", 8000) == {"192.168.1.5:8000"}


def test_it_listens_on_loopback_only(served):
    server, _ = served
    assert server.httpd.server_address[0] == "127.0.0.1"
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
        own = probe.getsockname()[0]
    except OSError:
        own = None
    finally:
        probe.close()
    if own and not own.startswith("127."):
        with pytest.raises(OSError):
            socket.create_connection((own, server.port), timeout=2).close()


def test_it_serves_only_the_kits_own_files(served, tree):
    server, _ = served
    (tree / "secret.txt").write_text("secret")
    for path in ("/kit/../secret.txt", "/kit/..%2Fsecret.txt", "/kit/%2e%2e/secret.txt", "/../secret.txt",
                 "/kit/../../../etc/passwd", "/kit/", "/kit/KK.yaml", "/img/1/../../secret.txt/1.png",
                 "/img/0/deck.pptx/1.png", "/etc/passwd", "//etc/passwd"):
        status, body = get(server, path)
        assert status == 404, (path, status)
        assert "secret" not in body


def test_the_command_stops_cleanly_on_ctrl_c_and_refuses_a_busy_port(tree):
    process, seen, url = start_serve(tree, "--no-images")
    try:
        busy = subprocess.run([sys.executable, "-m", "kitgen", "serve", "--org", "KK", "--content",
                               str(tree / "content"), "--layouts", str(tree / "layouts"), "--out", str(tree / "out2"),
                               "--port", str(urlsplit(url).port)], capture_output=True, text=True, timeout=60)
        assert busy.returncode == 2 and "cannot listen on 127.0.0.1:" in busy.stderr, busy.stderr
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    time.sleep(0.2)
    assert seen[-1].endswith("stopped serving"), seen
    assert not any("Traceback" in line for line in seen)


def start_serve(tree: Path, *args: str):
    process = subprocess.Popen([sys.executable, "-m", "kitgen", "serve", "--org", "KK", "--port", "0",
                                "--content", str(tree / "content"), "--layouts", str(tree / "layouts"),
                                "--out", str(tree / "out"), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tree,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen: list[str] = []

    def read() -> None:
        for line in process.stdout:
            seen.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    line = wait_for(lambda: next((x for x in seen if "serving KK at " in x), None) or process.poll() is not None, 120)
    assert isinstance(line, str), seen
    return process, seen, line.split(" at ", 1)[1].split()[0]


# --- in a real browser ---------------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    return next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)


class DevTools:
    """Just enough of the Chrome DevTools protocol over a WebSocket (RFC 6455, client side) to drive one page."""

    def __init__(self, ws_url: str):
        parts = urlsplit(ws_url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        self.next_id = 0

    def _recv_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return data

    def _recv(self) -> dict:
        message = b""
        while True:
            first, second = self._recv_exact(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._recv_exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._recv_exact(8))[0]
            message += self._recv_exact(length)
            if first & 0x80:
                return json.loads(message)

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            message = self._recv()
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")


@pytest.fixture()
def browser(tmp_path):
    path = find_browser()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must have Chromium or Chrome on PATH (.ci/run installs Debian's chromium where it can)",
                        pytrace=False)
        pytest.skip("no Chromium or Chrome on PATH (apt-get install chromium) to test the page in a browser")
    profile = tmp_path / "chromium-profile"
    process = subprocess.Popen([path, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1280,900",
                                "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        wait_for(lambda: port_file.is_file() and port_file.read_text().count("\n") >= 1, 60)
        port = int(port_file.read_text().splitlines()[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/json/list")
        target = next(t for t in json.loads(connection.getresponse().read()) if t["type"] == "page")
        yield DevTools(target["webSocketDebuggerUrl"])
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_page_in_a_browser_counts_slides_follows_an_edit_and_shows_a_failed_rebuild(tree, browser, tmp_path):
    from kitgen.build.preview import missing_tools

    images = not missing_tools()
    process, seen, url = start_serve(tree, *([] if images else ["--no-images"]))
    try:
        browser.call("Page.enable")
        browser.call("Page.navigate", url=url)
        wait_for(lambda: browser.evaluate("document.readyState") == "complete", 30)
        assert browser.evaluate("document.querySelectorAll('article.slide').length") == kk_slides(tree)
        assert browser.evaluate(f"document.body.innerText.includes({json.dumps(SUBTITLE)})")
        wait_for(lambda: browser.evaluate("typeof events !== 'undefined' && events.readyState === 1"), 10)

        timings = []
        for attempt in range(3):  # the time from a save to the page showing it, three times
            marker = f"Live-redigeret undertitel {attempt}"
            edit_subtitle(tree, marker)
            saved = time.time()
            wait_for(lambda: browser.evaluate(f"document.getElementById('kit').innerText.includes({json.dumps(marker)})"),
                     60, 0.01)
            shown = browser.evaluate("window.kitShown[current]") / 1000
            built = json.loads(get_url(url, "/state"))["in_place"]
            timings.append((shown - saved, shown - built))
        print("\nedit → page: " + ", ".join(f"{a:.2f} s (kit in place → page {b:.2f} s)" for a, b in timings))
        # the target: the page shows a new kit within 1 s of its being in place (the middle of three, so
        # that one round slowed by a busy machine, e.g. the full suite beside it, does not decide)
        assert sorted(in_place for _, in_place in timings)[1] <= 1.0, timings
        assert browser.evaluate("document.querySelectorAll('article.slide').length") == kk_slides(tree)

        edit_subtitle(tree, SUBTITLE)  # back as shipped (the screenshot shows the shipped kit)
        wait_for(lambda: browser.evaluate(f"document.getElementById('kit').innerText.includes({json.dumps(SUBTITLE)})"), 60)
        profile = tree / "content" / "orgs" / "KK.yaml"
        good = break_profile(tree)
        wait_for(lambda: browser.evaluate("!!document.getElementById('errors')"), 60)
        errors = browser.evaluate("document.getElementById('errors').innerText")
        assert "The last rebuild failed" in errors and "YAML syntax error" in errors, errors
        assert browser.evaluate("document.querySelectorAll('article.slide').length") == kk_slides(tree)  # the last good kit
        profile.write_text(good, encoding="utf-8")
        wait_for(lambda: browser.evaluate("!document.getElementById('errors')"), 60)

        if images:  # the screenshot with the slide images in it
            wait_for(lambda: (lambda s: s["images_gen"] == s["kit_gen"])(json.loads(get_url(url, "/state"))), 600, 0.5)
            wait_for(lambda: browser.evaluate("document.querySelectorAll('article.slide img').length") == kk_slides(tree), 30)
            wait_for(lambda: browser.evaluate("[...document.querySelectorAll('article.slide img')].slice(0, 2)"
                                              ".every(i => i.complete && i.naturalWidth > 0)"), 30)  # on screen
        browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        shot = base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"])
        assert shot.startswith(b"\x89PNG")
        target = Path(os.environ.get("KITGEN_SERVE_SCREENSHOT") or tmp_path / "serve.png")
        target.write_bytes(shot)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(20) == 0
        finally:
            if process.poll() is None:
                process.kill()


def get_url(url: str, path: str) -> str:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path)
    return connection.getresponse().read().decode()


# --- .ci/run installs Debian's chromium only where it is a real package -----------------------------------

@pytest.mark.parametrize("apt_has_chromium", [True, False])
def test_ci_run_installs_chromium_only_where_apt_has_it(tmp_path, apt_has_chromium):
    bash = shutil.which("bash") or "/bin/bash"
    project = tmp_path / "project"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    (project / ".venv" / "bin").mkdir(parents=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("env", "grep"):
        os.symlink(shutil.which(tool), bin_dir / tool)

    def stub(folder: Path, name: str, body: str = "") -> None:
        (folder / name).write_text(f"#!{bash}\necho \"{name} $*\" >> \"$STUB_LOG\"\n{body}\n")
        (folder / name).chmod(0o755)

    stub(bin_dir, "id", '[ "$1" = "-u" ] && echo 0')
    for name in ("apt-get", "python3", "soffice", "pdftoppm", "pandoc", "git"):
        stub(bin_dir, name)
    stub(bin_dir, "dpkg-query", 'printf "install ok installed"')
    stub(bin_dir, "apt-cache", 'echo "Package: chromium"' if apt_has_chromium else "exit 100")
    stub(project / ".venv" / "bin", "pip")
    stub(project / ".venv" / "bin", "pytest")
    log = tmp_path / "log"
    log.write_text("")
    done = subprocess.run([bash, str(project / ".ci" / "run")], capture_output=True, text=True, timeout=60,
                          env={"PATH": str(bin_dir), "STUB_LOG": str(log), "CI": "true", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = log.read_text().splitlines()
    installs = [line for line in lines if line.startswith("apt-get install")]
    if apt_has_chromium:
        assert installs and installs[0].split()[-1] == "chromium", lines
    else:
        assert not installs, lines  # not a real package here (e.g. a snap stub): nothing installed
    assert lines[-1].startswith("pytest")
