"""``/redlines``: the red-line ledger, the page of ``/api/redlines``."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse

from ...store import Store
from ..api.redlines import read_redlines
from ..deps import read_store
from ..templating import render

router = APIRouter(include_in_schema=False)
MAX_CROSSINGS_SHOWN = 12  # a red line crossed day after day lists its first crossings only


@router.get("/redlines", response_class=HTMLResponse)
def redlines_page(request: Request, declarer: str | None = Query(None, max_length=40),
                  status: str | None = Query(None, max_length=20), store: Store = Depends(read_store)) -> HTMLResponse:
    """Each red line with its declarer, trigger, consequence, stance, dates, crossings and
    follow-through; the credibility record per declarer. The form's empty fields mean any."""
    declarer, status = (declarer or "").strip().upper() or None, status or None
    query = request.url.query
    return render(request, "redlines.html", title="Red lines",
                  json_url="/api/redlines" + (f"?{query}" if query else ""), ledger=read_redlines(store, declarer, status),
                  declarer=declarer, status=status, max_crossings=MAX_CROSSINGS_SHOWN)
