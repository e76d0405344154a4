"""Pick the date of what a sentence reports from its DATE and TIME entities.

A sentence may hold several date expressions ("Officials said on Monday that the talks held
on March 3 had failed."). The one that dates an event is the one syntactically nearest to the
event's predicate (the anchor), ranked in three tiers:

1. expressions inside the anchor's own subtree (it dominates them);
2. expressions attached to an ancestor of the anchor (they date the clause that governs it,
   e.g. the reporting verb "said on Monday" for "... that Y attacked Z");
3. anything else in the sentence.

In the second tier the expression of the nearest governing clause wins ("killing" in "forces
shelled the city on Tuesday night, killing three, officials said this morning" takes Tuesday,
the date of "shelled", not that of "said"). Then, within a tier, the shorter dependency path
to the anchor wins, then the nearer one in the text, then the earlier one. Candidates that do
not resolve (durations, ages, bare clock times) are skipped, so the best candidate that
resolves is returned.
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from .expressions import ResolvedDate, resolve

if TYPE_CHECKING:  # spaCy is only needed by callers that already have parses
    from spacy.tokens import Span, Token

__all__ = ["sentence_date", "DATE_LABELS"]

DATE_LABELS = frozenset({"DATE", "TIME"})
_PREDICATE_POS = frozenset({"VERB", "AUX"})


def _path_to_root(tok: "Token") -> list:
    path = [tok]
    while tok.head.i != tok.i and len(path) < 200:
        tok = tok.head
        path.append(tok)
    return path


def _tree_distance(a: "Token", b: "Token") -> int:
    """Number of dependency edges between two tokens (large if they share no root)."""
    pa, pb = _path_to_root(a), _path_to_root(b)
    index_a = {t.i: n for n, t in enumerate(pa)}
    for n, t in enumerate(pb):
        if t.i in index_a:
            return index_a[t.i] + n
    return 1000


def _attachment(ent: "Span") -> "Token":
    """The predicate an expression modifies: its first verbal ancestor outside itself."""
    tok = ent.root
    for _ in range(200):
        if tok.head.i == tok.i:
            return tok
        tok = tok.head
        if ent.start <= tok.i < ent.end:
            continue
        if tok.pos_ in _PREDICATE_POS:
            return tok
    return tok


def _rank(ent: "Span", anchor: "Token", anchor_ancestors: dict[int, int]) -> tuple:
    """Sort key: tier (0 subtree, 1 governing clause, 2 elsewhere), how far up the governing
    clause is (tier 1), path length, distance in the text, position."""
    root = ent.root
    up = 0
    if root.i == anchor.i or anchor.is_ancestor(root) or ent.start <= anchor.i < ent.end:
        tier = 0
    else:
        up = anchor_ancestors.get(_attachment(ent).i, -1)
        tier = 1 if up >= 0 else 2
        up = max(up, 0)
    linear = min(abs(anchor.i - ent.start), abs(anchor.i - (ent.end - 1)))
    return (tier, up, _tree_distance(root, anchor), linear, ent.start)


def sentence_date(sent: "Span", published: _dt.date | None,
                  anchor: "Token | None" = None) -> ResolvedDate | None:
    """The date of what a sentence reports, or None if none of its expressions resolves.

    Candidates are the sentence's DATE and TIME entities ("Tuesday night", "this morning"
    resolve to that day; a bare clock time does not resolve). With ``anchor`` (the event's
    predicate token) the syntactically nearest expression wins; without one, the sentence's
    root stands in for it. ``sent`` may also be a whole Doc.
    """
    if not hasattr(sent, "root"):  # a Doc: take it as one span
        sent = sent[:]
    ents = [e for e in sent.ents if e.label_ in DATE_LABELS]
    if not ents:
        return None
    if anchor is None or not (sent.start <= anchor.i < sent.end) or anchor.doc is not sent.doc:
        anchor = sent.root
    ancestors = {t.i: n for n, t in enumerate(anchor.ancestors, start=1)}
    for ent in sorted(ents, key=lambda e: _rank(e, anchor, ancestors)):
        resolved = resolve(ent.text, published)
        if resolved is not None:
            return resolved
    return None
