"""``/``: the overview page, the page of ``/api/overview`` (which holds ``/api/status``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse

from ...analytics import periods as calendar
from ...analytics.report import QUAD_COLOURS
from ...analytics.series import dense
from ...store import Store
from ..api.overview import Overview, read_overview
from ..charts import Chart, stacked_bars
from ..deps import Settings, read_store, settings
from ..templating import render

router = APIRouter(include_in_schema=False)


MAX_PERIODS = 1000  # more periods than this (a stray event dated centuries off) and only those with events are drawn


def activity_chart(overview: Overview) -> Chart | None:
    """Events per period, conflict and the rest stacked, documents as a line; every period from
    the first to the last is drawn (empty ones too) unless there are too many."""
    rows = [r.model_dump() for r in overview.activity]
    if not rows:
        return None
    freq = overview.freq
    title = f"Events per {freq}"
    periods = [d for d, _ in dense(rows, freq)] if freq in calendar.FREQS else []
    if not periods or len(periods) > MAX_PERIODS:
        periods, title = [r["period"] for r in rows], f"{title} ({freq}s with dated events only)"
    at = {r["period"]: r for r in rows}
    value = lambda name: [at[p][name] if p in at else 0 for p in periods]  # noqa: E731
    conflict, events = value("conflict"), value("events")
    return stacked_bars(periods, [("conflict events", QUAD_COLOURS["material_conflict"], conflict),
                                  ("other events", QUAD_COLOURS["verbal_coop"],
                                   [e - c for e, c in zip(events, conflict)])],
                        freq, title=title, overlay=("documents", "#283747", value("documents")), height=240)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: Store = Depends(read_store),
             config: Settings = Depends(settings)) -> HTMLResponse:
    """What the store holds, at a glance."""
    data = read_overview(store, config)
    return render(request, "overview.html", title="Overview", json_url="/api/overview",
                  status=data.status, overview=data, activity=activity_chart(data))
