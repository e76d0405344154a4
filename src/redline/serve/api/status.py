"""``GET /api/status``: what store this server reads, how much is in it, and what its monitor did."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ... import __version__
from ...store import Store
from ...monitor.status import monitor_status
from ...store.migrate import schema_version
from ..deps import Settings, read_store, settings
from ..errors import RESPONSES

router = APIRouter(prefix="/api", tags=["status"], responses=RESPONSES)
COUNTED = ("documents", "mentions", "events", "alerts")


class Counts(BaseModel):
    documents: int = Field(description="Publications stored (one text at one publisher, url and date)")
    mentions: int = Field(description="Coded events as each document reports them")
    events: int = Field(description="Mentions of the same event merged into one")
    alerts: int = Field(description="Alerts that `redline watch` rules raised")


class FeedStatus(BaseModel):
    feed_url: str = Field(description="The feed's (or URL list's) address")
    publisher: str | None = Field(description="The publisher its items are stored under")
    last_fetch: datetime | None = Field(description="When it was last fetched (UTC)")
    last_ok: datetime | None = Field(description="When it was last fetched without error (UTC)")
    failures: int | None = Field(description="Failures since the last success (the backoff's exponent)")
    last_error: str | None = Field(description="The last failure, in words")
    next_due: datetime | None = Field(description="When it is fetched next (UTC)")
    items_total: int | None = Field(description="Items first seen in it")


class CycleStatus(BaseModel):
    cycle: int = Field(description="The cycle's number")
    started: datetime | None = Field(description="When it started (UTC)")
    finished: datetime | None = Field(description="When it finished (UTC); null: running, or interrupted")
    feeds_polled: int | None
    feeds_failed: int | None
    items_new: int | None
    documents: int | None = Field(description="Documents stored")
    events: int | None = Field(description="Event mentions coded")
    alerts: int | None = Field(description="New alerts")
    delivered: int | None = Field(description="Alert deliveries accepted")
    delivery_failures: int | None
    errors: int | None = Field(description="Feed and article fetches that failed, articles without text")


class Status(BaseModel):
    store: str = Field(description="The store file this server reads")
    schema_version: int | None = Field(description="The store's schema version (null: a new, empty store)")
    redline_version: str
    counts: Counts
    feeds: list[FeedStatus] = Field(description="The feeds a monitor polls into this store (`redline monitor`, "
                                                "`serve --feeds`); empty when none")
    cycles: list[CycleStatus] = Field(description="The monitor's last cycles, newest first")
    pending_deliveries: int = Field(description="Alert deliveries not yet made and still to be tried")


def read_status(store: Store, config: Settings) -> Status:
    """The status of ``store``: the data of ``/api/status`` and of the overview page."""
    tables = {r[0] for r in store.sql("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                      "current_database() AND schema_name = 'main'").fetchall()}
    counts = {t: store.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0] if t in tables else 0 for t in COUNTED}
    return Status(store=str(config.db), schema_version=schema_version(store), redline_version=__version__,
                  counts=Counts(**counts), **monitor_status(store))


@router.get("/status", response_model=Status, summary="The store and how much it holds")
def status(store: Store = Depends(read_store), config: Settings = Depends(settings)) -> Status:
    """The store's path, its schema version, Redline's version, and the number of documents,
    mentions, events and alerts stored."""
    return read_status(store, config)
