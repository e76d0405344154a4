"""The process that owns a store and runs the monitor on it: ``redline monitor`` runs it in the
foreground, ``redline serve --feeds`` in a background thread while the API reads.

One read-write connection for the process's life. The cycles write through a cursor of their own
and each API request reads through another (a DuckDB connection is not thread-safe; its cursors
are, and under MVCC a read sees the writes committed before it started while a cycle writes).
After a cycle that stored or sent anything (and at least every minute), the snapshot the command
line reads (``owner``).
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from ..store import Store, service_memory_limit
from .cycle import Monitor, Options
from .owner import Ownership

log = logging.getLogger("redline.monitor")

SNAPSHOT_EVERY = 60.0  # seconds between snapshots while cycles bring nothing new


class Service:
    """A store owned by this process, and the monitor running on it."""

    def __init__(self, db: str | Path, feeds: Any, options: Options, policy: Any, role: str = "monitor",
                 url: str | None = None, snapshots: bool = True) -> None:
        """Open the store for writing (``StoreBusy`` if another process has it) and claim it;
        a bad rules file raises ``RuleError`` before anything is claimed."""
        from ..feeds.fetch import Fetcher
        if options.coding_lock is None:  # shared with whatever else codes in this process (the server's /api/code)
            options = replace(options, coding_lock=threading.Lock())
        self.options = options
        self.store = Store(db)
        try:
            # a service runs for weeks: DuckDB may otherwise cache up to 80% of the machine's memory
            self.store.sql(f"SET memory_limit = '{service_memory_limit()}'").fetchall()
            self._writer = self.store.cursor()
            self.stop = threading.Event()
            self.fetcher = Fetcher(policy)
            self.monitor = Monitor(self._writer, feeds, options, self.fetcher, self.stop, on_cycle=self._after)
        except BaseException:
            self.store.close()
            raise
        self.ownership = Ownership(db, role, url=url, snapshots=snapshots)
        self._thread: threading.Thread | None = None
        self._snapshot_at = 0.0

    def _after(self, counts: dict[str, Any]) -> None:
        """After a cycle: a new snapshot if it stored or sent anything, else at most every
        ``SNAPSHOT_EVERY`` seconds (the cycle's own record is news too, but not worth a copy each time)."""
        news = any(counts.get(k) for k in ("documents", "alerts", "delivered", "delivery_failures"))
        if news or time.monotonic() - self._snapshot_at >= SNAPSHOT_EVERY:
            self._snapshot()

    def _snapshot(self) -> None:
        self.ownership.snapshot(self._writer)
        self._snapshot_at = time.monotonic()

    def run(self, once: bool = False) -> int:
        """Cycles in this thread until ``stop`` (``once``: one); returns the alerts that fired."""
        self._snapshot()
        return self.monitor.run(once=once)

    def start(self) -> None:
        """Cycles in a background thread (``serve --feeds``)."""
        def loop() -> None:
            try:
                self.run()
            except Exception:  # pragma: no cover - run() logs and retries; this is the last guard
                log.exception("the monitor stopped")
        self._thread = threading.Thread(target=loop, name="redline-monitor", daemon=True)
        self._thread.start()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """The store through a cursor of its own, for one request."""
        view = self.store.cursor()
        try:
            yield view
        finally:
            view.close()

    def close(self, timeout: float = 60.0) -> None:
        """Stop after the current step, then close the store and give it up."""
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.fetcher.close()
        self._writer.close()
        self.store.close()
        self.ownership.release()
