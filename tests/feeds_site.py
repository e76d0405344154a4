"""A web site on loopback for the feeds tests: routes answer with handler functions, and the site
records every connection, every request and the body bytes each route actually sent."""
from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Iterator


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def verify_request(self, request, client_address) -> bool:  # every accepted connection
        self.site.connections += 1
        return True


class Site:
    """``with Site() as site: site.route("/feed", handler)``; ``site.url("/feed")``. A route ending
    in ``/`` answers every path under it. ``record=False`` keeps no requests (a long benchmark)."""

    def __init__(self, host: str = "127.0.0.1", record: bool = True) -> None:
        self.host = host
        self.record = record
        self.routes: dict[str, Callable[["Request"], None]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self.bodies: list[bytes] = []
        self.sent: Counter[str] = Counter()  # body bytes written per path
        self.connections = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if site.record:
                    site.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                    site.bodies.append(body)
                route = site.find(self.path.split("?")[0])
                request = Request(self, site)
                if route is None:
                    request.respond(404, b"not here", "text/plain")
                else:
                    route(request)

            do_GET = do_POST = _handle

        self.server = _Server((host, 0), Handler)
        self.server.site = self
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, handler: Callable[["Request"], None]) -> None:
        self.routes[path] = handler

    def find(self, path: str) -> Callable[["Request"], None] | None:
        """The route of ``path``: its own, else the longest folder route (``/a/``) above it."""
        if path in self.routes:
            return self.routes[path]
        folders = [p for p in self.routes if p.endswith("/") and path.startswith(p)]
        return self.routes[max(folders, key=len)] if folders else None

    def page(self, path: str, body: bytes | str, content_type: str, status: int = 200,
             headers: dict[str, str] | None = None) -> None:
        """A fixed answer at ``path``."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.route(path, lambda r: r.respond(status, data, content_type, headers))

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]


class Request:
    """The request being answered, and ways to answer it."""

    def __init__(self, handler: BaseHTTPRequestHandler, site: Site) -> None:
        self.handler = handler
        self.site = site
        self.path = handler.path
        self.headers = {k.lower(): v for k, v in handler.headers.items()}

    def respond(self, status: int, body: bytes = b"", content_type: str = "text/plain",
                headers: dict[str, str] | None = None) -> None:
        h = self.handler
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        if body:
            h.wfile.write(body)
            if self.site.record:
                self.site.sent[self.path] += len(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.respond(status, b"", "text/plain", {"Location": location})

    def stream(self, chunks: Iterable[bytes], content_type: str = "application/xml",
               headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        """A body of unknown length (the connection closes at its end), written chunk by chunk
        (``delay`` seconds apart) until the client hangs up."""
        h = self.handler
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.close_connection = True
        try:
            h.wfile.flush()
            for chunk in chunks:
                if delay:
                    time.sleep(delay)
                h.wfile.write(chunk)
                h.wfile.flush()
                self.site.sent[self.path] += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass


def endless(total: int, size: int = 65_536) -> Iterator[bytes]:
    """``total`` bytes of an XML-looking body in ``size``-byte chunks, made as they are sent."""
    yield b"<?xml version='1.0'?><rss><channel>"
    chunk = b"x" * size
    sent = 0
    while sent < total:
        yield chunk
        sent += size
