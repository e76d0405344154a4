"""Modality: whether a clause reports a fact, a denial, a condition, a plan or a rumour.

Cue words live in ``events/data/modality.yaml``. A trigger's own auxiliaries, negation and
adverbs count first; then the clauses that govern it, up to the nearest reporting verb ("X said
that ...": what X said keeps its own modality).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from .datafiles import load_yaml, word_set
from .lexicon import instrument_nouns

ORDER = ("negated", "hypothetical", "uncertain", "future")
CLAUSE_LINKS = {"xcomp", "ccomp", "advcl", "pcomp", "conj", "pobj", "prep", "acl", "relcl", "csubj", "dobj"}


@dataclass(frozen=True)
class Cues:
    auxiliaries: dict[str, frozenset[str]]
    markers: dict[str, frozenset[str]]
    words: dict[str, frozenset[str]]
    governors: dict[str, frozenset[str]]
    triggers: dict[str, frozenset[str]]
    claims: frozenset[str]  # nouns that call a report a claim ("..., a claim denied by Kyiv")


@lru_cache(maxsize=None)
def cues() -> Cues:
    data = load_yaml("modality.yaml")
    def part(name: str) -> dict[str, frozenset[str]]:
        return {m: frozenset(str(w).lower() for w in data.get(m, {}).get(name, [])) for m in ORDER}
    return Cues(part("auxiliaries"), part("markers"), part("words"), part("governors"), part("triggers"),
                frozenset(str(w).lower() for w in data.get("uncertain", {}).get("claims", [])))


def _prep_markers() -> frozenset[str]:
    return word_set("modality.yaml", "prep_markers", section="hypothetical")


def conditional_phrase(child: Token) -> bool:
    """Whether a clause's preposition opens a condition: "in case ...", "in the event ..."."""
    if child.dep_ != "prep" or child.i > child.head.i:  # it opens the clause: "in case X attacks", not "attacks in case"
        return False
    return any(" ".join(t.lower_ for t in child.doc[child.i:g.i + 1]) in _prep_markers()
               for g in child.children if g.dep_ == "pobj" and g.i - child.i <= 2)


def _own(token: Token, c: Cues) -> tuple[str, str] | None:
    """Modality marked on the clause headed by ``token`` itself."""
    found: dict[str, str] = {}
    for child in token.children:
        low = child.lower_
        if child.dep_ == "neg" or (child.dep_ in ("advmod", "det") and low in c.words["negated"]):
            found.setdefault("negated", child.text)
        elif child.dep_ in ("aux", "auxpass"):
            for m in ("hypothetical", "uncertain", "future"):
                if low in c.auxiliaries[m]:
                    found.setdefault(m, child.text)
        elif (child.dep_ == "mark" and low in c.markers["hypothetical"]) or conditional_phrase(child):
            found.setdefault("hypothetical", child.text)
        elif child.dep_ in ("advmod", "amod") and low in c.words["uncertain"]:
            found.setdefault("uncertain", child.text)
        elif child.dep_ in ("amod", "advmod", "npadvmod") and low in c.words["hypothetical"]:
            found.setdefault("hypothetical", child.text)
        elif child.dep_ == "dobj" and token.lemma_.lower() != "have" \
                and any(g.dep_ == "det" and g.lower_ == "no" for g in child.children):
            found.setdefault("negated", "no")  # "has given them no promises" (but "had no comment" declines)
        elif child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and child.lemma_.lower() in instrument_nouns()):
            # "Suspected Israeli missiles were fired": the act is unconfirmed (not "a suspected spy was arrested")
            hedge = next((m.text for m in child.children if m.dep_ == "amod" and m.lower_ in c.words["uncertain"]), None)
            if hedge is not None:
                found.setdefault("uncertain", hedge)
    for m in ORDER:
        if m in found:
            return m, found[m]
    return None


@lru_cache(maxsize=None)
def background_adverbs() -> frozenset[str]:
    """Adverbs that make a clause background, not news ("has previously refused")."""
    data = load_yaml("modality.yaml")
    return frozenset(str(w).lower() for w in data.get("background", {}).get("adverbs", []))


