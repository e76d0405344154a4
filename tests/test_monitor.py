"""The monitor in this process, against a news site on loopback (``news_site``): new items only,
state kept in the store, publications kept, alerts queued and delivered once, misbehaving feeds
backed off, item rows written with their documents, reads concurrent with a cycle."""
from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from news_site import ARTICLES, NewsSite
from redline.feeds.config import load_feeds
from redline.feeds.fetch import Fetcher, FetchPolicy
from redline.monitor import state
from redline.monitor.cycle import Monitor, Options
from redline.monitor.deliver import Targets
from redline.monitor.status import monitor_status
from redline.store import Store
from redline.store.migrate import SCHEMA_VERSION

RULES = """rules:
  - name: russia-shells-ukraine
    source: RUS
    target: UKR
    types: [ASSAULT]
"""


def feeds_file(tmp_path: Path, *entries: str, notify: str = "", rules: bool = False) -> Path:
    if rules:
        (tmp_path / "rules.yaml").write_text(RULES)
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n" + "".join(entries) + ("rules: rules.yaml\n" if rules else "") + notify)
    return path


def feed(url: str, publisher: str, every: str = "5m") -> str:
    return f"  - url: {url}\n    publisher: {publisher}\n    every: {every}\n"


def monitor_on(store: Store, path: Path, fetcher: Fetcher, **options) -> Monitor:
    feeds = load_feeds(path)
    targets = Targets(webhooks=feeds.notify.webhooks, command=feeds.notify.command, attempts=feeds.notify.retries)
    return Monitor(store, feeds, Options(rules=feeds.rules, targets=targets, **options), fetcher)


def make_due(store: Store) -> None:
    store.sql("UPDATE feed_state SET next_due = ?", [state.utcnow() - timedelta(seconds=1)]).fetchall()


@pytest.fixture()
def fetcher():
    with Fetcher(FetchPolicy(allow_private=True, timeout=5, deadline=10)) as f:
        yield f


def test_a_version_3_store_reads_as_it_is_and_gains_the_monitor_tables_when_written(tmp_path):
    path = tmp_path / "v3.duckdb"
    with Store(path) as s:
        for t in ("feed_state", "feed_items", "deliveries", "monitor_cycles"):
            s.sql(f"DROP TABLE {t}")
        s.sql("UPDATE store_info SET value = '3' WHERE key = 'schema_version'")
    with Store(path, read_only=True) as s:
        assert monitor_status(s) == {"feeds": [], "cycles": [], "pending_deliveries": 0}
    with Store(path) as s:
        assert s.sql("SELECT value FROM store_info WHERE key = 'schema_version'").fetchall() == [(str(SCHEMA_VERSION),)]
        assert s.sql("SELECT count(*) FROM feed_items").fetchall() == [(0,)]


