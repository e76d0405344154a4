"""``GET /api/map``: located events (points with lat/lon and counts) and events by country, from
``store.read.places``; the map page draws them over country outlines (``where.worldmap``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ...store import Store, read
from ...store.query import Filters
from ..deps import read_store
from ..errors import RESPONSES
from .filtering import query_filters

router = APIRouter(prefix="/api", tags=["map"], responses=RESPONSES)
MAX_POINTS = 5000


class Point(BaseModel):
    name: str | None = Field(description="The place name as coded")
    country: str | None
    lat: float
    lon: float
    n_events: int
    conflict: int = Field(description="Of them, conflict events (quad class 3 or 4)")


class CountryActivity(BaseModel):
    country: str = Field(description="ISO alpha-3: where the event happened, else its target's country")
    n_events: int
    conflict: int


class MapData(BaseModel):
    points: list[Point]
    countries: list[CountryActivity]


def read_map(store: Store, filters: Filters, limit: int = MAX_POINTS) -> MapData:
    """Points and country activity of the matching events (``store.read.places``)."""
    found = read.places(store, filters, limit=limit)
    return MapData(points=[Point(**p) for p in found["points"]],
                   countries=[CountryActivity(**c) for c in found["countries"]])


@router.get("/map", response_model=MapData, summary="Where the events happened")
def get_map(limit: int = Query(MAX_POINTS, ge=1, le=MAX_POINTS, description="Most places returned"),
            filters: Filters = Depends(query_filters), store: Store = Depends(read_store)) -> MapData:
    """Located events grouped by place (name, country, lat, lon, counts; busiest first) and the
    number of events per country (where it happened, else the target's country)."""
    return read_map(store, filters, limit)
