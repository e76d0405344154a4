"""How well crossings of red lines are found: synthetic event streams with known crossings and
near-misses, stored as coded events and matched by ``redline.redlines.find_crossings``.

    python bench/redline_crossings.py [--streams 200] [--events 40] [--seed 11]

The red lines, their crossing acts and near-misses are in ``bench/data/redline_streams.yaml``.
Each stream is one red line (declared on its day, date precision day) and ``--events`` events on
distinct days within a year of the declaration, each drawn at random among:

* crossings: the crossing act told as done by a third party (expected ``confirmed``), told as
  done but reported only by the declarer's own intelligence service (``claimed``), told with
  uncertainty (``claimed``), announced as a plan (``announced``);
* near-misses: the red line's own (done elsewhere, by another actor or sector, a different act,
  to another target), and for every red line the crossing act negated, hypothetical, or dated
  before the declaration;
* background events unrelated to the red line.

An event is stored as a document of its own through ``Store.add`` (so its mentions, reporters
and merged event are real), each stream in a store of its own. Prints the hit rate (crossings
found), the false-alarm rate (near-misses and background events found, overall and per kind)
and how often a found crossing has the expected status.

The synthetic events are what the coder should produce; ``bench/data/redline_crossing_sentences.jsonl``
holds sentences written for Redline telling crossings and near-misses of the same red lines,
which are coded by Redline's coder and matched the same way (unless ``--no-sentences``): the
rates there include the coder's own misses (a deployment coded as a statement, a place not
found), the end-to-end figure.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from redline import ontology  # noqa: E402
from redline.redlines import Consequence, Statement, Trigger, find_crossings  # noqa: E402
from redline.redlines.record import CROSSING_STATUSES  # noqa: E402
from redline.schema import Actor, Document, Event  # noqa: E402
from redline.store import Store, coded_rows  # noqa: E402

TEMPLATES = ROOT / "bench" / "data" / "redline_streams.yaml"
SENTENCES = ROOT / "bench" / "data" / "redline_crossing_sentences.jsonl"
CROSSING_KINDS = {"confirmed": ("factual", "third"), "claimed-by-declarer": ("factual", "declarer"),
                  "claimed-uncertain": ("uncertain", "third"), "announced": ("future", "third")}
EXPECTED_STATUS = {"confirmed": "confirmed", "claimed-by-declarer": "claimed", "claimed-uncertain": "claimed",
                   "announced": "announced"}
COMMON_MISSES = {"negated": "negated", "hypothetical": "hypothetical"}  # the crossing act in these modalities


def load_templates(path: Path = TEMPLATES) -> dict[str, Any]:
    """The red lines and background acts of the streams."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for r in data["redlines"]:
        r["declared"] = r["declared"] if isinstance(r["declared"], date) else date.fromisoformat(r["declared"])
    return data


def actor(code: str | None) -> Actor | None:
    """An actor from a CAMEO-style code: ``FRAMIL`` is France's military."""
    if not code:
        return None
    body = code.startswith(("IGO", "NGO"))
    return Actor(text=code, code=code, country=None if body else code[:3], sector=None if body else code[3:6] or None)


def event(doc_id: str, day: date, act: dict[str, Any], modality: str = "factual",
          reported_by: str | None = None) -> tuple[Document, Event]:
    """A document of one sentence and the event coded from it: ``act`` {source, target, cameo, location}."""
    entry = ontology.cameo(act["cameo"])
    text = f"{act['source']} {entry.name.lower()} {act.get('target') or ''} ({modality}, {doc_id})."
    location = {"name": act["location"], "country": act["location"], "lat": None, "lon": None} \
        if act.get("location") else None
    e = Event(doc_id=doc_id, sentence_index=0, span=(0, len(text)), evidence=text, cameo=entry.code,
              cameo_root=entry.root, cameo_name=entry.name, plover=entry.plover, plover_mode=entry.plover_mode,
              quad_class=entry.quad_class, goldstein=entry.goldstein, source=actor(act["source"]),
              target=actor(act.get("target")), date=day.isoformat(), date_precision="day", modality=modality,
              reported_by=actor(reported_by), location=location, confidence=0.8, explanation="synthetic",
              trigger=doc_id)
    return Document(id=doc_id, text=text, date=day, source="synthetic"), e


