"""`redline query "SQL"` runs on the store and nothing else (store/sandbox.py): every way out that
was found is refused, with the store and the file system unchanged; readers wait for a busy store."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import duckdb
import pytest
from conftest import ROOT, run_cli

from redline.store import Store, sandbox

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Two real stores: the one queried, and another one the query must not reach."""
    folder = tmp_path_factory.mktemp("sandbox")
    paths = {"store": folder / "store.duckdb", "other": folder / "other.duckdb"}
    for name, example in (("store", "01_russia_invades_ukraine.txt"), ("other", "05_iran_attacks_israel.txt")):
        p = run_cli("ingest", str(EXAMPLES / example), "--db", str(paths[name]), "-q")
        assert p.returncode == 0, p.stderr.decode()
    return paths


def _counts(db) -> dict[str, int]:
    with Store(db, read_only=True) as s:
        return s.counts()


def _query(db, sql: str, *extra: str):
    return run_cli("query", sql, "--db", str(db), "-f", "csv", "--limit", "0", *extra)


def _refused(p, *words: str) -> str:
    err = p.stderr.decode()
    assert p.returncode == 2 and "query refused" in err, err
    for w in words:
        assert w in err, err
    return err


def test_a_select_still_runs_on_the_store(stores):
    counts = _counts(stores["store"])
    assert counts["events"] > 0
    p = _query(stores["store"], "SELECT count(*) AS n FROM events")
    assert p.returncode == 0 and p.stdout.decode().split() == ["n", str(counts["events"])]
    p = _query(stores["store"], "DESCRIBE events")
    assert p.returncode == 0 and "source_code" in p.stdout.decode()


@pytest.mark.parametrize("sql", [
    "ATTACH '{other}' AS o (READ_WRITE)",
    "ATTACH '{other}' AS o (READ_WRITE); DELETE FROM o.events",
    "SELECT 1; ATTACH '{other}' AS o (READ_WRITE); DELETE FROM o.events",
])
def test_attach_another_store_and_delete_is_refused(stores, sql):
    before = {name: _counts(path) for name, path in stores.items()}
    _refused(_query(stores["store"], sql.format(other=stores["other"])))
    assert {name: _counts(path) for name, path in stores.items()} == before


def test_copy_to_a_path_is_refused(stores, tmp_path):
    new, kept = tmp_path / "new.csv", tmp_path / "kept.csv"
    kept.write_text("keep me\n", encoding="utf-8")
    for target in (new, kept):
        _refused(_query(stores["store"], f"COPY (SELECT * FROM events) TO '{target}' (FORMAT csv)"), "COPY")
    assert not new.exists() and kept.read_text(encoding="utf-8") == "keep me\n"
    _refused(_query(stores["store"], f"EXPORT DATABASE '{tmp_path / 'dump'}'"), "EXPORT")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv('{secret}', header = false)",
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM '{secret}'",
    "SELECT * FROM glob('/root/*')",
    "SELECT * FROM glob('{folder}/*')",
])
def test_reading_the_file_system_is_refused(stores, tmp_path, sql):
    secret = tmp_path / "secret.csv"
    secret.write_text("password,hunter2\n", encoding="utf-8")
    p = _query(stores["store"], sql.format(secret=secret, folder=tmp_path))
    _refused(p, "reaches outside the store")
    assert b"hunter2" not in p.stdout and b"secret.csv" not in p.stdout and b"root:" not in p.stdout


def test_install_and_load_are_refused_without_touching_the_network(stores):
    started = time.perf_counter()
    for sql, word in (("INSTALL httpfs", "INSTALL"), ("LOAD json", "LOAD"), ("FORCE INSTALL httpfs FROM core", "FORCE"),
                      ("CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')", "CREATE")):
        err = _refused(_query(stores["store"], sql), word)
        assert "download" not in err.lower()
    assert time.perf_counter() - started < 10  # refused at once, not after a network timeout


@pytest.mark.parametrize("sql", ["SET enable_external_access = true", "RESET lock_configuration",
                                 "SET memory_limit = '100GB'", "PRAGMA enable_profiling",
                                 "SET enable_external_access = true; SELECT * FROM read_text('/etc/passwd')"])
def test_settings_cannot_be_changed(stores, sql):
    p = _query(stores["store"], sql)
    _refused(p)
    assert b"root:" not in p.stdout


