"""What the monitor has done, read from the store: each feed's state and the last cycles. The one
read behind ``redline status`` and ``GET /api/status``."""
from __future__ import annotations

from typing import Any

FEED_FIELDS = ("feed_url", "publisher", "last_fetch", "last_ok", "failures", "last_error", "next_due", "items_total")
CYCLE_FIELDS = ("cycle", "started", "finished", "feeds_polled", "feeds_failed", "items_new", "documents", "events",
                "alerts", "delivered", "delivery_failures", "errors")
RECENT_CYCLES = 10


def _tables(store: Any) -> set[str]:
    return {r[0] for r in store.sql("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                    "current_database() AND schema_name = 'main'").fetchall()}


def monitor_status(store: Any, cycles: int = RECENT_CYCLES) -> dict[str, Any]:
    """``feeds``: every feed polled, by URL (times in UTC); ``cycles``: the last ``cycles`` cycles,
    newest first (``finished`` empty: running, or killed); ``pending_deliveries``: alerts not yet
    delivered and still to be tried. Empty for a store no monitor has run on (or older than schema 4)."""
    if not {"feed_state", "monitor_cycles", "deliveries"} <= _tables(store):
        return {"feeds": [], "cycles": [], "pending_deliveries": 0}
    feeds = store.rows(f"SELECT {', '.join(FEED_FIELDS)} FROM feed_state ORDER BY feed_url")
    recent = store.rows(f"SELECT {', '.join(CYCLE_FIELDS)} FROM monitor_cycles ORDER BY cycle DESC LIMIT ?",
                        [cycles])
    pending = store.sql("SELECT count(*) FROM deliveries WHERE delivered_at IS NULL AND next_try IS NOT NULL"
                        ).fetchall()[0][0]
    return {"feeds": feeds, "cycles": recent, "pending_deliveries": int(pending)}
