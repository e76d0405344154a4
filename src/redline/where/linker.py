"""A learned event-place linker: given an event's trigger token and the places a sentence names,
which one (if any) is where the event happened.

Candidates (:func:`candidates`) are the sentence's GPE/LOC/FAC entities, capitalised proper
names a gazetteer knows that the entity recogniser missed, and the wire dateline of the text.
Each (trigger, candidate) pair is described by binary features of the spaCy parse
(:func:`pair_features`): the dependency path between the trigger and the place's head (length,
the labels on it, clause boundaries crossed), the preposition governing the place and whether it
hangs on the trigger, the place's own dependency, linear distance and direction, a verb between,
a sentence-initial frame, a place inside an actor's noun phrase ("the Kabul government",
"X-based"), the entity label. A logistic regression scores each pair; :meth:`Linker.link` keeps
the best candidate if its probability reaches the threshold, else says the event has no place
in the sentence.

The weights are ``where/data/linker_weights.tsv`` (``feature<TAB>weight``; ``__bias__`` and
``__threshold__`` rows), trained by ``tools/train_linker.py`` on ``bench/data/linker_train.jsonl``
(sentences written for the project). The coder does not use this module: it is compared with
the rule-based placing in ``bench/location_linker.py``.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Token

from ..ingest.normalise import dateline_town
from . import gazetteer, towns

WEIGHTS_FILE = "linker_weights.tsv"
PLACE_LABELS = ("GPE", "LOC", "FAC")
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "csubj",
                         "parataxis", "csubjpass"})
NOT_GAZ_LABELS = frozenset({"PERSON", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                            "QUANTITY", "LANGUAGE"})  # "June" and "Nov." are towns too
DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                        "northeastern", "northwestern", "southeastern", "southwestern", "away"})
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "agent", "poss"})


@dataclass(frozen=True)
class Candidate:
    """A place the sentence names: its characters, its head token (None for a dateline), kind."""

    start: int
    end: int
    text: str
    head: int | None
    label: str  # GPE, LOC, FAC, GAZ (a gazetteer name the recogniser missed; GAZ_PERSON: one it called a person), DATELINE


def _known(name: str) -> bool:
    return gazetteer.lookup(name) is not None or bool(towns.candidates(name))


def _dateline(text: str, masked: str) -> Candidate | None:
    """The place of a wire dateline the coder blanks (``KABUL (Reuters) -``), if any."""
    span = dateline_town(text) if text != masked else None
    if span is None or masked[span[0]:span[1]].strip():
        return None
    return Candidate(span[0], span[1], text[span[0]:span[1]], None, "DATELINE")


def candidates(doc: Doc, sent_start: int, sent_end: int, text: str | None = None) -> list[Candidate]:
    """The places named in the sentence ``doc[sent_start:sent_end]`` (token indices), in order;
    ``text``, the unmasked text of ``doc``, adds the dateline it starts with."""
    out: list[Candidate] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS and sent_start <= ent.start and ent.end <= sent_end:
            start = ent.start + (doc[ent.start].lower_ == "the" and len(ent) > 1)
            span = doc[start:ent.end]
            while len(span) > 1 and (span[-1].tag_ == "POS" or span[-1].is_punct):
                span = span[:-1]
            taken.update(range(ent.start, ent.end))
            if not any(ch.isupper() for ch in span.text):
                continue  # "the eastern coast": no name
            out.append(Candidate(span.start_char, span.end_char, span.text, span.root.i, ent.label_))
    i = sent_start
    while i < sent_end:  # capitalised proper names a gazetteer knows, outside the entities
        tok = doc[i]
        person = tok.ent_type_ == "PERSON" and tok.dep_ in ("pobj", "dobj")  # "near Gao", "captured Jaffna"
        if i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper() \
                or tok.ent_type_ in NOT_GAZ_LABELS and not person:
            i += 1
            continue
        j = i + 1
        while j < sent_end and j not in taken and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() \
                and doc[j].ent_type_ == tok.ent_type_:
            j += 1
        span = doc[i:j]
        if person and (len(span) > 1 or span.root.dep_ not in ("pobj", "dobj")):
            i = j
            continue
        if not (span.text.isupper() and len(span.text) <= 3) and _known(span.text):
            out.append(Candidate(span.start_char, span.end_char, span.text, span.root.i,
                                 "GAZ_PERSON" if person else "GAZ"))
        i = j
    if text is not None and all(t.is_space for t in doc[:sent_start]):  # the first sentence (after a blanked dateline)
        dl = _dateline(text, doc.text)
        if dl is not None:
            out.append(dl)
    return sorted(out, key=lambda c: c.start)


def _ancestors(tok: Token) -> list[Token]:
    """``tok`` and its heads up to the root of its sentence."""
    chain = [tok]
    while chain[-1].head.i != chain[-1].i and len(chain) < 64:
        chain.append(chain[-1].head)
    return chain


def _clause(tok: Token) -> int:
    """The token index of the verb (or clause head) of ``tok``'s clause."""
    for t in _ancestors(tok):
        if t.pos_ in ("VERB", "AUX") or t.dep_ in CLAUSE_DEPS and t.pos_ != "PROPN":
            return t.i
    return tok.sent.root.i


