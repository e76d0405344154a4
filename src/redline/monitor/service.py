"""The process that owns a store and runs the monitor on it: ``redline monitor`` runs it in the
foreground, ``redline serve --feeds`` in a background thread while the API reads.

One read-write connection for the process's life. The cycles write through a cursor of their own
and each API request reads through another (a DuckDB connection is not thread-safe; its cursors
are, and under MVCC a read sees the writes committed before it started while a cycle writes).
After a cycle that stored or sent anything (and at least every minute), the snapshot the command
line reads (``owner``).

Every ``REOPEN_EVERY`` seconds (two minutes), after a cycle, the store is closed and opened
again, no request reading meanwhile (they wait for it: well under a second): DuckDB's memory
outside its buffers grows with every query an open database runs (up to about 1 KB per aggregate
query with DuckDB 2.0: a few MB a minute for the monitor's cycles; ``bench/monitor_soak.py``) and
is given back only when the database is closed.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from ..locks import SharedLock
from ..store import Store, StoreBusy, service_memory_limit
from .cycle import Monitor, Options
from .memory import limit_arenas
from .owner import Ownership

log = logging.getLogger("redline.monitor")

SNAPSHOT_EVERY = 60.0  # seconds between snapshots while cycles bring nothing new
REOPEN_EVERY = 120.0   # seconds between reopenings of the store ($REDLINE_REOPEN_EVERY; 0: never)
READER_WAIT = 15.0     # seconds a request waits for the store being reopened
REOPEN_WAIT = 30.0     # seconds the reopening waits for the requests reading (then tried after the next cycle)


def reopen_every() -> float:
    """Seconds between reopenings of the store: $REDLINE_REOPEN_EVERY, else ``REOPEN_EVERY``."""
    value = os.environ.get("REDLINE_REOPEN_EVERY")
    return REOPEN_EVERY if value is None else float(value)


class Service:
    """A store owned by this process, and the monitor running on it."""

    def __init__(self, db: str | Path, feeds: Any, options: Options, policy: Any, role: str = "monitor",
                 url: str | None = None, snapshots: bool = True) -> None:
        """Open the store for writing (``StoreBusy`` if another process has it) and claim it;
        a bad rules file raises ``RuleError`` before anything is claimed."""
        from ..feeds.fetch import Fetcher
        limit_arenas()  # before the monitor's threads start (monitor.memory)
        if options.coding_lock is None:  # shared with whatever else codes in this process (the server's /api/code)
            options = replace(options, coding_lock=threading.Lock())
        self.options = options
        self.db = db
        self._gate = SharedLock()  # requests read under it; the store is reopened alone
        self._open()
        try:
            self.stop = threading.Event()
            self.fetcher = Fetcher(policy)
            self.monitor = Monitor(self._writer, feeds, options, self.fetcher, self.stop, on_cycle=self._after)
        except BaseException:
            self.store.close()
            raise
        self.ownership = Ownership(db, role, url=url, snapshots=snapshots)
        self._thread: threading.Thread | None = None
        self._snapshot_at = 0.0
        self.reopen_every = reopen_every()

    def _open(self, wait: float = 0.0) -> None:
        """Open the store and the cycles' cursor (``StoreBusy`` if another process has it)."""
        self.store = Store(self.db, wait=wait)
        try:
            # a service runs for weeks: DuckDB may otherwise cache up to 80% of the machine's memory
            self.store.sql(f"SET memory_limit = '{service_memory_limit()}'").fetchall()
            self._writer = self.store.cursor()
        except BaseException:
            self.store.close()
            raise
        self._opened_at = time.monotonic()

    def reopen(self) -> bool:
        """Close the store and open it again, alone (requests wait meanwhile); False if requests
        kept it longer than ``REOPEN_WAIT`` (tried again after the next cycle)."""
        started = time.monotonic()
        try:
            with self._gate.hold(alone=True, timeout=REOPEN_WAIT):
                self._writer.close()
                self.store.close()
                while True:  # another process could take the file in the gap: this one owns it
                    try:
                        self._open(wait=REOPEN_WAIT)
                        break
                    except StoreBusy as e:
                        log.error("the store cannot be reopened (%s); trying again", e)
                self.monitor.store = self._writer
        except StoreBusy as e:
            log.warning("the store was not reopened: %s", e)
            return False
        log.info("the store was reopened in %.2fs (DuckDB's memory given back)", time.monotonic() - started)
        return True

    def _after(self, counts: dict[str, Any]) -> None:
        """After a cycle: a new snapshot if it stored or sent anything, else at most every
        ``SNAPSHOT_EVERY`` seconds (the cycle's own record is news too, but not worth a copy each time);
        the store reopened every ``reopen_every`` seconds."""
        news = any(counts.get(k) for k in ("documents", "alerts", "delivered", "delivery_failures"))
        if news or time.monotonic() - self._snapshot_at >= SNAPSHOT_EVERY:
            self._snapshot()
        if self.reopen_every and time.monotonic() - self._opened_at >= self.reopen_every:
            self.reopen()

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
        """The store through a cursor of its own, for one request (``StoreBusy`` if it is being
        reopened for longer than ``READER_WAIT``)."""
        with self._gate.hold(alone=False, timeout=READER_WAIT):
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
