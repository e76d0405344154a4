"""A news site on loopback for the monitor's tests: an RSS feed (with ETag and Last-Modified), a
URL list, article pages written for the project (``monitor_articles.yaml``), misbehaving
endpoints, and a webhook receiver that records what it is sent.

    with NewsSite() as site:
        site.publish("vovchansk-shelling")          # the feed lists it from now on
        site.url("/feed.xml")                        # http://127.0.0.1:PORT/feed.xml
        site.hooks                                   # [(alert id header, JSON body), ...]
"""
from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from datetime import date
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ARTICLES = {a["slug"]: a for a in yaml.safe_load((Path(__file__).parent / "monitor_articles.yaml").read_text())}


def article_html(article: dict[str, Any], publisher: str = "Loopback News") -> str:
    """A realistic article page: navigation, the article with its date, a footer."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in article["paragraphs"])
    day = article["date"] if isinstance(article["date"], date) else date.fromisoformat(str(article["date"]))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(article['title'])} | {publisher}</title>
<meta property="og:site_name" content="{publisher}">
<meta property="article:published_time" content="{day.isoformat()}T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{html.escape(article['title'])}</h1>
<p class="byline">By a staff reporter, <time datetime="{day.isoformat()}">{day:%d %B %Y}</time></p>
{paragraphs}
</article>
<footer>&copy; {publisher}. All rights reserved.</footer>
</body></html>"""


class NewsSite:
    """The site; ``published`` lists the slugs its feed lists, newest last."""

    def __init__(self, publisher: str = "Loopback News") -> None:
        self.publisher = publisher
        self.published: list[str] = []
        self.routes: dict[str, tuple[int, str, bytes]] = {}  # extra fixed answers: path -> (status, type, body)
        self.slow: dict[str, threading.Event] = {}            # paths that wait for their event before answering
        self.hooks: list[tuple[str | None, dict[str, Any]]] = []
        self.hook_status = 200
        self.requests: list[str] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site._get(self)

            def do_POST(self) -> None:
                site._post(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "NewsSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        for event in self.slow.values():
            event.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def publish(self, *slugs: str) -> None:
        with self.lock:
            self.published.extend(slugs)

    def feed_xml(self) -> bytes:
        items = []
        for slug in reversed(self.published):
            a = ARTICLES[slug]
            day = datetime.combine(date.fromisoformat(str(a["date"])), datetime.min.time(), timezone.utc)
            items.append(f"<item><title>{html.escape(a['title'])}</title><link>{self.url('/news/' + slug)}</link>"
                         f"<guid>{self.url('/news/' + slug)}</guid><pubDate>{format_datetime(day)}</pubDate></item>")
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{self.publisher}'
                f"</title><link>{self.url('/')}</link><description>World news</description>"
                f"{''.join(items)}</channel></rss>").encode()

    def _answer(self, h: BaseHTTPRequestHandler, status: int, kind: str, body: bytes,
                headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)

    def _get(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        with self.lock:
            self.requests.append(path)
        if path in self.slow:
            self.slow[path].wait(60)
        if path in self.routes:
            status, kind, body = self.routes[path]
            return self._answer(h, status, kind, body)
        if path == "/feed.xml":
            body = self.feed_xml()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.end_headers()
                return
            return self._answer(h, 200, "application/rss+xml", body, {"ETag": etag})
        if path.startswith("/news/") and path[6:] in ARTICLES and path[6:] in self.published:
            return self._answer(h, 200, "text/html; charset=utf-8",
                                article_html(ARTICLES[path[6:]], self.publisher).encode())
        self._answer(h, 404, "text/plain", b"not found")

    def _post(self, h: BaseHTTPRequestHandler) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        if h.path == "/hook":
            with self.lock:
                if self.hook_status < 300:
                    self.hooks.append((h.headers.get("Redline-Alert-Id"), json.loads(body)))
            return self._answer(h, self.hook_status, "text/plain", b"ok")
        self._answer(h, 404, "text/plain", b"not found")


def wait_for(check, timeout: float = 60.0, every: float = 0.2) -> Any:
    """Poll ``check()`` until it returns something true; its value, or AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true after {timeout}s: {getattr(check, '__name__', check)}")
