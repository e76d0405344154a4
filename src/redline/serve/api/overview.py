"""``GET /api/overview``: the dashboard's front page as data: the store's status, events and
documents per period, the busiest dyads, the latest alerts and the latest red lines."""
from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ...store import Store, read
from ...store.query import Filters
from ..deps import Settings, read_store, settings
from ..errors import RESPONSES
from .alerts import Alert, read_alerts
from .redlines import RedLine, read_redlines
from .series import Dyad, read_dyads
from .status import Status, read_status

router = APIRouter(prefix="/api", tags=["overview"], responses=RESPONSES)


class Activity(BaseModel):
    period: date
    events: int
    documents: int = Field(description="Documents first reporting these events")
    conflict: int


class Overview(BaseModel):
    status: Status
    freq: str
    activity: list[Activity] = Field(description="Events and documents per period, oldest first")
    dyads: list[Dyad]
    alerts: list[Alert]
    redlines: list[RedLine] = Field(description="The most recently declared red lines")
    ledger: bool = Field(description="Whether the store has the red-line ledger")


def read_overview(store: Store, config: Settings, freq: str = "month", top: int = 10, latest: int = 5) -> Overview:
    """The overview of ``store``: status, activity per ``freq``, ``top`` dyads, ``latest`` alerts and red lines."""
    ledger = read_redlines(store)
    return Overview(status=read_status(store, config), freq=freq,
                    activity=[Activity(**r) for r in read.activity(store, Filters(), freq)],
                    dyads=read_dyads(store, Filters(), top), alerts=read_alerts(store, limit=latest),
                    redlines=ledger.redlines[:latest], ledger=ledger.ledger)


@router.get("/overview", response_model=Overview, summary="The store at a glance")
def get_overview(freq: Literal["day", "week", "month", "year"] = Query("month", description="Activity period"),
                 top: int = Query(10, ge=1, le=100, description="Dyads listed"),
                 latest: int = Query(5, ge=1, le=100, description="Alerts and red lines listed"),
                 store: Store = Depends(read_store), config: Settings = Depends(settings)) -> Overview:
    """What `/api/status` says, with events and documents per period, the busiest dyads, the
    latest alerts and the most recently declared red lines."""
    return read_overview(store, config, freq, top, latest)