@functools.cache
def _event_class(lemma: str, pos: str) -> str:
    """The kind of event the predicate lexicon makes of a trigger word: ``report`` (a speech
    verb), ``verbal`` (CAMEO 01-05), ``coop`` (06-08), ``hostile`` (09-13, 16), ``protest``
    (14-15), ``force`` (17-20), or ``none`` (no event row)."""
    from ..events.lexicon import builtin

    rows = [r for r in builtin().candidates(lemma, pos) if r.cameo]
    if not rows:
        return "none"
    if any(r.role == "report" for r in rows):
        return "report"
    root = int(rows[0].cameo[:2])
    if root <= 5:
        return "verbal"
    if root <= 8:
        return "coop"
    if root in (14, 15):
        return "protest"
    return "force" if root >= 17 else "hostile"


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def pair_features(trigger: Token, cand: Candidate, cands: list[Candidate]) -> list[str]:
    """The binary features of the pair (trigger, candidate): names of the features that are on."""
    doc = trigger.doc
    f = [f"label={cand.label}"]
    if cand.head is None:  # a dateline: only its kind and whether the sentence names other places
        f.append("dateline_alone" if len(cands) == 1 else "dateline_with_others")
        f.append(f"dateline_class={_event_class(trigger.lemma_.lower(), 'NOUN' if trigger.pos_ == 'NOUN' else 'VERB')}")
        return f
    h = doc[cand.head]
    up_t, up_h = _ancestors(trigger), _ancestors(h)
    ids_t = {t.i: k for k, t in enumerate(up_t)}
    lca_k = next((k for k, t in enumerate(up_h) if t.i in ids_t), None)
    if lca_k is None:
        f.append("other_tree")
    else:
        down = ids_t[up_h[lca_k].i]  # steps from the trigger up to the common head
        up = lca_k                   # steps from the place up to it
        f.append(f"path_len={_bucket(up + down, (1, 2, 3, 4, 6))}")
        f.append(f"trigger_up={_bucket(down, (0, 1, 2))}")
        f.append(f"place_up={_bucket(up, (1, 2, 3, 4))}")
        labels = [t.dep_ for t in up_h[:lca_k]] + [t.dep_ for t in up_t[:down]]
        for dep in sorted(set(labels) & CLAUSE_DEPS):
            f.append(f"path_has={dep}")
        for prep in sorted({t.lower_ for t in up_h[1:lca_k] if t.dep_ == "prep"}):
            f.append(f"path_prep={prep}")
        if down == 0:
            f.append("under_trigger")
            # the place's path below the trigger: the first two labels from the trigger down
            below = [t.dep_ for t in reversed(up_h[:lca_k])]
            f.append(f"below={'/'.join(below[:2])}")
            top = up_h[lca_k - 1] if lca_k else None  # the place's branch on the trigger
            if top is not None and top.dep_ == "prep":
                f.append(f"top_prep={top.lower_}")
            if any(d in ("relcl", "acl", "ccomp", "advcl") for d in below):
                f.append("below_trigger_in_subclause")
        if up == 0:
            f.append("trigger_under_place")
    if _clause(h) == (trigger.i if trigger.pos_ in ("VERB", "AUX") else _clause(trigger)):
        f.append("same_clause")
    f.append(f"place_dep={h.dep_}")
    place = gazetteer.lookup(cand.text)
    if place is not None and place.kind == "country":
        f.append("country_name")
    # nested places: "Palmyra in the Homs province", "Syria's Aleppo province": the inner name is
    # the more specific one
    others = [doc[c.head] for c in cands if c.head is not None and c.head != h.i]
    if any(h in list(o.ancestors) for o in others):
        f.append("has_place_below")
    if any(o in list(h.ancestors) for o in others):
        f.append("under_other_place")
    if h.dep_ == "poss" and any(o in list(h.head.subtree) for o in others):
        f.append("possessor_of_place_phrase")  # "Iraq's northern city of Kirkuk"
    if place is not None and place.kind == "country" and others:
        f.append("country_name_among_others")
    if cand.label.startswith("GAZ"):
        f.append(f"gaz_ent={h.ent_type_ or 'none'}")  # "Apache" (a product), "State" (of an ORG)
    if h.dep_ == "pobj":
        prep = h.head
        f.append(f"prep={prep.lower_}")
        if prep.head.i == trigger.i:
            f.append(f"prep_on_trigger={prep.lower_}")
        elif prep.head.pos_ in ("NOUN", "PROPN"):
            f.append("prep_on_noun")
            if prep.head.head.i == trigger.i:
                f.append(f"prep_on_trigger_noun={prep.head.dep_}")
    if h.dep_ in ("compound", "amod", "nmod", "poss") and h.head.pos_ in ("NOUN", "PROPN"):
        noun = h.head
        f.append("modifies_noun")
        if noun.dep_ in ACTOR_DEPS:
            f.append(f"in_actor_np={noun.dep_}")
            if noun.head.i == trigger.i:
                f.append(f"in_trigger_actor_np={noun.dep_}")
    if h.dep_ in ("nsubj", "nsubjpass") and h.head.i == trigger.i:
        f.append("subject_of_trigger")
    if h.dep_ == "dobj" and h.head.i == trigger.i:
        f.append("object_of_trigger")
    if h.dep_ == "pobj" and h.head.lower_ in ("of", "from") and (
            h.head.head.lower_ in DIRECTIONS or h.head.head.lower_ in ("outskirts", "suburbs", "countryside")):
        # "40 km north of Baghdad", "west of the city": a reference point; "outskirts of Kabul": the place
        f.append(f"reference_of={'direction' if h.head.head.lower_ in DIRECTIONS else 'edge'}")
        if others:
            f.append("direction_of_with_others" if h.head.head.lower_ in DIRECTIONS else "edge_of_with_others")
    nxt = doc[h.i + 1:h.i + 3]
    if any(t.lower_ in ("based", "-based") for t in nxt) or doc.text[cand.end:cand.end + 6] == "-based":
        f.append("based")
    dist = h.i - trigger.i
    f.append(f"after={dist > 0}")
    f.append(f"dist={_bucket(abs(dist), (2, 4, 7, 12, 20))}")
    lo, hi = sorted((h.i, trigger.i))
    if any(t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass", "amod") for t in doc[lo + 1:hi]):
        f.append("verb_between")
    sent = trigger.sent
    if h.i < trigger.i and any(t.text == "," for t in doc[h.i:trigger.i]) \
            and doc[sent.start].lower_ in ("in", "at", "near", "across", "on", "outside", "from", "earlier", "later") \
            and h.i - sent.start <= 8:
        f.append("leading_frame")
    if any(c.dep_ == "ccomp" for c in trigger.children):
        f.append("trigger_reports")
    if not any(c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "into", "outside", "inside", "across",
                                                   "around", "over", "off", "on")
               for c in trigger.children):
        f.append("trigger_without_place_prep")
    # rank: is this the nearest candidate to the trigger in the tree (and in words)?
    heads = [c.head for c in cands if c.head is not None]
    if heads and abs(h.i - trigger.i) == min(abs(x - trigger.i) for x in heads):
        f.append("nearest_linear")
    f.append(f"n_cands={_bucket(len(cands), (1, 2, 3))}")
    # the same structure means different things for a speech verb and an attack
    # ("Moscow accused Washington" vs "captured Goma"): the key features crossed with the class
    cls = _event_class(trigger.lemma_.lower(), "NOUN" if trigger.pos_ == "NOUN" else "VERB")
    f.append(f"class={cls}")
    for x in list(f):
        if x.startswith(("prep_on_trigger=", "object_of_trigger", "subject_of_trigger", "in_actor_np",
                         "under_trigger", "same_clause", "path_has=", "trigger_under_place", "top_prep=",
                         "verb_between")):
            f.append(f"{cls}&{x}")
    return f


