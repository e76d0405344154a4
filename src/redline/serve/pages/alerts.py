"""``/alerts``: the alerts feed, the page of ``/api/alerts``."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse

from ...store import Store, read
from ..api.alerts import read_alerts
from ..deps import read_store
from ..params import moment
from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, since: str | None = Query(None, max_length=40), rule: str | None = Query(None, max_length=200),
                limit: int = Query(100, ge=1, le=read.MAX_LIMIT), store: Store = Depends(read_store)) -> HTMLResponse:
    """Alerts, newest first, each with its events."""
    query = request.url.query
    return render(request, "alerts.html", title="Alerts", json_url="/api/alerts" + (f"?{query}" if query else ""),
                  alerts=read_alerts(store, moment("since", since), rule, limit), rule=rule, since=since)
