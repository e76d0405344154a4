"""The Store class: one DuckDB file of documents, mentions and merged events (see the package)."""
from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import duckdb
import pyarrow as pa

from .. import columns as spec
from . import migrate, redlines
from .merge import PRECISE, assign, summarise
from .migrate import StoreVersionError
from .rows import DOCUMENT_COLUMNS, MENTION_COLUMNS, arrow_table, coded_rows, document_key


DEFAULT_PATH = "redline.duckdb"
MEMORY_ENV = "REDLINE_MEMORY_LIMIT"
_SIZE = re.compile(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", re.IGNORECASE)


def service_memory_limit() -> str:
    """DuckDB's buffer cap for a long-running process (the server, the monitor): $REDLINE_MEMORY_LIMIT
    (a size such as ``512MB``), else a quarter of the machine's memory, at least 2 GB. DuckDB's own
    default, 80% of the memory, is too much for a service; the indexes of a 10-million-event store
    alone take about 1 GB."""
    value = os.environ.get(MEMORY_ENV)
    if value is None:
        return f"{max(2 << 30, os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 4) >> 20}MB"
    if not _SIZE.fullmatch(value):
        raise ValueError(f"${MEMORY_ENV}: {value!r} is not a size such as 512MB or 2GB")
    return value.strip()
EVENT_COLUMNS = spec.row_names("events")  # what merge.summarise fills


class StoreBusy(RuntimeError):
    """Another process is writing to the store."""


class StoreDamaged(RuntimeError):
    """The store file is truncated or cannot be read; nothing is written to it."""


HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers, before the blocks


def _named(table: str, columns: Sequence[str], extra: str | None = None) -> str:
    """``(columns..., other) SELECT columns..., extra``: an INSERT's column list and SELECT, with
    ``extra`` filling the table's one column not among ``columns``."""
    names = list(columns)
    values = list(columns)
    if extra:
        rest = [c for c in spec.table(table).names if c not in columns]
        if len(rest) != 1:
            raise ValueError(f"{table}: expected one column besides the row's, found {rest}")
        names.append(rest[0])
        values.append(extra)
    return f"({', '.join(names)}) SELECT {', '.join(values)}"


def _schema_statements() -> list[str]:
    """The store's schema: its tables from the column spec (``redline.columns``), then its views
    (``views.sql``, one statement per ``;``)."""
    text = (resources.files("redline.store") / "views.sql").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith("--")]
    return spec.ddl() + [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


class Store:
    """A DuckDB file holding documents, mentions and events."""

    def __init__(self, path: str | Path = DEFAULT_PATH, read_only: bool = False, wait: float = 0.0,
                 config: dict[str, Any] | None = None) -> None:
        """Open (or create) the store; ``config``: DuckDB settings for this connection (see ``sandbox``)."""
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise FileNotFoundError(f"{self.path}: no such store (create it with `redline ingest`)")
        deadline = time.monotonic() + wait
        while True:
            try:
                self.con = duckdb.connect(self.path, read_only=read_only, config=config or {})
                break
            except duckdb.IOException as e:
                if "lock" not in str(e).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"{self.path}: the store is in use by {_holder(str(e))}; "
                                    "wait for it to finish or pass --wait SECONDS") from None
                time.sleep(0.25)
        if not (config or {}).get("lock_configuration"):  # the SQL sandbox locks its settings
            self.con.execute("SET enable_progress_bar = false")  # Redline draws its own progress
        try:
            self._check_file()
            if read_only:
                migrate.check_read_only(self)  # an older store reads as a current one; a newer one is refused
            else:
                migrate.prepare(self, _schema_statements())
        except BaseException:
            self.con.close()
            raise

    def _check_file(self) -> None:
        """Refuse a store file shorter than the blocks its header lists (a copy cut short, a full
        disk): DuckDB would open it and fail only when a query reaches a missing block."""
        if self.path == ":memory:" or not Path(self.path).is_file():
            return
        # used blocks, not total: DuckDB cuts free blocks off the end of the file at a checkpoint,
        # and the header still counts them
        cur = self.con.execute("SELECT block_size, used_blocks FROM pragma_database_size() "
                               "WHERE database_name = current_database()")
        row = cur.fetchone()
        size = Path(self.path).stat().st_size
        if row and row[0] and size < HEADER_BYTES + row[0] * row[1]:
            raise StoreDamaged(f"{self.path}: the store file is damaged: its header uses {row[1]} blocks "
                               f"({HEADER_BYTES + row[0] * row[1]:,} bytes) but holds {size:,} bytes (truncated?); "
                               "restore it from a copy, or ingest again into a new store")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def cursor(self) -> "Store":
        """This store through a new cursor of its connection: for another thread of this process
        (a DuckDB connection is not thread-safe, its cursors are; each sees the others' committed
        writes, and reads while another writes, under DuckDB's MVCC). Close it when done."""
        view = object.__new__(Store)
        view.path, view.con = self.path, self.con.cursor()
        return view

    def _run(self, statement: str, params: Sequence[Any] | None = None) -> list[tuple]:
        """Execute and read the whole result (DuckDB wants results finished before the next call)."""
        return self.con.execute(statement, params or []).fetchall()

    def rows(self, query: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """The result of a query as one dict per row, keyed by column name."""
        cur = self.con.execute(query, params or [])
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def sql(self, query: str, params: Sequence[Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Run SQL on the store (tables ``documents``, ``mentions``, ``events``, ``alerts``, the
        red-line ledger's ``redlines``, ``redline_statements``, ``redline_crossings``; view ``actors``)."""
        return self.con.execute(query, params or [])

    # -- writing ------------------------------------------------------------------------------
    def known(self, doc_keys: Iterable[str]) -> set[str]:
        """Which of these documents are already stored."""
        keys = list(set(doc_keys))
        if not keys:
            return set()
        table = pa.table({"doc_key": keys})
        self.con.register("_keys", table)
        try:
            return {r[0] for r in self.con.execute(
                "SELECT d.doc_key FROM documents d JOIN _keys k USING (doc_key)").fetchall()}
        finally:
            self.con.unregister("_keys")

    def add(self, coded: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]], statements: Iterable[Any] = (),
            within: Callable[["Store", list[dict[str, Any]]], None] | None = None) -> int:
        """Store coded documents (``coded_rows`` output) in one transaction; returns how many were new.
        ``statements``: the red-line statements extracted from them (``redline.redlines.Statement``),
        stored and merged into the ledger in the same transaction (see ``add_statements``), so an
        interrupted ingest never keeps a document without its red lines. ``within``: called with the
        store and the document rows inside that transaction, to write what must be kept with them
        (the monitor's record of the feed items they came from)."""
        documents = [d for d, _ in coded]
        mentions = [m for _, ms in coded for m in ms]
        said = redlines.checked_rows(statements)  # a bad statement stops the batch before any writing
        with self.transaction():
            new = self._insert("documents", DOCUMENT_COLUMNS, documents, extra="now()")
            self._insert("mentions", MENTION_COLUMNS, mentions, extra="NULL")
            self._merge_new()
            redlines.write_statements(self, said)
            if within is not None:
                within(self, documents)
        return new

    def add_statements(self, statements: Iterable[Any]) -> int:
        """Store red-line statements (``redline.redlines.Statement``) and merge them into the
        ``redlines`` ledger in one transaction; returns how many were new. Idempotent: statements
        already stored change nothing. A bad statement raises ``StatementError`` (a ValueError
        naming it and the field) and nothing is stored."""
        return redlines.add_statements(self, statements)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around a block: committed when the block ends, rolled back if it raises."""
        self._run("BEGIN TRANSACTION")
        try:
            yield
            self._run("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        """Undo the open transaction; if even that fails (a full disk), DuckDB discards it anyway."""
        try:
            self._run("ROLLBACK")
        except duckdb.Error:
            pass

    def _insert(self, table: str, columns: Sequence[str], rows: list[dict[str, Any]], extra: str | None = None) -> int:
        """Insert rows, skipping keys already stored; ``extra`` fills the table's one other column
        (the columns are named: an upgraded store has its added columns last)."""
        if not rows:
            return 0
        data = arrow_table(table, columns, rows)
        self.con.register("_rows", data)
        try:
            before = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            self._run(f"INSERT OR IGNORE INTO {table} {_named(table, columns, extra)} FROM _rows")
            return self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] - before
        finally:
            self.con.unregister("_rows")

    def _merge_new(self) -> None:
        """Give the new mentions (no ``event_key`` yet) their events, and rebuild every event whose
        membership that changes. Only the neighbourhood of the new mentions' dates is read: a
        mention's event depends on its group's day-dated mentions on its own date and the day
        before (see ``merge``), so the rest of a busy dyad's history is left alone."""
        fields = ", ".join("m." + c for c in MENTION_COLUMNS)
        self._run("CREATE OR REPLACE TEMP TABLE _near AS "
                  "SELECT DISTINCT group_key, date + k AS date FROM mentions, (VALUES (-1), (0), (1)) t(k) "
                  "WHERE event_key IS NULL AND date IS NOT NULL")
        context = self.rows(f"SELECT {fields}, m.event_key FROM mentions m WHERE m.event_key IS NULL OR "
                            "(m.group_key, m.date) IN (SELECT group_key, date FROM _near)")
        self._run("DROP TABLE _near")
        if not context:
            return
        new_days = {(m["group_key"], m["date"]) for m in context if m["event_key"] is None and m["date"] is not None}
        reach = new_days | {(g, d + timedelta(days=1)) for g, d in new_days if d < date.max}
        # whose event may change: the new mentions, and report-dated ones a new day-dated mention may capture
        affected = [m for m in context if m["event_key"] is None or
                    (m["date_precision"] not in PRECISE and (m["group_key"], m["date"]) in reach)]
        keys = assign(context)
        changed = {m["mention_id"]: keys[m["mention_id"]] for m in affected if keys[m["mention_id"]] != m["event_key"]}
        impacted = {keys[m["mention_id"]] for m in affected} | {m["event_key"] for m in affected if m["event_key"]}
        self.con.register("_assigned", pa.table({"mention_id": list(changed), "event_key": list(changed.values())}))
        self._run("UPDATE mentions SET event_key = a.event_key FROM _assigned a WHERE mentions.mention_id = a.mention_id")
        self.con.unregister("_assigned")
        self.con.register("_impacted", pa.table({"event_key": sorted(impacted)}))
        try:
            self._run("DELETE FROM events WHERE event_key IN (SELECT event_key FROM _impacted)")
            by_event: dict[str, list[dict[str, Any]]] = {}
            for m in self.rows(f"SELECT {fields}, m.event_key, d.publisher, d.published FROM mentions m "
                               "JOIN _impacted USING (event_key) LEFT JOIN documents d USING (doc_key)"):
                by_event.setdefault(m["event_key"], []).append(m)
        finally:
            self.con.unregister("_impacted")
        self._insert("events", EVENT_COLUMNS, [summarise(k, ms) for k, ms in sorted(by_event.items())])

    def load_parquet(self, folder: str | Path) -> dict[str, int]:
        """Add the documents and mentions of a Parquet folder (``redline export parquet`` or a Dask
        run's output) and rebuild their events with the merge rule; returns what was new."""
        root = Path(folder)
        layouts = [(root / "documents.parquet", root / "mentions.parquet"),
                   (root / "documents" / "*.parquet", root / "mentions" / "**" / "*.parquet")]
        for docs, mentions in layouts:
            if list(root.glob(str(docs.relative_to(root)))):
                break
        else:
            raise FileNotFoundError(f"{folder}: no documents.parquet or documents/*.parquet here")
        has_mentions = bool(list(root.glob(str(mentions.relative_to(root)))))
        before = self.counts()
        read_mentions = "read_parquet(?, hive_partitioning = false, union_by_name = true)"
        self._run("BEGIN TRANSACTION")
        try:
            columns = {c[0] for c in self.con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(docs)]).description}
            if "text_key" not in columns:  # written before publications were kept: re-keyed as a store is
                self._run("CREATE OR REPLACE TEMP TABLE _v1_documents AS SELECT * FROM read_parquet(?)", [str(docs)])
                if has_mentions:
                    self._run(f"CREATE OR REPLACE TEMP TABLE _v1_mentions AS SELECT * FROM {read_mentions}",
                              [str(mentions)])
                migrate.copy_v1(self, "_v1_documents", "_v1_mentions" if has_mentions else None)
                self._run("DROP TABLE IF EXISTS _v1_documents")
                self._run("DROP TABLE IF EXISTS _v1_mentions")
            else:
                self._run(f"INSERT OR IGNORE INTO documents {_named('documents', DOCUMENT_COLUMNS, 'now()')} "
                          f"FROM read_parquet(?)", [str(docs)])
                if has_mentions:
                    have = {c[0] for c in self.con.execute(f"SELECT * FROM {read_mentions} LIMIT 0",
                                                           [str(mentions)]).description}
                    chosen = [c if c in have else f"NULL AS {c}" for c in MENTION_COLUMNS]  # an older export
                    self._run(f"INSERT OR IGNORE INTO mentions ({', '.join(MENTION_COLUMNS)}, event_key) "
                              f"SELECT {', '.join(chosen)}, NULL FROM {read_mentions}", [str(mentions)])
            if has_mentions:
                self._merge_new()
            self._run("COMMIT")
        except duckdb.Error as e:
            self._run("ROLLBACK")
            raise ValueError(f"{folder}: cannot load it (nothing was added): {str(e).splitlines()[0]}") from None
        except BaseException:
            self._run("ROLLBACK")
            raise
        after = self.counts()
        return {k: after[k] - before[k] for k in after}

    # -- reading ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("documents", "mentions", "events")}


def _holder(message: str) -> str:
    """Who holds the store, from the PID DuckDB names in its lock error: the process and, where the
    system says (Linux ``/proc``), its command line: ``another process (process 4242: redline ingest news.jsonl)``."""
    import re
    m = re.search(r"PID (\d+)", message)
    if not m:
        return "another process"
    try:
        argv = Path(f"/proc/{m.group(1)}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    except OSError:
        return f"another process (process {m.group(1)})"
    words = [a.decode("utf-8", "replace") for a in argv if a]
    if words and Path(words[0]).name.startswith("python"):
        words = words[1:]
    if words and words[0] == "-m":
        words = words[1:]
    if words:
        words[0] = Path(words[0]).name
    command = "".join(c if c.isprintable() else "?" for c in " ".join(words))
    return f"another process (process {m.group(1)}: {command[:200]})"
