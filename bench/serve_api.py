"""The server's speed: ``/api/events`` and ``/api/series`` on a 10-million-event store.

    python bench/serve_api.py [--events 10000000] [--db /tmp/redline-bench-10m.duckdb]
                              [--requests 2000] [--clients 8] [--connection shared|per-request]

Builds (once; reused while it holds ``--events`` events) a synthetic store with
``bench/store_query.py``'s ``generate`` and ``add_pages``, starts ``redline serve`` on it as its
own process on loopback, and measures with a bounded client: first each target query alone
(one client, sequential), then ``--requests`` requests from ``--clients`` concurrent clients
mixing event lists for dyads and dates from a fixed seed, their next pages, series by week,
event pages and the status. Prints p50/p95/p99 per endpoint, errors (non-2xx or exceptions),
throughput and the server's RSS before and after; exits 1 on any error. Endpoints the server
does not have yet (not in its ``/openapi.json``) are skipped with a note.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator, Sequence

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]

from store_query import COUNTRIES, add_pages, generate  # noqa: E402

TARGET = "/api/events?dyad=RUS:UKR&from=2022-01-01&to=2022-12-31"
TARGET_SERIES = "/api/series?dyad=RUS:UKR&freq=week"
DYADS = [f"{a}:{b}" for a in COUNTRIES[:12] for b in COUNTRIES[:12] if a != b]


def build(db: Path, n: int) -> tuple[float | None, int]:
    """Make ``db`` a store of ``n`` synthetic events with their documents and mentions (kept when
    it has them already); returns the build time (None when reused) and the file size."""
    from redline.store import Store
    if db.exists():
        try:
            with Store(db, read_only=True) as store:
                if store.counts() == {"documents": (n + 9) // 10, "mentions": n, "events": n}:
                    return None, db.stat().st_size
        except Exception:  # a store cut short by an earlier run: build it again
            pass
        db.unlink()
    started = time.perf_counter()
    with Store(db) as store:
        store.sql("SET enable_progress_bar = false").fetchall()
        generate(store, n)
        add_pages(store)
        store.sql("CHECKPOINT").fetchall()
    return time.perf_counter() - started, db.stat().st_size



def free_port() -> int:
    """A TCP port nothing listens on now, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """``redline serve`` running as its own process."""

    process: subprocess.Popen
    url: str
    log: Path  # the server's stderr (a pipe nobody reads would fill and stall the server)

    def rss(self) -> int:
        """The server process's resident memory, in bytes."""
        import psutil
        return psutil.Process(self.process.pid).memory_info().rss


def start(db: Path, connection: str | None = None, timeout: float = 60.0, args: Sequence[str] = (),
          command: Sequence[str] = ("-m", "redline")) -> Server:
    """Start ``python -m redline serve`` on ``db`` (with more ``args``; ``command``: what runs in
    place of ``-m redline``) at a free loopback port; wait until it answers."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    log = Path(tempfile.mkstemp(prefix="redline-serve-", suffix=".log")[1])
    with log.open("wb") as err:
        process = subprocess.Popen([sys.executable, *command, "serve", "--db", str(db), "--port", str(port),
                                    *(("--connection", connection) if connection else ()), *args],
                                   env=env, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redline serve stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/api/status", timeout=5).status_code == 200:
                return Server(process, url, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"redline serve did not answer in {timeout:.0f} s")


def stop(server: Server) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def available(client: httpx.Client) -> set[str]:
    """The API paths the server has (from its OpenAPI schema)."""
    return set(client.get("/openapi.json").json().get("paths", {}))


@dataclass
class Request:
    """One request of the mix: what it is called in the table, and its URL."""

    endpoint: str
    url: str


def mix(paths: set[str], n: int, seed: int = 12) -> Iterator[Request]:
    """``n`` requests drawn with a fixed seed from the endpoints the server has: event lists for
    dyads and years (RUS:UKR 2022 the most), series by week, event pages, the status. Next pages
    and event pages need an event list's answer, so the clients make those (``Load.follow``)."""
    rng = random.Random(seed)
    kinds = [("status", 1)]
    if "/api/events" in paths:
        kinds += [("events", 4), ("events target", 2)]
    if "/api/series" in paths:
        kinds += [("series", 3)]
    names, weights = zip(*kinds)
    for _ in range(n):
        kind = rng.choices(names, weights)[0]
        if kind == "status":
            yield Request("status", "/api/status")
        elif kind == "events target":
            yield Request("events", TARGET)
        elif kind == "events":
            year = rng.randint(2015, 2025)
            start = date(year, 1, 1) + timedelta(days=rng.randint(0, 300))
            end = start + timedelta(days=rng.choice((7, 30, 90, 365)))
            yield Request("events", f"/api/events?dyad={rng.choice(DYADS)}&from={start}&to={end}")
        else:
            yield Request("series", TARGET_SERIES if rng.random() < 0.4
                          else f"/api/series?dyad={rng.choice(DYADS)}&freq=week")


def rows_and_next(body: object) -> tuple[list[dict], str | None]:
    """An event list's rows and the URL of its next page (a link, or a cursor for ``after``)."""
    if not isinstance(body, dict):
        return [], None
    rows = next((v for k, v in body.items() if k in ("events", "rows", "data", "items") and isinstance(v, list)), [])
    following = body.get("next") or (body.get("links") or {}).get("next")
    return [r for r in rows if isinstance(r, dict)], following


