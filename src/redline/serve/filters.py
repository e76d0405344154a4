"""The read model's filters (``store.query.PARAMETERS``) as query parameters whose schema states
what ``Filters.from_mapping`` accepts (patterns, enums, ranges), so a client (and Schemathesis)
can tell a good request from a bad one before sending it. A route takes
``filters: Filters = Depends(event_filters)``; anything the schema lets through that the read model
still refuses is its ``FilterError``, answered 400 naming the parameter.

Dates are ``YYYY-MM-DD`` (:func:`day`; pydantic's own ``date`` would also take a number as a
timestamp, which the schema does not say); ``from`` after ``to`` is an empty range (no events),
not an error.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from enum import Enum

from fastapi import Query

from .. import ontology
from ..actors.groups import builtin_groups
from ..schema import MODALITIES
from ..store.query import MAX_TEXT, PARAMETERS, QUADS, FilterError, Filters


def _listed(item: str) -> str:
    """A pattern for a comma-separated list of ``item`` (spaces around items allowed)."""
    return rf"^ *({item}) *(, *({item}) *)*$"


# one actor: a code (three letters or more) or a built-in group name (EU, NATO)
ACTOR = "|".join([r"[A-Za-z]{3,}", *(f"[{n[0].upper()}{n[0].lower()}][{n[1].upper()}{n[1].lower()}]"
                                      for n in builtin_groups() if len(n) < 3)])
ACTORS = _listed(ACTOR)
DYAD = rf"^ *({ACTOR}) *: *({ACTOR}) *$"
COUNTRIES = _listed("[A-Za-z]{3}")
QUAD_LIST = _listed("|".join(["[1-4]", *QUADS]))
MODALITY_LIST = _listed("|".join(MODALITIES))
# PLOVER types and every CAMEO code or prefix, as an enum (from the ontology's data)
Kind = Enum("Kind", {v: v for v in [*(t.name for t in ontology.plover_types()),
                                    *sorted({c.code[:i] for c in ontology.cameo_codes()
                                             for i in range(1, len(c.code) + 1)})]}, type=str)


DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"


def date_query(alias: str | None = None, description: str = "A date (YYYY-MM-DD)") -> object:
    """A query parameter holding a date, as the schema states it (``format: date``)."""
    return Query(None, alias=alias, pattern=DATE, max_length=10, description=description,
                 json_schema_extra={"format": "date"})


def day(parameter: str, value: str | None) -> date | None:
    """The date ``value`` (YYYY-MM-DD) or None; FilterError naming ``parameter``."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(parameter, f"{value[:20]!r} is not a date (YYYY-MM-DD)") from None


def moment(parameter: str, value: str | None) -> datetime | None:
    """The RFC 3339 date-time ``value`` as naive UTC (how the store keeps times) or None;
    FilterError naming ``parameter``. Times beyond the calendar's ends are clamped to them."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise FilterError(parameter, f"{value[:40]!r} is not a date-time (RFC 3339, with an offset)") from None
    if parsed.tzinfo is None:
        return parsed
    try:
        return parsed.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        return datetime.min if parsed.year == 1 else datetime.max


def dated(filters: Filters, start: date | None, end: date | None) -> Filters:
    """``filters`` from ``start`` to ``end`` (either may be None; start after end: no events)."""
    return filters.replace(**({"start": start} if start else {}), **({"end": end} if end else {}))


def event_filters(actor: str | None = Query(None, pattern=ACTORS, max_length=MAX_TEXT, description=PARAMETERS["actor"]),
                  type: list[Kind] = Query([], description=PARAMETERS["type"]),
                  quad: str | None = Query(None, pattern=QUAD_LIST, max_length=MAX_TEXT, description=PARAMETERS["quad"]),
                  modality: str | None = Query(None, pattern=MODALITY_LIST, max_length=MAX_TEXT,
                                               description=PARAMETERS["modality"]),
                  country: str | None = Query(None, pattern=COUNTRIES, max_length=MAX_TEXT,
                                              description=PARAMETERS["country"]),
                  place: str | None = Query(None, max_length=MAX_TEXT, description=PARAMETERS["place"]),
                  text: str | None = Query(None, max_length=MAX_TEXT, description=PARAMETERS["text"]),
                  start: str | None = date_query("from", "From this date (YYYY-MM-DD)"),
                  end: str | None = date_query("to", "Up to this date (YYYY-MM-DD; before from: no events)"),
                  min_mentions: int | None = Query(None, ge=1, le=1_000_000,
                                                   description=PARAMETERS["min_mentions"])) -> Filters:
    """The events a request asks for, as :class:`Filters` (``Filters.from_mapping`` checks them)."""
    filters = Filters.from_mapping({"actor": actor, "type": [k.value for k in type], "quad": quad,
                                    "modality": modality, "country": country, "place": place, "text": text,
                                    "min_mentions": min_mentions})
    return dated(filters, day("from", start), day("to", end))
