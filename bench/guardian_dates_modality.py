"""Dates and modality on real news: our own annotations of sentences of ../shared/data/guardian_articles.jsonl.

    python bench/guardian_dates_modality.py [--no-classifier] [--show-errors]

``bench/data/guardian_dates_modality.jsonl`` holds, per annotated sentence, the article id and the
sentence's character offsets (never the Guardian's text), the main event's CAMEO root, its date
and date precision resolved against the publication date (an act announced for later takes the date
of its announcement, as ../shared/data/article_panel.md codes dates), and its modality. This script cuts the
sentences out of the shared articles, writes them as a gold file (out/guardian_gold.jsonl, not
committed) and scores Redline on it with ``redline.eval``: event-date and modality accuracy, and
the pentaclass of the main event.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ANNOTATIONS = ROOT / "bench" / "data" / "guardian_dates_modality.jsonl"


def build_gold(out: Path) -> int:
    """Write the annotated sentences as gold items; returns how many."""
    articles = {}
    with (SHARED / "data" / "guardian_articles.jsonl").open(encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            articles[a["id"]] = a
    n = 0
    with ANNOTATIONS.open(encoding="utf-8") as f, out.open("w", encoding="utf-8") as g:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            a = json.loads(line)
            article = articles[a["article"]]
            text = article["text"][a["start"]:a["end"]]
            if not text.strip():
                raise SystemExit(f"{ANNOTATIONS}:{number}: offsets {a['start']}-{a['end']} are empty in {a['article']}")
            root = a["cameo_root"]
            item = {"id": f"{a['article']}:{a['start']}", "text": text, "date": a["published"],
                    "cameo": root + "0", "pentaclass": _pentaclass(root), "modality": a["modality"],
                    "event_date": a["event_date"], "event_date_precision": a["event_date_precision"]}
            g.write(json.dumps(item, ensure_ascii=False) + "\n")
            n += 1
    return n


def _pentaclass(root: str) -> int:
    from redline.ontology import pentaclass
    return pentaclass(root + "0")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-classifier", action="store_true")
    ap.add_argument("--show-errors", action="store_true", help="print the date and modality misses")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from redline import Coder
    from redline.eval import evaluate, read_gold
    from redline.eval.metrics import main_event

    out_dir = ROOT / "out"
    out_dir.mkdir(exist_ok=True)
    gold_path = out_dir / "guardian_gold.jsonl"
    n = build_gold(gold_path)
    pred_path = out_dir / "guardian_gold.pred.jsonl"
    coder = Coder(use_classifier=not args.no_classifier)
    with pred_path.open("w", encoding="utf-8") as saved:
        report, _ = evaluate(gold_path, coder=coder, save_predictions=saved)
    print(f"{n} annotated sentences; {report['items_with_events']} with events")
    for key in ("event_date", "modality"):
        if key in report:
            print(f"{key:12} accuracy {report[key]['accuracy']:.3f} (n {report[key]['gold']})")
    print(f"modality confusion (gold -> predicted): {report['modality']['confusion']}")
    pc = report["pentaclass"]
    print(f"pentaclass macro-F1 {pc['macro_f1']:.3f}, per class "
          + ", ".join(f"{c}: {v:.2f}" for c, v in pc["per_class_f1"].items()))
    if args.show_errors:
        events: dict[str, list[dict]] = {}
        for line in pred_path.open(encoding="utf-8"):
            e = json.loads(line)
            events.setdefault(e["doc_id"], []).append(e)
        for item in read_gold(gold_path):
            main = main_event(events.get(item.id, []), item.labels["cameo"][:2])
            got_date = main["date"] if main else None
            got_mod = main["modality"] if main else None
            keep = {"year": 4, "month": 7}.get(item.labels["event_date_precision"], 10)
            if main is None or got_mod != item.labels["modality"] or \
                    str(got_date)[:keep] != item.labels["event_date"][:keep]:
                print(f"- {item.id}: want {item.labels['event_date']} ({item.labels['event_date_precision']}) "
                      f"{item.labels['modality']}; got {got_date} {main and main['date_precision']} {got_mod}"
                      f" | {item.text[:120]}")


if __name__ == "__main__":
    main()
