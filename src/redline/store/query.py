"""Which events: one filter for queries, exports and series, turned into SQL with parameters
(values are never pasted into the SQL)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import ontology

ACTOR = re.compile(r"^[A-Z]{3}[A-Z]*$")
BODIES = {"IGO", "NGO"}  # three letters that are code prefixes, not countries


@dataclass(frozen=True)
class Filters:
    """Events by actor or dyad, type, dates, modality and mentions.

    ``source``/``target``: a country (``RUS``) or a code prefix (``RUSMIL``, ``IGOWSTNAT``); either
    may be None (any actor). ``directed=False`` takes the pair both ways; with only ``source``
    and ``directed=False`` it is that actor on either side. ``types``: PLOVER types (``THREATEN``)
    or CAMEO code prefixes (``13``, ``1383``). ``modality``: empty for all.
    """

    source: str | None = None
    target: str | None = None
    directed: bool = True
    modality: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    types: tuple[str, ...] = ()
    min_mentions: int = 1

    def validate(self) -> None:
        """Clear errors for impossible filters, naming the option."""
        for value in (self.source, self.target):
            if value is not None and not ACTOR.match(value):
                raise ValueError(f"{value!r} is not an actor code (RUS, RUSGOV, IGOWSTNAT)")
        for t in self.types:
            if not t.isdigit():
                try:
                    ontology.plover(t)
                except KeyError:
                    raise ValueError(f"--type: {t!r} is neither a PLOVER type nor a CAMEO code") from None
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"--from {self.start} is after --to {self.end}")

    def where(self, table: str = "events") -> tuple[str, list[Any]]:
        """A WHERE clause (or "TRUE") and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []

        def side(prefix: str, actor: str) -> str:
            if len(actor) == 3 and actor not in BODIES:
                params.append(actor)
                return f"{table}.{prefix}_country = ?"
            params.append(actor + "%")
            return f"{table}.{prefix}_code LIKE ?"

        def pair(a: str | None, b: str | None) -> str:
            parts = ([side("source", a)] if a else []) + ([side("target", b)] if b else [])
            return "(" + (" AND ".join(parts) or "TRUE") + ")"

        if self.source or self.target:
            forward = pair(self.source, self.target)
            clauses.append(forward if self.directed else f"({forward} OR {pair(self.target, self.source)})")
        if self.types:
            parts = []
            for t in self.types:
                if t.isdigit():
                    parts.append(f"{table}.cameo LIKE ?")
                    params.append(t + "%")
                else:
                    parts.append(f"{table}.plover = ?")
                    params.append(ontology.plover(t).name)
            clauses.append("(" + " OR ".join(parts) + ")")
        if self.start:
            clauses.append(f"{table}.date >= ?")
            params.append(self.start)
        if self.end:
            clauses.append(f"{table}.date <= ?")
            params.append(self.end)
        if self.modality:
            clauses.append(f"{table}.modality IN ({', '.join('?' for _ in self.modality)})")
            params.extend(self.modality)
        if self.min_mentions > 1:
            clauses.append(f"{table}.n_mentions >= ?")
            params.append(self.min_mentions)
        return (" AND ".join(clauses) or "TRUE"), params
