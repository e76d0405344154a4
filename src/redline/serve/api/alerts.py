"""``GET /api/alerts``: the alerts feed (newest first, with their events), from ``store.read.alerts``."""
from __future__ import annotations

from datetime import date, datetime, timezone

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, field_validator

from ...store import Store, read
from ..deps import read_store
from ..errors import RESPONSES
from ..params import DATETIME, moment

router = APIRouter(prefix="/api", tags=["alerts"], responses=RESPONSES)


class AlertEvent(BaseModel):
    event_key: str
    date: date | None
    source_code: str | None
    cameo: str | None
    plover: str | None
    target_code: str | None
    modality: str | None
    evidence: str | None


class Alert(BaseModel):
    alert_id: str
    rule: str = Field(description="The watch rule (or `redline:ID` for a red line crossed)")
    kind: str | None
    window_start: date | None
    window_end: date | None
    n_events: int | None
    n_new: int | None
    detail: str | None
    fired_at: datetime = Field(description="When it fired (UTC)")
    events: list[AlertEvent]

    @field_validator("fired_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        """The store keeps UTC without a zone; the API says so (RFC 3339 needs an offset)."""
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def read_alerts(store: Store, since: datetime | None = None, rule: str | None = None, limit: int = 100) -> list[Alert]:
    """Alerts fired after ``since`` (naive UTC, see ``filters.moment``; of one ``rule``), newest
    first, with their events."""
    return [Alert(**a) for a in read.alerts(store, since=since, rule=rule, limit=limit)]


@router.get("/alerts", response_model=list[Alert], summary="The alerts feed, newest first")
def get_alerts(since: str | None = Query(None, pattern=DATETIME, max_length=40, json_schema_extra={"format": "date-time"},
                                        description="Only alerts fired after this (RFC 3339 date-time, "
                                                    "e.g. the newest `fired_at` seen)"),
               rule: str | None = Query(None, max_length=200, description="Only this rule's alerts"),
               limit: int = Query(100, ge=1, le=read.MAX_LIMIT),
               store: Store = Depends(read_store)) -> list[Alert]:
    """Alerts raised by `redline watch` rules and red-line crossings, newest first; poll with
    `since=` the newest `fired_at` seen."""
    return read_alerts(store, moment("since", since), rule, limit)
