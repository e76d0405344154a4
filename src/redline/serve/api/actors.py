"""``GET /api/actors``: the actors most often in the matching events (``store.read.actors``);
``GET /api/actors/resolve``: how Redline resolves an actor phrase on a date, and the rule used
(as ``redline actor`` shows it)."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ...actors import resolve_actor
from ...store import Store, read
from ...store.query import Filters
from ..deps import read_store
from ..errors import RESPONSES
from ..params import date_query, day
from .filtering import query_filters

router = APIRouter(prefix="/api", tags=["actors"], responses=RESPONSES)
MAX_PHRASE = 300


class ActorCount(BaseModel):
    code: str
    country: str | None
    name: str | None = Field(description="The name most often coded for it")
    n_events: int
    as_source: int
    as_target: int
    first_date: date | None
    last_date: date | None


def read_actors(store: Store, filters: Filters, top: int = 20) -> list[ActorCount]:
    """The actors of the matching events, busiest first (``store.read.actors``)."""
    return [ActorCount(**a) for a in read.actors(store, filters, top=top)]


@router.get("/actors", response_model=list[ActorCount], summary="The actors in most events")
def get_actors(top: int = Query(20, ge=1, le=read.MAX_LIMIT), filters: Filters = Depends(query_filters),
               store: Store = Depends(read_store)) -> list[ActorCount]:
    """Actor codes by number of matching events (either side), with their side counts and dates."""
    return read_actors(store, filters, top)


class Resolved(BaseModel):
    text: str
    code: str | None
    country: str | None
    sector: str | None
    name: str | None
    resolved_by: str | None = Field(description="The rule that resolved it (null: unresolved)")


class Resolution(BaseModel):
    phrase: str
    on: date | None
    actors: list[Resolved]


def resolve(phrase: str, on: date | None = None) -> Resolution:
    """The actor(s) ``phrase`` names on ``on``, each with the rule used (``actors.resolve_actor``)."""
    found = resolve_actor(phrase, on)
    return Resolution(phrase=phrase, on=on, actors=[Resolved(**a.to_dict(), resolved_by=a.resolved_by) for a in found])


# a character that is not white space, by Python's reckoning and by JSON Schema's (ECMAScript) alike:
# they disagree on U+0085, U+001C-U+001F (space to Python only) and U+FEFF (space to ECMAScript only)
VISIBLE = r"[^\s\u0085\u001c-\u001f\ufeff]"


@router.get("/actors/resolve", response_model=Resolution, summary="Resolve an actor phrase")
def get_resolution(phrase: str = Query(min_length=1, max_length=MAX_PHRASE, pattern=VISIBLE,
                                       description="An actor phrase, e.g. the director of Russia's Foreign "
                                                   "Intelligence Service"),
                   on: str | None = date_query(description="As of this date, YYYY-MM-DD (people hold "
                                                           "offices for a time)")) -> Resolution:
    """Code, country, sector and person a phrase resolves to, and the rule used, as `redline actor`."""
    return resolve(phrase, day("on", on))
