"""Documents and coded events as flat rows for the store and for Parquet, with their keys.

Keys are content hashes, so the same text coded the same way gives the same rows wherever and
whenever it is coded (one process, many, or a Dask cluster). A stored document is one
*publication* of a text: the same text published by another outlet, at another address or on
another date is another document (its own mentions, counted in its events), sharing the text's
``text_key``.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Sequence

import pyarrow as pa

from .. import columns
from ..schema import Document, Event

DOCUMENT_COLUMNS = columns.row_names("documents")  # what document_row fills (the store adds ingested_at)
MENTION_COLUMNS = columns.row_names("mentions")    # what mention_row fills (the merge adds event_key)


def _hash(*parts: Any, size: int = 32) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:size]


def text_key(text: str) -> str:
    """The identity of a text, whoever published it."""
    return _hash("doc", text)


def publication_key(text: str, publisher: str | None, url: str | None, published: date | None) -> str:
    """One publication of a text (``text`` is its ``text_key``): the store's document key."""
    return _hash("publication", text, publisher, url, published)


def document_key(document: Document) -> str:
    """The document's identity in the store: its text and where and when it was published."""
    return publication_key(text_key(document.text), document.source, document.url, document.date)


def mention_key(doc_key: str, text_mention: str) -> str:
    """A mention: an event coded from a text (``text_mention_key``) in one publication (``doc_key``)."""
    return _hash(doc_key, text_mention)


def text_mention_key(text: str, event_id: str) -> str:
    """An event coded from a text (``text`` is its ``text_key``): the mention key of stores written
    before publications were kept, so they migrate to exactly the keys a new store has."""
    return _hash(text, event_id)


def actor_key(code: str | None, text: str | None) -> str:
    """Who an actor is, for merging: its code, or its words when it has none."""
    if code:
        return code
    return "text:" + " ".join((text or "").lower().split()) if text else "-"


def group_key(row: dict[str, Any]) -> str:
    """Mentions that may tell the same event: same source, target, CAMEO root and modality."""
    return _hash(actor_key(row["source_code"], row["source_text"]), actor_key(row["target_code"], row["target_text"]),
                 row["cameo_root"], row["modality"], size=24)


def document_row(document: Document, n_mentions: int) -> dict[str, Any]:
    metadata = json.dumps(document.metadata, ensure_ascii=False, sort_keys=True, default=str) \
        if document.metadata else None
    return {"doc_key": document_key(document), "text_key": text_key(document.text), "doc_id": document.id,
            "title": document.title, "url": document.url, "publisher": document.source,
            "published": document.date, "n_words": len(document.text.split()), "n_mentions": n_mentions,
            "origin": document.origin, "metadata": metadata, "text": document.text}


def mention_row(doc_key: str, text: str, event: Event) -> dict[str, Any]:
    """The row of one coded event of a publication (``doc_key``) of a text (``text``: its key): the
    event's flat row (``Event.to_row``, the same values ``redline code --format csv`` writes) with
    the mention's keys added."""
    row = event.to_row()
    row = {"mention_id": mention_key(doc_key, text_mention_key(text, row["event_id"])), "doc_key": doc_key, **row}
    row["group_key"] = group_key(row)
    return row


def coded_rows(document: Document, events: list[Event]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The document's row and its mentions' rows."""
    key, text = document_key(document), text_key(document.text)
    mentions = list({r["mention_id"]: r for r in (mention_row(key, text, e) for e in events)}.values())
    return document_row(document, len(mentions)), mentions


# DuckDB's types (the column spec's) as Arrow's
_ARROW = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "TINYINT": pa.int8(), "DOUBLE": pa.float64(),
          "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "BOOLEAN": pa.bool_()}


def arrow_schema(table: str, names: Sequence[str] | None = None) -> pa.Schema:
    """Arrow types of a store table's columns (``names``, default all) from the column spec, for
    Parquet and DuckDB."""
    spec = {c.name: c for c in columns.table(table).columns}
    return pa.schema([(n, _ARROW[spec[n].type]) for n in (names or spec)])


def arrow_table(table: str, names: Sequence[str], rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table of a store table's ``names`` columns with their types (for DuckDB
    inserts and Parquet); other keys of the rows are left out."""
    return pa.Table.from_pylist([{c: r.get(c) for c in names} for r in rows], schema=arrow_schema(table, names))