def statement(template: dict[str, Any], doc_id: str | None = None, day: date | None = None,
              stance: str = "declared") -> Statement:
    """The red line's declaration as an extracted statement would give it."""
    trigger = Trigger(**template["trigger"])
    consequence = Consequence(**template["consequence"])
    day = day or template["declared"]
    text = f"{template['declarer']} warned that {trigger.text} would bring {consequence.text}."
    return Statement(doc_id=doc_id or f"declared-{template['name']}", sentence_index=0, span=(0, len(text)),
                     evidence=text, date=day.isoformat(), declarer=actor(template["declarer"]), addressee=None,
                     trigger=trigger, consequence=consequence, stance=stance, date_precision="day")


def third_party(template: dict[str, Any]) -> str:
    """A reporter who is neither the declarer nor the crosser."""
    return next(c for c in ("GBRGOV", "DEUGOV", "BRAGOV") if c[:3] not in (template["declarer"][:3],
                                                                        template["crossing"]["source"][:3]))


def labelled(template: dict[str, Any], background: list[dict[str, Any]], kind: str, doc_id: str, day: date):
    """One labelled event of a stream: (document, event, kind, expected status or None)."""
    declarer = template["declarer"][:3]
    if kind in CROSSING_KINDS:
        modality, reporter = CROSSING_KINDS[kind]
        by = declarer + "SPY" if reporter == "declarer" else third_party(template)
        return (*event(doc_id, day, template["crossing"], modality, by), kind, EXPECTED_STATUS[kind])
    if kind in COMMON_MISSES:
        return (*event(doc_id, day, template["crossing"], COMMON_MISSES[kind], third_party(template)), kind, None)
    if kind == "before":
        return (*event(doc_id, day, template["crossing"], "factual", third_party(template)), kind, None)
    if kind == "background":
        return (*event(doc_id, day, random.Random(doc_id).choice(background)), kind, None)
    return (*event(doc_id, day, template["near_misses"][kind], "factual", third_party(template)), kind, None)


def stream(template: dict[str, Any], background: list[dict[str, Any]], n: int, rng: random.Random, name: str):
    """``n`` labelled events on distinct days around the red line's declaration."""
    kinds = [*CROSSING_KINDS, *template["near_misses"], *COMMON_MISSES, "before", "background"]
    after = rng.sample(range(0, 365), n)
    before = iter(rng.sample(range(1, 365), n))
    out = []
    for i, offset in enumerate(after):
        kind = rng.choice(kinds)
        day = template["declared"] - timedelta(days=next(before)) if kind == "before" \
            else template["declared"] + timedelta(days=offset)
        out.append(labelled(template, background, kind, f"{name}-{i}", day))
    return out


def detect(template: dict[str, Any], events: list[tuple]) -> dict[str, str]:
    """Store a stream and its red line; the crossings found, as document id -> status."""
    with Store(":memory:") as store:
        store.add([coded_rows(d, [e]) for d, e, _, _ in events])
        store.add_statements([statement(template)])
        by_key = dict(store.sql("SELECT event_key, doc_id FROM mentions").fetchall())
        return {by_key[c.event_key]: c.status for c in find_crossings(store)}


def run(streams: int, n_events: int, seed: int) -> dict[str, Any]:
    """Hit and false-alarm rates over ``streams`` streams of ``n_events`` events."""
    data = load_templates()
    rng = random.Random(seed)
    totals: Counter = Counter()
    found: Counter = Counter()
    right_status = 0
    for s in range(streams):
        template = data["redlines"][s % len(data["redlines"])]
        events = stream(template, data["background"], n_events, rng, f"s{s}")
        crossed = detect(template, events)
        for document, _, kind, expected in events:
            totals[kind] += 1
            if document.id in crossed:
                found[kind] += 1
                right_status += expected is not None and crossed[document.id] == expected
    positives = sum(totals[k] for k in CROSSING_KINDS)
    negatives = sum(n for k, n in totals.items() if k not in CROSSING_KINDS)
    hits = sum(found[k] for k in CROSSING_KINDS)
    alarms = sum(n for k, n in found.items() if k not in CROSSING_KINDS)
    return {"streams": streams, "crossings": positives, "hits": hits, "hit_rate": hits / max(positives, 1),
            "near_misses": negatives, "false_alarms": alarms, "false_alarm_rate": alarms / max(negatives, 1),
            "status_agreement": right_status / max(hits, 1),
            "by_kind": {k: (found[k], totals[k]) for k in sorted(totals)}}


