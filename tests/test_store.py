"""The store end to end: ingest, merge, query, exports, Parquet round trip, locking, bad input."""
from __future__ import annotations

import csv
import json
import random
from datetime import date

import pytest
from conftest import ROOT, run_cli, run_cli_process

from redline.store import Store
from redline.store.merge import assign

EXAMPLES = ROOT / "examples"


def _events(db):
    with Store(db, read_only=True) as s:
        return s.sql("SELECT * FROM events ORDER BY event_key").fetchall()


def _ingest(db, *paths, extra=()):
    return run_cli("ingest", *map(str, paths), "--db", str(db), "-q", *extra)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "examples.duckdb"
    p = _ingest(db, EXAMPLES)
    assert p.returncode == 0, p.stderr.decode()
    return db


def test_ingest_stores_documents_mentions_and_events(store_path):
    with Store(store_path, read_only=True) as s:
        counts = s.counts()
        n_docs = len(list(EXAMPLES.glob("*.txt")))
        assert counts["documents"] == n_docs and counts["mentions"] >= counts["events"] > 20
        # every mention belongs to an event, and the counts agree
        assert s.sql("SELECT count(*) FROM mentions WHERE event_key IS NULL").fetchall() == [(0,)]
        assert s.sql("SELECT sum(n_mentions) FROM events").fetchall()[0][0] == counts["mentions"]
        assert s.sql("SELECT count(*) FROM actors WHERE code = 'RUS' OR code LIKE 'RUS%'").fetchall()[0][0] > 0


def test_ingesting_again_changes_nothing(store_path, tmp_path):
    before = _events(store_path)
    p = run_cli("ingest", str(EXAMPLES), "--db", str(store_path))
    assert p.returncode == 0 and "skipped 12 already stored" in p.stderr.decode()
    assert _events(store_path) == before


def _mention(mid, group, day, precision, doc="d1"):
    return {"mention_id": mid, "group_key": group, "date": day, "date_precision": precision, "doc_key": doc}


def test_merge_rule():
    tue, wed, thu = date(2024, 3, 19), date(2024, 3, 20), date(2024, 3, 21)
    mentions = [
        _mention("a", "g", tue, "day", "d1"),          # "on Tuesday" in article 1
        _mention("b", "g", tue, "day", "d2"),          # "on March 19" in article 2: same event
        _mention("c", "g", wed, "document", "d3"),     # undated report published the next day: same event
        _mention("d", "g", thu, "document", "d4"),     # two days later: another event
        _mention("e", "h", tue, "day", "d1"),          # another group (other actors or root)
        _mention("f", "g", tue, "month", "d5"),        # "in March": a coarser event of its own
        _mention("u1", "g", None, None, "d6"), _mention("u2", "g", None, None, "d6"),  # undated, one article
        _mention("u3", "g", None, None, "d7"),         # undated, another article: not merged
    ]
    keys = assign(mentions)
    assert keys["a"] == keys["b"] == keys["c"]
    assert len({keys["a"], keys["d"], keys["e"], keys["f"]}) == 4
    assert keys["u1"] == keys["u2"] != keys["u3"]
    # the rule depends on the set, not the order
    random.seed(1)
    for _ in range(5):
        random.shuffle(mentions)
        assert assign(mentions) == keys


def test_two_articles_one_event(tmp_path):
    corpus = tmp_path / "two.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "date": "2024-03-20", "source": "Wire A",
                    "text": "Russian forces shelled Kharkiv on Tuesday, killing three civilians."}) + "\n"
        + json.dumps({"id": "b", "date": "2024-03-20", "source": "Wire B",
                      "text": "Russian troops shelled the city of Kharkiv, regional officials said."}) + "\n"
        + json.dumps({"id": "c", "date": "2024-03-25", "source": "Wire A",
                      "text": "Russian forces shelled Kharkiv again on Sunday."}) + "\n", encoding="utf-8")
    db = tmp_path / "two.duckdb"
    assert _ingest(db, corpus).returncode == 0
    with Store(db, read_only=True) as s:
        rows = s.sql("SELECT date, n_mentions, n_articles, n_sources FROM events WHERE target_country = 'UKR' "
                     "AND cameo_root IN ('18', '19') ORDER BY date").fetchall()
    assert rows == [(date(2024, 3, 19), 2, 2, 2), (date(2024, 3, 24), 1, 1, 1)]


def test_query_filters_and_sql(store_path):
    p = run_cli("query", "--db", str(store_path), "--dyad", "RUS:UKR", "--format", "jsonl", "--limit", "0")
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert rows and all(r["source_code"].startswith("RUS") and (r["target_code"] or "").startswith("UKR") for r in rows)
    p = run_cli("query", "--db", str(store_path), "--type", "ASSAULT", "--format", "csv", "--limit", "0")
    table = list(csv.DictReader(p.stdout.decode().splitlines()))
    assert table and {r["plover"] for r in table} == {"ASSAULT"}
    p = run_cli("query", "--db", str(store_path), "SELECT count(*) AS n FROM documents", "-f", "jsonl")
    assert json.loads(p.stdout) == {"n": 12}
    bad = run_cli("query", "--db", str(store_path), "--dyad", "RUS-UKR")
    assert bad.returncode == 2 and "--dyad" in bad.stderr.decode()
    missing = run_cli("query", "--db", str(store_path.parent / "nope.duckdb"))
    assert missing.returncode == 2 and "no such store" in missing.stderr.decode()


