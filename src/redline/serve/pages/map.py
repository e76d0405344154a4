"""``/map``: where the events happened, the page of ``/api/map``: a world map drawn server-side
as SVG (outlines from ``serve.geo``), countries shaded by events, places as dots sized by count."""
from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse

from ...store import Store
from ...store.query import Filters
from ..api.map import MAX_POINTS, MapData, read_map
from ..deps import read_store
from ..api.filtering import query_filters
from ..geo import HEIGHT, WIDTH, names, project, world
from ..templating import render

router = APIRouter(include_in_schema=False)
SHADES = ("#fde0dd", "#fcc5c0", "#fa9fb5", "#f768a1", "#c51b8a", "#7a0177")  # fewest ... most events
NO_EVENTS = "#eceff1"


@dataclass
class Shape:
    iso3: str
    name: str
    path: str
    fill: str
    n_events: int
    conflict: int


@dataclass
class Dot:
    x: float
    y: float
    r: float
    name: str
    country: str | None
    n_events: int
    conflict: int
    href: str


def classes(counts: list[int]) -> list[tuple[int, int]]:
    """Up to ``len(SHADES)`` count ranges (low, high) for the legend, on a log scale."""
    top = max(counts, default=0)
    if top <= 0:
        return []
    n = min(len(SHADES), top)
    edges = sorted({max(1, round(math.exp(math.log(top) * i / n))) for i in range(n + 1)} | {1, top})
    ranges, low = [], 1
    for edge in edges[1:]:
        ranges.append((low, edge))
        low = edge + 1
    return ranges or [(1, top)]


def drawing(data: MapData) -> dict:
    """The map's shapes, dots and legend."""
    counts = {c.country: c for c in data.countries}
    ranges = classes([c.n_events for c in data.countries])
    shade = lambda n: next((SHADES[i] for i, (lo, hi) in enumerate(ranges) if lo <= n <= hi), NO_EVENTS)  # noqa: E731
    shapes = [Shape(o.iso3, o.name, o.path, shade(counts[o.iso3].n_events) if o.iso3 in counts else NO_EVENTS,
                    counts[o.iso3].n_events if o.iso3 in counts else 0,
                    counts[o.iso3].conflict if o.iso3 in counts else 0) for o in world()]
    top = max((p.n_events for p in data.points), default=1)
    dots = []
    for p in sorted(data.points, key=lambda p: -p.n_events):  # small dots drawn over big ones
        x, y = project(p.lat, p.lon)
        place = {"place": p.name} if p.name else {"country": p.country}
        dots.append(Dot(x, y, round(2.5 + 7 * math.sqrt(p.n_events / top), 1), p.name or "?", p.country,
                        p.n_events, p.conflict, "/events?" + urlencode(place)))
    legend = [(SHADES[i], f"{lo:,}" if lo == hi else f"{lo:,}-{hi:,}") for i, (lo, hi) in enumerate(ranges)]
    return {"shapes": shapes, "dots": dots, "legend": legend, "width": WIDTH, "height": HEIGHT}


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, limit: int = Query(MAX_POINTS, ge=1, le=MAX_POINTS),
             filters: Filters = Depends(query_filters), store: Store = Depends(read_store)) -> HTMLResponse:
    """The world map of the matching events, with the country table under it."""
    data = read_map(store, filters, limit)
    query = request.url.query
    known = names()
    return render(request, "map.html", title="Map", json_url="/api/map" + (f"?{query}" if query else ""),
                  data=data, map=drawing(data), names=known, filters=filters,
                  unmapped=[c for c in data.countries if c.country not in known])
