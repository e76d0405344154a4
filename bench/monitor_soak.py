"""Soak: ``redline serve --feeds`` polling 50 feeds of 20 new items each, cycle after cycle, for
10 minutes, while API clients query it.

    python bench/monitor_soak.py [--minutes 10] [--feeds 50] [--items 20] [--clients 2]
                                 [--workers 1] [--db PATH] [--max-slope 2] [--memory-limit SIZE]

A news site on loopback (``tests/feeds_site.py``) serves ``--feeds`` RSS feeds; every fetch of a
feed lists ``--items`` articles never listed before and the previous fetch's (which the monitor
must skip), so each cycle brings feeds x items new articles, written from the templates of
``bench/data/monitor_soak.yaml`` with a seeded generator (every article new text). The site also
receives the webhooks of a watch rule. The feeds are due every 5 s (the minimum), so cycles run
back to back. ``redline serve --feeds --allow-private`` runs as its own process
(``bench/serve_api.py``'s ``start``); ``--clients`` threads query the API meanwhile
(``serve_api.mix``: event lists, series, status; and the alerts feed).

Prints: cycles, items, documents and events stored and items/s; the API's p50/p95/p99 during
ingest; the server's RSS over the run; its memory by part as each cycle started (the server runs
under ``bench/soak_probe.py``, which records it): what DuckDB reports holding (``duckdb_memory()``:
its cached blocks and indexes, which grow with the store up to its memory_limit) and the rest (C
heap in use, Python's arenas, the remainder), each part's growth after the first quarter in MB a
minute and per 1,000 documents, and the verdict: flat when the memory outside DuckDB grows at most
``--max-slope`` MB a minute; errors: failed API requests, failed fetches the monitor counted, feed
failures, webhook deliveries received twice, the server's ERROR log lines. Exits 1 on any error
or when the memory outside DuckDB is not flat.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from email.utils import format_datetime
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT / "src")]

from feeds_site import Request, Site  # noqa: E402
from serve_api import available, mix, start, stop, table  # noqa: E402

TEMPLATES = yaml.safe_load((ROOT / "bench" / "data" / "monitor_soak.yaml").read_text(encoding="utf-8"))
FEED_PATH = re.compile(r"^/feeds/(\d+)\.xml$")
ARTICLE_PATH = re.compile(r"^/news/(\d+)/(\d+)/(\d+)\.html$")
FIRST_DAY = date(2026, 11, 1)
RULES = """\
rules:
  - name: soak-assaults
    types: [ASSAULT]
    threshold: 3
    window: 1d
"""
SAMPLE_EVERY = 5.0
MAX_SLOPE = 2.0  # MB/min: growth of the memory outside DuckDB that still counts as flat


def article(feed: int, generation: int, index: int) -> tuple[str, str, date]:
    """The title, text and date of one article, the same every time it is asked for."""
    rng = random.Random(f"{feed}/{generation}/{index}")
    a, b = rng.sample(TEMPLATES["countries"], 2)
    values = {"A": a["name"], "B": b["name"], "a": a["adjective"], "b": b["adjective"],
              "capital_a": a["capital"], "capital_b": b["capital"], "place": rng.choice(b["places"]),
              "day": rng.choice(TEMPLATES["days"]), "n": rng.randint(2, 400)}
    sentences = [s.format(**values) for s in rng.sample(TEMPLATES["sentences"], rng.randint(3, 4))]
    sentences.append(f"Reporting by the soak desk, dispatch {feed}-{generation}-{index}.")
    day = FIRST_DAY + timedelta(days=(generation + rng.randint(0, 2)) % 60)
    title = rng.choice(TEMPLATES["titles"]).format(**values)
    return title[0].upper() + title[1:], " ".join(s[0].upper() + s[1:] for s in sentences), day


class NewsSite:
    """The site's feeds and article pages, generated on request, and the webhooks it received."""

    def __init__(self, site: Site, items: int) -> None:
        self.site, self.items = site, items
        self.lock = threading.Lock()
        self.fetches: Counter[int] = Counter()
        self.pages = 0
        self.missing = 0
        self.hooks: Counter[str] = Counter()
        site.route("/feeds/", self.feed)
        site.route("/news/", self.page)
        site.route("/hook", self.hook)

    def feed(self, request: Request) -> None:
        match = FEED_PATH.match(request.path)
        if not match:
            with self.lock:
                self.missing += 1
            request.respond(404, b"no such feed")
            return
        n = int(match.group(1))
        with self.lock:
            generation = self.fetches[n]
            self.fetches[n] += 1
        entries = []
        for g in (generation, generation - 1):  # the new items, and the last fetch's again
            for i in range(self.items if g >= 0 else 0):
                title, _, day = article(n, g, i)
                published = format_datetime(datetime(day.year, day.month, day.day, 9, i % 60, tzinfo=timezone.utc))
                entries.append(f"<item><title>{html.escape(title)}</title><link>/news/{n}/{g}/{i}.html</link>"
                               f"<pubDate>{published}</pubDate></item>")
        body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Soak Wire {n}</title>'
                f"<link>/</link><description>Soak feed {n}</description>{''.join(entries)}</channel></rss>")
        request.respond(200, body.encode("utf-8"), "application/rss+xml; charset=utf-8",
                        {"ETag": f'"{n}-{generation}"'})

    def page(self, request: Request) -> None:
        match = ARTICLE_PATH.match(request.path)
        if not match:
            with self.lock:
                self.missing += 1
            request.respond(404, b"no such article")
            return
        title, text, day = article(*(int(g) for g in match.groups()))
        with self.lock:
            self.pages += 1
        paragraphs = "".join(f"<p>{html.escape(s)}.</p>" for s in text.rstrip(".").split(". "))
        body = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                f'<meta property="article:published_time" content="{day.isoformat()}T09:00:00+00:00"></head>'
                f'<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article>'
                f"<h1>{html.escape(title)}</h1>{paragraphs}</article><footer>Soak Wire</footer></body></html>")
        request.respond(200, body.encode("utf-8"), "text/html; charset=utf-8")

    def hook(self, request: Request) -> None:
        with self.lock:
            self.hooks[request.headers.get("redline-alert-id", "")] += 1
        request.respond(204)


