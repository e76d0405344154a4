"""Actor files users bring: CSV, YAML, or PETRARCH/TABARI dictionaries. They extend the built-in
tables and, for the same name, take precedence over them.

CSV header (only ``name`` is required)::

    name,aliases,code,country,sector,kind,role,start,end

``aliases`` is ``|``-separated; ``kind`` is ``person``, ``org`` (default), ``metonym`` or
``role`` (a role word that gives a sector, e.g. ``gendarme,COP``); ``start``/``end`` are
YYYY-MM-DD (people's terms in office). YAML: a list of mappings with the same keys (``aliases``
may be a list). TABARI/PETRARCH actor dictionaries (``.actors``, ``.dict``, ``.txt``)::

    VLADIMIR_PUTIN_ [RUSGOV 000507-080507] [RUSGOV >120507]
    +PUTIN_
    KREMLIN_ [RUSGOV]
"""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from ..ingest.dates import parse_publication_date
from ..user_yaml import load_yaml, yaml_problem
from .lexicon import ActorLexicon, Entry, Role, _split, _tokenize, load_tables

KINDS = {"person", "org", "metonym", "role"}
FIELDS = ("name", "aliases", "code", "country", "sector", "kind", "role", "start", "end")
CODE = re.compile(r"^(?:[A-Z]{3}){1,4}$")


def _entries_from_record(rec: dict, where: str) -> Iterator[tuple[object, str]]:
    """(Entry or Role, phrase) pairs from one validated record."""
    def bad(field: str, message: str) -> ValueError:
        return ValueError(f"{where}: field '{field}': {message}")
    unknown = set(rec) - set(FIELDS)
    if unknown:
        raise bad(sorted(unknown)[0], f"unknown field (known: {', '.join(FIELDS)})")
    name = str(rec.get("name") or "").strip()
    if not name:
        raise bad("name", "missing")
    kind = str(rec.get("kind") or ("person" if rec.get("start") or rec.get("end") else "org")).strip().lower()
    if kind not in KINDS:
        raise bad("kind", f"{kind!r} is not one of {', '.join(sorted(KINDS))}")
    code = str(rec.get("code") or "").strip() or None
    country = str(rec.get("country") or "").strip().upper() or None
    sector = str(rec.get("sector") or "").strip().upper() or None
    if code and not CODE.match(code):
        raise bad("code", f"{code!r} is not a CAMEO-style code (3-letter blocks, e.g. RUSGOV, IGOWSTNAT)")
    if country and not re.fullmatch(r"[A-Z]{3}", country):
        raise bad("country", f"{country!r} is not a 3-letter country code")
    if sector and not re.fullmatch(r"[A-Z]{3}", sector):
        raise bad("sector", f"{sector!r} is not a 3-letter sector code")
    if code and not country and not code.startswith(("IGO", "NGO", "IMG", "MNC")):
        country = code[:3]
        sector = sector or (code[3:6] or None)
    if not (code or country or sector):
        raise bad("code", "give a code, a country or a sector")
    aliases = rec.get("aliases") or []
    aliases = _split(aliases) if isinstance(aliases, str) else [str(a).strip() for a in aliases if str(a).strip()]
    def day(field: str) -> date | None:
        value = str(rec.get(field) or "").strip()
        value = value + "-01-01" if len(value) == 4 else value + "-01" if len(value) == 7 else value
        try:
            return parse_publication_date(value) if value else None
        except ValueError:
            raise bad(field, f"cannot read {rec.get(field)!r} as a date (YYYY-MM-DD)") from None
    start, end = day("start"), day("end")
    if start and end and end < start:
        raise bad("end", f"{end} is before start {start}")
    if kind == "role":
        if not sector:
            raise bad("sector", "a role needs a sector")
        for phrase in [name, *aliases]:
            yield Role(sector, "strong", phrase.lower()), phrase.lower()
        return
    entry_kind = "org" if kind == "org" else kind
    for phrase in [name, *aliases]:
        yield Entry(entry_kind, phrase, country, sector, code=code if code and code.startswith(("IGO", "NGO", "IMG", "MNC")) else None,
                    name=name, role=str(rec.get("role") or "") or None, start=start, end=end,
                    source=f"user file {where.split(':')[0]}"), phrase


def _read_csv(path: Path) -> Iterator[tuple[object, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in reader.fieldnames or []]
        if "name" not in header:
            raise ValueError(f"{path}: line 1: header needs a 'name' column (columns: {', '.join(FIELDS)})")
        for row in reader:
            rec = {k.strip(): (v or "").strip() for k, v in row.items() if k and (v or "").strip()}
            yield from _entries_from_record(rec, f"{path}: line {reader.line_num}")


def _read_yaml(path: Path) -> Iterator[tuple[object, str]]:
    text = path.read_text(encoding="utf-8")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {yaml_problem(err)}") from None
    if not isinstance(data, list):
        raise ValueError(f"{path}: line 1: expected a list of actors (- name: ...)")
    lines = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.lstrip().startswith("- ")]
    for i, rec in enumerate(data):
        where = f"{path}: line {lines[i] if i < len(lines) else '?'}"
        if not isinstance(rec, dict):
            raise ValueError(f"{where}: each actor must be a mapping with a 'name'")
        yield from _entries_from_record(rec, where)


