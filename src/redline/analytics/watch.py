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
    # or by the event's place: `where: {country: SYR, admin1: Idlib, place: Saraqib}` (any of the
    # three; admin1 by GeoNames' name or the news' spelling, place a part of the place's name)
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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from ..actors.groups import GroupError, builtin_groups, parse_group
from ..store.query import FilterError, Filters
from ..user_yaml import read_yaml_file
from . import periods
from .escalation import Detector, detect
from .series import dense, precisions, series

KINDS = ("count", "escalation")
COUNT_FIELDS = {"name", "kind", "description", "source", "target", "either", "where", "types", "cameo", "modality",
                "threshold", "window", "min_mentions"}
FILTER_FIELDS = {"source", "target", "either", "where", "types", "cameo", "modality", "min_mentions"}
WHERE_FIELDS = ("country", "admin1", "place")  # `where:` as a mapping: the event's place, by the store's filters
ESCALATION_FIELDS = {"name", "kind", "description", "source", "target", "directed", "freq", "baseline", "alpha",
                     "min_events", "modality"}
MAX_WINDOW_DAYS = 3660       # ten years: a wider window is a typo
MAX_RULES = 1000             # a rules file is written by hand; each rule is one query per evaluation
MAX_RULES_BYTES = 500_000
MAX_COUNT = 1_000_000        # thresholds and minimums above this never fire


class RuleError(ValueError):
    """A rule that cannot be used; the message names the file, the rule and the field."""


@dataclass
class Rule:
    """A watch rule: which events (``filters``, factual by default) and when they make an alert."""

    name: str
    kind: str = "count"
    description: str = ""
    filters: Filters = field(default_factory=lambda: Filters(modality=("factual",)))
    threshold: int = 1
    window: str = "1d"
    freq: str = "week"
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
        try:
            groups[str(name).upper()] = parse_group(spec, f"{path}: group {name}", groups)
        except GroupError as e:
            raise RuleError(str(e)) from None
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

    chosen = {k: v for k, v in raw.items() if k in FILTER_FIELDS}
    if isinstance(raw.get("where"), dict):  # where: {country: SYR, admin1: Idlib, place: Saraqib}
        unknown = set(raw["where"]) - set(WHERE_FIELDS)
        if unknown or not raw["where"]:
            raise bad("where", f"a place is given by {', '.join(WHERE_FIELDS)}, not {sorted(map(str, unknown))}")
        del chosen["where"]
        chosen.update({k: v for k, v in raw["where"].items()})
    if kind == "escalation" and "directed" in raw:
        chosen["undirected"] = not bool(raw["directed"])
    try:
        filters = Filters.from_mapping(chosen, groups=groups, defaults={"modality": ("factual",)})
    except FilterError as e:
        raise bad(e.parameter, e.problem) from None

    def integer(name: str, default: int, low: int = 1, high: int = MAX_COUNT) -> int:
        value = raw.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise bad(name, f"must be a whole number from {low} to {high:,}, got {value!r}")
        return value

    rule = Rule(name=raw["name"], kind=kind, description=str(raw.get("description", "")), filters=filters)
    if kind == "count":
        window = str(raw.get("window", "1d"))
        if window not in periods.FREQS and not periods.WINDOW.match(window):
            raise bad("window", f"{window[:40]!r} is not Nd (1d, 7d), day, week or month")
        if periods.WINDOW.match(window) and (len(window) > 7 or not 1 <= int(window[:-1]) <= MAX_WINDOW_DAYS):
            raise bad("window", f"{window!r}: a window is 1 to {MAX_WINDOW_DAYS} days")
        rule.window, rule.threshold = window, integer("threshold", 1)
        if filters.replace(modality=(), min_mentions=1).empty:
            raise RuleError(f"{label}: a rule needs at least one of source, target, either, where, types, cameo")
    else:
        if not (filters.source and filters.target):
            raise bad("source" if not filters.source else "target", "an escalation rule needs a source and a target")
        if len(filters.source) != 1 or len(filters.target) != 1:
            raise bad("source", "an escalation rule watches one dyad: one source and one target, not a group")
        rule.freq = str(raw.get("freq", "week"))
        if rule.freq not in ("day", "week", "month"):
            raise bad("freq", f"{rule.freq!r} is not day, week or month")
        try:
            rule.detector = Detector(baseline=integer("baseline", 52, 2, 1000), alpha=float(raw.get("alpha", 0.002)),
                                     min_events=integer("min_events", 3))
        except (ValueError, TypeError) as e:
            raise bad("alpha", str(e)) from None
    return rule


# -- evaluation ----------------------------------------------------------------------------------
def _where(rule: Rule) -> tuple[str, list[Any]]:
    """The rule's filters, among events dated finely enough to fall in one window."""
    precise = precisions("month" if rule.window == "month" else "day")
    where, params = rule.filters.where()
    return f"date IS NOT NULL AND date_precision IN ({', '.join(repr(p) for p in precise)}) AND {where}", params


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
    selection = rule.filters
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


def evaluate(store, rules: list[Rule], record: bool = True,
             within: Callable[[Any, list[Alert]], None] | None = None) -> list[Alert]:
    """The new alerts of every rule; with ``record`` they are stored so they never fire again
    (``within``: called with the store and the alerts in the transaction recording them, for what
    must be kept with them: the monitor's deliveries)."""
    alerts: list[Alert] = []
    for rule in rules:
        alerts.extend(_count_alerts(store, rule) if rule.kind == "count" else _escalation_alerts(store, rule))
    if record and alerts:
        with store.transaction():
            record_alerts(store, alerts)
            if within is not None:
                within(store, alerts)
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
