"""The sentence classifier: a linear model over parse features that says which CAMEO root a
sentence's main event belongs to (or that it holds none).

It does not code events by itself: the lexicon finds the events and their actors; the classifier
picks the main one when a sentence's verbs disagree and proposes a root when no lexicon rule
matched (see ``SentenceCoder``). It runs on numpy alone; ``redline train`` fits it with
scikit-learn from the project's own training text (``data/training/``).
"""
from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

import numpy as np

NO_EVENT = "none"
BUILTIN_MODEL = resources.files("redline.events") / "data" / "sentence_model.npz"


@dataclass
class SentenceClassifier:
    """Weights of a multinomial logistic regression over sparse features plus a dense vector."""

    classes: list[str]
    vocabulary: dict[str, int]
    sparse_weights: np.ndarray      # (n_features, n_classes)
    dense_weights: np.ndarray       # (dense_dim, n_classes)
    bias: np.ndarray                # (n_classes,)
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    meta: dict[str, Any]

    def probabilities(self, features: Sequence[str], vector: np.ndarray | None = None) -> dict[str, float]:
        """Class -> probability for one sentence's features (and its context vector)."""
        logits = self.bias.astype(np.float64).copy()
        rows = [self.vocabulary[f] for f in features if f in self.vocabulary]
        if rows:
            logits += self.sparse_weights[rows].sum(axis=0)
        if vector is not None and len(vector) == len(self.dense_mean) and len(vector):
            logits += ((vector - self.dense_mean) / self.dense_scale) @ self.dense_weights
        logits -= logits.max()
        p = np.exp(logits)
        p /= p.sum()
        return dict(zip(self.classes, p.tolist()))

    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            path, classes=np.array(self.classes), features=np.array(sorted(self.vocabulary, key=self.vocabulary.get)),
            sparse_weights=self.sparse_weights.astype(np.float32), dense_weights=self.dense_weights.astype(np.float32),
            bias=self.bias.astype(np.float32), dense_mean=self.dense_mean.astype(np.float32),
            dense_scale=self.dense_scale.astype(np.float32), meta=np.array(json.dumps(self.meta)))

    @classmethod
    def load(cls, path: str | Path | Any) -> "SentenceClassifier":
        """Read a model written by ``save`` (``redline train``); no pickles are loaded. A missing or
        unreadable file, or one that is not such a model, raises ValueError saying which."""
        try:
            with open(path, "rb") as f:
                data = np.load(f, allow_pickle=False)
                features = [str(x) for x in data["features"]]
                return cls(classes=[str(x) for x in data["classes"]],
                           vocabulary={f: i for i, f in enumerate(features)},
                           sparse_weights=data["sparse_weights"], dense_weights=data["dense_weights"],
                           bias=data["bias"], dense_mean=data["dense_mean"], dense_scale=data["dense_scale"],
                           meta=json.loads(str(data["meta"])))
        except OSError as e:
            raise ValueError(f"{path}: cannot read the model ({e.strerror or e})") from None
        except (ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            raise ValueError(f"{path}: not a model written by `redline train` ({e.__class__.__name__})") from None


@lru_cache(maxsize=None)
def builtin_classifier() -> SentenceClassifier | None:
    """The shipped model, or None when it has not been trained (the lexicon then works alone)."""
    if not BUILTIN_MODEL.is_file():
        return None
    return SentenceClassifier.load(BUILTIN_MODEL)
