"""Pick the date of what a sentence reports from its DATE and TIME entities.

A sentence may hold several date expressions ("Officials said on Monday that the talks held
on March 3 had failed."). The one that dates an event is the one syntactically nearest to the
event's predicate (the anchor), ranked in three tiers:

1. expressions attached to the anchor itself (an expression attached to a clause below it
   dates that clause, not the event: "accused the EU of breaking a deal struck in 2016");
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
import re
from bisect import bisect_left
from dataclasses import replace
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
            return _governing_if_before_clause(ent, tok)
    return tok


def _governing_if_before_clause(ent: "Span", verb: "Token") -> "Token":
    """A complement clause starts at its subject or "that": an expression between the governing
    verb and that start modifies the governing verb, whatever the parse says ("said on Monday it
    will impose ..." is Monday's saying)."""
    head = verb.head
    if verb.dep_ != "ccomp" or head.i >= ent.start:
        return verb
    starts = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "mark", "expl")]
    return head if starts and ent.end <= min(starts) else verb


def _shares_time(anchor: "Token", below: "Token") -> bool:
    """Whether a clause below the anchor happens when the anchor's event does: a verb conjoined
    with it, or a clause inside its subject (the summit "held on Sunday" that called for ...)."""
    deps = []
    tok = below
    while tok.i != anchor.i and tok.head.i != tok.i:
        deps.append(tok.dep_)
        tok = tok.head
    return all(d == "conj" for d in deps) or (bool(deps) and deps[-1] in ("nsubj", "nsubjpass"))


NOMINAL_MODIFIERS = frozenset({"nummod", "compound", "poss", "amod", "nmod"})


def _own_clause(verb: "Token") -> bool:
    """Whether a predicate heads a clause with a subject of its own (a separate statement)."""
    return verb.pos_ in _PREDICATE_POS and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _names_a_thing(ent: "Span") -> bool:
    """Whether an expression only modifies a noun outside it ("the 1994 genocide", "Monday's
    vote"): it then dates that thing, not a clause of the sentence."""
    root = ent.root
    return (root.dep_ in NOMINAL_MODIFIERS and root.head.pos_ in ("NOUN", "PROPN")
            and not ent.start <= root.head.i < ent.end)


def _rank(ent: "Span", anchor: "Token", anchor_ancestors: dict[int, int]) -> tuple | None:
    """Sort key: tier (0 the event's own, 1 governing clause, 2 elsewhere), how far up the
    governing clause is (tier 1), path length, distance in the text, position; None for an
    expression of a clause below the event's, which dates that clause and not the event."""
    root = ent.root
    up = 0
    attached = _attachment(ent)
    if root.i == anchor.i or ent.start <= anchor.i < ent.end or attached.i == anchor.i:
        tier = 0
    elif anchor.is_ancestor(root) and attached.i not in anchor_ancestors:
        if anchor.is_ancestor(attached) and not _shares_time(anchor, attached):
            return None  # it dates a clause below the event's ("accused the EU of breaking a deal struck in 2016")
        tier = 0  # an event noun's own expression ("talks on Monday"), a conjoined verb's ("killed 30
        # and injured 42 on Sunday"), or the subject's ("a summit held on Sunday called for ...")
    else:
        up = anchor_ancestors.get(_attachment(ent).i, -1)
        tier = 1 if up >= 0 else 2
        up = max(up, 0)
        if tier == 2 and (_names_a_thing(ent) or _own_clause(attached)) or tier == 1 and ent.root.dep_ == "poss" and _names_a_thing(ent):
            # "clashes since Rwanda's 1994 genocide": the year dates the genocide; "indicated in
            # talks earlier this year" dates the indicating, not the talks before "Following";
            # "the leaders of last week's coup are ready to ...": last week dates the coup
            return None
    linear = min(abs(anchor.i - ent.start), abs(anchor.i - (ent.end - 1)))
    return (tier, up, _tree_distance(root, anchor), linear, ent.start)


PAST_WORDS = re.compile(r"\b(last|past|ago|earlier|previous|previously|yesterday|since)\b|\b\d{4}\b", re.I)
WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)


def forward(resolved: ResolvedDate, published: _dt.date | None) -> ResolvedDate:
    """The same expression read as the next occurrence: "will arrive on Wednesday" is the coming
    Wednesday, "is due in court on 1 March" the coming 1 March. Explicit years and past words stay."""
    if published is None or resolved.date >= published or PAST_WORDS.search(resolved.text):
        return resolved
    try:
        if WEEKDAY.search(resolved.text) and resolved.precision == "day":
            step = _dt.timedelta(days=7)
            return replace(resolved, date=resolved.date + step, end=resolved.end + step)
        return replace(resolved, date=resolved.date.replace(year=resolved.date.year + 1),
                       end=resolved.end.replace(year=resolved.end.year + 1))
    except (ValueError, OverflowError):  # 29 February, or past the end of the calendar
        return resolved


def _date_ents(sent: "Span") -> list:
    """The span's DATE and TIME entities. The document's are listed once (``Span.ents`` walks
    all the document's entities on every call, which made long texts quadratic). They are kept
    as offsets, not Spans: a Span in the Doc's own user_data is a reference cycle, and a Doc in
    a cycle waits for the collector instead of being freed when its batch is done."""
    from spacy.tokens import Span
    doc = sent.doc
    data = doc.user_data
    if "redline_date_ents" not in data:
        ents = [(e.start, e.end, e.label) for e in doc.ents if e.label_ in DATE_LABELS]
        data["redline_date_ents"] = ([start for start, _, _ in ents], ents)
    starts, ents = data["redline_date_ents"]
    first = bisect_left(starts, sent.start)
    return [Span(doc, start, end, label=label) for start, end, label in ents[first:bisect_left(starts, sent.end)]
            if end <= sent.end]


def sentence_date(sent: "Span", published: _dt.date | None,
                  anchor: "Token | None" = None, future: bool = False,
                  announced: bool = False) -> ResolvedDate | None:
    """The date of what a sentence reports, or None if none of its expressions resolves.

    Candidates are the sentence's DATE and TIME entities ("Tuesday night", "this morning"
    resolve to that day; a bare clock time does not resolve). With ``anchor`` (the event's
    predicate token) the syntactically nearest expression wins; without one, the sentence's
    root stands in for it. ``sent`` may also be a whole Doc. With ``future`` (the event is still
    to come) a bare weekday or day of the year is its next occurrence, not its last. With
    ``announced`` (the event is the announcement of an act to come: "will extend sanctions in
    May") the act's own expressions date the act, not the event: the announcement takes the
    date of the clause that governs it ("said on Monday it will ...") or none.
    """
    if not hasattr(sent, "root"):  # a Doc: take it as one span
        sent = sent[:]
    ents = _date_ents(sent)
    if not ents:
        return None
    if anchor is None or not (sent.start <= anchor.i < sent.end) or anchor.doc is not sent.doc:
        anchor = sent.root
    ancestors = {t.i: n for n, t in enumerate(anchor.ancestors, start=1)}
    ranked = [(r, e) for e in ents if (r := _rank(e, anchor, ancestors)) is not None
              and not (announced and r[0] == 0)]
    for _, ent in sorted(ranked, key=lambda pair: pair[0]):
        resolved = resolve(ent.text, published)
        if resolved is not None:
            # only the event's own expressions look forward: in "On Sunday X said it would ...",
            # Sunday dates the saying
            own = _rank(ent, anchor, ancestors)[0] == 0
            return forward(resolved, published) if future and own else resolved
    return None
