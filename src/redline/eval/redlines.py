"""Scoring red-line extraction against labelled sentences (``data/redlines/*.jsonl``).

One labelled item is a sentence (with optional earlier ``context``) and the red lines it
declares (none for look-alikes); its format is in ``data/redlines/README.md``. Predicted
statements of the item's sentence are matched to its gold red lines one to one, first those
with the same declarer. A matched pair with the same declarer is a hit of the red line;
precision and recall count those. Fields are scored on every matched pair (same sentence):
accuracy is the share of pairs where the field is right (trigger act: the types overlap or both
are empty; place: places and targets as one set), recall the share of gold codes of the field
that the prediction has (trigger actors, act types, places and targets), as the labelled set's
README suggests.

Codes are compared after normalisation: a group's body code is its name (``IGOWSTNAT`` is
``NATO``, groups of ``analytics/data/groups.yaml``) and a state actor's code is its country
(``RUSGOV`` is ``RUS``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from ..ingest import InputError, parse_publication_date
from ..redlines.record import SEVERITIES, Statement
from ..schema import Document
from .gold import checked_lines

FIELDS = ("declarer", "addressee", "trigger actor", "trigger act", "place", "consequence type",
          "consequence severity", "stance")
RECALL_FIELDS = ("trigger actor", "trigger act", "place")


@dataclass
class RedlineItem:
    """One labelled sentence and its gold red lines."""

    id: str
    text: str
    context: str = ""
    published: date | None = None
    kind: str = ""
    redlines: list[dict[str, Any]] = field(default_factory=list)
    line: int = 0

    def document(self) -> Document:
        """The sentence after its context, as one document."""
        return Document(id=self.id, text=(self.context + " " if self.context else "") + self.text, date=self.published)

    @property
    def offset(self) -> int:
        """Where the labelled sentence starts in ``document().text``."""
        return len(self.context) + 1 if self.context else 0


def _check(record: Any, where: str, line: int) -> RedlineItem:
    def bad(name: str, problem: str) -> InputError:
        return InputError(where, problem, line=line, field=name)
    if not isinstance(record, dict):
        raise bad("", "each line must be a JSON object")
    for name in ("id", "text"):
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise bad(name, f"'{name}' must be a non-empty string")
    published = None
    if record.get("date") is not None:
        try:
            published = parse_publication_date(str(record["date"]))
        except ValueError as err:
            raise bad("date", str(err)) from None
    context = record.get("context") or ""
    if not isinstance(context, str):
        raise bad("context", "'context' must be a string")
    redlines = record.get("redlines")
    if not isinstance(redlines, list):
        raise bad("redlines", "'redlines' must be a list (empty for a sentence with no red line)")
    for k, r in enumerate(redlines):
        if not isinstance(r, dict) or not isinstance(r.get("declarer"), str):
            raise bad(f"redlines[{k}].declarer", "each red line needs a 'declarer' code")
        if not isinstance(r.get("trigger"), dict):
            raise bad(f"redlines[{k}].trigger", "each red line needs a 'trigger' object")
        for name in ("actors", "exclude", "types", "places", "targets"):
            if not isinstance(r["trigger"].get(name, []), list):
                raise bad(f"redlines[{k}].trigger.{name}", f"'{name}' must be a list")
        consequence = r.get("consequence") or {}
        if not isinstance(consequence, dict):
            raise bad(f"redlines[{k}].consequence", "'consequence' must be an object")
        if consequence.get("severity", "unspecified") not in SEVERITIES:
            raise bad(f"redlines[{k}].consequence.severity", f"severity must be one of {', '.join(SEVERITIES)}")
    return RedlineItem(record["id"], record["text"], context, published, str(record.get("kind") or ""),
                       redlines, line)


def read_items(paths: Iterable[str | Path]) -> tuple[list[RedlineItem], list[InputError]]:
    """The labelled items of the files, and the lines that could not be read."""
    items: list[RedlineItem] = []
    errors: list[InputError] = []
    for path in paths:
        for item in checked_lines(path, _check):
            (errors if isinstance(item, InputError) else items).append(item)
    return items, errors


# -- codes --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _bodies() -> dict[str, str]:
    from ..actors.groups import builtin_groups
    return {body: name for name, (_, body) in builtin_groups().items() if body}


def norm_code(code: str | None) -> str | None:
    """A code as compared: a group's body is the group, a state actor's code its country."""
    if not code:
        return None
    code = code.upper()
    if code in _bodies():
        return _bodies()[code]
    if len(code) > 3 and not code.startswith(("IGO", "NGO", "IMG", "MNC")):
        return code[:3]
    return code


def _codes(values: Iterable[str | None]) -> set[str]:
    return {c for c in (norm_code(v) for v in values) if c}


def same_actor(gold: str | None, actor: Any) -> bool:
    """A gold country code matches an actor whose ``country`` is that code; any other code the
    actor's ``code`` (a group's body code is the group: ``IGOWSTNAT`` is ``NATO``)."""
    if not gold or actor is None:
        return not gold and actor is None
    gold = gold.upper()
    if len(gold) == 3 and gold not in _bodies().values() and not gold.startswith(("IGO", "NGO")):
        return actor.country == gold or (actor.code or "") == gold
    return norm_code(actor.code) == norm_code(gold) or (actor.code or "").upper() == gold


# -- scoring -------------------------------------------------------------------------------------
@dataclass
class Score:
    """Counts of one scoring run (see the module's docstring)."""

    items: int = 0
    gold: int = 0
    predicted: int = 0
    hits: int = 0
    sentence_gold: int = 0            # items with a red line
    sentence_predicted: int = 0       # items with a prediction
    sentence_hits: int = 0            # items with both
    lookalikes: int = 0
    lookalikes_extracted: int = 0
    pairs: int = 0
    right: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})
    found: dict[str, int] = field(default_factory=lambda: {f: 0 for f in RECALL_FIELDS})
    wanted: dict[str, int] = field(default_factory=lambda: {f: 0 for f in RECALL_FIELDS})
    by_kind: dict[str, list[int]] = field(default_factory=dict)   # kind -> [items, right]
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    def precision(self) -> float | None:
        return self.ratio(self.hits, self.predicted)

    def recall(self) -> float | None:
        return self.ratio(self.hits, self.gold)

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "gold": self.gold, "predicted": self.predicted, "hits": self.hits,
                "precision": self.precision(), "recall": self.recall(),
                "sentence_precision": self.ratio(self.sentence_hits, self.sentence_predicted),
                "sentence_recall": self.ratio(self.sentence_hits, self.sentence_gold),
                "lookalikes": self.lookalikes, "lookalikes_extracted": self.lookalikes_extracted,
                "pairs": self.pairs,
                "accuracy": {f: self.ratio(self.right[f], self.pairs) for f in FIELDS},
                "field_recall": {f: self.ratio(self.found[f], self.wanted[f]) for f in RECALL_FIELDS},
                "by_kind": {k: {"items": v[0], "right": v[1]} for k, v in sorted(self.by_kind.items())}}


