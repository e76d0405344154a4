"""The feeds file: which feeds and URL lists to poll, how often, and where alerts go.

A YAML file (see ``examples/feeds.example.yaml``)::

    feeds:
      - url: https://example.org/world/rss     # an RSS or Atom feed
        publisher: Example News                 # optional (default: the feed's title, else the host)
        every: 15m                              # optional poll interval (default 15m): s, m or h; 5s to 720h
      - urls: https://example.org/latest.txt    # a URL list: one article URL per line, '#' comments
        publisher: Example Wire
    rules: watch.yaml          # optional: watch rules (the format of `redline watch`), relative to this file
    notify:                    # optional
      webhooks: [https://hooks.example.org/redline]   # each new alert is POSTed as JSON
      command: "logger -t redline"                    # run with the alert's JSON on stdin
      retries: 5                                      # attempts per delivery (default 5)

Anything wrong raises ``FeedsFileError`` naming the file, the line and the field. Feed URLs must
be http or https; whether their addresses are public is checked when they are fetched
(``feeds.fetch.check_url``), since a name's addresses can change after the file is read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..user_yaml import read_yaml_file_lines

MAX_FEEDS_BYTES = 1_000_000
MAX_FEEDS = 10_000
DEFAULT_EVERY = 15 * 60.0
MIN_EVERY = 5.0
MAX_EVERY = 30 * 86_400.0  # a feed polled less than monthly is not being monitored
DEFAULT_RETRIES = 5
MAX_RETRIES = 100
INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)\s*$")
UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0}
FEED_KEYS = ("url", "urls", "publisher", "every")
TOP_KEYS = ("feeds", "rules", "notify")
NOTIFY_KEYS = ("webhooks", "command", "retries")


class FeedsFileError(ValueError):
    """A feeds file that cannot be used; the message names the file, the line and the field."""


@dataclass(frozen=True)
class Feed:
    """One source to poll: an RSS/Atom feed (``kind="feed"``) or a URL list (``kind="urls"``)."""

    url: str
    kind: str
    publisher: str | None = None
    every: float = DEFAULT_EVERY  # seconds between polls


@dataclass(frozen=True)
class Notify:
    """Where new alerts are delivered: webhooks (POSTed JSON) and an optional local command."""

    webhooks: tuple[str, ...] = ()
    command: str | None = None
    retries: int = DEFAULT_RETRIES  # attempts per delivery


@dataclass(frozen=True)
class FeedsFile:
    """A feeds file, validated: its feeds, its rules file (absolute) and its notify settings."""

    path: Path
    feeds: tuple[Feed, ...]
    rules: Path | None = None
    notify: Notify = Notify()


def parse_interval(value: Any) -> float:
    """``"15m"`` -> 900.0 seconds; units s, m, h; from ``MIN_EVERY`` to ``MAX_EVERY``. Raises ValueError."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"expected a duration such as '30s', '15m' or '2h', got {value!r}")
    match = INTERVAL.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a duration such as '30s', '15m' or '2h' (units s, m, h)")
    seconds = float(match.group(1)) * UNIT_SECONDS[match.group(2)]
    if seconds < MIN_EVERY:
        raise ValueError(f"{value!r} is too often; the minimum is {MIN_EVERY:g}s")
    if seconds > MAX_EVERY:
        raise ValueError(f"{value!r} is too seldom; the maximum is {MAX_EVERY / 3600:g}h (30 days)")
    return seconds


