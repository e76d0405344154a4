"""Integrity checks for the actor data tables in src/redline/actors/data.

The tables are read directly with the csv module: the resolver that consumes
them is tested elsewhere.  These tests guard the data itself: headers, code
formats, CAMEO sector codes, date ranges and alias collisions.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "redline" / "actors" / "data"

HEADERS = {
    "countries.csv": ["code", "name", "aliases", "adjectives", "capitals", "kind"],
    "metonyms.csv": ["text", "country", "sector", "note"],
    "organisations.csv": ["name", "aliases", "code", "country", "sector", "kind", "note"],
    "sectors.csv": ["phrase", "sector", "strength", "note"],
    "people.csv": ["name", "aliases", "country", "sector", "role", "start", "end", "code"],
}

# PLOVER sector codes (manual, table 5.2): MED is health and JRN media (CAMEO's MED was media,
# HLH health); INS/SEP are folded into REB; SOC is civil society.
SECTORS = {
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK",
    "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC",
}
ORG_KINDS = {"igo", "ngo", "agency", "armed_group", "party", "media", "company"}
LIST_FIELDS = {
    "countries.csv": ["aliases", "adjectives", "capitals"],
    "organisations.csv": ["aliases"],
    "people.csv": ["aliases"],
}


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == HEADERS[name], f"{name}: header {header}"
        rows = []
        for lineno, rec in enumerate(reader, start=2):
            assert len(rec) == len(header), f"{name}:{lineno}: {len(rec)} fields: {rec}"
            rows.append(dict(zip(header, rec)))
    return rows


def split(field: str) -> list[str]:
    return [p for p in field.split("|")] if field else []


@pytest.fixture(scope="module")
def countries():
    return read("countries.csv")


@pytest.fixture(scope="module")
def country_codes(countries):
    return {r["code"] for r in countries}


@pytest.fixture(scope="module")
def metonyms():
    return read("metonyms.csv")


@pytest.fixture(scope="module")
def orgs():
    return read("organisations.csv")


@pytest.fixture(scope="module")
def sectors():
    return read("sectors.csv")


@pytest.fixture(scope="module")
def people():
    return read("people.csv")


def forms(row):
    out = [("name", row["name"])]
    for f in ("aliases", "adjectives", "capitals"):
        out += [(f, x) for x in split(row[f])]
    return out


def country_lookup(countries):
    table = defaultdict(set)
    for r in countries:
        for _, form in forms(r):
            table[form].add(r["code"])
    return table


# ---------------------------------------------------------------- all files

@pytest.mark.parametrize("name", sorted(HEADERS))
def test_file_parses_with_header(name):
    rows = read(name)
    assert rows, name
    for r in rows:
        for k, v in r.items():
            assert v == v.strip(), f"{name}: surrounding whitespace in {k}={v!r}"


@pytest.mark.parametrize("name", sorted(LIST_FIELDS))
def test_list_fields_well_formed(name):
    for r in read(name):
        for f in LIST_FIELDS[name]:
            for item in split(r[f]):
                assert item, f"{name}: empty list item in {f} of {r}"
                assert item == item.strip(), f"{name}: space around '|' in {f}={r[f]!r}"


# ---------------------------------------------------------------- countries

def test_country_codes(countries):
    codes = [r["code"] for r in countries]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    assert not dupes, f"duplicate codes {dupes}"
    for c in codes:
        assert re.fullmatch(r"[A-Z]{3}", c), c
    for r in countries:
        assert r["kind"] in {"country", "region"}, r
        assert r["name"], r


def test_enough_countries(countries):
    assert sum(r["kind"] == "country" for r in countries) >= 193


def test_no_alias_maps_to_two_countries(countries):
    conflicts = {f: sorted(c) for f, c in country_lookup(countries).items() if len(c) > 1}
    assert not conflicts, f"forms claimed by several codes: {conflicts}"


def test_country_spot_checks(countries):
    by_code = {r["code"]: r for r in countries}
    look = country_lookup(countries)
    assert "U.S." in split(by_code["USA"]["aliases"])
    assert "U.S." not in split(by_code["USA"]["adjectives"])
    assert by_code["RUS"]["name"] == "Russia"
    assert "Russian Federation" in split(by_code["RUS"]["aliases"])
    expect = {
        "Kyiv": "UKR", "Kiev": "UKR", "Russian": "RUS", "Russians": "RUS", "Britain": "GBR",
        "British": "GBR", "Burma": "MMR", "Türkiye": "TUR", "Turkiye": "TUR", "Czechia": "CZE",
        "Cote d'Ivoire": "CIV", "Côte d'Ivoire": "CIV", "DPRK": "PRK", "Republic of Korea": "KOR",
        "DRC": "COD", "Congo-Brazzaville": "COG", "Swaziland": "SWZ", "Macedonia": "MKD",
        "Taipei": "TWN", "Pyongyang": "PRK", "The Hague": "NLD", "Ramallah": "PSE",
        "Kosovar": "XKX", "Filipino": "PHL", "Emirati": "ARE", "Saudi": "SAU", "Israeli": "ISR",
        "Palestinian": "PSE", "Dutch": "NLD", "Washington": "USA", "Washington, D.C.": "USA",
        "Western": "WST", "European": "EUR", "Arab": "ARB", "Middle East": "MEA",
    }
    for form, code in expect.items():
        assert look.get(form) == {code}, f"{form!r} -> {look.get(form)} (want {code})"
    for bad in ("Man", "Male", "Island", "US-"):
        assert bad not in look, bad
    regions = {r["code"] for r in countries if r["kind"] == "region"}
    assert {"WST", "EUR", "AFR", "ASA", "MEA", "LAM", "ARB"} <= regions


def test_country_table_matches_generator():
    pytest.importorskip("pycountry")
    pytest.importorskip("countryinfo")
    script = ROOT / "tools" / "build_country_table.py"
    res = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


# ---------------------------------------------------------------- metonyms

def test_metonyms(metonyms, country_codes):
    assert len(metonyms) >= 60
    seen = set()
    for r in metonyms:
        assert r["text"] and "|" not in r["text"], r
        assert r["text"] not in seen, f"duplicate metonym {r['text']}"
        seen.add(r["text"])
        assert r["country"] in country_codes, r
        assert r["sector"] in SECTORS, r
    by_text = {r["text"]: (r["country"], r["sector"]) for r in metonyms}
    assert by_text["Kremlin"] == ("RUS", "GOV")
    assert by_text["White House"] == ("USA", "GOV")
    assert by_text["Pentagon"] == ("USA", "MIL")
    assert by_text["Downing Street"] == ("GBR", "GOV")


# ---------------------------------------------------------------- organisations

def test_organisations(orgs, country_codes):
    assert len(orgs) >= 150
    owner = {}
    for r in orgs:
        assert r["name"], r
        assert re.fullmatch(r"[A-Z]{6,9}", r["code"]), r
        assert r["kind"] in ORG_KINDS, r
        if r["kind"] == "igo":
            assert r["code"].startswith("IGO") and not r["country"], r
        if r["kind"] == "ngo" and not r["country"]:
            assert r["code"].startswith("NGO"), r
        if r["country"]:
            assert r["country"] in country_codes, r
            assert r["code"].startswith(r["country"]), r
        if r["sector"]:
            assert r["sector"] in SECTORS, r
            if r["country"]:
                assert r["code"] == r["country"] + r["sector"], r
        else:
            assert r["kind"] in {"igo", "ngo"}, f"national organisation without sector: {r}"
        for form in [r["name"], *split(r["aliases"])]:
            assert form not in owner, f"{form!r} used by {owner[form]!r} and {r['name']!r}"
            owner[form] = r["name"]


def test_organisation_spot_checks(orgs):
    look = {}
    for r in orgs:
        for form in [r["name"], *split(r["aliases"])]:
            look[form] = r
    assert look["NATO"]["code"] == "IGOWSTNAT"
    assert look["EU"]["code"] == "IGOEUREEC"
    assert look["UN"]["code"] == "IGOUNO"
    assert (look["FSB"]["country"], look["FSB"]["sector"]) == ("RUS", "SPY")
    assert (look["CIA"]["country"], look["CIA"]["sector"]) == ("USA", "SPY")
    assert (look["FBI"]["country"], look["FBI"]["sector"]) == ("USA", "COP")
    assert (look["Hamas"]["country"], look["Hamas"]["sector"]) == ("PSE", "REB")
    assert (look["Hezbollah"]["country"], look["Hezbollah"]["sector"]) == ("LBN", "REB")
    assert look["ISIS"]["country"] == "" and look["ISIS"]["sector"] == "REB"


# ---------------------------------------------------------------- sectors

def test_sectors(sectors):
    assert len(sectors) >= 250
    phrases = [r["phrase"] for r in sectors]
    dupes = sorted({p for p in phrases if phrases.count(p) > 1})
    assert not dupes, dupes
    for r in sectors:
        assert r["phrase"] == r["phrase"].lower(), r
        assert r["sector"] in SECTORS, r
        assert r["strength"] in {"strong", "weak"}, r
    by = {r["phrase"]: r for r in sectors}
    expect = {
        "troop": "MIL", "army": "MIL", "soldier": "MIL", "armed forces": "MIL", "police": "COP",
        "riot police": "COP", "parliament": "LEG", "court": "JUD", "rebel": "REB",
        "president": "GOV", "prime minister": "GOV", "intelligence service": "SPY",
        "journalist": "JRN", "refugee": "REF", "civilian": "CVL",
    }
    for phrase, sector in expect.items():
        assert by[phrase]["sector"] == sector, phrase
    for strong in ("troop", "army", "police", "parliament", "court", "rebel"):
        assert by[strong]["strength"] == "strong", strong
    for weak in ("official", "spokesperson", "director", "head", "chief", "representative",
                 "member", "leader", "aide", "adviser"):
        assert by[weak]["strength"] == "weak", weak


# ---------------------------------------------------------------- people

def parse_date(s: str, *, end: bool = False) -> dt.date | None:
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
    assert m, f"bad date {s!r}"
    y, mo, d = int(m[1]), m[2], m[3]
    if d:
        return dt.date(y, int(mo), int(d))
    if mo:
        mo = int(mo)
        if not end:
            return dt.date(y, mo, 1)
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)


def span(r):
    lo = parse_date(r["start"]) or dt.date.min
    hi = parse_date(r["end"], end=True) or dt.date.max
    return lo, hi


def test_people_rows(people, country_codes, orgs):
    assert len(people) >= 150
    org_codes = {r["code"] for r in orgs}
    for r in people:
        assert r["name"] and r["role"], r
        if r["code"]:
            assert not r["country"], r
            assert r["code"] in org_codes, r
            assert r["sector"] in SECTORS | {""}, r
        else:
            assert r["country"] in country_codes, r
            assert r["sector"] in SECTORS, r
        start = parse_date(r["start"])
        end = parse_date(r["end"])
        if start and end:
            assert start <= end, r
        assert r["name"] not in split(r["aliases"]), r


def test_people_alias_collisions(people):
    """One alias must not point to two different people at the same time."""
    by_alias = defaultdict(list)
    for r in people:
        for form in {r["name"], *split(r["aliases"])}:
            by_alias[form].append(r)
    clashes = []
    for form, rows in by_alias.items():
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if a["name"] == b["name"]:
                    continue
                (a0, a1), (b0, b1) = span(a), span(b)
                if a0 < b1 and b0 < a1:
                    clashes.append((form, a["name"], b["name"]))
    assert not clashes, clashes


def holder(people, alias, day, country=None):
    day = dt.date.fromisoformat(day)
    out = []
    for r in people:
        if alias != r["name"] and alias not in split(r["aliases"]):
            continue
        lo, hi = span(r)
        if lo <= day < hi and (country is None or r["country"] == country):
            out.append(r)
    return out


def test_people_spot_checks(people):
    rows = holder(people, "Putin", "2024-03-19")
    assert rows and all((r["country"], r["sector"]) == ("RUS", "GOV") for r in rows)
    assert any(r["role"] == "president" for r in rows)
    assert [r["name"] for r in holder(people, "Biden", "2023-06-01")] == ["Joe Biden"]
    assert holder(people, "Trump", "2023-06-01") == []
    assert holder(people, "Trump", "2025-06-01")[0]["country"] == "USA"
    assert holder(people, "Zelenskyy", "2022-03-01")[0]["country"] == "UKR"
    assert holder(people, "Rutte", "2025-01-10")[0]["code"] == "IGOWSTNAT"
    assert holder(people, "Rutte", "2020-01-10")[0]["country"] == "NLD"
    assert {r["role"] for r in holder(people, "Erdogan", "2010-01-01")} == {"prime minister"}
    assert holder(people, "Lavrov", "2015-01-01")[0]["role"] == "foreign minister"