def _field_scores(gold: dict[str, Any], st: Statement) -> tuple[dict[str, bool], dict[str, tuple[int, int]]]:
    """Exactness of each field of a matched pair, and (found, wanted) gold codes per recall field."""
    g = gold["trigger"]
    t = st.trigger
    gold_actors = _codes(g.get("actors", [])) | {"-" + c for c in _codes(g.get("exclude", []))}
    pred_actors = _codes(t.actors) | {"-" + c for c in _codes(t.exclude)}
    gold_types = {str(x).upper() for x in g.get("types", [])}
    pred_types = set(t.types)
    gold_places = _codes(g.get("places", [])) | _codes(g.get("targets", []))  # one set (as the labels' README scores)
    pred_places = _codes(t.places) | _codes(t.targets)
    consequence = gold.get("consequence") or {}
    exact = {
        "declarer": same_actor(gold["declarer"], st.declarer),
        "addressee": same_actor(gold.get("addressee"), st.addressee),
        "trigger actor": gold_actors == pred_actors,
        "trigger act": bool(gold_types & pred_types) or not (gold_types or pred_types),
        "place": gold_places == pred_places,
        "consequence type": (consequence.get("type") or None) == st.consequence.type,
        "consequence severity": consequence.get("severity", "unspecified") == st.consequence.severity,
        "stance": gold.get("stance", "declared") == st.stance,
    }
    recall = {"trigger actor": (len(gold_actors & pred_actors), len(gold_actors)),
              "trigger act": (len(gold_types & pred_types), len(gold_types)),
              "place": (len(gold_places & pred_places), len(gold_places))}
    return exact, recall


