"""``redline eval``: agrees with shared/tools/score.py, hand-computed figures, bad gold lines."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import run_cli

from redline.eval import GoldItem, score



def _subset(shared, tmp_path, name: str, n: int):
    lines = (shared / "data" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# whole files where they hold the awkward cases: a shared id (plover_gsr), an empty text (petrarch2_gsr)
@pytest.mark.parametrize("name, n", [("conflibert_test", 80), ("plover_gsr", None), ("petrarch2_gsr", None)])
def test_eval_agrees_with_the_shared_scorer(shared, tmp_path, name, n):
    gold = _subset(shared, tmp_path, name, n)
    pred, report = tmp_path / "pred.jsonl", tmp_path / "report.json"
    p = run_cli("eval", str(gold), "--save-pred", str(pred), "--json", str(report), "-q")
    assert p.returncode == 0, p.stderr.decode()
    ours = json.loads(report.read_text())
    theirs = json.loads(subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(gold), str(pred)],
                                       capture_output=True, check=True).stdout)
    assert ours["events"] == theirs["events"] > 0
    compared = 0
    for key, figure in (("pentaclass", "macro_f1"), ("source_span", "f1"), ("dyad_root", "f1"),
                        ("source_span", "precision"), ("dyad_root", "recall")):
        if key in theirs:
            assert ours[key][figure] == pytest.approx(theirs[key][figure], abs=6e-5), (key, figure)
            compared += 1
    assert compared >= 2
    if "pentaclass" in theirs:
        for c, f1 in theirs["pentaclass"]["per_class_f1"].items():
            assert ours["pentaclass"]["per_class_f1"][c] == pytest.approx(f1, abs=6e-5)
    # scoring the saved predictions again gives the same report
    again = tmp_path / "again.json"
    assert run_cli("eval", str(gold), "--pred", str(pred), "--json", str(again)).returncode == 0
    assert json.loads(again.read_text())["events"] == ours["events"]


def _event(cameo, source=None, target=None, **kw):
    return {"cameo": cameo, "source": source, "target": target, "confidence": kw.pop("confidence", 0.5), **kw}


def test_figures_by_hand():
    items = [
        GoldItem("a", "x", labels={"pentaclass": 4, "cameo": "190", "spans": [{"role": "source", "text": "Russian forces"}],
                                   "events": [{"source": "RUSMIL", "target": "UKR", "code": "190", "plover": "FIGHT"}]}),
        GoldItem("b", "x", labels={"pentaclass": 1, "cameo": "040", "modality": "future"}),
        GoldItem("c", "x", labels={"pentaclass": 3, "cameo": "130"}),
    ]
    rus = {"text": "the Russian forces", "code": "RUSMIL", "country": "RUS"}
    predictions = {
        # a: the right assault plus an extra statement -> class 4 hit, class 0 false positive
        "a": [_event("190", rus, {"text": "Ukraine", "code": "UKR", "country": "UKR"}, plover="ASSAULT",
                     confidence=0.9),
              _event("010", {"text": "Kyiv", "code": "UKRGOV", "country": "UKR"})],
        # b: consult coded, but as factual
        "b": [_event("042", modality="factual")],
        # c: nothing coded
    }
    r = score(items, predictions)
    pc = r["pentaclass"]
    # class 4: tp 1 -> F1 1; class 1: tp 1 -> 1; class 3: fn 1 -> 0; class 0: fp 1 -> 0; class 2: nothing -> 0
    assert pc["per_class_f1"] == {0: 0.0, 1: 1.0, 2: 0.0, 3: 0.0, 4: 1.0}
    assert pc["macro_f1"] == pytest.approx(0.4)
    assert pc["gold_in_predicted"] == pytest.approx(2 / 3) and pc["exact_set"] == pytest.approx(1 / 3)
    # source spans: 1 gold, found by "the Russian forces"; predicted sources 2, one right
    assert (r["source_span"]["recall"], r["source_span"]["precision"]) == (1.0, 0.5)
    # dyads: gold (RUS, UKR, 19); predicted (RUS, UKR, 19) and (UKR, None, 01)
    assert (r["dyad_root"]["recall"], r["dyad_root"]["precision"]) == (1.0, 0.5)
    assert r["plover_type"] == {"gold": 1, "accuracy": 1.0}  # FIGHT is an alias of ASSAULT
    assert r["cameo_root"]["confusion"] == {"04": {"04": 1}, "13": {"none": 1}, "19": {"19": 1}}
    assert r["cameo_root"]["main_accuracy"] == pytest.approx(2 / 3)
    assert r["modality"]["accuracy"] == 0.0 and r["modality"]["confusion"] == {"future": {"factual": 1}}


def test_bad_gold_lines_are_named_and_the_rest_is_scored(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "1", "text": "Russian troops shelled Kharkiv.", "pentaclass": 4}\n'
                    '{"id": "2", "text": "x", "pentaclass": 9}\n'
                    'not json\n'
                    '{"id": "3"}\n'
                    '{"id": "4", "text": "", "pentaclass": 2}\n', encoding="utf-8")
    p = run_cli("eval", str(gold), "-q")
    err = p.stderr.decode()
    assert p.returncode == 1
    assert f"{gold}:2: field 'pentaclass'" in err and f"{gold}:3: malformed JSON" in err
    assert f"{gold}:4: field 'text'" in err and "skipped 3 gold line(s)" in err
    assert "2 items" in p.stdout.decode()  # an empty text is scored, with no events


def test_missing_gold_file_is_a_usage_error(tmp_path):
    p = run_cli("eval", str(tmp_path / "nope.jsonl"))
    assert p.returncode == 2 and "no such file" in p.stderr.decode()


def test_empty_and_binary_gold_files(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    p = run_cli("eval", str(empty))
    assert p.returncode == 1 and "no gold items to score" in p.stderr.decode()
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe" + bytes(range(256)) * 8)
    p = run_cli("eval", str(binary))
    assert p.returncode == 1 and f"{binary}:1: not UTF-8 text" in p.stderr.decode()
