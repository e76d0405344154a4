"""Exports of the store: Redline's own tables (Parquet, CSV, JSON lines) and files shaped like
GDELT 2.0's event table, ICEWS's event files and POLECAT's (see ``docs/exports.md`` for every
column and what fills it). A column Redline has no value for is left empty, never guessed.
"""
from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path
from typing import Callable

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
firsts AS (SELECT d.doc_key, d.url, d.publisher, d.published, d.ingested_at FROM documents d
           WHERE d.doc_key IN (SELECT first_doc_key FROM chosen)),
lead AS (SELECT m.event_key, min(m.sentence_index) AS first_sentence FROM mentions m
         WHERE m.event_key IN (SELECT event_key FROM chosen) GROUP BY m.event_key)
SELECT e.*, f.url, f.publisher, f.published, f.ingested_at, l.first_sentence,
       ('0x' || substr(e.event_key, 1, 15))::BIGINT AS numeric_id
FROM chosen e LEFT JOIN firsts f ON f.doc_key = e.first_doc_key LEFT JOIN lead l USING (event_key)
"""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy(store: Store, select: str, params: list, path: Path, fmt: str) -> int:
    options = {"csv": "FORMAT csv, HEADER true", "tsv": "FORMAT csv, DELIMITER '\t', HEADER true",
               "jsonl": "FORMAT json", "parquet": "FORMAT parquet"}[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    store.sql(f"COPY ({select}) TO '{str(path).replace(chr(39), chr(39) * 2)}' ({options})", params).fetchall()
    return store.sql(f"SELECT count(*) FROM ({select})", params).fetchall()[0][0]


def _country_names(store: Store) -> None:
    """A temporary table of country names (ICEWS and POLECAT give names, not codes)."""
    text = (resources.files("redline.actors") / "data" / "countries.csv").read_text("utf-8")
    rows = [(r["code"], r["name"]) for r in csv.DictReader(text.splitlines())]
    store.sql("CREATE OR REPLACE TEMP TABLE country_names (code VARCHAR, name VARCHAR)").fetchall()
    store.con.executemany("INSERT INTO country_names VALUES (?, ?)", rows)


def _with_names(columns: list[str], where: str, joins: str = "") -> str:
    """The export SELECT with country names for source (sc), target (tc) and place (lc)."""
    return (f"SELECT {', '.join(columns)} FROM ({_BASE.format(where=where)}) e {joins}"
            "LEFT JOIN country_names sc ON sc.code = e.source_country "
            "LEFT JOIN country_names tc ON tc.code = e.target_country "
            "LEFT JOIN country_names lc ON lc.code = e.location_country")


def _table_exporter(fmt: str) -> Callable:
    def export(store: Store, filters: Filters, path: Path, table: str = "events") -> int:
        where, params = filters.where("events")
        if table == "events":
            select = f"SELECT * FROM events WHERE {where}"
        elif table == "mentions":
            select = f"SELECT * FROM mentions WHERE event_key IN (SELECT event_key FROM events WHERE {where})"
        else:
            select = ("SELECT * FROM documents WHERE doc_key IN (SELECT doc_key FROM mentions WHERE event_key IN "
                      f"(SELECT event_key FROM events WHERE {where}))")
        return _copy(store, select, params, path, fmt)
    return export


for _fmt in ("csv", "jsonl"):
    exporters.register(_fmt)(_table_exporter(_fmt))


@exporters.register("parquet")
def export_parquet(store: Store, filters: Filters, path: Path, table: str = "events") -> int:
    """A folder with documents.parquet, mentions.parquet and events.parquet: everything needed
    to rebuild the same events elsewhere (``redline import FOLDER``)."""
    path.mkdir(parents=True, exist_ok=True)
    n = 0
    for name in ("documents", "mentions", "events"):
        count = _table_exporter("parquet")(store, filters, path / f"{name}.parquet", name)
        n = count if name == "events" else n
    return n


@exporters.register("gdelt")
def export_gdelt(store: Store, filters: Filters, path: Path, table: str = "events") -> int:
    """GDELT 2.0 event table columns, tab-separated with a header row."""
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
        "CASE WHEN location_name IS NULL THEN NULL WHEN lat IS NULL THEN 1 ELSE 4 END AS ActionGeo_Type",
        "location_name AS ActionGeo_FullName", "NULL AS ActionGeo_CountryCode", "NULL AS ActionGeo_ADM1Code",
        "NULL AS ActionGeo_ADM2Code", "lat AS ActionGeo_Lat", "lon AS ActionGeo_Long", "NULL AS ActionGeo_FeatureID",
        "strftime(ingested_at, '%Y%m%d%H%M%S') AS DATEADDED", "url AS SOURCEURL",
    ]
    select = f"SELECT {', '.join(columns)} FROM ({_BASE.format(where=where)}) e"
    return _copy(store, select, params, path, "tsv")


@exporters.register("icews")
def export_icews(store: Store, filters: Filters, path: Path, table: str = "events") -> int:
    """ICEWS coded-event columns, tab-separated with a header row."""
    _country_names(store)
    where, params = filters.where("events")
    columns = [
        "numeric_id AS \"Event ID\"", "date AS \"Event Date\"",
        "coalesce(source_name, source_text) AS \"Source Name\"", "source_sector AS \"Source Sectors\"",
        "sc.name AS \"Source Country\"", "cameo_name AS \"Event Text\"", "cameo AS \"CAMEO Code\"",
        "goldstein AS \"Intensity\"", "coalesce(target_name, target_text) AS \"Target Name\"",
        "target_sector AS \"Target Sectors\"", "tc.name AS \"Target Country\"", "first_doc_key AS \"Story ID\"",
        "first_sentence AS \"Sentence Number\"", "publisher AS \"Publisher\"",
        "CASE WHEN lat IS NOT NULL THEN location_name END AS \"City\"", "NULL AS \"District\"", "NULL AS \"Province\"",
        "lc.name AS \"Country\"", "lat AS \"Latitude\"", "lon AS \"Longitude\"",
    ]
    _cameo_names(store)
    return _copy(store, _with_names(columns, where, "LEFT JOIN cameo_names USING (cameo) "), params, path, "tsv")


@exporters.register("polecat")
def export_polecat(store: Store, filters: Filters, path: Path, table: str = "events") -> int:
    """POLECAT columns (PLOVER types, modes and sectors), tab-separated with a header row."""
    _country_names(store)
    where, params = filters.where("events")
    columns = [
        "event_key AS \"Event ID\"", "published AS \"Story Date\"", "date AS \"Event Date\"",
        "plover AS \"Event Type\"", "plover_mode AS \"Event Mode\"", "goldstein AS \"Event Intensity\"",
        "quad_class AS \"Quad Code\"", "NULL AS \"Contexts\"",
        "coalesce(source_name, source_text) AS \"Actor Name\"", "sc.name AS \"Actor Country\"", "NULL AS \"Actor COW\"",
        "source_sector AS \"Primary Actor Sector\"", "source_sector AS \"Actor Sectors\"", "NULL AS \"Actor Title\"",
        "source_text AS \"Actor Name Raw\"", "NULL AS \"Wiki Actor ID\"",
        "coalesce(target_name, target_text) AS \"Recipient Name\"", "tc.name AS \"Recipient Country\"",
        "NULL AS \"Recipient COW\"", "target_sector AS \"Primary Recipient Sector\"",
        "target_sector AS \"Recipient Sectors\"", "NULL AS \"Recipient Title\"",
        "target_text AS \"Recipient Name Raw\"", "NULL AS \"Wiki Recipient ID\"",
        "location_name AS \"Placename\"", "CASE WHEN lat IS NOT NULL THEN location_name END AS \"City\"",
        "NULL AS \"State\"", "lc.name AS \"Country\"", "lat AS \"Latitude\"", "lon AS \"Longitude\"",
        "NULL AS \"GeoNames ID\"", "location_name AS \"Raw Placename\"", "NULL AS \"Feature Type\"",
        "publisher AS \"Source\"", "published AS \"Publication Date\"", "'en' AS \"Language\"",
        "'redline' AS \"Version\"",
    ]
    return _copy(store, _with_names(columns, where), params, path, "tsv")


def _cameo_names(store: Store) -> None:
    from .. import ontology
    store.sql("CREATE OR REPLACE TEMP TABLE cameo_names (cameo VARCHAR, cameo_name VARCHAR)").fetchall()
    store.con.executemany("INSERT INTO cameo_names VALUES (?, ?)", [(c.code, c.name) for c in ontology.cameo_codes()])


def export(store: Store, fmt: str, path: str | Path, filters: Filters | None = None, table: str = "events") -> int:
    """Write the filtered events in ``fmt``; returns how many events were written."""
    return exporters.get(fmt)(store, filters or Filters(), Path(path), table)
