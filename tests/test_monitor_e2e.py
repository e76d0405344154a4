"""End to end: ``redline monitor`` and ``redline serve --feeds`` as processes, against a news site
and a webhook receiver on loopback (``news_site``). New items picked up over several cycles, coded,
a rule fired, each alert delivered exactly once; SIGKILL mid-cycle and a restart lose nothing and
duplicate nothing; the read commands read the owner's snapshot meanwhile."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import run_cli
from news_site import NewsSite, wait_for
from redline.store import Store

pytestmark = pytest.mark.slow

RULES = """rules:
  - name: russia-shells-ukraine
    source: RUS
    target: UKR
    types: [ASSAULT]
"""
ALERTING = ("vovchansk-shelling", "kupiansk-strikes", "kherson-drone-attack")  # one alert each (different days)


def write_feeds(tmp_path: Path, site: NewsSite) -> Path:
    (tmp_path / "rules.yaml").write_text(RULES)
    path = tmp_path / "feeds.yaml"
    path.write_text(f"feeds:\n  - url: {site.url('/feed.xml')}\n    publisher: Loopback News\n    every: 5s\n"
                    f"rules: rules.yaml\nnotify:\n  webhooks: [{site.url('/hook')}]\n  retries: 3\n")
    return path


def start(*args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "redline", *args], stdout=subprocess.DEVNULL,
                            stderr=open(log, "ab"), env={**os.environ, "PYTHONUNBUFFERED": "1"})


def status(db: Path) -> dict:
    """``redline status --json``: while the store is owned, read from the owner's snapshot."""
    p = run_cli("status", "--db", str(db), "--json")
    assert p.returncode == 0, p.stderr.decode()
    return json.loads(p.stdout)


def stored_items(db: Path) -> int:
    try:
        return sum(f["items_total"] for f in status(db)["feeds"])
    except AssertionError:  # no snapshot yet
        return 0


