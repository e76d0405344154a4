"""``/actors``: the busiest actors (the page of ``/api/actors``) and a form resolving an actor
phrase (``/api/actors/resolve``)."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse

from ...store import Store, read
from ...store.query import Filters
from ..api.actors import MAX_PHRASE, read_actors, resolve
from ..deps import read_store
from ..api.filtering import query_filters
from ..params import day
from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, top: int = Query(50, ge=1, le=read.MAX_LIMIT),
                phrase: str | None = Query(None, max_length=MAX_PHRASE), on: str | None = Query(None, max_length=10),
                filters: Filters = Depends(query_filters), store: Store = Depends(read_store)) -> HTMLResponse:
    """The actors in most events, each linking to its events; with ``phrase``, how it resolves."""
    as_of = day("on", on or None)
    resolution = resolve(phrase.strip(), as_of) if phrase and phrase.strip() else None
    params = {k: v for k, v in request.query_params.items() if k not in ("phrase", "on")}
    return render(request, "actors.html", title="Actors",
                  json_url="/api/actors" + (f"?{urlencode(params)}" if params else ""),
                  actors=read_actors(store, filters, top), phrase=phrase or "", on=as_of, resolution=resolution)
