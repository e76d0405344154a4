"""Exports of the store: Redline's own tables (Parquet, CSV, JSON lines), files shaped like
GDELT 2.0's event table, ICEWS's event files and POLECAT's, and PLOVER JSON records (see
``docs/exports.md`` for every column and what fills it). A column Redline has no value for is left
empty, never guessed.

Article text is the attacker's text: CSV and the tab-separated files neutralise text cells a
spreadsheet would run as formulas (unless ``raw_cells``), and the tab-separated files (written
without quoting, as GDELT's are) have no tab or line break inside a field.
"""
from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path
from typing import Callable

from ..output.safe import cell_sql, flat_sql
from ..registry import Registry
from . import Store
from .query import Filters

exporters: Registry = Registry("export format")

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *[f"Actor{i}{c}" for i in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *[f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")],
    "DATEADDED", "SOURCEURL",
]

# the events of the filter, with their first document and most confident mention
_BASE = """
WITH chosen AS (SELECT * FROM events WHERE {where}),
firsts AS (SELECT d.doc_key, d.url, d.title, d.publisher, d.published, d.ingested_at FROM documents d
           WHERE d.doc_key IN (SELECT first_doc_key FROM chosen)),
lead AS (SELECT m.event_key, min(m.sentence_index) AS first_sentence FROM mentions m
         WHERE m.event_key IN (SELECT event_key FROM chosen) GROUP BY m.event_key)
SELECT e.*, f.url, f.title, f.publisher, f.published, f.ingested_at, l.first_sentence,
       ('0x' || substr(e.event_key, 1, 15))::BIGINT AS numeric_id
FROM chosen e LEFT JOIN firsts f ON f.doc_key = e.first_doc_key LEFT JOIN lead l USING (event_key)
"""


def _base(store: Store, where: str) -> str:
    """The filtered events with their first document (``_BASE``). (A store of an older schema
    opened read-only has the newer columns too, empty: ``migrate.check_read_only``.)"""
    return _BASE.format(where=where)


def _places(store: Store) -> None:
    """Temporary tables of country names and FIPS 10-4 codes (GDELT's place country code)."""
    _country_names(store)
    text = (resources.files("redline.where") / "data" / "fips.csv").read_text("utf-8")
    rows = [(r["iso3"], r["fips"]) for r in csv.DictReader(text.splitlines())]
    store.sql("CREATE OR REPLACE TEMP TABLE country_fips (code VARCHAR, fips VARCHAR)").fetchall()
    store.con.executemany("INSERT INTO country_fips VALUES (?, ?)", rows)


# ICEWS's and POLECAT's place parts: the town, its district and province, as far as the place goes
PLACE_PARTS = (
    "CASE WHEN location_precision = 'town' OR location_precision IS NULL AND lat IS NOT NULL "
    "THEN location_name END AS \"City\"",  # a store of schema 4 has points but no precision
    "CASE WHEN location_precision = 'town' THEN location_admin2 END AS \"District\"",
    "CASE WHEN location_precision = 'admin1' THEN coalesce(location_admin1, location_name) "
    "WHEN location_precision = 'town' THEN location_admin1 END AS \"Province\"",
)
# GDELT's geographic resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world state
GDELT_GEO_TYPE = ("CASE WHEN location_precision = 'country' THEN 1 "
                  "WHEN location_precision = 'admin1' THEN CASE WHEN location_country = 'USA' THEN 2 ELSE 5 END "
                  "WHEN location_precision = 'town' OR location_precision IS NULL AND lat IS NOT NULL "
                  "THEN CASE WHEN location_country = 'USA' THEN 3 ELSE 4 END END")
# GDELT's ADM1 code: the country's FIPS 10-4 code and the division's, for a town or division whose
# GeoNames admin1 code has FIPS's shape (two letters or digits); not Switzerland's or Montenegro's,
# whose GeoNames codes are ISO 3166-2 (docs/exports.md lists what else differs from FIPS)
ADMIN1_NOT_FIPS = ("CHE", "MNE")
GDELT_ADM1 = ("CASE WHEN location_precision IN ('town', 'admin1') AND lf.fips IS NOT NULL "
              "AND regexp_full_match(location_admin1_code, '[A-Z0-9]{2}') AND location_admin1_code <> '00' "
              f"AND location_country NOT IN ({', '.join(repr(c) for c in ADMIN1_NOT_FIPS)}) "
              "THEN lf.fips || location_admin1_code END")
# GDELT's ADM2 code for a US town: the state's two letters and the county's 3-digit FIPS code
# (elsewhere GDELT has GAUL codes, which no table of Redline's holds)
GDELT_ADM2 = ("CASE WHEN location_precision = 'town' AND location_country = 'USA' "
              "AND regexp_full_match(location_admin1_code, '[A-Z]{2}') "
              "AND regexp_full_match(location_admin2_code, '[0-9]{3}') "
              "THEN location_admin1_code || location_admin2_code END")
# the place's feature id: its GeoNames id (GDELT's own are GNS/GNIS ids), a town's or a US state's
GEONAMES_ID = "CASE WHEN location_precision IN ('town', 'admin1') THEN location_geonameid END"
# "Town, Division, Country" as GDELT writes its full names (a part the place lacks left out)
PLACE_FULL_NAME = ("CASE WHEN location_name IS NOT NULL THEN concat_ws(', ', location_name, "
                   "CASE WHEN location_precision = 'town' AND location_admin1 <> location_name THEN location_admin1 END, "
                   "CASE WHEN location_precision <> 'country' OR location_precision IS NULL THEN lc.name END) END")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _safe_text(store: Store, select: str, params: list, cells: bool, flat: bool) -> str:
    """``select`` with its text (VARCHAR) columns neutralised for spreadsheets (``cells``) and
    flattened to one line (``flat``); numbers, dates and lists are left as they are."""
    columns = store.sql(f"SELECT * FROM ({select}) LIMIT 0", params).description
    exprs = []
    for name, kind, *_ in columns:
        expr = _q(name)
        if str(kind) == "VARCHAR":
            expr = flat_sql(expr) if flat else expr
            expr = cell_sql(expr) if cells else expr
        exprs.append(f"{expr} AS {_q(name)}")
    return f"SELECT {', '.join(exprs)} FROM ({select})"


def _copy(store: Store, select: str, params: list, path: Path, fmt: str, raw_cells: bool = False,
          header: bool = True) -> int:
    """Write ``select`` to ``path``. ``tsv`` is a plain tab-separated file: no quoting, no tab or
    line break inside a field (as GDELT's files and their readers have it)."""
    options = {"csv": "FORMAT csv, HEADER true", "tsv": f"FORMAT csv, DELIMITER '\t', QUOTE '', HEADER {header}",
               "jsonl": "FORMAT json", "parquet": "FORMAT parquet"}[fmt]
    if fmt in ("csv", "tsv"):
        select = _safe_text(store, select, params, cells=not raw_cells, flat=fmt == "tsv")
    path.parent.mkdir(parents=True, exist_ok=True)
    store.sql(f"COPY ({select}) TO '{str(path).replace(chr(39), chr(39) * 2)}' ({options})", params).fetchall()
    return store.sql(f"SELECT count(*) FROM ({select})", params).fetchall()[0][0]


def _country_names(store: Store) -> None:
    """A temporary table of country names (ICEWS and POLECAT give names, not codes)."""
    text = (resources.files("redline.actors") / "data" / "countries.csv").read_text("utf-8")
    rows = [(r["code"], r["name"]) for r in csv.DictReader(text.splitlines())]
    store.sql("CREATE OR REPLACE TEMP TABLE country_names (code VARCHAR, name VARCHAR)").fetchall()
    store.con.executemany("INSERT INTO country_names VALUES (?, ?)", rows)


def _with_names(columns: list[str], base: str, joins: str = "") -> str:
    """The export SELECT over ``base`` (:func:`_base`) with country names for source (sc), target
    (tc) and place (lc), and the place's FIPS code (lf)."""
    return (f"SELECT {', '.join(columns)} FROM ({base}) e {joins}"
            "LEFT JOIN country_names sc ON sc.code = e.source_country "
            "LEFT JOIN country_names tc ON tc.code = e.target_country "
            "LEFT JOIN country_names lc ON lc.code = e.location_country "
            "LEFT JOIN country_fips lf ON lf.code = e.location_country")


def _table_exporter(fmt: str) -> Callable:
    def export(store: Store, filters: Filters, path: Path, table: str = "events", raw_cells: bool = False,
               header: bool = False) -> int:
        where, params = filters.where("events")
        if table == "events":
            select = f"SELECT * FROM events WHERE {where}"
        elif table == "mentions":
            select = f"SELECT * FROM mentions WHERE event_key IN (SELECT event_key FROM events WHERE {where})"
        else:
            select = ("SELECT * FROM documents WHERE doc_key IN (SELECT doc_key FROM mentions WHERE event_key IN "
                      f"(SELECT event_key FROM events WHERE {where}))")
        return _copy(store, select, params, path, fmt, raw_cells)
    return export


for _fmt in ("csv", "jsonl"):
    exporters.register(_fmt)(_table_exporter(_fmt))


@exporters.register("parquet")
def export_parquet(store: Store, filters: Filters, path: Path, table: str = "events", raw_cells: bool = False,
                   header: bool = False) -> int:
    """A folder with documents.parquet, mentions.parquet and events.parquet: everything needed
    to rebuild the same events elsewhere (``redline import FOLDER``)."""
    path.mkdir(parents=True, exist_ok=True)
    n = 0
    for name in ("documents", "mentions", "events"):
        count = _table_exporter("parquet")(store, filters, path / f"{name}.parquet", name)
        n = count if name == "events" else n
    return n


@exporters.register("gdelt")
def export_gdelt(store: Store, filters: Filters, path: Path, table: str = "events", raw_cells: bool = False,
                 header: bool = False) -> int:
    """GDELT 2.0 event table: its 61 columns in its order, tab-separated, no quoting, and no header
    row (as GDELT's own files) unless ``header``."""
    where, params = filters.where("events")
    def actor(i: int, side: str) -> list[str]:
        return [
            f"{side}_code AS Actor{i}Code", f"upper(coalesce({side}_name, {side}_text)) AS Actor{i}Name",
            f"{side}_country AS Actor{i}CountryCode",
            # the organisation's own block, the code's last three letters: NATO (IGOWSTNAT) is NAT,
            # the EU (IGOEUREEC) EEC, the UN (IGOUNO) UNO, Amnesty (NGOHRIAMN) AMN
            f"CASE WHEN {side}_code LIKE 'IGO%' OR {side}_code LIKE 'NGO%' THEN right({side}_code, 3) END "
            f"AS Actor{i}KnownGroupCode",
            f"NULL AS Actor{i}EthnicCode", f"NULL AS Actor{i}Religion1Code", f"NULL AS Actor{i}Religion2Code",
            f"{side}_sector AS Actor{i}Type1Code", f"NULL AS Actor{i}Type2Code", f"NULL AS Actor{i}Type3Code",
        ]
    geo_empty = lambda g: [f"NULL AS {g}_{c}" for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code",  # noqa: E731
                                                        "Lat", "Long", "FeatureID")]
    columns = [
        "numeric_id AS GLOBALEVENTID", "strftime(date, '%Y%m%d')::INTEGER AS SQLDATE",
        "strftime(date, '%Y%m')::INTEGER AS MonthYear", "year(date) AS Year",
        "round(year(date) + (dayofyear(date) - 1) / 365.0, 4) AS FractionDate",
        *actor(1, "source"), *actor(2, "target"),
        "CASE WHEN first_sentence = 0 THEN 1 ELSE 0 END AS IsRootEvent", "cameo AS EventCode",
        "substr(cameo, 1, 3) AS EventBaseCode", "cameo_root AS EventRootCode", "quad_class AS QuadClass",
        "goldstein AS GoldsteinScale", "n_mentions AS NumMentions", "n_sources AS NumSources",
        "n_articles AS NumArticles", "NULL AS AvgTone",
        *geo_empty("Actor1Geo"), *geo_empty("Actor2Geo"),
        f"{GDELT_GEO_TYPE} AS ActionGeo_Type", f"{PLACE_FULL_NAME} AS ActionGeo_FullName",
        "lf.fips AS ActionGeo_CountryCode", f"{GDELT_ADM1} AS ActionGeo_ADM1Code",
        f"{GDELT_ADM2} AS ActionGeo_ADM2Code", "lat AS ActionGeo_Lat", "lon AS ActionGeo_Long",
        f"{GEONAMES_ID}::VARCHAR AS ActionGeo_FeatureID",
        "strftime(ingested_at, '%Y%m%d%H%M%S') AS DATEADDED", "url AS SOURCEURL",
    ]
    _places(store)
    select = _with_names(columns, _base(store, where))
    return _copy(store, select, params, path, "tsv", raw_cells, header)


