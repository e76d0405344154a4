"""Coding on several cores (issue 13): ``--workers`` on ``redline code`` and ``redline ingest``
gives the same output, in input order, as one process; the quick rule component gives the same
annotations as spaCy's attribute ruler and lemmatizer."""
from __future__ import annotations

import json
import multiprocessing
import warnings
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, run_cli

EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
# sentences that reach the ruler's two-token and regular-expression patterns and the space rules
RULE_CASES = [
    "Y'all gonna see it: there is no deal, and we gotta leave. Let's go, c'mon!",
    "It ain't over, they said; nothin' was agreed.   Then   there were talks.\n\nI saw it and you did too.",
    "The minister didn't say whether Russia has attacked, but Ukraine does insist it had.",
    "Gets worse: he got what he wanted and gets more. Which ones? Those that we bought.",
]


def _corpus(tmp_path: Path, copies: int = 3) -> Path:
    """A JSONL of the example articles, each several times under its own id (more than one batch)."""
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for copy in range(copies):
            for n, file in enumerate(EXAMPLES):
                f.write(json.dumps({"id": f"{file.stem}-{copy}", "date": f"2024-03-{n + 1:02d}",
                                    "text": file.read_text(encoding="utf-8")}) + "\n")
    return path


def test_quick_rules_annotate_as_spacy_does():
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

    from redline import nlp
    quick, plain = nlp.load(), nlp.load(quick_rules=False)
    assert "redline_rules" in quick.pipe_names and "attribute_ruler" in plain.pipe_names
    texts = RULE_CASES + [f.read_text(encoding="utf-8") for f in EXAMPLES]
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
    tokens = 0
    for a, b in zip(quick.pipe(texts), plain.pipe(texts)):
        assert np.array_equal(a.to_array(attrs), b.to_array(attrs))
        assert [(t.lemma_, str(t.morph), t.pos_) for t in a] == [(t.lemma_, str(t.morph), t.pos_) for t in b]
        tokens += len(a)
    assert tokens > 3000
    # the rare patterns did fire (else the cases above test nothing)
    lemmas = {(t.lower_, t.lemma_) for text in RULE_CASES[:2] for t in plain(text)}
    assert {("gon", "go"), ("'s", "us"), ("ai", "be")} <= lemmas


def _events_of(settings_workers: int, documents, batch_size: int = 3) -> list[str]:
    from redline.engines import CoderOptions, EngineSettings, code_events
    from redline.engines.local import code_batches
    settings = EngineSettings(workers=settings_workers, batch_size=batch_size, coder=CoderOptions())
    out = []
    for batch, coded in code_batches(iter(documents), settings, code_events):
        assert len(batch) == len(coded)
        for document, events in zip(batch, coded):
            out += [document.id] + [json.dumps(e.to_dict(), default=str, sort_keys=True) for e in events]
    return out


def test_two_workers_code_as_one_process(tmp_path):
    from redline import read
    documents = [d for d in read([str(_corpus(tmp_path, copies=1))])]
    one, two = _events_of(1, documents), _events_of(2, documents)
    assert one == two and len(one) > 50
    assert [x for x in two if not x.startswith("{")] == [d.id for d in documents]  # input order


def test_redline_code_output_is_the_same_with_one_and_two_workers(tmp_path):
    corpus = _corpus(tmp_path)  # 36 documents: two parse batches, so two workers both code
    one = run_cli("code", str(corpus), "--workers", "1", "-q")
    two = run_cli("code", str(corpus), "--workers", "2", "-q")
    default = run_cli("code", str(corpus), "-q", "-f", "csv")
    assert one.returncode == two.returncode == default.returncode == 0
    assert one.stdout == two.stdout and one.stdout.count(b"\n") > 100
    assert default.stdout == run_cli("code", str(corpus), "-w", "1", "-q", "-f", "csv").stdout


def test_redline_ingest_stores_the_same_with_one_and_two_workers(tmp_path):
    import duckdb
    corpus = _corpus(tmp_path, copies=1)
    tables = {}
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.duckdb"
        ran = run_cli("ingest", str(corpus), "--db", str(db), "--workers", workers, "--batch-size", "3", "-q")
        assert ran.returncode == 0, ran.stderr
        with duckdb.connect(str(db), read_only=True) as con:
            tables[workers] = [con.execute(f"SELECT * EXCLUDE (ingested_at) FROM {t} ORDER BY ALL").fetchall()
                               if t == "documents" else con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                               for t in ("documents", "mentions")]
    assert tables["1"] == tables["2"] and len(tables["1"][1]) > 50


