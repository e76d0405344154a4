"""Crossings: stored events that match a red line's trigger, on or after it was declared.

An event crosses a red line when it matches the trigger pattern:

* its source is one of the trigger's actors (countries, code prefixes or the watch rules'
  groups, with the dates members belonged), or, when none is named, anyone but the trigger's
  places' own (Ukraine's troops are not "foreign troops in Ukraine"); never one of ``exclude``
  nor the declarer itself; of the trigger's sector when it names one;
* it is of the trigger's PLOVER types or CAMEO prefixes (a trigger naming no act: material acts
  only, ``data/ledger.yaml``), or an expressed intent (CAMEO 03) to do such an act;
* it is located in or done to one of the trigger's places (a mobilisation told with no place is
  at home: Poland mobilising crosses a line about Poland), and done to one of its targets; a
  trigger naming neither place nor target is a line around the declarer ("any new US pressure"
  said by North Korea is pressure on North Korea: done to it or in it);
* it is dated on or after the first declaration (a crossing before the declaration is not a
  crossing; a declaration dated only by its article's date stands from a lookback before it,
  ``in_force_from``), and told as done, announced or claimed (never negated or hypothetical).

Its status says who vouches for it:

* ``claimed``: the act is only claimed (modality ``uncertain``), or every report of it comes
  from the declarer's side (``reported_by`` of the declarer's country: RUSSPY for a Russian red
  line); the declarer has reasons to say its line was crossed;
* ``announced``: a plan or announcement (modality ``future``, or an expressed intent, CAMEO 03,
  to do the act: ``data/ledger.yaml``) reported by another party;
* ``confirmed``: told as done by another party (or in the article's own voice).

A crossing is *prospective* when the act is announced, or is a preparation (``MOBILIZE``) aimed
at the trigger's place but not located in it: the SVR's claim that France is preparing 2,000
personnel for deployment to Ukraine is a claimed, prospective crossing of Russia's red line on
foreign troops in Ukraine.

``evaluate_crossings`` records the crossings and turns the new ones into alerts through the
watch machinery (``analytics.watch``: same ``alerts``/``alert_events`` tables, rule
``redline:ID``), so an event never fires a red line twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable, Sequence

from .. import ontology
from ..actors.groups import Member, members
from ..analytics.watch import Alert, fired, record_alerts
from ..store.query import kind_clauses, side_clause
from ..output.safe import printable
from ..store.redlines import crossing_rows, redline_rows, save_crossings
from .settings import settings

RULE_PREFIX = "redline:"
EVENT_FIELDS = ("event_key, date, source_code, source_country, source_sector, target_code, target_country, cameo, "
                "plover, quad_class, modality, location_country, n_mentions, evidence")


@dataclass
class Crossing:
    """One event crossing one red line."""

    redline_id: str
    event_key: str
    date: date
    status: str                  # confirmed, claimed or announced
    prospective: bool
    modality: str
    reporters: list[str | None]  # reported_by of each mention (None: the article's own voice)
    event: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"redline_id": self.redline_id, "event_key": self.event_key, "date": self.date,
                "status": self.status, "prospective": self.prospective, "modality": self.modality,
                "reporters": self.reporters, "event": self.event}

    @property
    def counts(self) -> bool:
        """Whether it makes the red line crossed: done (not prospective), confirmed or claimed."""
        return not self.prospective and self.status in settings().crossed_statuses


def rule_name(redline_id: str) -> str:
    """The watch rule a red line's alerts are recorded under."""
    return RULE_PREFIX + redline_id


def declarer_member(redline: dict[str, Any]) -> Member | None:
    """The declarer as an actor pattern: its country, else its code (None when only words)."""
    code = redline.get("declarer_country") or redline.get("declarer_code")
    return Member(code) if code else None


def _countries(names: Sequence[str]) -> list[str]:
    """Countries of places given as codes or groups (a group's members, whatever their dates)."""
    return sorted({m.code for m in members(list(names)) if len(m.code) == 3})


def in_force_from(redline: dict[str, Any]) -> date | None:
    """The day from which events cross the red line: its first declaration's, or for a
    declaration dated only by its article (precision ``document``: made on or before that day),
    ``publication_lookback_days`` before it (``data/ledger.yaml``). None when undated."""
    first = redline["first_declared"]
    if first is None or redline.get("first_precision") != "document":
        return first
    back = settings().publication_lookback_days
    return first - timedelta(days=back) if (first - date.min).days >= back else date.min


