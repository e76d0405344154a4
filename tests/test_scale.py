"""Scale and safety: worker processes and a real Dask LocalCluster give the single-process store;
an ingest killed with SIGKILL resumes to exactly the uninterrupted store.

The single-process reference runs in this process; the kill needs a process of its own, and the
Dask cluster runs from one too (its workers start fresh interpreters)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

from redline.store import Store

TRAINING = sorted((ROOT / "data" / "training").glob("*.jsonl"))


def _corpus(path, n):
    """n short documents: sentences of the project's own training text, with dates."""
    lines = []
    for file in TRAINING:
        lines += [json.loads(x)["text"] for x in file.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as f:
        for i, text in enumerate(lines[:n]):
            f.write(json.dumps({"id": f"s{i}", "date": f"2024-0{1 + i % 9}-1{i % 10}", "text": text}) + "\n")
    return path


def _snapshot(db):
    with Store(db, read_only=True) as s:
        return (s.sql("SELECT * FROM events ORDER BY event_key").fetchall(),
                s.sql("SELECT mention_id, event_key FROM mentions ORDER BY mention_id").fetchall(),
                s.sql("SELECT doc_key FROM documents ORDER BY doc_key").fetchall())


def _ingest(db, corpus, *extra):
    """``redline ingest`` in this process."""
    return run_cli("ingest", str(corpus), "--db", str(db), "-q", *extra)


def _ingest_process(db, corpus, *extra):
    """``redline ingest`` in a process of its own."""
    return subprocess.run([sys.executable, "-m", "redline", "ingest", str(corpus), "--db", str(db), "-q", *extra],
                          capture_output=True)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    corpus = _corpus(folder / "small.jsonl", 60)
    db = folder / "one.duckdb"
    p = _ingest(db, corpus, "--batch-size", "8")
    assert p.returncode == 0, p.stderr.decode()
    expected = _snapshot(db)
    assert len(expected[2]) == 60 and len(expected[1]) > 30
    return corpus, expected


@pytest.mark.slow
def test_worker_processes_equal_one_process(small, tmp_path):
    corpus, expected = small
    db = tmp_path / "pool.duckdb"
    p = _ingest(db, corpus, "--workers", "2", "--batch-size", "8")
    assert p.returncode == 0, p.stderr.decode()
    assert _snapshot(db) == expected


@pytest.mark.slow
def test_dask_local_cluster_equals_one_process(small, tmp_path):
    pytest.importorskip("distributed")
    corpus, expected = small
    db = tmp_path / "dask.duckdb"
    parquet = tmp_path / "parquet"
    p = _ingest_process(db, corpus, "--engine", "dask", "--workers", "2", "--batch-size", "8",
                        "--parquet-dir", str(parquet))
    assert p.returncode == 0, p.stderr.decode()
    assert _snapshot(db) == expected
    # the workers' Parquet is partitioned by event date and loads into a store of its own
    assert any(parquet.glob("mentions/year=*/month=*/*.parquet"))
    copy = tmp_path / "from_parquet.duckdb"
    with Store(copy) as s:
        s.load_parquet(parquet)
    assert _snapshot(copy) == expected


@pytest.mark.slow
def test_kill_and_resume_equals_an_uninterrupted_run(tmp_path):
    n, batch, kill_after = 800, 25, 200
    corpus = _corpus(tmp_path / "corpus.jsonl", n)
    whole = tmp_path / "whole.duckdb"
    assert _ingest(whole, corpus, "--batch-size", str(batch)).returncode == 0
    expected = _snapshot(whole)
    assert len(expected[2]) == n

    killed = tmp_path / "killed.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "redline", "ingest", str(corpus), "--db", str(killed),
                             "--batch-size", str(batch), "--log"], stderr=subprocess.PIPE, text=True)
    committed = 0
    for line in proc.stderr:
        if line.startswith("committed "):
            committed = int(line.split()[1])
            if committed >= kill_after:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert kill_after <= committed < n, "the run ended before it could be killed"
    partial = _snapshot(killed)
    assert kill_after <= len(partial[2]) < n  # what was committed survived the kill, and no more

    p = _ingest(killed, corpus, "--batch-size", str(batch))
    assert p.returncode == 0, p.stderr.decode()
    assert _snapshot(killed) == expected
