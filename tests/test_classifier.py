"""The sentence classifier: training, saving and loading, and how it is combined with the lexicon."""
from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from conftest import ROOT, run_cli

import redline
from redline.schema import Actor
from redline import Coder, ontology
from redline.events.classifier import NO_EVENT, SentenceClassifier

DATE = "2024-03-21"


@pytest.fixture(scope="module")
def lexicon_only():
    return Coder(use_classifier=False)


def _sample(tmp_path, per_file: int = 30):
    random.seed(3)
    lines = []
    for path in sorted((ROOT / "data" / "training").glob("*.jsonl")):
        rows = path.read_text(encoding="utf-8").splitlines()
        lines += random.sample(rows, per_file)
    out = tmp_path / "sample.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


@pytest.mark.slow
def test_train_writes_a_loadable_model(tmp_path):
    data = _sample(tmp_path)
    labels = Counter(json.loads(line)["cameo"][:2] if json.loads(line)["cameo"] else "none"
                     for line in data.read_text(encoding="utf-8").splitlines())
    majority = max(labels.values()) / sum(labels.values())  # always guessing the commonest label
    model_path = tmp_path / "model.npz"
    p = run_cli("train", str(data), "--out", str(model_path), "--folds", "2")
    assert p.returncode == 0, p.stderr.decode()
    err = p.stderr.decode()
    assert "trained on 210 sentences (21 labels)" in err and "2-fold cross-validation" in err
    model = SentenceClassifier.load(model_path)
    assert sorted(model.classes) == sorted(labels) and NO_EVENT in model.classes
    assert model.meta["examples"] == 210 and model.meta["labels"] == dict(sorted(labels.items()))
    # it learned something: held-out accuracy well above the commonest label's share
    cv = model.meta["cross_validation"]
    assert cv["accuracy"] > 2 * majority, (cv, majority)
    assert f"accuracy {cv['accuracy']:.3f}" in err
    # and what it learned points the right way on sentences it has not seen
    from redline.events.train import Example, featurize
    unseen = [("Russian artillery shelled Kharkiv overnight, killing two people.", "19"),
              ("The foreign ministers of India and China met in New Delhi on Monday.", "04")]
    sparse, dense = featurize([Example(text, root, None, "test") for text, root in unseen])
    for (text, root), features, vector in zip(unseen, sparse, dense):
        probs = model.probabilities(features, vector)
        assert sum(probs.values()) == pytest.approx(1.0)
        assert max(probs, key=probs.get) == root, (text, sorted(probs.items(), key=lambda kv: -kv[1])[:3])


def test_bad_training_line_is_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "Russia shelled Kharkiv.", "cameo": "190"}) + "\n"
                   + json.dumps({"text": "Iran warned Israel.", "cameo": "999"}) + "\n", encoding="utf-8")
    p = run_cli("train", str(bad), "--out", str(tmp_path / "m.npz"))
    assert p.returncode == 2 and f"{bad}:2: field 'cameo'" in p.stderr.decode()
    assert not (tmp_path / "m.npz").exists()


def test_one_class_per_clause(lexicon_only):
    text = "Tens of thousands of students staged mass demonstrations in Jakarta on Saturday to demand reforms."
    alone = lexicon_only.code_text(text, date=DATE)
    assert len({ontology.pentaclass(e.cameo) for e in alone}) == 2  # protest (14) and demand (10)
    combined = redline.code(text, date=DATE)
    assert {e.cameo_root for e in combined} == {"14"}
    assert "main class 4" in combined[0].explanation


def test_a_second_interaction_in_its_own_clause_stays():
    events = redline.code("Israel said on Monday that it had released 39 Palestinian prisoners, "
                          "and Hamas welcomed the move.", date=DATE)
    assert {"08", "05"} <= {e.cameo_root for e in events}


def test_the_classifier_proposes_where_no_rule_matched(lexicon_only):
    # no lexicon row for "poured into"; the classifier's likeliest class has a root it may propose
    text = "Venezuelan troops poured into the border region with Guyana."
    assert lexicon_only.code_text(text, date=DATE) == []
    [e] = redline.code(text, date=DATE)
    assert e.source.country == "VEN" and (e.target or Actor("")).country == "GUY"
    assert "sentence classifier proposes" in e.explanation and e.confidence < 0.6


def test_no_proposal_of_force_or_threat_on_the_classifier_s_word_alone():
    # the classifier's likeliest root here is 19 (fight): force needs a word for it; riots told as
    # the subject of "continuing" are found by the lexicon instead (an event noun that occurs)
    text = "Palestinian riots against Israeli military policies are still continuing."
    events = redline.code(text, date=DATE)
    assert events and all("classifier proposes" not in e.explanation for e in events)
    assert all(e.cameo_root not in ("18", "19", "20") for e in events)


def test_no_proposal_without_an_actor_or_an_event():
    assert redline.code("Inflation in Turkey rose to 61 percent in September.", date=DATE) == []
    assert redline.code("The weather was mild for most of the week.", date=DATE) == []


def test_binary_training_file_is_refused(tmp_path):
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe" + bytes(range(256)))
    p = run_cli("train", str(binary), "--out", str(tmp_path / "m.npz"))
    assert p.returncode == 2 and f"{binary}:1: not UTF-8 text" in p.stderr.decode()


@pytest.mark.slow
def test_train_without_out_writes_a_user_model_and_leaves_the_packaged_one(tmp_path, monkeypatch):
    import hashlib

    from redline.engines import CoderOptions
    from redline.events.classifier import BUILTIN_MODEL
    packaged = hashlib.sha256(BUILTIN_MODEL.read_bytes()).hexdigest()
    data = _sample(tmp_path, per_file=10)
    monkeypatch.chdir(tmp_path)
    p = run_cli("train", str(data), "--folds", "0")
    err = p.stderr.decode()
    assert p.returncode == 0, err
    user_model = tmp_path / "redline-model.npz"
    assert f"model written to {user_model}" in err and "--model redline-model.npz" in err
    assert hashlib.sha256(BUILTIN_MODEL.read_bytes()).hexdigest() == packaged
    # the user model is what --model / REDLINE_MODEL give the coder
    assert CoderOptions(model="redline-model.npz").build().classifier.meta["examples"] == 70
    article = tmp_path / "a.txt"
    article.write_text("Russian artillery shelled Kharkiv overnight.", encoding="utf-8")
    assert run_cli("code", str(article), "--model", "redline-model.npz", "-q").returncode == 0
    (tmp_path / "bogus.npz").write_bytes(b"not a model")
    monkeypatch.setenv("REDLINE_MODEL", "bogus.npz")
    p = run_cli("code", str(article))
    assert p.returncode == 2 and "--model: bogus.npz: not a model written by `redline train`" in p.stderr.decode()
    p = run_cli("ingest", str(article), "--db", str(tmp_path / "s.duckdb"), "--model", "missing.npz")
    assert p.returncode == 2 and "--model: missing.npz: cannot read the model" in p.stderr.decode()