def test_monitor_cycles_alerts_once_and_survives_sigkill(tmp_path):
    db, log = tmp_path / "news.duckdb", tmp_path / "monitor.log"
    with NewsSite() as site:
        feeds = write_feeds(tmp_path, site)
        args = ("monitor", str(feeds), "--db", str(db), "--allow-private")
        site.publish("vovchansk-shelling", "lithuania-sanctions-threat")
        proc = start(*args, log=log)
        try:
            wait_for(lambda: len(site.hooks) == 1, timeout=90)
            assert stored_items(db) == 2 or wait_for(lambda: stored_items(db) == 2, timeout=30)

            # the query command reads the snapshot while the monitor owns the store
            q = run_cli("query", "--db", str(db), "--format", "jsonl", "--text", "Vovchansk")
            assert q.returncode == 0 and "Vovchansk" in q.stdout.decode()
            assert f"owned by process {proc.pid} (monitor)" in q.stderr.decode()

            site.publish("kupiansk-strikes")  # picked up by a later cycle
            wait_for(lambda: len(site.hooks) == 2, timeout=60)

            # SIGKILL while an article is being fetched
            site.slow["/news/kherson-drone-attack"] = slow = __import__("threading").Event()
            site.publish("lebanon-border-raids", "kherson-drone-attack")
            wait_for(lambda: "/news/kherson-drone-attack" in site.requests, timeout=60)
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
        del site.slow["/news/kherson-drone-attack"]
        slow.set()

        # restart; SIGKILL again right after it says it is storing
        mark = log.stat().st_size
        proc = start(*args, log=log)
        try:
            wait_for(lambda: b"storing" in log.read_bytes()[mark:], timeout=90, every=0.02)
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()

        site.publish("grain-talks-ankara")
        proc = start(*args, log=log)
        try:
            wait_for(lambda: len(site.hooks) >= 3 and stored_items(db) == 6, timeout=120)
            time.sleep(6)  # one more cycle: nothing more is sent
            proc.send_signal(signal.SIGTERM)  # stops after the current step
            assert proc.wait(60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
        assert not Path(f"{db}.owner.json").exists()  # the store is given up

    with Store(db, read_only=True) as store:
        docs = store.rows("SELECT url, count(*) AS n FROM documents GROUP BY url ORDER BY url")
        assert [d["n"] for d in docs] == [1] * 6  # every article stored, once
        assert sorted(d["url"].rsplit("/", 1)[1] for d in docs) == sorted(
            ["vovchansk-shelling", "lithuania-sanctions-threat", "kupiansk-strikes", "lebanon-border-raids",
             "kherson-drone-attack", "grain-talks-ankara"])
        items = store.rows("SELECT status, count(*) AS n FROM feed_items GROUP BY status")
        assert items == [{"status": "stored", "n": 6}]
        alerts = {r[0] for r in store.sql("SELECT alert_id FROM alerts").fetchall()}
        delivered = store.rows("SELECT alert_id, attempts, delivered_at FROM deliveries")
        cycles = store.rows("SELECT cycle, finished FROM monitor_cycles ORDER BY cycle")
    ids = [h[0] for h in site.hooks]
    assert len(alerts) == 3 and sorted(ids) == sorted(alerts)  # each alert delivered exactly once
    assert all(h[1]["alert_id"] == h[0] for h in site.hooks)
    assert all(d["delivered_at"] is not None for d in delivered) and len(delivered) == 3
    assert sum(1 for c in cycles if c["finished"] is None) == 2  # the two killed cycles
    text = log.read_text()
    assert "feed http://127.0.0.1" in text and "cycle 1:" in text


def test_once_exits_3_when_an_alert_fires_and_status_shows_the_cycles(tmp_path):
    db = tmp_path / "news.duckdb"
    with NewsSite() as site:
        feeds = write_feeds(tmp_path, site)
        site.publish("vovchansk-shelling")
        first = subprocess.run([sys.executable, "-m", "redline", "monitor", str(feeds), "--db", str(db), "--once",
                                "--allow-private"], capture_output=True, timeout=300)
        assert first.returncode == 3, first.stderr.decode()
        assert len(site.hooks) == 1
        again = subprocess.run([sys.executable, "-m", "redline", "monitor", str(feeds), "--db", str(db), "--once",
                                "--allow-private"], capture_output=True, timeout=300)
        assert again.returncode == 0, again.stderr.decode()
        assert len(site.hooks) == 1  # not due: nothing fetched, nothing sent
    table = run_cli("status", "--db", str(db))
    out = table.stdout.decode()
    assert table.returncode == 0 and site.url("/feed.xml") in out and "items_new" in out
    data = json.loads(run_cli("status", "--db", str(db), "--json").stdout)
    assert [c["cycle"] for c in data["cycles"]] == [2, 1]
    assert data["cycles"][1]["documents"] == 1 and data["cycles"][1]["alerts"] == 1
    assert data["feeds"][0]["items_total"] == 1 and data["feeds"][0]["failures"] == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, json.loads(r.read())


def test_serve_with_feeds_answers_during_a_cycle_and_shows_it(tmp_path):
    import threading
    db, log = tmp_path / "news.duckdb", tmp_path / "serve.log"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with NewsSite() as site:
        feeds = write_feeds(tmp_path, site)
        site.publish("vovchansk-shelling")
        proc = start("serve", "--db", str(db), "--feeds", str(feeds), "--allow-private", "--port", str(port), log=log)
        try:
            alerts = wait_for(lambda: _try(lambda: _get(f"{base}/api/alerts")[1]), timeout=120)
            assert [a["rule"] for a in alerts] == ["russia-shells-ukraine"]
            wait_for(lambda: len(site.hooks) == 1, timeout=30)
            # hold a cycle open on a slow article, and read the API meanwhile
            site.slow["/news/kupiansk-strikes"] = slow = threading.Event()
            site.publish("kupiansk-strikes")
            wait_for(lambda: "/news/kupiansk-strikes" in site.requests, timeout=60)
            code, body = _get(f"{base}/api/status")
            assert code == 200 and body["cycles"][0]["finished"] is None  # the running cycle
            assert body["feeds"][0]["feed_url"] == site.url("/feed.xml") and body["counts"]["documents"] == 1
            code, events = _get(f"{base}/api/events?limit=5")
            assert code == 200 and events["events"]
            q = run_cli("query", "--db", str(db), "--format", "jsonl")
            assert q.returncode == 0 and "(serve)" in q.stderr.decode() and "Vovchansk" in q.stdout.decode()
            exported = run_cli("export", "csv", "-o", str(tmp_path / "events.csv"), "--db", str(db))
            assert exported.returncode == 0 and "Vovchansk" in (tmp_path / "events.csv").read_text()
            for command in (("redlines",), ("trend", "--dyad", "RUS:UKR")):
                p = run_cli(*command, "--db", str(db))
                assert p.returncode == 0 and "reading its snapshot" in p.stderr.decode(), p.stderr.decode()
            written = run_cli("watch", "--db", str(db))  # a write: refused while the server owns the store
            assert written.returncode == 2 and "in use by another process" in written.stderr.decode()
            slow.set()
            wait_for(lambda: len(site.hooks) == 2, timeout=60)
            code, body = _get(f"{base}/api/status")
            assert body["counts"]["documents"] == 2 and body["counts"]["alerts"] == 2
            assert {c["documents"] for c in body["cycles"]} >= {1} and body["pending_deliveries"] == 0
            proc.send_signal(signal.SIGINT)
            assert proc.wait(60) in (0, 130)  # uvicorn ends with the signal's status after shutting down
        finally:
            if proc.poll() is None:
                proc.kill()
    assert not Path(f"{db}.owner.json").exists() and not Path(f"{db}.snapshot").exists()  # shut down cleanly
    assert sorted(h[0] for h in site.hooks) == sorted(
        r[0] for r in Store(db, read_only=True).sql("SELECT alert_id FROM alerts").fetchall())


def _try(call):
    try:
        return call()
    except OSError:
        return None
