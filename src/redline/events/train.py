"""``redline train``: fit the sentence classifier on labelled training text.

Training text is JSON lines (``data/training/*.jsonl``): ``text``, ``cameo`` (the main event's
code, or null for a sentence with no event), ``source``/``target`` (``{text, code}``),
``modality`` and ``reported_by``. Only ``text`` and ``cameo`` are used for the classifier; the
rest documents the label and feeds the tests. Needs scikit-learn (``pip install redline[train]``).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from .. import ontology
from ..ingest import InputError
from ..schema import MODALITIES
from .classifier import NO_EVENT, SentenceClassifier
from .features import sentence_features, sentence_vector



@dataclass(frozen=True)
class Example:
    """One labelled training sentence."""

    text: str
    label: str          # a CAMEO root ("01".."20") or "none"
    cameo: str | None
    origin: str         # file:line


def _check(item: object, where: str, line: int) -> Example:
    def bad(name: str, problem: str) -> InputError:
        return InputError(where, problem, line=line, field=name)
    if not isinstance(item, dict):
        raise InputError(where, "expected a JSON object", line=line)
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad("text", "missing or empty")
    code = item.get("cameo")
    if code is not None:
        try:
            code = ontology.cameo(str(code)).code
        except KeyError:
            raise bad("cameo", f"unknown CAMEO code {code!r}") from None
    for side in ("source", "target"):
        actor = item.get(side)
        if actor is None:
            continue
        if not isinstance(actor, dict) or not isinstance(actor.get("text"), str):
            raise bad(side, "must be null or an object with 'text'")
        if actor["text"] not in text:
            raise bad(side, f"text {actor['text']!r} is not in the sentence")
    if item.get("modality") is not None and item["modality"] not in MODALITIES:
        raise bad("modality", f"must be one of {', '.join(MODALITIES)}")
    return Example(text, code[:2] if code else NO_EVENT, code, f"{where}:{line}")


def read_examples(paths: Iterable[str | Path]) -> Iterator[Example]:
    """Examples from JSONL files or folders of them; a bad line raises InputError naming it."""
    for path in paths:
        path = Path(path)
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        if not files:
            raise InputError(str(path), "no .jsonl training files here")
        for file in files:
            with file.open("rb") as f:
                for number, data in enumerate(f, 1):
                    try:
                        raw = data.decode("utf-8")
                    except UnicodeDecodeError:
                        raise InputError(str(file), "not UTF-8 text", line=number) from None
                    if not raw.strip():
                        continue
                    try:
                        item = json.loads(raw)
                    except json.JSONDecodeError as e:
                        raise InputError(str(file), f"malformed JSON ({e.msg})", line=number) from None
                    yield _check(item, str(file), number)


def featurize(examples: list[Example], coder=None, progress: Callable[[int], None] | None = None
              ) -> tuple[list[list[str]], np.ndarray]:
    """Parse each example with the coder's pipeline; its features and context vector."""
    from ..actors import DocActors
    from ..pipeline import default_coder
    from .coder import SentenceCoder
    coder = coder or default_coder()
    sparse: list[list[str]] = []
    dense: list[np.ndarray] = []
    for n, doc in enumerate(coder.nlp.pipe((e.text for e in examples), batch_size=64), 1):
        sc = SentenceCoder(coder.predicates, DocActors(doc, coder.actors, None), "train", None)
        span = doc[:]
        codes = [f.code for t in span if (f := sc.frame(t)) is not None]
        sparse.append(sentence_features(span, codes))
        dense.append(sentence_vector(span))
        if progress is not None:
            progress(n)
    return sparse, np.vstack(dense)


def _design(sparse: list[list[str]], dense: np.ndarray, vocabulary: dict[str, int], mean: np.ndarray,
            scale: np.ndarray, dense_weight: float):
    from scipy.sparse import csr_matrix, hstack
    rows, cols = [], []
    for i, feats in enumerate(sparse):
        for f in feats:
            j = vocabulary.get(f)
            if j is not None:
                rows.append(i)
                cols.append(j)
    X = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(sparse), len(vocabulary)))
    D = csr_matrix(((dense - mean) / scale * dense_weight).astype(np.float32))
    return hstack([X, D]).tocsr()


def fit(sparse: list[list[str]], dense: np.ndarray, labels: list[str], c: float = 1.0, min_count: int = 2,
        dense_weight: float = 0.3, meta: dict | None = None) -> SentenceClassifier:
    """Fit the logistic regression; features seen fewer than ``min_count`` times are dropped."""
    from sklearn.linear_model import LogisticRegression
    counts = Counter(f for feats in sparse for f in set(feats))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0) + 1e-6
    X = _design(sparse, dense, vocabulary, mean, scale, dense_weight)
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(X, labels)
    W = model.coef_.T.astype(np.float32)  # (n_features + dense_dim, n_classes)
    n = len(vocabulary)
    return SentenceClassifier(
        classes=[str(k) for k in model.classes_], vocabulary=vocabulary, sparse_weights=W[:n],
        dense_weights=W[n:] * dense_weight, bias=model.intercept_.astype(np.float32), dense_mean=mean,
        dense_scale=scale, meta={**(meta or {}), "c": c, "min_count": min_count, "dense_weight": dense_weight,
                                 "features": n})


def cross_validate(sparse: list[list[str]], dense: np.ndarray, labels: list[str], folds: int = 5,
                   **params) -> dict[str, float]:
    """Accuracy and macro-F1 (over roots and over pentaclasses) of ``folds``-fold cross-validation."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold
    y = np.array(labels)
    predicted = np.empty(len(y), dtype=object)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        model = fit([sparse[i] for i in train], dense[train], list(y[train]), **params)
        for i in test:
            p = model.probabilities(sparse[i], dense[i])
            predicted[i] = max(p, key=p.get)
    penta = lambda v: str(ontology.pentaclass(v + "0")) if v != NO_EVENT else NO_EVENT  # noqa: E731
    return {"accuracy": float(np.mean(predicted == y)),
            "root_macro_f1": float(f1_score(y, predicted.astype(str), average="macro")),
            "pentaclass_macro_f1": float(f1_score([penta(v) for v in y], [penta(v) for v in predicted],
                                                  average="macro"))}


def data_fingerprint(examples: list[Example]) -> str:
    digest = sha256()
    for e in examples:
        digest.update(f"{e.text}\t{e.cameo}\n".encode())
    return digest.hexdigest()[:16]


def train(paths: Iterable[str | Path], out: str | Path, folds: int = 5, c: float = 1.0, dense_weight: float = 0.3,
          progress: Callable[[int], None] | None = None) -> tuple[SentenceClassifier, dict[str, float]]:
    """Read training text, cross-validate, fit on all of it and save the model to ``out``."""
    examples = list(read_examples(paths))
    if len({e.label for e in examples}) < 2:
        raise InputError(", ".join(map(str, paths)), "training text needs at least two different labels")
    sparse, dense = featurize(examples, progress=progress)
    labels = [e.label for e in examples]
    scores = cross_validate(sparse, dense, labels, folds, c=c, dense_weight=dense_weight) if folds > 1 else {}
    meta = {"examples": len(examples), "labels": dict(sorted(Counter(labels).items())),
            "data": data_fingerprint(examples), "cross_validation": scores,
            "trained": datetime.now(timezone.utc).strftime("%Y-%m-%d")}
    model = fit(sparse, dense, labels, c=c, dense_weight=dense_weight, meta=meta)
    model.save(out)
    return model, scores