def check_http_url(value: Any) -> str:
    """A well-formed absolute http(s) URL, stripped; raises ValueError saying what is wrong."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected an http(s) URL, got {value!r}")
    url = value.strip()
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise ValueError(f"{url!r} contains white space or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as err:
        raise ValueError(f"{url!r} is not a valid URL ({err})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"{url!r}: only http and https URLs can be fetched, not {parts.scheme or 'a relative URL'!r}")
    if not parts.hostname:
        raise ValueError(f"{url!r} has no host")
    return url


def load_feeds(path: str | Path) -> FeedsFile:
    """Read and validate a feeds file; anything wrong raises ``FeedsFileError`` naming the file,
    the line and the field."""
    path = Path(path)
    data, lines = read_yaml_file_lines(path, MAX_FEEDS_BYTES, FeedsFileError, "feeds file")

    def fail(where: tuple, field: str, problem: str) -> FeedsFileError:
        line = lines.get(where) or lines.get(where[:-1]) or lines.get(where[:-2])
        return FeedsFileError(f"{path}{f', line {line}' if line else ''}: field '{field}': {problem}")

    if not isinstance(data, dict):
        raise FeedsFileError(f"{path}: expected a mapping with a list of feeds under 'feeds'")
    for key in data:
        if key not in TOP_KEYS:
            raise fail((key,), str(key), f"unknown key (expected {', '.join(TOP_KEYS)})")
    raw_feeds = data.get("feeds")
    if not isinstance(raw_feeds, list) or not raw_feeds:
        raise fail(("feeds",), "feeds", "expected a non-empty list of feeds")
    if len(raw_feeds) > MAX_FEEDS:
        raise fail(("feeds",), "feeds", f"{len(raw_feeds):,} feeds; the limit is {MAX_FEEDS:,}")
    feeds: list[Feed] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_feeds):
        here = ("feeds", index)
        label = f"feeds[{index}]"
        if not isinstance(raw, dict):
            raise fail(here, label, "expected a mapping with 'url' (a feed) or 'urls' (a URL list)")
        for key in raw:
            if key not in FEED_KEYS:
                raise fail((*here, key), f"{label}.{key}", f"unknown key (expected {', '.join(FEED_KEYS)})")
        if ("url" in raw) == ("urls" in raw):
            raise fail(here, label, "give either 'url' (an RSS/Atom feed) or 'urls' (a URL list), "
                                    f"{'not both' if 'url' in raw else 'one of them'}")
        kind = "feed" if "url" in raw else "urls"
        key = "url" if kind == "feed" else "urls"
        try:
            url = check_http_url(raw[key])
        except ValueError as err:
            raise fail((*here, key), f"{label}.{key}", str(err)) from None
        if url in seen:
            raise fail((*here, key), f"{label}.{key}", f"{url} is already listed as feeds[{seen[url]}]")
        seen[url] = index
        publisher = raw.get("publisher")
        if publisher is not None and (not isinstance(publisher, str) or not publisher.strip()):
            raise fail((*here, "publisher"), f"{label}.publisher", f"expected a name, got {publisher!r}")
        every = DEFAULT_EVERY
        if "every" in raw:
            try:
                every = parse_interval(raw["every"])
            except ValueError as err:
                raise fail((*here, "every"), f"{label}.every", str(err)) from None
        feeds.append(Feed(url=url, kind=kind, publisher=publisher.strip() if publisher else None, every=every))
    return FeedsFile(path=path, feeds=tuple(feeds), rules=_rules(path, data, fail),
                     notify=_notify(data.get("notify"), fail))


def _rules(path: Path, data: dict, fail: Any) -> Path | None:
    raw = data.get("rules")
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise fail(("rules",), "rules", f"expected the path of a watch rules file, got {raw!r}")
    rules = (path.parent / raw.strip()).resolve()
    if not rules.is_file():
        raise fail(("rules",), "rules", f"no such file: {rules}")
    return rules


def _notify(raw: Any, fail: Any) -> Notify:
    if raw is None:
        return Notify()
    if not isinstance(raw, dict):
        raise fail(("notify",), "notify", f"expected a mapping ({', '.join(NOTIFY_KEYS)})")
    for key in raw:
        if key not in NOTIFY_KEYS:
            raise fail(("notify", key), f"notify.{key}", f"unknown key (expected {', '.join(NOTIFY_KEYS)})")
    hooks = raw.get("webhooks") or []
    if isinstance(hooks, str):
        hooks = [hooks]
    if not isinstance(hooks, list):
        raise fail(("notify", "webhooks"), "notify.webhooks", "expected a list of http(s) URLs")
    webhooks = []
    for index, hook in enumerate(hooks):
        try:
            webhooks.append(check_http_url(hook))
        except ValueError as err:
            raise fail(("notify", "webhooks", index), f"notify.webhooks[{index}]", str(err)) from None
    command = raw.get("command")
    if command is not None and (not isinstance(command, str) or not command.strip()):
        raise fail(("notify", "command"), "notify.command", f"expected a shell command, got {command!r}")
    retries = raw.get("retries", DEFAULT_RETRIES)
    if isinstance(retries, bool) or not isinstance(retries, int) or not 1 <= retries <= MAX_RETRIES:
        raise fail(("notify", "retries"), "notify.retries",
                   f"expected a whole number of attempts from 1 to {MAX_RETRIES}, got {retries!r}")
    return Notify(webhooks=tuple(webhooks), command=command.strip() if command else None, retries=retries)