def pattern(redline: dict[str, Any]) -> tuple[str, list[Any]]:
    """The SQL WHERE clause (over ``events``) of the red line's trigger, and its parameters."""
    t, conf = redline["trigger"], settings()
    params: list[Any] = [in_force_from(redline)]
    clauses = ["date IS NOT NULL AND date >= ?", "coalesce(source_code, source_country) IS NOT NULL"]
    clauses.append(f"modality IN ({', '.join('?' for _ in conf.crossing_modalities)})")
    params.extend(conf.crossing_modalities)
    if t.get("actors"):
        clauses.append(side_clause("source", members(t["actors"]), params))
    excluded = members(t.get("exclude") or [])
    own = declarer_member(redline)
    excluded += (own,) if own else ()
    places = _countries(t.get("places") or [])
    if not t.get("actors"):  # "foreign troops in Ukraine", "an attack on Iranian soil": not the place's own
        excluded += tuple(Member(p) for p in places)
    if excluded:
        clauses.append(f"NOT coalesce({side_clause('source', excluded, params)}, FALSE)")
    types = [ontology.plover(name).name for name in t.get("types") or []]  # an alias (FIGHT) as its type
    act_params: list[Any] = []
    kinds = kind_clauses(types, t.get("cameo") or [], act_params)
    act = "(" + " OR ".join(kinds) + ")" if kinds else \
        f"quad_class IN ({', '.join(str(int(q)) for q in conf.untyped_quad_classes)})"
    if t.get("sector"):
        act = f"({act} AND source_sector = ?)"
        act_params.append(t["sector"])
    if types:
        intended = types
    elif t.get("cameo"):  # named by CAMEO codes alone: no intent is read as announcing them
        intended = []
    else:
        intended = [p.name for p in ontology.plover_types() if p.quad_class in conf.untyped_quad_classes]
    intents = []
    for prefix, others in conf.intent_prefixes(intended):
        intents.append("(cameo LIKE ?" + "".join(" AND cameo NOT LIKE ?" for _ in others) + ")")
        act_params.extend([prefix + "%", *(o + "%" for o in others)])
    clauses.append("(" + " OR ".join([act, *intents]) + ")")
    params.extend(act_params)
    if places:
        marks = ", ".join("?" for _ in places)
        home = ", ".join("?" for _ in conf.home_types) or "NULL"
        clauses.append(f"(location_country IN ({marks}) OR target_country IN ({marks}) OR (location_country IS NULL "
                       f"AND plover IN ({home}) AND source_country IN ({marks})))")
        params.extend(places * 2 + list(conf.home_types) + places)
    if t.get("targets"):
        clauses.append(side_clause("target", members(t["targets"]), params))
    elif not places and own is not None and conf.implicit_target:
        # "any new US pressure", "if war comes": a line drawn around the declarer itself
        around = side_clause("target", (own,), params)
        if len(own.code) == 3:
            around = f"({around} OR location_country = ?)"
            params.append(own.code)
        clauses.append(around)
    return " AND ".join(clauses), params


def declarer_side(reporter: str | None, redline: dict[str, Any]) -> bool:
    """Whether a report comes from the declarer's side: its country's actors (RUSSPY, RUSGOV for
    RUS), or the declarer's own code when it has no country."""
    own = declarer_member(redline)
    return bool(reporter and own and reporter.startswith(own.code))


def status(modality: str, reporters: Sequence[str | None], redline: dict[str, Any], intent: bool = False) -> str:
    """confirmed, claimed or announced (see the module's docstring); an expressed ``intent`` is
    an announcement whatever its modality."""
    if modality == "uncertain" or (reporters and all(declarer_side(r, redline) for r in reporters)):
        return "claimed"
    return "announced" if modality == "future" or intent else "confirmed"


def prospective(event: dict[str, Any], redline: dict[str, Any]) -> bool:
    """An announced act or intent, or a preparation aimed at the trigger's place but not yet
    located in it."""
    if event["modality"] == "future" or settings().intent(event["cameo"]):
        return True
    places = _countries(redline["trigger"].get("places") or [])
    return bool(places) and event["plover"] in settings().preparatory_types \
        and event["location_country"] not in places and event["target_country"] in places


