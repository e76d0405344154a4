"""The one column spec (redline.columns) and the one flat event row (Event.to_row): the CSV of
`redline code` and the store agree on every column they share, and the store's tables, the Arrow
types and the row builders are exactly what the spec says."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import duckdb
import pytest
from conftest import run_cli

from redline import columns
from redline.schema import Document
from redline.store import EVENT_COLUMNS, Store, coded_rows
from redline.store.merge import summarise
from redline.store.rows import (DOCUMENT_COLUMNS, MENTION_COLUMNS, arrow_schema, arrow_table, document_key,
                                mention_key, text_key, text_mention_key)

# numbers, a place with a negative longitude, a date read from the text, a reporting actor with a code
ARTICLE = ("Russian forces fired 30 missiles at Kharkiv on Tuesday, Ukraine's military said.\n\n"
           "Argentine police arrested 4 men in Buenos Aires on Monday.\n")


def _text(value) -> str:
    """A stored value as a CSV cell holds it."""
    return "" if value is None else str(value)


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """The article coded by `redline code --format csv`, ingested with `redline ingest` and
    exported with `redline export csv --table mentions`."""
    folder = tmp_path_factory.mktemp("flat")
    article = folder / "kharkiv.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    p = run_cli("code", str(article), "--date", "2024-03-21", "--format", "csv", "--raw-cells", "-q")
    assert p.returncode == 0, p.stderr.decode()
    code_rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    db = folder / "flat.duckdb"
    p = run_cli("ingest", str(article), "--date", "2024-03-21", "--db", str(db), "-q")
    assert p.returncode == 0, p.stderr.decode()
    exported = folder / "mentions.csv"
    p = run_cli("export", "csv", "-o", str(exported), "--table", "mentions", "--raw-cells", "--db", str(db))
    assert p.returncode == 0, p.stderr.decode()
    with Store(db, read_only=True) as s:
        stored = s.rows("SELECT * FROM mentions")
        doc = s.rows("SELECT doc_key, text_key FROM documents")[0]
    export_rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    return code_rows, stored, export_rows, doc


def test_code_csv_and_the_store_agree_on_every_shared_column(coded):
    code_rows, stored, export_rows, doc = coded
    assert list(code_rows[0]) == list(columns.event_names())
    by_id = {m["mention_id"]: m for m in stored}
    exported = {m["mention_id"]: m for m in export_rows}
    assert len(code_rows) == len(stored) == len(export_rows) >= 2
    shared = [c for c in code_rows[0] if c in stored[0]]
    assert set(columns.event_names()) - set(shared) == {"event_id", "cameo_name"}
    for row in code_rows:
        mention_id = mention_key(doc["doc_key"], text_mention_key(doc["text_key"], row["event_id"]))
        mention, line = by_id[mention_id], exported[mention_id]
        for c in shared:
            assert row[c] == _text(mention[c]) == line[c], (c, row[c], mention[c], line[c])
    # the sentence exercises the columns whose format could differ
    missiles = next(r for r in code_rows if r["cameo"] == "190")
    assert json.loads(missiles["numbers"]) == [{"value": 30, "of": "missile"}]
    assert (missiles["location_name"], missiles["location_country"], missiles["date"], missiles["date_text"],
            missiles["reported_by_code"]) == ("Kharkiv", "UKR", "2024-03-19", "Tuesday", "UKRMIL")
    assert float(missiles["lat"]) > 0 and missiles["goldstein"] == "-10.0"
    arrest = next(r for r in code_rows if r["location_name"] == "Buenos Aires")
    assert float(arrest["lon"]) < 0 and int(arrest["span_start"]) > 0
    assert arrest["evidence"] == ARTICLE[int(arrest["span_start"]):int(arrest["span_end"])]


def test_a_mention_row_is_the_event_row_with_its_keys(coder):
    document = Document("d1", ARTICLE, date=date(2024, 3, 21), source="wire")
    (doc_row, mentions), = [coded_rows(d, e) for d, e in coder.code_documents([document])]
    events = next(iter(coder.code_documents([document])))[1]
    assert mentions and len(mentions) == len(events)
    for m, e in zip(mentions, events):
        flat = e.to_row()
        assert list(flat) == list(columns.event_names())
        assert m == {"mention_id": mention_key(document_key(document), text_mention_key(text_key(ARTICLE), flat["event_id"])),
                     "doc_key": doc_row["doc_key"], **flat, "group_key": m["group_key"]}
    stored_event = [c.name for c in columns.event_columns() if c.stored]
    assert MENTION_COLUMNS == ("mention_id", "doc_key", *stored_event, "group_key")
    assert set(doc_row) == set(DOCUMENT_COLUMNS)
    # the merged event's row has exactly the events table's columns
    merged = summarise("k", [dict(m, published=None) for m in mentions[:1]])
    assert tuple(merged) == EVENT_COLUMNS == columns.table("events").names


def test_a_new_store_has_exactly_the_spec_columns(tmp_path):
    with Store(tmp_path / "new.duckdb") as s:
        live = s.rows("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                      "WHERE table_schema = 'main' AND table_name IN (SELECT table_name FROM duckdb_tables()) "
                      "ORDER BY table_name, ordinal_position")
        keys = {(r["table_name"], tuple(r["constraint_column_names"])) for r in s.rows(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'")}
    tables = {}
    for r in live:
        tables.setdefault(r["table_name"], []).append((r["column_name"], r["data_type"], r["is_nullable"] == "NO"))
    spec = {t.name: [(c.name, c.type, c.constraint is not None or c.name in t.primary_key) for c in t.columns]
            for t in columns.tables().values()}
    assert tables == spec
    assert keys == {(t.name, t.primary_key or tuple(c.name for c in t.columns if c.constraint == "PRIMARY KEY"))
                    for t in columns.tables().values()}


def test_the_arrow_types_are_the_spec_types(tmp_path):
    con = duckdb.connect()
    for table in columns.tables().values():
        schema = arrow_schema(table.name)
        assert schema.names == list(table.names)
        con.register("_t", schema.empty_table())
        described = [(r[0], r[1]) for r in con.execute("DESCRIBE SELECT * FROM _t").fetchall()]
        con.unregister("_t")
        assert described == [(c.name, c.type) for c in table.columns], table.name
    # rows keep only the columns asked for, typed as the table's
    data = arrow_table("mentions", ("mention_id", "date", "quad_class"),
                       [{"mention_id": "m", "date": date(2024, 3, 19), "quad_class": 4, "cameo_name": "x"}])
    assert data.schema == arrow_schema("mentions", ("mention_id", "date", "quad_class"))
    assert data.to_pylist() == [{"mention_id": "m", "date": date(2024, 3, 19), "quad_class": 4}]


def test_the_spec_refuses_what_duckdb_would_not_create():
    with pytest.raises(ValueError, match="VARCHR"):
        columns._column({"name": "x", "type": "VARCHR", "doc": "typo"}, "t")
    with pytest.raises(ValueError, match="needs name, type and doc"):
        columns._column({"name": "x", "type": "VARCHAR"}, "t")
