"""``redline eval`` on article gold: agrees with shared/tools/score_articles.py on the same
predictions (Redline's and synthetic ones), hand-checked matching, bad gold lines."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from redline.eval import evaluate, is_article_gold, read_articles
from redline.eval.article_metrics import (FIGURES, actor_key, best_partners, code_key, max_matching, quad_edge,
                                         root_edge, score_articles)
from redline.eval.articles import GoldArticle

# our figure -> (the shared scorer's figure, its numerator count, its denominator count)
THEIRS = {
    "recall_quad": ("recall_quad", "quad", "gold"),
    "recall_root": ("recall_root", "root", "gold"),
    "recall_source": ("recall_source_only", "src", "gold"),
    "recall_dyad": ("recall_dyad_any_code", "dyad", "gold"),
    "root_exact_on_quad": ("root_exact_on_quad_matches", "root_on_quad", "quad"),
    "date_on_quad": ("date_accuracy", "date_ok", "date_n"),
    "modality_on_quad": ("modality_accuracy", "mod_ok", "mod_n"),
    "modality_lenient_on_quad": ("modality_accuracy_lenient", "mod_len", "mod_n"),
    "reported_by_on_quad": ("reported_by_accuracy", "rep_ok", "rep_n"),
    "precision_proxy_quad": ("precision_proxy_quad", "pred_any_quad", "pred"),
    "precision_proxy_root": ("precision_proxy_root", "pred_any_root", "pred"),
    "precision_proxy_one_to_one": ("precision_proxy_one_to_one", "pred_1to1", "pred"),
}


@pytest.fixture(scope="module")
def gold(shared) -> Path:
    return shared / "data" / "article_gold.jsonl"


def _shared_scorer(shared: Path, gold: Path, pred: Path, out: Path) -> tuple[dict, list[tuple]]:
    """score_articles.py's figures (--json) and its -v listing: each gold event's tag (HIT, QUAD,
    MISS) and matched event's code, each unmatched prediction's code and reason."""
    scorer = shared / "tools" / "score_articles.py"
    p = subprocess.run([sys.executable, str(scorer), "score", str(gold), str(pred), "--json", str(out), "-v"],
                       capture_output=True, text=True, check=True)
    listing = []
    for line in p.stdout.splitlines():
        if line.startswith(("  gold ", "  pred ")):
            left, right = line.split(" | ", 1)
            if line.startswith("  gold "):
                tag, _, match = right.partition(" ")
                listing.append(("gold", tag, match.split()[1] if match.strip() else None))
            else:
                listing.append(("pred", right.split(":")[0], left.split()[2]))
    return json.loads(out.read_text()), listing


def _listing(ours: dict) -> list[tuple]:
    """Our matches in the shape of _shared_scorer's listing."""
    out: list[tuple] = []
    for art in ours["details"]:
        out += [("gold", {"root": "HIT", "quad": "QUAD", None: "MISS"}[row["match"]],
                 row["pred"].split()[1] if row["pred"] else None) for row in art["gold"]]
        out += [("pred", p["why"], p["pred"].split()[1]) for p in art["unmatched_predictions"]]
    return out


def _assert_agree(ours: dict, theirs: dict, listing: list[tuple]) -> None:
    assert set(FIGURES) == set(THEIRS)  # a new figure needs its counterpart here
    assert list(ours["groups"]) == list(theirs)
    for group, t in theirs.items():
        o = ours["groups"][group]
        assert (o["articles"], o["gold_events"], o["predicted_events"]) == (t["docs"], t["gold_events"],
                                                                           t["predicted_events"]), group
        for name, (their_name, hits, of) in THEIRS.items():
            assert o[name]["value"] == pytest.approx(t[their_name], abs=1e-12) if t[their_name] is not None \
                else o[name]["value"] is None, (group, name)
            assert (o[name]["hits"], o[name]["of"]) == (t["counts"].get(hits, 0), t["counts"].get(of, 0)), \
                (group, name)
        assert o["by_root"] == t["recall_by_root"], group
    assert _listing(ours) == listing  # the same partners, not only the same counts


