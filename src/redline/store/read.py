"""Typed reads of the store: what the CLI, the API and the dashboard show.

Every read takes a :class:`~redline.store.query.Filters` (or plain keys) and returns plain rows,
so the same question gets the same answer whichever door it comes through. Paging is by cursor
(keyset: the last row's sort value and key), so page 1,000 of a ten-million-event store costs
what page 1 costs, and rows ingested meanwhile neither repeat nor vanish from later pages.

    page = events(store, Filters.from_mapping({"dyad": "RUS:UKR"}), sort="-date", limit=50)
    more = events(store, filters, sort="-date", after=page.next)
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Sequence

from .. import columns
from .query import Filters

# the sortable columns, and the value a NULL sorts as (so keyset paging can compare it)
SORTS = ("date", "n_mentions", "goldstein", "n_articles", "confidence")
NULL_AS = {"date": "DATE '0001-01-01'", "n_mentions": "-1", "goldstein": "-99", "n_articles": "-1", "confidence": "-1"}
MAX_LIMIT = 1000
DOCUMENT_FIELDS = ("doc_key", "doc_id", "title", "url", "publisher", "published", "n_words", "origin")


class ReadError(ValueError):
    """A read parameter that cannot be used; ``parameter`` names it (as the API and CLI call it)."""

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter}: {problem}")
        self.parameter, self.problem = parameter, problem


@dataclass
class Page:
    """One page of rows; ``next`` is the cursor of the page after it (None on the last page)."""

    rows: list[dict[str, Any]]
    next: str | None = None
    total: int | None = None
    fields: list[str] = field(default_factory=list)


def event_columns() -> list[str]:
    """The events table's columns, in order (from the one column spec)."""
    return list(columns.table("events").names)


def check_fields(fields: Sequence[str] | None) -> list[str]:
    """The columns asked for (all when none), or ReadError naming the unknown one."""
    columns = event_columns()
    if not fields:
        return columns
    for f in fields:
        if f not in columns:
            raise ReadError("fields", f"{f[:40]!r} is not an event field (fields: {', '.join(columns)})")
    return list(dict.fromkeys(["event_key", *fields]))


def _sort(sort: str) -> tuple[str, bool]:
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in SORTS:
        raise ReadError("sort", f"{sort[:40]!r}: sort by {', '.join(SORTS)} (a leading '-' for descending)")
    return name, descending


def _encode(value: Any, key: str) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, date) else value, key])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, name: str) -> tuple[Any, str]:
    try:
        value, key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(key, str):
            raise ValueError
        if name == "date":
            value = date.fromisoformat(value) if value is not None else None
        elif value is not None and not isinstance(value, (int, float)):
            raise ValueError
        return value, key
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise ReadError("after", "not a cursor this server gave (take the 'next' link of a page)") from None


