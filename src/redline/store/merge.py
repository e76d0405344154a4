"""One event, many mentions: the rule that merges mentions into events.

Mentions merge when they share a *group* (the same source actor, target actor, CAMEO root and
modality; actors compared by code, or by their words when unresolved) and a *date window*:

* a mention dated from the text (day, month or year precision) belongs to the event of its group
  on that date at that precision ("March 19" in two articles is one event);
* a mention dated only by its article's publication date (precision ``document``) joins the
  group's day-precision event on that date or the day before (a report published the morning
  after), the later one if both exist; otherwise it is an event of its own on its publication date;
* a mention with no date at all (an article with no publication date and no date in the text)
  merges only with the same article's other mentions of its group.

The rule depends only on the set of mentions, never on the order they arrived in, so an
interrupted and resumed ingest, or a cluster run, gives the same events as one uninterrupted run.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any, Iterable

from .. import ontology

PRECISE = ("day", "month", "year")
WINDOW_DAYS = 1  # how far before its publication date a report may tell a day-dated event
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "document": 3, None: 4}


def event_key(group: str, precision: str, when: date | str) -> str:
    return hashlib.sha256(f"{group}|{precision}|{when}".encode()).hexdigest()[:32]


def assign(mentions: Iterable[dict[str, Any]]) -> dict[str, str]:
    """mention_id -> event_key for the mentions of whole groups (``group_key``, ``date``, ``date_precision``)."""
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        by_group[m["group_key"]].append(m)
    out: dict[str, str] = {}
    for group, members in by_group.items():
        days = {m["date"] for m in members if m["date_precision"] == "day" and m["date"] is not None}
        for m in members:
            precision, day = m["date_precision"], m["date"]
            if day is None:  # undated: only the article's own repetitions are the same event
                out[m["mention_id"]] = event_key(group, "undated", m["doc_key"])
            elif precision in PRECISE:
                out[m["mention_id"]] = event_key(group, precision, day)
            else:
                reach = min(WINDOW_DAYS, (day - date.min).days)  # not before the calendar's first day
                near = [day - timedelta(days=k) for k in range(reach + 1) if day - timedelta(days=k) in days]
                out[m["mention_id"]] = event_key(group, "day", near[0]) if near else event_key(group, "document", day)
    return out


def _mode(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    top = max(counts.values())
    return min(str(v) for v, n in counts.items() if n == top)  # ties: the smallest, for determinism


def summarise(key: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    """One event row from its mentions; every choice is deterministic."""
    best = max(members, key=lambda m: (m["confidence"] or 0.0, -PRECISION_RANK.get(m["date_precision"], 4),
                                       m["mention_id"]))
    finest = min(members, key=lambda m: (PRECISION_RANK.get(m["date_precision"], 4), str(m["date"])))
    code = _mode(m["cameo"] for m in members)
    entry = ontology.cameo(code)
    first = min(members, key=lambda m: (str(m.get("published")), m["doc_key"]))
    return {
        "event_key": key, "group_key": best["group_key"], "date": finest["date"],
        "date_precision": finest["date_precision"],
        "source_code": best["source_code"], "source_country": best["source_country"],
        "source_sector": best["source_sector"], "source_name": _mode(m["source_name"] for m in members),
        "source_text": best["source_text"],
        "target_code": best["target_code"], "target_country": best["target_country"],
        "target_sector": best["target_sector"], "target_name": _mode(m["target_name"] for m in members),
        "target_text": best["target_text"],
        "cameo": entry.code, "cameo_root": entry.root, "plover": entry.plover, "plover_mode": entry.plover_mode,
        "quad_class": entry.quad_class, "goldstein": entry.goldstein, "modality": best["modality"],
        "location_name": best["location_name"], "location_country": best["location_country"],
        "lat": best["lat"], "lon": best["lon"], "location_admin1": best.get("location_admin1"),
        "location_admin2": best.get("location_admin2"), "location_precision": best.get("location_precision"),
        "location_source": best.get("location_source"), "location_geonameid": best.get("location_geonameid"),
        "location_admin1_code": best.get("location_admin1_code"),
        "location_admin2_code": best.get("location_admin2_code"),
        "confidence": best["confidence"], "evidence": best["evidence"],
        "n_mentions": len(members), "n_articles": len({m["doc_key"] for m in members}),
        "n_sources": len({m.get("publisher") or m["doc_key"] for m in members}),
        "first_doc_key": first["doc_key"],
    }