@pytest.fixture(scope="module")
def redline_pred(coder, gold, tmp_path_factory) -> Path:
    """The panel coded once by Redline (the coder changes, so figures are never hard-coded)."""
    pred = tmp_path_factory.mktemp("articles") / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as saved:
        report, errors = evaluate(gold, coder=coder, save_predictions=saved)
    assert not errors and report["articles"] == 36
    return pred


def test_gold_file_is_read_with_its_texts(shared, gold):
    assert is_article_gold(gold) and not is_article_gold(shared / "data" / "conflibert_test.jsonl")
    articles, errors = read_articles(gold)
    assert not errors and len(articles) == 36 and sum(len(a.gold) for a in articles) == 170
    assert all(a.text and a.published for a in articles)
    assert {a.group for a in articles} == {"guardian_articles", "news_corpus"}


def test_agrees_with_the_shared_scorer_on_redline_output(shared, gold, redline_pred, tmp_path):
    # the CLI (--pred, --json) against score_articles.py (--json, -v) on the same events
    out = tmp_path / "ours.json"
    p = run_cli("eval", str(gold), "--pred", str(redline_pred), "--json", str(out))
    assert p.returncode == 0, p.stderr.decode()
    assert "recall, quad class" in p.stdout.decode() and "guardian_articles" in p.stdout.decode()
    ours = json.loads(out.read_text())
    theirs, listing = _shared_scorer(shared, gold, redline_pred, tmp_path / "theirs.json")
    assert list(theirs) == ["all", "guardian_articles", "news_corpus"]
    assert ours["groups"]["all"]["predicted_events"] > 0
    _assert_agree(ours, theirs, listing)


# ---- synthetic predictions: every rule of the matching, in random combinations ----

ROOTS = [f"{i:02d}" for i in range(1, 21)]
QUADS = {1: ROOTS[:5], 2: ROOTS[5:8], 3: ROOTS[8:13], 4: ROOTS[13:]}
MODALITIES = ["factual", "negated", "hypothetical", "future", "uncertain"]


def _quad(root: str) -> int:
    return next(q for q, roots in QUADS.items() if root in roots)


def _actor(code: str | None, rng: random.Random) -> dict | None:
    """A predicted actor for a gold code, in the shapes Redline writes: country and code, code
    only (IGOs carry no country), unresolved (text only); None for no actor."""
    if code is None:
        return rng.choice([None, {"text": "they", "code": None, "country": None}])
    if code.startswith("IGO"):
        return {"text": code, "code": code, "country": None}
    form = rng.random()
    if form < 0.5:
        return {"text": code, "code": code[:3] + rng.choice(["", "GOV", "MIL", "REB"]), "country": code[:3]}
    if form < 0.8:
        return {"text": code, "code": code, "country": None}
    return {"text": code, "code": None, "country": code[:3]}


def _variant(g: dict, others: list[str], rng: random.Random) -> dict:
    """A prediction built from gold event ``g`` with a few random changes."""
    source, target = g["source"], g["target"]
    root, modality, when, rep = g["cameo_root"], g["modality"], g["date"], g["reported_by"]
    if g.get("symmetric") and rng.random() < 0.5:  # meetings and clashes told the other way round
        source, target = target, source
    for change in rng.sample(["alt_source", "alt_target", "reverse", "alt_root", "same_quad", "other_quad",
                              "alt_modality", "modality", "date", "no_date", "reported_by", "no_reported_by",
                              "other_source", "other_target", "none"], k=rng.randint(0, 3)):
        if change == "alt_source" and g.get("source_alt"):
            source = rng.choice(g["source_alt"])
        elif change == "alt_target" and g.get("target_alt"):
            target = rng.choice(g["target_alt"])
        elif change == "reverse":
            source, target = target, source
        elif change == "alt_root" and g.get("root_alt"):
            root = rng.choice(g["root_alt"])
        elif change == "same_quad":
            root = rng.choice(QUADS[_quad(root)])
        elif change == "other_quad":
            root = rng.choice([r for r in ROOTS if _quad(r) != _quad(root)])
        elif change == "alt_modality" and g.get("modality_alt"):
            modality = rng.choice(g["modality_alt"])
        elif change == "modality":
            modality = rng.choice(MODALITIES)
        elif change == "date":
            when = rng.choice(["2019-03-22", "2018-01-20", "2016-02-12", "2004-04-23"])
        elif change == "no_date":
            when = None
        elif change == "reported_by":
            rep = rng.choice(others)
        elif change == "no_reported_by":
            rep = None
        elif change == "other_source":
            source = rng.choice(others)
        elif change == "other_target":
            target = rng.choice(others + [None])
    if when is not None and len(when) == 7:  # a month-precision gold date, predicted to the day
        when += rng.choice(["-01", "-15"])
    code = root + rng.choice(["", "0", "1"])
    return {"source": _actor(source, rng), "target": _actor(target, rng), "cameo": code, "cameo_root": root,
            "date": when, "modality": modality, "reported_by": _actor(rep, rng) if rep else None}


