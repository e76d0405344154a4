"""The red-line ledger's tables: statements written, red lines merged from them, crossings kept.

``add_statements`` stores red-line statements (``redline.redlines.Statement``) in one
transaction: a statement already stored is skipped, and every red line a new statement belongs
to is rebuilt from all its statements, so adding the same statements twice (or resuming an
interrupted run) changes nothing. The reads (``redline_rows``, ``statement_rows``,
``crossing_rows``) return plain rows with the JSON columns decoded, for the Python API, the
command line and the web API alike.
"""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pyarrow as pa

from .. import columns
from .rows import mention_key, text_mention_key

if TYPE_CHECKING:
    from ..redlines.record import Statement
    from . import Store

REDLINE_TABLES = ("redlines", "redline_statements", "redline_crossings")
STATEMENT_COLUMNS = columns.row_names("redline_statements")  # what statement_row fills (the store adds added_at)
REDLINE_COLUMNS = columns.row_names("redlines")               # what merge fills
JSON_COLUMNS = columns.json_names(*REDLINE_TABLES)           # decoded when read


class StatementError(ValueError):
    """A statement that cannot be stored; the message names the statement and the field."""


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def statement_row(s: "Statement") -> dict[str, Any]:
    """The stored row of one statement."""
    return {"statement_id": s.statement_id, "redline_id": s.redline_key, "doc_id": s.doc_id,
            "sentence_index": s.sentence_index, "span_start": s.span[0], "span_end": s.span[1],
            "evidence": s.evidence, "date": date.fromisoformat(str(s.date)) if s.date else None,
            "date_precision": s.date_precision,
            "declarer": _dump(s.declarer.to_dict()),
            "addressee": _dump(s.addressee.to_dict()) if s.addressee else None,
            "trigger": _dump(s.trigger.to_dict()), "consequence": _dump(s.consequence.to_dict()),
            "stance": s.stance, "event_id": s.event_id, "explanation": s.explanation}


def _order(row: dict[str, Any]) -> tuple:
    """Statements in the order they were made: by date (undated last), then where they stand."""
    return (row["date"] is None, row["date"] or date.min, row["doc_id"] or "", row["sentence_index"] or 0,
            row["statement_id"])


