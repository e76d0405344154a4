"""A learned argument step against the rules alone, measured side by side in one run.

    python bench/argument_choices.py [--sets plover_gsr petrarch2_gsr conflibert_test article_gold]

The rules (``SentenceCoder.arguments``) take an event's source and target from the parse:
subject or passive agent, object or preposition, a searched target. The learned step scores every
actor mention of the sentence as source, target or neither for a trigger, from the dependency
path between them, voice, position, the preposition that holds the mention and what the mention
resolves to: a logistic regression trained on the project's own labelled sentences
(``data/training``: each names its main event's source and target spans), never on ``../shared``.

Variants, each coding every set with the same coder otherwise:

* ``rules``: the shipped coder;
* ``fill``: the rules, and the learned step where the rules found no source or no target;
* ``fill-target``: the same for targets only;
* ``only``: the learned step chooses both arguments (the rules still find the triggers).

Prints dyad+root F1 (plover_gsr, petrarch2_gsr), pentaclass and source-span F1 (conflibert_test)
and key-event recall and precision proxy (article_gold) per variant, and the training fit.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from redline import Coder  # noqa: E402
from redline.eval import evaluate  # noqa: E402
from redline.eval.metrics import spans_match  # noqa: E402
from redline.events import coder as coder_module  # noqa: E402

LABELS = ("none", "source", "target")


def path_features(trigger, cand) -> list[str]:
    """Dependency path from the trigger to the candidate, and what it passes through."""
    up, t = [], trigger
    anc = {a.i: n for n, a in enumerate([cand, *cand.ancestors])}
    while t.i not in anc and t.head.i != t.i and len(up) < 6:
        up.append(t.dep_)
        t = t.head
    if t.i not in anc:
        return ["path=far"]
    down = []
    c = cand
    while c.i != t.i and len(down) < 6:
        down.append(c.dep_)
        c = c.head
    down.reverse()
    preps = [x.lower_ for x in [cand, *cand.ancestors] if x.dep_ == "prep" and x.i != trigger.i][:1]
    path = "^" + "^".join(up) + "|" + "v".join(down)
    return [f"path={path}", f"up={'^'.join(up[:2])}", f"down={'v'.join(down[-2:])}", f"len={min(len(up) + len(down), 6)}",
            f"prep={preps[0] if preps else '-'}", f"updown={len(up)}-{len(down)}"]


def features(sc, frame, cand) -> list[str]:
    trigger = frame.trigger
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
    actors = sc.actors.resolve(cand)
    known = next((a for a in actors if a.country or a.code), None)
    feats = path_features(trigger, cand) + [
        f"dep={cand.dep_}", f"passive={passive}", f"side={'before' if cand.i < trigger.i else 'after'}",
        f"dist={min(abs(cand.i - trigger.i) // 3, 6)}", f"ent={cand.ent_type_ or '-'}", f"pos={cand.pos_}",
        f"root={frame.root}", f"known={'country' if known else ('sector' if any(a.sector for a in actors) else 'no')}",
        f"pron={cand.pos_ == 'PRON'}", f"tdep={trigger.dep_}",
    ]
    return feats + [f"{a}&passive={passive}" for a in feats[:2]]


def candidates(sc, sent, frame) -> list:
    """Actor mentions of the sentence other than the trigger: noun phrase heads that name one."""
    out = []
    for t in sent:
        if t.i == frame.trigger.i or t.dep_ in ("compound", "amod") or t.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        if sc._actorish(t):
            out.append(t)
    return out


def training_rows(coder: Coder) -> tuple[list[list[str]], list[str]]:
    X, y = [], []
    for path in sorted((ROOT / "data" / "training").glob("*.jsonl")):
        items = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        items = [i for i in items if i.get("cameo")]
        docs = coder.nlp.pipe([i["text"] for i in items], batch_size=64)
        for item, doc in zip(items, docs):
            from redline.actors import DocActors
            sc = coder_module.SentenceCoder(coder.predicates, DocActors(doc, coder.actors, None), "t", None)
            for sent in doc.sents:
                frames = [f for f in (sc.frame(t) for t in sent) if f is not None]
                main = next((f for f in frames if f.code[:2] == item["cameo"][:2]), None)
                if main is None:
                    continue
                for cand in candidates(sc, sent, main):
                    phrase = sc.actors.phrase(cand).text
                    label = "none"
                    if item.get("source") and spans_match(phrase, item["source"]["text"]):
                        label = "source"
                    elif item.get("target") and spans_match(phrase, item["target"]["text"]):
                        label = "target"
                    X.append(features(sc, main, cand))
                    y.append(label)
    return X, y


class Learned:
    def __init__(self, X, y) -> None:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        self.vec = DictVectorizer()
        M = self.vec.fit_transform([dict.fromkeys(f, 1) for f in X])
        self.model = LogisticRegression(max_iter=2000, C=1.0).fit(M, y)
        self.classes = list(self.model.classes_)
        self.fit_accuracy = self.model.score(M, y)

    def scores(self, feats: list[list[str]]):
        return self.model.predict_proba(self.vec.transform([dict.fromkeys(f, 1) for f in feats]))


def patch(learned: Learned, mode: str, threshold: float = 0.5):
    """Wrap SentenceCoder.arguments: fill what the rules missed, or replace them."""
    original = coder_module.SentenceCoder.arguments

    def arguments(self, frame):
        original(self, frame)
        if mode == "rules" or frame.is_report:
            return
        sent = frame.trigger.sent
        cands = candidates(self, sent, frame)
        if not cands:
            return
        probs = learned.scores([features(self, frame, c) for c in cands])
        si, ti = learned.classes.index("source"), learned.classes.index("target")
        best_s = max(range(len(cands)), key=lambda k: probs[k][si])
        best_t = max((k for k in range(len(cands)) if k != best_s), key=lambda k: probs[k][ti], default=None)
        want_s = mode == "only" or (mode == "fill" and not frame.sources)
        want_t = mode == "only" or (mode in ("fill", "fill-target") and not frame.targets)
        if want_s and probs[best_s][si] >= threshold:
            frame.source_heads = [cands[best_s]]
            frame.sources = list(self.actors.resolve(cands[best_s]))
        elif mode == "only":
            frame.source_heads, frame.sources = [], []
        if want_t and best_t is not None and probs[best_t][ti] >= threshold:
            frame.target_heads = [cands[best_t]]
            frame.targets = list(self.actors.resolve(cands[best_t]))
        elif mode == "only":
            frame.target_heads, frame.targets = [], []

    coder_module.SentenceCoder.arguments = arguments
    return original


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["plover_gsr", "petrarch2_gsr", "conflibert_test", "article_gold"])
    ap.add_argument("--modes", nargs="+", default=["rules", "fill", "fill-target", "only"])
    ap.add_argument("--threshold", type=float, default=0.5, help="least probability for the learned step to choose")
    args = ap.parse_args()
    coder = Coder()
    started = time.perf_counter()
    X, y = training_rows(coder)
    learned = Learned(X, y)
    counts = {label: y.count(label) for label in LABELS}
    print(f"learned step: {len(y)} candidate mentions from data/training {counts}, "
          f"fit accuracy {learned.fit_accuracy:.3f}, {time.perf_counter() - started:.0f} s")
    print(f"{'variant':14} {'set':16} figures")
    original = coder_module.SentenceCoder.arguments
    for mode in args.modes:
        patch(learned, mode, args.threshold)
        for name in args.sets:
            report, _ = evaluate(SHARED / "data" / f"{name}.jsonl", coder=coder)
            if report.get("kind") == "articles":
                a = report["groups"]["all"]
                figs = (f"recall quad {a['recall_quad']['value']:.3f} root {a['recall_root']['value']:.3f} dyad "
                        f"{a['recall_dyad']['value']:.3f} precision proxy {a['precision_proxy_quad']['value']:.3f}")
            elif "dyad_root" in report:
                figs = f"dyad+root F1 {report['dyad_root']['f1']:.3f}"
            else:
                figs = (f"pentaclass {report['pentaclass']['macro_f1']:.3f} "
                        f"source-span F1 {report['source_span']['f1']:.3f}")
            print(f"{mode:14} {name:16} {figs}")
        coder_module.SentenceCoder.arguments = original


if __name__ == "__main__":
    main()
