"""What red-line extraction adds to coding time (issue 11: at most 5%).

    python bench/redline_extraction.py [--docs 300] [--rounds 3]

Codes the same documents of ``shared/data/news_corpus.jsonl`` with ``Coder.code_documents``,
without and with ``redlines=True``, alternating (without, with, without, with, ...) in one
process so both see the same machine load, and prints the median time of each and their ratio.
The machine is shared, so the whole-run ratio is noisy; the run with extraction also times the
extraction calls themselves, and their share of that run's time is the steadier figure.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "news_corpus.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300, help="documents of the news corpus (default 300)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating runs of each kind (default 3)")
    ap.add_argument("--corpus", default=str(CORPUS))
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from redline import read
    from redline.pipeline import Coder
    from redline.redlines.extract import Extractor

    docs = [d for d in read([args.corpus]) if not hasattr(d, "message")][:args.docs]
    words = sum(len(d.text.split()) for d in docs)
    coder = Coder()
    spent = [0.0]
    real = Extractor.extract

    def timed(self, *a, **k):  # the extraction calls alone
        t = time.perf_counter()
        try:
            return real(self, *a, **k)
        finally:
            spent[0] += time.perf_counter() - t
    Extractor.extract = timed
    for _ in coder.code_documents(docs[:20], redlines=True):  # warm-up: model, tables, word lists
        pass
    plain: list[float] = []
    with_redlines: list[float] = []
    shares: list[float] = []
    counts = (0, 0)
    for r in range(args.rounds):
        for kind in ((False, True) if r % 2 == 0 else (True, False)):
            spent[0] = 0.0
            started = time.perf_counter()
            n_events = n_statements = 0
            for item in coder.code_documents(docs, redlines=kind):
                n_events += len(item[1])
                n_statements += len(item[2]) if kind else 0
            elapsed = time.perf_counter() - started
            if kind:
                with_redlines.append(elapsed)
                shares.append(spent[0] / elapsed)
                counts = (n_events, n_statements)
            else:
                plain.append(elapsed)
            print(f"round {r + 1} {'with   ' if kind else 'without'} extraction: {elapsed:6.2f} s"
                  + (f"  (extraction itself {spent[0]:.3f} s)" if kind else ""), flush=True)
    without, with_ = statistics.median(plain), statistics.median(with_redlines)
    share = statistics.median(shares)
    print(f"\n{len(docs)} documents, {words:,} words; {counts[0]} events, {counts[1]} red-line statements")
    print(f"median coding time without extraction: {without:.2f} s; with: {with_:.2f} s; "
          f"ratio {with_ / without:.3f} ({(with_ / without - 1) * 100:+.1f}%)")
    print(f"extraction's own share of coding time (median): {share * 100:.2f}% "
          f"({'within' if share <= 0.05 else 'OVER'} the 5% budget)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
