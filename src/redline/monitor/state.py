"""The monitor's state in the store (tables ``feed_state``, ``feed_items``, ``deliveries``,
``monitor_cycles``, defined in ``data/columns.yaml``): read and written here only.

Times are naive UTC (DuckDB ``TIMESTAMP``). Whatever must survive a kill with the documents it
describes is written in their transaction (``record_items`` is called inside ``Store.add``), so a
monitor killed at any point resumes without refetching what it stored or storing it twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

import pyarrow as pa

from .. import columns as spec
from ..store import Store

ITEM_STATUSES = ("stored", "duplicate", "no_text", "error")
MAX_BACKOFF = 6 * 3600.0  # a failing feed is tried at least every 6 hours
RETRY_ITEMS_FOR = 24 * 3600.0  # an article whose fetch fails is tried again, each time its feed lists it, for a day


def utcnow() -> datetime:
    """Now, as the naive UTC time the store keeps."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class FeedState:
    """What the store remembers of one feed (``feed_state``)."""

    feed_url: str
    publisher: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: datetime | None = None
    last_ok: datetime | None = None
    failures: int = 0
    next_due: datetime | None = None
    last_error: str | None = None
    items_total: int = 0

    def succeeded(self, now: datetime, every: float, etag: str | None, last_modified: str | None) -> None:
        """A fetch that worked: the validators kept for the next conditional request, due again in ``every``."""
        self.etag, self.last_modified = etag or self.etag, last_modified or self.last_modified
        self.last_fetch = self.last_ok = now
        self.failures, self.last_error = 0, None
        self.next_due = now + timedelta(seconds=every)

    def failed(self, now: datetime, every: float, error: str) -> None:
        """A fetch that failed: tried again after ``every * 2**failures`` seconds, at most 6 hours."""
        self.failures += 1
        self.last_fetch, self.last_error = now, error[:1000]
        self.next_due = now + timedelta(seconds=backoff(every, self.failures))


def backoff(every: float, failures: int) -> float:
    """Seconds before a feed that failed ``failures`` times in a row is fetched again."""
    return min(every * 2.0 ** min(failures, 30), max(MAX_BACKOFF, every))


def _names(table: str) -> tuple[str, ...]:
    return spec.table(table).names


def feed_states(store: Store) -> dict[str, FeedState]:
    """Every feed the store remembers, by URL."""
    return {r["feed_url"]: FeedState(**r) for r in store.rows(f"SELECT {', '.join(_names('feed_state'))} "
                                                                "FROM feed_state")}


def save_feed_states(store: Store, states: Iterable[FeedState]) -> None:
    """Write feeds' states (in the caller's transaction, if any, after their items: ``items_total``
    is counted from ``feed_items``)."""
    names = _names("feed_state")
    marks = ", ".join("?" for _ in names)
    for state in states:
        state.items_total = store.sql("SELECT count(*) FROM feed_items WHERE feed_url = ?",
                                      [state.feed_url]).fetchall()[0][0]
        store.sql(f"INSERT OR REPLACE INTO feed_state ({', '.join(names)}) VALUES ({marks})",
                  [getattr(state, n) for n in names]).fetchall()


def seen_items(store: Store, urls: Sequence[str], now: datetime) -> set[str]:
    """Which of these item URLs are done with: listed before and stored, found stored already or
    without text, or failing for ``RETRY_ITEMS_FOR`` since first seen. An article whose fetch
    failed more recently is not done with: it is fetched again the next time its feed lists it."""
    if not urls:
        return set()
    store.con.register("_item_urls", pa.table({"item_url": pa.array(list(set(urls)), pa.string())}))
    try:
        return {r[0] for r in store.sql(
            "SELECT i.item_url FROM feed_items i JOIN _item_urls u USING (item_url) "
            "WHERE i.status <> 'error' OR i.first_seen <= ?", [now - timedelta(seconds=RETRY_ITEMS_FOR)]).fetchall()}
    finally:
        store.con.unregister("_item_urls")


