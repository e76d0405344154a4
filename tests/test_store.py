"""The store end to end: ingest, merge, query, exports, Parquet round trip, locking, bad input."""
from __future__ import annotations

import csv
import json
import random
from datetime import date
from pathlib import Path

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


def _coded_examples():
    """What the coder gives for the examples, one document at a time (the same model the ingest used)."""
    from redline import Document, read
    from redline.pipeline import default_coder
    documents = [d for d in read([str(EXAMPLES)]) if isinstance(d, Document)]
    return list(default_coder().code_documents(documents))


MENTION_FIELDS = ("doc_id", "sentence_index", "span_start", "span_end", "evidence", "date", "date_precision",
                  "source_code", "source_text", "target_code", "target_text", "cameo", "quad_class", "goldstein",
                  "modality", "reported_by_code", "location_name", "location_country", "lat", "lon")


def _as_mention(e) -> tuple:
    d = e.to_dict()
    src, tgt, rep, loc = d["source"] or {}, d["target"] or {}, d["reported_by"] or {}, d["location"] or {}
    return (d["doc_id"], d["sentence_index"], d["span"][0], d["span"][1], d["evidence"],
            date.fromisoformat(d["date"]) if d["date"] else None, d["date_precision"], src.get("code"),
            src.get("text"), tgt.get("code"), tgt.get("text"), d["cameo"], d["quad_class"], d["goldstein"],
            d["modality"], rep.get("code"), loc.get("name"), loc.get("country"), loc.get("lat"), loc.get("lon"))


def test_ingest_stores_documents_mentions_and_events(store_path):
    coded = _coded_examples()
    with Store(store_path, read_only=True) as s:
        counts = s.counts()
        assert counts["documents"] == len(list(EXAMPLES.glob("*.txt"))) == 12
        # every coded event is one mention, with what the coder said, place included
        stored = sorted(s.sql(f"SELECT {', '.join(MENTION_FIELDS)} FROM mentions").fetchall(), key=repr)
        expected = sorted((_as_mention(e) for _, events in coded for e in {e.event_id: e for e in events}.values()),
                          key=repr)  # one mention per distinct event id (two triggers may tell alike)
        assert stored == expected
        assert any(m[MENTION_FIELDS.index("lat")] is not None for m in stored), "some example event is located"
        # every mention belongs to an event, and the counts agree
        assert s.sql("SELECT count(*) FROM mentions WHERE event_key IS NULL").fetchall() == [(0,)]
        assert s.sql("SELECT sum(n_mentions) FROM events").fetchall()[0][0] == counts["mentions"]
        assert counts["events"] <= counts["mentions"]
        # the main events a careful coder records (examples/README.md)
        facts = s.sql("SELECT d.doc_id, e.source_country, e.target_country, e.cameo_root, e.quad_class, e.date "
                      "FROM events e JOIN mentions m USING (event_key) JOIN documents d ON d.doc_key = m.doc_key "
                      "WHERE e.modality = 'factual' AND e.date_precision = 'day'").fetchall()
    assert any(f[:3] == ("01_russia_invades_ukraine", "RUS", "UKR") and f[4] == 4 and f[5] == date(2022, 2, 24)
               for f in facts), "Russia's assault on Ukraine on 2022-02-24"
    assert any(f[:4] == ("01_russia_invades_ukraine", "USA", "RUS", "16") and f[5] == date(2022, 2, 24)
               for f in facts), "US sanctions on Russia on 2022-02-24"
    assert any(f[:3] == ("05_iran_attacks_israel", "IRN", "ISR") and f[4] == 4
               and f[5] in (date(2024, 4, 13), date(2024, 4, 14)) for f in facts), "Iran's attack on Israel"


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


def _query(db, *options) -> list[dict]:
    """`redline query` with filters, every matching event, as records."""
    p = run_cli("query", "--db", str(db), "--format", "jsonl", "--limit", "0", *options)
    assert p.returncode == 0, p.stderr.decode()
    return [json.loads(line) for line in p.stdout.decode().splitlines()]


