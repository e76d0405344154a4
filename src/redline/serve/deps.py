"""What routes ask for with ``Depends``: the server's settings, the store, a write token.

The store is opened read-only for each request and closed after it, not held for the server's
life: DuckDB locks the file for a whole process, so a server holding it would keep
``redline ingest`` out for as long as it runs; opened per request, an ingest can write between
requests (a request meanwhile gets 503 and ``Retry-After``), and every request reads the latest
data. Each request has its own connection, so no connection is shared between threads.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from ..store import Store
from .errors import StoreMissing


@dataclass(frozen=True)
class Settings:
    """How the server was started (``redline serve`` options)."""

    db: Path
    token: str | None = None        # writes need it (``Authorization: Bearer TOKEN``); None: no writes
    sql: bool = False               # the SQL endpoint (sandboxed, ``store.sandbox``) is on
    cors_origins: tuple[str, ...] = ()


def settings(request: Request) -> Settings:
    """The settings of the app serving this request."""
    return request.app.state.settings


def read_store(config: Settings = Depends(settings)) -> Iterator[Store]:
    """The store, read-only, for this request; ``StoreBusy`` (503) while another process writes."""
    if not config.db.exists():
        raise StoreMissing(f"{config.db}: no such store (create it with `redline ingest`)")
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