def _reported(trigger: Token, stop_at: set[int]) -> bool:
    """Whether ``trigger`` heads (or is conjoined in) what a reporting verb says, outside any
    condition ("said that if ..., it would ..." keeps its "would" hypothetical)."""
    token = trigger
    for _ in range(6):
        if any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in token.children):
            return False
        if token.head.i == token.i or token.dep_ not in ("ccomp", "conj"):
            return False
        if token.head.i in stop_at:
            return token.dep_ == "ccomp"
        token = token.head
    return False


def _claimed(trigger: Token, stop_at: set[int], c: Cues) -> str:
    """Why what the reporting verb above ``trigger`` says is only a claim: the verb claims or
    alleges ("X claimed that ..."), or the report is called a claim ("..., a claim denied by
    Kyiv"). Empty when it is not."""
    token = trigger
    for _ in range(6):
        if token.dep_ not in CLAUSE_LINKS or token.head.i == token.i:
            return ""
        head = token.head
        if head.i in stop_at:
            if token.dep_ in ("ccomp", "xcomp") and head.lemma_.lower() in c.governors["uncertain"]:
                return f"reported with '{head.text}'"
            noun = next((t for t in head.subtree if t.dep_ == "appos" and t.lemma_.lower() in c.claims), None)
            return f"reported as '{noun.text}'" if noun is not None else ""
        token = head
    return ""


def modality(trigger: Token, stop_at: set[int] | None = None) -> tuple[str, str]:
    """(modality, cue) for the event whose predicate is ``trigger``.

    ``stop_at`` holds token indices of reporting verbs: the walk up the tree stops there.
    """
    c = cues()
    stop_at = stop_at or set()
    own = _own(trigger, c)
    if own and own[0] == "hypothetical" and own[1].lower() == "would" and _reported(trigger, stop_at):
        # "Shoigu said all units would redeploy": reported speech's "would" is the future then
        own = ("future", own[1])
    if own:
        return own[0], f"'{own[1]}' on '{trigger.text}'"
    claimed = _claimed(trigger, stop_at, c)
    if claimed:  # a claim stays a claim, whatever it says is to come
        return "uncertain", claimed
    for m in ORDER:
        if trigger.lemma_.lower() in c.triggers[m]:
            return m, f"'{trigger.text}' itself"
    infinitive = any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in trigger.children)
    if infinitive and trigger.dep_ == "acl":  # "the plot to kill", "efforts to negotiate": not done
        return "hypothetical", f"'to {trigger.text}' says what '{trigger.head.text}' is for"
    if infinitive and trigger.dep_ == "advcl" and trigger.head.lemma_.lower() in c.governors["hypothetical"]:
        # "forces raised by Washington to fight Isis": what they were raised for
        return "hypothetical", f"'to {trigger.text}' says what '{trigger.head.text}' was for"
    token = trigger
    for _ in range(6):
        if token.dep_ not in CLAUSE_LINKS or token.head.i == token.i:
            break
        head = token.head
        lemma = head.lemma_.lower()
        if head.i in stop_at:  # what X said keeps its own modality (claims: see _claimed)
            break
        inherited = _own(head, c)
        if inherited and inherited[0] == "negated" and token.dep_ in ("xcomp", "ccomp", "conj", "pcomp"):
            return "negated", f"'{inherited[1]}' on governing '{head.text}'"
        if token.dep_ in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acl"):
            for m in ORDER:
                if lemma in c.governors[m] or (head.pos_ in ("NOUN", "ADJ") and lemma in c.words[m]):
                    return m, f"'{head.text}' governs '{trigger.text}'"
        if inherited and (token.dep_ in ("conj", "xcomp", "advcl", "ccomp", "pcomp")
                          or inherited[0] == "hypothetical"):
            return inherited[0], f"'{inherited[1]}' on governing '{head.text}'"
        token = head
    return "factual", ""
