"""``/dyads``: the busiest dyads (page of ``/api/dyads``); ``/dyads/{SOURCE}:{TARGET}``: one dyad
(page of ``/api/dyads/{pair}``): its series by quad class and by PLOVER type with the escalation
alerts marked, the Goldstein line, recorded alerts, red lines and the most reported events."""
from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse

from ... import ontology
from ...analytics import periods as calendar
from ...analytics.report import QUAD_COLOURS, QUAD_LABELS
from ...analytics.series import QUAD_NAMES, dense
from ...store import Store
from ...store.query import Filters
from ..api.series import DyadView, read_dyad, read_dyads, dyad_selection
from ..charts import TYPE_PALETTE, line_chart, stacked_bars
from ..deps import read_store
from ..api.filtering import query_filters
from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/dyads", response_class=HTMLResponse)
def dyads_page(request: Request, top: int = Query(50, ge=1, le=1000), filters: Filters = Depends(query_filters),
               store: Store = Depends(read_store)) -> HTMLResponse:
    """The dyads with most events, each linking to its page."""
    query = request.url.query
    return render(request, "dyads.html", title="Dyads", json_url="/api/dyads" + (f"?{query}" if query else ""),
                  dyads=read_dyads(store, filters, top), filters=filters)


@router.get("/dyad", response_class=RedirectResponse)
def dyad_query(dyad: str = Query(max_length=60)) -> RedirectResponse:
    """``/dyad?dyad=RUS:UKR`` -> ``/dyads/RUS:UKR``."""
    return RedirectResponse(f"/dyads/{quote(dyad.upper(), safe=':')}", status_code=303)


def charts(view: DyadView) -> list:
    """The dyad page's charts: events by quad class (claims dashed, surges shaded), by PLOVER
    type, and the mean Goldstein score."""
    s = view.series
    if not s.periods:
        return []
    rows = [{"period": p.period, **p.quad, **{t.name.lower(): p.types.get(t.name, 0) for t in ontology.plover_types()},
             "events": p.events, "goldstein_mean": p.goldstein_mean} for p in s.periods]
    filled = dense(rows, s.freq)
    periods = [d for d, _ in filled]
    bands = [(x.start, x.end, f"escalation alert {x.start} .. {x.end}: {x.observed} conflict events, "
                              f"{x.expected:.1f} expected (p={x.p_value:.1e})") for x in s.surges]
    layers = [(QUAD_LABELS[q], QUAD_COLOURS[q], [v for _, v in dense(rows, s.freq, field=q)])
              for q in QUAD_NAMES.values()]
    claims = dict(dense([{"period": p.period, "events": p.events} for p in view.claims], s.freq)) \
        if view.claims else {}
    overlay = ("threats, plans, claims (not counted in the bars)", "#6c3483",
               [claims.get(p, 0) for p in periods]) if claims else None
    pair = f"{s.filters.get('source', '')}:{s.filters.get('target', '')}"
    hrefs = [f"/events?{urlencode({'dyad': pair, 'from': p.isoformat(), 'to': _period_end(p, s.freq)})}"
             for p in periods]
    by_quad = stacked_bars(periods, layers, s.freq, title=f"{s.label}: factual events per {s.freq} by quad class"
                           + (" (shaded: escalation alerts)" if bands else ""), bands=bands, overlay=overlay,
                           hrefs=hrefs)
    present = [t for t in ontology.plover_types() if any(p.types.get(t.name) for p in s.periods)]
    colours = dict(zip((t.name for t in ontology.plover_types()), TYPE_PALETTE))
    type_layers = [(t.name, colours[t.name], [v for _, v in dense(rows, s.freq, field=t.name.lower())])
                   for t in present]
    by_type = stacked_bars(periods, type_layers, s.freq, title=f"{s.label}: factual events per {s.freq} by PLOVER type",
                           bands=bands, height=220)
    means = {p.period: p.goldstein_mean for p in s.periods}
    goldstein = line_chart(periods, [means.get(p) for p in periods], s.freq, low=-10, high=10, label="mean Goldstein",
                           title="Mean Goldstein score per period (-10 conflict ... +10 cooperation)", bands=bands)
    return [by_quad, by_type, goldstein]


def _period_end(first: date, freq: str) -> str:
    return calendar.end(first, freq).isoformat()


@router.get("/dyads/{pair}", response_class=HTMLResponse)
def dyad_page(request: Request, pair: str, freq: Literal["day", "week", "month"] = "week",
              start: str | None = Query(None, alias="from", max_length=10),
              end: str | None = Query(None, alias="to", max_length=10),
              undirected: bool = False,
              store: Store = Depends(read_store)) -> HTMLResponse:
    """One dyad's page."""
    view = read_dyad(store, dyad_selection(pair, undirected, start, end), freq)
    query = request.url.query
    totals = {"events": sum(p.events for p in view.series.periods),
              "conflict": sum(p.quad["verbal_conflict"] + p.quad["material_conflict"] for p in view.series.periods),
              "claims": sum(p.events for p in view.claims), "surges": len(view.surges)}
    return render(request, "dyad.html", title=view.series.label, pair=pair.upper(), freq=freq, undirected=undirected,
                  json_url=f"/api/dyads/{quote(pair, safe=':')}" + (f"?{query}" if query else ""),
                  view=view, charts=charts(view), totals=totals,
                  events_url="/events?" + urlencode({"dyad": pair.upper(), **({"undirected": "true"} if undirected else {})}))
