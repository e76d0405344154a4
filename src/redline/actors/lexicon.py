"""Actor tables (countries, capitals, metonyms, organisations, people, role words) as lookups.

The tables are CSV files in ``actors/data``; each list field is ``|``-separated. They are read
once and turned into phrase dictionaries keyed by normalised token sequences, so that a
document is scanned with a few dictionary look-ups per token.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from spacy.strings import hash_string

from ..ingest.dates import parse_publication_date

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Token text as compared with table phrases: lowercase, straight apostrophes. (Cached: the
    coder asks for the same words again and again, and ``str.translate`` is slow.)"""
    return text.translate(APOSTROPHES).lower()


@dataclass(frozen=True)
class Entry:
    """One way of naming an actor: a country, capital, metonym, organisation or person."""

    kind: str                 # country | adjective | capital | region | metonym | org | person
    phrase: str               # as written in the table (its case matters for acronyms)
    country: str | None
    sector: str | None = None
    code: str | None = None   # explicit code (IGOs, organisations); else country + sector
    name: str | None = None   # canonical name (countries, organisations, people)
    role: str | None = None
    start: date | None = None
    end: date | None = None
    source: str = ""          # the table it came from, for explanations

    @property
    def actor_code(self) -> str | None:
        if self.code:
            return self.code
        if self.country:
            return self.country + (self.sector or "")
        return None

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def cased(self) -> bool:
        """Acronyms (US, UN, EU) match only as written; other phrases match any case."""
        letters = [c for c in self.phrase if c.isalpha()]
        return len(letters) <= 5 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Role:
    sector: str
    strength: str  # strong: the word fixes the sector; weak: an attached organisation overrides it
    phrase: str


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _rows(path: Path | resources.abc.Traversable, required: Iterable[str]) -> Iterator[tuple[int, dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _date(value: str, path: object, line: int, field: str) -> date | None:
    if not value:
        return None
    if len(value) == 4:
        value += "-01-01"
    elif len(value) == 7:
        value += "-01"
    try:
        return parse_publication_date(value)
    except ValueError:
        raise ValueError(f"{path}: line {line}: field '{field}': cannot read {value!r} as a date") from None


class ActorLexicon:
    """All names Redline knows for actors, and the role words that give sectors."""

    def __init__(self) -> None:
        self.phrases: dict[tuple[str, ...], list[Entry]] = {}
        self.roles: dict[tuple[str, ...], Role] = {}
        self.first_words: set[str] = set()
        self.first_hashes: dict[int, int] = {}  # hash of a first word -> longest phrase starting with it
        self.role_last_words: set[str] = set()
        self.role_first_words: set[str] = set()
        self.max_len = 1
        self.countries: dict[str, str] = {}  # code -> name
        self.anaphora: dict[str, str] = {}   # "alliance" -> igo: what "the alliance" refers back to

    # -- building -------------------------------------------------------------------------
    def add(self, entry: Entry, tokens: tuple[str, ...], first: bool = False) -> None:
        """Add a name; ``first`` puts it before existing entries of the same name (user overrides)."""
        bucket = self.phrases.setdefault(tokens, [])
        if entry not in bucket:
            if first:
                bucket.insert(0, entry)
            else:
                bucket.append(entry)
        self.first_words.add(tokens[0])
        for form in {tokens[0], tokens[0].replace("'", "’")}:
            h = hash_string(form)
            self.first_hashes[h] = max(self.first_hashes.get(h, 0), len(tokens))
        self.max_len = max(self.max_len, len(tokens))

    def add_role(self, role: Role, tokens: tuple[str, ...]) -> None:
        self.roles[tokens] = role
        self.role_first_words.add(tokens[0])
        self.role_last_words.add(tokens[-1])
        self.max_len = max(self.max_len, len(tokens))

    # -- lookups --------------------------------------------------------------------------
    def lookup(self, tokens: tuple[str, ...]) -> list[Entry]:
        return self.phrases.get(tokens, [])

    def role(self, tokens: tuple[str, ...]) -> Role | None:
        return self.roles.get(tokens)


def _tokenize(phrases: list[str], remember: bool = False) -> dict[str, tuple[str, ...]]:
    """Each phrase's normalised tokens, as the model's tokenizer splits it. With ``remember``
    the result is kept in the user's cache folder (``$REDLINE_CACHE``, else
    ``$XDG_CACHE_HOME/redline`` or ``~/.cache/redline``) under a key made of the phrases, spaCy's
    version and the model's, and read from there the next time: tokenizing the built-in tables
    is most of a command's start-up. A cache that cannot be read or written is ignored."""
    from ..nlp import load
    nlp = load()
    if not remember:
        return {p: tuple(norm(t.text) for t in nlp.tokenizer(p) if not t.is_space) for p in phrases}
    import hashlib
    import json
    import os

    import spacy
    key = hashlib.sha256("\n".join([spacy.__version__, nlp.meta.get("name", ""), nlp.meta.get("version", ""),
                                     *phrases]).encode("utf-8")).hexdigest()[:32]
    from ..usercache import folder as cache_folder
    folder = cache_folder()
    path = folder / f"actor-tokens-{key}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(kept, dict) and len(kept) == len(set(phrases)):
            return {p: tuple(kept[p]) for p in phrases}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    tokens = _tokenize(phrases)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
    return tokens


def data_path(name: str) -> resources.abc.Traversable:
    return resources.files("redline.actors") / "data" / name


def load_tables(lexicon: ActorLexicon, folder: resources.abc.Traversable | Path | None = None) -> None:
    """Read the built-in tables (or the same files in ``folder``) into ``lexicon``."""
    base = folder or (resources.files("redline.actors") / "data")
    pending: list[tuple[Entry, str]] = []

    path = base / "countries.csv"
    for line, row in _rows(path, ("code", "name", "aliases", "adjectives", "capitals", "kind")):
        code, kind = row["code"], row["kind"] or "country"
        lexicon.countries[code] = row["name"]
        table = f"{kind} table"
        for phrase in [row["name"], *_split(row["aliases"])]:
            pending.append((Entry("region" if kind == "region" else "country", phrase, code, name=row["name"],
                                  source=table), phrase))
        for phrase in _split(row["adjectives"]):
            pending.append((Entry("adjective", phrase, code, name=row["name"], source=table), phrase))
        for phrase in _split(row["capitals"]):
            pending.append((Entry("capital", phrase, code, "GOV", name=row["name"], source="capital"), phrase))

    path = base / "metonyms.csv"
    for line, row in _rows(path, ("text", "country", "sector")):
        pending.append((Entry("metonym", row["text"], row["country"] or None, row["sector"] or None,
                              source="metonym"), row["text"]))

    org_files = sorted((f for f in base.iterdir() if f.name.startswith("organisations") and f.name.endswith(".csv")),
                       key=lambda f: (f.name != "organisations.csv", f.name))
    for path, line, row in ((f, line, row) for f in org_files
                            for line, row in _rows(f, ("name", "aliases", "code", "country", "sector"))):
        for phrase in [row["name"], *_split(row["aliases"])]:
            pending.append((Entry("org", phrase, row["country"] or None, row["sector"] or None,
                                  code=row["code"] or None, name=row["name"], source="organisation"), phrase))

    people_files = sorted((f for f in base.iterdir() if f.name.startswith("people") and f.name.endswith(".csv")),
                          key=lambda f: (f.name != "people.csv", f.name))  # the curated table first
    for path, line, row in ((f, line, row) for f in people_files
                            for line, row in _rows(f, ("name", "aliases", "country", "sector", "role", "start", "end"))):
        start = _date(row["start"], path, line, "start")
        end = _date(row["end"], path, line, "end")
        for phrase in [row["name"], *_split(row["aliases"])]:
            pending.append((Entry("person", phrase, row["country"] or None, row["sector"] or None,
                                  code=row.get("code") or None, name=row["name"], role=row["role"] or None,
                                  start=start, end=end, source="people table"), phrase))

    if folder is None:  # cities of the place gazetteer: "shelled Kharkiv" is done to Ukraine
        from ..where import places
        for key, place in places().items():
            if place.kind == "city":
                phrase = " ".join(w[:1].upper() + w[1:] for w in key.split(" "))
                pending.append((Entry("city", phrase, place.country, name=place.name, source="place gazetteer"),
                                phrase))

    path = base / "regions.csv"  # provinces, regions, disputed and breakaway entities
    if path.is_file():
        for line, row in _rows(path, ("name", "aliases", "country", "sector")):
            for phrase in [row["name"], *_split(row["aliases"])]:
                pending.append((Entry("area", phrase, row["country"] or None, row["sector"] or None, name=row["name"],
                                      source="regions table"), phrase))

    path = base / "anaphora.csv"
    if path.is_file():
        for line, row in _rows(path, ("word", "refers_to")):
            if row["refers_to"] not in ("country", "igo", "org"):
                raise ValueError(f"{path}: line {line}: field 'refers_to': {row['refers_to']!r} is not "
                                 "country, igo or org")
            lexicon.anaphora[row["word"].lower()] = row["refers_to"]

    path = base / "sectors.csv"
    role_rows = [(row["phrase"], Role(row["sector"], row.get("strength") or "strong", row["phrase"]))
                 for _, row in _rows(path, ("phrase", "sector"))]

    tokens = _tokenize([p for _, p in pending] + [p for p, _ in role_rows], remember=folder is None)
    for entry, phrase in pending:
        if tokens[phrase]:
            lexicon.add(entry, tokens[phrase])
    for phrase, role in role_rows:
        if tokens[phrase]:
            lexicon.add_role(role, tokens[phrase])


@lru_cache(maxsize=None)
def builtin() -> ActorLexicon:
    """The lexicon of the built-in tables, built once per process."""
    lexicon = ActorLexicon()
    load_tables(lexicon)
    return lexicon
