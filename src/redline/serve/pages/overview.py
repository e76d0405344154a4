"""``/``: the overview page, the page of ``/api/status``."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse

from ...store import Store
from ..api.status import read_status
from ..deps import Settings, read_store, settings
from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: Store = Depends(read_store),
             config: Settings = Depends(settings)) -> HTMLResponse:
    """What the store holds, at a glance."""
    return render(request, "overview.html", title="Overview", json_url="/api/status",
                  status=read_status(store, config))
