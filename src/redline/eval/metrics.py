"""Scores of coded events against gold items.

The three measures of ``shared/tools/score.py`` (pentaclass macro-F1, source-span F1, dyad-plus-root
F1) are computed the same way, so that ``redline eval`` and the scorer agree on the same output;
Redline adds per-class figures, a confusion matrix of CAMEO roots, PLOVER type accuracy and, where
gold has them, event-date and modality accuracy.

Each item is scored by the set of events predicted for it: an extra event of another class costs
precision, a missing one costs recall.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping, Sequence

from ..ontology import normalize_plover, pentaclass
from .gold import GoldItem

# words ignored when comparing actor spans, as the scorer does
SPAN_STOPWORDS = frozenset("the a an of and in on its his her their s to for with".split())
NONE = "none"


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def span_words(text: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", (text or "").lower())) - SPAN_STOPWORDS


def spans_match(a: str | None, b: str | None) -> bool:
    """Two actor spans name the same thing when half the words of the shorter are shared."""
    wa, wb = span_words(a), span_words(b)
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.5


def _country(actor: Mapping[str, Any] | None) -> str | None:
    if not actor:
        return None
    return actor.get("country") or (actor.get("code") or "")[:3] or None


def _root(code: Any) -> str | None:
    code = str(code or "")
    return code[:2] if len(code) >= 2 and code[:2].isdigit() else None


def main_event(events: Sequence[Mapping[str, Any]], root: str | None = None) -> Mapping[str, Any] | None:
    """The event an item's single label refers to: one of the gold root if any, else the most confident."""
    if root is not None:
        same = [e for e in events if _root(e.get("cameo")) == root]
        if same:
            events = same
    return max(events, key=lambda e: e.get("confidence") or 0.0, default=None)


