"""Find every table-known actor name in a document: a longest-match scan over tokens."""
from __future__ import annotations

from dataclasses import dataclass

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


def is_cased(doc: Doc) -> bool:
    """Whether the text keeps normal capitalisation (some corpora are all lowercase)."""
    alpha = [t for t in doc[:400] if t.is_alpha]
    return not alpha or sum(t.text[0].isupper() for t in alpha) / len(alpha) > 0.04


def _case_ok(entry: Entry, tokens, cased_doc: bool) -> bool:
    text = " ".join(t.text for t in tokens)
    if entry.cased:
        return text.replace(" ", "") == entry.phrase.replace(" ", "")
    if not cased_doc:
        return True
    # proper names must be capitalised in running text ("turkey" the bird is not Turkey)
    first = tokens[0].text
    return not entry.phrase[:1].isupper() or first[:1].isupper() or not first[:1].isalpha()


def scan(doc: Doc, lexicon: ActorLexicon) -> dict[int, Mention]:
    """Map each token index covered by a known name to its mention (longest match wins)."""
    cased_doc = is_cased(doc)
    found: dict[int, Mention] = {}
    words = [norm(t.text) for t in doc]
    n = len(words)
    i = 0
    first = lexicon.first_words
    while i < n:
        if words[i] not in first:
            i += 1
            continue
        matched = None
        for size in range(min(lexicon.max_len, n - i), 0, -1):
            entries = lexicon.phrases.get(tuple(words[i:i + size]))
            if entries:
                span = doc[i:i + size]
                ok = tuple(e for e in entries if _case_ok(e, span, cased_doc))
                if ok:
                    matched = Mention(i, i + size, ok)
                    break
        if matched:
            for j in range(matched.start, matched.end):
                found[j] = matched
            i = matched.end
        else:
            i += 1
    return found