@pytest.mark.slow
def test_new_items_only_conditional_fetch_and_state_kept(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("vovchansk-shelling", "lithuania-sanctions-threat")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")), fetcher)
        first = m.cycle()
        assert (first["feeds_polled"], first["items_new"], first["documents"]) == (1, 2, 2) and first["events"] > 0
        items = store.rows("SELECT item_url, status, doc_key, publisher, published FROM feed_items ORDER BY item_url")
        assert [i["status"] for i in items] == ["stored", "stored"]
        docs = store.rows("SELECT doc_key, url, publisher, published FROM documents ORDER BY url")
        assert [(d["doc_key"], d["url"], d["publisher"]) for d in docs] == \
            [(i["doc_key"], i["item_url"], "Loopback News") for i in items]
        assert str(docs[0]["published"]) == str(ARTICLES["lithuania-sanctions-threat"]["date"])

        assert m.cycle()["feeds_polled"] == 0  # not due yet
        make_due(store)
        before = len(site.requests)
        again = m.cycle()  # the feed answers 304 to its ETag: nothing fetched but the feed
        assert (again["feeds_polled"], again["items_new"]) == (1, 0) and site.requests[before:] == ["/feed.xml"]

        site.publish("kupiansk-strikes")
        make_due(store)
        before = len(site.requests)
        third = m.cycle()
        assert (third["items_new"], third["documents"]) == (1, 1)
        assert site.requests[before:] == ["/feed.xml", "/news/kupiansk-strikes"]  # the old items are not refetched
        assert store.sql("SELECT count(*) FROM documents").fetchall() == [(3,)]
        status = monitor_status(store)
        assert status["feeds"][0]["items_total"] == 3 and status["feeds"][0]["failures"] == 0
        assert [c["cycle"] for c in status["cycles"]] == [4, 3, 2, 1] and status["cycles"][0]["documents"] == 1


@pytest.mark.slow
def test_a_syndicated_copy_is_kept_as_its_own_publication(tmp_path, fetcher):
    with NewsSite("Loopback News") as one, NewsSite("Second Wire") as two, Store(tmp_path / "news.duckdb") as store:
        one.publish("kherson-drone-attack")
        two.publish("kherson-drone-attack")  # the same text at another publisher and address
        m = monitor_on(store, feeds_file(tmp_path, feed(one.url("/feed.xml"), "Loopback News"),
                                         feed(two.url("/feed.xml"), "Second Wire")), fetcher)
        counts = m.cycle()
        assert (counts["items_new"], counts["documents"]) == (2, 2)
        docs = store.rows("SELECT doc_key, text_key, publisher FROM documents ORDER BY publisher")
        assert [d["publisher"] for d in docs] == ["Loopback News", "Second Wire"]
        assert docs[0]["text_key"] == docs[1]["text_key"] and docs[0]["doc_key"] != docs[1]["doc_key"]
        # the event is told by both publications
        assert store.sql("SELECT max(n_articles), max(n_sources) FROM events").fetchall() == [(2, 2)]
        assert store.sql("SELECT count(*) FROM feed_items WHERE status = 'stored'").fetchall() == [(2,)]


@pytest.mark.slow
def test_an_alert_is_queued_with_its_record_delivered_once_and_retried_after_a_failure(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("vovchansk-shelling", "grain-talks-ankara")
        site.hook_status = 500
        path = feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News"),
                          notify=f"notify:\n  webhooks: [{site.url('/hook')}]\n  retries: 3\n", rules=True)
        m = monitor_on(store, path, fetcher)
        counts = m.cycle()
        assert counts["alerts"] == 1 and counts["delivered"] == 0 and counts["delivery_failures"] == 1
        (alert_id,) = store.sql("SELECT alert_id FROM alerts").fetchall()[0]
        row = store.rows("SELECT * FROM deliveries")[0]
        assert row["alert_id"] == alert_id and row["attempts"] == 1 and row["delivered_at"] is None
        assert "500" in row["last_error"] and row["next_try"] > state.utcnow()  # backed off
        assert m.cycle()["delivery_failures"] == 0  # not due yet: not tried again

        site.hook_status = 200
        store.sql("UPDATE deliveries SET next_try = ?", [state.utcnow()]).fetchall()
        assert m.cycle()["delivered"] == 1
        assert [h[0] for h in site.hooks] == [alert_id]
        payload = site.hooks[0][1]
        assert payload["alert_id"] == alert_id and payload["rule"] == "russia-shells-ukraine"
        assert "Vovchansk" in payload["events"][0]["evidence"][0]["sentence"]
        make_due(store)
        m.cycle()
        assert len(site.hooks) == 1  # delivered: never sent again
        assert monitor_status(store)["pending_deliveries"] == 0


@pytest.mark.slow
def test_deliveries_stop_after_the_configured_attempts(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("vovchansk-shelling")
        site.hook_status = 503
        path = feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News"),
                          notify=f"notify:\n  webhooks: [{site.url('/hook')}]\n  retries: 2\n", rules=True)
        m = monitor_on(store, path, fetcher)
        m.cycle()
        store.sql("UPDATE deliveries SET next_try = ?", [state.utcnow()]).fetchall()
        assert m.cycle()["delivery_failures"] == 1
        row = store.rows("SELECT attempts, next_try, delivered_at FROM deliveries")[0]
        assert row == {"attempts": 2, "next_try": None, "delivered_at": None}  # given up
        assert monitor_status(store)["pending_deliveries"] == 0


@pytest.mark.slow
def test_misbehaving_feeds_are_logged_backed_off_and_never_fatal(tmp_path, caplog):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store, \
            Fetcher(FetchPolicy(allow_private=True, timeout=2, deadline=4, max_bytes=50_000)) as fetcher:
        site.routes.update({
            "/broken.xml": (200, "application/rss+xml", b"<?xml version='1.0'?><rss><channel><item><title>cut"),
            "/page.xml": (200, "text/html", b"<html><body><p>Not a feed at all</p></body></html>"),
            "/error.xml": (500, "text/plain", b"internal error"),
            "/huge.xml": (200, "application/rss+xml", b"<?xml version='1.0'?><rss>" + b" " * 200_000 + b"</rss>"),
        })
        site.publish("kupiansk-strikes")
        bad = ["/broken.xml", "/page.xml", "/error.xml", "/huge.xml"]
        path = feeds_file(tmp_path, *(feed(site.url(p), f"Bad {i}") for i, p in enumerate(bad)),
                          feed(site.url("/feed.xml"), "Loopback News"))
        m = monitor_on(store, path, fetcher)
        with caplog.at_level("WARNING", logger="redline.monitor"):
            counts = m.cycle()
        assert counts["feeds_polled"] == 5 and counts["documents"] == 1  # the good feed is not held up
        states = state.feed_states(store)
        failed = {u: s for u, s in states.items() if s.failures}
        assert counts["feeds_failed"] == len(failed) >= 3
        assert {site.url("/error.xml"), site.url("/huge.xml"), site.url("/page.xml")} <= set(failed)
        assert all(s.last_error for s in failed.values())
        assert sum(1 for r in caplog.records if r.levelname == "WARNING" and "feed " in r.getMessage()) == len(failed)
        first_due = {u: s.next_due for u, s in failed.items()}
        make_due(store)
        m.cycle()
        states = state.feed_states(store)
        for url, earlier in first_due.items():  # a second failure waits twice as long
            s = states[url]
            assert s.failures == 2 and (s.next_due - s.last_fetch) == timedelta(seconds=300 * 4)
        assert states[site.url("/feed.xml")].failures == 0


@pytest.mark.slow
def test_a_private_address_is_not_fetched_without_allow_private(tmp_path):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store, Fetcher(FetchPolicy()) as fetcher:
        site.publish("kupiansk-strikes")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")), fetcher)
        counts = m.cycle()
        assert counts["feeds_failed"] == 1 and site.requests == []
        assert "127.0.0.1" in state.feed_states(store)[site.url("/feed.xml")].last_error


@pytest.mark.slow
def test_item_rows_are_written_in_the_documents_transaction(tmp_path, fetcher, monkeypatch):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("vovchansk-shelling", "lithuania-sanctions-threat")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")), fetcher)
        real = state.record_items

        def dies(store, rows):  # the process dies while recording the items: nothing of the batch stays
            if rows and rows[0]["status"] == "stored":
                raise KeyboardInterrupt
            real(store, rows)
        monkeypatch.setattr(state, "record_items", dies)
        with pytest.raises(KeyboardInterrupt):
            m.cycle()
        assert store.sql("SELECT count(*) FROM documents").fetchall() == [(0,)]
        assert store.sql("SELECT count(*) FROM feed_items").fetchall() == [(0,)]
        assert store.sql("SELECT count(*) FROM feed_state").fetchall() == [(0,)]  # the ETag not kept either
        monkeypatch.setattr(state, "record_items", real)
        counts = m.cycle()  # fetched again in full, stored once
        assert (counts["items_new"], counts["documents"]) == (2, 2)
        assert store.sql("SELECT count(*) FROM documents").fetchall() == [(2,)]


@pytest.mark.slow
def test_reads_through_cursors_run_while_a_cycle_writes(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish(*ARTICLES)
        writer = store.cursor()
        m = monitor_on(store=writer, path=feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")),
                       fetcher=fetcher)
        done = threading.Event()
        seen: dict[int, list[int]] = {}
        errors: list[BaseException] = []

        def read(n: int) -> None:
            mine = seen.setdefault(n, [])
            while not done.is_set():
                view = store.cursor()
                try:
                    mine.append(view.sql("SELECT count(*) FROM documents").fetchall()[0][0])
                    view.rows("SELECT * FROM events ORDER BY event_key LIMIT 5")
                except BaseException as e:  # noqa: BLE001 - recorded for the assertion
                    errors.append(e)
                finally:
                    view.close()

        readers = [threading.Thread(target=read, args=(n,)) for n in range(3)]
        for t in readers:
            t.start()
        try:
            counts = m.cycle()
        finally:
            done.set()
            for t in readers:
                t.join()
        assert errors == [] and counts["documents"] == len(ARTICLES)
        for counts_read in seen.values():  # each reader saw whole commits, in order
            assert len(counts_read) > 3 and counts_read == sorted(counts_read)
            assert counts_read[0] == 0 and set(counts_read) <= set(range(len(ARTICLES) + 1))


@pytest.mark.slow
def test_a_stop_while_articles_are_fetched_leaves_them_to_the_next_run(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("vovchansk-shelling", "lithuania-sanctions-threat", "kupiansk-strikes")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")), fetcher,
                       fetch_threads=1)
        real = fetcher.get

        def stop_after_first(url, **kw):  # Ctrl-C arrives while the first article is fetched
            if "/news/" in url:
                m.stop.set()
            return real(url, **kw)
        m.fetcher = type("F", (), {"get": staticmethod(stop_after_first)})()
        counts = m.cycle()  # the article being fetched is stored (the step finishes); the others wait
        assert counts["documents"] == 1 and counts["alerts"] == 0
        assert store.sql("SELECT count(*) FROM feed_items").fetchall() == [(1,)]
        s = state.feed_states(store)[site.url("/feed.xml")]
        assert s.etag is None and s.items_total == 1 and s.next_due <= state.utcnow()  # due again, in full
        m.stop.clear()
        m.fetcher = fetcher
        counts = m.cycle()
        assert (counts["items_new"], counts["documents"]) == (2, 2)
        assert store.sql("SELECT count(*), count(DISTINCT url) FROM documents").fetchall() == [(3, 3)]
        assert state.feed_states(store)[site.url("/feed.xml")].items_total == 3


@pytest.mark.slow
def test_an_article_already_stored_is_recorded_as_a_duplicate_not_stored_again(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("lebanon-border-raids", "grain-talks-ankara")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")), fetcher)
        assert m.cycle()["documents"] == 2
        keys = {r[0] for r in store.sql("SELECT doc_key FROM documents").fetchall()}
        store.sql("DELETE FROM feed_items").fetchall()  # the items forgotten (as after `redline ingest` of the pages)
        store.sql("DELETE FROM feed_state").fetchall()
        counts = m.cycle()
        assert (counts["items_new"], counts["documents"]) == (2, 0)
        rows = store.rows("SELECT status, doc_key FROM feed_items")
        assert [r["status"] for r in rows] == ["duplicate", "duplicate"] and {r["doc_key"] for r in rows} == keys
        assert store.sql("SELECT count(*) FROM documents").fetchall() == [(2,)]


@pytest.mark.slow
def test_an_article_that_failed_is_fetched_again_when_its_feed_lists_it_again(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("lebanon-border-raids", "kherson-drone-attack")
        site.routes["/news/kherson-drone-attack"] = (502, "text/plain", b"bad gateway")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")), fetcher)
        counts = m.cycle()
        assert (counts["documents"], counts["errors"]) == (1, 1)
        failed = store.rows("SELECT status, error, first_seen FROM feed_items WHERE item_url LIKE '%kherson%'")[0]
        assert failed["status"] == "error" and "502" in failed["error"]
        assert state.feed_states(store)[site.url("/feed.xml")].etag is None  # so the feed lists it again
        del site.routes["/news/kherson-drone-attack"]
        make_due(store)
        before = len(site.requests)
        counts = m.cycle()
        assert (counts["items_new"], counts["documents"]) == (1, 1)
        assert site.requests[before:] == ["/feed.xml", "/news/kherson-drone-attack"]  # only the failed one again
        again = store.rows("SELECT status, error, first_seen FROM feed_items WHERE item_url LIKE '%kherson%'")[0]
        assert again == {"status": "stored", "error": None, "first_seen": failed["first_seen"]}
        s = state.feed_states(store)[site.url("/feed.xml")]
        assert s.etag is not None and s.items_total == 2


@pytest.mark.slow
def test_an_article_failing_for_a_day_is_given_up(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("lebanon-border-raids")
        site.routes["/news/lebanon-border-raids"] = (404, "text/plain", b"gone")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News")), fetcher)
        m.cycle()
        store.sql("UPDATE feed_items SET first_seen = first_seen - INTERVAL 25 HOUR").fetchall()
        make_due(store)
        before = len(site.requests)
        assert m.cycle()["items_new"] == 0 and site.requests[before:] == ["/feed.xml"]


@pytest.mark.slow
def test_the_monitor_sleeps_until_a_feed_or_a_retry_is_due(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("grain-talks-ankara")
        m = monitor_on(store, feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News", every="10m"),
                                         notify=f"notify:\n  webhooks: [{site.url('/hook')}]\n"), fetcher)
        assert m.next_wake() <= state.utcnow()  # never fetched: now
        m.cycle()
        due = state.feed_states(store)[site.url("/feed.xml")].next_due
        assert m.next_wake() == due and due - state.utcnow() > timedelta(minutes=9)
        soon = state.utcnow() + timedelta(seconds=30)
        store.sql("INSERT INTO deliveries VALUES ('a1', ?, 1, ?, NULL, 'refused'), ('a2', 'webhook:http://gone/', 1, ?,"
                  " NULL, 'refused')", [f"webhook:{site.url('/hook')}", soon, state.utcnow()]).fetchall()
        assert m.next_wake() == soon  # a retry of a target no longer configured does not wake it


@pytest.mark.slow
def test_a_failing_receiver_is_tried_once_per_pass_and_its_alerts_wait(tmp_path, fetcher):
    with NewsSite() as site, Store(tmp_path / "news.duckdb") as store:
        site.publish("vovchansk-shelling", "kupiansk-strikes", "kherson-drone-attack")  # three days: three alerts
        site.hook_status = 503
        path = feeds_file(tmp_path, feed(site.url("/feed.xml"), "Loopback News"),
                          notify=f"notify:\n  webhooks: [{site.url('/hook')}]\n", rules=True)
        m = monitor_on(store, path, fetcher)
        counts = m.cycle()
        assert counts["alerts"] == 3 and counts["delivery_failures"] == 1
        rows = store.rows("SELECT attempts, next_try FROM deliveries ORDER BY attempts")
        assert [r["attempts"] for r in rows] == [0, 0, 1] and len({r["next_try"] for r in rows}) == 1
        site.hook_status = 200
        store.sql("UPDATE deliveries SET next_try = ?", [state.utcnow()]).fetchall()
        assert m.cycle()["delivered"] == 3 and len(site.hooks) == 3