def events(store, filters: Filters, *, fields: Sequence[str] | None = None, sort: str = "-date",
           after: str | None = None, limit: int = 50, total: bool = False) -> Page:
    """A page of events matching ``filters``, sorted by ``sort`` (``-date``, ``n_mentions``, ...;
    ties by event key), after the cursor ``after``; ``total`` also counts every match (costly on a
    large store, so opt-in)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ReadError("limit", f"must be from 1 to {MAX_LIMIT}, got {limit}")
    columns = check_fields(fields)
    name, descending = _sort(sort)
    where, params = filters.where()
    value = f"coalesce({name}, {NULL_AS[name]})"
    order = "DESC" if descending else "ASC"
    page_where, page_params = where, list(params)
    if after:
        last, key = _decode(after, name)
        cmp = "<" if descending else ">"
        page_where += f" AND ({value}, event_key) {cmp} (coalesce(?, {NULL_AS[name]}), ?)"
        page_params += [last, key]
    select = ", ".join(dict.fromkeys([*columns, name]))
    ordered = f"ORDER BY {value} {order}, event_key {order}"
    # the page's keys first (only the filter and sort columns are read), then its rows by key (the
    # primary key's index): one query reading every column of each matching row to sort them
    # takes 4-8x as long on a 10M-event store (DuckDB does this itself only up to 50 rows)
    keys = [r[0] for r in store.sql(f"SELECT event_key FROM events WHERE {page_where} {ordered} "
                                    f"LIMIT {int(limit) + 1}", page_params).fetchall()]
    rows = store.rows(f"SELECT {select} FROM events WHERE event_key IN ({', '.join('?' for _ in keys)}) {ordered}",
                      keys) if keys else []
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = _encode(rows[-1][name], rows[-1]["event_key"]) if more else None
    if name not in columns:
        for r in rows:
            r.pop(name, None)
    count = store.sql(f"SELECT count(*) FROM events WHERE {where}", params).fetchall()[0][0] if total else None
    return Page(rows, cursor, count, columns)


def event(store, event_key: str) -> dict[str, Any] | None:
    """One event with every mention (its evidence, offsets, actors' words, explanation) and the
    documents they come from; None if there is no such event."""
    found = store.rows("SELECT * FROM events WHERE event_key = ?", [event_key])
    if not found:
        return None
    record = found[0]
    record["mentions"] = store.rows(
        "SELECT * EXCLUDE (group_key) FROM mentions WHERE event_key = ? ORDER BY doc_key, sentence_index, span_start",
        [event_key])
    for m in record["mentions"]:
        if m.get("numbers"):
            m["numbers"] = json.loads(m["numbers"])
    # by the mentions' keys (the documents' primary key), not by scanning the mentions again
    keys = sorted({m["doc_key"] for m in record["mentions"]})
    record["documents"] = store.rows(
        f"SELECT {', '.join(DOCUMENT_FIELDS)} FROM documents WHERE doc_key IN ({', '.join('?' for _ in keys)}) "
        "ORDER BY published NULLS LAST, doc_key", keys) if keys else []
    return record


def document(store, doc_key: str, text: bool = True) -> dict[str, Any] | None:
    """One stored publication (with its text unless ``text`` is False); None if unknown."""
    columns = ", ".join((*DOCUMENT_FIELDS, "text_key", "n_mentions", "ingested_at", *(("text",) if text else ())))
    found = store.rows(f"SELECT {columns} FROM documents WHERE doc_key = ?", [doc_key])
    return found[0] if found else None


def alerts(store, *, since: datetime | date | None = None, rule: str | None = None, limit: int = 100,
           with_events: bool = True, alert_id: str | None = None) -> list[dict[str, Any]]:
    """Alerts, newest first, fired after ``since`` (a feed; or just the one ``alert_id``); each with
    its events' keys and evidence."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ReadError("limit", f"must be from 1 to {MAX_LIMIT}, got {limit}")
    clauses, params = ["TRUE"], []
    if alert_id is not None:
        clauses.append("alert_id = ?")
        params.append(alert_id)
    if since is not None:
        clauses.append("fired_at > ?")
        params.append(since)
    if rule:
        clauses.append("rule = ?")
        params.append(rule)
    rows = store.rows(f"SELECT * FROM alerts WHERE {' AND '.join(clauses)} "
                      f"ORDER BY fired_at DESC, alert_id LIMIT {int(limit)}", params)
    if with_events and rows:
        ids = [r["alert_id"] for r in rows]
        found: dict[str, list] = {}
        for e in store.rows(
                "SELECT ae.alert_id, e.event_key, e.date, e.source_code, e.cameo, e.plover, e.target_code, "
                "e.modality, e.evidence FROM alert_events ae JOIN events e USING (event_key) "
                f"WHERE ae.alert_id IN ({', '.join('?' for _ in ids)}) ORDER BY e.date, e.event_key", ids):
            found.setdefault(e.pop("alert_id"), []).append(e)
        for r in rows:
            r["events"] = found.get(r["alert_id"], [])
    return rows


def actors(store, filters: Filters | None = None, *, top: int = 20) -> list[dict[str, Any]]:
    """The actors most often in the matching events (either side), with their event counts."""
    if not 1 <= top <= MAX_LIMIT:
        raise ReadError("top", f"must be from 1 to {MAX_LIMIT}, got {top}")
    where, params = (filters or Filters()).where()
    return store.rows(
        "WITH chosen AS (SELECT * FROM events WHERE " + where + "), sides AS ("
        "SELECT source_code AS code, source_country AS country, source_name AS name, 'source' AS side, date "
        "FROM chosen WHERE source_code IS NOT NULL UNION ALL "
        "SELECT target_code, target_country, target_name, 'target', date FROM chosen WHERE target_code IS NOT NULL) "
        "SELECT code, any_value(country) AS country, mode(name) AS name, count(*) AS n_events, "
        "count(*) FILTER (WHERE side = 'source') AS as_source, count(*) FILTER (WHERE side = 'target') AS as_target, "
        "min(date) AS first_date, max(date) AS last_date FROM sides GROUP BY code "
        f"ORDER BY n_events DESC, code LIMIT {int(top)}", params)


def dyads(store, filters: Filters | None = None, *, top: int = 20) -> list[dict[str, Any]]:
    """The source-target country pairs with most matching events, with conflict and cooperation counts."""
    if not 1 <= top <= MAX_LIMIT:
        raise ReadError("top", f"must be from 1 to {MAX_LIMIT}, got {top}")
    where, params = (filters or Filters()).where()
    return store.rows(
        "SELECT source_country AS source, target_country AS target, count(*) AS n_events, "
        "count(*) FILTER (WHERE quad_class >= 3) AS conflict, count(*) FILTER (WHERE quad_class <= 2) AS cooperation, "
        "avg(goldstein) AS goldstein_mean, max(date) AS last_date FROM events "
        f"WHERE {where} AND source_country IS NOT NULL AND target_country IS NOT NULL "
        "AND source_country <> target_country GROUP BY 1, 2 "
        f"ORDER BY n_events DESC, source, target LIMIT {int(top)}", params)


def facets(store, filters: Filters, names: Sequence[str] = ("plover", "quad_class", "source_country",
                                                             "modality"), top: int = 12) -> dict[str, list[dict]]:
    """For each facet column, its most frequent values among the matching events, with counts."""
    where, params = filters.where()
    allowed = set(event_columns())
    out = {}
    for name in names:
        if name not in allowed:
            raise ReadError("facet", f"{name[:40]!r} is not an event field")
        out[name] = store.rows(f"SELECT {name} AS value, count(*) AS n FROM events WHERE {where} "
                               f"GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST LIMIT {int(top)}", params)
    return out


def activity(store, filters: Filters | None = None, freq: str = "month") -> list[dict[str, Any]]:
    """Events and documents per period (``day``, ``week``, ``month``) among the matching events."""
    if freq not in ("day", "week", "month", "year"):
        raise ReadError("freq", f"{freq[:20]!r} is not day, week, month or year")
    where, params = (filters or Filters()).where()
    return store.rows(
        f"SELECT date_trunc('{freq}', date)::DATE AS period, count(*) AS events, "
        "count(DISTINCT first_doc_key) AS documents, count(*) FILTER (WHERE quad_class >= 3) AS conflict "
        f"FROM events WHERE {where} AND date IS NOT NULL GROUP BY 1 ORDER BY 1", params)


def places(store, filters: Filters | None = None, limit: int = 5000) -> dict[str, list[dict[str, Any]]]:
    """For a map: located events (name, country, lat, lon, counts by place) and events by country."""
    where, params = (filters or Filters()).where()
    points = store.rows(
        "SELECT location_name AS name, location_country AS country, lat, lon, count(*) AS n_events, "
        "count(*) FILTER (WHERE quad_class >= 3) AS conflict FROM events "
        f"WHERE {where} AND lat IS NOT NULL AND lon IS NOT NULL GROUP BY ALL ORDER BY n_events DESC LIMIT {int(limit)}",
        params)
    countries = store.rows(
        "SELECT coalesce(location_country, target_country) AS country, count(*) AS n_events, "
        "count(*) FILTER (WHERE quad_class >= 3) AS conflict FROM events "
        f"WHERE {where} AND coalesce(location_country, target_country) IS NOT NULL GROUP BY 1 ORDER BY 2 DESC",
        params)
    return {"points": points, "countries": countries}