@dataclass
class Load:
    """What the clients measured: seconds per endpoint, errors, and the work still to do."""

    paths: set[str]
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    follow: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, client: httpx.Client, request: Request) -> None:
        """Make one request and note its time; an event list's answer adds its next page and one
        of its events to ``follow``."""
        started = time.perf_counter()
        try:
            response = client.get(request.url)
            took = time.perf_counter() - started
            ok = 200 <= response.status_code < 300
            body = response.json() if ok and request.endpoint == "events" else None
        except Exception as e:  # noqa: BLE001 - a failed request is an error to count, whatever it is
            with self.lock:
                self.errors.append(f"{request.url}: {type(e).__name__}: {e}")
            return
        with self.lock:
            self.latencies[request.endpoint].append(took)
            if not ok:
                self.errors.append(f"{request.url}: {response.status_code} {response.text[:200]}")
            if body is not None:
                rows, following = rows_and_next(body)
                if following:
                    link = following if following.startswith(("/", "http")) else \
                        f"{request.url}&after={following}"
                    self.follow.append(Request("events next", link))
                if rows and any(p.startswith("/api/events/{") for p in self.paths):
                    self.follow.append(Request("event", f"/api/events/{rows[len(rows) // 2]['event_key']}"))


def run(url: str, requests: list[Request], clients: int, paths: set[str]) -> tuple[Load, float]:
    """Send ``requests`` from ``clients`` threads (each its own connection), taking a waiting
    next page or event page before the next planned request half the time; returns the
    measurements and the wall time."""
    load = Load(paths)
    planned = list(reversed(requests))
    total = len(requests)
    sent = [0]
    rng = random.Random(7)

    def take() -> Request | None:
        with load.lock:
            if sent[0] >= total:
                return None
            sent[0] += 1
            if load.follow and (rng.random() < 0.5 or not planned):
                return load.follow.pop(rng.randrange(len(load.follow)))
            return planned.pop() if planned else None

    def client_loop() -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            while (request := take()) is not None:
                load.get(client, request)

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return load, time.perf_counter() - started


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds."""
    if len(seconds) == 1:
        return (seconds[0] * 1000,) * 3
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def table(title: str, latencies: dict[str, list[float]], wall: float | None = None) -> str:
    """A table of p50/p95/p99 per endpoint (and the throughput, given the wall time)."""
    lines = [title, f"  {'endpoint':<16}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}"]
    for name, seconds in sorted(latencies.items()):
        p50, p95, p99 = percentiles(seconds)
        lines.append(f"  {name:<16}{len(seconds):>6}{p50:>10.1f}{p95:>10.1f}{p99:>10.1f}{max(seconds) * 1000:>10.1f}")
    everything = [s for seconds in latencies.values() for s in seconds]
    if everything:
        p50, p95, p99 = percentiles(everything)
        lines.append(f"  {'all':<16}{len(everything):>6}{p50:>10.1f}{p95:>10.1f}{p99:>10.1f}"
                     f"{max(everything) * 1000:>10.1f}")
    if wall:
        lines.append(f"  throughput: {len(everything) / wall:.1f} requests/s ({len(everything)} in {wall:.1f} s)")
    return "\n".join(lines)


def sequential(url: str, paths: set[str], repeat: int) -> dict[str, list[float]]:
    """The two target queries (and the status) one at a time, ``repeat`` times each."""
    load = Load(paths)
    targets = [Request("status", "/api/status")]
    if "/api/events" in paths:
        targets.append(Request("events RUS:UKR", TARGET))
    if "/api/series" in paths:
        targets.append(Request("series RUS:UKR", TARGET_SERIES))
    with httpx.Client(base_url=url, timeout=60) as client:
        for request in targets:
            for _ in range(repeat):
                load.get(client, request)
    if load.errors:
        raise RuntimeError("; ".join(load.errors[:3]))
    return load.latencies


def measure(db: Path, requests: int, clients: int, connection: str | None, repeat: int = 20) -> int:
    """Start a server on ``db``, run the single-client and the concurrent measurements, print
    them; returns the number of errors."""
    server = start(db, connection)
    try:
        with httpx.Client(base_url=server.url) as client:
            paths = available(client)
        missing = [p for p in ("/api/events", "/api/events/{id}", "/api/series")
                   if not any(q.startswith(p.split("{")[0].rstrip("/")) and ("{" in q) == ("{" in p) for q in paths)]
        if missing:
            print(f"not in this server's API yet, skipped: {', '.join(missing)}")
        print(f"connection: {connection or 'server default'}")
        print(table(f"one client, sequential ({repeat} each; the first is cold)", sequential(server.url, paths, repeat)))
        before = server.rss()
        load, wall = run(server.url, list(mix(paths, requests)), clients, paths)
        after = server.rss()
        print(table(f"{clients} concurrent clients, {requests:,} requests", load.latencies, wall))
        print(f"  errors: {len(load.errors)}")
        for message in load.errors[:10]:
            print(f"    {message}")
        print(f"  server RSS: {before / 2**20:,.0f} MB before the load, {after / 2**20:,.0f} MB after")
        logged = server.log.read_text(errors="replace").strip()
        if logged:
            print("  the server logged:\n    " + "\n    ".join(logged.splitlines()[-20:]))
        return len(load.errors)
    finally:
        stop(server)
        server.log.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/redline-bench-10m.duckdb"))
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--connection", action="append", choices=("per-request", "shared"),
                    help="how the server opens the store (repeat to compare); default: the server's own")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the server is stopped too
    took, size = build(args.db, args.events)
    print(f"store {args.db}: {args.events:,} events, {size / 2**20:,.0f} MB, "
          + ("reused" if took is None else f"built in {took:.0f} s"))
    errors = 0
    for connection in args.connection or [None]:
        errors += measure(args.db, args.requests, args.clients, connection)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build-only"]:
        took, size = build(Path(sys.argv[3]), int(sys.argv[2]))
        print(f"built in {took} s, {size / 2**20:,.0f} MB")
    else:
        main()