_BLOCK = re.compile(r"\[([^\]]*)\]")


def _tabari_date(text: str, where: str) -> date:
    digits = text.strip()
    if not re.fullmatch(r"\d{6}|\d{8}", digits):
        raise ValueError(f"{where}: date {digits!r} must be YYMMDD or YYYYMMDD")
    if len(digits) == 6:
        yy = int(digits[:2])
        digits = f"{2000 + yy if yy <= 40 else 1900 + yy}{digits[2:]}"
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a calendar date") from None


def _tabari_blocks(text: str, where: str) -> list[tuple[str, date | None, date | None]]:
    out = []
    for block in _BLOCK.findall(text):
        parts = block.split()
        if not parts:
            raise ValueError(f"{where}: empty [ ] code block")
        code, start, end = parts[0].upper(), None, None
        if not CODE.match(code) and code != "---":
            raise ValueError(f"{where}: {code!r} is not a CAMEO-style code")
        if len(parts) > 1:
            rng = parts[1]
            if rng.startswith(">"):
                start = _tabari_date(rng[1:], where)
            elif rng.startswith("<"):
                end = _tabari_date(rng[1:], where)
            elif "-" in rng:
                a, b = rng.split("-", 1)
                start, end = _tabari_date(a, where), _tabari_date(b, where)
            else:
                raise ValueError(f"{where}: date restriction {rng!r} must be >DATE, <DATE or DATE-DATE")
        out.append((code, start, end))
    return out


def _read_tabari(path: Path) -> Iterator[tuple[object, str]]:
    """PETRARCH/TABARI actor dictionary: NAME_ [CODE dates]..., '+' synonyms, '#' comments."""
    current: dict | None = None

    def flush(entry: dict | None) -> Iterator[tuple[object, str]]:
        if not entry:
            return
        if not entry["blocks"]:
            raise ValueError(f"{entry['where']}: entry {entry['names'][0]!r} has no [CODE] block")
        canonical = entry["names"][0]
        for code, start, end in entry["blocks"]:
            if code == "---":
                continue
            igo = code.startswith(("IGO", "NGO", "IMG", "MNC"))
            country = None if igo else code[:3]
            sector = None if igo else (code[3:6] or None)
            kind = "person" if start or end or len(entry["blocks"]) > 1 else "org"
            for phrase in entry["names"]:
                yield Entry(kind, phrase, country, sector, code=code if igo else None, name=canonical,
                            start=start, end=end, source=f"user dictionary {path.name}"), phrase

    with path.open(encoding="utf-8") as f:
        for number, raw in enumerate(f, start=1):
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            where = f"{path}: line {number}"
            stripped = line.strip()
            if stripped.startswith("+"):
                if current is None:
                    raise ValueError(f"{where}: synonym {stripped!r} before any entry")
                current["names"].append(_tabari_name(stripped[1:].split("[")[0]))
                current["blocks"] += _tabari_blocks(stripped, where)
            elif stripped.startswith("["):
                if current is None:
                    raise ValueError(f"{where}: code block before any entry")
                current["blocks"] += _tabari_blocks(stripped, where)
            else:
                yield from flush(current)
                current = {"names": [_tabari_name(stripped.split("[")[0])], "blocks": _tabari_blocks(stripped, where),
                           "where": where}
        yield from flush(current)


def _tabari_name(raw: str) -> str:
    """VLADIMIR_PUTIN_ -> Vladimir Putin (matching ignores case except for short acronyms)."""
    words = [w for w in raw.strip().strip("_").split("_") if w]
    return " ".join(w if len(w) <= 3 and w.isupper() else w.capitalize() for w in words)


READERS = {".csv": _read_csv, ".yaml": _read_yaml, ".yml": _read_yaml}


def read_user_file(path: str | Path) -> list[tuple[object, str]]:
    """All (Entry or Role, phrase) pairs of one user file; ValueError names file, line and field."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path}: no such file")
    reader = READERS.get(path.suffix.lower(), _read_tabari)
    try:
        return list(reader(path))
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset {err.start}); "
                         "convert the file to UTF-8") from None


def with_user_files(paths: Iterable[str | Path]) -> ActorLexicon:
    """The built-in tables extended (and, for the same names, overridden) by the users' files."""
    pairs = [p for path in paths for p in read_user_file(path)]
    lexicon = ActorLexicon()
    load_tables(lexicon)
    tokens = _tokenize([phrase for _, phrase in pairs])
    for item, phrase in pairs:
        if not tokens[phrase]:
            continue
        if isinstance(item, Role):
            lexicon.add_role(item, tokens[phrase])
        else:
            lexicon.add(item, tokens[phrase], first=True)
    return lexicon
