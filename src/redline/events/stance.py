"""What a statement does: the speech act cued in what a speaker said (``data/stance.yaml``).

"Syria said the US plan was a blatant attack on its sovereignty" is an accusation by Syria, not
a bare statement. The cues are read in the statement's content (the reporting verb's clause,
without its subject) and a cue under a negation ("not dangerous") does not count.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from .. import ontology
from .datafiles import load_yaml, word_set
from .modality import modality

NEGATIONS = {"not", "n't", "never", "no"}


@dataclass(frozen=True)
class Act:
    """One speech act: its CAMEO code and its cues, each a tuple of lemmas."""

    name: str
    code: str
    cues: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=None)
def acts() -> tuple[Act, ...]:
    """The acts of ``events/data/stance.yaml``, strongest first."""
    data = load_yaml("stance.yaml")
    out = []
    for item in data["acts"]:
        code = ontology.cameo(str(item["code"])).code  # an unknown code fails at load time
        cues = tuple(tuple(str(c).lower().split()) for c in item["cues"])
        out.append(Act(str(item["act"]), code, cues))
    return tuple(out)


def content(trigger: Token, sent: Span) -> list[Token]:
    """The words a speaker said: the reporting verb's clause without its subject, its
    attribution phrases and the verb itself (a quote before "X said" is in that clause)."""
    skip = {trigger.i}
    for c in trigger.children:
        if c.dep_ in ("nsubj", "nsubjpass", "agent") or (c.dep_ == "prep" and c.lower_ in ("in", "at")) \
                or (c.dep_ == "prep" and c.lower_ == "on" and not _about(c)):
            skip.update(t.i for t in c.subtree)
    return [t for t in trigger.subtree if t.i not in skip and not t.is_punct and sent.start <= t.i < sent.end]


def _about(prep: Token) -> bool:
    """Whether an "on" phrase says what was said about ("promised decisions on a response"), not
    when or where ("said on Monday", "on Twitter", "on BBC One")."""
    return any(g.dep_ == "pobj" and g.pos_ == "NOUN" and not g.ent_type_ for g in prep.children)


def _to_come(tok: Token) -> bool:
    """Whether the clause of ``tok`` speaks of what will or would happen: a threat is about the
    future ("would face consequences"), a risk avoided or a past confrontation is not."""
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return modality(verb)[0] in ("future", "hypothetical") or verb.lemma_.lower() in prospect_verbs()


def prospect_verbs() -> frozenset[str]:
    """Verbs whose object is still to come ("risked a confrontation"; ``events/data/stance.yaml``)."""
    return word_set("stance.yaml", "prospect_verbs")


def _negated(tok: Token) -> bool:
    for t in (tok, tok.head, tok.head.head):
        if any(c.dep_ == "neg" or c.lower_ in NEGATIONS and c.dep_ in ("advmod", "det") for c in t.children):
            return True
    return False


@lru_cache(maxsize=None)
def _by_first_word() -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """Cues indexed by their first word: (rank of the act, cue), so a statement is read once."""
    index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for rank, act in enumerate(acts()):
        for cue in act.cues:
            index.setdefault(cue[0], []).append((rank, cue))
    return {k: tuple(v) for k, v in index.items()}


def speech_act(trigger: Token, sent: Span) -> tuple[Act, str] | None:
    """The strongest act cued in what was said at ``trigger``, with the words that cued it."""
    words = content(trigger, sent)
    lemmas = [t.lemma_.lower() for t in words]
    lowers = [t.lower_ for t in words]
    index = _by_first_word()
    best: tuple[int, str] | None = None
    for i in range(len(words)):
        for first in {lemmas[i], lowers[i]}:
            for rank, cue in index.get(first, ()):
                if best is not None and rank >= best[0]:
                    continue
                n = len(cue)
                if i + n > len(words) or not all(cue[k] in (lemmas[i + k], lowers[i + k]) for k in range(1, n)):
                    continue
                if not ("not" in cue or "never" in cue or "no" in cue) and _negated(words[i]):
                    continue
                if acts()[rank].code.startswith("13") and not _to_come(words[i]) and cue not in standing_threats():
                    continue
                best = (rank, " ".join(w.text for w in words[i:i + n]))
    if best is None:
        return None
    act = acts()[best[0]]
    if act.code == "130" and (force := next((t.text for t in words if t.lemma_.lower() in force_words()), None)):
        return Act("threaten with force", "138", act.cues), f"{best[1]}' with '{force}"
    return act, best[1]


def threat_verbs() -> frozenset[str]:
    """Verbs whose words may make them a threat (``events/data/stance.yaml``)."""
    return word_set("stance.yaml", "threat_verbs")


@lru_cache(maxsize=None)
def standing_threats() -> frozenset[tuple[str, ...]]:
    """Cues that threaten whatever their tense (``events/data/stance.yaml``)."""
    return frozenset(tuple(str(c).lower().split()) for c in load_yaml("stance.yaml").get("standing_threats", []))


def force_words() -> frozenset[str]:
    """Words that make a threat one of force (``events/data/stance.yaml``)."""
    return word_set("stance.yaml", "force_words")


def obligation_words(kind: str) -> frozenset[str]:
    """Words that make a clause what someone must do: ``auxiliaries`` ("must", "should") or
    ``verbs`` taking "to" ("has to"; ``events/data/stance.yaml``). Said of another party, a demand."""
    return word_set("stance.yaml", kind, section="obligation")