@exporters.register("icews")
def export_icews(store: Store, filters: Filters, path: Path, table: str = "events", raw_cells: bool = False,
                 header: bool = False) -> int:
    """ICEWS coded-event columns, tab-separated with a header row (as ICEWS's files)."""
    _places(store)
    where, params = filters.where("events")
    columns = [
        "numeric_id AS \"Event ID\"", "date AS \"Event Date\"",
        "coalesce(source_name, source_text) AS \"Source Name\"", "source_sector AS \"Source Sectors\"",
        "sc.name AS \"Source Country\"", "cameo_name AS \"Event Text\"", "cameo AS \"CAMEO Code\"",
        "goldstein AS \"Intensity\"", "coalesce(target_name, target_text) AS \"Target Name\"",
        "target_sector AS \"Target Sectors\"", "tc.name AS \"Target Country\"", "first_doc_key AS \"Story ID\"",
        "first_sentence AS \"Sentence Number\"", "publisher AS \"Publisher\"",
        *PLACE_PARTS,
        "lc.name AS \"Country\"", "lat AS \"Latitude\"", "lon AS \"Longitude\"",
    ]
    _ontology(store)
    return _copy(store, _with_names(columns, _base(store, where), "LEFT JOIN ontology USING (cameo) "), params, path, "tsv",
                 raw_cells, header=True)


