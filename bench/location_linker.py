"""Rules vs the learned linker on ../shared/data/event_locations.jsonl (issue 15, "learned linker").

    python bench/location_linker.py [--sample N] [--show-errors N] [--no-cv] [--json OUT]

Three ways to place the event on each sentence's gold verb, scored side by side on the same
sentences (those with a gold place; the 332 gold-relabelled ones, and with ``--sample N`` a
deterministic sample of N of all 5,836, by ``bench/event_locations.py``'s hash of the id):

* **coder (rules, strict)**: the real coder's place on the event whose trigger is the gold verb,
  exactly ``bench/event_locations.py``'s strict definition (its ``score``). It needs the coder to
  code an event on that verb, so its recall is capped by event coding;
* **placing on the gold verb (rules)**: the rule-based ``Placer.find`` (``redline.events.placing``)
  called on the gold verb's token, with the CAMEO root the predicate lexicon gives the verb (no
  dateline fallback, which the pipeline adds);
* **learned linker on the gold verb**: ``redline.where.linker.Linker`` (logistic regression on
  parse features, trained on ``bench/data/linker_train.jsonl``, sentences written for the project).

A place is correct when its character span overlaps a gold place span (gold spans read with
``_gold_span``). recall = correct / sentences; precision = correct / sentences given a place.
Also printed: how often a linker candidate covers the gold place (the linker's ceiling), the
agreement of the two gold-verb methods, "rules, else the linker" (the linker only where the rules
give no place), the linker's recall and precision at other thresholds (a curve, not a
choice: the shipped threshold is set by cross-validation on the training data), and the linker's cross-validated accuracy on its own training data
(``tools/train_linker.py``).

The shared data is only measured here: nothing of it is trained on or copied.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tools"))

CURVE = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)  # the linker's thresholds shown besides the shipped one

from event_locations import GOLD, _gold_span, _key, _overlaps, score as coder_score  # noqa: E402


def _root(trigger) -> str:
    """The CAMEO root the predicate lexicon gives the trigger word ('' when it has none)."""
    from redline.events.lexicon import builtin

    pos = "NOUN" if trigger.pos_ == "NOUN" else "VERB"
    row = next((r for r in builtin().candidates(trigger.lemma_.lower(), pos) if r.cameo), None)
    return row.cameo[:2] if row else ""


def gold_verb_scores(nlp, items: list[dict], show_errors: int = 0) -> dict:
    """The rule placing and the learned linker on each item's gold verb, per item and in sum."""
    from redline.events.placing import Placer
    from redline.ingest.normalise import mask_dateline
    from redline.where.linker import Linker, candidates, trigger_token

    placer, linker = Placer(), Linker()
    rows = []
    for item in items:
        text = item["text"]
        doc = nlp(mask_dateline(text))
        golds = [_gold_span(text, g, nlp.make_doc(text)) for g in item["event_locations"]]
        v = item["verb"][0]
        trig = trigger_token(doc, v["start"], v["end"])
        row = {"text": text, "golds": golds, "rules": None, "linker": None, "best": None, "ceiling": False}
        if trig is not None:
            found = placer.find(trig, _root(trig))
            if found is not None:
                span = found[0].span
                row["rules"] = (span.start_char, span.end_char, span.text)
            scored = linker.scores(trig, text)
            if scored:
                best, prob = max(scored, key=lambda cp: (cp[1], -cp[0].start))  # as Linker.link
                row["best"] = (best.start, best.end, best.text, prob)
                if prob >= linker.weights.threshold:
                    row["linker"] = (best.start, best.end, best.text)
            sent = trig.sent
            row["ceiling"] = any(_overlaps((c.start, c.end), g) for c in candidates(doc, sent.start, sent.end, text)
                                 for g in golds)
        rows.append(row)
    return {"rows": rows}


def _ok(pick, golds) -> bool:
    return pick is not None and any(_overlaps((pick[0], pick[1]), g) for g in golds)


def _figures(rows: list[dict], key) -> dict:
    n = len(rows)
    placed = sum(1 for r in rows if key(r) is not None)
    correct = sum(1 for r in rows if _ok(key(r), r["golds"]))
    return {"sentences": n, "placed": placed, "correct": correct,
            "recall": correct / n if n else 0.0, "precision": correct / placed if placed else 0.0}


