"""The store's schema version: stores written by an earlier Redline are brought up to the current
schema when opened for writing (in one transaction, so a failed upgrade leaves them as they were);
a store written by a newer Redline is refused.

Version 1 (no ``store_info`` table) keyed a document by its text alone, so a second publication
of the same text was dropped. Version 2 keys it by the text and its publisher, url and date; the
upgrade re-keys documents and mentions exactly as a new store would and rebuilds the events.
Version 3 adds the red-line ledger's tables (``redlines``, ``redline_statements``,
``redline_crossings``); the upgrade creates them empty. A version-2 store opened read-only reads
as it is (it has no red lines). Version 4 adds the monitor's state (``feed_state``, ``feed_items``,
``deliveries``, ``monitor_cycles``: ``redline.monitor``); the upgrade creates them empty, and an
older store opened read-only reads as it is (it has no feeds). Version 5 adds the place's
division, precision and source to mentions and events (``location_admin1``, ``location_admin2``,
``location_precision``, ``location_source``: :data:`PLACE_COLUMNS`); the upgrade adds them empty
(events coded before had none), and an older store opened read-only reads as it is (its exports
leave them empty). Version 6 adds the place's GeoNames id and division codes
(``location_geonameid``, ``location_admin1_code``, ``location_admin2_code``: :data:`CODE_COLUMNS`),
upgraded and read the same way.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import pyarrow as pa

from .rows import DOCUMENT_COLUMNS, MENTION_COLUMNS, mention_key, publication_key

if TYPE_CHECKING:
    from . import Store

SCHEMA_VERSION = 6
REKEYED = 2  # the version from which documents are keyed by publication
PLACED = 5   # the version from which mentions and events carry PLACE_COLUMNS
CODED = 6    # the version from which they carry CODE_COLUMNS
PLACE_COLUMNS = ("location_admin1", "location_admin2", "location_precision", "location_source")
CODE_COLUMNS = ("location_geonameid", "location_admin1_code", "location_admin2_code")
ADDED = {PLACED: PLACE_COLUMNS, CODED: CODE_COLUMNS}  # version -> the mention and event columns it added


def added_since(version: int) -> list[tuple[str, str]]:
    """(column, DuckDB type) of the mention and event columns added after ``version``."""
    from ..columns import event_columns
    types = {c.name: c.type for c in event_columns()}
    return [(c, types[c]) for v, names in sorted(ADDED.items()) if v > version for c in names]


class StoreVersionError(ValueError):
    """The store was written by a newer Redline than this one."""


def schema_version(store: "Store") -> int | None:
    """The store's schema version; None for a new (empty) store."""
    tables = {r[0] for r in store._run("SELECT table_name FROM duckdb_tables() "
                                       "WHERE database_name = current_database() AND schema_name = 'main'")}
    if "store_info" in tables:
        row = store._run("SELECT value FROM store_info WHERE key = 'schema_version'")
        if row:
            return int(row[0][0])
    return 1 if "documents" in tables else None


def check(store: "Store") -> int | None:
    """The store's schema version, or :class:`StoreVersionError` if this Redline cannot read it."""
    version = schema_version(store)
    if version is not None and version > SCHEMA_VERSION:
        raise StoreVersionError(f"{store.path}: written by a newer Redline (store schema {version}; this one "
                                f"knows up to {SCHEMA_VERSION}): upgrade Redline to use it")
    return version


def check_read_only(store: "Store") -> int | None:
    """:func:`check` for a store opened read-only; an older one is read as a current one."""
    version = check(store)
    if version is not None and version < SCHEMA_VERSION:
        _placed_views(store, version)
    return version