@exporters.register("polecat")
def export_polecat(store: Store, filters: Filters, path: Path, table: str = "events", raw_cells: bool = False,
                   header: bool = False) -> int:
    """POLECAT's 40 columns in its order, tab-separated with a header row (as POLECAT's files).
    PLOVER type, mode, contexts and intensity come from the CAMEO code through the ontology
    tables; events with no PLOVER type (CAMEO statements and appeals) are not POLECAT events."""
    _places(store)
    _ontology(store)
    where, params = filters.where("events")
    def actor(role: str, side: str) -> list[str]:
        return [
            f"coalesce({side}_name, {side}_text) AS \"{role} Name\"", f"{side[0]}c.name AS \"{role} Country\"",
            f"NULL AS \"{role} COW\"", f"{side}_sector AS \"Primary {role} Sector\"",
            f"{side}_sector AS \"{role} Sectors\"", f"NULL AS \"{role} Title\"", f"{side}_text AS \"{role} Name Raw\"",
            f"NULL AS \"Wikipedia {role} ID\"",
        ]
    columns = [
        "event_key AS \"Event ID\"", "date AS \"Event Date\"", "ont_type AS \"Event Type\"",
        "ont_mode AS \"Event Mode\"", "ont_score AS \"Event Intensity\"", "quad_class AS \"Quad Code\"",
        "ont_contexts AS \"Contexts\"", *actor("Actor", "source"), *actor("Recipient", "target"),
        "location_name AS \"Placename\"", *PLACE_PARTS, "lc.name AS \"Country\"", "lat AS \"Latitude\"",
        "lon AS \"Longitude\"", f"{GEONAMES_ID} AS \"GeoNames ID\"", "location_name AS \"Raw Placename\"",
        "location_precision AS \"Feature Type\"", "publisher AS \"Source\"", "published AS \"Publication Date\"",
        "NULL AS \"Story People\"", "NULL AS \"Story Organizations\"", "NULL AS \"Story Locations\"",
        "'en' AS \"Language\"", "'redline' AS \"Version\"",
    ]
    select = _with_names(columns, _base(store, where), "JOIN ontology USING (cameo) ") + " WHERE ont_type IS NOT NULL"
    return _copy(store, select, params, path, "tsv", raw_cells, header=True)