class Scorer:
    """Accumulates item-by-item comparisons; ``report()`` gives the figures."""

    def __init__(self) -> None:
        self.items = self.covered = self.n_events = 0
        self.cls_tp: Counter = Counter()
        self.cls_fp: Counter = Counter()
        self.cls_fn: Counter = Counter()
        self.cls_n = self.cls_hit = self.cls_exact = 0
        self.penta_confusion: dict[int, Counter] = defaultdict(Counter)
        self.src = Counter()
        self.dyad = Counter()
        self.roots: dict[str, Counter] = defaultdict(Counter)
        self.plover = Counter()
        self.dates = Counter()
        self.modality = Counter()
        self.modality_confusion: dict[str, Counter] = defaultdict(Counter)

    def add(self, item: GoldItem, events: Sequence[Mapping[str, Any]]) -> None:
        """Compare one item's predicted events (JSONL dicts) with its labels."""
        gold = item.labels
        self.items += 1
        self.covered += bool(events)
        self.n_events += len(events)
        self._pentaclass(gold, events)
        self._sources(gold, events)
        self._dyads(gold, events)
        self._roots(gold, events)
        self._plover(gold, events)
        self._date_and_modality(gold, events)

    def _pentaclass(self, gold: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> None:
        want = gold.get("pentaclass")
        if want is None:
            return
        got = {pentaclass(str(e.get("cameo") or "")) for e in events} - {None}
        self.cls_n += 1
        self.cls_hit += want in got
        self.cls_exact += got == {want}
        for c in range(5):
            self.cls_tp[c] += c == want and c in got
            self.cls_fp[c] += c in got and c != want
            self.cls_fn[c] += c == want and c not in got
        main = main_event(events)
        self.penta_confusion[want][pentaclass(str(main["cameo"])) if main else NONE] += 1

    def _sources(self, gold: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> None:
        spans = gold.get("spans") or []
        if not spans:
            return
        wanted = [s.get("text") for s in spans if s.get("role") in ("source", "reciprocal")]
        found = {(e.get("source") or {}).get("text") for e in events} - {None, ""}
        self.src["gold"] += len(wanted)
        self.src["found"] += sum(any(spans_match(w, f) for f in found) for w in wanted)
        self.src["pred"] += len(found)
        self.src["correct"] += sum(any(spans_match(f, w) for w in wanted) for f in found)

    def _dyads(self, gold: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> None:
        coded = [g for g in gold.get("events") or [] if g.get("code") and g.get("source")]
        if not coded:
            return
        wanted = {(_country({"code": g.get("source")}), _country({"code": g.get("target")}), str(g["code"])[:2])
                  for g in coded}
        got = {(_country(e.get("source")), _country(e.get("target")), str(e.get("cameo"))[:2]) for e in events}
        self.dyad["gold"] += len(wanted)
        self.dyad["pred"] += len(got)
        self.dyad["correct"] += len(wanted & got)

    def _gold_root(self, gold: Mapping[str, Any]) -> str | None:
        if gold.get("cameo"):
            return _root(gold["cameo"])
        codes = {_root(g.get("code")) for g in gold.get("events") or []} - {None}
        return codes.pop() if len(codes) == 1 else None

    def _roots(self, gold: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> None:
        want = self._gold_root(gold)
        if want is None:
            return
        main = main_event(events)
        self.roots[want][_root(main["cameo"]) if main else NONE] += 1
        self.roots[want]["_any"] += any(_root(e.get("cameo")) == want for e in events)

    def _plover(self, gold: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> None:
        wanted = [normalize_plover(g["plover"])[0] for g in gold.get("events") or [] if g.get("plover")]
        if not wanted:
            return
        got = {e.get("plover") for e in events} - {None}
        self.plover["gold"] += len(wanted)
        self.plover["found"] += sum(w in got for w in wanted)

    def _date_and_modality(self, gold: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> None:
        want_date, want_mod = gold.get("event_date"), gold.get("modality")
        if not (want_date or want_mod):
            return
        main = main_event(events, self._gold_root(gold))
        if want_date:
            self.dates["gold"] += 1
            if main is not None:
                precision = gold.get("event_date_precision") or "day"
                keep = {"year": 4, "month": 7}.get(precision, 10)
                self.dates["correct"] += str(main.get("date") or "")[:keep] == str(want_date)[:keep]
        if want_mod:
            self.modality["gold"] += 1
            got = main.get("modality") if main is not None else NONE
            self.modality["correct"] += got == want_mod
            self.modality_confusion[want_mod][got] += 1

    def report(self) -> dict[str, Any]:
        """The figures, in the shape of score.py's report plus Redline's additions."""
        out: dict[str, Any] = {"items": self.items, "items_with_events": self.covered, "events": self.n_events}
        if self.cls_n:
            per = {}
            for c in range(5):
                p = _ratio(self.cls_tp[c], self.cls_tp[c] + self.cls_fp[c])
                r = _ratio(self.cls_tp[c], self.cls_tp[c] + self.cls_fn[c])
                per[c] = _f1(p, r)
            out["pentaclass"] = {
                "n": self.cls_n, "macro_f1": sum(per.values()) / 5, "per_class_f1": per,
                "gold_in_predicted": self.cls_hit / self.cls_n, "exact_set": self.cls_exact / self.cls_n,
                "confusion": {g: dict(row) for g, row in sorted(self.penta_confusion.items())},
            }
        for name, counts in (("source_span", self.src), ("dyad_root", self.dyad)):
            if counts["gold"]:
                p = _ratio(counts["correct"], counts["pred"])
                r = _ratio(counts.get("found", counts["correct"]), counts["gold"])
                out[name] = {"gold": counts["gold"], "precision": p, "recall": r, "f1": _f1(p, r)}
        if self.roots:
            total = sum(sum(v for k, v in row.items() if k != "_any") for row in self.roots.values())
            main_ok = sum(row[g] for g, row in self.roots.items())
            any_ok = sum(row["_any"] for row in self.roots.values())
            out["cameo_root"] = {"n": total, "main_accuracy": main_ok / total, "any_accuracy": any_ok / total,
                                 "confusion": {g: {k: v for k, v in row.items() if k != "_any"}
                                               for g, row in sorted(self.roots.items())}}
        if self.plover["gold"]:
            out["plover_type"] = {"gold": self.plover["gold"], "accuracy": self.plover["found"] / self.plover["gold"]}
        if self.dates["gold"]:
            out["event_date"] = {"gold": self.dates["gold"], "accuracy": self.dates["correct"] / self.dates["gold"]}
        if self.modality["gold"]:
            out["modality"] = {"gold": self.modality["gold"], "accuracy": self.modality["correct"] / self.modality["gold"],
                               "confusion": {g: dict(row) for g, row in sorted(self.modality_confusion.items())}}
        return out


def score(items: Iterable[GoldItem], predictions: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """Score gold items against predicted events grouped by ``doc_id``."""
    scorer = Scorer()
    for item in items:
        scorer.add(item, predictions.get(item.id, ()))
    report = scorer.report()
    report["events"] = sum(len(v) for v in predictions.values())  # every predicted event, as score.py counts
    return report