def _selected(db, where: str, params=()) -> list[tuple]:
    """The events matching a WHERE clause written here by hand, as (date, cameo, source, target, evidence)."""
    with Store(db, read_only=True) as s:
        rows = s.sql(f"SELECT date, cameo, source_code, target_code, evidence FROM events WHERE {where}",
                     list(params)).fetchall()
    return sorted(((str(d) if d else None, c, src, tgt, ev) for d, c, src, tgt, ev in rows), key=repr)


def _as_selected(rows: list[dict]) -> list[tuple]:
    return sorted(((r["date"], r["cameo"], r["source_code"], r["target_code"], r["evidence"]) for r in rows), key=repr)


@pytest.mark.parametrize("options, where, params", [
    (("--root", "19"), "cameo LIKE '19%'", ()),
    (("--root", "18,19"), "cameo_root IN ('18', '19')", ()),
    (("--quad", "4"), "quad_class = 4", ()),
    (("--quad", "verbal_conflict", "--quad", "1"), "quad_class IN (1, 3)", ()),
    (("--country", "UKR"), "location_country = 'UKR' OR target_country = 'UKR'", ()),
    (("--text", "SANCTIONS"), "evidence ILIKE '%sanctions%'", ()),
    (("--source", "RUS", "--target", "UKR"), "source_country = 'RUS' AND target_country = 'UKR'", ()),
    (("--modality", "negated,hypothetical"), "modality IN ('negated', 'hypothetical')", ()),
    (("--reported-by", "none"), "event_key IN (SELECT event_key FROM mentions WHERE reported_by_code IS NULL)", ()),
    (("--reported-by", "rus"), "event_key IN (SELECT event_key FROM mentions WHERE reported_by_code LIKE 'RUS%')", ()),
    (("--place", "ISRAEL"), "location_name ILIKE '%israel%'", ()),
    (("--root", "19", "--from", "2024", "--to", "2024-04"), "cameo LIKE '19%' AND date BETWEEN ? AND ?",
     (date(2024, 1, 1), date(2024, 4, 30))),
])
def test_query_takes_every_read_model_filter(store_path, options, where, params):
    expected = _selected(store_path, where, params)
    assert expected, f"the examples have events where {where}"
    rows = _query(store_path, *options)
    assert _as_selected(rows) == expected
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates, reverse=True)  # newest first (--sort -date)


def test_query_sorts_and_pages(store_path, monkeypatch):
    by_mentions = _query(store_path, "--sort", "n_mentions")
    assert [r["n_mentions"] for r in by_mentions] == sorted(r["n_mentions"] for r in by_mentions)
    everything = _query(store_path)
    assert len(everything) == _selected(store_path, "TRUE").__len__() > 30
    first = _query(store_path, "--limit", "30")
    from redline.store import read
    monkeypatch.setattr(read, "MAX_LIMIT", 7)  # pages of 7: --limit 0 and --limit 30 read page after page
    assert _query(store_path) == everything
    assert _query(store_path, "--limit", "30") == first == everything[:30]
    bad = run_cli("query", "--db", str(store_path), "--sort", "colour")
    assert bad.returncode == 2 and "--sort: 'colour': sort by date" in bad.stderr.decode()


@pytest.mark.parametrize("options, message", [
    (("--quad", "7"), "--quad: '7' is not a quad class"),
    (("--root", "21"), "--root: '21' is not a CAMEO root"),
    (("--country", "Ukraine"), "--country: 'UKRAINE' is not a country code"),
    (("--modality", "perhaps"), "--modality: 'perhaps' is not one of"),
    (("--reported-by", "12"), "--reported-by: '12' is not an actor code"),
    (("--text", "x" * 300), "--text: longer than 200 characters"),
    (("--dyad", "RUS:UKR", "--source", "FRA"), "--dyad: give a dyad, or source/target/actor, not both"),
    (("--from", "2024-13"), "--from: '2024-13' is not a date"),
])
def test_a_bad_filter_names_its_option(store_path, options, message):
    for command in (("query",), ("export", "csv", "-o", "-")):
        p = run_cli(*command, "--db", str(store_path), *options)
        assert p.returncode == 2 and p.stdout == b""
        assert p.stderr.decode().startswith(f"error: {message}")