def _placed_views(store: "Store", version: int) -> None:
    """An older store opened read-only: temporary views over its events and mentions add the
    place columns it lacks, empty, so every reader (filters by ``admin1`` included) reads it as a
    current one. Temporary objects leave the file untouched."""
    database = store._run("SELECT current_database()")[0][0].replace('"', '""')
    for table in ("events", "mentions"):
        source = f'"{database}".main.{table}'  # (a bare main.{table} would be the view itself)
        have = {r[0] for r in store._run(f"SELECT column_name FROM (DESCRIBE {source})")}
        fill = "".join(f", NULL::{kind} AS {c}" for c, kind in added_since(version) if c not in have)
        if fill:
            store._run(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT *{fill} FROM {source}")


def prepare(store: "Store", schema: Sequence[str]) -> None:
    """Create the schema's tables, upgrading an older store first; all in one transaction."""
    version = check(store)
    old = version is not None and version < REKEYED
    if old:  # an index holds the table it indexes, which the upgrade renames (harmless if it fails)
        store._run("DROP INDEX IF EXISTS mentions_event_key")
    store._run("BEGIN TRANSACTION")
    try:
        if old:
            store._run("ALTER TABLE documents RENAME TO documents_v1")
            store._run("ALTER TABLE mentions RENAME TO mentions_v1")
        # DuckDB does not see a table created in the transaction that renamed its namesake when
        # indexing it: an upgraded store gets its indexes after the upgrade commits
        later = [s for s in schema if old and s.upper().startswith("CREATE INDEX")]
        for statement in schema:
            if statement not in later:
                store._run(statement)
        if version is not None and version < SCHEMA_VERSION:  # before _from_v1, which fills mentions
            for table in ("mentions", "events"):
                for column, kind in added_since(version):
                    store._run(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")
        if old:
            _from_v1(store)
        store._run("INSERT OR REPLACE INTO store_info VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        store._run("COMMIT")
    except BaseException:
        store._run("ROLLBACK")
        raise
    for statement in later:
        store._run(statement)


def _from_v1(store: "Store") -> None:
    """The version-1 tables re-keyed into the new ones, then dropped; the events rebuilt."""
    copy_v1(store, "documents_v1", "mentions_v1", ingested_at="d.ingested_at")
    store._run("DROP TABLE documents_v1")
    store._run("DROP TABLE mentions_v1")
    store._run("DELETE FROM events")
    store._merge_new()


def copy_v1(store: "Store", documents: str, mentions: str | None, ingested_at: str = "now()") -> None:
    """Add documents and mentions laid out as in version 1 (the tables named, from an old store or
    an old Parquet export) with version-2 keys, skipping those already stored. Their mentions have
    no event yet (``Store._merge_new`` gives them one)."""
    docs = {d["doc_key"]: publication_key(d["doc_key"], d["publisher"], d["url"], d["published"])
            for d in store.rows(f"SELECT doc_key, publisher, url, published FROM {documents}")}
    rows = store.rows(f"SELECT mention_id, doc_key FROM {mentions}") if mentions else []
    new_doc = [docs.get(m["doc_key"], m["doc_key"]) for m in rows]
    store.con.register("_doc_keys", pa.table({"old": list(docs), "new": list(docs.values())},
                                             schema=pa.schema([("old", pa.string()), ("new", pa.string())])))
    store.con.register("_mention_keys", pa.table({
        "old": [m["mention_id"] for m in rows], "doc_key": new_doc,
        "new": [mention_key(d, m["mention_id"]) for d, m in zip(new_doc, rows)]},
        schema=pa.schema([("old", pa.string()), ("doc_key", pa.string()), ("new", pa.string())])))
    try:
        old_doc = {"doc_key": "k.new", "text_key": "d.doc_key", "metadata": "NULL"}
        store._run(f"INSERT OR IGNORE INTO documents ({', '.join(DOCUMENT_COLUMNS)}, ingested_at) "
                   f"SELECT {', '.join(old_doc.get(c, 'd.' + c) for c in DOCUMENT_COLUMNS)}, {ingested_at} "
                   f"FROM {documents} d JOIN _doc_keys k ON k.old = d.doc_key")
        if mentions:
            have = {r[0] for r in store._run(f"SELECT column_name FROM (DESCRIBE {mentions})")}
            old_mention = {"mention_id": "k.new", "doc_key": "k.doc_key",
                           **{c: "NULL" for c, _ in added_since(1) if c not in have}}
            store._run(f"INSERT OR IGNORE INTO mentions ({', '.join(MENTION_COLUMNS)}) "
                       f"SELECT {', '.join(old_mention.get(c, 'm.' + c) for c in MENTION_COLUMNS)} "
                       f"FROM {mentions} m JOIN _mention_keys k ON k.old = m.mention_id")
    finally:
        store.con.unregister("_doc_keys")
        store.con.unregister("_mention_keys")
