"""User SQL on the store and nothing else: the one sandbox for ``redline query "SQL"`` (and any
other door that takes SQL from a user, such as an API endpoint: call ``open_store`` and ``run``).

DuckDB does the confining. The store is opened read-only with external access disabled (no file,
directory or URL can be read or written: no ``read_csv``, ``glob``, ``COPY``, ``EXPORT``,
``ATTACH``, ``INSTALL``), no extension is installed or loaded behind the query's back, Python
objects are not scanned, and the configuration is locked, so no ``SET`` or ``PRAGMA`` can undo
any of it. On top of that, DuckDB's own parser must find exactly one ``SELECT`` statement
(``DESCRIBE``, ``SHOW`` and ``SUMMARIZE`` are SELECTs): anything else is refused by its statement
type before it runs, and a query still running after ``timeout`` seconds is interrupted.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from . import Store

# DuckDB settings of a sandboxed connection (names as in ``duckdb_settings()``)
SETTINGS: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,
    "python_enable_replacements": False,
    "lock_configuration": True,
}
MEMORY_LIMIT = "2GB"  # a query that needs more fails with DuckDB's out-of-memory error, not the machine
ALLOWED = {duckdb.StatementType.SELECT}
DEFAULT_TIMEOUT = 60.0  # seconds


class QueryRefused(ValueError):
    """SQL the sandbox does not run: not one SELECT, or it reaches outside the store."""


class QueryTimeout(RuntimeError):
    """The query ran out of time and was interrupted."""


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]


def open_store(path: str | Path, wait: float = 0.0) -> Store:
    """The store opened read-only with the sandbox's settings (fails with ``StoreBusy`` as ``Store``)."""
    return Store(path, read_only=True, wait=wait, config={**SETTINGS, "memory_limit": MEMORY_LIMIT})


def check(store: Store, sql: str) -> duckdb.Statement:
    """The one SELECT statement in ``sql``, parsed by DuckDB; ``QueryRefused`` for any other
    statement, ``ValueError`` for SQL that does not parse."""
    try:
        statements = store.con.extract_statements(sql)
    except duckdb.Error as e:
        raise ValueError(_first_line(e)) from None
    if not statements:
        raise ValueError("no SQL statement given")
    if len(statements) != 1:
        raise QueryRefused(f"give one SELECT statement, not {len(statements)} statements")
    statement = statements[0]
    if statement.type not in ALLOWED:
        word = (statement.query.split(None, 1) or [""])[0].upper()  # INSTALL is a LOAD statement: name both
        kind = statement.type.name if word == statement.type.name or not word.isalpha() else \
            f"{word} ({statement.type.name})"
        raise QueryRefused(f"{kind} statements are refused: only a SELECT is run, on the store alone "
                           "(no ATTACH, COPY, EXPORT, INSTALL, LOAD, SET, PRAGMA, ...)")
    return statement


def run(store: Store, sql: str, timeout: float | None = DEFAULT_TIMEOUT, max_rows: int | None = None) -> Result:
    """Run one user SELECT on a store from ``open_store``; stopped after ``timeout`` seconds (None: never);
    ``max_rows``: fetch at most this many rows (None: all), so a caller with a row cap (the API)
    never holds a huge result.

    Raises ``QueryRefused`` (not a SELECT, or it reached outside the store), ``QueryTimeout``, or
    ``ValueError`` for a query DuckDB rejects (a syntax error, an unknown column)."""
    if not _sandboxed(store):
        raise QueryRefused(f"{store.path}: not opened by sandbox.open_store; user SQL is not run on it")
    statement = check(store, sql)
    timer = threading.Timer(timeout, store.con.interrupt) if timeout else None
    if timer:
        timer.start()
    try:
        cursor = store.con.execute(statement)
        columns = [c[0] for c in cursor.description] if cursor.description else []
        return Result(columns, cursor.fetchall() if max_rows is None else cursor.fetchmany(max_rows))
    except duckdb.InterruptException:
        raise QueryTimeout(f"the query was stopped after {timeout:g} s") from None
    except duckdb.PermissionException as e:
        raise QueryRefused(f"the query reaches outside the store: {_first_line(e)}") from None
    except duckdb.Error as e:
        raise ValueError(_first_line(e)) from None
    finally:
        if timer:
            timer.cancel()


def _sandboxed(store: Store) -> bool:
    """Whether the store's connection is read-only with the sandbox's settings (locked, so for good)."""
    values = store.con.execute("SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)",
                               [list(SETTINGS)]).fetchall()
    read_only = store.con.execute("SELECT readonly FROM duckdb_databases() "
                                  "WHERE database_name = current_database()").fetchall()
    return {n: v.lower() == "true" for n, v in values} == SETTINGS and read_only == [(True,)]


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
