"""The predicate lexicon: trigger words (with particle, preposition and object cues) -> CAMEO.

Rows live in ``events/data/predicates.csv`` (format in ``events/data/README.md``); users add
their own file with the same header. For a trigger, every row whose cues are all present is a
candidate and the most specific wins; ties go to the earlier row.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from .. import ontology
from .datafiles import load_yaml, word_set

HEADER = ("cameo", "lemma", "pos", "particle", "prep", "object", "role", "note")
ROLES = {"", "report", "light", "reverse"}
POS = {"VERB", "NOUN"}


@dataclass(frozen=True)
class Predicate:
    """One lexicon row."""

    cameo: str | None        # None: this sense is not an event
    lemma: str
    pos: str
    particle: str
    prep: str
    objects: frozenset[str]
    role: str
    note: str
    order: int

    @property
    def specificity(self) -> int:
        return bool(self.particle) + bool(self.prep) + bool(self.objects)

    def describe(self) -> str:
        cues = [self.lemma] + ([self.particle] if self.particle else []) + ([self.prep] if self.prep else [])
        if self.objects:
            cues.append("+" + "|".join(sorted(self.objects))[:60])
        return " ".join(cues)


class PredicateLexicon:
    """Rows grouped by (lemma, pos)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[Predicate]] = {}
        self.count = 0

    def add_file(self, path: Path | resources.abc.Traversable) -> None:
        """Add (and let later rows of equal specificity lose to) the rows of one CSV file."""
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != HEADER:
                raise ValueError(f"{path}: line 1: header must be {','.join(HEADER)}")
            for row in reader:
                self._add(row, f"{path}: line {reader.line_num}")

    def _add(self, row: dict[str, str], where: str) -> None:
        if None in row:  # csv puts the fields past the header under the key None
            raise ValueError(f"{where}: {len(row[None])} field(s) more than the header's {len(HEADER)} "
                             "(quote a note that holds commas)")
        row = {k: (v or "").strip() for k, v in row.items()}
        code = row["cameo"]
        if code.lower() == "none":
            cameo = None
        else:
            try:
                cameo = ontology.cameo(code).code
            except KeyError:
                raise ValueError(f"{where}: field 'cameo': unknown CAMEO code {code!r}") from None
        pos = (row["pos"] or "VERB").upper()
        if pos not in POS:
            raise ValueError(f"{where}: field 'pos': {pos!r} is not one of {sorted(POS)}")
        if row["role"] not in ROLES:
            raise ValueError(f"{where}: field 'role': {row['role']!r} is not one of {sorted(ROLES)}")
        if not row["lemma"]:
            raise ValueError(f"{where}: field 'lemma': empty")
        objects = frozenset(o.strip().lower() for o in row["object"].split("|") if o.strip())
        pred = Predicate(cameo, row["lemma"].lower(), pos, row["particle"].lower(), row["prep"].lower(),
                         objects, row["role"], row["note"], self.count)
        self.count += 1
        self.rows.setdefault((pred.lemma, pos), []).append(pred)

    def candidates(self, lemma: str, pos: str) -> list[Predicate]:
        return self.rows.get((lemma, pos), [])

    def best(self, lemma: str, pos: str, particles: Iterable[str], preps: Iterable[str],
             objects: Iterable[str]) -> Predicate | None:
        """The most specific row whose cues are all present, or None."""
        rows = self.rows.get((lemma, pos))
        if not rows:
            return None
        particles, preps, objects = set(particles), set(preps), set(objects)
        best: Predicate | None = None
        for row in rows:
            if row.particle and row.particle not in particles:
                continue
            if row.prep and row.prep not in preps:
                continue
            if row.objects and not row.objects & objects:
                continue
            if best is None or row.specificity > best.specificity:
                best = row
        return best


BUILTIN = resources.files("redline.events") / "data" / "predicates.csv"


