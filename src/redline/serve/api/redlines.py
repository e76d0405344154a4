"""``GET /api/redlines``: the red-line ledger (as ``redline redlines``): each red line with its
status, crossings, follow-through and timeline, and the credibility record per declarer. A store
without the ledger's tables answers an empty list and a note, not an error."""
from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ...redlines.follow import by_declarer
from ...redlines.ledger_view import check_options, timeline
from ...store import Store
from ...store.read import ReadError
from ...store.redlines import has_ledger
from ..deps import read_store
from ..errors import RESPONSES

router = APIRouter(prefix="/api", tags=["redlines"], responses=RESPONSES)
Status = Literal["open", "crossed", "enforced"]


class Step(BaseModel):
    date: date | None
    step: str = Field(description="declared, restated, softened, redefined, crossed or response")
    detail: str | None
    evidence: str | None


class RedLine(BaseModel):
    redline_id: str
    declarer: str | None
    declarer_text: str | None
    addressee: str | None
    trigger: str | None
    consequence: str | None
    severity: str | None
    stance: str | None
    first_declared: date | None
    last_declared: date | None
    n_statements: int
    n_restatements: int
    status: str
    n_crossings: int
    n_confirmed: int
    n_claimed: int
    n_announced: int
    first_crossed: date | None
    enforced_on: date | None
    days_to_response: int | None
    restated_after_crossing: bool
    steps: list[Step]


class Credibility(BaseModel):
    declarer: str
    declared: int
    crossed: int
    enforced: int
    restated_after_crossing: int
    enforcement_rate: float | None


class Ledger(BaseModel):
    ledger: bool = Field(description="Whether the store has the red-line ledger")
    note: str | None = None
    redlines: list[RedLine]
    credibility: list[Credibility]


def read_redlines(store: Store, declarer: str | None = None, status: str | None = None) -> Ledger:
    """The ledger (of one declarer, of one status), newest declaration first, with timelines."""
    try:
        check_options(declarer, status)
    except ValueError as e:
        name, _, problem = str(e).partition(": ")
        raise ReadError(name, problem) from None
    if not has_ledger(store):
        return Ledger(ledger=False, note="this store has no red-line ledger (a store from before red lines: "
                                         "`redline ingest` into it once to add the ledger)", redlines=[], credibility=[])
    lines = timeline(store, [declarer] if declarer else None)
    chosen = [r for r in lines if status is None or r["status"] == status]
    chosen.sort(key=lambda r: (r["last_declared"] or date.min, r["redline_id"]), reverse=True)
    fields = set(RedLine.model_fields)
    return Ledger(ledger=True, redlines=[RedLine(**{k: v for k, v in r.items() if k in fields}) for r in chosen],
                  credibility=[Credibility(**c) for c in by_declarer(lines)])


@router.get("/redlines", response_model=Ledger, summary="Red lines: declared, crossed, enforced")
def get_redlines(declarer: str | None = Query(None, pattern=r"^[A-Z]{3}[A-Z]*$", max_length=40,
                                              description="A declarer: country or code prefix (RUS, RUSGOV)"),
                 status: Status | None = Query(None, description="Only red lines with this status"),
                 store: Store = Depends(read_store)) -> Ledger:
    """Each red line with its declarer, trigger, consequence, stance, first and last declaration,
    crossings and follow-through, and its timeline; the credibility record per declarer."""
    return read_redlines(store, declarer, status)


