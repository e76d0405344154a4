"""`redline serve` endpoints over events, in process (TestClient): /api/events and its parameters
agree with the store's own filters, pages cover every event once, /api/events/{key}, exports,
/api/code, /api/ingest (token, stored once), /api/sql (off by default, sandboxed, time limit, row
cap, safe beside other requests), the /events pages, and hostile article text rendered harmless."""
from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from redline.serve import create_app
from redline.store import Store
from redline.store.export import exporters
from redline.store.query import PARAMETERS, Filters

TOKEN = "s3cret-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(examples_store_path):
    return TestClient(create_app(examples_store_path))


def _keys_in_store(path: Path, mapping: dict) -> set[str]:
    where, params = Filters.from_mapping(mapping).where()
    with Store(path, read_only=True) as s:
        return {r[0] for r in s.sql(f"SELECT event_key FROM events WHERE {where}", params).fetchall()}


def _all_pages(client, url: str) -> list[dict]:
    rows, seen_urls = [], 0
    while url:
        r = client.get(url)
        assert r.status_code == 200, r.text
        rows += r.json()["events"]
        url = r.json()["next"]
        seen_urls += 1
        assert seen_urls < 500
    return rows


def test_every_filter_is_a_query_parameter_of_the_same_name(client):
    parameters = {p["name"]: p for p in client.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]}
    assert set(PARAMETERS) <= set(parameters)
    for name, help_text in PARAMETERS.items():
        assert parameters[name]["description"] == help_text and parameters[name]["in"] == "query"


@pytest.mark.parametrize("mapping", [
    {}, {"type": "ASSAULT"}, {"type": "ASSAULT,19,CONSULT"}, {"root": "04,19"}, {"quad": "4"},
    {"quad": "verbal_coop,material_conflict"}, {"actor": "RUS"}, {"source": "RUS"}, {"target": "UKR"},
    {"dyad": "RUS:UKR"}, {"dyad": "UKR:RUS", "undirected": "true"}, {"modality": "factual,future"},
    {"factual": "true"}, {"from": "2023"}, {"to": "2022-12"}, {"from": "2022-02-24", "to": "2022-02-24"},
    {"text": "troops"}, {"min_mentions": "2"}, {"country": "UKR,ISR"}, {"reported_by": "none"},
    {"actor": "NATO"}, {"type": "ASSAULT", "from": "2024"}, {"from": "2020-02-29"}, {"to": "2000-02-29"},
])
def test_filters_narrow_the_events_as_the_store_does(client, examples_store_path, mapping):
    expected = _keys_in_store(examples_store_path, mapping)
    query = "&".join(f"{k}={v}" for k, v in mapping.items())
    got = client.get(f"/api/events?limit=1000&fields=event_key&total=true&{query}").json()
    assert {e["event_key"] for e in got["events"]} == expected
    assert got["total"] == len(expected)


def test_some_filters_do_narrow(examples_store_path):
    everything = _keys_in_store(examples_store_path, {})
    assert 0 < len(_keys_in_store(examples_store_path, {"type": "ASSAULT"})) < len(everything)
    assert 0 < len(_keys_in_store(examples_store_path, {"dyad": "RUS:UKR"})) < len(everything)


@pytest.mark.parametrize("sort", ["-date", "date", "n_mentions", "-goldstein", "confidence", "-n_articles"])
def test_cursor_pages_cover_every_event_once(client, examples_store_path, sort):
    rows = _all_pages(client, f"/api/events?limit=7&sort={sort}&fields=date,goldstein,n_mentions,confidence,n_articles")
    keys = [r["event_key"] for r in rows]
    assert len(keys) == len(set(keys)) == len(_keys_in_store(examples_store_path, {}))
    name = sort.lstrip("-")
    values = [r[name] for r in rows if r[name] is not None]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_next_is_the_full_url_with_the_same_parameters(client):
    first = client.get("/api/events?limit=3&type=ASSAULT&fields=plover").json()
    assert first["next"].startswith("http://testserver/api/events?")
    assert "type=ASSAULT" in first["next"] and "limit=3" in first["next"] and "after=" in first["next"]
    second = client.get(first["next"]).json()
    assert {e["plover"] for e in second["events"]} == {"ASSAULT"}
    assert not {e["event_key"] for e in first["events"]} & {e["event_key"] for e in second["events"]}


