"""Code the labelled sets in ../shared/data and score them (``redline.eval``, which agrees with
../shared/tools/score.py; tests/test_eval.py checks that).

    python bench/evaluate.py [--sets conflibert_test ...] [--no-classifier] [--model FILE]
                             [--propose P] [--keep-other P] [--out out/eval]

Prints one line per sentence set: pentaclass macro-F1 and its weakest class, source-span F1,
dyad+root F1, CAMEO root accuracy (gold root among the predicted events' roots) and PLOVER type
accuracy. Article sets (article_gold: whole articles with their key events, scored as
../shared/tools/score_articles.py does; tests/test_eval_articles.py checks that) get one line per
group (all, then each corpus file): key-event recall by quad class and by root, source and dyad
recall, root, date, modality (strict, lenient) and reported_by on the quad matches, the share of
quad matches dated by the publication date alone where the gold gives another date (pub@q), and the three
precision proxies (which understate precision: the gold lists key events only). The predictions
and full reports are kept in --out for inspection (`redline eval GOLD --pred PRED -v` lists the
matches of an article set).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_SETS = ["plover_gsr", "petrarch2_gsr", "conflibert_test", "cameo_manual_examples", "article_gold"]
# article-set columns: (header, figure in the report group)
ARTICLE_COLUMNS = [("R-quad", "recall_quad"), ("R-root", "recall_root"), ("R-src", "recall_source"),
                   ("R-dyad", "recall_dyad"), ("root@q", "root_exact_on_quad"), ("date@q", "date_on_quad"),
                   ("mod@q", "modality_on_quad"), ("modl@q", "modality_lenient_on_quad"),
                   ("rep@q", "reported_by_on_quad"), ("pub@q", "publication_date_only_on_quad"), ("P-quad", "precision_proxy_quad"),
                   ("P-root", "precision_proxy_root"), ("P-1to1", "precision_proxy_one_to_one")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=DEFAULT_SETS)
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "eval")
    ap.add_argument("--no-classifier", action="store_true", help="the lexicon alone")
    ap.add_argument("--model", type=Path, help="a sentence model written by `redline train`")
    ap.add_argument("--propose", type=float, help="classifier probability needed to propose an event")
    ap.add_argument("--keep-other", type=float, help="classifier probability for a second class to stay")
    ap.add_argument("--prominence", type=float, help="bonus for the class of the main clause's event")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from dataclasses import replace

    from redline import Coder
    from redline.eval import evaluate
    from redline.events.classifier import SentenceClassifier
    from redline.events.coder import Arbitration

    arbitration = Arbitration()
    if args.propose is not None:
        arbitration = replace(arbitration, propose=args.propose)
    if args.keep_other is not None:
        arbitration = replace(arbitration, keep_other=args.keep_other)
    if args.prominence is not None:
        arbitration = replace(arbitration, prominence=args.prominence)
    coder = Coder(use_classifier=not args.no_classifier, arbitration=arbitration,
                  classifier=SentenceClassifier.load(args.model) if args.model else None)
    print(f"classifier: {'none' if coder.classifier is None else (args.model or 'built-in')}; {arbitration}")
    args.out.mkdir(parents=True, exist_ok=True)
    fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
    header = (f"{'set':22} {'items':>5} {'events':>6} {'penta-F1':>8} {'min-cls':>7} {'src-F1':>6} {'dyad-F1':>7} "
              f"{'root-acc':>8} {'plover':>6} {'s':>5}")
    article_sets = []
    for name in args.sets:
        gold = SHARED / "data" / f"{name}.jsonl"
        started = time.perf_counter()
        with (args.out / f"{name}.pred.jsonl").open("w", encoding="utf-8") as saved:
            report, _ = evaluate(gold, coder=coder, save_predictions=saved)
        elapsed = time.perf_counter() - started
        (args.out / f"{name}.report.json").write_text(json.dumps(report, indent=2, default=str))
        if report.get("kind") == "articles":
            article_sets.append((name, report, elapsed))
            continue
        if header:
            print(header)
            header = ""
        pc = report.get("pentaclass") or {}
        print(f"{name:22} {report['items']:5d} {report['events']:6d} {fmt(pc.get('macro_f1')):>8} "
              f"{fmt(min(pc['per_class_f1'].values()) if pc else None):>7} "
              f"{fmt(report.get('source_span', {}).get('f1')):>6} {fmt(report.get('dyad_root', {}).get('f1')):>7} "
              f"{fmt(report.get('cameo_root', {}).get('any_accuracy')):>8} "
              f"{fmt(report.get('plover_type', {}).get('accuracy')):>6} {elapsed:5.1f}")
    for name, report, elapsed in article_sets:
        print(f"\n{name}: key events of whole articles ({elapsed:.1f} s). R- recall by quad class, root, source, "
              "dyad;\n@q on quad matches: root exact, date, modality (strict, lenient), reported_by, dated by the "
              "publication alone\nwhere the gold gives another date (lower is better);\n"
              "P- precision proxies (understate precision: the gold lists key events only)")
        print(f"{'group':22} {'arts':>4} {'gold':>4} {'pred':>5} " + " ".join(f"{h:>6}" for h, _ in ARTICLE_COLUMNS))
        for group, g in report["groups"].items():
            print(f"{group:22} {g['articles']:4d} {g['gold_events']:4d} {g['predicted_events']:5d} "
                  + " ".join(f"{fmt(g[key]['value']):>6}" for _, key in ARTICLE_COLUMNS))
        n = report["groups"]["all"]
        print(f"(all: {n['recall_quad']['hits']} quad matches, {n['date_on_quad']['of']} with a gold date, "
              f"{n['reported_by_on_quad']['of']} with a gold reported_by, "
              f"{n['publication_date_only_on_quad']['of']} with a gold date other than the publication's)")
    print(f"(reports in {args.out})")


if __name__ == "__main__":
    main()
