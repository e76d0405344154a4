"""``GET /api/events`` (a page of events, as JSON, NDJSON or CSV) and ``GET /api/events/{event_key}``
(one event with every mention and document): the data of the ``/events`` pages."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any, Iterator, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response, StreamingResponse

from ...output.safe import cell
from ...store import Store
from ...store import read
from ...store.query import Filters
from ..deps import read_store
from ..errors import RESPONSES
from .filtering import listed, query_filters

router = APIRouter(prefix="/api", tags=["events"], responses=RESPONSES)
SORT_PATTERN = rf"^-?(?:{'|'.join(read.SORTS)})$"
FIELDS_PATTERN = listed("|".join(sorted(read.event_columns(), key=len, reverse=True)))
FACETS = ("plover", "quad_class", "source_country", "modality")
MEDIA = {"json": "application/json", "ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


class EventsPage(BaseModel):
    """A page of events."""

    events: list[dict[str, Any]] = Field(description="The events of this page (the `fields` asked for)")
    next: str | None = Field(description="The URL of the next page (same parameters, with its cursor); "
                                         "null on the last page")
    total: int | None = Field(description="Every matching event, counted when asked (`total=true`)")


class EventDetail(BaseModel):
    """One event, every mention of it (evidence, offsets, the actors' and date words, the coder's
    explanation) and the documents those come from."""

    event: dict[str, Any]
    mentions: list[dict[str, Any]]
    documents: list[dict[str, Any]]


def split(value: str | None) -> list[str] | None:
    """``a,b`` -> ``["a", "b"]``; None or empty -> None."""
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    return items or None


def read_events(store: Store, filters: Filters, *, fields: list[str] | None = None, sort: str = "-date",
                after: str | None = None, limit: int = 50, total: bool = False) -> read.Page:
    """A page of the events ``filters`` selects: the data of ``/api/events`` and the ``/events`` page."""
    return read.events(store, filters, fields=fields, sort=sort, after=after, limit=limit, total=total)


def read_facets(store: Store, filters: Filters) -> dict[str, list[dict[str, Any]]]:
    """The facets the events page shows (PLOVER type, quad class, source country, modality)."""
    return read.facets(store, filters, FACETS)


def read_event(store: Store, event_key: str) -> EventDetail:
    """One event with its mentions and documents; a 404 for an unknown key."""
    found = read.event(store, event_key)
    if found is None:
        raise HTTPException(404, f"no event {event_key[:64]!r} in this store")
    mentions, documents = found.pop("mentions"), found.pop("documents")
    return EventDetail(event=found, mentions=mentions, documents=documents)


def next_url(request: Request, cursor: str | None) -> str | None:
    """The URL of the page after this one: the same query with ``after`` set to ``cursor``."""
    if cursor is None:
        return None
    return str(request.url.include_query_params(after=cursor))


def _text(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def csv_lines(rows: list[dict[str, Any]], fields: list[str]) -> Iterator[str]:
    """Rows as CSV, text cells neutralised against spreadsheet formulas (``output.safe.cell``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([cell(_text(row.get(f))) for f in fields])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@router.get("/events", response_model=EventsPage, summary="A page of events, filtered and sorted",
            responses={200: {"content": {"application/x-ndjson": {}, "text/csv": {}}}})
def events(request: Request, store: Store = Depends(read_store), filters: Filters = Depends(query_filters),
           fields: str | None = Query(None, pattern=FIELDS_PATTERN, max_length=2000,
                                      description="Event fields to return, comma-separated (default: all)"),
           sort: str = Query("-date", pattern=SORT_PATTERN,
                             description=f"Sort by {', '.join(read.SORTS)}; a leading '-' for descending"),
           after: str | None = Query(None, max_length=400, pattern=r"^[A-Za-z0-9_-]+$",
                                     description="The cursor of a page (take the `next` URL of the one before)"),
           limit: int = Query(50, ge=1, le=read.MAX_LIMIT, description="Events per page"),
           total: bool = Query(False, description="Also count every matching event (slower on a large store)"),
           format: Literal["json", "ndjson", "csv"] = Query(
               "json", description="json (a page with `next` and `total`), ndjson (one event a line; the next "
                                   "page's URL in the `Link` header) or csv"),
           ) -> Any:
    """Events matching the filters (the same parameters as `redline query`), a page at a time:
    follow `next` (or the `Link: rel="next"` header) for the rest; every event comes once."""
    page = read_events(store, filters, fields=split(fields), sort=sort, after=after, limit=limit, total=total)
    following = next_url(request, page.next)
    if format == "json":
        return EventsPage(events=page.rows, next=following, total=page.total)
    headers = {"Link": f'<{following}>; rel="next"'} if following else {}
    if page.total is not None:
        headers["X-Total-Count"] = str(page.total)
    if format == "ndjson":
        body = "".join(json.dumps(jsonable_encoder(r), ensure_ascii=False) + "\n" for r in page.rows)
        return Response(body, media_type=MEDIA["ndjson"], headers=headers)
    return StreamingResponse(csv_lines(page.rows, page.fields), media_type=MEDIA["csv"], headers=headers)


@router.get("/events/{event_key}", response_model=EventDetail, summary="One event, its mentions and documents",
            responses={404: {"model": RESPONSES[400]["model"], "description": "No such event"}})
def event(event_key: str = Path(max_length=64, description="The event's key (`event_key` of /api/events)"),
          store: Store = Depends(read_store)) -> EventDetail:
    """The event, every mention of it (the evidence sentence and its offsets in the document, the
    actors' and date words, who reported it, the coder's explanation) and its documents."""
    return read_event(store, event_key)