def run(coder, items: list[dict], name: str, show_errors: int) -> dict:
    """All figures for one set of items, printed side by side."""
    from redline.where.linker import shipped_weights

    threshold = shipped_weights().threshold
    t = time.perf_counter()
    strict = coder_score(coder, items)
    rows = gold_verb_scores(coder.nlp, items)["rows"]
    out = {
        "coder_strict": {k: strict[k] for k in ("sentences", "placed", "correct", "recall", "precision")},
        "placing_gold_verb": _figures(rows, lambda r: r["rules"]),
        "linker_gold_verb": _figures(rows, lambda r: r["linker"]),
        "rules_else_linker": _figures(rows, lambda r: r["rules"] if r["rules"] is not None else r["linker"]),
    }
    n = len(rows)
    both = sum(_ok(r["rules"], r["golds"]) and _ok(r["linker"], r["golds"]) for r in rows)
    only_rules = sum(_ok(r["rules"], r["golds"]) and not _ok(r["linker"], r["golds"]) for r in rows)
    only_linker = sum(_ok(r["linker"], r["golds"]) and not _ok(r["rules"], r["golds"]) for r in rows)
    out["agreement"] = {"both_correct": both, "only_rules_correct": only_rules, "only_linker_correct": only_linker,
                        "candidate_covers_gold": sum(r["ceiling"] for r in rows)}
    print(f"\n{name}: {n} sentences ({time.perf_counter() - t:.0f} s)")
    print(f"    {'method':38s} {'placed':>6s} {'correct':>7s} {'recall':>7s} {'precision':>9s}")
    labels = {"coder_strict": "coder, event on the gold verb (rules)", "placing_gold_verb": "placing on the gold verb (rules)",
              "linker_gold_verb": "learned linker on the gold verb", "rules_else_linker": "rules, else the linker (gold verb)"}
    for k, label in labels.items():
        r = out[k]
        print(f"    {label:38s} {r['placed']:6d} {r['correct']:7d} {r['recall']:7.3f} {r['precision']:9.3f}")
    a = out["agreement"]
    print(f"    gold verb: both right {a['both_correct']}, only the rules {a['only_rules_correct']}, "
          f"only the linker {a['only_linker_correct']}; a linker candidate covers the gold place in "
          f"{a['candidate_covers_gold']} ({a['candidate_covers_gold'] / n if n else 0:.3f})")
    curve = {}
    for t in CURVE:
        c = _figures(rows, lambda r: r["best"][:3] if r["best"] and r["best"][3] >= t else None)
        curve[t] = c
    out["linker_by_threshold"] = curve
    print("    the linker at other thresholds (shipped: %.2f, chosen by cross-validation on the training data): " % threshold
          + ", ".join(f"{t:.1f}: R {c['recall']:.3f} P {c['precision']:.3f}" for t, c in curve.items()))
    shown = 0
    for r in rows:
        if shown >= show_errors:
            break
        if _ok(r["rules"], r["golds"]) != _ok(r["linker"], r["golds"]):
            shown += 1
            want = [r["text"][a:b] for a, b in r["golds"]]
            print(f"    DIFF rules={r['rules'][2] if r['rules'] else None!r} linker={r['linker'][2] if r['linker'] else None!r} "
                  f"want {want}: {r['text'][:160]!r}")
    return out


def cross_validation(nlp) -> dict:
    """The linker's cross-validated figures on its training data, at the shipped threshold and C."""
    import train_linker as tl
    from redline.where.linker import shipped_weights

    items = [json.loads(line) for line in tl.TRAIN.open(encoding="utf-8") if line.strip()]
    examples = tl.prepare(items, nlp)
    header = tl.OUT.read_text(encoding="utf-8").splitlines()[0]
    c = float(header.split("C=")[1].split(",")[0]) if "C=" in header else 1.0
    threshold = shipped_weights().threshold
    cv = tl.cross_validate(examples, 5, c)[round(threshold, 2)]
    print(f"\nlinker, 5-fold cross-validation on its training data ({len(examples)} sentences, "
          f"{sum(1 for e in examples if e['golds'])} with a place; C={c}, threshold {threshold}): "
          f"accuracy {cv['accuracy']:.3f}, recall {cv['recall']:.3f}, precision {cv['precision']:.3f}")
    return cv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=0, help="also score a deterministic sample of N of all sentences")
    ap.add_argument("--show-errors", type=int, default=0, help="print N sentences where the two gold-verb methods differ")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation on the training data")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from redline.pipeline import Coder

    items = [json.loads(line) for line in GOLD.open(encoding="utf-8") if line.strip()]
    located = [i for i in items if i["event_locations"] and i["verb"]]
    relabelled = [i for i in located if i.get("gold_relabel")]
    coder = Coder()
    out = {"relabelled": run(coder, relabelled, "gold-relabelled", args.show_errors)}
    if args.sample:
        sample = sorted(located, key=_key)[:args.sample]
        out["sample"] = run(coder, sample, f"all with a location, sample of {len(sample)} of {len(located)}",
                            args.show_errors)
    if not args.no_cv:
        out["cross_validation"] = cross_validation(coder.nlp)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