@pytest.mark.parametrize("command", ["code", "ingest"])
@pytest.mark.parametrize("value", ["0", "-2"])
def test_workers_below_one_is_a_usage_error(tmp_path, command, value):
    args = [command, str(EXAMPLES[0]), "--workers", value] + (["--db", str(tmp_path / "s.duckdb")]
                                                             if command == "ingest" else [])
    ran = run_cli(*args)
    assert ran.returncode == 2
    assert f"--workers: {value} is not a number of worker processes" in ran.stderr.decode()
    assert not (tmp_path / "s.duckdb").exists()


def test_one_worker_codes_in_this_process(tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started")
    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", no_pool)
    ran = run_cli("code", str(_corpus(tmp_path)), "--workers", "1", "-q")
    assert ran.returncode == 0 and ran.stdout.count(b"\n") > 100
    with pytest.raises(AssertionError, match="pool was started"):
        run_cli("code", str(_corpus(tmp_path)), "--workers", "2", "-q")


def warn_and_count(coder, batch) -> int:
    """A worker's work that warns (module level: a pool sends it by name)."""
    for document in batch:
        warnings.warn(f"odd document {document.id}", UserWarning)
    return len(batch)


def test_workers_warnings_reach_the_parent_in_order():
    from redline.engines import CoderOptions, EngineSettings
    from redline.engines import chunks
    from redline.engines.local import code_batches
    from redline.schema import Document
    documents = [Document(id=f"d{i}", text=f"Text number {i}.") for i in range(7)]
    settings = EngineSettings(workers=2, batch_size=2, coder=CoderOptions())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        counts = [n for _, n in code_batches(iter(documents), settings, warn_and_count)]
    assert counts == [len(b) for b in chunks(iter(documents), 2)] and sum(counts) == 7
    assert [str(w.message) for w in caught] == [f"odd document d{i}" for i in range(7)]


def test_actor_table_tokens_are_remembered_between_runs(tmp_path, monkeypatch):
    """Start-up: the built-in tables' phrases are tokenized once and read back from the cache."""
    from redline.actors.lexicon import _tokenize
    monkeypatch.setenv("REDLINE_CACHE", str(tmp_path / "cache"))
    phrases = ["the Kremlin", "U.S. Department of State", "Al-Shabaab", "People's Liberation Army", "  ", "Côte d'Ivoire"]
    fresh = _tokenize(phrases)
    assert _tokenize(phrases, remember=True) == fresh
    kept, = (tmp_path / "cache").glob("actor-tokens-*.json")
    assert json.loads(kept.read_text(encoding="utf-8"))["U.S. Department of State"] == list(fresh["U.S. Department of State"])
    kept.write_text(json.dumps({p: ["changed"] for p in phrases}), encoding="utf-8")
    assert _tokenize(phrases, remember=True) == {p: ("changed",) for p in phrases}  # read back, not recomputed
    kept.write_text("{not json", encoding="utf-8")
    assert _tokenize(phrases, remember=True) == fresh  # a damaged cache is ignored (and rewritten)
    assert _tokenize(phrases[:3], remember=True) == {p: fresh[p] for p in phrases[:3]}  # other phrases: another key


def test_the_parent_warms_the_lazy_tables_before_forking(tmp_path):
    """Tables loaded on first use (the towns) are loaded once in the parent, shared by the workers."""
    from redline import read
    from redline.engines import CoderOptions, EngineSettings, code_events
    from redline.engines.local import code_batches
    from redline.when import expressions
    from redline.where import towns
    documents = [d for d in read([str(_corpus(tmp_path, copies=1))])]
    towns._table.cache_clear()
    expressions._parser.cache_clear()  # dateparser's, first used on a date the patterns leave to it (0.3 s)
    settings = EngineSettings(workers=2, batch_size=4, coder=CoderOptions())
    assert sum(len(c) for _, c in code_batches(iter(documents), settings, code_events)) == len(documents)
    assert towns._table.cache_info().currsize == 1
    assert expressions._parser.cache_info().currsize >= 1


def test_the_last_batches_are_cut_smaller_so_workers_finish_together():
    from redline.pipeline import TAIL_BATCHES, batches
    from redline.schema import Document
    documents = [Document(id=f"d{i}", text=f"Soldiers crossed the river at dawn number {i}.") for i in range(100)]
    sizes = [len(b) for b in batches(iter(documents), max_docs=8)]
    assert [d.id for b in batches(iter(documents), max_docs=8) for d in b] == [d.id for d in documents]
    full = -(-100 // 8) - TAIL_BATCHES  # the batches before the tail are whole
    assert sizes[:full] == [8] * full
    assert all(n <= 2 for n in sizes[full:]) and sum(sizes[full:]) == 100 - 8 * full
    assert [len(b) for b in batches(iter(documents[:5]), max_docs=8)] == [5]  # a short input: one batch
