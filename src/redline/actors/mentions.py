"""Find every table-known actor name in a document: a longest-match scan over tokens."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.attrs import LOWER
from spacy.tokens import Doc

from .lexicon import ActorLexicon, Entry, norm


@dataclass(frozen=True)
class Mention:
    start: int           # token index
    end: int             # exclusive
    entries: tuple[Entry, ...]

    @property
    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}


_WORD = re.compile(r"[A-Za-z][a-z]+")


def is_cased(text: str) -> bool:
    """Whether the text keeps normal capitalisation (some corpora are all lowercase)."""
    words = _WORD.findall(text[:4000])
    return not words or sum(w[0].isupper() for w in words) / len(words) > 0.04


def _case_ok(entry: Entry, tokens, cased_doc: bool) -> bool:
    text = " ".join(t.text for t in tokens)
    if entry.cased:
        written = text.replace(" ", "")
        acronym = entry.phrase.replace(" ", "")
        # "Nato", "Isis": house styles write long acronyms in title case; never "Us", "Un", "Is";
        # nor a word of a longer name ("Manchester Arena" is no ARENA)
        if written == acronym:
            return True
        before = tokens[0].nbor(-1) if tokens[0].i > 0 else None
        inside_name = before is not None and before.pos_ == "PROPN" and before.text[:1].isupper() and not before.is_sent_start
        return len(acronym) >= 4 and acronym.isalpha() and written == acronym.title() and not inside_name
    if not cased_doc:
        return True
    # proper names must be capitalised in running text ("turkey" the bird is not Turkey)
    first = tokens[0].text
    return not entry.phrase[:1].isupper() or first[:1].isupper() or not first[:1].isalpha()


def scan(doc: Doc, lexicon: ActorLexicon, text: str | None = None) -> dict[int, Mention]:
    """Map each token index covered by a known name to its mention.

    Overlapping candidates are settled longest first, so "the UN Security Council" is the
    Security Council, not "the UN" followed by other words.
    """
    cased_doc = is_cased(text if text is not None else doc.text)
    hashes = doc.to_array(LOWER).tolist()
    strings = doc.vocab.strings
    first = lexicon.first_hashes
    candidates: list[Mention] = []
    for i, h in enumerate(hashes):
        longest = first.get(h)
        if longest is None:
            continue
        words = [norm(strings[x]) for x in hashes[i:i + longest]]
        for size in range(len(words), 0, -1):
            entries = lexicon.phrases.get(tuple(words[:size]))
            if entries:
                ok = tuple(e for e in entries if _case_ok(e, doc[i:i + size], cased_doc))
                if ok:
                    candidates.append(Mention(i, i + size, ok))
                    break
    features = geographic_features()
    candidates = [m for m in candidates if not (  # "the Gulf of Guinea" is a sea, not Guinea
        m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in features)]
    found: dict[int, Mention] = {}
    for m in sorted(candidates, key=lambda m: (m.start - m.end, m.start)):
        if all(j not in found for j in range(m.start, m.end)):
            for j in range(m.start, m.end):
                found[j] = m
    return found


@lru_cache(maxsize=None)
def geographic_features() -> frozenset[str]:
    """Words that make "<word> of <name>" a sea or a cape, not the country (``actors/data/geographic_features.csv``)."""
    with (resources.files("redline.actors") / "data" / "geographic_features.csv").open(encoding="utf-8") as f:
        return frozenset(row["word"].lower() for row in csv.DictReader(f))
