"""Code the labelled sets in ../shared/data and score them with ../shared/tools/score.py.

    python bench/evaluate.py [--sets plover_gsr petrarch2_gsr conflibert_test] [--out out/eval]

Prints one line per set (pentaclass macro-F1, source-span F1, dyad+root F1) and keeps the
predictions and full score reports in --out for inspection.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_SETS = ["plover_gsr", "petrarch2_gsr", "conflibert_test", "cameo_manual_examples"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=DEFAULT_SETS)
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "eval")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from redline import Coder, Document
    from redline.ingest import parse_publication_date

    coder = Coder()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{'set':24} {'items':>5} {'events':>6} {'penta-F1':>8} {'src-F1':>7} {'dyad-F1':>7} {'root-acc':>8} {'s':>5}")
    for name in args.sets:
        gold_path = SHARED / "data" / f"{name}.jsonl"
        gold = [json.loads(line) for line in gold_path.open(encoding="utf-8") if line.strip()]
        docs = []
        for g in gold:
            day = None
            if g.get("date"):
                try:
                    day = parse_publication_date(g["date"])
                except ValueError:
                    day = None
            docs.append(Document(id=str(g["id"]), text=g["text"], date=day))
        started = time.perf_counter()
        pred_path = args.out / f"{name}.pred.jsonl"
        n_events = 0
        root_hits = root_total = 0
        gold_by_id = {str(g["id"]): g for g in gold}
        with pred_path.open("w", encoding="utf-8") as out:
            for doc, events in coder.code_documents(docs):
                n_events += len(events)
                for e in events:
                    out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
                want = gold_by_id[doc.id].get("cameo")
                if want:
                    root_total += 1
                    root_hits += any(e.cameo_root == str(want)[:2] for e in events)
        elapsed = time.perf_counter() - started
        report_path = args.out / f"{name}.score.json"
        subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(gold_path), str(pred_path),
                        "--json", str(report_path)], check=True, capture_output=True)
        r = json.loads(report_path.read_text())
        penta = r.get("pentaclass", {}).get("macro_f1")
        src = r.get("source_span", {}).get("f1")
        dyad = r.get("dyad_root", {}).get("f1")
        acc = root_hits / root_total if root_total else None
        fmt = lambda v: "-" if v is None else f"{v:.3f}"
        print(f"{name:24} {len(gold):5d} {n_events:6d} {fmt(penta):>8} {fmt(src):>7} {fmt(dyad):>7} {fmt(acc):>8} "
              f"{elapsed:5.1f}")
    print(f"(root-acc: share of items with a gold CAMEO code whose root is among the predicted events' roots; "
          f"reports in {args.out})")


if __name__ == "__main__":
    main()