def score(items: list[RedlineItem], extract: Callable[[Document], list[Statement]]) -> Score:
    """Score ``extract`` (document -> statements) on the labelled items."""
    s = Score()
    for item in items:
        s.items += 1
        predicted = [st for st in extract(item.document()) if st.span[1] > item.offset]
        gold = list(item.redlines)
        s.gold += len(gold)
        s.predicted += len(predicted)
        s.sentence_gold += bool(gold)
        s.sentence_predicted += bool(predicted)
        s.sentence_hits += bool(gold) and bool(predicted)
        if not gold:
            s.lookalikes += 1
            s.lookalikes_extracted += bool(predicted)
        kind = item.kind.split(":")[0].strip() or "unlabelled"
        counts = s.by_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        counts[1] += bool(gold) == bool(predicted)
        left = list(predicted)
        pairs: list[tuple[dict, Statement]] = []
        for g in gold:  # the same declarer first (those whose types overlap first), then any statement
            types = {str(x).upper() for x in g["trigger"].get("types", [])}
            same = sorted((p for p in left if same_actor(g["declarer"], p.declarer)),
                          key=lambda p: not (types & set(p.trigger.types)))
            same = same[0] if same else None
            if same is not None:
                left.remove(same)
                pairs.append((g, same))
                s.hits += 1
        for g in gold:
            if not any(g is p[0] for p in pairs) and left:
                pairs.append((g, left.pop(0)))
        for g, st in pairs:
            s.pairs += 1
            exact, recall = _field_scores(g, st)
            for f, ok in exact.items():
                s.right[f] += ok
            for f, (found, wanted) in recall.items():
                s.found[f] += found
                s.wanted[f] += wanted
        if bool(gold) != bool(predicted) or len(pairs) < len(gold):
            s.misses.append(f"{item.id} ({item.kind}): gold {len(gold)}, predicted {len(predicted)}")
    return s


def format_score(s: Score, title: str) -> str:
    """A plain-text report of one scoring run."""
    d = s.to_dict()
    pct = lambda v: "  n/a" if v is None else f"{v:5.3f}"  # noqa: E731
    lines = [f"{title}: {s.items} sentences, {s.gold} gold red lines, {s.predicted} predicted statements",
             f"  red line (sentence + declarer): precision {pct(d['precision'])}  recall {pct(d['recall'])}"
             f"  ({s.hits} hits)",
             f"  sentence has a red line:        precision {pct(d['sentence_precision'])}  "
             f"recall {pct(d['sentence_recall'])}",
             f"  look-alikes extracted: {s.lookalikes_extracted} of {s.lookalikes}",
             f"  fields on {s.pairs} matched pairs (accuracy / recall of gold codes):"]
    for f in FIELDS:
        rec = f" / {pct(d['field_recall'][f])}" if f in RECALL_FIELDS else ""
        lines.append(f"    {f:22} {pct(d['accuracy'][f])}{rec}")
    if s.by_kind:
        lines.append("  by kind (items, told right whether there is a red line):")
        for k, v in d["by_kind"].items():
            lines.append(f"    {k:28} {v['right']:3}/{v['items']}")
    return "\n".join(lines)