@dataclass(frozen=True)
class Weights:
    """A trained model: a weight per feature, a bias and the decision threshold (probability)."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: list[str]) -> float:
        """The model's probability that the pair is the event and its place."""
        z = self.bias + sum(self.weights.get(x, 0.0) for x in features)
        return 1.0 / (1.0 + math.exp(-z))

    def dump(self) -> str:
        """The TSV text of the weights (see the module docstring)."""
        rows = [f"__bias__\t{self.bias:.6f}", f"__threshold__\t{self.threshold:.4f}"]
        rows += [f"{k}\t{v:.6f}" for k, v in sorted(self.weights.items()) if v != 0.0]
        return "\n".join(rows) + "\n"


def parse_weights(text: str, source: str = WEIGHTS_FILE) -> Weights:
    """Weights from TSV text; a ValueError names the source and the bad line."""
    weights: dict[str, float] = {}
    bias = threshold = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, value = line.partition("\t")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{source}:{n}: expected 'feature<TAB>number', got {line!r}") from None
        if name == "__bias__":
            bias = number
        elif name == "__threshold__":
            threshold = number
        else:
            weights[name] = number
    if bias is None or threshold is None:
        raise ValueError(f"{source}: __bias__ and __threshold__ rows are required")
    return Weights(weights, bias, threshold)