@lru_cache(maxsize=None)
def intent_table() -> dict[str, dict[str, str]]:
    """Root of an announced act -> the speech-act code (``events/data/intent.yaml``)."""
    data = load_yaml("intent.yaml")
    table = {k: {str(r): str(c) for r, c in (v or {}).items()} for k, v in data.items() if isinstance(v, dict)}
    for codes in table.values():
        for code in codes.values():
            ontology.cameo(code)  # an unknown code fails here, at load time
    return table


@lru_cache(maxsize=None)
def reciprocal_table() -> tuple[frozenset[str], frozenset[str]]:
    """CAMEO codes and verb lemmas whose events are mutual (``events/data/reciprocal.yaml``)."""
    data = load_yaml("reciprocal.yaml")
    codes = frozenset(ontology.cameo(str(c)).code for c in data.get("codes", []))
    return codes, frozenset(str(w).lower() for w in data.get("lemmas", []))


def stative_participles() -> frozenset[str]:
    """Participles whose subject acts ("is committed to"; ``events/data/stative.yaml``)."""
    return word_set("stative.yaml", "participles")


def occurrence_verbs() -> frozenset[str]:
    """Verbs whose subject is an event ("fighting continues"; ``events/data/stative.yaml``)."""
    return word_set("stative.yaml", "occurrence")


def instrument_nouns() -> frozenset[str]:
    """Weapons whose owner acts when they are a passive's subject (``events/data/stative.yaml``)."""
    return word_set("stative.yaml", "instruments")


def device_verbs() -> frozenset[str]:
    """Verbs whose passive subject is a device, not a victim ("a truck was detonated"; ``events/data/stative.yaml``)."""
    return word_set("stative.yaml", "device_verbs")


def deciding_verbs() -> frozenset[str]:
    """Verbs whose negated complement is a refusal ("voted not to attend"; ``events/data/intent.yaml``)."""
    return word_set("intent.yaml", "deciding_verbs")


def document_nouns() -> frozenset[str]:
    """Documents whose words are their issuer's ("the statement warned"; ``events/data/stative.yaml``)."""
    return word_set("stative.yaml", "documents")


def state_nouns() -> frozenset[str]:
    """Nouns of standing states, no event with their possessor (``events/data/stative.yaml``)."""
    return word_set("stative.yaml", "states")


def undergone_nouns() -> frozenset[str]:
    """Attacks one "comes under" ("came under fire from"; ``events/data/stative.yaml``)."""
    return word_set("stative.yaml", "undergone")


@lru_cache(maxsize=None)
def implied_authorities() -> dict[str, str]:
    """Passive legal acts -> the sector of the authority that does them (``events/data/stative.yaml``)."""
    return {str(k).lower(): str(v) for k, v in load_yaml("stative.yaml").get("implied_authorities", {}).items()}


@lru_cache(maxsize=None)
def violence_table() -> dict:
    """How unspecified killings and attacks are refined (``events/data/violence.yaml``)."""
    data = load_yaml("violence.yaml")
    for part in ("bombing", "irregular"):
        ontology.cameo(str(data[part]["code"]))  # an unknown code fails at load time
    return data


@lru_cache(maxsize=None)
def topic_verbs() -> frozenset[str]:
    """Verbs whose direct object is their topic, not a party ("discuss Syria"; ``events/data/topics.yaml``)."""
    data = load_yaml("topics.yaml")
    return frozenset(str(w).lower() for w in data.get("verbs", []))


@lru_cache(maxsize=None)
def event_anaphors() -> frozenset[str]:
    """Nouns that refer back to an event already told ("the move"; ``events/data/anaphors.yaml``)."""
    data = load_yaml("anaphors.yaml")
    return frozenset(str(w).lower() for w in data.get("anaphors", []))


@lru_cache(maxsize=None)
def builtin() -> PredicateLexicon:
    """The built-in lexicon, read once."""
    lexicon = PredicateLexicon()
    lexicon.add_file(BUILTIN)
    return lexicon


def with_user_files(paths: Iterable[str | Path]) -> PredicateLexicon:
    """The built-in rows followed by the rows of the user's own files."""
    lexicon = PredicateLexicon()
    lexicon.add_file(BUILTIN)
    for path in paths:
        lexicon.add_file(Path(path))
    return lexicon