def write_feeds(folder: Path, site: Site, feeds: int) -> Path:
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    listed = "\n".join(f"  - url: {site.url(f'/feeds/{n}.xml')}\n    every: 5s" for n in range(feeds))
    path = folder / "feeds.yaml"
    path.write_text(f"feeds:\n{listed}\nrules: rules.yaml\nnotify:\n  webhooks: [{site.url('/hook')}]\n",
                    encoding="utf-8")
    return path


class Clients:
    """API clients querying the server until stopped; their latencies and errors."""

    def __init__(self, url: str, paths: set[str], clients: int) -> None:
        self.url, self.paths = url, paths
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self.loop, args=(seed,), daemon=True) for seed in range(clients)]

    def loop(self, seed: int) -> None:
        planned = [(r.endpoint, r.url) for r in mix(self.paths, 500, seed=seed)]
        if "/api/alerts" in self.paths:
            planned += [("alerts", "/api/alerts?limit=20")] * 50
        random.Random(seed).shuffle(planned)
        with httpx.Client(base_url=self.url, timeout=60) as client:
            n = 0
            while not self.done.is_set():
                endpoint, url = planned[n % len(planned)]
                n += 1
                started = time.perf_counter()
                try:
                    response = client.get(url)
                    took = time.perf_counter() - started
                    failed = None if response.status_code == 200 else f"{url}: {response.status_code} {response.text[:200]}"
                except Exception as e:  # noqa: BLE001 - a failed request is an error to count
                    took, failed = None, f"{url}: {type(e).__name__}: {e}"
                with self.lock:
                    if took is not None:
                        self.latencies.setdefault(endpoint, []).append(took)
                    if failed:
                        self.errors.append(failed)
                self.done.wait(0.05)

    def __enter__(self) -> "Clients":
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        for t in self.threads:
            t.join(60)


