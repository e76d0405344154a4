"""Event series for a dyad or an actor: counts per period by quad class and PLOVER type, the
Goldstein sum and mean, and a conflict-cooperation index, computed in DuckDB from the store.
Events are placed by their date at its precision: days and weeks count events dated to the day
(or by their article's date), months also those dated to the month; year-dated events are left out.

Only factual events count unless asked: threats, claims and hypotheticals are their own series
(``modality=("future", "hypothetical", "uncertain")``) so that talk is not counted as deeds.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from .. import ontology
from ..store.query import Filters
from . import periods

FREQUENCIES = ("day", "week", "month")
QUAD_NAMES = {1: "verbal_coop", 2: "material_coop", 3: "verbal_conflict", 4: "material_conflict"}
CLAIMS = ("future", "hypothetical", "uncertain")  # talk: a series of its own, not counted as deeds


@dataclass(frozen=True)
class Selection(Filters):
    """The events a series counts: :class:`~redline.store.query.Filters`, factual by default."""

    modality: tuple[str, ...] = ("factual",)


def precisions(freq: str) -> tuple[str, ...]:
    """The date precisions fine enough to place an event in a period of ``freq``."""
    return ("day", "document") + (("month",) if freq == "month" else ())


def series_sql(selection: Selection, freq: str = "week") -> tuple[str, list[Any]]:
    """The SQL of a series (one row per period that has events) and its parameters."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq: {freq!r} is not one of {', '.join(FREQUENCIES)}")
    where, params = selection.where()
    # an event dated only "in March" or "in 2018" does not belong to the first day or week of it
    where += f" AND date IS NOT NULL AND date_precision IN ({', '.join(repr(p) for p in precisions(freq))})"
    quads = ", ".join(f"count(*) FILTER (WHERE quad_class = {q}) AS {name}" for q, name in QUAD_NAMES.items())
    plover = ", ".join(f"count(*) FILTER (WHERE plover = '{t.name}') AS {t.name.lower()}"
                       for t in ontology.plover_types())
    sql = (f"SELECT date_trunc('{freq}', date)::DATE AS period, count(*) AS events, {quads}, {plover}, "
           "sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean, "
           "(count(*) FILTER (WHERE quad_class <= 2) - count(*) FILTER (WHERE quad_class >= 3))::DOUBLE "
           "/ count(*) AS coop_conflict_index, sum(n_mentions) AS mentions "
           f"FROM events WHERE {where} GROUP BY 1 ORDER BY 1")
    return sql, params


def series(store, selection: Selection, freq: str = "week") -> list[dict[str, Any]]:
    """Rows ``{period, events, verbal_coop, ..., assault, goldstein_sum, goldstein_mean,
    coop_conflict_index, mentions}`` for the periods with events, oldest first.

    ``coop_conflict_index`` runs from -1 (all conflict) to +1 (all cooperation).
    """
    sql, params = series_sql(selection, freq)
    return store.rows(sql, params)


def dense(rows: Sequence[dict[str, Any]], freq: str, start: date | None = None, end: date | None = None,
          field: str = "events") -> list[tuple[date, float]]:
    """A series with every period filled (zero where nothing happened), for plots and detection."""
    if not rows and not (start and end):
        return []
    values = {r["period"]: r[field] or 0 for r in rows}
    first = periods.start(start, freq) if start else min(values)
    last = periods.start(end, freq) if end else max(values)
    out = []
    day: date | None = first
    while day is not None and day <= last:
        out.append((day, values.get(day, 0)))
        day = periods.following(day, freq)
    return out
