"""A fetched feed or URL list -> the articles it links to (``Item``), newest information kept.

Feeds are parsed with feedparser from the fetched bytes (never from a URL: feedparser would fetch
it itself, past ``feeds.fetch``'s guard). Links are resolved against the feed's URL and only
http(s) links are kept; entries without one are skipped. A body that is no feed at all (malformed
XML with no entries, an HTML page) raises ``FetchError(kind="not_a_feed")``.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from .config import Feed, check_http_url
from .fetch import HTML_TYPES, FetchError, Fetched, media_type

MAX_ITEMS = 5_000  # per feed or list: a feed of a million entries is not a news feed


@dataclass(frozen=True)
class Item:
    """One article a feed links to."""

    url: str
    title: str | None
    published: datetime | None  # UTC
    publisher: str | None
    feed_url: str  # the feed (as configured) that listed it


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _article_url(link: Any, base: str) -> str | None:
    """An entry's link made absolute (without its #fragment), or None if it is not http(s)."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        return check_http_url(urldefrag(urljoin(base, link.strip()))[0])
    except ValueError:
        return None


def _published(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _text(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _looks_like_html(fetched: Fetched) -> bool:
    head = fetched.body[:2048].lstrip().lower()
    return media_type(fetched.content_type) in HTML_TYPES or head.startswith((b"<!doctype html", b"<html"))


def parse_feed(fetched: Fetched, feed: Feed) -> list[Item]:
    """The articles of an RSS/Atom feed, in the feed's order; raises ``FetchError(kind="not_a_feed")``
    for a body that is not a feed."""
    import feedparser

    if _looks_like_html(fetched):
        raise FetchError(fetched.url, "not_a_feed", "got an HTML page, not an RSS/Atom feed (is this the site's "
                                                    "home page rather than its feed URL?)")
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.url,
                                                              "content-type": fetched.content_type or "application/xml"},
                              sanitize_html=True, resolve_relative_uris=True)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        detail = f" ({type(problem).__name__}: {str(problem)[:200]})" if problem else ""
        raise FetchError(fetched.url, "not_a_feed", f"not an RSS/Atom feed: no entries could be read{detail}")
    publisher = feed.publisher or _text(parsed.get("feed", {}).get("title")) or _host(feed.url)
    items: list[Item] = []
    seen: set[str] = set()
    for entry in entries[:MAX_ITEMS]:
        url = _article_url(entry.get("link"), fetched.url)
        if url is None:
            url = next((u for u in (_article_url(link.get("href"), fetched.url) for link in entry.get("links", [])
                                    if link.get("rel", "alternate") == "alternate") if u), None)
        if url is None or url in seen:
            continue
        seen.add(url)
        items.append(Item(url=url, title=_text(entry.get("title")), published=_published(entry),
                          publisher=publisher, feed_url=feed.url))
    return items


def parse_url_list(fetched: Fetched, feed: Feed) -> list[Item]:
    """The articles of a URL list: one URL per line (relative ones resolved against the list's URL),
    blank lines and ``#`` comments skipped, lines that are not http(s) URLs skipped."""
    if _looks_like_html(fetched):
        raise FetchError(fetched.url, "not_a_feed", "got an HTML page, not a URL list (one URL per line)")
    publisher = feed.publisher or _host(feed.url)
    items: list[Item] = []
    seen: set[str] = set()
    for line in fetched.body.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = _article_url(line.split()[0], fetched.url)
        if url is None or url in seen:
            continue
        seen.add(url)
        items.append(Item(url=url, title=None, published=None, publisher=publisher, feed_url=feed.url))
        if len(items) >= MAX_ITEMS:
            break
    return items
