"""One monitor cycle: fetch the due feeds, fetch their new articles, code and store them, evaluate
the watch rules and red lines, deliver the new alerts; and the loop that runs cycles until stopped.

What a SIGKILL at any point leaves: an article's ``feed_items`` row is written in the transaction
that stores its document, and a feed's new ETag (after which the feed answers 304) only after all
its items are recorded; so a restarted monitor fetches again exactly what was not stored, and
stores nothing twice. A feed or article that fails is logged, recorded, and tried again later
(feeds with exponential backoff): never fatal.
"""
from __future__ import annotations

import gc
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from ..store import Store
from ..store.rows import document_key
from . import state
from .deliver import Targets, deliver_due, queue_alerts
from .memory import trim_heap

log = logging.getLogger("redline.monitor")

FETCH_THREADS = 8   # feeds, then articles, fetched at once
ERROR_PAUSE = 30.0  # seconds before the next cycle after one failed unexpectedly
MIN_SLEEP = 0.5     # seconds between cycles at least


@dataclass
class Options:
    """How the monitor runs (``redline monitor`` / ``serve --feeds`` options)."""

    rules: Path | None = None          # watch rules file (the feeds file's, or --rules)
    targets: Targets = field(default_factory=Targets)
    workers: int = 1                   # coding processes (1: in this process)
    fetch_threads: int = FETCH_THREADS
    redlines: bool = True              # evaluate red-line crossings too
    coding_lock: Any = None            # held while coding: the server's, whose requests share the spaCy pipeline


@dataclass
class Pending:
    """An article a feed listed for the first time, on its way to the store."""

    item: Any                          # feeds.parse.Item
    document: Any = None               # schema.Document, once fetched and extracted
    key: str | None = None             # its document key
    status: str | None = None          # set when it will not be stored: duplicate, no_text, error
    error: str | None = None


