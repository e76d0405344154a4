"""``GET /api/series``: a dyad's or an actor's event series, as ``redline trend`` computes it;
``GET /api/dyads``: the busiest dyads; ``GET /api/dyads/{pair}``: one dyad's view (series, claims,
escalation alerts, recorded alerts, top evidence, red lines), as ``redline report`` builds it."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from ... import ontology
from ...analytics.escalation import detect
from ...analytics.report import build, conflict_counts
from ...analytics.series import CLAIMS, QUAD_NAMES, Selection, series
from ...store import Store, read
from ...store.query import PARAMETERS, Filters
from ..deps import read_store
from ..errors import RESPONSES
from .filtering import query_filters, schema_of

router = APIRouter(prefix="/api", tags=["series"], responses=RESPONSES)
Freq = Literal["day", "week", "month"]


class Period(BaseModel):
    period: date
    events: int
    quad: dict[str, int] = Field(description="Events by quad class: " + ", ".join(QUAD_NAMES.values()))
    types: dict[str, int] = Field(description="Events by PLOVER type (those with any)")
    goldstein_sum: float | None
    goldstein_mean: float | None
    coop_conflict_index: float = Field(description="-1 all conflict ... +1 all cooperation")
    mentions: int


class Surge(BaseModel):
    start: date
    end: date = Field(description="First day of the last flagged period")
    observed: int = Field(description="Conflict events in the flagged periods")
    expected: float = Field(description="What the dyad's own baseline expected")
    p_value: float


class Series(BaseModel):
    label: str
    freq: Freq
    filters: dict[str, Any] = Field(description="The selection as query parameters")
    periods: list[Period] = Field(description="Periods with events, oldest first")
    surges: list[Surge] = Field(description="Escalation alerts: runs of periods with conflict well above baseline")


def selection(dyad: str | None = None, actor: str | None = None, undirected: bool = False,
              start: str | date | None = None, end: str | date | None = None, claims: bool = False) -> Selection:
    """The events of a series, as ``redline trend`` selects them: a dyad, an actor on either side
    (both: the dyad's events with the actor on a side; neither: all events), factual only unless
    ``claims``. FilterError names the parameter."""
    modality = ("factual", *CLAIMS) if claims else ("factual",)
    chosen = Selection.from_mapping({"dyad": dyad, "undirected": undirected or None, "from": start, "to": end},
                                    defaults={"modality": modality})
    return chosen.replace(either=Filters.from_mapping({"actor": actor}).either) if actor else chosen


def _period(row: dict[str, Any]) -> Period:
    types = {t.name: row[t.name.lower()] for t in ontology.plover_types() if row.get(t.name.lower())}
    return Period(period=row["period"], events=row["events"], quad={q: row[q] for q in QUAD_NAMES.values()},
                  types=types, goldstein_sum=row["goldstein_sum"], goldstein_mean=row["goldstein_mean"],
                  coop_conflict_index=row["coop_conflict_index"], mentions=row["mentions"] or 0)


def _surges(found) -> list[Surge]:
    return [Surge(start=s.start, end=s.end, observed=s.observed, expected=s.expected, p_value=s.p_value)
            for s in found]


def read_series(store: Store, chosen: Selection, freq: str = "week") -> Series:
    """The series of ``chosen`` per ``freq`` and its escalation alerts (as ``redline trend``)."""
    rows = series(store, chosen, freq)
    return Series(label=chosen.label, freq=freq, filters=chosen.to_mapping(), periods=[_period(r) for r in rows],
                  surges=_surges(detect(conflict_counts(rows, freq))))


FREQ = Query("week", description="Period: day, week or month")


def _filter(name: str, description: str | None = None) -> object:
    """Query parameter ``name`` as the read model's filters state it (``api.filtering``)."""
    spec = schema_of(name)
    spec.pop("annotation")
    return Query(None, alias=name, description=description or PARAMETERS[name], **spec)


FROM, TO = _filter("from"), _filter("to")
UNDIRECTED = Query(False, description="Count the dyad both ways")


@router.get("/series", response_model=Series, summary="A dyad's or an actor's events per period")
def get_series(dyad: str | None = _filter("dyad"), actor: str | None = _filter("actor"),
               freq: Freq = FREQ, start: str | None = FROM, end: str | None = TO, undirected: bool = UNDIRECTED,
               claims: bool = Query(False, description="Also count threats, plans, claims, hypotheticals"),
               store: Store = Depends(read_store)) -> Series:
    """Events per period by quad class and PLOVER type, the Goldstein sum and mean, the
    cooperation-conflict index, and escalation alerts, exactly as `redline trend` computes them
    (factual events only unless `claims`). A dyad, an actor, or both (the dyad's events with the
    actor on a side); neither: all events."""
    return read_series(store, selection(dyad, actor, undirected, start, end, claims), freq)


class Dyad(BaseModel):
    source: str
    target: str
    n_events: int
    conflict: int
    cooperation: int
    goldstein_mean: float | None
    last_date: date | None


def read_dyads(store: Store, filters: Filters, top: int = 20) -> list[Dyad]:
    """The country pairs with most matching events (``store.read.dyads``)."""
    return [Dyad(**r) for r in read.dyads(store, filters, top=top)]


@router.get("/dyads", response_model=list[Dyad], summary="The dyads with most events")
def get_dyads(top: int = Query(20, ge=1, le=read.MAX_LIMIT), filters: Filters = Depends(query_filters),
              store: Store = Depends(read_store)) -> list[Dyad]:
    """Source-target country pairs by number of matching events, with conflict and cooperation counts."""
    return read_dyads(store, filters, top)


class EventBrief(BaseModel):
    event_key: str
    date: date | None
    source_code: str | None
    source_name: str | None
    cameo: str | None
    plover: str | None
    target_code: str | None
    target_name: str | None
    modality: str | None
    n_mentions: int | None
    n_articles: int | None
    goldstein: float | None
    evidence: str | None


class RecordedAlert(BaseModel):
    rule: str
    kind: str | None
    window_start: date | None
    window_end: date | None
    n_events: int | None
    detail: str | None


class SurgeEvidence(Surge):
    events: list[EventBrief] = Field(description="The surge's most reported conflict events")


class DyadView(BaseModel):
    series: Series
    claims: list[Period] = Field(description="The same series for threats, plans, claims and hypotheticals")
    surges: list[SurgeEvidence]
    alerts: list[RecordedAlert] = Field(description="Alerts `redline watch` recorded on the dyad's events")
    top: list[EventBrief] = Field(description="The most reported events")
    redlines: list[dict[str, Any]] = Field(description="Red lines declared by either side, with their steps")


def read_dyad(store: Store, chosen: Selection, freq: str = "week", top: int = 10) -> DyadView:
    """One dyad's view, built by ``analytics.report.build`` (what ``redline report`` shows)."""
    view = build(store, chosen, freq, top=top)
    fields = list(RecordedAlert.model_fields)
    return DyadView(
        series=Series(label=view.label, freq=freq, filters=chosen.to_mapping(),
                      periods=[_period(r) for r in view.rows], surges=_surges(view.surges)),
        claims=[_period(r) for r in view.claims],
        surges=[SurgeEvidence(**s.model_dump(), events=[EventBrief(**e) for e in view.behind.get(s.start, [])])
                for s in _surges(view.surges)],
        alerts=[RecordedAlert(**dict(zip(fields, a))) for a in view.alerts],
        top=[EventBrief(**e) for e in view.top],
        redlines=view.redlines)


def dyad_selection(pair: str, undirected: bool = False, start: str | date | None = None,
                   end: str | date | None = None) -> Selection:
    """The selection of ``SOURCE:TARGET`` (a bad pair: FilterError naming ``dyad``)."""
    return selection(dyad=pair, undirected=undirected, start=start, end=end)


@router.get("/dyads/{pair}", response_model=DyadView, summary="One dyad: series, alerts, evidence, red lines")
def get_dyad(pair: str = Path(pattern=schema_of("dyad")["pattern"], max_length=100, description=PARAMETERS["dyad"]),
             freq: Freq = FREQ, start: str | None = FROM, end: str | None = TO, undirected: bool = UNDIRECTED,
             top: int = Query(10, ge=1, le=100, description="Most reported events shown"),
             store: Store = Depends(read_store)) -> DyadView:
    """What `redline report` shows for a dyad: its factual series (with escalation alerts and the
    conflict events behind each), the claims series, recorded alerts, top evidence, red lines."""
    return read_dyad(store, dyad_selection(pair, undirected, start, end), freq, top)