def _synthetic(gold: Path, seed: int) -> list[dict]:
    rng = random.Random(seed)
    articles = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    preds: list[dict] = []
    for a in articles:
        codes = sorted({c for g in a["gold"] for c in (g["source"], g["target"]) if c})
        others = codes + ["FRA", "IGOUNO", "IMGMUSISI", "USAGOV"]
        mine = []
        for g in a["gold"]:  # several near copies of a gold event compete for it and its neighbours
            mine += [_variant(g, others, rng) for _ in range(rng.choice([0, 1, 2, 3, 4]))]
        for _ in range(rng.randint(0, 4)):  # noise: the article's actors, any root
            r = rng.choice(ROOTS)
            mine.append({"source": _actor(rng.choice(others), rng), "target": _actor(rng.choice(others + [None]), rng),
                         "cameo": r + "0", "cameo_root": r, "date": None, "modality": "factual", "reported_by": None})
        rng.shuffle(mine)
        for k, p in enumerate(mine):
            p["doc_id"] = a["id"]
            p["cameo"] = f"{p['cameo_root']}{k:03d}"  # unique in the article: the listings name partners by it
            if rng.random() < 0.9:  # ties and a few missing sentence indices
                p["sentence_index"] = rng.randint(0, 12)
            p["evidence"] = "synthetic"
        preds += mine
    preds.append({"doc_id": "not-in-gold", "source": None, "target": None, "cameo": "010", "cameo_root": "01",
                  "modality": "factual", "sentence_index": 0})
    return preds


@pytest.mark.parametrize("seed", range(1, 17))
def test_agrees_with_the_shared_scorer_on_synthetic_predictions(shared, gold, tmp_path, seed):
    preds = _synthetic(gold, seed)
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    ours, errors = evaluate(gold, predictions=pred)
    assert not errors and ours["stray_events"] == 1
    theirs, listing = _shared_scorer(shared, gold, pred, tmp_path / "theirs.json")
    _assert_agree(ours, theirs, listing)
    # the set exercises what it should: symmetric pairs reversed, null gold targets, IGO keys,
    # reported_by judged, and partners swapped after the quad matching
    articles, _ = read_articles(gold)
    by_doc: dict[str, list[dict]] = {}
    for p in preds:
        by_doc.setdefault(p["doc_id"], []).append(p)
    swapped = 0
    for a in articles:
        ps = by_doc.get(a.id, [])
        seeded = max_matching(a.gold, ps, quad_edge, seed=max_matching(a.gold, ps, root_edge))
        swapped += best_partners(a.gold, ps, seeded, quad_edge) != seeded
    assert swapped > 0
    reversed_hits = [p for a in articles for g in a.gold if g.get("symmetric") for p in by_doc.get(a.id, [])
                     if actor_key(p["source"]) == code_key(g["target"]) != code_key(g["source"]) and quad_edge(g, p)]
    assert reversed_hits
    all_ = ours["groups"]["all"]
    assert all_["reported_by_on_quad"]["of"] > 5 and 0 < all_["reported_by_on_quad"]["hits"]
    assert any(g["target"] is None for a in articles for g in a.gold)


def _article(gold: list[dict]) -> GoldArticle:
    return GoldArticle("a", gold, text="x")


