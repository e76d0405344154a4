"""The records Redline produces: actors, events and the documents they come from.

One event record is the unit of output everywhere (JSONL, CSV, the store). Field names and
meanings follow ``docs/design.md`` of the project; ``Event.to_dict`` is the JSONL line and
``Event.to_row`` the flat row (a CSV line, the body of a stored mention).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

MODALITIES = ("factual", "negated", "hypothetical", "future", "uncertain")
DATE_PRECISIONS = ("day", "month", "year", "document")


@dataclass
class Actor:
    """Who acted or was acted upon: a country and sector, or an organisation, or a person.

    ``code`` is CAMEO-style: ISO3 country + sector (``RUSGOV``), or ``IGO...`` for
    international bodies. ``resolved_by`` says which rule resolved it (for explanations).
    """

    text: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    resolved_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "code": self.code, "country": self.country,
                "sector": self.sector, "name": self.name}

    @property
    def known(self) -> bool:
        """Resolved to something: a code, a country or at least a sector."""
        return bool(self.code or self.country or self.sector)


@dataclass
class Document:
    """One article: its text, publication date and identity."""

    id: str
    text: str
    date: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # file (and line) it was read from, for error messages
    metadata: dict[str, Any] = field(default_factory=dict)  # the input's other fields, kept as given


@dataclass
class Event:
    """One coded interaction: who did what to whom, when, where, on whose word, and why."""

    doc_id: str
    sentence_index: int
    span: tuple[int, int]
    evidence: str
    cameo: str
    cameo_root: str
    cameo_name: str
    plover: str | None
    plover_mode: str | None
    quad_class: int
    goldstein: float
    source: Actor | None
    target: Actor | None
    date: str | None
    date_precision: str | None
    date_text: str | None = None
    modality: str = "factual"
    reported_by: Actor | None = None
    numbers: list[dict[str, Any]] = field(default_factory=list)
    location: dict[str, Any] | None = None
    confidence: float = 0.5
    explanation: str = ""
    trigger: str = ""

    @property
    def event_id(self) -> str:
        """A stable id: the same document coded the same way gives the same id."""
        key = "|".join([
            self.doc_id, str(self.sentence_index), f"{self.span[0]}:{self.span[1]}", self.trigger,
            self.cameo, self.source.code or "" if self.source else "",
            self.target.code or "" if self.target else "",
            (self.source.text if self.source else ""), (self.target.text if self.target else ""),
        ])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "span": list(self.span),
            "evidence": self.evidence,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "cameo_name": self.cameo_name,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "modality": self.modality,
            "reported_by": self.reported_by.to_dict() if self.reported_by else None,
            "numbers": list(self.numbers),
            "location": self.location,
            "confidence": round(self.confidence, 3),
            "explanation": self.explanation,
        }

    def to_row(self) -> dict[str, Any]:
        """The event as one flat row with the store's column names (``redline.columns.event_names``,
        in that order): what ``redline code --format csv`` writes and what a stored mention holds
        between its keys, so the two always agree. Actors and place are spread into
        ``source_*``/``target_*``/``reported_by_*``/``location_*``/``lat``/``lon`` columns, ``span``
        into ``span_start``/``span_end``, ``date`` is a ``datetime.date``, and ``numbers`` is JSON
        text (``[{"value": 5, "of": "soldier"}]``; None when there are none)."""
        d = self.to_dict()
        src, tgt, rep, loc = d["source"] or {}, d["target"] or {}, d["reported_by"] or {}, d["location"] or {}
        return {
            "event_id": d["event_id"], "doc_id": d["doc_id"], "sentence_index": d["sentence_index"],
            "span_start": d["span"][0], "span_end": d["span"][1], "evidence": d["evidence"],
            "date": date.fromisoformat(d["date"]) if d["date"] else None,
            "date_precision": d["date_precision"], "date_text": d["date_text"],
            "source_text": src.get("text"), "source_code": src.get("code"), "source_country": src.get("country"),
            "source_sector": src.get("sector"), "source_name": src.get("name"),
            "target_text": tgt.get("text"), "target_code": tgt.get("code"), "target_country": tgt.get("country"),
            "target_sector": tgt.get("sector"), "target_name": tgt.get("name"),
            "cameo": d["cameo"], "cameo_root": d["cameo_root"], "cameo_name": d["cameo_name"], "plover": d["plover"],
            "plover_mode": d["plover_mode"], "quad_class": d["quad_class"], "goldstein": d["goldstein"],
            "modality": d["modality"], "reported_by_code": rep.get("code"), "reported_by_text": rep.get("text"),
            "numbers": json.dumps(d["numbers"]) if d["numbers"] else None,
            "location_name": loc.get("name"), "location_country": loc.get("country"),
            "lat": loc.get("lat"), "lon": loc.get("lon"), "location_admin1": loc.get("admin1"),
            "location_admin2": loc.get("admin2"), "location_precision": loc.get("precision"),
            "location_source": loc.get("source"), "location_geonameid": loc.get("geonameid"),
            "location_admin1_code": loc.get("admin1_code"), "location_admin2_code": loc.get("admin2_code"),
            "confidence": d["confidence"],
            "explanation": d["explanation"],
        }


def as_dict(obj: Any) -> dict[str, Any]:
    """Plain-dict view of any Redline record."""
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return asdict(obj)