def test_the_settings_confine_even_statements_the_parser_check_would_pass(stores, tmp_path):
    """Defence in depth: on the sandboxed connection itself, DuckDB refuses the escapes."""
    target = tmp_path / "out.csv"
    before = _counts(stores["other"])
    with sandbox.open_store(stores["store"]) as store:
        for statement in (f"ATTACH '{stores['other']}' AS o (READ_WRITE)",
                          f"COPY (SELECT 1) TO '{target}'", "INSTALL httpfs",
                          "SELECT * FROM read_text('/etc/passwd')"):
            with pytest.raises(duckdb.PermissionException):
                store.con.execute(statement).fetchall()
        for statement in ("SET enable_external_access = true", "SET lock_configuration = false"):
            with pytest.raises(duckdb.InvalidInputException, match="locked"):
                store.con.execute(statement).fetchall()
        with pytest.raises(duckdb.Error):  # read-only
            store.con.execute("DELETE FROM events").fetchall()
        assert sandbox.run(store, "SELECT count(*) FROM events").rows == [(_counts_open(store),)]
    assert not target.exists() and _counts(stores["other"]) == before


def _counts_open(store) -> int:
    return store.con.execute("SELECT count(*) FROM events").fetchall()[0][0]


def test_user_sql_is_not_run_on_a_store_opened_without_the_sandbox(stores):
    with Store(stores["store"], read_only=True) as store:
        with pytest.raises(sandbox.QueryRefused, match="not opened by sandbox.open_store"):
            sandbox.run(store, "SELECT 1")


def test_a_long_query_is_stopped_at_the_time_limit(stores):
    started = time.perf_counter()
    p = _query(stores["store"], "SELECT sum(hash(a.range * b.range)) FROM range(1000000) a, range(1000000) b",
               "--timeout", "1")
    elapsed = time.perf_counter() - started
    err = p.stderr.decode()
    assert p.returncode == 2 and "stopped after 1 s" in err and "--timeout" in err, err
    assert elapsed < 10
    assert _query(stores["store"], "SELECT 1 AS one").returncode == 0  # and the store opens again


def test_bad_sql_is_a_clear_error(stores):
    for sql, words in (("SELEC 1", "syntax error"), ("SELECT nope FROM events", "nope"), (";", "no SQL statement")):
        p = _query(stores["store"], sql)
        assert p.returncode == 2 and words in p.stderr.decode() and b"Traceback" not in p.stderr, p.stderr


READERS = [
    ("query", "--dyad", "RUS:UKR"),
    ("query", "SELECT count(*) FROM events"),
    ("trend", "--dyad", "RUS:UKR"),
    ("report", "--dyad", "RUS:UKR", "-o", "{tmp}/r.html"),
    ("export", "csv", "-o", "{tmp}/e.csv"),
]


def _hold(db) -> subprocess.Popen:
    """Another process holding the store for writing (as an ingest does) until its stdin closes."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('holding', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout.readline() == b"holding\n"
    return holder


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_reader_waits_for_a_busy_store_or_says_who_holds_it(stores, tmp_path, command):
    args = [a.format(tmp=tmp_path) for a in command] + ["--db", str(stores["store"])]
    holder = _hold(stores["store"])
    try:
        p = run_cli(*args, "--wait", "0.3")
        err = p.stderr.decode()
        assert p.returncode == 2 and "in use by another process" in err, err
        assert f"process {holder.pid}" in err and "--wait" in err
        if os.path.exists(f"/proc/{holder.pid}/cmdline"):  # where the system tells, the holder's command too
            assert f"process {holder.pid}: -c import duckdb" in err, err
        threading.Timer(0.8, holder.stdin.close).start()  # the holder lets go while the reader waits
        started = time.perf_counter()
        p = run_cli(*args, "--wait", "30")
        assert p.returncode == 0, p.stderr.decode()
        assert 0.5 < time.perf_counter() - started < 30
    finally:
        holder.kill()
        holder.wait()


def test_user_sql_runs_under_a_memory_limit(tmp_path):
    # a query that needs more memory than the sandbox allows fails with a clear error, not the machine
    Store(tmp_path / "m.duckdb").close()
    store = sandbox.open_store(tmp_path / "m.duckdb")
    try:
        with pytest.raises(ValueError, match="(?i)memory"):
            sandbox.run(store, "SELECT list(range(i, i + 1000)) FROM range(400000) t(i) ORDER BY random()",
                        timeout=60)
    finally:
        store.close()
