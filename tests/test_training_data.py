"""The project's own training text: valid, large and varied enough, and not taken from ../shared."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import ROOT

from redline import ontology
from redline.events.train import data_fingerprint, read_examples

TRAINING = ROOT / "data" / "training"


@pytest.fixture(scope="module")
def lines():
    out = []
    for path in sorted(TRAINING.glob("*.jsonl")):
        out += [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return out


def test_every_line_is_valid_and_the_corpus_is_large(lines):
    examples = list(read_examples([TRAINING]))  # raises, naming file and line, on a bad one
    assert len(examples) == len(lines) >= 2000
    assert len({e.text for e in examples}) == len(examples), "duplicate sentences"


def test_every_cameo_root_and_plover_type_is_covered(lines):
    roots = Counter(line["cameo"][:2] for line in lines if line["cameo"])
    assert set(roots) == {r.code for r in ontology.cameo_roots()}
    assert min(roots.values()) >= 80, roots
    plover = {ontology.cameo(line["cameo"]).plover for line in lines if line["cameo"]}
    assert {t.name for t in ontology.plover_types()} <= plover
    fine = {line["cameo"] for line in lines if line["cameo"]}
    assert len(fine) >= 250  # most of the ~310 codes, not just the roots
    assert sum(line["cameo"] is None for line in lines) >= 100  # sentences with no event


def test_variety_of_modality_voice_and_attribution(lines):
    modality = Counter(line["modality"] for line in lines)
    assert all(modality[m] >= 100 for m in ("negated", "hypothetical", "future", "uncertain")), modality
    assert sum(bool(line.get("reported_by")) for line in lines) >= 300
    assert sum(bool(re.search(r"\b(was|were|been|being)\s+\w+ed\b by\b", line["text"])) for line in lines) >= 100
    lengths = [len(line["text"].split()) for line in lines]
    assert sum(n <= 14 for n in lengths) >= 200 and sum(n >= 36 for n in lengths) >= 300


def test_actor_spans_are_in_their_sentence(lines):
    for line in lines:
        for side in ("source", "target"):
            if line.get(side):
                assert line[side]["text"] in line["text"], (side, line["text"])


def _shingles(text: str, n: int = 12) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_sentence_comes_from_the_shared_evaluation_sets(lines, shared):
    seen: set[str] = set()
    for name in ("conflibert_test", "cameo_manual_examples", "plover_gsr", "petrarch2_gsr", "case2021_types"):
        for raw in (shared / "data" / f"{name}.jsonl").open(encoding="utf-8"):
            seen |= _shingles(json.loads(raw).get("text") or "")
    copied = [line["text"] for line in lines if _shingles(line["text"]) & seen]
    assert not copied, copied[:3]


def test_the_shipped_model_was_trained_on_the_current_text():
    from redline.events.classifier import builtin_classifier
    model = builtin_classifier()
    assert model is not None
    assert model.meta["data"] == data_fingerprint(list(read_examples([TRAINING]))), \
        "data/training changed since the model was trained: run `redline train --out src/redline/events/data/sentence_model.npz`"
    assert model.meta["examples"] >= 2000
    assert model.meta["cross_validation"]["pentaclass_macro_f1"] > 0.6