class Monitor:
    """Runs cycles over a feeds file on an open store (the process's own connection or a cursor of it)."""

    def __init__(self, store: Store, feeds: Any, options: Options, fetcher: Any,
                 stop: threading.Event | None = None, on_cycle: Callable[[dict[str, Any]], None] | None = None) -> None:
        from ..analytics.watch import load_rules
        self.store, self.feeds, self.options, self.fetcher = store, feeds, options, fetcher
        self.stop = stop or threading.Event()
        self.on_cycle = on_cycle
        self.rules = load_rules(options.rules) if options.rules is not None else []  # RuleError: caller's

    # -- scheduling ---------------------------------------------------------------------------
    def due(self, now: datetime) -> list[Any]:
        """The feeds due at ``now`` (never fetched, or their ``next_due`` passed)."""
        states = state.feed_states(self.store)
        return [f for f in self.feeds.feeds
                if f.url not in states or states[f.url].next_due is None or states[f.url].next_due <= now]

    def next_wake(self) -> datetime | None:
        """When the next feed or delivery retry is due."""
        states = state.feed_states(self.store)
        times = [states[f.url].next_due if f.url in states else None for f in self.feeds.feeds]
        if any(t is None for t in times):
            return state.utcnow()
        targets = self.options.targets.names()
        retry = self.store.sql("SELECT min(next_try) FROM deliveries WHERE delivered_at IS NULL AND target IN "
                               "(SELECT unnest(?::VARCHAR[]))", [targets]).fetchall()[0][0] if targets else None
        return min([t for t in times if t is not None] + ([retry] if retry else []), default=None)

    def run(self, once: bool = False, max_sleep: float = 60.0) -> int:
        """Cycles until ``stop`` is set (``once``: one cycle); returns the alerts that fired."""
        fired = 0
        while not self.stop.is_set():
            try:
                fired += self.cycle()["alerts"]
            except Exception:  # a bug or a full disk: logged, and tried again (the store rolled back)
                log.exception("the cycle failed; trying again in %.0fs", ERROR_PAUSE)
                if once:
                    raise
                self.stop.wait(ERROR_PAUSE)
                continue
            finally:
                gc.collect()  # the cycle's garbage in reference cycles (a thousand objects or two), then
                trim_heap()  # what the cycle freed goes back to the system (monitor.memory)
            if once:
                break
            wake = self.next_wake()
            pause = max_sleep if wake is None else (wake - state.utcnow()).total_seconds()
            self.stop.wait(min(max(pause, MIN_SLEEP), max_sleep))
        return fired

    # -- one cycle ----------------------------------------------------------------------------
    def cycle(self) -> dict[str, Any]:
        """One cycle; returns its counts (as recorded in ``monitor_cycles``)."""
        now = state.utcnow()
        number = state.start_cycle(self.store, now)
        counts: dict[str, Any] = {c: 0 for c in state.CYCLE_COUNTS}
        counts["cycle"] = number
        due = self.due(now)
        log.info("cycle %d: %d of %d feed(s) due", number, len(due), len(self.feeds.feeds))
        states = state.feed_states(self.store)
        updated: list[state.FeedState] = []
        pending: list[Pending] = []
        claimed: set[str] = set()
        validators: dict[str, tuple[str | None, str | None]] = {}
        fresh_states = {f.url: states.get(f.url) or state.FeedState(f.url, failures=0, items_total=0) for f in due}
        answers = self._fetch_feeds(due, fresh_states)
        for feed in due:
            if self.stop.is_set():
                break
            feed_state = fresh_states[feed.url]
            validators[feed.url] = (feed_state.etag, feed_state.last_modified)
            feed_state.publisher = feed.publisher or feed_state.publisher
            new, error, fetched = self._read_feed(feed, answers[feed.url])
            counts["feeds_polled"] += 1
            if error is not None:
                counts["feeds_failed"] += 1
                counts["errors"] += 1
                feed_state.failed(state.utcnow(), feed.every, error)
                log.warning("feed %s: %s (failure %d; next try %s UTC)", feed.url, error, feed_state.failures,
                            feed_state.next_due.isoformat(timespec="seconds"))
            else:
                fresh = [i for i in new if i.url not in claimed]
                claimed.update(i.url for i in fresh)
                pending.extend(Pending(i) for i in fresh)
                feed_state.succeeded(state.utcnow(), feed.every, fetched.etag if fetched else None,
                                     fetched.last_modified if fetched else None)
                log.info("feed %s: %s, %d item(s) new", feed.url,
                         "not modified" if fetched is None or fetched.not_modified else f"HTTP {fetched.status}",
                         len(fresh))
            updated.append(feed_state)
        counts["items_new"] = len(pending)
        if pending and not self.stop.is_set():
            self._fetch_articles(pending)
            self._store(pending, counts, now)
        # a feed whose new items were not all stored keeps its old validators, so that its next
        # fetch lists them again instead of answering 304: at once if the cycle was stopped before
        # them, in its time if an article's fetch failed (tried again then)
        unfinished = {p.item.feed_url for p in pending if p.status is None}
        failing = {p.item.feed_url for p in pending if p.status == "error"}
        for feed_state in updated:
            if feed_state.feed_url in unfinished | failing:
                feed_state.etag, feed_state.last_modified = validators[feed_state.feed_url]
            if feed_state.feed_url in unfinished:
                feed_state.next_due = now
        # the feeds' new validators only now: a kill before this refetches them in full
        with self.store.transaction():
            state.record_items(self.store, [self._item_row(p, now) for p in pending if p.status])
            state.save_feed_states(self.store, updated)
        counts["errors"] += sum(1 for p in pending if p.status in ("error", "no_text"))
        if not self.stop.is_set():
            counts["alerts"] = self._alerts()
            counts["delivered"], counts["delivery_failures"] = deliver_due(
                self.store, self.options.targets, stop=self.stop.is_set)
        state.finish_cycle(self.store, number, counts, state.utcnow())
        log.info("cycle %d: %d item(s) new, %d document(s) stored, %d event mention(s), %d alert(s), "
                 "%d delivered, %d delivery failure(s), %d error(s)", number, counts["items_new"],
                 counts["documents"], counts["events"], counts["alerts"], counts["delivered"],
                 counts["delivery_failures"], counts["errors"])
        if self.on_cycle is not None:
            self.on_cycle(counts)
        return counts

    def _fetch_feeds(self, feeds: list[Any], states: dict[str, state.FeedState]) -> dict[str, Any]:
        """Fetch the due feeds, ``fetch_threads`` at a time, conditionally (ETag, Last-Modified):
        each feed's answer, or its ``FetchError``."""
        from ..feeds.fetch import FetchError

        def one(feed: Any) -> Any:
            s = states[feed.url]
            try:
                return self.fetcher.get(feed.url, etag=s.etag, last_modified=s.last_modified,
                                        accept="feed" if feed.kind == "feed" else "text")
            except FetchError as e:
                return e
            except Exception as e:  # a fetcher bug must not end the cycle: the feed failed
                return RuntimeError(f"{type(e).__name__}: {e}")

        with ThreadPoolExecutor(max_workers=max(1, self.options.fetch_threads),
                                thread_name_prefix="redline-feed") as pool:
            return dict(zip([f.url for f in feeds], pool.map(one, feeds)))

    def _read_feed(self, feed: Any, fetched: Any) -> tuple[list[Any], str | None, Any]:
        """One feed's answer read: (its items not seen before, an error or None, the answer)."""
        from ..feeds.parse import parse_feed, parse_url_list
        if isinstance(fetched, Exception):
            return [], str(fetched), None
        if fetched.not_modified:
            return [], None, fetched
        try:
            items = (parse_feed if feed.kind == "feed" else parse_url_list)(fetched, feed)
        except Exception as e:  # a feed that does not parse is that feed's failure, not the monitor's
            return [], f"cannot read it as a {'feed' if feed.kind == 'feed' else 'URL list'}: {e}", None
        unique = list({i.url: i for i in items}.values())
        seen = state.seen_items(self.store, [i.url for i in unique], state.utcnow())
        return [i for i in unique if i.url not in seen], None, fetched

    def _fetch_articles(self, pending: list[Pending]) -> None:
        """Fetch and extract the new articles, ``fetch_threads`` at a time."""
        from ..feeds.extract import article_document
        from ..feeds.fetch import FetchError

        def one(p: Pending) -> None:
            if self.stop.is_set():
                p.status, p.error = "error", "stopped before it was fetched"
                return
            try:
                fetched = self.fetcher.get(p.item.url, accept="html")
                p.document = article_document(fetched, p.item)
            except FetchError as e:
                p.status, p.error = "error", str(e)
                log.warning("article %s: %s", p.item.url, e)
                return
            except Exception as e:  # an extractor failure is this article's, not the cycle's
                p.status, p.error = "error", f"{type(e).__name__}: {e}"
                log.warning("article %s: %s", p.item.url, p.error)
                return
            if p.document is None:
                p.status, p.error = "no_text", "no article text found on the page"
                log.warning("article %s: no article text found", p.item.url)
            else:
                p.key = document_key(p.document)

        with ThreadPoolExecutor(max_workers=max(1, self.options.fetch_threads),
                                thread_name_prefix="redline-fetch") as pool:
            list(pool.map(one, pending))
        if self.stop.is_set():  # not recorded: fetched again by the next run
            for p in pending:
                if p.status == "error" and p.error == "stopped before it was fetched":
                    p.status = None

    def _store(self, pending: list[Pending], counts: dict[str, Any], now: datetime) -> None:
        """Code and store the fetched articles; each item's row goes in its document's transaction."""
        from ..engines import EngineSettings
        from ..store.ingest import ingest
        with_text = [p for p in pending if p.document is not None]
        known = self.store.known(p.key for p in with_text)
        by_key: dict[str, list[Pending]] = {}
        for p in with_text:
            if p.key in known or p.key in by_key:
                p.status, p.error = "duplicate", "this publication (text, publisher, url, date) is stored already"
            by_key.setdefault(p.key, []).append(p)
        documents = [p.document for p in with_text if p.status is None]
        if not documents:
            return

        def within(store: Store, rows: list[dict[str, Any]]) -> None:
            items = []
            for row in rows:
                for p in by_key.get(row["doc_key"], []):
                    if p.status is None:
                        p.status = "stored"
                        items.append(self._item_row(p, now))
            state.record_items(store, items)

        log.info("storing %d article(s)", len(documents))
        with self.options.coding_lock or nullcontext():
            stats = ingest(documents, self.store, settings=EngineSettings(workers=self.options.workers),
                           within=within)
        counts["documents"] += stats.new_documents
        counts["events"] += stats.mentions
        for p in with_text:
            if p.status is None:  # coding failed
                failed = next((str(e) for e in stats.errors if f"'{p.document.id}'" in e.message), None)
                p.status, p.error = "error", failed or "coding failed"
                log.warning("article %s: %s", p.item.url, p.error)

    def _item_row(self, p: Pending, now: datetime) -> dict[str, Any]:
        item = p.item
        published = state.as_date(getattr(p.document, "date", None)) or state.as_date(item.published)
        return {"item_url": item.url, "feed_url": item.feed_url, "publisher": getattr(p.document, "source", None)
                or item.publisher, "published": published, "first_seen": now,
                "doc_key": p.key if p.status in ("stored", "duplicate") else None,
                "status": p.status, "error": p.error}

    def _alerts(self) -> int:
        """Evaluate the watch rules and red lines as ``redline watch`` does; each new alert is queued
        for every target in the transaction that records it."""
        from ..analytics.watch import evaluate
        from ..redlines.crossings import evaluate_crossings
        within = queue_alerts(self.options.targets)
        alerts = evaluate(self.store, self.rules, record=True, within=within)
        if self.options.redlines:
            alerts += evaluate_crossings(self.store, record=True, within=within)
        for a in alerts:
            log.warning("ALERT %s %s..%s: %s; %d new event(s)", a.rule, a.window_start, a.window_end, a.detail,
                        len(a.new_events))
        return len(alerts)
