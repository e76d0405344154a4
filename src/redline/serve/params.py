"""Query parameters that are one value rather than an event filter (those are
``api.filtering.query_filters``): a date (``YYYY-MM-DD``) and a moment (RFC 3339), with a schema
that says so; pydantic's own ``date`` and ``datetime`` would also take a number as a timestamp,
which the schema does not say."""
from __future__ import annotations

from datetime import date, datetime, timezone

from fastapi import Query

from ..store.query import FilterError

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
