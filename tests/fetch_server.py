"""A local HTTP server for the fetch tests and the fetch benchmark: 127.0.0.1 only.

Each route is a path (with its query string) and a ``Route`` saying how to misbehave:
answer normally, honour conditional GET, hang, redirect in a loop, cut the body
short, stream endless junk, or wait before answering. It runs in a thread, so both
sync tests (the CLI) and async tests (the fetcher) can use it.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """How the server answers one path.

    Attributes:
        body: The body for a normal answer.
        status: Its status code.
        content_type: The Content-Type header.
        etag: When set, sent as ETag; a matching If-None-Match gets a 304.
        last_modified: When set, sent as Last-Modified; an equal If-Modified-Since gets 304.
        delay: Seconds to wait before answering.
        hang: Never answer (until the server stops).
        redirect_to: Answer 302 to this path (itself for a loop).
        truncate: Announce ``len(body) + truncate`` bytes, send ``body``, hang up.
        junk_bytes: Stream this many junk bytes instead of ``body``.
        gzip: Compress the body when the client accepts gzip.
        fail_first: Answer 503 to this many requests before answering normally.
    """

    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    hang: bool = False
    redirect_to: str | None = None
    truncate: int = 0
    junk_bytes: int = 0
    gzip: bool = False
    fail_first: int = 0


@dataclass
class Served:
    """What the server saw: requests per path and the headers of the last one."""

    hits: dict[str, int] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    junk_sent: dict[str, int] = field(default_factory=dict)


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with a route table that tests may change."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.served = Served()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        """The full URL of ``path`` (which starts with /)."""
        return self.base + path

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Release hanging requests and stop serving."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def record(self, path: str, headers: dict[str, str]) -> int:
        """Count a request to ``path``; returns how many there were, this one included."""
        with self._lock:
            self.served.hits[path] = self.served.hits.get(path, 0) + 1
            self.served.headers[path] = headers
            return self.served.hits[path]


@contextmanager
def serve(routes: dict[str, Route] | None = None) -> Iterator[LocalServer]:
    """Run a ``LocalServer`` for the duration of a ``with`` block."""
    server = LocalServer(routes)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output clean."""

        def do_GET(self) -> None:
            """Answer as the route says."""
            route = server.routes.get(self.path)
            count = server.record(self.path, {k.lower(): v for k, v in self.headers.items()})
            if route is None:
                self._plain(404, b"no such route")
                return
            if route.delay:
                server.stopping.wait(route.delay)
            if route.hang:
                server.stopping.wait(120)
                return
            if count <= route.fail_first:
                self._plain(503, b"try later")
                return
            if route.redirect_to is not None:
                self.send_response(302)
                self.send_header("Location", route.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.junk_bytes:
                self._junk(route)
                return
            if self._not_modified(route):
                self.send_response(304)
                self._validators(route)
                self.end_headers()
                return
            self._body(route)

        def _not_modified(self, route: Route) -> bool:
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                return True
            since = self.headers.get("If-Modified-Since")
            return bool(route.last_modified and since == route.last_modified)

        def _validators(self, route: Route) -> None:
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)

        def _body(self, route: Route) -> None:
            body = route.body
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self._validators(route)
            if route.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body) + route.truncate))
            self.end_headers()
            self.wfile.write(body)
            if route.truncate:
                self.wfile.flush()
                self.close_connection = True

        def _junk(self, route: Route) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            # No length: the client cannot refuse it up front and must stop reading.
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<junk>" + b"x" * (64 * 1024 - 6)
            sent = 0
            try:
                while sent < route.junk_bytes and not server.stopping.is_set():
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    sent += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: what a size cap should do
            finally:
                server.served.junk_sent[self.path] = sent
            self.close_connection = True

        def _plain(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
