"""The HTTP side of ``kitgen serve``: which Host headers it answers, the server, and the
request handler that sends the page, its fragment, the state and the page images."""

from __future__ import annotations

import json
import re
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from kitgen.build.serve_page import fragment, page, state_json


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


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


_IMAGE = re.compile(r"^/img/(\d+)/([A-Za-z0-9._-]+)/(\d+)\.png$")
_KIT = re.compile(r"^/kit/([A-Za-z0-9._-]+)$")


class Handler(BaseHTTPRequestHandler):
    server_version = "kitgen-serve"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # quiet: the watch prints what matters
        pass

    @property
    def kit(self):  # the kitgen.build.serve.KitServer this server belongs to
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