@exporters.register("plover")
def export_plover(store: Store, filters: Filters, path: Path, table: str = "events", raw_cells: bool = False,
                  header: bool = False) -> int:
    """PLOVER JSON records (the PLOVER manual's data fields), one per line: ``id``, ``date``,
    ``actor`` and ``event`` always; ``recipient``, ``mode``, ``context``, ``quad_code``,
    ``event_scale``, ``event_text``, ``event_loc`` and ``cite_info`` when known. An event lacking
    a required value (no PLOVER type, date or actor) is not written."""
    from .. import __version__
    _places(store)
    _ontology(store)
    where, params = filters.where("events")
    columns = ["event_key", "date", "source_code", "source_country", "source_sector", "source_text", "source_name",
               "target_code", "target_country", "target_sector", "target_text", "target_name", "ont_type",
               "ont_mode", "ont_contexts", "ont_score", "quad_class", "location_name", "location_country",
               "lc.name AS location_country_name", "lat", "lon", "location_admin1", "location_admin2",
               "location_precision", f"{GEONAMES_ID} AS geonameid", "url", "title", "publisher", "texts.event_text"]
    select = (_with_names(columns, _base(store, where), "JOIN ontology USING (cameo) ")
              + " LEFT JOIN (SELECT event_key, list(DISTINCT evidence ORDER BY evidence) AS event_text FROM mentions"
                f" WHERE event_key IN (SELECT event_key FROM events WHERE {where}) GROUP BY event_key) texts"
                " USING (event_key)"
              " WHERE ont_type IS NOT NULL AND date IS NOT NULL"
              " AND (source_code IS NOT NULL OR source_text IS NOT NULL) ORDER BY date, event_key")
    cur = store.sql(select, params + params)
    names = [c[0] for c in cur.description]
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        while rows := cur.fetchmany(10_000):
            for row in rows:
                out.write(json.dumps(_plover_record(dict(zip(names, row)), __version__), ensure_ascii=False) + "\n")
                n += 1
    return n