def coded(path: Path = SENTENCES) -> dict[str, Any]:
    """Crossings found among sentences coded by Redline: each sentence a document, every red line
    of the templates declared; a sentence labelled with a status should cross its red line with
    that status, any other crossing (a near-miss, a background sentence, another red line) is a
    false alarm."""
    import json

    from redline import Coder
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    templates = {t["name"]: t for t in load_templates()["redlines"]}
    documents = [Document(id=r["id"], text=r["text"], date=date.fromisoformat(r["date"]), source="bench") for r in rows]
    with Store(":memory:") as store:
        store.add([coded_rows(d, e) for d, e in Coder().code_documents(documents)])
        store.add_statements([statement(t) for t in templates.values()])
        docs: dict[str, str] = dict(store.sql("SELECT event_key, doc_id FROM mentions").fetchall())
        names = {statement(t).redline_key: name for name, t in templates.items()}
        crossed: dict[str, set[tuple[str, str]]] = {}
        for c in find_crossings(store):
            crossed.setdefault(docs[c.event_key], set()).add((names[c.redline_id], c.status))
    positives = [r for r in rows if r["expect"] in CROSSING_STATUSES]
    negatives = [r for r in rows if r["expect"] not in CROSSING_STATUSES]
    hits = [r for r in positives if any(name == r["redline"] for name, _ in crossed.get(r["id"], ()))]
    right = [r for r in hits if (r["redline"], r["expect"]) in crossed[r["id"]]]
    alarms = [r for r in negatives if crossed.get(r["id"])]
    stray = sum(1 for r in positives for name, _ in crossed.get(r["id"], ()) if name != r["redline"])
    return {"sentences": len(rows), "crossings": len(positives), "hits": len(hits), "status_right": len(right),
            "near_misses": len(negatives), "false_alarms": len(alarms), "stray": stray,
            "missed": [r["id"] for r in positives if r not in hits], "alarmed": [r["id"] for r in alarms]}



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-sentences", action="store_true", help="Skip the coded sentences.")
    args = parser.parse_args()
    result = run(args.streams, args.events, args.seed)
    print(f"{result['streams']} streams of {args.events} events (seed {args.seed})")
    print(f"crossings found:   {result['hits']}/{result['crossings']}  hit rate {result['hit_rate']:.3f}")
    print(f"false alarms:      {result['false_alarms']}/{result['near_misses']}  "
          f"false-alarm rate {result['false_alarm_rate']:.3f}")
    print(f"status as expected for {result['status_agreement']:.3f} of the crossings found")
    print("found / events by kind:")
    for kind, (hit, total) in result["by_kind"].items():
        label = "crossing" if kind in CROSSING_KINDS else "near-miss"
        print(f"  {kind:22} {label:9} {hit:5}/{total:<5} {hit / max(total, 1):.3f}")
    if args.no_sentences:
        return
    c = coded()
    print(f"\ncoded sentences ({SENTENCES.name}): {c['sentences']}")
    print(f"crossings found:   {c['hits']}/{c['crossings']}  hit rate {c['hits'] / max(c['crossings'], 1):.3f}"
          f"  (status as labelled: {c['status_right']}/{c['hits']})")
    print(f"false alarms:      {c['false_alarms']}/{c['near_misses']}  false-alarm rate "
          f"{c['false_alarms'] / max(c['near_misses'], 1):.3f}; crossings of another red line: {c['stray']}")
    print(f"missed: {', '.join(c['missed']) or '-'}; false alarms: {', '.join(c['alarmed']) or '-'}")


if __name__ == "__main__":
    main()
