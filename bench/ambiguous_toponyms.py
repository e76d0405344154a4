"""Toponym resolution on our own sentences with ambiguous place names (tests/data/ambiguous_toponyms.jsonl).

    python bench/ambiguous_toponyms.py [--show-errors]

Each line is a sentence we wrote, the place name as it appears in it and the country (ISO3) the
name means there ("Lebanese soldiers clashed with gunmen in Tripoli" -> LBN). The sentence is
coded by the real coder; a sentence is *placed* when one of its events carries a location whose
span overlaps the name, and *right* when that location's country is the expected one.
Reports coverage (placed / all) and accuracy (right / placed, and right / all).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "ambiguous_toponyms.jsonl"


def score(coder, cases: list[dict]) -> dict:
    """Code each case and compare the country of the event location on the named place."""
    placed = right = 0
    errors = []
    for case in cases:
        start = case["text"].index(case["place"])
        span = (start, start + len(case["place"]))
        got = None
        for e in coder.code_text(case["text"]):
            loc = e.location or {}
            if loc.get("start") is not None and loc["start"] < span[1] and span[0] < loc["end"]:
                got = loc
                break
        if got is None:
            errors.append(f"NOT PLACED {case['text']!r}")
            continue
        placed += 1
        if got.get("country") == case["country"]:
            right += 1
        else:
            errors.append(f"WRONG {case['text']!r}: {got.get('country')} want {case['country']}")
    n = len(cases)
    return {"cases": n, "placed": placed, "right": right, "accuracy_placed": right / placed if placed else 0.0,
            "accuracy_all": right / n if n else 0.0, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from redline.pipeline import Coder

    cases = [json.loads(line) for line in CASES.open(encoding="utf-8") if line.strip()]
    r = score(Coder(), cases)
    print(f"ambiguous toponyms: {r['cases']} sentences, placed on the name {r['placed']}, right country {r['right']}: "
          f"accuracy {r['accuracy_placed']:.3f} of placed, {r['accuracy_all']:.3f} of all")
    if args.show_errors:
        for e in r["errors"]:
            print("    " + e)


if __name__ == "__main__":
    main()
