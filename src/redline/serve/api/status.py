"""``GET /api/status``: what store this server reads and how much is in it."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ... import __version__
from ...store import Store
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


class Status(BaseModel):
    store: str = Field(description="The store file this server reads")
    schema_version: int | None = Field(description="The store's schema version (null: a new, empty store)")
    redline_version: str
    counts: Counts


def read_status(store: Store, config: Settings) -> Status:
    """The status of ``store``: the data of ``/api/status`` and of the overview page."""
    tables = {r[0] for r in store.sql("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                      "current_database() AND schema_name = 'main'").fetchall()}
    counts = {t: store.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0] if t in tables else 0 for t in COUNTED}
    return Status(store=str(config.db), schema_version=schema_version(store), redline_version=__version__,
                  counts=Counts(**counts))


@router.get("/status", response_model=Status, summary="The store and how much it holds")
def status(store: Store = Depends(read_store), config: Settings = Depends(settings)) -> Status:
    """The store's path, its schema version, Redline's version, and the number of documents,
    mentions, events and alerts stored."""
    return read_status(store, config)