def test_fields_total_and_limit(client):
    r = client.get("/api/events?fields=date,plover&limit=5").json()
    assert len(r["events"]) == 5 and all(set(e) == {"event_key", "date", "plover"} for e in r["events"])
    assert r["total"] is None
    assert client.get("/api/events?total=true&limit=1").json()["total"] > 100


def test_ndjson_and_csv_formats(client):
    page = client.get("/api/events?limit=4&fields=date,evidence").json()["events"]
    r = client.get("/api/events?limit=4&fields=date,evidence&format=ndjson")
    assert r.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line) for line in r.text.splitlines()] == page
    assert 'rel="next"' in r.headers["link"]
    r = client.get("/api/events?limit=4&fields=date,evidence&format=csv&total=true")
    assert r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["event_key"] for row in table] == [e["event_key"] for e in page]
    assert int(r.headers["x-total-count"]) > 100


@pytest.mark.parametrize("query, name", [
    ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=x", "limit"), ("sort=evidence", "sort"),
    ("fields=date,password", "fields"), ("after=not-a-cursor", "after"), ("format=xml", "format"),
    ("total=maybe", "total"), ("dyad=RUS", "dyad"), ("type=EXPLODE", "type"), ("type=99", "type"),
    ("root=21", "root"), ("quad=5", "quad"), ("modality=sure", "modality"), ("from=2024-02-30", "from"), ("from=2023-02-29", "from"), ("to=1900-02-29", "to"),
    ("to=yesterday", "to"), ("country=UK", "country"), ("min_mentions=0", "min_mentions"),
    ("actor=R1", "actor"), ("undirected=perhaps", "undirected"), ("text=" + "x" * 201, "text"),
    ("dyad=RUS:UKR&source=RUS", "dyad"), ("from=2024&to=2023", "from"), ("factual=true&modality=future", "factual"),
])
def test_bad_values_are_400_naming_the_parameter(client, query, name):
    r = client.get(f"/api/events?{query}")
    assert r.status_code == 400, r.text
    assert r.json()["parameter"] == name and r.json()["error"].startswith(f"{name}: ")
    assert "pattern" not in r.json()["error"]  # said in words, not as a regular expression


def test_one_event_with_its_mentions_and_documents(client, examples_store_path):
    key = client.get("/api/events?sort=-n_mentions&limit=1").json()["events"][0]["event_key"]
    body = client.get(f"/api/events/{key}").json()
    assert body["event"]["event_key"] == key
    assert len(body["mentions"]) == body["event"]["n_mentions"] >= 1
    m = body["mentions"][0]
    for field in ("evidence", "span_start", "span_end", "date_text", "source_text", "target_text", "explanation"):
        assert field in m
    with Store(examples_store_path, read_only=True) as s:
        text = s.rows("SELECT text FROM documents WHERE doc_key = ?", [m["doc_key"]])[0]["text"]
    assert text[m["span_start"]:m["span_end"]] == m["evidence"]
    assert {d["doc_key"] for d in body["documents"]} == {m["doc_key"] for m in body["mentions"]}


def test_an_unknown_event_is_404_json(client):
    r = client.get("/api/events/0123456789abcdef")
    assert r.status_code == 404 and "no event" in r.json()["error"]