def find_crossings(store, redlines: list[dict[str, Any]] | None = None) -> list[Crossing]:
    """The crossings of these red lines (default: every stored one) in the stored events, by date."""
    redlines = redline_rows(store) if redlines is None else redlines
    found: list[Crossing] = []
    for r in redlines:
        if in_force_from(r) is None:  # an undated declaration: nothing can be said to come after it
            continue
        where, params = pattern(r)
        events = store.rows(f"SELECT {EVENT_FIELDS}, (SELECT list(m.reported_by_code ORDER BY m.mention_id) "
                            "FROM mentions m WHERE m.event_key = events.event_key) AS reporters "
                            f"FROM events WHERE {where} ORDER BY date, event_key", params)
        for e in events:
            said = e.pop("reporters") or []
            intent = settings().intent(e["cameo"]) is not None
            found.append(Crossing(r["redline_id"], e["event_key"], e["date"], status(e["modality"], said, r, intent),
                                  prospective(e, r), e["modality"], said, e))
    return sorted(found, key=lambda c: (c.date, c.redline_id, c.event_key))


def _short(text: Any, size: int = 240) -> str:
    text = " ".join(printable(text or "").split())
    return text if len(text) <= size else text[:size - 3] + "..."


def describe(redline: dict[str, Any]) -> str:
    """One line naming a red line: who declared what, when, threatening what."""
    who = redline.get("declarer_code") or redline.get("declarer_country") or redline.get("declarer_text")
    restated = f", restated {redline['n_restatements']}x" if redline.get("n_restatements") else ""
    stance = "" if redline.get("stance") == "declared" else f", now {redline['stance']}"
    return (f"{who} red line declared {redline['first_declared']}{restated}{stance}: "
            f"'{_short(redline['trigger'].get('text'), 80)}' -> '{_short(redline['consequence'].get('text'), 80)}'")


def alerts_for(store, redlines: list[dict[str, Any]], crossings: list[Crossing]) -> list[Alert]:
    """Alerts for the crossings whose events have not fired their red line before: one per red
    line and day, the red line's words beside the crossing events' evidence."""
    by_id = {r["redline_id"]: r for r in redlines}
    grouped: dict[tuple[str, date], list[Crossing]] = {}
    for c in crossings:
        grouped.setdefault((c.redline_id, c.date), []).append(c)
    done: dict[str, set[str]] = {}
    alerts = []
    for (rid, day), found in sorted(grouped.items()):
        rule = rule_name(rid)
        if rule not in done:
            done[rule] = fired(store, rule)
        new = [c for c in found if c.event_key not in done[rule]]
        if not new:
            continue
        r = by_id[rid]
        kinds = sorted({c.status + (" (prospective)" if c.prospective else "") for c in new})
        detail = (f"{len(new)} crossing(s), {', '.join(kinds)}, of the {describe(r)}; "
                  f"declared in: \"{_short(r['first_evidence'])}\"")
        context = [f"red line: {describe(r)}", f"declared: \"{_short(r['first_evidence'])}\""]
        if r["n_statements"] > 1:
            context.append(f"latest ({r['last_declared']}, {r['stance']}): \"{_short(r['last_evidence'])}\"")
        events = [{**c.event, "status": c.status, "prospective": c.prospective} for c in new]
        alerts.append(Alert(rule, "redline", day, day, len(found), events, detail, context))
    return alerts


def evaluate_crossings(store, record: bool = True,
                       within: Callable[[Any, list[Alert]], None] | None = None) -> list[Alert]:
    """Match the stored events against every red line; with ``record``, keep the crossings in
    ``redline_crossings`` and the new alerts in the watch tables (one transaction, in which
    ``within`` is called with the store and the alerts), so an event never fires a red line twice.
    Returns the new alerts. Called by ``redline watch`` (and ``ingest --watch``) wherever watch
    rules are evaluated."""
    redlines = redline_rows(store)
    if not redlines:
        return []
    crossings = find_crossings(store, redlines)
    alerts = alerts_for(store, redlines, crossings)
    if record:
        with store.transaction():
            save_crossings(store, [r["redline_id"] for r in redlines],
                           [{**c.to_dict(), "event": None} for c in crossings])
            record_alerts(store, alerts)
            if within is not None and alerts:
                within(store, alerts)
    return alerts


__all__ = ["Crossing", "crossing_rows", "evaluate_crossings", "find_crossings", "pattern", "rule_name", "status"]
