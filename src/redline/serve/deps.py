"""What routes ask for with ``Depends``: the server's settings, the store, a write token.

The store is opened read-only for each request and closed after it, not held for the server's
life: DuckDB locks the file for a whole process, so a server holding it would keep
``redline ingest`` out for as long as it runs; opened per request, an ingest can write between
requests (a request meanwhile gets 503 and ``Retry-After``), and every request reads the latest
data. Each request has its own connection, so no connection is shared between threads.

Within one process DuckDB refuses to open a file with other settings while a connection to it is
open ("Can't open a connection to same database file with a different configuration"): the SQL
sandbox (other settings) and a write (read-write) cannot open while plain reads are open. So every
open of the store takes ``store_lock(path)``: plain reads share it, the sandbox and writes take it
alone; whoever cannot get it in time gets 503 and ``Retry-After``.
"""
from __future__ import annotations

import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from ..store import Store, StoreBusy
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


class SharedLock:
    """Many holders sharing it, or one alone (a readers-writer lock; one waiting to be alone goes
    before new sharers, so reads cannot keep it out for ever)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._alone = False
        self._waiting_alone = 0

    @contextmanager
    def hold(self, alone: bool, timeout: float) -> Iterator[None]:
        """Hold the lock (``alone`` or shared) for the block; ``StoreBusy`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if alone:
                self._waiting_alone += 1
            try:
                while self._alone or (self._shared if alone else self._waiting_alone):
                    left = deadline - time.monotonic()
                    if left <= 0 or not self._cond.wait(left):
                        if self._alone or (self._shared if alone else self._waiting_alone):
                            raise StoreBusy("the store is busy in this server (a SQL query or a write)")
            finally:
                if alone:
                    self._waiting_alone -= 1
            if alone:
                self._alone = True
            else:
                self._shared += 1
        try:
            yield
        finally:
            with self._cond:
                if alone:
                    self._alone = False
                else:
                    self._shared -= 1
                self._cond.notify_all()


_locks: dict[Path, SharedLock] = {}
_locks_guard = threading.Lock()


def store_lock(path: Path) -> SharedLock:
    """The one lock of this process for the store file ``path``."""
    key = Path(path).resolve()
    with _locks_guard:
        return _locks.setdefault(key, SharedLock())


def settings(request: Request) -> Settings:
    """The settings of the app serving this request."""
    return request.app.state.settings


def read_store(config: Settings = Depends(settings)) -> Iterator[Store]:
    """The store, read-only, for this request; ``StoreBusy`` (503) while another process writes."""
    if not config.db.exists():
        raise StoreMissing(f"{config.db}: no such store (create it with `redline ingest`)")
    with store_lock(config.db).hold(alone=False, timeout=READ_WAIT):
        store = Store(config.db, read_only=True)
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