def declarations(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The distinct declarations among statement rows (in order): the same sentence on the same
    day told by several articles is one declaration, not a restatement."""
    seen: dict[tuple, dict[str, Any]] = {}
    for r in sorted(rows, key=_order):
        seen.setdefault((r["date"], " ".join((r["evidence"] or "").lower().split())), r)
    return list(seen.values())


def merge(statements: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One red line from all its statement rows (decoded): first and last declared, restatements
    (declarations after the first), the current stance (the latest statement's), the trigger with
    every statement's CAMEO codes, and the latest consequence that names a type (else the
    latest). Depends only on the set of statements, not the order they were added in."""
    rows = sorted(statements, key=_order)
    first, last = rows[0], rows[-1]
    trigger = dict(first["trigger"])
    trigger["cameo"] = sorted({c for r in rows for c in r["trigger"].get("cameo") or []})
    named = [r for r in rows if r["consequence"].get("type") or r["consequence"].get("cameo")]
    consequence = (named or rows)[-1]["consequence"]
    addressed = [r for r in rows if r["addressee"] and (r["addressee"].get("code") or r["addressee"].get("country"))]
    declarer = first["declarer"]
    last_dated = [r for r in rows if r["date"] is not None][-1:]
    return {"redline_id": first["redline_id"], "declarer_code": declarer.get("code"),
            "declarer_country": declarer.get("country"), "declarer_text": declarer.get("text"),
            "addressee_code": (addressed[-1]["addressee"].get("code") or addressed[-1]["addressee"].get("country"))
            if addressed else None,
            "trigger": _dump(trigger), "consequence": _dump(consequence),
            "severity": consequence.get("severity") or "unspecified", "stance": last["stance"],
            "first_declared": first["date"], "first_precision": first["date_precision"],
            "last_declared": last_dated[0]["date"] if last_dated else None,
            "n_statements": len(rows), "n_restatements": len(declarations(rows)) - 1,
            "first_evidence": first["evidence"], "last_evidence": last["evidence"]}


def has_ledger(store: "Store") -> bool:
    """Whether the store has the ledger's tables (a version-2 store opened read-only has not)."""
    found = store._run("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                       f"AND table_name IN ({', '.join(repr(t) for t in REDLINE_TABLES)})")
    return found[0][0] == len(REDLINE_TABLES)


def checked_rows(statements: Iterable["Statement"]) -> list[dict[str, Any]]:
    """The rows of statements, each checked first (``Statement.check``): a bad one raises
    ``StatementError`` naming it and the field."""
    batch = list(statements)
    for number, s in enumerate(batch, 1):
        try:
            s.check()
        except ValueError as e:
            raise StatementError(f"statement #{number} ({s.doc_id}, sentence {s.sentence_index}): {e}") from None
    return list({r["statement_id"]: r for r in (statement_row(s) for s in batch)}.values())


def write_statements(store: "Store", rows: list[dict[str, Any]]) -> int:
    """Insert statement rows (``checked_rows``) not yet stored and rebuild the red lines they
    belong to, inside the caller's transaction; returns how many were new."""
    if not rows:
        return 0
    _find_precisions(store, [r for r in rows if r["date_precision"] is None and r["event_id"]])
    new = store._insert("redline_statements", STATEMENT_COLUMNS, rows, extra="now()")
    touched = sorted({r["redline_id"] for r in rows})
    marks = ", ".join("?" for _ in touched)
    members: dict[str, list[dict[str, Any]]] = {}
    for r in _decode(store.rows(f"SELECT * FROM redline_statements WHERE redline_id IN ({marks})", touched)):
        members.setdefault(r["redline_id"], []).append(r)
    store._run(f"DELETE FROM redlines WHERE redline_id IN ({marks})", touched)
    store.con.executemany(f"INSERT INTO redlines ({', '.join(REDLINE_COLUMNS)}) "
                          f"VALUES ({', '.join('?' for _ in REDLINE_COLUMNS)})",
                          [[merged[c] for c in REDLINE_COLUMNS] for merged in (merge(members[k]) for k in touched)])
    return new


def add_statements(store: "Store", statements: Iterable["Statement"]) -> int:
    """Store red-line statements in one transaction and rebuild the red lines they belong to;
    returns how many statements were new. Every statement is checked first: one bad statement
    stores none of them, and the error names it and the field."""
    rows = checked_rows(statements)
    if not rows:
        return 0
    with store.transaction():
        return write_statements(store, rows)


def _find_precisions(store: "Store", rows: list[dict[str, Any]]) -> None:
    """Fill the date precision of statements that came without one from their THREATEN event's
    stored mention (its key is the publication's and the event id's: ``rows.mention_key``)."""
    if not rows:
        return
    docs = store.rows(f"SELECT doc_id, doc_key, text_key FROM documents WHERE doc_id IN "
                      f"({', '.join('?' for _ in rows)})", [r["doc_id"] for r in rows])
    wanted: dict[str, dict[str, Any]] = {}
    for r in rows:
        for d in docs:
            if d["doc_id"] == r["doc_id"]:
                wanted[mention_key(d["doc_key"], text_mention_key(d["text_key"], r["event_id"]))] = r
    if not wanted:
        return
    for mention_id, precision in store._run(f"SELECT mention_id, date_precision FROM mentions WHERE mention_id IN "
                                            f"({', '.join('?' for _ in wanted)})", list(wanted)):
        wanted[mention_id]["date_precision"] = precision


def _decode(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        for c in JSON_COLUMNS:
            if c in r and isinstance(r[c], str):
                r[c] = json.loads(r[c])
    return rows


def redline_rows(store: "Store", declarer: str | None = None,
                 redline_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Stored red lines (JSON columns decoded), oldest declaration first; ``declarer``: a country
    (``RUS``) or code prefix (``RUSGOV``) of the declarer."""
    if not has_ledger(store):
        return []
    clauses, params = ["TRUE"], []
    if declarer:
        clauses.append("(declarer_country = ? OR declarer_code LIKE ?)")
        params += [declarer, declarer + "%"]
    if redline_ids is not None:
        if not redline_ids:
            return []
        clauses.append(f"redline_id IN ({', '.join('?' for _ in redline_ids)})")
        params += list(redline_ids)
    return _decode(store.rows(f"SELECT * FROM redlines WHERE {' AND '.join(clauses)} "
                              "ORDER BY first_declared NULLS LAST, redline_id", params))


def _of_ids(column: str, redline_ids: Sequence[str] | None) -> tuple[str, list[Any]] | None:
    """A WHERE clause keeping the rows of some red lines (all when None); None when none are asked."""
    if redline_ids is None:
        return "TRUE", []
    if not redline_ids:
        return None
    return f"{column} IN ({', '.join('?' for _ in redline_ids)})", list(redline_ids)


def statement_rows(store: "Store", redline_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Stored statements (JSON columns decoded) in the order they were made; of some red lines."""
    clause = _of_ids("redline_id", redline_ids)
    if not has_ledger(store) or clause is None:
        return []
    where, params = clause
    return sorted(_decode(store.rows(f"SELECT * EXCLUDE (added_at) FROM redline_statements WHERE {where}", params)),
                  key=_order)


def crossing_rows(store: "Store", redline_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Recorded crossings (``redline watch``), with their event's who, what and evidence."""
    clause = _of_ids("c.redline_id", redline_ids)
    if not has_ledger(store) or clause is None:
        return []
    where, params = clause
    return _decode(store.rows(
        "SELECT c.*, e.source_code, e.cameo, e.plover, e.target_code, e.location_country, e.evidence "
        f"FROM redline_crossings c LEFT JOIN events e USING (event_key) WHERE {where} "
        "ORDER BY c.date, c.redline_id, c.event_key", params))


def save_crossings(store: "Store", redline_ids: Sequence[str], crossings: Sequence[dict[str, Any]]) -> None:
    """Replace the recorded crossings of these red lines with ``crossings`` (inside the caller's
    transaction), keeping when each was first detected."""
    if not redline_ids:
        return
    marks = ", ".join("?" for _ in redline_ids)
    seen = {(r["redline_id"], r["event_key"]): r["detected_at"] for r in store.rows(
        f"SELECT redline_id, event_key, detected_at FROM redline_crossings WHERE redline_id IN ({marks})",
        list(redline_ids))}
    store._run(f"DELETE FROM redline_crossings WHERE redline_id IN ({marks})", list(redline_ids))
    if not crossings:
        return
    store.con.register("_crossings", pa.table({
        "redline_id": [c["redline_id"] for c in crossings], "event_key": [c["event_key"] for c in crossings],
        "date": pa.array([c["date"] for c in crossings], pa.date32()), "status": [c["status"] for c in crossings],
        "prospective": pa.array([c["prospective"] for c in crossings], pa.bool_()),
        "modality": [c["modality"] for c in crossings], "reporters": [_dump(c["reporters"]) for c in crossings],
        "detected_at": pa.array([seen.get((c["redline_id"], c["event_key"])) for c in crossings], pa.timestamp("us"))}))
    try:
        store._run("INSERT OR IGNORE INTO redline_crossings SELECT redline_id, event_key, date, status, prospective, "
                   "modality, reporters, coalesce(detected_at, now()::TIMESTAMP) FROM _crossings")
    finally:
        store.con.unregister("_crossings")