def test_exports_have_the_reference_columns(store_path, tmp_path):
    from redline.store.export import GDELT_COLUMNS
    assert len(GDELT_COLUMNS) == 61
    n = _events(store_path)
    for fmt, first in (("gdelt", "GLOBALEVENTID"), ("icews", "Event ID"), ("polecat", "Event ID")):
        out = tmp_path / f"events.{fmt}.tsv"
        p = run_cli("export", fmt, "-o", str(out), "--db", str(store_path))
        assert p.returncode == 0, p.stderr.decode()
        rows = list(csv.reader(out.open(encoding="utf-8"), delimiter="\t"))
        assert rows[0][0] == first and len(rows) - 1 == len(n)
        if fmt == "gdelt":
            assert rows[0] == GDELT_COLUMNS
            record = dict(zip(rows[0], rows[1]))
            assert len(record["SQLDATE"]) == 8 and record["EventRootCode"] == record["EventCode"][:2]


def test_parquet_round_trip(store_path, tmp_path):
    folder = tmp_path / "pq"
    assert run_cli("export", "parquet", "-o", str(folder), "--db", str(store_path)).returncode == 0
    copy = tmp_path / "copy.duckdb"
    p = run_cli("import", str(folder), "--db", str(copy))
    assert p.returncode == 0, p.stderr.decode()
    assert _events(copy) == _events(store_path)


@pytest.mark.slow
def test_a_second_writer_waits_or_fails_clearly(store_path, tmp_path):
    db = tmp_path / "busy.duckdb"
    with Store(db):  # this process holds the write lock; the ingest is another process
        p = run_cli_process("ingest", str(EXAMPLES / "01_russia_invades_ukraine.txt"), "--db", str(db), "-q",
                            "--wait", "1")
        assert p.returncode == 2 and "in use by another process" in p.stderr.decode()
    assert _ingest(db, EXAMPLES / "01_russia_invades_ukraine.txt").returncode == 0


def test_bad_input_is_reported_and_stored_data_kept(store_path, tmp_path):
    db = tmp_path / "bad.duckdb"
    assert _ingest(db, EXAMPLES / "01_russia_invades_ukraine.txt").returncode == 0
    before = Store(db, read_only=True)
    n_before = before.counts()
    before.close()
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_text(json.dumps({"id": "ok", "text": "Israeli jets struck targets in Syria on Monday."}) + "\n"
                      + "{not json\n" + json.dumps({"id": "empty"}) + "\n", encoding="utf-8")
    p = run_cli("ingest", str(corpus), "--db", str(db))
    err = p.stderr.decode()
    assert p.returncode == 1 and f"{corpus}:2" in err and f"{corpus}:3" in err and "field 'text'" in err
    with Store(db, read_only=True) as s:
        after = s.counts()
    assert after["documents"] == n_before["documents"] + 1 and after["events"] >= n_before["events"]


def test_a_broken_parquet_folder_adds_nothing(store_path, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "documents.parquet").write_bytes(b"not parquet at all")
    copy = tmp_path / "copy.duckdb"
    assert _ingest(copy, EXAMPLES / "01_russia_invades_ukraine.txt").returncode == 0
    before = _events(copy)
    p = run_cli("import", str(folder), "--db", str(copy))
    assert p.returncode == 2 and "cannot load it (nothing was added)" in p.stderr.decode()
    assert _events(copy) == before


def test_batches_in_any_order_give_the_same_events(tmp_path):
    from redline import Coder, Document, read
    from redline.store import coded_rows
    documents = [d for d in read([str(EXAMPLES)]) if isinstance(d, Document)]
    reports = [("Russian forces shelled Kharkiv on Tuesday, killing three civilians.", "2024-03-20"),
               ("Russian troops shelled the city of Kharkiv, regional officials said.", "2024-03-20"),
               ("Russian troops shelled the city of Kharkiv, officials said.", "2024-03-21"),
               ("Russian forces shelled Kharkiv overnight.", "2024-03-19")]
    documents += [Document(id=f"r{i}", text=t, date=date.fromisoformat(d)) for i, (t, d) in enumerate(reports)]
    rows = [coded_rows(d, e) for d, e in Coder().code_documents(documents)]

    def store_of(batches, name):
        with Store(tmp_path / name) as s:
            for batch in batches:
                s.add(batch)
        return _events(tmp_path / name)

    expected = store_of([rows], "one.duckdb")
    random.seed(5)
    for trial in range(3):
        shuffled = random.sample(rows, len(rows))
        cuts = sorted(random.sample(range(1, len(rows)), 4))
        batches = [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(rows)])]
        assert store_of(batches, f"shuffled{trial}.duckdb") == expected
    # the Kharkiv reports: the day-dated one and the reports of the next morning are one event
    with Store(tmp_path / "one.duckdb", read_only=True) as s:
        kharkiv = s.sql("SELECT date, n_articles FROM events WHERE target_country = 'UKR' AND source_country = 'RUS' "
                        "AND cameo_root = '19' AND date >= DATE '2024-03-19' ORDER BY date").fetchall()
    assert kharkiv[0] == (date(2024, 3, 19), 3)