def _p(src: str | None, tgt: str | None, root: str, **kw) -> dict:
    actor = lambda c: {"code": c, "country": None} if c else None  # noqa: E731
    return {"source": actor(src), "target": actor(tgt), "cameo_root": root, "cameo": root + "0",
            "modality": "factual", "date": None, "sentence_index": 0, **kw}


def test_two_gold_events_of_one_dyad_each_get_their_best_counterpart():
    # two threats by Turkey against the US on different days; the first matching pairs them
    # crosswise (predictions in sentence order), the swap gives each its own date
    gold = [{"source": "TURGOV", "target": "USA", "cameo_root": "13", "date": "2019-01-10", "modality": "factual"},
            {"source": "TURGOV", "target": "USA", "cameo_root": "13", "date": "2019-01-12", "modality": "factual"}]
    preds = [_p("TURGOV", "USAGOV", "13", date="2019-01-12"), _p("TUR", "USA", "13", date="2019-01-10")]
    r = score_articles([_article(gold)], {"a": preds})["groups"]["all"]
    assert r["recall_root"]["hits"] == 2 and r["date_on_quad"]["hits"] == 2
    # agreement counts the root first: a swap that would fix both dates but lose both roots is not made
    gold[1]["cameo_root"] = "11"
    preds[1]["cameo_root"] = "11"
    r = score_articles([_article(gold)], {"a": preds})["groups"]["all"]
    assert r["root_exact_on_quad"]["hits"] == 2 and r["date_on_quad"]["hits"] == 0
    # ... and a lenient modality before reported_by
    gold = [{"source": "USA", "target": "IRN", "cameo_root": "11", "date": None, "modality": "uncertain",
             "modality_alt": ["factual"]},
            {"source": "USA", "target": "IRN", "cameo_root": "11", "date": None, "modality": "uncertain",
             "reported_by": "GBR"}]
    preds = [_p("USA", "IRN", "11", reported_by={"code": "GBRGOV"}), _p("USA", "IRN", "11", modality="future")]
    r = score_articles([_article(gold)], {"a": preds})["groups"]["all"]
    assert r["modality_lenient_on_quad"]["hits"] == 1 and r["reported_by_on_quad"]["hits"] == 0


def test_null_target_igo_keys_symmetry_and_alternatives():
    gold = [{"source": "IGOUNO", "target": None, "cameo_root": "02", "date": None, "modality": "factual"},
            {"source": "RUS", "target": "UKR", "cameo_root": "04", "date": None, "modality": "factual",
             "symmetric": True},
            {"source": "IMGMUSISI", "target": "SYR", "cameo_root": "19", "root_alt": ["18"], "date": None,
             "modality": "uncertain", "modality_alt": ["factual"], "reported_by": "IGOUNO",
             "target_alt": ["IRQ"]}]
    preds = [_p("IGOUNOSEC", None, "01"),                       # IGO key is the whole code: no match
             _p("IGOUNO", "FRA", "02"),                           # null gold target takes any target
             _p("UKRGOV", "RUSGOV", "04"),                        # reversed, symmetric
             _p("IMGMUSISI", "IRQ", "18", reported_by={"code": "IGOUNO"})]
    r = score_articles([_article(gold)], {"a": preds})["groups"]["all"]
    assert (r["recall_quad"]["hits"], r["recall_root"]["hits"]) == (3, 3)
    assert r["modality_on_quad"]["hits"] == 2 and r["modality_lenient_on_quad"]["hits"] == 3
    assert (r["reported_by_on_quad"]["hits"], r["reported_by_on_quad"]["of"]) == (1, 1)
    assert (r["precision_proxy_quad"]["hits"], r["precision_proxy_quad"]["of"]) == (3, 4)


