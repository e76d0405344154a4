"""Coding speed and memory: Redline against bare spaCy ``nlp.pipe`` on the same documents.

    python bench/speed.py [--docs 500] [--batch-size 32] [--workers N]

Each measurement runs in a fresh process (so peak memory is its own). Prints documents/s,
words/s and peak resident memory for bare spaCy, Redline with the lexicon alone and Redline with
the sentence classifier, and the ratio of Redline's speed to spaCy's.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "news_corpus.jsonl"
MODES = ("spacy", "lexicon", "redline")  # bare parse; Redline without and with the sentence classifier


def load(n: int) -> list[dict]:
    docs = []
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line))
            if len(docs) >= n:
                break
    return docs


def run_parallel(mode: str, n: int, batch_size: int, workers: int) -> dict:
    """spaCy ``nlp.pipe(n_process=workers)`` or Redline's ``ingest`` with ``workers`` processes
    (parse, code and write the store), on the same documents."""
    import tempfile
    sys.path.insert(0, str(ROOT / "src"))
    from redline import read
    docs = [d for d in read([str(CORPUS)]) if not hasattr(d, "message")][:n]
    words = sum(len(d.text.split()) for d in docs)
    events = 0
    sampler = WorkerMemory()
    sampler.start()
    started = time.perf_counter()
    if mode == "spacy":
        from redline import nlp as nlp_module
        nlp = nlp_module.load()
        for _ in nlp.pipe((d.text for d in docs), batch_size=batch_size, n_process=workers):
            pass
    else:
        from redline.engines import CoderOptions, EngineSettings
        from redline.store import Store
        from redline.store.ingest import ingest
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
            stats = ingest(iter(docs), store, "local", EngineSettings(workers=workers, batch_size=batch_size,
                                                                     coder=CoderOptions(batch_size=batch_size)))
            events = stats.mentions
    elapsed = time.perf_counter() - started
    sampler.stop()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"mode": mode, "docs": len(docs), "words": words, "seconds": elapsed, "events": events,
            "docs_per_s": len(docs) / elapsed, "words_per_s": words / elapsed, "peak_mb": own,
            "worker_peak_mb": child, "worker_uss_mb": sampler.peak_uss / 2**20}


class WorkerMemory:
    """Samples the worker processes' unique memory (USS: what a worker adds on top of the pages it
    shares with its parent) twice a second; RSS alone counts the shared model in every worker."""

    def __init__(self) -> None:
        import threading
        self.peak_uss = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil
        me = psutil.Process()
        while not self._done.wait(0.5):
            for child in me.children(recursive=True):
                try:
                    self.peak_uss = max(self.peak_uss, child.memory_full_info().uss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass


def run(mode: str, n: int, batch_size: int) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from redline import nlp as nlp_module
    from redline.ingest import parse_publication_date
    from redline.schema import Document

    raw = load(n)
    docs = []
    for d in raw:
        try:
            day = parse_publication_date(d["date"]) if d.get("date") else None
        except ValueError:
            day = None
        docs.append(Document(id=str(d["id"]), text=d["text"][:nlp_module.MAX_CHARS], date=day))
    words = sum(len(d.text.split()) for d in docs)
    nlp = nlp_module.load()
    events = 0
    if mode in ("redline", "lexicon"):
        from redline import Coder
        coder = Coder(nlp=nlp, batch_size=batch_size, use_classifier=mode == "redline")
        coder.code_text("Warm up: Russia warned France.", date="2024-03-21")
        started = time.perf_counter()
        for _, evs in coder.code_documents(docs):
            events += len(evs)
    else:
        list(nlp.pipe(["Warm up: Russia warned France."]))
        started = time.perf_counter()
        for _ in nlp.pipe((d.text for d in docs), batch_size=batch_size):
            pass
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "docs": len(docs), "words": words, "seconds": elapsed, "events": events,
            "docs_per_s": len(docs) / elapsed, "words_per_s": words / elapsed, "peak_mb": peak_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1,
                    help="with more than 1: spaCy n_process against `redline ingest --workers` (store included)")
    ap.add_argument("--child", choices=["spacy", "lexicon", "redline"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        result = (run(args.child, args.docs, args.batch_size) if args.workers == 1
                  else run_parallel(args.child, args.docs, args.batch_size, args.workers))
        print(json.dumps(result))
        return
    if args.workers > 1:
        results = {}
        for mode in ("spacy", "redline"):
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--docs", str(args.docs),
                                  "--batch-size", str(args.batch_size), "--workers", str(args.workers)],
                                 capture_output=True, text=True, check=True)
            results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{results['spacy']['docs']} documents of news_corpus.jsonl, {results['spacy']['words']:,} words, "
              f"{args.workers} worker processes, batch size {args.batch_size}")
        print(f"{'':22} {'docs/s':>8} {'words/s':>9} {'main MB':>8} {'worker RSS':>10} {'worker USS':>10} "
              f"{'seconds':>8} {'events':>7}")
        for mode, label in (("spacy", "spacy nlp.pipe"), ("redline", "redline ingest")):
            r = results[mode]
            print(f"{label:22} {r['docs_per_s']:8.2f} {r['words_per_s']:9.0f} {r['peak_mb']:8.0f} "
                  f"{r['worker_peak_mb']:10.0f} {r['worker_uss_mb']:10.0f} {r['seconds']:8.1f} {r['events']:7d}")
        print("(worker RSS counts the pages a forked worker shares with its parent; USS is its own memory)")
        print(f"redline/spacy speed ratio: {results['redline']['docs_per_s'] / results['spacy']['docs_per_s']:.3f}")
        return
    results = {}
    for mode in MODES:
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--docs", str(args.docs),
                              "--batch-size", str(args.batch_size)], capture_output=True, text=True, check=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{args.docs} documents of news_corpus.jsonl, {results['spacy']['words']:,} words, one process, "
          f"batch size {args.batch_size}")
    print(f"{'':10} {'docs/s':>8} {'words/s':>9} {'peak MB':>8} {'seconds':>8} {'events':>7}")
    for mode in MODES:
        r = results[mode]
        print(f"{mode:10} {r['docs_per_s']:8.2f} {r['words_per_s']:9.0f} {r['peak_mb']:8.0f} {r['seconds']:8.1f} "
              f"{r['events']:7d}")
    ratio = results["redline"]["docs_per_s"] / results["spacy"]["docs_per_s"]
    print(f"redline/spacy speed ratio: {ratio:.3f}")


if __name__ == "__main__":
    main()
