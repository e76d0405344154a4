"""What routes ask for with ``Depends``: the server's settings, the store, a write token.

DuckDB locks the store file for a whole process, so the server must not hold it for its life:
``redline ingest`` could never write. How the store is opened is a setting (``connection``):

- ``shared`` (the default): one read-only connection, opened by the first request and shared by
  every request that comes while it is open (each request reads through its own cursor, so no
  cursor is shared between threads); it is closed once no request has used it for
  ``IDLE_SECONDS`` (2 s). Opening a 10-million-event store takes about as long as a dyad query
  on it, and a fresh connection starts with cold caches, so this is what keeps ``/api/events``
  and ``/api/series`` fast under load.
- ``per-request``: opened for each request and closed after it (no connection between requests).

With ``redline serve --feeds`` the server owns the store instead (``redline.monitor.service``):
one read-write connection for its life, the monitor's cycles writing through one cursor and each
request reading through its own; no other process opens the file meanwhile.

Either way every request sees every write committed before it started: while the server holds the
file no other process can write to it, and when a writer holds it a request gets 503 and
``Retry-After``. The trade-off of ``shared``: an ingest gets in only in a gap of ``IDLE_SECONDS``
between requests (``redline ingest --wait`` retries), so a server answering without pause keeps
writers out until the pause; ``per-request`` lets a writer in between any two requests, at the
cost of opening the store every time.

Within one process DuckDB refuses to open a file with other settings while a connection to it is
open ("Can't open a connection to same database file with a different configuration"): the SQL
sandbox (other settings) and a write (read-write) cannot open while plain reads are open. So every
use of the store takes ``store_lock(path)``: plain reads share it, the sandbox and writes take it
alone (and taking it alone closes the idle shared connection first); whoever cannot get it in time
gets 503 and ``Retry-After``.
"""
from __future__ import annotations

import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from ..locks import SharedLock
from ..store import Store, StoreBusy, service_memory_limit
from .errors import StoreMissing

READ_WAIT = 15.0   # seconds a read waits for a SQL query or a write of this process to finish
ALONE_WAIT = 5.0   # seconds the SQL sandbox or a write waits for this process's reads to finish


@dataclass(frozen=True)
class Settings:
    """How the server was started (``redline serve`` options)."""

    db: Path
    token: str | None = None        # writes need it (``Authorization: Bearer TOKEN``); None: no writes
    sql: bool = False               # the SQL endpoint (sandboxed, ``store.sandbox``) is on
    cors_origins: tuple[str, ...] = ()
    sql_timeout: float = 10.0       # seconds a query of the SQL endpoint may run
    sql_rows: int = 10_000          # rows the SQL endpoint returns at most (then ``truncated``)
    connection: str = "shared"      # how the store is opened: CONNECTIONS (see the module docstring)


CONNECTIONS = ("shared", "per-request")
IDLE_SECONDS = 2.0  # a shared connection unused this long is closed, so that a writer can get in


_locks: dict[Path, SharedLock] = {}
_locks_guard = threading.Lock()


def store_lock(path: Path) -> SharedLock:
    """The one lock of this process for the store file ``path``."""
    key = Path(path).resolve()
    with _locks_guard:
        return _locks.setdefault(key, SharedLock())


def open_reader(db: Path) -> Store:
    """The store read-only, with DuckDB's memory capped (``store.service_memory_limit``)."""
    store = Store(db, read_only=True)
    store.sql(f"SET memory_limit = '{service_memory_limit()}'").fetchall()
    return store


class SharedReader:
    """One read-only connection to the store for the requests that come while it is open; closed
    after ``idle`` seconds without a request (see the module docstring)."""

    def __init__(self, db: Path, idle: float = IDLE_SECONDS) -> None:
        self.db, self.idle = db, idle
        store_lock(db).on_alone(self.close_now)
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._users = 0
        self._last = 0.0
        self._timer: threading.Timer | None = None

    @property
    def is_open(self) -> bool:
        """True while the connection is open (the file is locked against writers)."""
        return self._store is not None

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The store through a cursor of its own; opens the connection when it is closed
        (``StoreBusy`` while another process writes)."""
        with self._lock:
            if self._store is None:
                self._store = open_reader(self.db)
            self._users += 1
            view = self._store.cursor()
        try:
            yield view
        finally:
            view.close()
            with self._lock:
                self._users -= 1
                self._last = time.monotonic()
                if self._users == 0:
                    self._schedule(self.idle)

    def _schedule(self, delay: float) -> None:
        """Check for idleness after ``delay`` seconds (one timer at a time; under the lock)."""
        if self._timer is None:
            self._timer = threading.Timer(delay, self._close_if_idle)
            self._timer.daemon = True
            self._timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            self._timer = None
            if self._store is None or self._users:
                return  # closed already, or in use: the last request's end schedules the next check
            left = self._last + self.idle - time.monotonic()
            if left > 0:
                self._schedule(left)
            else:
                self._close()

    def close_now(self) -> None:
        """Close the connection if no request uses it (at shutdown, or before a write)."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._store is not None and not self._users:
            self._store.close()
            self._store = None


def settings(request: Request) -> Settings:
    """The settings of the app serving this request."""
    return request.app.state.settings


def read_store(request: Request, config: Settings = Depends(settings)) -> Iterator[Store]:
    """The store, read-only, for this request; ``StoreBusy`` (503) while another process writes."""
    service = getattr(request.app.state, "service", None)
    if service is not None:  # serve --feeds: this process owns the store; a cursor of its connection
        with service.reader() as store:
            yield store
        return
    if not config.db.exists():
        raise StoreMissing(f"{config.db}: no such store (create it with `redline ingest`)")
    reader: SharedReader | None = getattr(request.app.state, "reader", None)
    with store_lock(config.db).hold(alone=False, timeout=READ_WAIT):
        if config.connection == "shared" and reader is not None:
            with reader.store() as store:
                yield store
            return
        store = open_reader(config.db)
        try:
            yield store
        finally:
            store.close()


_bearer = HTTPBearer(auto_error=False, description="The token `redline serve` was started with (--token).")


def require_token(config: Settings = Depends(settings),
                  credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """Refuse a write without the server's token: 403 when the server takes no writes, 401 for a
    missing or wrong token. Add ``dependencies=[Depends(require_token)]`` to every writing route."""
    if config.token is None:
        raise HTTPException(403, "writes are off: start the server with --token (or $REDLINE_TOKEN)")
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), config.token.encode()):
        raise HTTPException(401, "a write needs the server's token: Authorization: Bearer TOKEN",
                            headers={"WWW-Authenticate": "Bearer"})