def rss(process: Any) -> int:
    """The server's resident memory with its children's (coding workers), in bytes."""
    import psutil
    root = psutil.Process(process.pid)
    total = root.memory_info().rss
    for child in root.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def slope(samples: list[tuple[float, int]]) -> float:
    """Least-squares growth of RSS in MB per minute."""
    if len(samples) < 3:
        return 0.0
    xs = [t / 60 for t, _ in samples]
    ys = [m / 2**20 for _, m in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else 0.0


def read_samples(path: Path) -> list[dict[str, Any]]:
    """The probe's records (``bench/soak_probe.py``), one per cycle started."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        return []


def parts(record: dict[str, Any]) -> dict[str, float]:
    """A record's memory by part, in MB: the whole RSS; what DuckDB reports holding (its buffers,
    ART indexes, tables not yet checkpointed: what grows with the store, up to its memory_limit);
    the rest, split into the C heap (glibc malloc) in use, Python's small-object arenas (1 MiB
    each) and the remainder (the C heap's free pages not given back, libraries, thread stacks,
    DuckDB's allocator beyond what it reports)."""
    malloc, pymalloc = record.get("malloc", {}), record.get("pymalloc", {})
    heap_used = malloc.get("in_use", 0.0) + malloc.get("mmap", 0.0)
    arenas = float(pymalloc.get("arenas", 0))
    rest = record["rss"] - record["duckdb"]
    return {"RSS": record["rss"], "DuckDB (reported)": record["duckdb"], "rest (RSS - DuckDB)": rest,
            "  C heap in use": heap_used, "  Python arenas": arenas, "  remainder": rest - heap_used - arenas}


def memory_report(records: list[dict[str, Any]], max_slope: float) -> bool:
    """Print the server's memory by part, sampled as each cycle started, and its growth after the
    first quarter of the run; True when the memory outside DuckDB is flat (at most ``max_slope``
    MB/min)."""
    if len(records) < 4:
        print(f"  memory by part: {len(records)} cycle(s) sampled, too few to judge: not flat")
        return False
    span = records[-1]["t"]
    settled = [r for r in records if r["t"] >= span / 4]
    if len(settled) < 3:
        settled = records[-3:]
    first, last = settled[0], settled[-1]
    minutes = (last["t"] - first["t"]) / 60
    documents = (last.get("documents") or 0) - (first.get("documents") or 0)
    print(f"  memory by part, as cycles {first['cycle']}..{last['cycle']} started ({minutes:.1f} min, "
          f"{documents:,} documents stored meanwhile):")
    print(f"    {'part':22} {'first MB':>9} {'last MB':>9} {'growth':>8} {'MB/min':>7} {'MB/1k docs':>10}")
    slopes: dict[str, float] = {}
    for name in parts(first):
        series = [(r["t"], parts(r)[name] * 2**20) for r in settled]
        slopes[name] = slope(series)
        start_mb, end_mb = series[0][1] / 2**20, series[-1][1] / 2**20
        per_k = f"{(end_mb - start_mb) / documents * 1000:+10.2f}" if documents else f"{'':>10}"
        print(f"    {name:22} {start_mb:9.1f} {end_mb:9.1f} {end_mb - start_mb:+8.1f} {slopes[name]:+7.2f} {per_k}")
    tags = ", ".join(f"{tag} {mb:.0f}" for tag, mb in sorted(last.get("duckdb_tags", {}).items(), key=lambda x: -x[1]))
    print(f"    DuckDB at the end, by tag (MB): {tags or 'nothing'}")
    rest = slopes["rest (RSS - DuckDB)"]
    flat = rest <= max_slope
    print(f"  memory outside DuckDB {'flat' if flat else 'NOT FLAT'}: {rest:+.2f} MB/min after the first quarter "
          f"(threshold {max_slope:.1f} MB/min); DuckDB's own {slopes['DuckDB (reported)']:+.2f} MB/min grows with "
          "the store (its indexes and cached blocks, up to its memory_limit)")
    return flat


def soak(args: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="redline-soak-"))
    db = args.db or folder / "soak.duckdb"
    errors = 0
    with Site(record=False) as site:
        news = NewsSite(site, args.items)
        feeds_file = write_feeds(folder, site, args.feeds)
        probe_out = args.probe or folder / "memory.jsonl"  # the server's memory by part, cycle by cycle
        command = (str(ROOT / "bench" / "soak_probe.py"), str(probe_out))
        server = start(db, args=["--feeds", str(feeds_file), "--allow-private", "--workers", str(args.workers),
                                 "--no-snapshot"], timeout=120, command=command)
        memory: list[tuple[float, int]] = []
        status: dict[str, Any] = {}
        try:
            with httpx.Client(base_url=server.url, timeout=60) as probe:
                paths = available(probe)
                started = time.monotonic()
                end = started + args.minutes * 60
                with Clients(server.url, paths, args.clients) as clients:
                    while time.monotonic() < end and server.process.poll() is None:
                        memory.append((time.monotonic() - started, rss(server.process)))
                        time.sleep(min(SAMPLE_EVERY, max(0.0, end - time.monotonic())))
                    elapsed = time.monotonic() - started
                if server.process.poll() is None:
                    status = probe.get("/api/status").json()
        finally:
            stop(server)
        log = server.log.read_text(errors="replace")
        server.log.unlink(missing_ok=True)

    cycles = status.get("cycles", [])
    finished = [c for c in cycles if c.get("finished")]
    items = sum(f.get("items_total") or 0 for f in status.get("feeds", []))
    counts = status.get("counts", {})
    print(f"soak: {args.feeds} feeds x {args.items} new items per fetch, {args.minutes:g} min, "
          f"{args.clients} API client(s), {args.workers} coding worker(s)")
    if not status:
        print("  the server stopped before the end:\n    " + "\n    ".join(log.strip().splitlines()[-20:]))
        return 1
    number = max((c["cycle"] for c in cycles), default=0)
    print(f"  cycles: {number} started ({len(finished)} of the last {len(cycles)} finished)")
    print(f"  items stored: {items:,} ({items / elapsed:.1f} items/s); documents {counts.get('documents', 0):,}, "
          f"events {counts.get('events', 0):,}, alerts {counts.get('alerts', 0):,}")
    print(f"  the site served {sum(news.fetches.values()):,} feed fetches and {news.pages:,} article pages")
    recent = [c for c in finished if c.get("started") and c.get("finished")]
    if recent:
        print("  last cycles: " + "; ".join(
            f"#{c['cycle']} {c['items_new']} items, {c['documents']} docs, {c['events']} mentions, {c['errors']} errors"
            for c in recent[:5]))
    print(table("API during ingest", clients.latencies, elapsed))
    # memory: growth after the first quarter (the store's caches and the coder warm up before)
    settled = [(t, m) for t, m in memory if t >= elapsed / 4]
    growth = (settled[-1][1] - settled[0][1]) / 2**20 if len(settled) > 1 else 0.0
    print(f"  server RSS: {memory[0][1] / 2**20:,.0f} MB at start, {settled[0][1] / 2**20:,.0f} MB after a quarter, "
          f"{memory[-1][1] / 2**20:,.0f} MB at the end; growth after the first quarter {growth:+,.0f} MB "
          f"({slope(settled):+.1f} MB/min)" if settled else "  server RSS: not sampled")
    flat = memory_report(read_samples(probe_out), args.max_slope)
    failed_fetches = sum(c.get("errors") or 0 for c in cycles)
    feed_failures = [f for f in status.get("feeds", []) if f.get("failures")]
    repeated = {k: n for k, n in news.hooks.items() if n > 1}
    logged = [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]
    print(f"  errors: API {len(clients.errors)}, failed fetches (last {len(cycles)} cycles) {failed_fetches}, "
          f"feeds failing {len(feed_failures)}, pages not found {news.missing}, webhooks received twice "
          f"{len(repeated)} (of {len(news.hooks)}), server ERROR lines {len(logged)}")
    distinct = Counter([*clients.errors, *(f["last_error"] for f in feed_failures), *logged])
    for message, n in distinct.most_common(10):
        print(f"    {n} x {message}")
    errors = len(clients.errors) + failed_fetches + len(feed_failures) + news.missing + len(repeated) + len(logged)
    if not flat:
        errors += 1
    return errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=20, help="new items per feed per fetch")
    ap.add_argument("--clients", type=int, default=2, help="API client threads")
    ap.add_argument("--workers", type=int, default=1, help="the monitor's coding processes")
    ap.add_argument("--db", type=Path, default=None, help="the store (default: a new one in a temporary folder)")
    ap.add_argument("--memory-limit", metavar="SIZE",
                    help="DuckDB's buffer cap in the server ($REDLINE_MEMORY_LIMIT, e.g. 256MB; default a quarter "
                         "of the machine's memory): the store's cache grows with the store up to it")
    ap.add_argument("--max-slope", type=float, default=MAX_SLOPE,
                    help="growth of the server's memory outside DuckDB after the first quarter of the run that "
                         "still counts as flat, in MB per minute")
    ap.add_argument("--probe", type=Path, default=None, help=argparse.SUPPRESS)  # bench/soak_probe.py's output
    args = ap.parse_args()
    if args.memory_limit:
        os.environ["REDLINE_MEMORY_LIMIT"] = args.memory_limit  # the server started below inherits it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the server is stopped too
    sys.exit(1 if soak(args) else 0)


if __name__ == "__main__":
    main()