def _entity(r: dict, side: str) -> dict | None:
    """A PLOVER entity object: ``code`` is the top-level (country, else the code's first three
    letters, IGO for NATO's IGOWSTNAT), ``sector``, ``entity_text`` and ``identifier_text``."""
    code = r[f"{side}_country"] or (r[f"{side}_code"] or "")[:3] or None
    entity = {"code": code, "sector": r[f"{side}_sector"], "entity_text": r[f"{side}_text"],
              "identifier_text": r[f"{side}_name"]}
    entity = {k: v for k, v in entity.items() if v is not None}
    return entity or None


# the PLOVER manual's location codes: resolution 4 a city, 2 a province, 1 a country (a sea or
# region has none); GeoNames' feature class P a populated place, A a country or division
PLOVER_RESOLUTION = {"town": 4, "admin1": 2, "country": 1}
PLOVER_FEATURE_CLASS = {"town": "P", "admin1": "A", "country": "A"}


def _plover_record(r: dict, version: str) -> dict:
    record = {"id": r["event_key"], "date": r["date"].isoformat(), "actor": [_entity(r, "source")]}
    target = _entity(r, "target")
    if target:
        record["recipient"] = [target]
    record["event"] = [r["ont_type"]]
    if r["ont_mode"]:
        record["mode"] = [r["ont_mode"]]
    if r["ont_contexts"]:
        record["context"] = [c.strip() for c in r["ont_contexts"].split(";")]
    record["quad_code"] = r["quad_class"]
    record["event_scale"] = r["ont_score"]
    if r["event_text"]:
        record["event_text"] = r["event_text"]
    if r["location_name"]:
        town = r["location_precision"] == "town"  # PLOVER's location fields only (no "source" there)
        loc = {"resolved_place": r["location_name"], "geonameid": r["geonameid"], "lat": r["lat"], "lon": r["lon"],
               "city": r["location_name"] if town else None, "district": r["location_admin2"] if town else None,
               "province": r["location_admin1"], "country": r["location_country_name"],
               "country_code": r["location_country"],
               "feature_class": PLOVER_FEATURE_CLASS.get(r["location_precision"]),
               "resolution": PLOVER_RESOLUTION.get(r["location_precision"])}
        record["event_loc"] = {k: v for k, v in loc.items() if v is not None}
    cite = {"url": r["url"], "title": r["title"], "publication": r["publisher"], "language": "en",
            "coder": f"redline {version}"}
    record["cite_info"] = {k: v for k, v in cite.items() if v is not None}
    return record


def _ontology(store: Store) -> None:
    """A temporary table of every CAMEO code's name and its PLOVER translation from the current
    ontology tables (so a store coded before a table fix exports the fixed type, mode and contexts):
    ``ont_type``, ``ont_mode``, ``ont_contexts`` and ``ont_score`` (PLOVER's conflict-cooperation
    score of the type and mode)."""
    from .. import ontology
    rows = [(c.code, c.name, c.plover, c.plover_mode, c.plover_context,
             ontology.plover_score(c.plover, c.plover_mode) if c.plover else None) for c in ontology.cameo_codes()]
    store.sql("CREATE OR REPLACE TEMP TABLE ontology (cameo VARCHAR, cameo_name VARCHAR, ont_type VARCHAR, "
              "ont_mode VARCHAR, ont_contexts VARCHAR, ont_score DOUBLE)").fetchall()
    store.con.executemany("INSERT INTO ontology VALUES (?, ?, ?, ?, ?, ?)", rows)


def export(store: Store, fmt: str, path: str | Path, filters: Filters | None = None, table: str = "events",
           raw_cells: bool = False, header: bool = False) -> int:
    """Write the filtered events in ``fmt``; returns how many events were written. ``raw_cells``
    keeps text cells that could run as spreadsheet formulas as they are; ``header`` adds a
    header row to a GDELT file (ICEWS, POLECAT and CSV files always have one)."""
    return exporters.get(fmt)(store, filters or Filters(), Path(path), table, raw_cells, header)
