"""The command line end to end: formats, stdin, exit status and error messages."""
from __future__ import annotations

import csv
import io
import json

from conftest import run_cli

ARTICLE = ("Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, killing three civilians, "
           "regional officials said.\n")


def test_jsonl_from_stdin_with_date():
    p = run_cli("code", "-", "--date", "2024-03-21", stdin=ARTICLE.encode())
    assert p.returncode == 0, p.stderr.decode()
    events = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert events and events[0]["doc_id"] == "stdin"
    assert any(e["source"] and e["source"]["country"] == "RUS" and e["cameo_root"] in {"18", "19"} for e in events)


def test_csv_and_table_and_output_file(tmp_path):
    src = tmp_path / "kharkiv.txt"
    src.write_text(ARTICLE)
    p = run_cli("code", str(src), "--date", "2024-03-21", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert rows and rows[0]["doc_id"] == "kharkiv" and rows[0]["source_country"] == "RUS"
    out = tmp_path / "events.jsonl"
    p = run_cli("code", str(src), "--date", "2024-03-21", "-o", str(out))
    assert p.returncode == 0 and out.read_text().count("\n") >= 1
    p = run_cli("code", str(src), "--date", "2024-03-21", "--format", "table")
    assert p.returncode == 0 and "kharkiv" in p.stdout.decode()


def test_bad_inputs_are_reported_and_good_documents_still_coded(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "good", "text": ARTICLE, "date": "2024-03-21"}) + "\n{oops\n"
                      + json.dumps({"id": "bad-date", "text": ARTICLE, "date": "yesterday-ish"}) + "\n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\xff\xfe")
    p = run_cli("code", str(corpus), str(binary))
    err = p.stderr.decode()
    assert p.returncode == 1
    assert f"{corpus}:2: invalid JSON" in err
    assert f"{corpus}:3: field 'date'" in err
    assert f"{binary}: binary data" in err
    assert "skipped 3 input(s)" in err
    events = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert events and {e["doc_id"] for e in events} == {"good"}


def test_bad_options():
    p = run_cli("code", "-", "--date", "21/03/2024", stdin=b"Russia warned France.")
    assert p.returncode == 2 and "cannot read '21/03/2024' as a date" in p.stderr.decode()
    p = run_cli("code", "-", "--format", "xml", stdin=b"Russia warned France.")
    assert p.returncode == 2 and "unknown format 'xml'" in p.stderr.decode()


def test_user_predicate_file(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("cameo,lemma,pos,particle,prep,object,role,note\n186,defenestrate,VERB,,,,,defenestrate = assassinate\n")
    text = b"Russian agents defenestrated a Ukrainian diplomat in Vienna."
    plain = run_cli("code", "-", "--date", "2024-03-21", stdin=text)
    assert plain.returncode == 0 and plain.stdout == b""
    p = run_cli("code", "-", "--date", "2024-03-21", "--predicates", str(rows), stdin=text)
    [event] = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert event["cameo"] == "186" and "defenestrate = assassinate" in event["explanation"]
    bad = tmp_path / "bad.csv"
    bad.write_text("cameo,lemma,pos,particle,prep,object,role,note\n999,x,VERB,,,,,\n")
    p = run_cli("code", "-", "--predicates", str(bad), stdin=text)
    assert p.returncode == 2 and "line 2: field 'cameo'" in p.stderr.decode()
