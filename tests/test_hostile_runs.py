"""Hostile input against whole runs: a poison line is reported and stepped over (and again on
resume), alias bombs and oversized rules are refused within bounded memory and time, a full
disk or a damaged store ends in one line, exports go to stdout or fail cleanly."""
from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import run_cli

BOMB = ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")))


def _lines(shared: Path, n: int) -> list[dict]:
    """The first ``n`` corpus documents, texts cut to 700 characters (read at test time)."""
    out = []
    with (shared / "data" / "news_corpus.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            out.append({"id": record["id"], "text": record["text"][:700], "date": record.get("date")})
            if len(out) == n:
                return out
    return out


def _poisoned(shared: Path, folder: Path) -> Path:
    """Five lines; line 3 holds a lone surrogate, line 4 a date at the calendar's end with a weekday."""
    records = _lines(shared, 4)
    path = folder / "five.jsonl"
    lines = [json.dumps(r) for r in records[:2]]
    lines.append(json.dumps({"id": "poison", "text": "Police \ud800 arrested 20 protesters on Tuesday."}))
    lines.append(json.dumps({**records[2], "date": "9999-12-31", "text": "On Tuesday " + records[2]["text"]}))
    lines.append(json.dumps(records[3]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count(db: Path, table: str = "documents") -> int:
    from redline.store import Store
    with Store(db, read_only=True) as store:
        return store.counts()[table]


def test_poison_line_is_reported_the_rest_stored_and_a_rerun_resumes_past_it(shared, tmp_path):
    corpus, db = _poisoned(shared, tmp_path), tmp_path / "s.duckdb"
    first = run_cli("ingest", str(corpus), "--db", str(db))
    assert first.returncode == 1
    assert f"{corpus}:3: field 'text'" in first.stderr.decode() and "surrogate" in first.stderr.decode()
    assert "skipped 1 input(s) with errors" in first.stderr.decode()
    assert _count(db) == 4  # lines 1, 2, 4 and 5: the good documents after the poison line too
    events = _count(db, "events")
    again = run_cli("ingest", str(corpus), "--db", str(db))
    assert again.returncode == 1 and "coded 0 document(s)" in again.stderr.decode()
    assert "skipped 4 already stored" in again.stderr.decode()
    assert (_count(db), _count(db, "events")) == (4, events)


def test_a_document_the_coder_fails_on_is_reported_and_skipped(shared, tmp_path, monkeypatch):
    """The last resort: a coding bug on one document costs that document, not the run."""
    from redline.pipeline import Coder
    corpus, db = _poisoned(shared, tmp_path), tmp_path / "s.duckdb"
    real = Coder.code_parsed_with_redlines  # (what code_parsed and the ingest's coding both call)

    def code_parsed(self, document, doc, redlines=True):
        if document.origin.endswith(":5"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, document, doc, redlines)
    monkeypatch.setattr(Coder, "code_parsed_with_redlines", code_parsed)
    ran = run_cli("ingest", str(corpus), "--db", str(db), "--batch-size", "2")
    err = ran.stderr.decode()
    assert ran.returncode == 1 and f"{corpus}:5: cannot code document" in err and "RecursionError" in err
    assert "skipped 2 input(s) with errors" in err and "Traceback" not in err
    assert _count(db) == 3
    monkeypatch.setattr(Coder, "code_parsed_with_redlines", real)
    assert run_cli("ingest", str(corpus), "--db", str(db)).returncode == 1  # line 3 is still bad input
    assert _count(db) == 4


def _peak(call) -> tuple[Exception | None, int, float]:
    tracemalloc.start()
    started = time.perf_counter()
    error = None
    try:
        call()
    except Exception as e:  # noqa: BLE001 - the error is what the test checks
        error = e
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return error, peak, time.perf_counter() - started


def test_alias_bombs_are_refused_in_bounded_memory(tmp_path):
    from redline.actors.userfiles import read_user_file
    from redline.analytics.watch import RuleError, load_rules
    from redline.ingest import InputError, read
    rules = tmp_path / "rules.yaml"
    rules.write_text(BOMB + "rules:\n  - name: x\n    types: *i\n", encoding="utf-8")
    actors = tmp_path / "actors.yaml"
    actors.write_text(BOMB + "- name: *i\n  code: RUSGOV\n", encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text("---\n" + BOMB + "title: *i\n---\nPolice arrested 20 protesters.\n", encoding="utf-8")
    assert len(BOMB) < 600
    for call, kind in ((lambda: load_rules(rules), RuleError), (lambda: read_user_file(actors), ValueError),
                       (lambda: [_raise(i) for i in read([str(article)])], InputError)):
        error, peak, seconds = _peak(call)
        assert isinstance(error, kind) and "aliases (*a) are not accepted" in str(error), error
        assert peak < 5_000_000 and seconds < 2, (peak, seconds)


def _raise(item):
    if isinstance(item, Exception):
        raise item


@pytest.mark.parametrize("text, expected", [
    ("rules:\n  - name: x\n    types: [ASSAULT]\n    window: 99999999999d\n", "field 'window': '99999999999d': a window is 1 to"),
    ("rules: " + "[" * 20000 + "]" * 20000 + "\n", "nested more than 32 levels deep"),
    ("rules:\n" + "".join(f"  - name: r{i}\n    types: [ASSAULT]\n" for i in range(300_000)), "too large"),
    ("rules:\n" + "".join(f"  - name: r{i}\n    types: [ASSAULT]\n" for i in range(1001)), "1,001 rules; the limit is 1,000"),
])
def test_rule_files_beyond_the_limits_are_refused_fast(tmp_path, text, expected):
    from redline.analytics.watch import RuleError, load_rules
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    error, peak, seconds = _peak(lambda: load_rules(path))
    assert isinstance(error, RuleError) and expected in str(error), error
    assert seconds < 5 and peak < 50_000_000


def test_watch_cli_says_which_limit(tmp_path, edge_store_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: x\n    types: [ASSAULT]\n    window: 99999999999d\n", encoding="utf-8")
    ran = run_cli("watch", str(path), "--db", str(edge_store_path), "--dry-run")
    assert ran.returncode == 2 and "a window is 1 to 3660 days" in ran.stderr.decode()


def test_watch_on_events_at_the_calendar_edges(tmp_path, edge_store_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n" + "".join(f"  - name: r{w}\n    types: [ASSAULT, CONSULT, COERCE, AGREE]\n    window: {w}\n"
                                         for w in ("day", "week", "month", "3660d")), encoding="utf-8")
    ran = run_cli("watch", str(path), "--db", str(edge_store_path), "--dry-run")
    assert ran.returncode in (0, 3) and "4 rule(s) checked" in ran.stderr.decode()
    assert "9999" in ran.stdout.decode()


@pytest.fixture
def small_store(shared, tmp_path) -> Path:
    corpus = tmp_path / "four.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in _lines(shared, 4)) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert run_cli("ingest", str(corpus), "--db", str(db), "-q").returncode == 0
    return db


def test_a_full_disk_ends_the_ingest_in_one_line_and_keeps_what_was_committed(shared, tmp_path, monkeypatch):
    import duckdb

    from redline.store import Store
    corpus = tmp_path / "six.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in _lines(shared, 6)) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    real, calls = Store.add, []

    def add(self, coded, statements=(), within=None):
        calls.append(len(coded))
        if len(calls) == 2:  # what DuckDB raises when the WAL cannot grow
            raise duckdb.IOException('IO Error: Could not write file "s.duckdb.wal": No space left on device')
        return real(self, coded, statements, within)
    monkeypatch.setattr(Store, "add", add)
    ran = run_cli("ingest", str(corpus), "--db", str(db), "--batch-size", "2")
    err = ran.stderr.decode()
    assert ran.returncode == 1 and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("error")] == [
        'error: ingest stopped: IO Error: Could not write file "s.duckdb.wal": No space left on device. The batches '
        "already committed are kept; fix the cause (e.g. free disk space) and run the same command again to resume"]
    assert _count(db) == calls[0] >= 1  # the first batch, committed before the disk filled
    monkeypatch.setattr(Store, "add", real)
    assert run_cli("ingest", str(corpus), "--db", str(db)).returncode == 0
    assert _count(db) == 6


def test_a_truncated_store_is_refused_with_a_clear_error(small_store, tmp_path):
    damaged = tmp_path / "damaged.duckdb"
    data = small_store.read_bytes()
    damaged.write_bytes(data[:len(data) // 2])
    for args in (["ingest", str(tmp_path / "four.jsonl")], ["export", "gdelt", "-o", str(tmp_path / "g.tsv")],
                 ["query"]):
        ran = run_cli(*args, "--db", str(damaged))
        assert ran.returncode == 1, args
        assert "the store file is damaged" in ran.stderr.decode() and "truncated" in ran.stderr.decode()
    assert damaged.read_bytes() == data[:len(data) // 2]  # nothing was written to it


def test_a_store_whose_free_blocks_duckdb_cut_off_still_opens(shared, tmp_path):
    """A checkpoint cuts free blocks off the end of the file while the header still counts them:
    that store is whole (seen after `watch` wrote alerts and a failed ingest reopened the store)."""
    from redline.store import Store
    db = tmp_path / "s.duckdb"
    sample = shared / "samples" / "kremlin-warning.txt"
    assert run_cli("ingest", str(sample), "--date", "2024-03-21", "--db", str(db), "-q").returncode == 0
    assert run_cli("watch", "--db", str(db)).returncode in (0, 3)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert run_cli("ingest", str(empty), "--db", str(db), "-q").returncode == 1
    with Store(db, read_only=True) as store:
        assert store.counts()["events"] > 0
    ran = run_cli("redlines", "--db", str(db))
    assert ran.returncode == 0 and "damaged" not in ran.stderr.decode()


def test_export_to_stdout_folder_and_full_device(small_store, tmp_path):
    to_file = run_cli("export", "csv", "-o", str(tmp_path / "e.csv"), "--db", str(small_store))
    to_stdout = run_cli("export", "csv", "-o", "-", "--db", str(small_store))
    assert to_file.returncode == to_stdout.returncode == 0
    assert to_stdout.stdout == (tmp_path / "e.csv").read_bytes() and to_stdout.stdout.count(b"\n") > 1
    assert not Path("-").exists()
    folder = run_cli("export", "gdelt", "-o", str(tmp_path), "--db", str(small_store))
    assert folder.returncode == 2 and "is a folder" in folder.stderr.decode()
    if Path("/dev/full").exists():
        full = run_cli("export", "jsonl", "-o", "/dev/full", "--db", str(small_store))
        assert full.returncode == 1 and "No space left on device" in full.stderr.decode()


@pytest.mark.slow
def test_a_long_text_is_coded_in_pieces_with_progress(shared, monkeypatch):
    """A text over PIECE_CHARS is parsed piece by piece (bounded memory); events keep offsets
    into the whole text and sentence numbers that run on across pieces."""
    from redline import nlp
    from redline.pipeline import Coder
    text = "\n\n".join(r["text"] for r in _lines(shared, 12))
    whole = Coder().code_text(text, date="2024-03-21")
    monkeypatch.setattr(nlp, "PIECE_CHARS", 2500)
    coder, ticks = Coder(), []
    coder.on_piece = lambda document, done, total: ticks.append((done, total))
    events = coder.code_text(text, date="2024-03-21")
    assert len(ticks) >= len(text) // 2500 and ticks[-1] == (len(text), len(text))
    assert events and all(text[e.span[0]:e.span[1]] == e.evidence for e in events)
    assert [e.sentence_index for e in events] == sorted(e.sentence_index for e in events)
    same = {(e.span, e.cameo) for e in events} & {(e.span, e.cameo) for e in whole}
    assert len(same) >= 0.8 * len(whole)  # cut at paragraph breaks, most events are unchanged


def test_an_unforeseen_error_ends_in_one_line_not_a_traceback(monkeypatch, capsys):
    """The last resort in ``main``: a bug no command catches is one line and exit status 1."""
    import sys

    import typer

    from redline import cli

    def boom(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")
    monkeypatch.setattr(typer, "echo", boom)
    monkeypatch.setattr(sys, "argv", ["redline", "version"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "Traceback" not in err
    assert err.strip().splitlines() == ["error: unexpected RuntimeError: boom (a bug: please report it; "
                                        "REDLINE_DEBUG=1 shows where)"]
    monkeypatch.setenv("REDLINE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main()
