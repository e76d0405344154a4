"""Coded events + the parse of a document -> red-line statements (``record.Statement``).

A red line is a threat with a condition: "sending troops to Ukraine would carry serious risks",
"if Western countries insist on such a course, Moscow would respond". It is read where the
coder found a threat (CAMEO 13x), a demand, disapproval or rejection with a condition (10x-12x),
or, with no such event, a cue that declares one ("any ... would be met with", "legitimate
targets", "a red line") and a speaker the sentence or the one before names. The sentence gives:

- the *condition* (the trigger): an "if"/"unless"/"in the event of" clause, a subject that is a
  class of acts ("any deployment", "dispatching troops", "such moves", "Japan's hostile acts"),
  an object of a response ("would retaliate against any strike", "would shoot down any aircraft
  that ..."), what will "not be tolerated", what one is "warned against", the demand of an
  ultimatum ("withdraw by Friday or face ...": not complying, REJECT), or what "is a red line";
- the *response* (the consequence): the clause to come that the condition governs, named by
  response words (``consequences`` in the data file) or by a coercive act of the predicate
  lexicon ("would close the strait"); an act announced on a condition ("will strike Iran if ...")
  is its own response.

Look-alikes are left out: negated responses, offers (a benefit as the response), nature and
observers (analysts, former officials) as speakers or responders, concessions ("even if"),
questions, negotiating positions ("a red line in the talks"), advice to one's own people.

The trigger becomes a pattern (actors, "foreign" = anyone but the declarer, sector, act types,
places, targets); a vague one ("such a course") is read from the nearest act told before it.
A statement that restates a red line of the same declarer earlier in the document, with an
equal or narrower pattern, takes that red line's pattern, so the ledger merges them.

The word lists are in ``redlines/data/redlines.yaml`` (users add their own file).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from .. import ontology
from ..actors import DocActors
from ..events.lexicon import PredicateLexicon, document_nouns, event_anaphors
from ..events.coder import COGNITION_VERBS, SentenceCoder
from ..events.modality import conditional_phrase, cues as modality_cues
from ..events.stance import prospect_verbs
from ..schema import Actor, Document, Event
from ..data_yaml import parse_data_yaml
from ..user_yaml import read_yaml_file
from .record import SEVERITIES, STANCES, Consequence, Statement, Trigger

CONDITION_ROOTS = ("01", "10", "11", "12")  # statements, demands, disapproval, rejections: only with a response named
THREAT_ROOT = "13"
SPEECH_ROOTS = ("01", "02", "10", "11", "12", "13")  # what a speaker does: who may be declaring
ACT_SKIP_ROOTS = ("01", "02", "10", "11", "12", "13")  # sayings are no act warned against
PLACE_KINDS = ("country", "adjective", "capital", "region", "city", "area", "metonym")
ACTOR_KINDS = ("country", "adjective", "capital", "region", "metonym", "org", "person")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
MAX_USER_BYTES = 1_000_000
LOOKBACK_SENTENCES = 3


class RedlineWordsError(ValueError):
    """A red-line word file that cannot be used; the message names the file and the field."""


# -- the word tables ----------------------------------------------------------------------------
Phrase = tuple[str, ...]


@dataclass(frozen=True)
class ActRule:
    words: tuple[Phrase, ...]
    type: str
    cameo: str
    with_: frozenset[str] = frozenset()
    last: bool = False
    not_with: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ConsequenceRule:
    words: tuple[Phrase, ...]
    type: str | None
    cameo: str | None
    severity: str
    also: tuple[Phrase, ...] = ()  # words that name the kind of response but threaten nothing alone


@dataclass(frozen=True)
class Words:
    """The tables of ``redlines.yaml`` (and users' files), checked."""

    sets: dict[str, frozenset[str]]
    phrases: dict[str, tuple[Phrase, ...]]
    acts: tuple[ActRule, ...]
    consequences: tuple[ConsequenceRule, ...]
    stances: tuple[tuple[str, tuple[Phrase, ...]], ...]
    act_severity: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> frozenset[str]:
        return self.sets[key]


SET_KEYS = ("any_objects", "demand_modals", "demand_verbs", "commitment_modals", "state_sectors", "unless_marks", "to_come_governors", "conditional_acts", "warn_verbs", "concessive_words", "regard_verbs", "suffer_verbs", "own_possessives", "condition_marks", "response_modals", "any_determiners", "vague_nouns", "foreign_words",
            "troop_words", "weapon_words", "place_preps", "target_preps", "to_is_place", "not_declarers",
            "not_declarer_sectors", "natural_words", "circumstance_words", "benefit_verbs", "negotiation_words")
PHRASE_KEYS = ("skip_phrases", "response_verbs", "vague_determiners", "cue_phrases", "object_cues", "stance_objects")


def _phrase(value: Any) -> Phrase:
    return tuple(str(value).lower().split())


def _read(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RedlineWordsError(f"{where}: a mapping of lists is expected, not {type(raw).__name__}")
    for key in (*SET_KEYS, *PHRASE_KEYS, "acts", "consequences", "stances"):
        if key in raw and not isinstance(raw[key], list):
            raise RedlineWordsError(f"{where}: field '{key}' must be a list")
    for key in (*SET_KEYS, *PHRASE_KEYS):
        for k, word in enumerate(raw.get(key) or []):
            if not isinstance(word, str):  # YAML reads bare on/no/yes as booleans
                raise RedlineWordsError(f"{where}: {key}[{k}] is {word!r}, not a word (quote it: \"{word}\")")
    severity = raw.get("act_severity", {})
    if not isinstance(severity, dict) or any(not str(k).isdigit() or v not in SEVERITIES for k, v in severity.items()):
        raise RedlineWordsError(f"{where}: field 'act_severity' must map CAMEO code prefixes (quoted digits) "
                                f"to one of {', '.join(SEVERITIES)}")
    unknown = set(raw) - {*SET_KEYS, *PHRASE_KEYS, "acts", "consequences", "stances", "act_severity"}
    if unknown:
        raise RedlineWordsError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return raw


def _acts(items: list[Any], sets: dict[str, frozenset[str]], where: str) -> list[ActRule]:
    out = []
    for k, item in enumerate(items):
        at = f"{where}: acts[{k}]"
        if not isinstance(item, dict) or not item.get("words") or not item.get("cameo"):
            raise RedlineWordsError(f"{at}: needs 'words' and 'cameo'")
        code, plover = _code_and_type(item, at)
        if plover is None:
            raise RedlineWordsError(f"{at}: CAMEO {code} has no PLOVER type in the CAMEO table")
        with_ = item.get("with") or []
        if isinstance(with_, str):
            if with_ not in sets:
                raise RedlineWordsError(f"{at}: 'with: {with_}' names no word list")
            with_words = sets[with_]
        else:
            with_words = frozenset(str(w).lower() for w in with_)
        not_with = frozenset(str(w).lower() for w in item.get("not_with") or [])
        out.append(ActRule(tuple(_phrase(w) for w in item["words"]), plover, code, with_words, bool(item.get("last")),
                           not_with))
    return out


def _code_and_type(item: dict[str, Any], at: str) -> tuple[str, str | None]:
    """A rule's CAMEO code and its PLOVER type from the CAMEO table (one mapping for all of
    Redline); a ``type`` written beside it must be that one."""
    try:
        entry = ontology.cameo(str(item["cameo"]))
        written = ontology.plover(str(item["type"])).name if item.get("type") else None
    except (KeyError, ValueError) as err:
        raise RedlineWordsError(f"{at}: {err}") from None
    if written is not None and written != entry.plover:
        raise RedlineWordsError(f"{at}: type {written} is not CAMEO {entry.code}'s PLOVER type ({entry.plover})")
    return entry.code, entry.plover


def _consequences(items: list[Any], where: str) -> list[ConsequenceRule]:
    out = []
    for k, item in enumerate(items):
        at = f"{where}: consequences[{k}]"
        if not isinstance(item, dict) or not item.get("words"):
            raise RedlineWordsError(f"{at}: needs 'words'")
        severity = str(item.get("severity") or "unspecified")
        if severity not in SEVERITIES:
            raise RedlineWordsError(f"{at}: severity '{severity}' is not one of {', '.join(SEVERITIES)}")
        code, kind = _code_and_type(item, at) if item.get("cameo") else (None, None)
        out.append(ConsequenceRule(tuple(_phrase(w) for w in item["words"]), kind, code, severity,
                                   tuple(_phrase(w) for w in item.get("also") or [])))
    return out


def _stances(items: list[Any], where: str) -> list[tuple[str, tuple[Phrase, ...]]]:
    out = []
    for k, item in enumerate(items):
        if not isinstance(item, dict) or item.get("stance") not in STANCES or not item.get("words"):
            raise RedlineWordsError(f"{where}: stances[{k}]: needs 'stance' (one of {', '.join(STANCES)}) and 'words'")
        out.append((str(item["stance"]), tuple(_phrase(w) for w in item["words"])))
    return out


def load_words(extra: Iterable[str | Path] = ()) -> Words:
    """The built-in tables plus users' files (their lists are added; their rules come first)."""
    layers: list[tuple[dict[str, Any], str]] = []
    for path in extra:
        data = read_yaml_file(path, MAX_USER_BYTES, RedlineWordsError, "red-line words file")
        layers.append((_read(data, str(path)), str(path)))
    layers.append((_builtin_raw(), "redlines/data/redlines.yaml"))
    sets: dict[str, frozenset[str]] = {}
    phrases: dict[str, tuple[Phrase, ...]] = {}
    for key in SET_KEYS:
        sets[key] = frozenset(str(w).lower() for raw, _ in layers for w in raw.get(key, []))
    for key in PHRASE_KEYS:
        phrases[key] = tuple(dict.fromkeys(_phrase(w) for raw, _ in layers for w in raw.get(key, [])))
    sets["type_names"] = frozenset(str(w).upper() for w in sets["to_is_place"])
    acts = [a for raw, where in layers for a in _acts(raw.get("acts", []), sets, where)]
    acts = [a for a in acts if not a.last] + [a for a in acts if a.last]
    consequences = [c for raw, where in layers for c in _consequences(raw.get("consequences", []), where)]
    stances = [s for raw, where in layers for s in _stances(raw.get("stances", []), where)]
    act_severity: dict[str, str] = {}
    for raw, _ in reversed(layers):  # users' prefixes over the built-in ones
        act_severity.update({str(k): str(v) for k, v in (raw.get("act_severity") or {}).items()})
    return Words(sets, phrases, tuple(acts), tuple(consequences), tuple(stances), act_severity)


@lru_cache(maxsize=1)
def _builtin_raw() -> dict[str, Any]:
    text = (resources.files("redline.redlines") / "data" / "redlines.yaml").read_text("utf-8")
    return _read(parse_data_yaml(text), "redlines/data/redlines.yaml")


@lru_cache(maxsize=1)
def builtin_words() -> Words:
    """The built-in tables, read once per process."""
    return load_words()


# -- matching words -----------------------------------------------------------------------------
def _forms(t: Token) -> tuple[str, str]:
    return t.lemma_.lower(), t.lower_


def find_phrase(phrases: Iterable[Phrase], tokens: list[Token]) -> tuple[Phrase, int] | None:
    """The one of ``phrases`` found earliest in ``tokens`` (lemmas or words, in order), and where."""
    forms = [_forms(t) for t in tokens]
    present = {f for pair in forms for f in pair}
    best: tuple[Phrase, int] | None = None
    for phrase in phrases:
        if not present.issuperset(phrase):  # (most phrases have a word that is not there at all)
            continue
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if all(phrase[k] in forms[i + k] for k in range(n)):
                if best is None or i < best[1]:
                    best = (phrase, i)
                break
    return best


def _has(words: frozenset[str], tokens: Iterable[Token]) -> Token | None:
    for t in tokens:
        if t.lemma_.lower() in words or t.lower_ in words:
            return t
    return None


# -- a statement's structure ----------------------------------------------------------------------
@dataclass
class Frame:
    """The parts of a threat in a sentence: condition, response, and how they were found."""

    condition: list[Token]
    response: list[Token]
    response_head: Token
    how: str
    cue: str = ""
    doers: list[Token] = field(default_factory=list)  # who would act, named outside the condition
    act: Event | None = None  # the response is this (announced) event itself
    comply: bool = False  # the trigger is not complying ("unless X withdraws", "withdraw or face ...")


def _subtree(tok: Token, sent: Span, skip: set[int] = frozenset()) -> list[Token]:
    return [t for t in tok.subtree if sent.start <= t.i < sent.end and t.i not in skip]


def _negated(tok: Token) -> bool:
    """Whether the clause of ``tok`` is negated ("would not respond"; modality.yaml's words)."""
    words = modality_cues().words["negated"]
    return any(c.dep_ == "neg" or c.dep_ in ("advmod", "det") and c.lower_ in words for c in tok.children)


class Extractor:
    """Red-line statements from a coded, parsed document. Build once: the tables load once."""

    def __init__(self, predicates: PredicateLexicon | None = None, words: Words | None = None) -> None:
        self.words = words or builtin_words()
        self.predicates = predicates
        w = self.words
        # each cue phrase's longest (rarest) word: a sentence without one has no cue phrase
        self._cue_keys = frozenset(max(p, key=len) for p in w.phrases["cue_phrases"])
        self._vague = w["vague_nouns"] | event_anaphors()
        self._act_words = frozenset(p[0] for a in w.acts for p in a.words)
        # acts named by what is done, not by who does it ("strikes", not "troops")
        self._acts_proper = frozenset(p[0] for a in w.acts if not a.last for p in a.words) - w["troop_words"]
        self._consequence_words = tuple(p for c in w.consequences for p in c.words)
        self._suffer = w["suffer_verbs"] | prospect_verbs()
        self._hashes: tuple[Any, tuple[frozenset[int], ...]] | None = None

    # -- the document ---------------------------------------------------------------------------
    def extract(self, document: Document, doc: Doc, events: list[Event], actors: DocActors) -> list[Statement]:
        """The red-line statements of one document, from its parse and its coded events."""
        by_sentence: dict[int, list[Event]] = {}
        for e in events:
            by_sentence.setdefault(e.sentence_index, []).append(e)
        sents = None
        out: list[Statement] = []
        hashes = self._cue_hashes(doc)
        words = doc.to_array([LOWER, LEMMA])
        for index, sent in enumerate(doc.sents):
            evs = by_sentence.get(index, ())
            candidates = [e for e in evs if self._candidate(e)]
            if not candidates and not self._cued(set(words[sent.start:sent.end].ravel().tolist()), hashes):
                continue
            if sents is None:
                sents = list(doc.sents)
            out.extend(self._sentence(document, sents, index, candidates, by_sentence, actors))
        return self._restatements(out)

    def _candidate(self, e: Event) -> bool:
        if e.source is None or not (e.source.country or e.source.code):
            return False
        if self._conditional_act(e):
            return True
        return e.cameo_root in (THREAT_ROOT, *CONDITION_ROOTS) and e.modality not in ("negated", "hypothetical")

    def _conditional_act(self, e: Event) -> bool:
        """An act announced for a condition ("will strike Iran if ..."): future or hypothetical force."""
        return e.cameo_root in self.words["conditional_acts"] and e.modality in ("future", "hypothetical")

    def _cue_hashes(self, doc: Doc) -> tuple[frozenset[int], ...]:
        """The cue words as the vocabulary's hashes: (cue phrases' key words, modals, "any" and
        condition words or act nouns)."""
        if self._hashes is None or self._hashes[0] is not doc.vocab:
            strings = doc.vocab.strings
            w = self.words
            groups = (self._cue_keys, w["response_modals"],
                      w["any_determiners"] | w["condition_marks"] | self._acts_proper | self._vague)
            self._hashes = (doc.vocab, tuple(frozenset(strings.add(x) for x in g) for g in groups))
        return self._hashes[1]

    @staticmethod
    def _cued(words: set[int], hashes: tuple[frozenset[int], ...]) -> bool:
        """A cheap look for the words that may declare a red line without a threat event: a cue
        phrase's key word, or a modal with "any", "if" or an act noun (a response may be named by
        a coercive act the predicate lexicon knows, which no word list screens)."""
        cue, modal, anyword = hashes
        return bool(words & cue) or bool(words & modal and words & anyword)

    def _sentence(self, document: Document, sents: list[Span], index: int, candidates: list[Event],
                  by_sentence: dict[int, list[Event]], actors: DocActors) -> list[Statement]:
        sent = sents[index]
        out: dict[tuple, Statement] = {}
        frames: list[tuple[Frame, Event | None, Actor, str]] = []
        for e in candidates:
            head = sent.doc[int(e.trigger.split(":", 1)[0])]
            region = _subtree(head, sent) if head.i >= sent.start and head.i < sent.end else list(sent)
            if self._conditional_act(e):  # the act is the response: its own condition, or nothing
                frame = self._frame(sent, region, True)
                if frame is None or frame.response_head.i != head.i or not frame.how.startswith("condition"):
                    continue
                frame.act = e
            else:
                # in what the threat says (its verb's clause), a condition need not name the response
                frame = self._frame(sent, region, e.cameo_root == THREAT_ROOT) or self._frame(sent, list(sent), False)
            if frame is None:
                continue
            if e.cameo_root in CONDITION_ROOTS and not frame.cue:
                continue  # a demand with a condition threatens nothing ("asked for help if ...")
            if self._suffers(frame, e, actors):
                # "Erdogan said Damascus would face consequences": Damascus is warned, Erdogan warns
                teller = e.reported_by
                if teller is None or not (teller.country or teller.code) or teller.country == e.source.country:
                    continue
                frames.append((frame, replace(e, target=e.source), teller,
                               f"declarer '{teller.text}': who says '{e.source.text}' would "
                               f"{frame.response_head.text} it ({teller.resolved_by or 'resolved'})"))
                continue
            frames.append((frame, e, e.source, f"declarer '{e.source.text}' from the {e.cameo} "
                                                 f"{e.cameo_name} event: {e.source.resolved_by or 'resolved'}"))
        if not candidates:
            frame = self._frame(sent, list(sent), False)
            if frame is not None and frame.cue:
                found = self._speaker(frame, sents, index, by_sentence, actors)
                if found is not None:
                    frames.append((frame, found[0], found[1], found[2]))
        for frame, e, declarer, how in frames:
            if self._not_declarer(declarer):
                continue
            st = self._statement(document, sents, index, frame, e, declarer, how, actors)
            if st is None:
                continue
            key = (st.declarer.country or st.declarer.code, st.trigger.key())
            if key not in out or (out[key].addressee is None and st.addressee is not None):
                out[key] = st
        return list(out.values())

    def _suffers(self, frame: Frame, e: Event, actors: DocActors) -> bool:
        """Whether the event's source is who would suffer the response ("X would face ...")."""
        head = frame.response_head
        if head.lemma_.lower() not in self._suffer:
            return False
        said = head.doc[int(e.trigger.split(":", 1)[0])]
        if said.i != head.i and said in head.ancestors:
            return False  # "Turkey warned that the regime risked ...": the event's source warns
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return False
        home = e.source.country or e.source.code
        return any((a.country or a.code) == home for a in actors.resolve(subject))

    # -- the threat's parts -------------------------------------------------------------------
    def _frame(self, sent: Span, region: list[Token], threat: bool) -> Frame | None:
        """Condition and response in ``region``: an "if" clause, a class of acts as the subject
        of a response to come, or what will not be tolerated."""
        w = self.words
        ids = {t.i for t in region}
        for t in region:  # "if Western countries insist ..., Moscow would respond"
            if t.dep_ != "advcl" or t.head.i not in ids:
                continue
            mark = next((m for m in t.children if m.dep_ in ("mark", "aux") and m.i < t.i and
                         (m.lower_ in w["condition_marks"] or conditional_phrase(m))), None)
            if mark is None:
                mark = next((m for m in t.children if conditional_phrase(m)), None)
            if mark is None or any(c.lower_ in w["concessive_words"] for c in t.children if c.i < mark.i + 1
                                   and c.dep_ == "advmod"):
                continue  # (not "even if": a concession)
            response = t.head
            if not self._to_come(response):  # "warned, if Kyiv struck, that Moscow would respond"
                said = next((c for c in response.children if c.dep_ in ("ccomp", "xcomp") and c.i != t.i
                             and self._to_come(c)), None)
                if said is not None:
                    response = said
                elif not threat:
                    continue
            if _negated(response):
                continue  # "would not respond if ...": no threat
            condition = [c for c in _subtree(t, sent) if c.i != mark.i and not (c.i in {x.i for x in mark.subtree}
                                                                                 and mark.dep_ == "prep" and c.dep_ != "pcomp")]
            rest = self._response(response, sent, {c.i for c in t.subtree})
            cue = self._cue(rest, response)
            if cue or threat:
                # "unless Kyiv withdraws", "if Kyiv does not withdraw", "if Kyiv fails to withdraw"
                unless = mark.lower_ in w["unless_marks"] or _negated(t) \
                    or t.lemma_.lower() in modality_cues().governors["negated"]
                return Frame(condition, rest, response, f"condition '{mark.text} ...'", cue, comply=unless)
        for t in region:  # ultimatums: "withdraw by Friday or face the consequences"
            if t.dep_ != "conj" or not any(c.dep_ == "cc" and c.lower_ == "or" for c in t.head.children) \
                    or t.head.i not in ids or _negated(t):
                continue
            rest = self._response(t, sent, set())
            cue = self._cue(rest)
            if not cue:
                continue
            demand = t.head
            if not self._demanded(demand):
                continue  # "could contribute ... or risk being recruited": no demand, no ultimatum
            condition = [c for c in _subtree(demand, sent, {x.i for x in t.subtree})
                         if not (c.dep_ == "cc" and c.head.i == demand.i)]
            doers = [c for c in demand.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not doers and demand.dep_ in ("xcomp", "ccomp"):  # "gave Minsk a week to withdraw ... or face"
                doers = [c for c in demand.head.children if c.dep_ in ("dobj", "dative", "iobj")]
            return Frame([c for c in condition if c.i not in {d.i for x in doers for d in x.subtree}], rest, t,
                         f"'{demand.text} ... or {t.text}'", cue, doers=doers, comply=True)
        for t in region:  # "warned Finland against joining NATO"
            if not threat or t.lemma_.lower() not in w["warn_verbs"]:
                continue
            against = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "against"), None)
            act = next((g for g in against.children if g.dep_ in ("pcomp", "pobj")), None) if against else None
            if act is None or _negated(t):
                continue
            warned = [c for c in t.children if c.dep_ in ("dobj", "dative")]
            return Frame(_subtree(act, sent), [t], t, f"warned against '{act.text}'", t.lemma_.lower(),
                         doers=warned)
        for t in region:  # "in the event of an attack on its territory, Russia will respond"
            if t.dep_ != "prep" or t.head.i not in ids or not conditional_phrase(t) or not self._to_come(t.head):
                continue
            inner = [g for c in t.children if c.dep_ == "pobj" for p in c.children if p.dep_ == "prep"
                     and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
            if not inner or _negated(t.head):
                continue
            rest = self._response(t.head, sent, {c.i for c in t.subtree})
            cue = self._cue(rest)
            if cue or threat:
                return Frame(_subtree(inner[0], sent), rest, t.head, f"condition '{t.text} ... of'", cue)
        for t in region:  # "any foreign troops sent to Ukraine would be met with ..."
            if t.pos_ not in ("VERB", "AUX") or not self._to_come(t):
                continue
            subject = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is None or _negated(t):
                continue
            skip = {c.i for c in subject.subtree}
            rest = self._response(t, sent, skip)
            strong = find_phrase(w.phrases["cue_phrases"], rest) is not None  # "... would be met with"
            if not self._act_subject(subject, any_needed=not strong) or subject.pos_ == "PRON":
                continue
            cue = self._cue(rest, t)
            if cue:
                return Frame(_subtree(subject, sent), rest, t, f"subject '{subject.text}' of '{t.text}'", cue)
        for t in region:  # "would retaliate against any strike", "would regard any strike as war"
            if t.pos_ != "VERB" or not self._to_come(t) or _negated(t):
                continue
            regard = t.lemma_.lower() in w["regard_verbs"] and any(c.dep_ == "prep" and c.lower_ == "as"
                                                                    for c in t.children)
            objs = [c for c in t.children if c.dep_ == "dobj"] if regard else []
            if find_phrase(w.phrases["response_verbs"], [t]) is not None:
                objs += [g for c in t.children if c.dep_ == "prep" and c.lower_ in ("against", "to", "for")
                         for g in c.children if g.dep_ == "pobj"]
            elif not regard:
                # "would shoot down any aircraft that entered", "sanctions on any firm that ...",
                # "would sink any ship": a class of doers the response falls on (a response word or
                # coercive act is still needed below)
                objs += [o for o in t.children if o.dep_ == "dobj" and self._any_object(o)]
                objs += [g for c in t.children if c.dep_ == "prep" for g in c.children
                         if g.dep_ == "pobj" and self._any_object(g)]
            obj = next((o for o in objs if (self._act_subject(o) or self._any_object(o)) and o.pos_ == "NOUN"
                        and o.dep_ != "csubj" and o.tag_ != "VBG"), None)
            if obj is None:
                continue
            skip = {c.i for c in obj.subtree}
            rest = self._response(t, sent, skip)
            cue = self._cue(rest)
            cue = cue or self._cue(rest, t)
            if cue:
                return Frame(_subtree(obj, sent), rest, t, f"object '{obj.text}' of '{t.text}'", cue)
        for t in region:  # "will not tolerate any Kurdish militia presence"
            if t.pos_ != "VERB" or not _negated(t) or not self._to_come(t):
                continue
            cue = find_phrase(w.phrases["object_cues"], [c for c in t.children if c.dep_ == "neg"] + [t])
            if cue is None:
                continue
            obj = next((c for c in t.children if c.dep_ in ("dobj", "xcomp", "ccomp")), None)
            if obj is None:
                continue
            return Frame(_subtree(obj, sent), [c for c in t.children if c.dep_ in ("aux", "neg")] + [t], t,
                         f"object of '{' '.join(cue[0])}'", " ".join(cue[0]))
        for t in region:  # "a Kurdish state would be a red line", "crossing the Dnipro is a red line"
            if t.lemma_.lower() != "line" or not any(c.lower_ == "red" for c in t.children):
                continue
            verb = t.head
            if t.dep_ in ("attr", "dobj") and verb.pos_ in ("VERB", "AUX"):
                subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
                if subject is not None and not _negated(verb) and self._act_subject(subject, any_needed=False):
                    return Frame(_subtree(subject, sent), _subtree(t, sent), verb,
                                 f"'{subject.text}' {verb.text} a red line", "red line")
        return None

    def _response(self, head: Token, sent: Span, skip: set[int]) -> list[Token]:
        """The response clause from its verb group on ("would respond by ..."), without its
        condition, its subject and what precedes it ("The message is clear: ...")."""
        skip = set(skip)
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj", "mark") or (c.dep_ == "advcl" and c.i < head.i):
                skip.update(x.i for x in c.subtree)
        first = min([head.i] + [c.i for c in head.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < head.i])
        return [t for t in _subtree(head, sent, skip) if t.i >= first and not t.is_space]

    def _to_come(self, verb: Token) -> bool:
        """A response still to come: "would respond", "is ready to respond", "vowed to respond"."""
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in self.words["response_modals"] for c in verb.children):
            return True
        return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.words["to_come_governors"]

    def _act_subject(self, subject: Token, any_needed: bool = True) -> bool:
        """Whether a subject names a class of acts: "any deployment", "dispatching troops",
        "such moves", "foreign troops in Ukraine"."""
        w = self.words
        if subject.dep_ in ("csubj", "csubjpass") or subject.tag_ == "VBG":
            return True
        dets = {c.lower_ for c in subject.children if c.dep_ in ("det", "predet", "amod", "advmod")}
        if dets & w["any_determiners"]:
            return True
        if self._is_vague(subject):
            return True
        lemma = subject.lemma_.lower()
        if (lemma in self._acts_proper or lemma in self._vague) and subject.pos_ == "NOUN" and any(
                c.dep_ in ("poss", "compound", "amod") and (c.ent_type_ in ("GPE", "NORP", "ORG") or c.pos_ == "PROPN")
                for c in subject.children):
            return True  # "Japan's hostile acts", "American strikes": a party's acts
        if not any_needed:
            return subject.lemma_.lower() in self._act_words or subject.pos_ in ("NOUN", "PROPN")
        return False

    def _any_object(self, noun: Token) -> bool:
        """"any aircraft that enters its airspace", "any company trading with Iran", "any warship":
        a class of doers or acts ("any"; "every" and the like only with what they would do), not
        the response's own target ("destroy all terror nests")."""
        dets = {c.lower_ for c in noun.children if c.dep_ in ("det", "predet")}
        if dets & self.words["any_objects"]:
            return True
        return bool(dets & self.words["any_determiners"]) and any(c.dep_ in ("relcl", "acl") for c in noun.children)

    def _committed(self, verb: Token) -> bool:
        """A response promised ("will", "would", "vowed to"), not guessed ("could", "might")."""
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in self.words["commitment_modals"] for c in verb.children):
            return True
        return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.words["to_come_governors"]

    def _demanded(self, verb: Token) -> bool:
        """Whether the first part of "X or face ..." is a demand: an imperative, "must"/"should",
        or what someone was told, given time or ordered to do."""
        w = self.words
        if any(c.dep_ == "aux" and c.lower_ in w["demand_modals"] for c in verb.children):
            return True
        if verb.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.children):
            return True  # "Withdraw by Friday or face ..."
        return verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in w["demand_verbs"]

    def _is_vague(self, head: Token) -> bool:
        if head.lemma_.lower() not in self._vague and head.lower_ not in self._vague:
            return False
        words = [c.lower_ for c in head.children if c.dep_ in ("det", "predet", "amod") and c.i < head.i]
        return any((wd,) in self.words.phrases["vague_determiners"] for wd in words)

    def _cue(self, tokens: list[Token], head: Token | None = None) -> str:
        """The words that make a clause a response: a consequence word, or (with ``head``) a
        coercive act of the predicate lexicon ("would close the strait", "will expel")."""
        found = find_phrase(self._consequence_words, tokens)
        if found:
            return " ".join(found[0])
        if head is not None and self._coercive(head) is not None:
            return head.text
        return ""

    def _coercive(self, head: Token) -> str | None:
        """The CAMEO code of a coercive act (roots of ``conditional_acts``) the verb names, itself
        or by its object noun ("impose a blockade"), from the predicate lexicon."""
        if self.predicates is None or head.pos_ != "VERB":
            return None
        code = self._lexicon_code(head)
        if code is None:
            noun = next((c for c in head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
            code = self._lexicon_code(noun) if noun is not None else None
        return code if code is not None and code[:2] in self.words["conditional_acts"] else None

    # -- who declares -------------------------------------------------------------------------
    def _speaker(self, frame: Frame, sents: list[Span], index: int, by_sentence: dict[int, list[Event]],
                 actors: DocActors) -> tuple[Event | None, Actor, str] | None:
        """The declarer of a red line no threat event was coded for: the actor of the response
        ("a reaction from Russia", "Moscow would respond"), or the speaker of the sentence, or
        of the sentences just before when this one names none ("The message is clear: ...")."""
        head = frame.response_head
        office: Actor | None = None  # "the minister said": a speaker known only by its office
        for anc in head.ancestors:  # a speaker in the sentence speaks for itself, or for no one
            if anc.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" for c in anc.children):
                speaker = next(c for c in anc.children if c.dep_ == "nsubj")
                if speaker.lemma_.lower() in document_nouns():
                    break  # "The statement also warned ...": the words of a speaker told before
                if speaker.pos_ in ("NOUN", "PROPN", "PRON") and anc.lemma_.lower() not in ("be", "remain", "seem"):
                    resolved = actors.resolve(speaker)
                    found = [a for a in resolved if a.country or a.code]
                    if found and self._not_declarer(found[0]):
                        return None  # an analyst, "experts": no party
                    if found and anc.lemma_.lower() in COGNITION_VERBS:
                        break  # "Washington must have known that Turkey would never tolerate ...": Turkey's
                    if found:
                        return None, found[0], f"declarer '{found[0].text}': who says it ({found[0].resolved_by})"
                    if not resolved or self._not_declarer(resolved[0]):
                        return None  # an analyst, "experts": no party
                    office = resolved[0]
                    break
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.i not in {t.i for t in frame.condition} and subject.pos_ != "PRON" \
                and head.lemma_.lower() not in self._suffer and self._committed(head):
            # (a named party: "Moscow will respond"; an unattributed "she would ..." is the writer's)
            found = [a for a in actors.resolve(subject) if a.country or a.code]
            if found:
                return None, found[0], f"declarer '{found[0].text}': who would respond ({found[0].resolved_by})"
        for t in frame.response:  # "a reaction from Russia" (not the agent of a passive: "used by the West")
            if t.dep_ == "pobj" and t.head.lower_ in ("from", "by") and t.head.head.pos_ == "NOUN":
                found = [a for a in actors.resolve(t) if a.country or a.code]
                if found:
                    return None, found[0], f"declarer '{found[0].text}': the response '{t.head.head.text} " \
                                           f"{t.head.text} {t.text}' ({found[0].resolved_by})"
        if office is not None and office.sector in self.words["state_sectors"]:
            # "the ministry warned": the office of the country the story is about (as the coder places roles)
            salient = actors.salient_country(head.i)
            if salient is not None:
                country = salient[0]
                return None, replace(office, code=country + office.sector, country=country), (
                    f"declarer '{office.text}': {office.resolved_by}; of the story's main country {country} "
                    f"({salient[1]} mentions)")
        elif office is not None:
            return None
        for back in range(index, max(-1, index - 3), -1):
            for e in reversed(by_sentence.get(back, ())):
                if e.cameo_root in SPEECH_ROOTS and e.source is not None and e.source.country \
                        and e.modality == "factual":
                    return e, e.source, (f"declarer '{e.source.text}': the speaker of sentence {back} "
                                         f"({e.cameo} {e.cameo_name}) goes on")
        return None

    def _not_declarer(self, actor: Actor) -> bool:
        w = self.words
        words = actor.text.lower().split()
        return bool(words and words[-1] in w["not_declarers"]) or (actor.sector or "").lower() in w["not_declarer_sectors"]

    # -- the statement --------------------------------------------------------------------------
    def _statement(self, document: Document, sents: list[Span], index: int, frame: Frame, e: Event | None,
                   declarer: Actor, how: str, actors: DocActors) -> Statement | None:
        w = self.words
        sent = sents[index]
        home = declarer.country
        head = frame.response_head
        if _has(w["natural_words"], [t for t in frame.condition if t.dep_ in SUBJECT_DEPS or t.dep_ == "ROOT"]
                + [t for t in frame.condition if t.head.i not in {c.i for c in frame.condition}]
                + [head] + [c for c in head.children if c.dep_ in SUBJECT_DEPS]):
            return None  # "if the storm hits ...", "the virus could spread": nature threatens no one
        if _has(w["circumstance_words"], [t for t in frame.condition if t.dep_ in SUBJECT_DEPS
                                          and t.head.i not in {c.i for c in frame.condition if c.dep_ in SUBJECT_DEPS}]):
            return None  # "if the situation improves ...": circumstances, no party's act
        if _has(w["benefit_verbs"], [head]) is not None:
            return None  # "would lift sanctions if ...": an offer
        if sent.text.rstrip().endswith("?"):
            return None  # a question declares nothing
        if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in head.children):
            return None  # "if I had stayed he would have killed me": what would have been
        if any(t.dep_ == "expl" for t in frame.condition) and any(
                t.dep_ in ("neg", "det") and t.lower_ in ("no", "not", "n't") for t in frame.condition):
            return None  # "if there is no UN initiative": the absence of an act is no act
        if not self._committed(head) and head.lemma_.lower() not in self._suffer:
            doer = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in
                         {t.i for t in frame.condition}), None)
            agent = next((g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
            others = [a for x in (doer, agent) if x is not None for a in actors.resolve(x)
                      if a.country and a.country != home]
            if others:
                return None  # "any delay could be used by the West to ...": a guess at another's act
        if frame.cue == "red line" and _has(w["negotiation_words"], sent) is not None:
            return None  # "... is a red line in the talks": a negotiating position
        trigger, trig_how = self._pattern(frame.condition, home, actors)
        if frame.comply:  # "unless Kyiv withdraws", "withdraw or face ...": not complying
            trigger = Trigger(trigger.text, trigger.actors, trigger.exclude, trigger.sector, ["REJECT"], ["120"])
            trig_how = [h for h in trig_how if "-> actor" in h or "anyone but" in h or "sector" in h]
            trig_how.append("not complying with what is demanded -> REJECT (120)")
        doers = frame.doers  # who would act, named outside the condition ("warned Finland against ...")
        if not doers:  # or a pronoun the condition's words do not name ("if it invaded Ukraine")
            inside = {c.i for c in frame.condition}
            doers = [c for r in frame.condition if r.head.i not in inside or r.head.i == r.i
                     for c in r.children if c.dep_ == "nsubj" and c.pos_ == "PRON"]
        if not trigger.actors and not trigger.exclude and doers:
            found = [(c, f"{name}'") for c, name in
                     self._countries([x for d in doers for x in d.subtree], actors, ACTOR_KINDS)] or [
                (a.country or a.code, f"{d.text}' ({a.resolved_by})") for d in doers if d.pos_ == "PRON"
                for a in actors.resolve(d) if a.country or a.code][:1]
            if frame.doers and found and all(c == home for c, _ in found):
                return None  # "warned US citizens against travelling to ...": advice to its own people
            trigger.actors.extend(c for c, _ in found if c != home)
            trig_how.extend(f"'{name} -> actor {c} (who would act)" for c, name in found if c != home)
        vague = next((t for t in frame.condition if self._is_vague(t)), None)
        if vague is not None and (not trigger.types or not (trigger.places or trigger.targets)):
            found = self._antecedent(sents, index, vague, frame, home, actors)
            if found is not None:
                earlier, earlier_how, where = found
                trigger = Trigger(trigger.text, trigger.actors or earlier.actors,
                                  trigger.exclude or earlier.exclude, trigger.sector or earlier.sector,
                                  trigger.types or earlier.types, trigger.cameo or earlier.cameo,
                                  trigger.places or earlier.places, trigger.targets or earlier.targets)
                trig_how.append(f"'{vague.text}' refers back to '{earlier.text}' ({where}: "
                                f"{', '.join(earlier_how)})")
        if not (trigger.types or trigger.actors or trigger.exclude or trigger.places or trigger.targets):
            named = [t for t in frame.condition if t.pos_ in ("NOUN", "VERB") and t.i not in actors.mentions]
            if vague is not None or not named:
                return None  # "such a step" told of nothing before, "if it does", a name alone: no act named
            trig_how.append("no act type or party named: any act of this kind")
        consequence, cons_how = self._consequence(frame)
        stance, stance_how = self._stance(sent)
        start, end = SentenceCoder._bounds(sent)  # the span events give the sentence
        own = e is not None and e.sentence_index == index  # (not the speaker's event of a sentence before)
        addressee = e.target if own else None
        if addressee is not None and (not (addressee.country or addressee.code)
                                      or addressee.country == home and home is not None):
            addressee = None
        if addressee is None:  # the one party named as doing the act, else the one it would be done to
            named = trigger.actors if len(trigger.actors) == 1 else [] if trigger.actors else \
                [t for t in trigger.targets if t != home][:1] if len(trigger.targets) == 1 else []
            if named:
                code = named[0]
                addressee = Actor(trigger.text, code, code if len(code) == 3 else None, None,
                                  resolved_by=f"the one party named in the trigger: {code}")
        explanation = "; ".join([how, f"{frame.how}", f"trigger '{trigger.text}': " + ("; ".join(trig_how) or "as written"),
                                 f"consequence '{consequence.text}': {cons_how}", stance_how])
        return Statement(doc_id=document.id, sentence_index=index, span=(start, end),
                         evidence=document.text[start:end] if document.text else sent.text,
                         date=e.date if e is not None else (document.date.isoformat() if document.date else None),
                         declarer=declarer, addressee=addressee, trigger=trigger, consequence=consequence,
                         stance=stance, event_id=e.event_id if own and (e.cameo_root == THREAT_ROOT or frame.act is e)
                         else None,
                         explanation=explanation.strip("; "))

    def _pattern(self, tokens: list[Token], home: str | None, actors: DocActors) -> tuple[Trigger, list[str]]:
        """An event pattern from the words of a condition."""
        w = self.words
        tokens = sorted((t for t in tokens if not t.is_punct and t.dep_ != "mark"), key=lambda t: t.i)
        skip = find_phrase(w.phrases["skip_phrases"], tokens)
        if skip is not None:  # "... in response to a chemical attack": the reason, not the act
            first = tokens[skip[1]]
            cut = {x.i for x in first.subtree} | {tokens[skip[1] + k].i for k in range(len(skip[0]))}
            tokens = [t for t in tokens if t.i not in cut]
        how: list[str] = []
        text = " ".join(t.text for t in tokens) if not tokens else tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
        ids = {t.i for t in tokens}
        types: list[str] = []
        cameo: list[str] = []
        matched = False
        for rule in w.acts:
            if rule.last and matched:
                break
            hit = find_phrase(rule.words, tokens)
            if hit is None or (rule.with_ and _has(rule.with_, tokens) is None) \
                    or (rule.not_with and _has(rule.not_with, tokens) is not None):
                continue
            matched = True
            if rule.type not in types:
                types.append(rule.type)
                cameo.append(rule.cameo)
                how.append(f"'{' '.join(hit[0])}' -> {rule.type} ({rule.cameo})")
        if not matched and self.predicates is not None:
            for t in tokens:
                code = self._lexicon_code(t)
                if code is not None:
                    entry = ontology.cameo(code)
                    if entry.plover and entry.plover not in types:
                        types.append(entry.plover)
                        cameo.append(entry.code)
                        how.append(f"'{t.text}' -> {entry.plover} ({entry.code}, predicate lexicon)")
        places: list[str] = []
        targets: list[str] = []
        in_pp: set[int] = set()
        for t in tokens:
            if t.dep_ not in ("prep", "dative"):
                continue
            low = t.lower_
            role = "place" if low in w["place_preps"] else "target" if low in w["target_preps"] else \
                ("place" if set(types) & w["type_names"] or not types else "target") if low in ("to", "toward", "towards") \
                else None
            if role is None:
                continue
            found = self._countries([x for x in t.subtree if x.i in ids], actors, PLACE_KINDS)
            if not found and home and any(x.lower_ in w["own_possessives"] for x in t.subtree if x.i in ids):
                found = [(home, f"{' '.join(x.text for x in t.subtree if x.i in ids and x.i != t.i)}")]
            if not found:
                continue
            in_pp.update(x.i for x in t.subtree)
            for c, name in found:
                into = places if role == "place" else targets
                if c not in into and c != "" :
                    into.append(c)
                    how.append(f"'{t.text} {name}' -> {role} {c}")
        if types:  # "strike Russia", "attack Russian territory", "joining NATO" (not "sending NATO troops")
            carried = w["troop_words"] | w["weapon_words"]
            for t in tokens:
                if t.dep_ in ("dobj",) and t.i not in in_pp and t.lemma_.lower() not in carried \
                        and t.lower_ not in carried:
                    for c, name in self._countries([x for x in t.subtree if x.i in ids], actors, ACTOR_KINDS):
                        in_pp.update(x.i for x in t.subtree)
                        if c not in targets:
                            targets.append(c)
                            how.append(f"'{name}' acted on -> target {c}")
        if "ASSAULT" in types and places and not targets:
            # an attack lands on the country it happens in ("strikes in Lebanon"), unless it names another
            targets, places = places, []
            how.append(f"an attack there is an attack on {', '.join(targets)}: target")
        found_actors: list[str] = []
        # a clause's doer is its subject ("if Kyiv strikes Crimea"); a noun's, its modifiers ("NATO troops")
        verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX") and (t.head.i not in ids or t.head.i == t.i)]
        doers = [x for v in verbs for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "agent")
                 for x in c.subtree if x.i in ids]
        if verbs and any(c.dep_ == "dobj" for v in verbs for c in v.children):
            pool = [t for t in doers if t.i not in in_pp] or [t for t in tokens if t.i not in in_pp]
            for t in tokens:  # the object of a clause is acted on, not acting ("if Kyiv attacks Crimea")
                if t.dep_ == "dobj" and t.head in verbs and t.i not in in_pp \
                        and t.lemma_.lower() not in w["troop_words"] | w["weapon_words"]:
                    for c, name in self._countries([x for x in t.subtree if x.i in ids], actors, ACTOR_KINDS):
                        in_pp.update(x.i for x in t.subtree)
                        if c not in targets and c != home:
                            targets.append(c)
                            how.append(f"'{name}' acted on -> target {c}")
            pool = [t for t in pool if t.i not in in_pp]
        else:
            pool = [t for t in tokens if t.i not in in_pp]
        for c, name in self._countries(pool, actors, ACTOR_KINDS):
            if c != home and c not in found_actors:
                found_actors.append(c)
                how.append(f"'{name}' -> actor {c}")
        exclude: list[str] = []
        foreign = _has(w["foreign_words"], tokens)
        if foreign is not None and home and not found_actors:
            # "foreign troops in Ukraine" said by Russia: anyone but Russia, and Ukraine's own forces
            exclude.extend([home] + [p for p in places if p != home])
            how.append(f"'{foreign.text}' -> anyone but {', '.join(exclude)}")
        troop = _has(w["troop_words"], tokens)
        sector = "MIL" if troop is not None else None
        if sector:
            how.append(f"'{troop.text}' -> sector MIL")
        return Trigger(text, found_actors, exclude, sector, types, cameo, places, targets), how

    def _lexicon_code(self, t: Token) -> str | None:
        if t.pos_ not in ("VERB", "NOUN"):
            return None
        kids = list(t.children)
        objects = [c.lemma_.lower() for c in kids if c.dep_ in ("dobj", "nsubjpass", "attr")]
        objects += [g.lemma_.lower() for c in kids if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        row = self.predicates.best(t.lemma_.lower(), t.pos_, [c.lower_ for c in kids if c.dep_ == "prt"],
                                   [c.lower_ for c in kids if c.dep_ == "prep"], objects)
        if row is None or row.cameo is None or row.role == "report" or row.cameo[:2] in ACT_SKIP_ROOTS:
            return None
        return row.cameo

    @staticmethod
    def _countries(tokens: list[Token], actors: DocActors, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        """Country codes (or organisation codes) named in ``tokens``, with the names."""
        out: list[tuple[str, str]] = []
        seen: set[int] = set()
        for t in tokens:
            m = actors.mentions.get(t.i)
            if m is None or m.start in seen:
                continue
            seen.add(m.start)
            entry = next((e for e in m.entries if e.kind in kinds), None)
            if entry is None:
                continue
            code = entry.country if entry.kind != "org" or not entry.code else entry.code
            if entry.kind == "org" and not (entry.code or "").startswith("IGO"):
                code = entry.country or entry.code
            if code:
                out.append((code, actors.doc[m.start:m.end].text))
        return out

    def _antecedent(self, sents: list[Span], index: int, vague: Token, frame: Frame, home: str | None,
                    actors: DocActors) -> tuple[Trigger, list[str], str] | None:
        """The nearest act told before a vague trigger ("such a course"): a phrase headed by an
        act word in the same sentence before it, or in the sentences just before."""
        own = {t.i for t in frame.condition}
        doc = vague.doc
        first = sents[max(0, index - LOOKBACK_SENTENCES)].start
        for i in range(vague.i - 1, first - 1, -1):
            t = doc[i]
            if i in own or t.pos_ not in ("NOUN", "VERB") or (t.lemma_.lower() not in self._act_words
                                                             and t.lower_ not in self._act_words):
                continue
            if t.pos_ == "VERB" and t.tag_ != "VBG" and not any(c.dep_ == "dobj" for c in t.children):
                continue
            sent = sents[_sentence_of(sents, i)]
            while t.dep_ in ("pobj", "dobj", "compound") and t.head.head.i != t.head.i and sent.start <= t.head.i:
                up = t.head.head if t.dep_ == "pobj" else t.head  # "troops" in "the presence of EU troops"
                if up.lemma_.lower() not in self._act_words and up.lower_ not in self._act_words:
                    break
                t = up
            phrase = _subtree(t, sent)
            if t.pos_ == "VERB":
                phrase = [x for x in phrase if x.dep_ not in ("nsubj",) or x.head.i != t.i]
            pattern, how = self._pattern(phrase, home, actors)
            if pattern.types and not pattern.actors and t.pos_ == "VERB" and t.dep_ in ("xcomp", "ccomp") \
                    and not any(c.dep_ == "nsubj" for c in t.children):
                # "NATO is considering sending instructors": the doer is the governing verb's subject
                doers = [c for c in t.head.children if c.dep_ == "nsubj"]
                found = self._countries([x for d in doers for x in d.subtree], actors, ACTOR_KINDS)
                pattern.actors.extend(c for c, _ in found if c != home)
                how.extend(f"'{name}' -> actor {c} (doer of '{t.head.text}')" for c, name in found if c != home)
            if pattern.types:
                where = "the same sentence" if sent.start == sents[index].start else f"sentence {_sentence_of(sents, i)}"
                return pattern, how, where
        return None

    def _consequence(self, frame: Frame) -> tuple[Consequence, list[str] | str]:
        tokens = sorted(frame.response, key=lambda t: t.i)
        if frame.act is not None:  # "will strike Iran's nuclear sites if ...": the announced act
            e = frame.act
            prefix = max((p for p in self.words.act_severity if e.cameo.startswith(p)), key=len, default=None)
            severity = self.words.act_severity[prefix] if prefix else "unspecified"
            text = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text if tokens else e.trigger
            return Consequence(text, e.plover, e.cameo, severity), \
                f"the announced act {e.cameo} {e.cameo_name} -> {e.plover}, severity {severity}"
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        text = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text if tokens else ""
        for rule in self.words.consequences:
            hit = find_phrase(rule.words + rule.also, tokens)
            if hit is not None:
                named = f"'{' '.join(hit[0])}' -> " + (f"{rule.type} ({rule.cameo}), " if rule.type else "") + \
                        f"severity {rule.severity}"
                severity = rule.severity
                armed = self._armed_subject(frame.response_head)
                if severity == "unspecified" and armed is not None:  # "the army would respond"
                    severity = "military"
                    named += f"; military: its subject '{armed.text}' is armed forces"
                return Consequence(text, rule.type, rule.cameo, severity), named
        code = self._coercive(frame.response_head)
        if code is not None:  # "would close the strait": the act the lexicon knows
            entry = ontology.cameo(code)
            prefix = max((p for p in self.words.act_severity if code.startswith(p)), key=len, default=None)
            severity = self.words.act_severity[prefix] if prefix else "unspecified"
            return Consequence(text, entry.plover, entry.code, severity), \
                f"'{frame.response_head.text}' -> {entry.plover} ({entry.code}, predicate lexicon), severity {severity}"
        armed = self._armed_subject(frame.response_head)
        if armed is not None:
            return Consequence(text, severity="military"), f"its subject '{armed.text}' is armed forces: military"
        return Consequence(text), "no response named: unspecified"

    def _armed_subject(self, head: Token) -> Token | None:
        """The response's subject when it is armed forces ("the army would respond")."""
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None
        return subject if (subject.lemma_.lower() in self.words["troop_words"]
                           or subject.lower_ in self.words["troop_words"]) else None

    def _stance(self, sent: Span) -> tuple[str, str]:
        tokens = list(sent)
        if find_phrase(self.words.phrases["stance_objects"], tokens) is None:
            return "declared", ""
        for stance, phrases in self.words.stances:
            hit = find_phrase(phrases, tokens)
            if hit is not None:
                return stance, f"stance {stance} ('{' '.join(hit[0])}')"
        return "declared", ""

    # -- restatements in one document ------------------------------------------------------------
    @staticmethod
    def _restatements(statements: list[Statement]) -> list[Statement]:
        """A later statement of the same declarer whose trigger is the same act in the same places,
        by actors within an earlier one's ("Western countries" within "anyone but Russia"), restates
        that red line: it takes its pattern (keeping its own words)."""
        out: list[Statement] = []
        for st in sorted(statements, key=lambda s: s.sentence_index):
            for earlier in out:
                if _restates(st, earlier):
                    if st.trigger.key() != earlier.trigger.key():
                        t = earlier.trigger
                        st = replace(st, trigger=replace(t, text=st.trigger.text),
                                     explanation=st.explanation + f"; restates the red line of sentence "
                                                                  f"{earlier.sentence_index} ('{t.text}')")
                    break
            out.append(st)
        return out


def _restates(st: Statement, earlier: Statement) -> bool:
    home = st.declarer.country or st.declarer.code
    if home != (earlier.declarer.country or earlier.declarer.code):
        return False
    a, b = st.trigger, earlier.trigger
    if set(a.types) != set(b.types) or set(a.places) != set(b.places) or set(a.targets) != set(b.targets):
        return False
    if a.sector and b.sector and a.sector != b.sector:
        return False
    if set(a.actors) == set(b.actors) and set(a.exclude) == set(b.exclude):
        return True
    return (bool(b.exclude) and home in b.exclude and not b.actors and home not in a.actors) or \
        (bool(a.exclude) and home in a.exclude and not a.actors and home not in b.actors)


def _sentence_of(sents: list[Span], i: int) -> int:
    lo, hi = 0, len(sents) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sents[mid].start <= i:
            lo = mid
        else:
            hi = mid - 1
    return lo
