"""Follow-through: after a red line was crossed, did its declarer do what it threatened?

A red line is ``open`` until a crossing counts (done, confirmed or claimed: announced plans and
preparations do not), then ``crossed``; it is ``enforced`` when, on or after the day of a
counting crossing and within the window (``data/ledger.yaml``, 90 days), the declarer did (told
as a fact) an act of the consequence's class towards the one who crossed it (the crossing
event's source country, or any of the trigger's named actors):

* a consequence with a CAMEO code: an event under that code; with only a PLOVER type: an event
  of that type;
* an unnamed one ("serious consequences"): by its severity, from ``data/ledger.yaml``: for
  unspecified, military and nuclear any material-conflict event (quad class 4), for economic
  cutting aid or sanctions (CAMEO 162, 163), for diplomatic a SANCTION (reducing relations,
  expelling) or REJECT.

Per declarer (``by_declarer``): red lines declared, crossed (crossed or enforced), enforced, and
restated after crossing (a declaration dated after the first counting crossing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import ontology
from ..analytics import periods
from ..actors.groups import members
from ..store.query import kind_clauses, side_clause
from .crossings import Crossing, declarer_member
from .settings import settings


@dataclass
class FollowThrough:
    """What followed one red line: its status, crossings and the response found, if any."""

    redline_id: str
    status: str                                  # open, crossed or enforced
    crossings: list[Crossing] = field(default_factory=list)
    first_crossed: date | None = None            # the first counting crossing
    answered: Crossing | None = None             # the crossing the response followed
    response: dict[str, Any] | None = None       # the first response event
    days_to_response: int | None = None
    restated_after_crossing: bool = False


def consequence_clause(consequence: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQL for events of the consequence's class (see the module's docstring)."""
    parts, params = [], []
    if consequence.get("cameo"):  # the finer of the two when both are named
        parts.append("cameo LIKE ?")
        params.append(consequence["cameo"] + "%")
    elif consequence.get("type"):
        parts.append("plover = ?")
        params.append(ontology.plover(consequence["type"]).name)
    else:
        rule = settings().unnamed.get(consequence.get("severity") or "unspecified", settings().unnamed["unspecified"])
        if rule.quad_classes:
            parts.append(f"quad_class IN ({', '.join(str(int(q)) for q in rule.quad_classes)})")
        parts += kind_clauses(rule.types, rule.cameo, params)
    return "(" + " OR ".join(parts) + ")", params


def responses(store, redline: dict[str, Any], crosser: str | None, start: date, end: date) -> list[dict[str, Any]]:
    """The declarer's acts of the consequence's class towards ``crosser`` (a country or code; or
    any of the trigger's named actors) from ``start`` to ``end``, earliest first."""
    own = declarer_member(redline)
    if own is None:
        return []
    params: list[Any] = []
    clauses = [side_clause("source", (own,), params)]
    towards = []
    if crosser:
        towards.append(side_clause("target", members([crosser]), params))
    if redline["trigger"].get("actors"):
        towards.append(side_clause("target", members(redline["trigger"]["actors"]), params))
    if not towards:
        return []
    clauses.append("(" + " OR ".join(towards) + ")")
    kind, kind_params = consequence_clause(redline["consequence"])
    clauses.append(kind)
    params.extend(kind_params)
    modalities = settings().follow_modalities
    clauses.append(f"modality IN ({', '.join('?' for _ in modalities)})")
    params.extend(modalities)
    clauses.append("date BETWEEN ? AND ?")
    params.extend([start, end])
    return store.rows("SELECT event_key, date, source_code, cameo, plover, target_code, modality, evidence "
                      f"FROM events WHERE {' AND '.join(clauses)} ORDER BY date, event_key", params)


def first_response(store, redline: dict[str, Any], counting: list[Crossing],
                   window: int) -> tuple[Crossing, dict[str, Any]] | None:
    """The earliest counting crossing the declarer answered within ``window`` days, and the first
    answer: one query per crosser, however many times it crossed."""
    by_crosser: dict[str | None, list[Crossing]] = {}
    for c in counting:
        by_crosser.setdefault(c.event.get("source_country") or c.event.get("source_code"), []).append(c)
    best: tuple[Crossing, dict[str, Any]] | None = None
    for crosser, found in by_crosser.items():
        answers = responses(store, redline, crosser, found[0].date, periods.plus(found[-1].date, window))
        for c in found:
            answer = next((a for a in answers if c.date <= a["date"] <= periods.plus(c.date, window)), None)
            if answer is not None:
                if best is None or (c.date, answer["date"]) < (best[0].date, best[1]["date"]):
                    best = (c, answer)
                break
    return best


def follow_through(store, redlines: list[dict[str, Any]], crossings: list[Crossing],
                   statements: list[dict[str, Any]], window_days: int | None = None) -> dict[str, FollowThrough]:
    """Each red line's status, first crossing, response and restatement after crossing."""
    window = settings().window_days if window_days is None else window_days
    by_line: dict[str, list[Crossing]] = {}
    for c in crossings:
        by_line.setdefault(c.redline_id, []).append(c)
    declared: dict[str, list[date]] = {}
    for s in statements:
        if s["date"] is not None:
            declared.setdefault(s["redline_id"], []).append(s["date"])
    out: dict[str, FollowThrough] = {}
    for r in redlines:
        found = sorted(by_line.get(r["redline_id"], []), key=lambda c: (c.date, c.event_key))
        counting = [c for c in found if c.counts]
        f = FollowThrough(r["redline_id"], "open", found)
        if counting:
            f.status, f.first_crossed = "crossed", counting[0].date
            f.restated_after_crossing = any(d > f.first_crossed for d in declared.get(r["redline_id"], []))
            answered = first_response(store, r, counting, window)
            if answered:
                f.status, (f.answered, f.response) = "enforced", answered
                f.days_to_response = (f.response["date"] - f.answered.date).days
        out[r["redline_id"]] = f
    return out


def by_declarer(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The credibility record per declarer from ledger records (``ledger.ledger``): red lines
    declared, crossed (crossed or enforced), enforced, restated after crossing, and the share of
    crossed red lines enforced."""
    table: dict[str, dict[str, Any]] = {}
    for r in records:
        who = r["declarer_country"] or r["declarer_code"] or r["declarer_text"]
        row = table.setdefault(who, {"declarer": who, "declared": 0, "crossed": 0, "enforced": 0,
                                     "restated_after_crossing": 0})
        row["declared"] += 1
        row["crossed"] += r["status"] in ("crossed", "enforced")
        row["enforced"] += r["status"] == "enforced"
        row["restated_after_crossing"] += bool(r["restated_after_crossing"])
    for row in table.values():
        row["enforcement_rate"] = round(row["enforced"] / row["crossed"], 3) if row["crossed"] else None
    return sorted(table.values(), key=lambda row: (-row["declared"], row["declarer"]))
