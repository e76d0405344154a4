"""Simple filters over the store's events, turned into SQL with parameters (never pasted in)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import ontology

ACTOR = re.compile(r"^[A-Z]{3}[A-Z]*$")


@dataclass
class Filters:
    """Which events: by actor, dyad, PLOVER type or CAMEO code, dates, modality, mentions."""

    actor: str | None = None            # RUS (country) or RUSGOV / IGOWSTNAT (code prefix), either side
    dyad: str | None = None             # "RUS:UKR", source:target
    undirected: bool = False            # the dyad either way
    types: tuple[str, ...] = ()         # PLOVER types (THREATEN) or CAMEO codes / roots (13, 1383)
    start: date | None = None
    end: date | None = None
    modality: tuple[str, ...] = ()      # e.g. ("factual",)
    min_mentions: int = 1

    def validate(self) -> None:
        """Clear errors for impossible filters, naming the option."""
        for name, value in (("--actor", self.actor), *((("--dyad", p) for p in (self.dyad or "").split(":") if self.dyad))):
            if value is not None and not ACTOR.match(value):
                raise ValueError(f"{name}: {value!r} is not an actor code (RUS, RUSGOV, IGOWSTNAT)")
        if self.dyad is not None and self.dyad.count(":") != 1:
            raise ValueError(f"--dyad: {self.dyad!r} must be SOURCE:TARGET, e.g. RUS:UKR")
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
            params.extend([actor, actor + "%"])
            return f"({table}.{prefix}_country = ? OR {table}.{prefix}_code LIKE ?)"

        if self.actor:
            clauses.append(f"({side('source', self.actor)} OR {side('target', self.actor)})")
        if self.dyad:
            a, b = self.dyad.split(":")
            forward = f"({side('source', a)} AND {side('target', b)})"
            if self.undirected:
                clauses.append(f"({forward} OR ({side('source', b)} AND {side('target', a)}))")
            else:
                clauses.append(forward)
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
        if self.min_mentions > 1 and table == "events":
            clauses.append(f"{table}.n_mentions >= ?")
            params.append(self.min_mentions)
        return (" AND ".join(clauses) or "TRUE"), params
