"""``/map``: where the events happened, the page of ``/api/map``: a world map drawn server-side
as SVG (``where.worldmap``: outlines, countries shaded by events, places as dots sized by count)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse

from ...store import Store
from ...store.query import Filters
from ..api.map import MAX_POINTS, read_map
from ..deps import read_store
from ..api.filtering import query_filters
from ...where.worldmap import drawing, names
from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, limit: int = Query(MAX_POINTS, ge=1, le=MAX_POINTS),
             filters: Filters = Depends(query_filters), store: Store = Depends(read_store)) -> HTMLResponse:
    """The world map of the matching events, with the country table under it."""
    data = read_map(store, filters, limit)
    query = request.url.query
    known = names()
    return render(request, "map.html", title="Map", json_url="/api/map" + (f"?{query}" if query else ""),
                  data=data, map=drawing(data.points, data.countries), names=known, filters=filters,
                  unmapped=[c for c in data.countries if c.country not in known])