def test_trend_and_report_read_their_filters_the_same_way(store_path, tmp_path):
    bad_date = run_cli("trend", "--db", str(store_path), "--dyad", "RUS:UKR", "--from", "2024-13")
    assert bad_date.returncode == 2 and "--from: '2024-13' is not a date" in bad_date.stderr.decode()
    both = run_cli("report", "--db", str(store_path), "--dyad", "RUS:UKR", "--actor", "RUS", "-o", str(tmp_path / "r.html"))
    assert both.returncode == 2 and "give --dyad SOURCE:TARGET or --actor CODE" in both.stderr.decode()
    either = run_cli("trend", "--db", str(store_path), "--actor", "RUS", "--include-claims", "--undirected")
    assert either.returncode == 0 and either.stdout.decode().startswith("RUS (either side) per week")
    assert run_cli("trend", "--db", str(store_path), "--actor", "RUS", "--quad", "4").returncode == 2  # not a trend option


def test_export_takes_the_new_filters(store_path, tmp_path):
    out = tmp_path / "conflict.csv"
    p = run_cli("export", "csv", "-o", str(out), "--db", str(store_path), "--quad", "4", "--country", "UKR")
    assert p.returncode == 0, p.stderr.decode()
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    expected = _selected(store_path, "quad_class = 4 AND (location_country = 'UKR' OR target_country = 'UKR')")
    assert expected and len(rows) == len(expected) and {r["quad_class"] for r in rows} == {"4"}
    sql_and_filters = run_cli("query", "--db", str(store_path), "SELECT 1", "--root", "19")
    assert sql_and_filters.returncode == 2 and "give SQL or filters, not both" in sql_and_filters.stderr.decode()


# --- exports: the events of a hand-made store against the formats' documentation -------------

# GDELT 2.0 event table, in its order (GDELT Event Codebook V2.0: 61 fields)
GDELT_HEADER = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]
# ICEWS coded event files (Harvard Dataverse), in their order
ICEWS_HEADER = ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
                "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
                "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude"]
# POLECAT's weekly files (Harvard Dataverse), in their order: 40 columns
POLECAT_COLUMNS = ["Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
                   "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
                   "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name", "Recipient Country", "Recipient COW",
                   "Primary Recipient Sector", "Recipient Sectors", "Recipient Title", "Recipient Name Raw",
                   "Wikipedia Recipient ID", "Placename", "City", "District", "Province", "Country", "Latitude",
                   "Longitude", "GeoNames ID", "Raw Placename", "Feature Type", "Source", "Publication Date",
                   "Story People", "Story Organizations", "Story Locations", "Language", "Version"]