def test_cli_codes_articles_carrying_their_own_text(shared, tmp_path):
    gold = tmp_path / "mine.jsonl"
    gold.write_text(json.dumps({"id": "k1", "date": "2024-03-21", "group": "wire", "text":
                                "Russian forces shelled Kharkiv on Tuesday, killing three civilians. "
                                "Ukraine's foreign minister condemned the attack.",
                                "gold": [{"source": "RUSMIL", "target": "UKR", "cameo_root": "19", "cameo": "190",
                                          "date": "2024-03-19", "modality": "factual", "reported_by": None}]})
                    + "\n", encoding="utf-8")
    pred, out = tmp_path / "pred.jsonl", tmp_path / "out.json"
    p = run_cli("eval", str(gold), "--save-pred", str(pred), "--json", str(out), "-q", "-v")
    assert p.returncode == 0, p.stderr.decode()
    assert "-- k1 [wire]" in p.stdout.decode() and "gold RUSMIL->UKR 190 2024-03-19 factual" in p.stdout.decode()
    ours = json.loads(out.read_text())
    assert list(ours["groups"]) == ["all", "wire"] and pred.read_text().strip()
    theirs, listing = _shared_scorer(shared, gold, pred, tmp_path / "theirs.json")
    _assert_agree(ours, theirs, listing)


def test_bad_article_lines_are_named_and_the_rest_is_scored(tmp_path):
    (tmp_path / "corpus.jsonl").write_text('{"id": "c1", "text": "Turkey threatened the Kurds."}\n', encoding="utf-8")
    event = {"source": "TUR", "target": "SYRREB", "cameo_root": "13", "date": None, "modality": "factual"}
    lines = [{"id": "c1", "corpus_file": "corpus.jsonl", "gold": [event]},
             "{not json",
             {"id": "c2", "corpus_file": "corpus.jsonl", "gold": [event, {**event, "cameo_root": "21"}]},
             {"id": "c3", "gold": [event]},
             {"id": "c4", "corpus_file": "corpus.jsonl", "gold": [event]},
             {"id": "c5", "corpus_file": "nowhere.jsonl", "gold": [event]},
             {"id": "c6", "text": "x", "gold": "none"},
             {"id": "c7", "text": "x", "gold": [{**event, "modality": "maybe"}]}]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    empty = tmp_path / "none.jsonl"
    empty.write_text("", encoding="utf-8")
    p = run_cli("eval", str(gold), "--pred", str(empty))
    err = p.stderr.decode()
    assert p.returncode == 1
    assert f"{gold}:2: malformed JSON" in err
    assert f"{gold}:3: field 'gold[1].cameo_root'" in err
    assert f"{gold}:4: field 'corpus_file': missing" in err
    assert f"{gold}:5: field 'id': no document with this id in" in err
    assert f"{gold}:6: field 'corpus_file': nowhere.jsonl not found next to the gold file" in err
    assert f"{gold}:7: field 'gold'" in err and f"{gold}:8: field 'gold[0].modality'" in err
    assert "skipped 7 gold line(s)" in err
    assert "1 articles" in p.stdout.decode()


def test_missing_corpus_file_is_named(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "guardian-3", "corpus_file": "guardian_articles.jsonl", "gold": []}) + "\n",
                    encoding="utf-8")
    p = run_cli("eval", str(gold), "-q")
    err = p.stderr.decode()
    assert p.returncode == 1
    assert f"{gold}:1: field 'corpus_file': guardian_articles.jsonl not found next to the gold file" in err
    assert "no gold articles to score" in err


def test_publication_date_only_counts_matches_the_gold_dates_otherwise(gold, tmp_path):
    # every event dated by the publication alone: of the matches whose gold date is not the
    # publication's, all count; dated by the gold date instead, none do
    articles, _ = read_articles(gold)
    for dated_by, expected in (("document", 1.0), ("gold", 0.0)):
        preds = {}
        for a in articles:
            preds[a.id] = [{"doc_id": a.id, "source": {"code": g["source"]}, "target": {"code": g.get("target")},
                            "cameo": g["cameo"], "cameo_root": g["cameo_root"],
                            "date": a.published.isoformat() if dated_by == "document" else g.get("date"),
                            "date_precision": "document" if dated_by == "document" else "day",
                            "modality": g["modality"]} for g in a.gold]
        figure = score_articles(articles, preds)["groups"]["all"]["publication_date_only_on_quad"]
        assert figure["of"] > 0 and figure["value"] == expected
