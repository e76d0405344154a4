"""``GET /api/sql?q=SELECT ...``: read-only SQL on the store, only when the server was started with
``--sql``; run in the one sandbox (``store.sandbox``) with a time limit and a row cap."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from ...store import sandbox
from ...store.read import ReadError
from ..deps import ALONE_WAIT, Settings, settings, store_lock
from ..errors import RESPONSES, ErrorBody, StoreMissing

router = APIRouter(prefix="/api", tags=["sql"], responses=RESPONSES)
MAX_SQL = 20_000  # characters of SQL


class SqlResult(BaseModel):
    """The rows a query returned."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="True when the query returned more rows than the server's cap")


def run_sql(config: Settings, sql: str) -> SqlResult:
    """Run ``sql`` in the sandbox on the server's store: alone in this process (DuckDB cannot open
    the file with the sandbox's settings while other connections are open), for at most
    ``config.sql_timeout`` seconds, keeping ``config.sql_rows`` rows."""
    if not config.db.exists():
        raise StoreMissing(f"{config.db}: no such store (create it with `redline ingest`)")
    with store_lock(config.db).hold(alone=True, timeout=ALONE_WAIT):
        store = sandbox.open_store(config.db)
        try:
            result = sandbox.run(store, sql, timeout=config.sql_timeout, max_rows=config.sql_rows + 1)
        except (sandbox.QueryRefused, sandbox.QueryTimeout, ValueError) as e:
            raise ReadError("q", str(e)) from None  # answered 400 naming q
        finally:
            store.close()
    rows = result.rows[:config.sql_rows]
    return SqlResult(columns=result.columns, rows=jsonable_encoder([list(r) for r in rows]),
                     truncated=len(result.rows) > config.sql_rows)


@router.get("/sql", response_model=SqlResult, summary="Read-only SQL on the store (needs --sql)",
            responses={404: {"model": ErrorBody, "description": "The SQL endpoint is off (start with --sql)"}})
def sql(q: str = Query(min_length=1, max_length=MAX_SQL, description="One SELECT statement (DESCRIBE, SHOW and "
                                                                      "SUMMARIZE too) on the store's tables"),
        config: Settings = Depends(settings)) -> SqlResult:
    """One SELECT on the store's tables (`events`, `mentions`, `documents`, ...), read-only, with no
    access to files, the network or extensions; stopped after the server's time limit (10 s), at
    most 10,000 rows (`truncated` says when there were more). Off unless the server was started
    with `--sql`."""
    if not config.sql:
        raise HTTPException(404, "the SQL endpoint is off: start the server with --sql to turn it on")
    return run_sql(config, q)