def read_foreign(path, fmt):
    """A GDELT, ICEWS or POLECAT file read as their documentation describes it: tab-separated, no
    quoting, a fixed number of columns; GDELT's files have no header row, the others one."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    header = GDELT_HEADER if fmt == "gdelt" else rows.pop(0)
    assert all(len(r) == len(header) for r in rows), [len(r) for r in rows]
    return header, [dict(zip(header, r)) for r in rows]

ARREST = "Pakistani police detained Afghan refugees in Lahore on Monday."
THREAT = "Putin warned NATO against sending troops."


def _hand_made_store(path):
    """Two reports of one arrest in Lahore (two publishers, the same day) and a threat against
    NATO; every value written here by hand (CAMEO 173: Goldstein -5, quad class 4, PLOVER COERCE
    arrest; CAMEO 138: -7, quad class 3, THREATEN violence)."""
    from redline import Actor, Document, Event
    from redline.store import coded_rows

    def arrest(doc_id):
        return Event(doc_id=doc_id, sentence_index=0, span=(0, len(ARREST)), evidence=ARREST, cameo="173",
                     cameo_root="17", cameo_name="Arrest, detain, or charge with legal action", plover="COERCE",
                     plover_mode="arrest", quad_class=4, goldstein=-5.0,
                     source=Actor("Pakistani police", "PAKCOP", "PAK", "COP"),
                     target=Actor("Afghan refugees", "AFGREF", "AFG", "REF"), date="2024-03-18",
                     date_precision="day", date_text="Monday",
                     location={"name": "Lahore", "country": "PAK", "lat": 31.558, "lon": 74.3507}, trigger="detained")

    start = len(ARREST) + 1
    threat = Event(doc_id="a", sentence_index=1, span=(start, start + len(THREAT)), evidence=THREAT, cameo="138",
                   cameo_root="13", cameo_name="Threaten with military force", plover="THREATEN",
                   plover_mode="violence", quad_class=3, goldstein=-7.0,
                   source=Actor("Putin", "RUSGOV", "RUS", "GOV", "Vladimir Putin"),
                   target=Actor("NATO", "IGOWSTNAT", None, None), date="2024-03-19", date_precision="document",
                   trigger="warned")
    a = Document("a", ARREST + " " + THREAT, date(2024, 3, 19), url="https://wire-a.example/lahore", source="Wire A")
    b = Document("b", ARREST, date(2024, 3, 19), url="https://wire-b.example/lahore", source="Wire B")
    with Store(path) as s:
        s.add([coded_rows(a, [arrest("a"), threat]), coded_rows(b, [arrest("b")])])
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """format -> (header, {EventCode or CAMEO Code: row as a dict})"""
    folder = tmp_path_factory.mktemp("exports")
    db = _hand_made_store(folder / "hand.duckdb")
    out = {}
    for fmt, code_column in (("gdelt", "EventCode"), ("icews", "CAMEO Code"), ("polecat", None)):
        path = folder / f"events.{fmt}.tsv"
        p = run_cli("export", fmt, "-o", str(path), "--db", str(db))
        assert p.returncode == 0, p.stderr.decode()
        header, records = read_foreign(path, fmt)
        assert len(records) == 2, records  # the two events (the arrest merged from two articles)
        key = code_column or "Event Type"
        out[fmt] = (header, {r[key]: r for r in records})
    return out


def test_gdelt_export(exported):
    header, by_code = exported["gdelt"]
    assert header == GDELT_HEADER
    arrest, threat = by_code["173"], by_code["138"]
    assert arrest["GLOBALEVENTID"].isdigit() and threat["GLOBALEVENTID"].isdigit()
    assert arrest["GLOBALEVENTID"] != threat["GLOBALEVENTID"]
    assert (arrest["SQLDATE"], arrest["MonthYear"], arrest["Year"]) == ("20240318", "202403", "2024")
    assert abs(float(arrest["FractionDate"]) - (2024 + 77 / 365)) < 0.003  # 18 March: 77 days of the year gone
    assert [arrest[f"Actor1{c}"] for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "Type1Code")] == \
        ["PAKCOP", "PAKISTANI POLICE", "PAK", "", "COP"]
    assert [arrest[f"Actor2{c}"] for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "Type1Code")] == \
        ["AFGREF", "AFGHAN REFUGEES", "AFG", "", "REF"]
    assert [arrest[c] for c in ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass")] == \
        ["1", "173", "173", "17", "4"]
    assert float(arrest["GoldsteinScale"]) == -5.0
    assert [arrest[c] for c in ("NumMentions", "NumSources", "NumArticles")] == ["2", "2", "2"]
    # 4: a world city; "Town, Division, Country" as GDELT writes it; FIPS 10-4 PK
    assert (arrest["ActionGeo_Type"], arrest["ActionGeo_FullName"], arrest["ActionGeo_CountryCode"]) == \
        ("4", "Lahore, Pakistan", "PK")
    assert (float(arrest["ActionGeo_Lat"]), float(arrest["ActionGeo_Long"])) == (31.558, 74.3507)
    assert arrest["SOURCEURL"] in ("https://wire-a.example/lahore", "https://wire-b.example/lahore")
    assert len(arrest["DATEADDED"]) == 14 and arrest["DATEADDED"].startswith("20")
    # the threat: a person's name, an IGO target, the second sentence, no place
    assert (threat["SQLDATE"], threat["Actor1Name"], threat["Actor1CountryCode"]) == ("20240319", "VLADIMIR PUTIN", "RUS")
    assert (threat["Actor2Code"], threat["Actor2CountryCode"]) == ("IGOWSTNAT", "")
    assert [threat[c] for c in ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass")] == \
        ["0", "138", "138", "13", "3"]
    assert float(threat["GoldsteinScale"]) == -7.0
    assert [threat[c] for c in ("NumMentions", "NumSources", "NumArticles")] == ["1", "1", "1"]
    assert threat["SOURCEURL"] == "https://wire-a.example/lahore"
    # what Redline does not know stays empty
    for record in (arrest, threat):
        assert all(record[c] == "" for c in GDELT_HEADER if "Geo_" in c and not c.startswith("ActionGeo")
                   or c in ("AvgTone", "Actor1EthnicCode", "Actor2Religion1Code", "Actor1Type2Code"))
    assert all(threat[c] == "" for c in ("ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_Lat", "ActionGeo_Long"))


def test_gdelt_known_group_is_the_organisations_own_code(exported):
    # GDELT: "if Actor2 is a known IGO/NGO/rebel organization with its own CAMEO code, this field
    # contains that code": NATO's is NAT (IGO + WST region + NAT), the EU's EEC, the UN's UNO
    _, by_code = exported["gdelt"]
    assert by_code["138"]["Actor2KnownGroupCode"] == "NAT"


def test_icews_export(exported):
    header, by_code = exported["icews"]
    assert header == ICEWS_HEADER
    arrest, threat = by_code["173"], by_code["138"]
    assert [arrest[c] for c in ("Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
                                "Intensity", "Target Name", "Target Sectors", "Target Country")] == \
        ["2024-03-18", "Pakistani police", "COP", "Pakistan", "Arrest, detain, or charge with legal action", "-5.0",
         "Afghan refugees", "REF", "Afghanistan"]
    assert arrest["Publisher"] in ("Wire A", "Wire B") and arrest["Story ID"]
    assert [arrest[c] for c in ("City", "District", "Province", "Country")] == ["Lahore", "", "", "Pakistan"]
    assert (float(arrest["Latitude"]), float(arrest["Longitude"])) == (31.558, 74.3507)
    assert [threat[c] for c in ("Event Date", "Source Name", "Source Country", "Event Text", "Intensity",
                                "Target Name", "Target Country", "Publisher", "City", "Country", "Latitude")] == \
        ["2024-03-19", "Vladimir Putin", "Russia", "Threaten with military force", "-7.0", "NATO", "", "Wire A",
         "", "", ""]
    assert int(threat["Sentence Number"]) == int(arrest["Sentence Number"]) + 1
    assert arrest["Event ID"].isdigit() and arrest["Event ID"] != threat["Event ID"]


def test_polecat_export(exported):
    header, by_type = exported["polecat"]
    assert header == POLECAT_COLUMNS
    arrest, threat = by_type["COERCE"], by_type["THREATEN"]
    assert [arrest[c] for c in ("Publication Date", "Event Date", "Event Mode", "Quad Code", "Contexts", "Actor Name",
                                "Actor Country", "Primary Actor Sector", "Actor Name Raw", "Recipient Name",
                                "Recipient Country", "Primary Recipient Sector", "Recipient Name Raw")] == \
        ["2024-03-19", "2024-03-18", "arrest", "4", "legal", "Pakistani police", "Pakistan", "COP", "Pakistani police",
         "Afghan refugees", "Afghanistan", "REF", "Afghan refugees"]
    assert float(arrest["Event Intensity"]) == -7.0  # PLOVER's score of COERCE arrest (manual, Table 2.2)
    assert [arrest[c] for c in ("Placename", "City", "Country", "Raw Placename")] == ["Lahore", "Lahore", "Pakistan", "Lahore"]
    assert (float(arrest["Latitude"]), float(arrest["Longitude"])) == (31.558, 74.3507)
    assert arrest["Source"] in ("Wire A", "Wire B")
    assert [threat[c] for c in ("Event Date", "Event Mode", "Quad Code", "Actor Name", "Actor Country",
                                "Actor Name Raw", "Recipient Name", "Recipient Country", "Placename", "Source",
                                "Publication Date", "Language", "Version")] == \
        ["2024-03-19", "violence", "3", "Vladimir Putin", "Russia", "Putin", "NATO", "", "", "Wire A", "2024-03-19",
         "en", "redline"]
    assert float(threat["Event Intensity"]) == -3.5  # THREATEN violence
    assert arrest["Event ID"] != threat["Event ID"]


def test_exports_write_every_stored_event(store_path, tmp_path):
    n = len(_events(store_path))
    with Store(store_path, read_only=True) as s:  # POLECAT's events all have a PLOVER type
        n_plover = s.sql("SELECT count(*) FROM events WHERE plover IS NOT NULL").fetchall()[0][0]
    for fmt, expected in (("gdelt", n), ("icews", n), ("polecat", n_plover)):
        out = tmp_path / f"events.{fmt}.tsv"
        assert run_cli("export", fmt, "-o", str(out), "--db", str(store_path)).returncode == 0
        assert len(read_foreign(out, fmt)[1]) == expected


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


@pytest.mark.slow
def test_the_ingest_program_ends_at_once_with_the_store_closed(tmp_path):
    """`redline ingest` as a program skips the interpreter's teardown: the store it closed is
    whole (read back read-only, no write-ahead log left), and a second run stores nothing twice."""
    db = tmp_path / "fast.duckdb"
    src = EXAMPLES / "01_russia_invades_ukraine.txt"
    p = run_cli_process("ingest", str(src), "--db", str(db), "-q")
    assert p.returncode == 0, p.stderr.decode()
    assert not Path(f"{db}.wal").exists()
    with Store(db, read_only=True) as s:
        first = s.counts()
    assert first["documents"] == 1 and first["events"] > 0
    p = run_cli_process("ingest", str(src), "--db", str(db))
    assert p.returncode == 0 and "skipped 1 already stored" in p.stderr.decode()
    with Store(db, read_only=True) as s:
        assert s.counts() == first


def test_bad_input_is_reported_and_stored_data_kept(store_path, tmp_path):
    db = tmp_path / "bad.duckdb"
    assert _ingest(db, EXAMPLES / "01_russia_invades_ukraine.txt").returncode == 0
    with Store(db, read_only=True) as s:
        n_before = s.counts()
    before = _events(db)
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_text(json.dumps({"id": "ok", "date": "2024-03-21",
                                  "text": "Israeli jets struck targets in Syria on Monday."}) + "\n"
                      + "{not json\n" + json.dumps({"id": "empty"}) + "\n", encoding="utf-8")
    p = run_cli("ingest", str(corpus), "--db", str(db))
    err = p.stderr.decode()
    assert p.returncode == 1 and f"{corpus}:2" in err and f"{corpus}:3" in err and "field 'text'" in err
    with Store(db, read_only=True) as s:
        after = s.counts()
        new = s.rows("SELECT e.* FROM events e JOIN documents d ON d.doc_key = e.first_doc_key WHERE d.doc_id = 'ok'")
    assert after["documents"] == n_before["documents"] + 1
    # the stored events are untouched, and the good line's strike is added, with its place
    assert set(before) <= set(_events(db)) and after["events"] == n_before["events"] + len(new)
    strike = [(e["source_country"], e["cameo_root"], e["target_country"], e["date"], e["location_name"],
               e["location_country"]) for e in new]
    assert ("ISR", "19", "SYR", date(2024, 3, 18), "Syria", "SYR") in strike, new
    [located] = [e for e in new if e["cameo_root"] == "19"]
    assert abs(located["lat"] - 33.51) < 0.1 and abs(located["lon"] - 36.29) < 0.1  # Damascus


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


def test_ingest_stores_the_coded_batches_a_batch_size_at_a_time(tmp_path, monkeypatch):
    """The engine's parse batches (cut to a quarter at the end of the input) are stored together,
    one transaction per batch_size documents: a transaction costs about the same whatever its size."""
    from redline.engines import CoderOptions, EngineSettings
    from redline.schema import Document
    from redline.store.ingest import ingest
    documents = [Document(id=f"d{i}", text=f"Russian troops shelled the Ukrainian town number {i} on Monday.",
                          date=date(2024, 3, 5)) for i in range(20)]
    sizes: list[int] = []
    add = Store.add

    def counting(self, coded, *args, **kwargs):
        sizes.append(len(coded))
        return add(self, coded, *args, **kwargs)
    monkeypatch.setattr(Store, "add", counting)
    settings = EngineSettings(workers=1, batch_size=8, coder=CoderOptions(batch_size=8))
    with Store(tmp_path / "grouped.duckdb") as store:
        stats = ingest(iter(documents), store, settings=settings)
        assert store.counts()["documents"] == 20
    assert stats.coded == stats.new_documents == 20
    assert sum(sizes) == 20 and all(n >= 8 for n in sizes[:-1]) and len(sizes) == 3, sizes
