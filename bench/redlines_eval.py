"""Red-line extraction measured (issue 11): the project's labelled sentences and the article gold.

    python bench/redlines_eval.py [--labelled data/redlines/*.jsonl] [--no-articles] [--show-misses]

(a) The labelled sentences of ``data/redlines/*.jsonl`` (format in ``data/redlines/README.md``):
precision and recall of the red line (matched by sentence and declarer), whether a sentence has
one, look-alikes extracted, and per field (declarer, trigger actor, trigger act, place,
consequence) accuracy and recall on matched pairs (``redline.eval.redlines``).

(b) The threats of ``../shared/data/article_gold.jsonl``: each gold event of CAMEO root 13, or
with a condition in its quoted justification, is looked up in its article's coded sentences:
does extraction make a red-line statement of that sentence, and with the gold source's country
(or an accepted alternative) as declarer? A threat without a condition is no red line, so these
are reported apart.
"""
from __future__ import annotations

import argparse
import glob
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CONDITION = re.compile(r"\b(if|unless|any|should|once)\b", re.I)


def labelled(paths: list[str], coder, show: bool) -> dict:
    from redline.eval.redlines import format_score, read_items, score
    items, errors = read_items(paths)
    for e in errors:
        print(f"skipped: {e}", file=sys.stderr)
    if not items:
        print("(a) no labelled red-line sentences found" + (f" in {', '.join(paths)}" if paths else ""))
        return {}
    docs = {}

    def extract(document):
        docs[document.id] = document
        return next(coder.code_documents([document], redlines=True))[2]
    s = score(items, extract)
    print(format_score(s, f"(a) labelled red-line sentences ({len(paths)} file(s))"))
    if show:
        for m in s.misses:
            print("   miss:", m)
    return s.to_dict()


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.replace("’", "'")).strip().lower()


def articles(coder, show: bool) -> dict:
    from redline.eval.articles import read_articles
    from redline.eval.redlines import same_actor
    arts, errors = read_articles(SHARED / "data" / "article_gold.jsonl")
    for e in errors:
        print(f"skipped: {e}", file=sys.stderr)
    rows = []
    statements_total = 0
    for a in arts:
        gold = [g for g in a.gold if g.get("cameo_root") == "13" or CONDITION.search(g.get("justification") or "")
                and g.get("cameo_root") in ("10", "11", "12", "13")]
        document = a.document()
        _, events, statements = next(coder.code_documents([document], redlines=True))
        statements_total += len(statements)
        if not gold:
            continue
        text = _norm(document.text)
        for g in gold:
            quote = _norm(g.get("justification") or "")[:60]
            spans = [(st, _norm(st.evidence)) for st in statements]
            in_sentence = [st for st, ev in spans if quote and quote[:40] in ev]
            wanted = [c for c in [g.get("source"), *(g.get("source_alt") or [])] if c]
            # an event's source code (RUSGOV) names the declarer's country (RUS)
            right = [st for st in in_sentence if any(same_actor(c[:3] if len(c) == 6 and not c.startswith(("IGO", "NGO"))
                                                               else c, st.declarer) for c in wanted)]
            conditional = bool(CONDITION.search(g.get("justification") or ""))
            rows.append({"article": a.id, "cameo": g.get("cameo"), "source": g.get("source"),
                         "conditional": conditional, "found": bool(quote and quote[:40] in text),
                         "statement": bool(in_sentence), "right_declarer": bool(right),
                         "justification": g.get("justification")})
    n = len(rows)
    cond = [r for r in rows if r["conditional"]]
    found = sum(r["statement"] for r in rows)
    right = sum(r["right_declarer"] for r in rows)
    print(f"\n(b) article gold: {len(arts)} articles, {n} gold threat events (root 13, or 10-12 with a "
          f"condition word in the justification); {statements_total} statements extracted in all articles")
    print(f"  turned into a statement of their sentence: {found}/{n}; with the right declarer: {right}/{n}")
    print(f"  of them with a condition word ('if', 'unless', 'any', ...): {len(cond)}; statement "
          f"{sum(r['statement'] for r in cond)}, right declarer {sum(r['right_declarer'] for r in cond)}")
    if show:
        for r in rows:
            mark = "+" if r["right_declarer"] else ("~" if r["statement"] else "-")
            print(f"   {mark} {r['article']:28} {r['cameo']:5} {r['source']:10} {r['justification'][:70]}")
    return {"gold_threats": n, "statements": found, "right_declarer": right, "conditional": len(cond),
            "conditional_right": sum(r["right_declarer"] for r in cond), "statements_all": statements_total}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labelled", nargs="*", default=None,
                    help="labelled files (default: data/redlines/*.jsonl)")
    ap.add_argument("--no-articles", action="store_true", help="skip (b), the article gold")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from redline.pipeline import Coder
    coder = Coder()
    paths = args.labelled if args.labelled is not None else sorted(glob.glob(str(ROOT / "data" / "redlines" / "*.jsonl")))
    out = {"labelled": labelled(paths, coder, args.show_misses)}
    if not args.no_articles:
        out["articles"] = articles(coder, args.show_misses)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
