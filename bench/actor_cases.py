"""Actor resolution on ../shared/data/actor_cases.jsonl: country accuracy, and sector where given.

    python bench/actor_cases.py [--show-errors N]

A case counts for country accuracy when it states an expected country ("" = no country); for
sector accuracy when it states an expected first code (a sector such as GOV, MIL, CVL).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "data" / "actor_cases.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-errors", type=int, default=0)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from redline.actors import resolve_actor
    from redline.when import resolve as resolve_date

    cases = [json.loads(line) for line in CASES.open(encoding="utf-8") if line.strip()]
    n_country = ok_country = n_sector = ok_sector = 0
    errors = []
    for case in cases:
        want = case["expected"]
        if "country" not in want and "code_1" not in want:
            continue
        day = None
        if case.get("date") and case["date"] != "Today":
            r = resolve_date(case["date"], None)
            day = r.date if r else None
        text = case["actor_text"] if not case.get("context") else case["actor_text"]
        actors = resolve_actor(text, day)
        got = actors[0]
        country = got.country or ((got.code or "")[:3] if (got.code or "").startswith(("IGO", "NGO")) else None)
        if "country" in want:
            n_country += 1
            expected = want["country"] or None
            code = got.code or ""
            # international bodies: the data's "country" is the body's block (UNO, EUR) or plain IGO
            hit = country == expected or (code.startswith(("IGO", "NGO")) and expected in (code[:3], code[3:6]))
            ok_country += hit
            if not hit:
                errors.append((case["actor_text"], case.get("date"), "country", expected, country, got.resolved_by))
        if want.get("code_1") not in (None,):
            n_sector += 1
            expected = want["code_1"] or None
            hit = got.sector == expected or (expected is None and got.sector is None)
            ok_sector += hit
            if not hit:
                errors.append((case["actor_text"], case.get("date"), "sector", expected, got.sector, got.resolved_by))
    print(f"country accuracy: {ok_country}/{n_country} = {ok_country / n_country:.3f}")
    print(f"sector accuracy:  {ok_sector}/{n_sector} = {ok_sector / n_sector:.3f}")
    for e in errors[:args.show_errors]:
        print("  ", e)


if __name__ == "__main__":
    main()
