"""Dates an article carries from one sentence to the next.

An event whose own sentence gives no date may still be dated by the story around it:

- a named speaker's undated statements continue the scene they were last seen acting in ("Hunt
  was unusually open in the Commons on Monday ... He told MPs ... Hunt said ...");
- a definite description of an act ("the airstrike hit an army post") is the same kind of act told
  a few sentences before with its day ("jets struck the camp on Sunday").

Scenes to come ("Hunt will visit Warsaw on Monday") and days after the publication date set
nothing. ``StoryDates`` is fed each sentence after it is coded and asked for a date while coding.
"""
from __future__ import annotations

from datetime import date

from spacy.tokens import Span

from ..actors.resolve import DocActors
from ..schema import Actor
from ..when import sentence_date
from ..when.expressions import ResolvedDate
from .lexicon import PredicateLexicon
from .modality import modality

SCENE_SENTENCES = 6  # how far a scene or a told act carries
DEFINITE_DETERMINERS = frozenset({"the", "this", "that"})


class StoryDates:
    """The days of the scenes and acts an article has told so far (one per document)."""

    def __init__(self, actors: DocActors, lexicon: PredicateLexicon, published: date | None) -> None:
        self.actors = actors
        self.lex = lexicon
        self.published = published
        self._scenes: dict[str, tuple[int, ResolvedDate]] = {}  # person -> (sentence, day) last seen acting
        self._acts: dict[str, tuple[int, ResolvedDate]] = {}  # CAMEO root -> (sentence, day) last told
        self._definite: set[str] = set()  # roots the current sentence names as "the attack", "this deal"

    def begin(self, sent: Span) -> None:
        """Before coding a sentence: the acts it names as already known ("the airstrike")."""
        self._definite = set()
        for tok in sent:
            if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in tok.children):
                row = self.lex.best(tok.lemma_.lower(), "NOUN", [], [], [])
                if row is not None and row.cameo is not None and not row.role:
                    self._definite.add(row.cameo[:2])

    def end(self, sent: Span, index: int, frames) -> None:
        """After coding a sentence: remember its dated acts (``frames``: its lexicon frames,
        events or not) and the scenes of the named people it shows acting. Every subject is
        resolved, so each is an antecedent for the pronouns of the sentences that follow."""
        for f in frames:
            day = self._past_day(sent, f.trigger)
            if day is not None and modality(f.trigger)[0] == "factual":
                self._acts[f.root] = (index, day)
        for tok in sent:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.pos_ not in ("VERB", "AUX") \
                    or (tok.tag_ == "NN" and not tok.ent_type_ and not any(c.dep_ == "appos" for c in tok.children)):
                continue  # ("the ministry" is found again by its kind; "He insisted on Wednesday" moves He's scene)
            heads = [tok, *(c for c in tok.children if c.dep_ == "appos")]  # "the foreign secretary, Jeremy Hunt,"
            people = [a.name for h in heads for a in self.actors.resolve(h) if a.name]
            if not people or modality(tok.head)[0] != "factual":  # "Hunt will visit Warsaw on Monday": no scene
                continue
            day = self._past_day(sent, tok.head)
            if day is not None:
                for name in people:
                    self._scenes[name] = (index, day)

    def date_for(self, sources: list[Actor | None], root: str, index: int) -> tuple[ResolvedDate, str] | None:
        """The day an undated event takes from the story, and why: its named source's scene, or
        the act of its kind told before that the sentence refers back to."""
        for a in sources:
            if a is not None and a.name and a.name in self._scenes:
                at, day = self._scenes[a.name]
                if 0 < index - at <= SCENE_SENTENCES:
                    return day, f"{a.name}'s scene of sentence {at + 1}"
        if root in self._definite and root in self._acts:
            at, day = self._acts[root]
            if 0 < index - at <= SCENE_SENTENCES:
                return day, f"the same act as told in sentence {at + 1}"
        return None

    def _past_day(self, sent: Span, anchor) -> ResolvedDate | None:
        day = sentence_date(sent, self.published, anchor=anchor)
        if day is None or day.precision != "day" or (self.published is not None and day.date > self.published):
            return None
        return day
