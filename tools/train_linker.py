"""Train the learned event-place linker (``redline.where.linker``) and cross-validate it.

    python tools/train_linker.py [--folds 5] [--c 1.0] [--no-write]

Reads ``bench/data/linker_train.jsonl`` (sentences written for the project, built by
``tools/linker_data.py``), parses each text as the coder does (dateline blanked), makes one
example per (gold trigger, candidate place) pair, labelled 1 when the candidate overlaps a gold
place, and fits a logistic regression (scikit-learn, lbfgs, L2). Cross-validation holds out whole
texts (a text coded for two verbs is in one fold); the decision threshold is the one with the best
cross-validated sentence accuracy. Writes ``src/redline/where/data/linker_weights.tsv``.

Sentence accuracy: the linker's answer is right when it picks a candidate overlapping a gold
place, or picks none when the sentence gives the event no place. Recall: right places / sentences
with a gold place; precision: right places / places given.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "bench" / "data" / "linker_train.jsonl"
OUT = ROOT / "src" / "redline" / "where" / "data" / "linker_weights.tsv"
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(2, 17))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def prepare(items: list[dict], nlp) -> list[dict]:
    """Each item with its trigger token, candidates and per-candidate features and labels."""
    from redline.ingest.normalise import mask_dateline
    from redline.where.linker import candidates, pair_features, trigger_token

    out = []
    for item in items:
        doc = nlp(mask_dateline(item["text"]))
        trig = trigger_token(doc, item["verb"]["start"], item["verb"]["end"])
        golds = [(p["start"], p["end"]) for p in item["places"]]
        if trig is None:
            raise ValueError(f"no trigger token in {item['id']}")
        sent = trig.sent
        cands = candidates(doc, sent.start, sent.end, item["text"])
        feats = [pair_features(trig, c, cands) for c in cands]
        labels = [int(any(_overlaps((c.start, c.end), g) for g in golds)) for c in cands]
        out.append({**item, "trigger": trig, "cands": cands, "feats": feats, "labels": labels, "golds": golds})
    return out


def fit(examples: list[dict], c: float):
    """A logistic regression on the pairs of ``examples``: (weights dict, bias)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X = [{f: 1.0 for f in fs} for ex in examples for fs in ex["feats"]]
    y = [lab for ex in examples for lab in ex["labels"]]
    vec = DictVectorizer(sparse=True)
    matrix = vec.fit_transform(X)
    model = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    model.fit(matrix, y)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), model.coef_[0])}
    return weights, float(model.intercept_[0])


def decide(ex: dict, weights, threshold: float):
    """The candidate the linker picks for a prepared example (same rule as ``Linker.link``)."""
    scored = [(c, weights.probability(fs)) for c, fs in zip(ex["cands"], ex["feats"])]
    if not scored:
        return None
    best, p = max(scored, key=lambda cp: (cp[1], -cp[0].start))
    return best if p >= threshold else None


def evaluate(examples: list[dict], picks: list) -> dict:
    """Sentence accuracy, recall and precision of ``picks`` (one candidate or None per example)."""
    n = len(examples)
    right = given = correct = with_gold = 0
    for ex, pick in zip(examples, picks):
        with_gold += bool(ex["golds"])
        if pick is None:
            right += not ex["golds"]
            continue
        given += 1
        ok = any(_overlaps((pick.start, pick.end), g) for g in ex["golds"])
        correct += ok
        right += ok
    return {"sentences": n, "accuracy": right / n if n else 0.0, "with_place": with_gold, "placed": given,
            "correct": correct, "recall": correct / with_gold if with_gold else 0.0,
            "precision": correct / given if given else 0.0}


def fold_of(text: str, folds: int) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % folds


def cross_validate(examples: list[dict], folds: int, c: float) -> dict[float, dict]:
    """Cross-validated figures per threshold (folds by a hash of the text)."""
    from redline.where.linker import Weights

    picks: dict[float, list] = {t: [None] * len(examples) for t in THRESHOLDS}
    for k in range(folds):
        train = [ex for ex in examples if fold_of(ex["text"], folds) != k]
        w, b = fit(train, c)
        model = Weights(w, b, 0.5)
        for i, ex in enumerate(examples):
            if fold_of(ex["text"], folds) == k:
                for t in THRESHOLDS:
                    picks[t][i] = decide(ex, model, t)
    return {t: evaluate(examples, picks[t]) for t in THRESHOLDS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, nargs="+", default=[1.0],
                    help="inverse L2 strength (several: the best by cross-validated accuracy is used)")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="print this many cross-validated errors")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from redline import nlp as nlp_mod
    from redline.where.linker import Weights

    items = [json.loads(line) for line in TRAIN.open(encoding="utf-8") if line.strip()]
    examples = prepare(items, nlp_mod.load())
    gold_sents = [ex for ex in examples if ex["golds"]]
    covered = sum(any(ex["labels"]) for ex in gold_sents)
    print(f"{len(examples)} sentences, {sum(len(ex['cands']) for ex in examples)} candidate pairs; "
          f"a candidate covers the gold place in {covered} of {len(gold_sents)} sentences with one")
    runs = {c: cross_validate(examples, args.folds, c) for c in args.c}
    c_best, best_t = max(((c, t) for c in args.c for t in THRESHOLDS),
                         key=lambda ct: (runs[ct[0]][ct[1]]["accuracy"], -abs(ct[1] - 0.5), -ct[0]))
    for c in args.c:
        r = max(runs[c].values(), key=lambda r: r["accuracy"])
        print(f"  C={c}: best cv accuracy {r['accuracy']:.3f}")
    args.c = c_best
    cv = runs[c_best]
    print(f"  chosen C={c_best}, threshold {best_t}")
    for t in THRESHOLDS:
        r = cv[t]
        mark = " <-" if t == best_t else ""
        print(f"  cv threshold {t:.2f}: accuracy {r['accuracy']:.3f} recall {r['recall']:.3f} "
              f"precision {r['precision']:.3f} (placed {r['placed']}, correct {r['correct']}){mark}")
    if args.show:
        w_, b_ = fit(examples, args.c)
        model = Weights(w_, b_, best_t)
        shown = 0
        for ex in examples:
            pick = decide(ex, model, best_t)
            ok = (pick is None and not ex["golds"]) or (
                pick is not None and any(_overlaps((pick.start, pick.end), g) for g in ex["golds"]))
            if not ok and shown < args.show:
                shown += 1
                print(f"  TRAIN-ERR {ex['id']}: {ex['text']!r} verb {ex['verb']['text']!r} got "
                      f"{pick.text if pick else None!r} want {[p['text'] for p in ex['places']]}")
    weights, bias = fit(examples, args.c)
    final = Weights(weights, bias, best_t)
    train = evaluate(examples, [decide(ex, final, best_t) for ex in examples])
    print(f"  on the training data itself: accuracy {train['accuracy']:.3f}")
    if not args.no_write:
        OUT.write_text("# trained by tools/train_linker.py on bench/data/linker_train.jsonl; "
                       f"{len(examples)} sentences, C={args.c}, threshold by {args.folds}-fold CV\n"
                       + final.dump(), encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({len(weights)} features)")


if __name__ == "__main__":
    main()
