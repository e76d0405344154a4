"""``/``: the overview page, the page of ``/api/overview`` (which holds ``/api/status``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse

from ...analytics.report import QUAD_COLOURS
from ...store import Store
from ..api.overview import Overview, read_overview
from ..charts import Chart, stacked_bars
from ..deps import Settings, read_store, settings
from ..templating import render

router = APIRouter(include_in_schema=False)


def activity_chart(overview: Overview) -> Chart | None:
    """Events per period, conflict and the rest stacked, documents as a line."""
    rows = overview.activity
    if not rows:
        return None
    periods = [r.period for r in rows]
    return stacked_bars(periods, [("conflict events", QUAD_COLOURS["material_conflict"], [r.conflict for r in rows]),
                                  ("other events", QUAD_COLOURS["verbal_coop"], [r.events - r.conflict for r in rows])],
                        overview.freq, title=f"Events per {overview.freq} (months with dated events)",
                        overlay=("documents", "#283747", [r.documents for r in rows]), height=240)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: Store = Depends(read_store),
             config: Settings = Depends(settings)) -> HTMLResponse:
    """What the store holds, at a glance."""
    data = read_overview(store, config)
    return render(request, "overview.html", title="Overview", json_url="/api/overview",
                  status=data.status, overview=data, activity=activity_chart(data))
