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

from ..schema import Document, Event

DOCUMENT_COLUMNS = ("doc_key", "text_key", "doc_id", "title", "url", "publisher", "published", "n_words",
                    "n_mentions", "origin", "metadata", "text")
MENTION_COLUMNS = (
    "mention_id", "doc_key", "doc_id", "sentence_index", "span_start", "span_end", "evidence", "date",
    "date_precision", "date_text", "source_text", "source_code", "source_country", "source_sector",
    "source_name", "target_text", "target_code", "target_country", "target_sector", "target_name", "cameo",
    "cameo_root", "plover", "plover_mode", "quad_class", "goldstein", "modality", "reported_by_code",
    "reported_by_text", "numbers", "location_name", "location_country", "lat", "lon", "confidence",
    "explanation", "group_key",
)


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
    """The row of one coded event of a publication (``doc_key``) of a text (``text``: its key)."""
    d = event.to_dict()
    src, tgt, rep, loc = d["source"] or {}, d["target"] or {}, d["reported_by"] or {}, d["location"] or {}
    row = {
        "mention_id": mention_key(doc_key, text_mention_key(text, d["event_id"])), "doc_key": doc_key, "doc_id": d["doc_id"],
        "sentence_index": d["sentence_index"], "span_start": d["span"][0], "span_end": d["span"][1],
        "evidence": d["evidence"], "date": date.fromisoformat(d["date"]) if d["date"] else None,
        "date_precision": d["date_precision"], "date_text": d["date_text"],
        "source_text": src.get("text"), "source_code": src.get("code"), "source_country": src.get("country"),
        "source_sector": src.get("sector"), "source_name": src.get("name"),
        "target_text": tgt.get("text"), "target_code": tgt.get("code"), "target_country": tgt.get("country"),
        "target_sector": tgt.get("sector"), "target_name": tgt.get("name"),
        "cameo": d["cameo"], "cameo_root": d["cameo_root"], "plover": d["plover"], "plover_mode": d["plover_mode"],
        "quad_class": d["quad_class"], "goldstein": d["goldstein"], "modality": d["modality"],
        "reported_by_code": rep.get("code"), "reported_by_text": rep.get("text"),
        "numbers": json.dumps(d["numbers"]) if d["numbers"] else None,
        "location_name": loc.get("name"), "location_country": loc.get("country"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "confidence": d["confidence"],
        "explanation": d["explanation"],
    }
    row["group_key"] = group_key(row)
    return row


def coded_rows(document: Document, events: list[Event]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The document's row and its mentions' rows."""
    key, text = document_key(document), text_key(document.text)
    mentions = list({r["mention_id"]: r for r in (mention_row(key, text, e) for e in events)}.values())
    return document_row(document, len(mentions)), mentions


_TYPES = {
    "published": pa.date32(), "date": pa.date32(), "n_words": pa.int32(), "n_mentions": pa.int32(),
    "sentence_index": pa.int32(), "span_start": pa.int32(), "span_end": pa.int32(), "quad_class": pa.int8(),
    "goldstein": pa.float64(), "lat": pa.float64(), "lon": pa.float64(), "confidence": pa.float64(),
    "n_articles": pa.int32(), "n_sources": pa.int32(),
}


def arrow_schema(columns: Sequence[str]) -> pa.Schema:
    """Arrow types of store columns (strings unless listed), for Parquet and DuckDB."""
    return pa.schema([(c, _TYPES.get(c, pa.string())) for c in columns])


def arrow_table(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with the store's column types (for DuckDB inserts and Parquet)."""
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=arrow_schema(columns))
