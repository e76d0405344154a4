"""What placing events costs in coding time and memory (issue 15: coding time within 5%).

    python bench/placing_cost.py [--docs 300] [--rounds 3] [--against REV]

Three figures, measured in one run on the first ``--docs`` documents of
``shared/data/news_corpus.jsonl``:

* **the place linking's own share of coding time**: the coder's place calls (``Coder._where``,
  ``_sentence_place``, ``_place_object`` and the pipeline's dateline pass, timed outermost only so
  nothing is counted twice) over the whole ``Coder.code_documents`` time, per round;
* **coding time against the code before the issue**: this tree and revision ``--against``
  (default ``2e0137b``, the commit before issue 15's first change), each coding the same documents
  in a process of its own (model loading excluded), alternating (this, then, then, this, ...) so
  both see the same machine load; the ratio of the medians. The old tree is checked out with
  ``git archive`` into a temporary folder. That revision predates issue 13's faster inference
  kernels too, so the ratio holds every change since, not only the places';
* **memory**: the town table's size once loaded (tracemalloc) and each process's peak RSS.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "news_corpus.jsonl"
AGAINST = "2e0137b"


def code_child(src: str, path: str, docs: int) -> None:
    """Code the first ``docs`` documents of ``path`` with the tree at ``src``; print seconds and
    events as JSON (the model and tables are loaded and warmed first, outside the timing)."""
    sys.path.insert(0, src)
    from redline import read
    from redline.pipeline import Coder

    items = [d for d in read([path]) if not hasattr(d, "message")][:docs]
    coder = Coder()
    for _ in coder.code_documents(items[:20]):  # warm-up: model, tables, word lists
        pass
    started = time.perf_counter()
    events = sum(len(item[1]) for item in coder.code_documents(items))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "events": events, "peak_mb": peak}))


def run_child(src: Path, path: str, docs: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(src), path, str(docs)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def place_share(docs: list, rounds: int) -> list[tuple[float, float]]:
    """Per round: (coding seconds, seconds inside the place calls), in this process."""
    from redline import pipeline
    from redline.events import coder as coder_module
    from redline.pipeline import Coder

    spent = [0.0]
    depth = [0]

    def timed(real):
        def wrapper(*a, **k):
            depth[0] += 1
            started = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                depth[0] -= 1
                if depth[0] == 0:  # outermost only
                    spent[0] += time.perf_counter() - started
        return wrapper

    for name in ("_where", "_sentence_place", "_place_object"):
        setattr(coder_module.SentenceCoder, name, timed(vars(coder_module.SentenceCoder)[name]))
    pipeline._dateline_places = timed(pipeline._dateline_places)
    coder = Coder()
    for _ in coder.code_documents(docs[:20]):
        pass
    out = []
    for _ in range(rounds):
        spent[0] = 0.0
        started = time.perf_counter()
        for _ in coder.code_documents(docs):
            pass
        out.append((time.perf_counter() - started, spent[0]))
    return out


def town_table_mb() -> float:
    """The town table's memory once loaded (tracemalloc, in this process)."""
    import tracemalloc

    from redline.where import towns
    towns._table.cache_clear()
    tracemalloc.start()
    towns._table()
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return size / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300, help="documents of the news corpus (default 300)")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each kind (default 3)")
    ap.add_argument("--against", default=AGAINST, help=f"the revision to compare with (default {AGAINST})")
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--child", nargs=3, metavar=("SRC", "PATH", "DOCS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        code_child(args.child[0], args.child[1], int(args.child[2]))
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    from redline import read

    docs = [d for d in read([args.corpus]) if not hasattr(d, "message")][:args.docs]
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} documents, {words:,} words", flush=True)

    shares = place_share(docs, args.rounds)
    for r, (total, spent) in enumerate(shares, 1):
        print(f"round {r}: coding {total:6.2f} s, place linking {spent:5.2f} s ({spent / total * 100:.1f}%)", flush=True)
    share = statistics.median(spent / total for total, spent in shares)
    print(f"place linking's share of coding time (median): {share * 100:.1f}%")
    print(f"town table in memory: {town_table_mb():.1f} MB", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        runs: dict[str, list[dict]] = {"now": [], "then": []}
        for r in range(args.rounds):
            for kind in (("now", "then") if r % 2 == 0 else ("then", "now")):
                src = ROOT / "src" if kind == "now" else old / "src"
                result = run_child(src, args.corpus, args.docs)
                runs[kind].append(result)
                print(f"round {r + 1} {'this tree' if kind == 'now' else args.against:>9}: "
                      f"{result['seconds']:6.2f} s, {result['events']} events, peak RSS {result['peak_mb']:.0f} MB",
                      flush=True)
    now = statistics.median(r["seconds"] for r in runs["now"])
    then = statistics.median(r["seconds"] for r in runs["then"])
    print(f"\ncoding time, median: this tree {now:.2f} s, {args.against} {then:.2f} s: "
          f"ratio {now / then:.3f} ({(now / then - 1) * 100:+.1f}%; "
          f"{'within' if now / then <= 1.05 else 'OVER'} the 5% budget)")
    print(f"peak RSS, median: this tree {statistics.median(r['peak_mb'] for r in runs['now']):.0f} MB, "
          f"{args.against} {statistics.median(r['peak_mb'] for r in runs['then']):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
