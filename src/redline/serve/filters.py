"""The read model's filters (``store.query.PARAMETERS``) as documented query parameters: a route
takes ``filters: Filters = Depends(event_filters)``; a bad value is the store's ``FilterError``,
answered 400 naming the parameter."""
from __future__ import annotations

from fastapi import Query

from ..store.query import MAX_TEXT, PARAMETERS, Filters

_TEXT = {"max_length": MAX_TEXT}


def _q(name: str, alias: str | None = None) -> object:
    return Query(None, alias=alias, description=PARAMETERS[name], **_TEXT)


def event_filters(actor: str | None = _q("actor"), source: str | None = _q("source"),
                  target: str | None = _q("target"), dyad: str | None = _q("dyad"),
                  undirected: bool | None = Query(None, description=PARAMETERS["undirected"]),
                  type: list[str] = Query([], description=PARAMETERS["type"]),
                  root: str | None = _q("root"), quad: str | None = _q("quad"),
                  modality: str | None = _q("modality"),
                  factual: bool | None = Query(None, description=PARAMETERS["factual"]),
                  reported_by: str | None = _q("reported_by"), country: str | None = _q("country"),
                  place: str | None = _q("place"), start: str | None = _q("from", "from"),
                  end: str | None = _q("to", "to"), text: str | None = _q("text"),
                  min_mentions: int | None = Query(None, ge=1, le=1_000_000,
                                                   description=PARAMETERS["min_mentions"])) -> Filters:
    """The events a request asks for, as :class:`Filters` (``Filters.from_mapping`` checks them)."""
    return Filters.from_mapping({"actor": actor, "source": source, "target": target, "dyad": dyad,
                                 "undirected": undirected or None, "type": type, "root": root, "quad": quad,
                                 "modality": modality, "factual": factual or None, "reported_by": reported_by,
                                 "country": country, "place": place, "from": start, "to": end, "text": text,
                                 "min_mentions": min_mentions})