def record_items(store: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Record items (dicts with ``feed_items``' columns); an item tried again replaces its row
    but keeps the time it was first seen."""
    if not rows:
        return
    names = _names("feed_items")
    for r in rows:
        if r["status"] not in ITEM_STATUSES:
            raise ValueError(f"feed item {r['item_url']}: status {r['status']!r} is not one of {ITEM_STATUSES}")
    table = pa.table({
        "item_url": pa.array([r["item_url"] for r in rows], pa.string()),
        "feed_url": pa.array([r.get("feed_url") for r in rows], pa.string()),
        "publisher": pa.array([r.get("publisher") for r in rows], pa.string()),
        "published": pa.array([r.get("published") for r in rows], pa.date32()),
        "first_seen": pa.array([r.get("first_seen") for r in rows], pa.timestamp("us")),
        "doc_key": pa.array([r.get("doc_key") for r in rows], pa.string()),
        "status": pa.array([r["status"] for r in rows], pa.string()),
        "error": pa.array([(r.get("error") or None) and str(r["error"])[:1000] for r in rows], pa.string())})
    store.con.register("_items", table)
    try:
        chosen = ["coalesce(f.first_seen, n.first_seen)" if c == "first_seen" else "n." + c for c in names]
        store.sql(f"INSERT OR REPLACE INTO feed_items ({', '.join(names)}) SELECT {', '.join(chosen)} "
                  "FROM _items n LEFT JOIN feed_items f USING (item_url)").fetchall()
    finally:
        store.con.unregister("_items")


# -- deliveries (the outbox) --------------------------------------------------------------------
def enqueue(store: Store, alert_ids: Iterable[str], targets: Sequence[str], now: datetime) -> int:
    """One delivery per alert and target, due now (in the caller's transaction: the one recording
    the alerts, so no alert is kept without its deliveries); returns how many were queued."""
    rows = [(a, t) for a in dict.fromkeys(alert_ids) for t in targets]
    for alert_id, target in rows:
        store.sql("INSERT OR IGNORE INTO deliveries (alert_id, target, attempts, next_try) VALUES (?, ?, 0, ?)",
                  [alert_id, target, now]).fetchall()
    return len(rows)


def due_deliveries(store: Store, now: datetime) -> list[dict[str, Any]]:
    """Deliveries not yet made and due by ``now``, oldest first."""
    return store.rows("SELECT alert_id, target, attempts FROM deliveries WHERE delivered_at IS NULL "
                      "AND next_try IS NOT NULL AND next_try <= ? ORDER BY next_try, alert_id, target", [now])


def attempt(store: Store, alert_id: str, target: str, next_try: datetime | None) -> None:
    """Count an attempt before it is made (a monitor killed while sending does not retry for ever);
    ``next_try``: when to retry if it fails, None when it is the last attempt."""
    store.sql("UPDATE deliveries SET attempts = attempts + 1, next_try = ? WHERE alert_id = ? AND target = ?",
              [next_try, alert_id, target]).fetchall()


def postpone(store: Store, alert_id: str, target: str, next_try: datetime) -> None:
    """Try a delivery later, without counting an attempt (its target is failing now)."""
    store.sql("UPDATE deliveries SET next_try = ? WHERE alert_id = ? AND target = ?",
              [next_try, alert_id, target]).fetchall()


def delivered(store: Store, alert_id: str, target: str, when: datetime) -> None:
    """The target accepted the alert: never sent to it again."""
    store.sql("UPDATE deliveries SET delivered_at = ?, next_try = NULL, last_error = NULL "
              "WHERE alert_id = ? AND target = ?", [when, alert_id, target]).fetchall()


def delivery_failed(store: Store, alert_id: str, target: str, error: str) -> None:
    """An attempt failed: why (the retry time was set by ``attempt``)."""
    store.sql("UPDATE deliveries SET last_error = ? WHERE alert_id = ? AND target = ?",
              [error[:1000], alert_id, target]).fetchall()


# -- cycles -------------------------------------------------------------------------------------
CYCLE_COUNTS = ("feeds_polled", "feeds_failed", "items_new", "documents", "events", "alerts", "delivered",
                "delivery_failures", "errors")


def start_cycle(store: Store, now: datetime) -> int:
    """A new cycle's row (its number: one more than the last)."""
    number = store.sql("SELECT coalesce(max(cycle), 0) + 1 FROM monitor_cycles").fetchall()[0][0]
    store.sql("INSERT INTO monitor_cycles (cycle, started) VALUES (?, ?)", [number, now]).fetchall()
    return int(number)


def finish_cycle(store: Store, number: int, counts: dict[str, int], now: datetime) -> None:
    """A cycle's counts and end time."""
    store.sql(f"UPDATE monitor_cycles SET finished = ?, {', '.join(f'{c} = ?' for c in CYCLE_COUNTS)} "
              "WHERE cycle = ?", [now, *(counts.get(c, 0) for c in CYCLE_COUNTS), number]).fetchall()


def as_date(value: Any) -> date | None:
    """A feed's date (a date or datetime) as the date stored."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