@functools.cache
def shipped_weights() -> Weights:
    """The weights shipped with the package (``where/data/linker_weights.tsv``)."""
    res = resources.files("redline.where").joinpath("data").joinpath(WEIGHTS_FILE)
    return parse_weights(res.read_text(encoding="utf-8"), str(res))


def load_weights(path: Path) -> Weights:
    """Weights from a TSV file."""
    return parse_weights(path.read_text(encoding="utf-8"), str(path))


class Linker:
    """Links an event trigger to the place of its sentence where the event happened."""

    def __init__(self, weights: Weights | None = None) -> None:
        self.weights = weights or shipped_weights()

    def scores(self, trigger: Token, text: str | None = None) -> list[tuple[Candidate, float]]:
        """Every candidate place of the trigger's sentence with its probability."""
        sent = trigger.sent
        cands = candidates(trigger.doc, sent.start, sent.end, text)
        return [(c, self.weights.probability(pair_features(trigger, c, cands))) for c in cands]

    def link(self, trigger: Token, text: str | None = None) -> Candidate | None:
        """The place of the event on ``trigger``: the best candidate if its probability reaches the
        threshold, else None. ``text``: the unmasked text of the document (for its dateline)."""
        scored = self.scores(trigger, text)
        if not scored:
            return None
        best, p = max(scored, key=lambda cp: (cp[1], -cp[0].start))
        return best if p >= self.weights.threshold else None


def trigger_token(doc: Doc, start: int, end: int) -> Token | None:
    """The token of ``doc`` that is the trigger at characters ``start:end``: the first verb or noun
    overlapping it, else the first token overlapping it."""
    toks = [t for t in doc if t.idx < end and start < t.idx + len(t.text)]
    return next((t for t in toks if t.pos_ in ("VERB", "NOUN", "AUX")), toks[0] if toks else None)