@pytest.mark.parametrize("fmt", sorted(exporters))
def test_exports_download_the_chosen_events(client, fmt, tmp_path):
    r = client.get(f"/api/export/{fmt}?type=ASSAULT")
    assert r.status_code == 200, r.text
    assert "attachment; filename=" in r.headers["content-disposition"]
    assert len(r.content) > 50 and int(r.headers["content-length"]) == len(r.content)
    if fmt == "parquet":
        assert r.headers["content-type"] == "application/zip"
        assert set(zipfile.ZipFile(io.BytesIO(r.content)).namelist()) == {
            "documents.parquet", "mentions.parquet", "events.parquet"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert {row["plover"] for row in rows} == {"ASSAULT"}
    elif fmt == "jsonl":
        assert {json.loads(line)["plover"] for line in r.text.splitlines()} == {"ASSAULT"}


def test_exports_leave_no_temporary_files(client, monkeypatch, tmp_path):
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert client.get("/api/export/parquet").status_code == 200
    assert client.get("/api/export/csv").status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_export_format_is_400_naming_format(client):
    r = client.get("/api/export/xlsx")
    assert r.status_code == 400 and r.json()["parameter"] == "format"
    assert client.get("/api/export/csv?dyad=RUS").json()["parameter"] == "dyad"


# -- coding and ingesting ------------------------------------------------------------------------

@pytest.fixture()
def writable(tmp_path, examples_store_path, coder):
    """An app over a copy of the examples store, taking writes with TOKEN, sharing the session's coder."""
    db = tmp_path / "writable.duckdb"
    shutil.copy(examples_store_path, db)
    app = create_app(db, token=TOKEN)
    app.state.coder = coder
    return TestClient(app), db


def test_code_returns_the_events_of_a_text_and_stores_nothing(writable):
    client, db = writable
    before = client.get("/api/status").json()["counts"]
    r = client.post("/api/code", json={"text": "On Tuesday, Russian troops attacked Ukrainian positions near Kharkiv.",
                                       "date": "2024-03-07"})
    assert r.status_code == 200, r.text
    (event,) = [e for e in r.json()["events"] if e["cameo"].startswith("19")]
    assert event["source"]["code"].startswith("RUS") and event["date"] == "2024-03-05"
    assert client.get("/api/status").json()["counts"] == before


def test_the_coder_is_loaded_once_lazily(examples_store_path, monkeypatch, coder):
    import redline.pipeline
    made = []
    monkeypatch.setattr(redline.pipeline, "Coder", lambda: made.append(1) or coder)
    app = create_app(examples_store_path)
    client = TestClient(app)
    assert getattr(app.state, "coder", None) is None  # not at start
    for _ in range(3):
        assert client.post("/api/code", json={"text": "France met Germany."}).status_code == 200
    assert made == [1]


@pytest.mark.parametrize("body, name", [
    ({"text": "x" * 200_001}, "text"), ({"text": ""}, "text"), ({}, "text"), ({"text": "a", "date": "soon"}, "date"),
    ({"text": 5}, "text"), ({"text": "a", "date": 20240101}, "date"),
    ({"text": "a", "date": "0"}, "date"), ({"text": "a", "date": "20240101"}, "date"),  # (not timestamps)
])
def test_code_refuses_bad_or_oversized_input(writable, body, name):
    client, _ = writable
    r = client.post("/api/code", json=body)
    assert r.status_code == 400 and r.json()["parameter"] == name, r.text


DOCUMENTS = [
    {"id": "w1", "text": "On Monday, France condemned Germany over the trade dispute.", "date": "2024-05-06",
     "title": "France and Germany", "url": "https://example.org/w1", "source": "Example"},
    {"id": "w2", "text": "Police arrested 20 protesters in Paris on Sunday.", "date": "2024-05-06"},
]


def test_ingest_needs_the_token(writable, examples_store_path):
    client, db = writable
    assert client.post("/api/ingest", json=DOCUMENTS).status_code == 401
    assert client.post("/api/ingest", json=DOCUMENTS, headers={"authorization": "Bearer wrong"}).status_code == 401
    off = TestClient(create_app(db))
    assert off.post("/api/ingest", json=DOCUMENTS, headers=AUTH).status_code == 403
    assert client.get("/api/status").json()["counts"]["documents"] == 12


def test_ingest_stores_documents_once(writable):
    client, db = writable
    r = client.post("/api/ingest", json=DOCUMENTS, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json() == {"received": 2, "stored": 2, "skipped": 0, "mentions": r.json()["mentions"], "failed": []}
    assert r.json()["mentions"] >= 2
    counts = client.get("/api/status").json()["counts"]
    assert counts["documents"] == 14
    again = client.post("/api/ingest", json=[*DOCUMENTS, DOCUMENTS[0]], headers=AUTH).json()
    assert again["stored"] == 0 and again["skipped"] == 3
    assert client.get("/api/status").json()["counts"] == counts
    found = client.get("/api/events?text=protesters&from=2024-05-01").json()["events"]
    assert any("Paris" in e["evidence"] for e in found)


@pytest.mark.parametrize("body, name", [
    ([{"id": "a", "text": "France met Germany."}, {"id": "b"}], "1.text"),
    ([{"text": "France met Germany.", "date": "someday"}], "0.date"),
    ([{"text": "   "}], "0.text"),
    ([{"text": ["a"]}], "0.text"),
    ([], "body"),
    ([{"text": "a"}] * 101, "body"),
])
def test_ingest_refuses_bad_documents_naming_index_and_field(writable, body, name):
    client, _ = writable
    r = client.post("/api/ingest", json=body, headers=AUTH)
    assert r.status_code == 400 and r.json()["parameter"] == name, r.text
    assert client.get("/api/status").json()["counts"]["documents"] == 12  # nothing stored


def test_ingest_caps_the_text_of_one_request(writable):
    client, _ = writable
    big = [{"id": f"d{i}", "text": "France met Germany. " * 25_000} for i in range(5)]
    r = client.post("/api/ingest", json=big, headers=AUTH)
    assert r.status_code == 413 and "smaller requests" in r.json()["error"]


def test_ingest_into_a_store_another_process_writes_is_503(writable):
    import subprocess
    import sys
    client, db = writable
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('holding', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"holding\n"
        r = client.post("/api/ingest", json=DOCUMENTS, headers=AUTH)
        assert r.status_code == 503 and int(r.headers["retry-after"]) > 0
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


# -- SQL --------------------------------------------------------------------------------------------

def test_sql_is_off_by_default(client):
    r = client.get("/api/sql", params={"q": "SELECT 1"})
    assert r.status_code == 404 and "--sql" in r.json()["error"]


@pytest.fixture()
def sql_client(examples_store_path):
    return TestClient(create_app(examples_store_path, sql=True))


def test_sql_runs_a_select(sql_client, examples_store_path):
    r = sql_client.get("/api/sql", params={"q": "SELECT plover, count(*) AS n FROM events GROUP BY 1 ORDER BY 2 DESC, 1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == ["plover", "n"] and not body["truncated"]
    with Store(examples_store_path, read_only=True) as s:
        assert sum(n for _, n in body["rows"]) == s.counts()["events"]


@pytest.mark.parametrize("sql", [
    "COPY events TO '/tmp/redline-leak.csv'", "ATTACH '/tmp/other.duckdb' AS other", "INSTALL httpfs",
    "LOAD httpfs", "INSERT INTO alerts SELECT * FROM alerts", "DELETE FROM events", "CREATE TABLE t (a INT)",
    "SET enable_external_access = true", "SELECT * FROM read_csv('/etc/passwd')", "SELECT 1; SELECT 2",
    "SELEC 1",
])
def test_sql_refuses_what_is_not_a_read_of_the_store(sql_client, sql):
    r = sql_client.get("/api/sql", params={"q": sql})
    assert r.status_code == 400 and r.json()["parameter"] == "q", r.text
    assert not Path("/tmp/redline-leak.csv").exists()


def test_sql_has_a_time_limit_and_a_row_cap(examples_store_path):
    app = create_app(examples_store_path, sql=True)
    app.state.settings = dataclasses.replace(app.state.settings, sql_timeout=0.5, sql_rows=100)
    client = TestClient(app)
    r = client.get("/api/sql", params={"q": "SELECT count(*) FROM range(100000000) a, range(100000000) b "
                                            "WHERE a.range * b.range = -1"})
    assert r.status_code == 400 and "stopped after 0.5 s" in r.json()["error"]
    r = client.get("/api/sql", params={"q": "SELECT * FROM range(150)"}).json()
    assert r["truncated"] is True and len(r["rows"]) == 100
    r = client.get("/api/sql", params={"q": "SELECT * FROM range(100)"}).json()
    assert r["truncated"] is False and len(r["rows"]) == 100
    assert client.get("/api/status").status_code == 200  # the store opens normally after the sandbox


def test_sql_and_other_requests_at_once_do_not_clash(examples_store_path):
    """The sandbox (other DuckDB settings) and plain reads open the same file in one process; the
    server's lock keeps them apart, so none fails."""
    from conftest import serving
    import httpx
    with serving(create_app(examples_store_path, sql=True)) as url:
        failures: list[str] = []

        def hit(path: str, params: dict) -> None:
            for _ in range(8):
                r = httpx.get(url + path, params=params, timeout=60)
                if r.status_code != 200:
                    failures.append(f"{path} {r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=hit, args=(p, q)) for p, q in [
            ("/api/sql", {"q": "SELECT count(*) FROM events"}), ("/api/sql", {"q": "SELECT * FROM mentions"}),
            ("/api/events", {"limit": "20"}), ("/api/status", {}), ("/events", {}), ("/api/events", {"type": "19"})]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []


# -- pages ------------------------------------------------------------------------------------------

def test_the_events_page_shows_the_filtered_events_and_links_its_twin(client, examples_store_path):
    r = client.get("/events?type=ASSAULT&actor=")  # an empty form field is no filter
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    keys = set(re.findall(r'href="/events/([0-9a-f]+)"', r.text))
    assert keys == _keys_in_store(examples_store_path, {"type": "ASSAULT"})
    assert 'href="/api/events?type=ASSAULT"' in r.text
    for name in PARAMETERS:
        assert f'name="{name}"' in r.text
    assert 'value="ASSAULT"' in r.text  # the form keeps what was chosen


def test_the_events_page_facets_add_their_filter(client, examples_store_path):
    page = client.get("/events?actor=RUS").text
    link = re.search(r'href="(/events\?actor=RUS&amp;type=[A-Z]+)"', page)
    assert link
    narrowed = client.get(html.unescape(link.group(1))).text
    chosen = dict(p.split("=") for p in html.unescape(link.group(1)).split("?")[1].split("&"))
    assert set(re.findall(r'href="/events/([0-9a-f]+)"', narrowed)) == _keys_in_store(examples_store_path, chosen)


def test_the_events_page_pages_with_the_cursor(client, examples_store_path):
    url, keys = "/events?limit=25&sort=n_mentions", []
    while url:
        page = client.get(url).text
        keys += re.findall(r'href="/events/([0-9a-f]+)"', page)
        found = re.search(r'href="([^"]+)" rel="next"', page)
        url = html.unescape(found.group(1)) if found else None
    assert len(keys) == len(set(keys)) == len(_keys_in_store(examples_store_path, {}))


def test_the_events_page_answers_a_bad_filter_with_a_400_page(client):
    r = client.get("/events?dyad=RUS", headers={"accept": "text/html"})
    assert r.status_code == 400 and "must be SOURCE:TARGET" in r.text and r.headers["content-type"].startswith("text/html")


def test_the_event_page_highlights_the_evidence(client):
    key = client.get("/api/events?dyad=ISR:IRN&type=ASSAULT&limit=1").json()["events"][0]["event_key"]
    page = client.get(f"/events/{key}").text
    detail = client.get(f"/api/events/{key}").json()
    m = detail["mentions"][0]
    assert f'<mark class="source" title="source">{m["source_text"]}</mark>' in page
    assert f'<mark class="target" title="target">{m["target_text"]}</mark>' in page
    assert '<mark class="event"' in page
    assert str(escape(m["explanation"])) in page
    assert f'href="/api/events/{key}"' in page
    assert client.get("/events/0000", headers={"accept": "text/html"}).status_code == 404


def test_highlight_marks_dates_and_keeps_the_text():
    from redline.serve.pages.events import highlight
    text = "On Tuesday, <b>Russian troops</b> attacked Ukrainian positions."
    pieces = highlight(text, {"source_text": "Russian troops", "target_text": "Ukrainian positions",
                              "date_text": "Tuesday", "explanation": "'attacked': attack -> 190"})
    assert "".join(p for p, _ in pieces) == text
    assert dict((k, p) for p, k in pieces if k) == {"date": "Tuesday", "source": "Russian troops",
                                                     "event": "attacked", "target": "Ukrainian positions"}


# -- hostile text -----------------------------------------------------------------------------------

HOSTILE = [
    {"id": "h1", "text": "Russian troops attacked Ukrainian positions near Kharkiv <script>alert(1)</script> on Tuesday.",
     "date": "2024-03-07", "title": "<script>alert(1)</script> title", "url": "javascript:alert(1)", "source": "x\"y"},
    {"id": "h2", "text": '=HYPERLINK("http://evil") Russian troops attacked <img src=x onerror=alert(1)> Ukraine on Monday.',
     "date": "2024-03-08", "title": '"><img src=x onerror=alert(1)>', "url": " JavaScript:alert(2)"},
    {"id": "h3", "text": "@SUM(1) France condemned \"Germany\" over the 'trade' dispute on Friday.",
     "date": "2024-03-09", "title": "+cmd|' /C calc'!A0", "url": "https://example.org/?a=1&b=<x>"},
]
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><img']


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, coder):
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    Store(db).close()
    app = create_app(db, token=TOKEN)
    app.state.coder = coder
    client = TestClient(app)
    r = client.post("/api/ingest", json=HOSTILE, headers=AUTH)
    assert r.status_code == 200 and r.json()["stored"] == 3, r.text
    return client


def test_hostile_text_is_escaped_on_every_page(hostile):
    events = hostile.get("/api/events?limit=100").json()["events"]
    assert len(events) >= 3
    pages = [hostile.get("/events").text] + [hostile.get(f"/events/{e['event_key']}").text for e in events]
    shown = "".join(pages)
    for payload in PAYLOADS:
        assert payload not in shown
    assert str(escape("<script>alert(1)</script>")) in shown
    assert str(escape("<img src=x onerror=alert(1)>")) in shown
    assert "<script>" not in shown.replace('<script src="/static/redline.js" defer></script>', "")
    hrefs = re.findall(r'href\s*=\s*"([^"]*)"', shown, flags=re.I)
    assert hrefs and not [h for h in hrefs if html.unescape(h).strip().lower().startswith(("javascript:", "data:"))]
    assert 'href="https://example.org/?a=1&amp;b=&lt;x&gt;" rel="noopener noreferrer"' in shown


def test_hostile_cells_cannot_run_as_formulas(hostile):
    for url in ("/api/export/csv", "/api/events?format=csv&limit=100"):
        r = hostile.get(url)
        assert r.status_code == 200
        cells = [c for row in csv.reader(io.StringIO(r.text)) for c in row]
        assert any("HYPERLINK" in c for c in cells) and any("SUM(1)" in c for c in cells), url
        assert any(c.startswith("'=HYPERLINK") for c in cells), url  # neutralised, not dropped
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@") and not _number(c)], url


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
