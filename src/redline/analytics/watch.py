"""Red-line watch rules: a YAML file of what an analyst wants to hear about, evaluated on the store.

```yaml
groups:                          # optional: your own named groups of actors
  BALTICS: [EST, LVA, LTU]
rules:
  - name: russia-threatens-nato
    description: Any threat or mobilisation from Russia towards France or NATO members
    source: RUS                  # a country, a code prefix (RUSMIL), a group (NATO, EU), or a list
    target: [FRA, NATO]
    types: [THREATEN, MOBILIZE]  # PLOVER types; or `cameo: ["13", "154"]` (code prefixes)
  - name: ukraine-assaults
    where: UKR                   # events located in, or done to, this country
    types: [ASSAULT]
    threshold: 4                 # more than 3 ...
    window: 1d                   # ... in a day (1d, 7d, day, week, month)
  - name: rus-ukr-escalation
    kind: escalation             # conflict well above the dyad's own baseline (analytics.escalation)
    source: RUS
    target: UKR
    freq: week
```

A rule fires for a window holding at least ``threshold`` matching events (factual only, unless
``modality`` says otherwise) of which at least one has not fired this rule before; the alert and
its new events are recorded in the store, so no event fires the same rule twice.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

import pyarrow as pa
import yaml

from .. import ontology
from ..user_yaml import read_yaml_file
from . import periods
from .escalation import Detector, detect
from .series import Selection, dense, precisions, series

KINDS = ("count", "escalation")
MODALITIES = ("factual", "negated", "hypothetical", "future", "uncertain")
COUNT_FIELDS = {"name", "kind", "description", "source", "target", "either", "where", "types", "cameo", "modality",
                "threshold", "window", "min_mentions"}
ESCALATION_FIELDS = {"name", "kind", "description", "source", "target", "directed", "freq", "baseline", "alpha",
                     "min_events", "modality"}
MAX_WINDOW_DAYS = 3660       # ten years: a wider window is a typo
MAX_RULES = 1000             # a rules file is written by hand; each rule is one query per evaluation
MAX_RULES_BYTES = 500_000
MAX_COUNT = 1_000_000        # thresholds and minimums above this never fire


class RuleError(ValueError):
    """A rule that cannot be used; the message names the file, the rule and the field."""


@dataclass(frozen=True)
class Member:
    code: str
    since: date | None = None
    until: date | None = None


@dataclass
class Rule:
    name: str
    kind: str = "count"
    description: str = ""
    source: tuple[Member, ...] = ()
    target: tuple[Member, ...] = ()
    either: tuple[Member, ...] = ()
    where: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    cameo: tuple[str, ...] = ()
    modality: tuple[str, ...] = ("factual",)
    threshold: int = 1
    window: str = "1d"
    min_mentions: int = 1
    freq: str = "week"
    directed: bool = True
    detector: Detector = field(default_factory=Detector)


@dataclass
class Alert:
    rule: str
    kind: str
    window_start: date
    window_end: date
    n_events: int
    new_events: list[dict[str, Any]]
    detail: str
    context: list[str] = field(default_factory=list)  # lines shown before the events (a red line's words)

    @property
    def alert_id(self) -> str:
        keys = ",".join(sorted(e["event_key"] for e in self.new_events))
        return hashlib.sha256(f"{self.rule}|{self.window_start}|{keys}".encode()).hexdigest()[:24]


@lru_cache(maxsize=None)
def builtin_groups() -> dict[str, tuple[tuple[Member, ...], str | None]]:
    data = yaml.safe_load((resources.files("redline.analytics") / "data" / "groups.yaml").read_text("utf-8"))
    groups: dict[str, tuple[tuple[Member, ...], str | None]] = {}
    for name, spec in data.items():
        groups[name] = _group(spec, f"groups.yaml: group {name}", groups)
    return groups


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RuleError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None


def _group(spec: Any, where: str, known: dict | None = None) -> tuple[tuple[Member, ...], str | None]:
    """A group from its spec: a list of codes, or ``{body, members: {CODE: since}, include: [GROUP]}``;
    ``include`` takes the members (and bodies) of groups already ``known``."""
    if isinstance(spec, list):
        return tuple(Member(str(c).upper()) for c in spec), None
    if not isinstance(spec, dict) or not (isinstance(spec.get("members"), dict) or spec.get("include")) \
            or not isinstance(spec.get("members") or {}, dict) or not isinstance(spec.get("include") or [], list):
        raise RuleError(f"{where}: a group is a list of codes or {{body, members: {{CODE: since}}, include: [GROUP]}}")
    members = []
    for name in spec.get("include") or []:
        if str(name).upper() not in (known or {}):
            raise RuleError(f"{where}: include: {name!r} is not a group defined before it")
        found, body = (known or {})[str(name).upper()]
        members.extend(found)
        if body:
            members.append(Member(body))
    for code, span in (spec.get("members") or {}).items():
        if isinstance(span, list):
            if len(span) != 2:
                raise RuleError(f"{where}: member {code}: give [since, until] or since")
            members.append(Member(str(code).upper(), _date(span[0], where), _date(span[1], where)))
        else:
            members.append(Member(str(code).upper(), _date(span, where) if span else None))
    return tuple(members), spec.get("body")


def load_rules(path: str | Path) -> list[Rule]:
    """Read and validate a rules file; a bad rule raises RuleError naming the rule and field."""
    path = Path(path)
    data = read_yaml_file(path, MAX_RULES_BYTES, RuleError, "rules file")
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or not data["rules"]:
        raise RuleError(f"{path}: expected a mapping with a non-empty list under 'rules'")
    if len(data["rules"]) > MAX_RULES:
        raise RuleError(f"{path}: {len(data['rules']):,} rules; the limit is {MAX_RULES:,} (split the file)")
    if not isinstance(data.get("groups") or {}, dict):
        raise RuleError(f"{path}: 'groups' must be a mapping of group names to codes")
    groups = dict(builtin_groups())
    for name, spec in (data.get("groups") or {}).items():
        groups[str(name).upper()] = _group(spec, f"{path}: group {name}", groups)
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, raw in enumerate(data["rules"], 1):
        label = f"{path}: rule #{number}" + (f" '{raw.get('name')}'" if isinstance(raw, dict) and raw.get("name") else "")
        rule = _rule(raw, label, groups)
        if rule.name in seen:
            raise RuleError(f"{label}: field 'name': '{rule.name}' is used by another rule")
        seen.add(rule.name)
        rules.append(rule)
    return rules


def members(items: list[Any], groups: dict | None = None) -> tuple[Member, ...]:
    """Actor codes and group names as members: a group gives its members (with the dates they
    belonged) and its own body code; ValueError for anything else. ``groups``: the built-in ones
    unless given."""
    groups = builtin_groups() if groups is None else groups
    out: list[Member] = []
    for item in items:
        code = str(item).upper()
        if code in groups:
            found, body = groups[code]
            out.extend(found)
            if body:
                out.append(Member(body))
        elif re.match(r"^[A-Z]{3}[A-Z]*$", code):
            out.append(Member(code))
        else:
            raise ValueError(f"{item!r} is not an actor code (RUS, RUSMIL, IGOWSTNAT) or a group "
                             f"({', '.join(sorted(groups))})")
    return tuple(out)


def _rule(raw: Any, label: str, groups: dict) -> Rule:
    def bad(name: str, problem: str) -> RuleError:
        return RuleError(f"{label}: field '{name}': {problem}")

    if not isinstance(raw, dict):
        raise RuleError(f"{label}: a rule is a mapping of fields")
    if not raw.get("name") or not isinstance(raw["name"], str):
        raise bad("name", "missing")
    kind = raw.get("kind", "count")
    if kind not in KINDS:
        raise bad("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    allowed = COUNT_FIELDS if kind == "count" else ESCALATION_FIELDS
    for name in raw:
        if name not in allowed:
            raise bad(name, f"not a field of a {kind} rule (fields: {', '.join(sorted(allowed))})")

    def actors(name: str) -> tuple[Member, ...]:
        value = raw.get(name)
        if value is None:
            return ()
        try:
            return members(value if isinstance(value, list) else [value], groups)
        except ValueError as e:
            raise bad(name, str(e)) from None

    def strings(name: str) -> tuple[str, ...]:
        value = raw.get(name)
        if value is None:
            return ()
        return tuple(str(v) for v in (value if isinstance(value, list) else [value]))

    types = []
    for t in strings("types"):
        try:
            types.append(ontology.plover(t).name)
        except KeyError:
            raise bad("types", f"{t!r} is not a PLOVER type") from None
    cameo = strings("cameo")
    for c in cameo:
        if not c.isdigit() or not any(code.code.startswith(c) for code in ontology.cameo_codes()):
            raise bad("cameo", f"{c!r} is not a CAMEO code or prefix")
    modality = strings("modality") or ("factual",)
    for m in modality:
        if m not in MODALITIES:
            raise bad("modality", f"{m!r} is not one of {', '.join(MODALITIES)}")
    where = strings("where")
    for w in where:
        if not re.match(r"^[A-Z]{3}$", w.upper()):
            raise bad("where", f"{w!r} is not a country code (ISO 3166 alpha-3)")

    def integer(name: str, default: int, low: int = 1, high: int = MAX_COUNT) -> int:
        value = raw.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise bad(name, f"must be a whole number from {low} to {high:,}, got {value!r}")
        return value

    rule = Rule(name=raw["name"], kind=kind, description=str(raw.get("description", "")),
                source=actors("source"), target=actors("target"), modality=modality)
    if kind == "count":
        window = str(raw.get("window", "1d"))
        if window not in periods.FREQS and not periods.WINDOW.match(window):
            raise bad("window", f"{window[:40]!r} is not Nd (1d, 7d), day, week or month")
        if periods.WINDOW.match(window) and (len(window) > 7 or not 1 <= int(window[:-1]) <= MAX_WINDOW_DAYS):
            raise bad("window", f"{window!r}: a window is 1 to {MAX_WINDOW_DAYS} days")
        rule.either, rule.where = actors("either"), tuple(w.upper() for w in where)
        rule.types, rule.cameo, rule.window = tuple(types), cameo, window
        rule.threshold, rule.min_mentions = integer("threshold", 1), integer("min_mentions", 1)
        if not (rule.source or rule.target or rule.either or rule.where or rule.types or rule.cameo):
            raise RuleError(f"{label}: a rule needs at least one of source, target, either, where, types, cameo")
    else:
        if not (rule.source and rule.target):
            raise bad("source" if not rule.source else "target", "an escalation rule needs a source and a target")
        if len(rule.source) != 1 or len(rule.target) != 1:
            raise bad("source", "an escalation rule watches one dyad: one source and one target, not a group")
        rule.freq = str(raw.get("freq", "week"))
        if rule.freq not in ("day", "week", "month"):
            raise bad("freq", f"{rule.freq!r} is not day, week or month")
        rule.directed = bool(raw.get("directed", True))
        try:
            rule.detector = Detector(baseline=integer("baseline", 52, 2, 1000), alpha=float(raw.get("alpha", 0.002)),
                                     min_events=integer("min_events", 3))
        except (ValueError, TypeError) as e:
            raise bad("alpha", str(e)) from None
    return rule


# -- evaluation ----------------------------------------------------------------------------------
def side_clause(prefix: str, members: tuple[Member, ...], params: list[Any]) -> str:
    """SQL matching an event whose ``prefix`` side (source, target) is one of ``members`` while a
    member (a country by its country, anything longer as a code prefix); parameters appended."""
    parts = []
    for m in members:
        if len(m.code) == 3:
            cond = f"{prefix}_country = ?"
        else:
            cond = f"{prefix}_code LIKE ?"
        params.append(m.code if len(m.code) == 3 else m.code + "%")
        if m.since:
            cond += " AND date >= ?"
            params.append(m.since)
        if m.until:
            cond += " AND date <= ?"
            params.append(m.until)
        parts.append(f"({cond})")
    return "(" + " OR ".join(parts) + ")"


def _where(rule: Rule) -> tuple[str, list[Any]]:
    precise = precisions("month" if rule.window == "month" else "day")
    clauses, params = [f"date IS NOT NULL AND date_precision IN ({', '.join(repr(p) for p in precise)})"], []
    if rule.source:
        clauses.append(side_clause("source", rule.source, params))
    if rule.target:
        clauses.append(side_clause("target", rule.target, params))
    if rule.either:
        either = (side_clause("source", rule.either, params), side_clause("target", rule.either, params))
        clauses.append(f"({either[0]} OR {either[1]})")
    if rule.where:
        marks = ", ".join("?" for _ in rule.where)
        clauses.append(f"(location_country IN ({marks}) OR target_country IN ({marks}))")
        params.extend(rule.where * 2)
    kinds = kind_clauses(rule.types, rule.cameo, params)
    if kinds:
        clauses.append("(" + " OR ".join(kinds) + ")")
    clauses.append(f"modality IN ({', '.join('?' for _ in rule.modality)})")
    params.extend(rule.modality)
    if rule.min_mentions > 1:
        clauses.append("n_mentions >= ?")
        params.append(rule.min_mentions)
    return " AND ".join(clauses), params


def kind_clauses(types: Sequence[str], cameo: Sequence[str], params: list[Any]) -> list[str]:
    """SQL alternatives for events of these PLOVER types or CAMEO code prefixes (to be OR-ed);
    their values are appended to ``params``. Shared by watch rules, red-line triggers and responses."""
    kinds = []
    if types:
        kinds.append(f"plover IN ({', '.join('?' for _ in types)})")
        params.extend(types)
    for prefix in cameo:
        kinds.append("cameo LIKE ?")
        params.append(prefix + "%")
    return kinds


EVENT_FIELDS = "event_key, date, source_code, cameo, plover, target_code, modality, n_mentions, evidence"


def fired(store, rule: str) -> set[str]:
    """The events that have already fired ``rule``."""
    return {r[0] for r in store.sql("SELECT event_key FROM alert_events WHERE rule = ?", [rule]).fetchall()}


def _count_alerts(store, rule: Rule) -> list[Alert]:
    where, params = _where(rule)
    windows: dict[tuple[date, date], list[dict[str, Any]]] = {}
    for e in store.rows(f"SELECT {EVENT_FIELDS} FROM events WHERE {where} ORDER BY date, event_key", params):
        windows.setdefault(periods.window(e["date"], rule.window), []).append(e)
    done = fired(store, rule.name)
    alerts = []
    for (start, end), events in sorted(windows.items()):
        new = [e for e in events if e["event_key"] not in done]
        if len(events) >= rule.threshold and new:
            alerts.append(Alert(rule.name, "count", start, end, len(events), new,
                                f"{len(events)} matching events between {start} and {end} "
                                f"(threshold {rule.threshold} per {rule.window})"))
    return alerts


def _escalation_alerts(store, rule: Rule) -> list[Alert]:
    a, b = rule.source[0].code, rule.target[0].code
    selection = Selection(a, b, directed=rule.directed, modality=rule.modality)
    rows = series(store, selection, rule.freq)
    counts = [(p, v) for p, v in dense(rows, rule.freq, field="verbal_conflict")]
    material = dict(dense(rows, rule.freq, field="material_conflict"))
    counts = [(p, v + material.get(p, 0)) for p, v in counts]
    done = fired(store, rule.name)
    alerts = []
    for surge in detect(counts, rule.detector):
        end = periods.window(surge.end, rule.freq)[1]
        where, params = selection.where()
        events = store.rows(f"SELECT {EVENT_FIELDS} FROM events WHERE {where} AND quad_class >= 3 "
                            "AND date BETWEEN ? AND ? ORDER BY date, event_key", [*params, surge.start, end])
        new = [e for e in events if e["event_key"] not in done]
        if new:
            alerts.append(Alert(rule.name, "escalation", surge.start, end, len(events), new,
                                f"{surge.observed} conflict events where the baseline expected {surge.expected:.1f} "
                                f"(p={surge.p_value:.1e}, {len(surge.periods)} {rule.freq}(s))"))
    return alerts


def evaluate(store, rules: list[Rule], record: bool = True) -> list[Alert]:
    """The new alerts of every rule; with ``record`` they are stored so they never fire again."""
    alerts: list[Alert] = []
    for rule in rules:
        alerts.extend(_count_alerts(store, rule) if rule.kind == "count" else _escalation_alerts(store, rule))
    if record and alerts:
        with store.transaction():
            record_alerts(store, alerts)
    return alerts


def record_alerts(store, alerts: list[Alert]) -> None:
    """Store alerts and their events (inside the caller's transaction): an event recorded for a
    rule never fires that rule again."""
    if not alerts:
        return
    store.con.register("_alerts", pa.table({
        "alert_id": [a.alert_id for a in alerts], "rule": [a.rule for a in alerts], "kind": [a.kind for a in alerts],
        "window_start": pa.array([a.window_start for a in alerts], pa.date32()),
        "window_end": pa.array([a.window_end for a in alerts], pa.date32()),
        "n_events": pa.array([a.n_events for a in alerts], pa.int32()),
        "n_new": pa.array([len(a.new_events) for a in alerts], pa.int32()), "detail": [a.detail for a in alerts]}))
    store.con.register("_alert_events", pa.table({
        "alert_id": [a.alert_id for a in alerts for _ in a.new_events],
        "rule": [a.rule for a in alerts for _ in a.new_events],
        "event_key": [e["event_key"] for a in alerts for e in a.new_events]}))
    try:
        store.sql("INSERT INTO alerts SELECT *, now() FROM _alerts").fetchall()
        store.sql("INSERT OR IGNORE INTO alert_events SELECT * FROM _alert_events").fetchall()
    finally:
        store.con.unregister("_alerts")
        store.con.unregister("_alert_events")
