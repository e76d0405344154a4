"""The store's filters (``store.query.PARAMETERS``) as query parameters, for every endpoint and page
that selects events: the same names and help, and a schema that states what ``Filters.from_mapping``
accepts, so a client (and Schemathesis) can tell a good value from a bad one before asking."""
from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any, Callable

from fastapi import Query

from ... import ontology
from ...schema import MODALITIES
from ...store.query import MAX_TEXT, PARAMETERS, QUADS, Filters

ACTOR = r"[A-Za-z]{3,}"  # a country, a code prefix or a group name (store.query / actors.groups)
YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
MONTH_DAY = (r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
             r"|(?:0[13578]|1[02])-31)")
# February 29th of a leap year: divisible by 4 and not a century, or a century divisible by 400
LEAP_DAY = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29"
# YYYY, YYYY-MM or YYYY-MM-DD: exactly the dates Filters accepts, so a schema-valid value is valid
DATE = rf"^(?:{YEAR}(?:-(?:0[1-9]|1[0-2])|-{MONTH_DAY})?|{LEAP_DAY})$"


def listed(item: str) -> str:
    """A pattern for a comma-separated list of ``item``."""
    return rf"^(?:{item})(?:,(?:{item}))*$"


def _alternatives(values: Any) -> str:
    return "|".join(sorted(set(values), key=lambda v: (-len(v), v)))


@lru_cache(maxsize=None)
def _kinds() -> str:
    """PLOVER types and CAMEO codes or prefixes, the values ``type`` takes."""
    codes = {c.code[:n] for c in ontology.cameo_codes() for n in range(1, len(c.code) + 1)}
    names = {t.name for t in ontology.plover_types()}
    return _alternatives(names | {n.lower() for n in names} | codes)


def schema_of(name: str) -> dict[str, Any]:
    """The ``Query`` arguments of filter ``name``: its type, pattern and bounds."""
    roots = _alternatives(f"{n:02d}" for n in range(1, 21))
    quads = _alternatives([*(str(q) for q in QUADS.values()), *QUADS])
    patterns = {
        "actor": listed(ACTOR), "source": listed(ACTOR), "target": listed(ACTOR),
        "dyad": rf"^{ACTOR}:{ACTOR}$", "type": listed(_kinds()), "root": listed(roots), "quad": listed(quads),
        "modality": listed(_alternatives(MODALITIES)), "reported_by": listed(rf"{ACTOR}|none"),
        "country": listed(r"[A-Za-z]{3}"), "from": DATE, "to": DATE,
    }
    if name in ("undirected", "factual"):
        return {"annotation": bool | None}
    if name == "min_mentions":
        return {"annotation": int | None, "ge": 1, "le": 1_000_000}
    if name in ("place", "text"):
        return {"annotation": str | None, "min_length": 1, "max_length": MAX_TEXT}
    if name == "admin1":
        return {"annotation": str | None, "min_length": 1, "max_length": 2000}
    return {"annotation": str | None, "pattern": patterns[name], "max_length": 2000}


def identifier(name: str) -> str:
    """The Python name of parameter ``name`` (``from`` is a keyword)."""
    return name + "_" if name in ("from",) else name


def filter_parameters() -> list[inspect.Parameter]:
    """One keyword parameter per filter, with its query name, help and schema."""
    out = []
    for name, help_text in PARAMETERS.items():
        spec = schema_of(name)
        annotation = spec.pop("annotation")
        out.append(inspect.Parameter(identifier(name), inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                                     default=Query(None, alias=name, description=help_text, **spec)))
    return out


def _make_dependency() -> Callable[..., Filters]:
    def filters(**values: Any) -> Filters:
        return Filters.from_mapping({name: values.get(identifier(name)) for name in PARAMETERS})

    filters.__signature__ = inspect.Signature(filter_parameters(), return_annotation=Filters)  # type: ignore[attr-defined]
    filters.__doc__ = "The events the query parameters select (``Filters.from_mapping``; FilterError is a 400)."
    return filters


# ``filters: Filters = Depends(query_filters)`` in a route takes every filter from the query string
query_filters = _make_dependency()
