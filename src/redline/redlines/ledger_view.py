"""The red-line ledger as records: each red line with its statements' summary, crossings and
follow-through; the credibility record per declarer; and each red line's timeline (declared ->
restated -> crossed -> response). Read from a store; nothing here writes.

>>> from redline.redlines import ledger                                  # doctest: +SKIP
>>> ledger(store, declarer="RUS", status="crossed")                      # doctest: +SKIP
"""
from __future__ import annotations

import re
from typing import Any

from ..store.redlines import declarations, redline_rows, statement_rows
from .crossings import find_crossings
from .follow import FollowThrough, by_declarer, follow_through
from .record import REDLINE_STATUSES

ACTOR = re.compile(r"^[A-Z]{3}[A-Z]*$")
MAX_WINDOW_DAYS = 3660
# the columns of a ledger record in tables and CSV, in order
COLUMNS = ("redline_id", "declarer", "trigger", "consequence", "severity", "stance", "first_declared",
           "last_declared", "n_restatements", "status", "n_crossings", "n_confirmed", "n_claimed", "n_announced",
           "first_crossed", "enforced_on", "days_to_response", "restated_after_crossing")


def check_options(declarer: str | None = None, status: str | None = None, window_days: int | None = None) -> None:
    """ValueError naming the option for a declarer that is not an actor code, an unknown status
    or a window outside 0 to 3660 days (checked before any store is read)."""
    if declarer is not None and not ACTOR.match(declarer):
        raise ValueError(f"declarer: {declarer!r} is not an actor code (RUS, RUSGOV, IGOWSTNAT)")
    if status is not None and status not in REDLINE_STATUSES:
        raise ValueError(f"status: {status!r} is not a red-line status (choose from {', '.join(REDLINE_STATUSES)})")
    if window_days is not None and not 0 <= window_days <= MAX_WINDOW_DAYS:
        raise ValueError(f"window: {window_days!r} days; give 0 to {MAX_WINDOW_DAYS}")


def _record(r: dict[str, Any], f: FollowThrough) -> dict[str, Any]:
    count = {s: sum(c.status == s for c in f.crossings) for s in ("confirmed", "claimed", "announced")}
    return {
        "redline_id": r["redline_id"],
        "declarer": r["declarer_code"] or r["declarer_country"] or r["declarer_text"],
        "declarer_code": r["declarer_code"], "declarer_country": r["declarer_country"],
        "declarer_text": r["declarer_text"], "addressee": r["addressee_code"],
        "trigger": r["trigger"]["text"], "trigger_pattern": r["trigger"],
        "consequence": r["consequence"]["text"], "consequence_pattern": r["consequence"],
        "severity": r["severity"], "stance": r["stance"],
        "first_declared": r["first_declared"], "last_declared": r["last_declared"],
        "n_statements": r["n_statements"], "n_restatements": r["n_restatements"],
        "first_evidence": r["first_evidence"], "last_evidence": r["last_evidence"],
        "status": f.status, "n_crossings": len(f.crossings),
        "n_confirmed": count["confirmed"], "n_claimed": count["claimed"], "n_announced": count["announced"],
        "first_crossed": f.first_crossed,
        "enforced_on": f.response["date"] if f.response else None,
        "days_to_response": f.days_to_response,
        "response": f.response,
        "restated_after_crossing": f.restated_after_crossing,
    }


def _followed(store, lines: list[dict[str, Any]], window_days: int | None):
    statements = statement_rows(store, [r["redline_id"] for r in lines])
    crossings = find_crossings(store, lines)
    return statements, follow_through(store, lines, crossings, statements, window_days)


def ledger(store, declarer: str | None = None, status: str | None = None,
           window_days: int | None = None) -> list[dict[str, Any]]:
    """The red lines of the store (of one declarer: a country or code prefix), each with its
    status (open, crossed, enforced), crossings by status, first crossing, response and whether
    it was restated after being crossed; ``status`` keeps one status. Oldest declaration first.
    ValueError for a declarer that is not a code or an unknown status."""
    check_options(declarer, status, window_days)
    lines = redline_rows(store, declarer)
    _, followed = _followed(store, lines, window_days)
    records = [_record(r, followed[r["redline_id"]]) for r in lines]
    return [r for r in records if status is None or r["status"] == status]


def credibility(store, declarer: str | None = None, window_days: int | None = None) -> list[dict[str, Any]]:
    """Per declarer: red lines declared, crossed, enforced, restated after crossing, enforcement rate."""
    return by_declarer(ledger(store, declarer, None, window_days))


def timeline(store, declarers: list[str] | None = None, window_days: int | None = None) -> list[dict[str, Any]]:
    """Each red line (of these declarers) with its steps in date order: ``declared``, ``restated``
    (or ``softened``/``redefined``), ``crossed`` (with the crossing's status) and ``response``;
    each step ``{date, step, detail, evidence}``."""
    for d in declarers or []:
        check_options(d, None, window_days)
    if declarers:
        chosen = {r["redline_id"]: r for d in declarers for r in redline_rows(store, d)}
        lines = [r for r in redline_rows(store) if r["redline_id"] in chosen]
    else:
        lines = redline_rows(store)
    statements, followed = _followed(store, lines, window_days)
    out = []
    for r in lines:
        f = followed[r["redline_id"]]
        own = [s for s in statements if s["redline_id"] == r["redline_id"]]
        steps = []
        for i, s in enumerate(declarations(own)):
            step = "declared" if i == 0 else ("restated" if s["stance"] == "declared" else s["stance"])
            steps.append({"date": s["date"], "step": step, "detail": s["declarer"].get("text") or "",
                          "evidence": s["evidence"]})
        for c in f.crossings:
            e = c.event
            label = c.status + (", prospective" if c.prospective else "")
            steps.append({"date": c.date, "step": "crossed", "detail": f"{label}: {e.get('source_code') or '-'} "
                          f"{e.get('cameo')} {e.get('plover') or ''} {e.get('target_code') or '-'}",
                          "evidence": e.get("evidence")})
        if f.response:
            e = f.response
            steps.append({"date": e["date"], "step": "response", "detail": f"{e.get('source_code') or '-'} "
                          f"{e.get('cameo')} {e.get('plover') or ''} {e.get('target_code') or '-'} "
                          f"({f.days_to_response} days after the crossing)", "evidence": e.get("evidence")})
        order = {"declared": 0, "restated": 1, "softened": 1, "redefined": 1, "crossed": 2, "response": 3}
        steps.sort(key=lambda s: (s["date"] is None, s["date"] or r["first_declared"], order[s["step"]]))
        out.append({**_record(r, f), "steps": steps})
    return out
