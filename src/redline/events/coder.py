"""Clauses -> events: predicate + arguments -> CAMEO code, actors, modality, numbers, evidence.

For each verb of a sentence the predicate lexicon gives a code (light verbs such as "held" take
it from their object noun, "talks"). The subject (or passive agent) is the source; the object,
indirect object or a prepositional object is the target. Events under a reporting verb ("X said
that Y attacked Z") keep their own actors and record X in ``reported_by``; the statement itself
is coded only when nothing more specific is in it. Events in the complement of a specific
speech act ("warned that ...", "urged Iran to ...") are its content, not separate events.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from datetime import date

from spacy.tokens import Span, Token

from .. import ontology
from ..actors.resolve import QUANTITY_HEADS, UNRESOLVED_NAME, DocActors, gathering_nouns
from ..schema import Actor, Event
from ..when import sentence_date
from ..where import country_point, gazetteer, locate, towns
from .placing import (Found, Placer, border_location, capital_of, country_of_name, known, lead_dateline, resolve_place,
                      town_fields, wide_region)
from .classifier import NO_EVENT, SentenceClassifier
from .datafiles import word_set
from .features import sentence_features, sentence_vector
from .lexicon import (Predicate, PredicateLexicon, event_anaphors, intent_table, occurrence_verbs,
                      reciprocal_table, stative_participles, topic_verbs, instrument_nouns,
                      undergone_nouns, violence_table, state_nouns,
                      implied_authorities, document_nouns, deciding_verbs, device_verbs)
from .modality import background_adverbs, conditional_phrase, modality
from .numbers import numbers_of
from .stance import obligation_words, prospect_verbs, speech_act, threat_verbs
from .story import StoryDates

# acts an event noun with its doer stands for: demands to mass violence ("Japan's sanctions", "an
# attack by al-Shabaab"); words and cooperation ("Washington's support", "Moscow's long game")
# are as often standing states as news
NOMINAL_ROOTS = {"10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"}
SUBJECT_DEPS = ("nsubj",)  # a clausal subject (csubj) is never an actor
TARGET_PREPS = ("to", "with", "against", "on", "at", "toward", "towards", "into", "upon", "from", "over")
CLIMB_DEPS = {"xcomp", "conj", "advcl", "pcomp", "prep", "pobj", "ccomp", "acomp"}
OBJECT_CONTROL = {"urge", "ask", "call", "tell", "order", "force", "allow", "invite", "persuade", "encourage",
                  "press", "pressure", "push", "request", "instruct", "compel", "permit", "authorize",
                  "authorise", "help", "warn", "advise", "beg", "implore", "appeal", "leave"}
RELATIVE = {"who", "which", "that", "whom"}
SPEAKER_PRONOUNS = {"it", "they", "we", "i", "he", "she"}
ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
NOT_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
COMPLEMENT_DEPS = {"ccomp", "xcomp", "pcomp", "pobj"}
ADDRESSEE_ROOTS = {"02", "10", "12"}  # appeals, demands, rejections: the complement's actor is addressed
ARMED_ABROAD = frozenset({"MIL", "UAF", "SPY"})  # armed roles that act in other countries as often as at home
FOREIGN_SECTORS = ARMED_ABROAD | {"GOV", "REF"}  # roles as often acting on other countries
FORCE_ROOTS = {"15", "17", "18", "19", "20"}
PLACE_KINDS = ("city", "area", "capital", "country", "region", "adjective")
PLACE_TARGET_ROOTS = {"14", "17", "18", "19", "20"}
MAX_SUBJECT_GAP = 24  # tokens between a doerless passive and its subject beyond which the parse is not trusted
DEVICE_TARGET_PREPS = frozenset({"near", "outside", "at", "against", "beside"})
PLACE_CUE = "@place"  # a lexicon object cue: the object is a place's name ("captured Knin")
DOMESTIC_ROOTS = {"14": "GOV", "17": None}  # root -> the sector of a domestic act's target (None: the country)
DOMESTIC_CODES = ("083",)  # political reform and handing over power happen within one country
VICTIM_ROOTS = {"17", "18", "19", "20"}
UNPROPOSED_ROOTS = {"13", "15", "17", "18", "19", "20"}  # threats and force need a word for them
COGNITION_VERBS = {"argue", "believe", "think", "view", "regard", "consider", "remain", "attempt", "reveal", "know",
                   "expect", "hope", "feel", "fear", "see", "seem", "appear", "be", "have"}
# where a target may sit below a trigger the parse does not link to it directly
TARGET_SEARCH_DEPS = {"dobj", "dative", "iobj", "prep", "pobj", "ccomp", "xcomp", "nsubj", "nsubjpass", "poss",
                      "compound", "amod", "conj", "oprd", "attr", "acomp", "pcomp", "appos", "nmod"}
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her", "our", "my", "your", "whose"}
FIRST_PERSON = {"we", "i", "us", "our"}
ANAPHOR_DETERMINERS = {"the", "this", "that", "these", "those", "such", "its", "their"}
SPEECH_ROOTS = {"01", "02", "03", "10", "11", "12", "13"}  # acts whose target may be named in what is said
CONDITION_ROOTS = {"10", "11", "12", "13"}  # "threatened to walk out if the US goes ahead": whose act is warned against
NOT_TARGET_PREPS = frozenset({"near", "during", "after", "before", "since", "according", "like", "as",
                              "despite", "until", "outside", "across", "around", "within", "amid", "following"})
ADJUNCT_PREPS = {"by", "under", "in", "at", "during", "after", "before", "since", "despite", "amid", "near", "as",
                 "like", "within", "across", "around", "throughout"}  # their objects are no lexicon cue
SETTING_PREPS = {"in", "at", "during", "after", "following"}
SETTING_ROOTS = {"02", "03", "04", "05", "06"}  # talks, calls, summits, cooperation: events one is "in"  # "are in talks", "agreed at a summit", "said during a phone call"
PLACE_PREPS = frozenset({"in", "at", "inside"})  # a target only on the trigger itself, not deeper  # force against someone: an event even when the doer is unnamed


@dataclass(frozen=True)
class Arbitration:
    """How the sentence classifier and the lexicon are combined (see ``SentenceCoder.arbitrate``).

    ``propose``: the least probability of its top root for the classifier to propose an event in a
    sentence where no lexicon rule matched; ``keep_other``: the least probability of a second
    class for its events to stay beside the main class's; ``prominence``: what being the class of
    the event nearest the main clause adds to a class's probability when choosing the main class.
    """

    propose: float = 0.5
    keep_other: float = 0.5
    prominence: float = 0.2


@dataclass
class Frame:
    """A trigger matched in the lexicon, with its arguments, before it becomes events."""

    trigger: Token
    row: Predicate
    code: str
    noun: Token | None = None          # the object noun a light verb took its code from
    sources: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)
    source_heads: list[Token] = field(default_factory=list)
    target_heads: list[Token] = field(default_factory=list)
    reported_by: Actor | None = None
    report_via: Token | None = None
    absorbed: bool = False
    has_inner: bool = False
    told_by: "Frame | None" = None  # the reporting verb whose content this frame is
    pronoun_subject: bool = False
    stative: bool = False  # "were engaged in": a passive form whose subject acts
    proposed: bool = False  # no lexicon rule: the sentence classifier proposed the code
    demands: bool = False  # a saying whose content says what another must do (a demand, not that act)
    own_resolve: bool = False  # ... or what the speaker's own side must do (no appeal to anyone)
    searched_target: str = ""  # "search": found by search, not linked by the parse; "place": the trigger's place
    taken_place: tuple[Token, str] | None = None  # the object named as a place taken, and its country
    place_target: "Actor | None" = None  # the target that place gives: its country
    undergone: bool = False  # a passive clause naming no doer: its subject underwent the act ("Karimi was captured")
    device: bool = False  # a verb of devices ("a car bomb exploded", "a truck was detonated")
    note: str = ""

    @property
    def is_report(self) -> bool:
        return self.row.role == "report"

    @property
    def root(self) -> str:
        return self.code[:2]


class SentenceCoder:
    """Codes the sentences of one parsed document."""

    def __init__(self, lexicon: PredicateLexicon, actors: DocActors, doc_id: str,
                 published: date | None, classifier: SentenceClassifier | None = None,
                 arbitration: Arbitration = Arbitration()) -> None:
        self.lex = lexicon
        self.classifier = classifier
        self.arbitration = arbitration
        self.actors = actors
        self.placer = Placer()
        self._last_place: dict | None = None  # the last town or division an event was placed at
        self._focus: dict | None = None  # the article's focus (``_article_focus``), found on first use
        self.doc_id = doc_id
        self.published = published
        self.text = actors.text  # the document as written: evidence comes from here
        self._report_triggers: set[str] = set()
        self._tensor = None  # the parser's context vectors, fetched once per document
        self._told: list[Event] = []  # the events coded so far, for "condemned the move"
        self._speaker: tuple[int, Actor] | None = None  # the latest sentence's known speaker
        self.story = StoryDates(actors, lexicon, published)  # dates carried from sentence to sentence

    # -- predicates -------------------------------------------------------------------------
    def frame(self, tok: Token) -> Frame | None:
        """The lexicon row a verb token triggers, if any."""
        if tok.pos_ != "VERB" or not self.lex.candidates(tok.lemma_.lower(), "VERB"):
            return None  # (a verb the lexicon has no row for triggers nothing, whatever its arguments)
        children = list(tok.children)
        particles = [c.lower_ for c in children if c.dep_ == "prt"]
        preps = [c.lemma_.lower() for c in children if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP"]
        objects = []
        prep_objects = []  # a direct object is the verb's own; a prepositional one may be a setting
        dobj = None
        for c in children:
            if c.dep_ in ("dobj", "attr", "oprd", "xcomp", "ccomp", "nsubjpass"):
                objects.append(c.lemma_.lower())
                if c.dep_ == "dobj" and dobj is None:
                    dobj = c
            elif c.dep_ in ("prep", "dative") and c.lower_ not in ADJUNCT_PREPS:
                # not "commands sent by Isis fighters" (the agent) nor "under British law"
                for g in c.children:
                    if g.dep_ in ("pobj", "pcomp"):
                        prep_objects.append(g.lemma_.lower())
                    elif g.dep_ == "prep":  # "pulled out of the deal"
                        prep_objects.extend(x.lemma_.lower() for x in g.children if x.dep_ == "pobj")
        if dobj is not None:
            objects.extend(c.lemma_.lower() for c in dobj.children if c.dep_ in ("conj", "compound", "amod"))
            # "25,000 tons of food aid", "a shipment of weapons": the cue is what the quantity is of
            for prep in dobj.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    objects.extend(x.lemma_.lower() for x in prep.children if x.dep_ == "pobj")
        for c in children:  # "called for Burma to institute reforms": 'for' marks the clause
            if c.dep_ in ("advcl", "ccomp", "xcomp") and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children):
                preps.append("for")
                objects.append(c.lemma_.lower())
        taken = next((c for c in children if c.dep_ in ("dobj", "nsubjpass")), None)
        taken_in = self._place_object(taken, tok) if taken is not None else None
        if taken_in is not None:
            objects.append(PLACE_CUE)  # "captured Knin": a town taken, not a person arrested
        row = self.lex.best(tok.lemma_.lower(), "VERB", particles, preps, objects + prep_objects)
        if row is not None and dobj is not None and row.objects and not row.prep and not row.particle \
                and not row.objects & set(objects):
            # "captured 400 soldiers on DRC territory": with a direct object, an object cue the row
            # ties to no preposition must be the direct object's, not a setting's
            row = self.lex.best(tok.lemma_.lower(), "VERB", particles, preps, objects)
        if row is None:
            return None
        via_prep = row.role == "light" and dobj is None and bool(row.prep)
        if via_prep:
            dobj = next((g for c in children if c.dep_ == "prep" and c.lemma_.lower() == row.prep
                         for g in c.children if g.dep_ == "pobj"), None)  # "engaged in ethnic cleansing"
        if row.role in ("light", "report") and dobj is not None:
            # "held talks", "launched an offensive", "announced sanctions": the noun names the event
            noun_preps = [c.lemma_.lower() for c in dobj.children if c.dep_ == "prep"]
            noun_objs = [g.lemma_.lower() for c in dobj.children if c.dep_ == "prep" for g in c.children
                         if g.dep_ == "pobj"]
            compounds = [c.lemma_.lower() for c in dobj.children if c.dep_ in ("compound", "amod")]
            nrow = self.lex.best(dobj.lemma_.lower(), "NOUN", [], noun_preps + preps, noun_objs + compounds)
            if nrow is None:  # "a mediation effort", "a rescue mission": the modifier names the event
                for c in compounds:
                    nrow = self.lex.best(c, "NOUN", [], noun_preps + preps, noun_objs)
                    if nrow is not None:
                        break
            if nrow is not None and nrow.cameo is not None:
                return Frame(tok, nrow, nrow.cameo, noun=dobj, stative=via_prep,
                             note=f"'{tok.text} {dobj.text}': {tok.lemma_} + event noun '{nrow.describe()}'"
                                  + (f" ({nrow.note})" if nrow.note else ""))
        if row.role == "light" or row.cameo is None:
            return None
        frame = Frame(tok, row, row.cameo, note=f"'{tok.text}' matched '{row.describe()}'"
                                                + (f" ({row.note})" if row.note else ""))
        if taken_in is not None and PLACE_CUE in row.objects:
            frame.taken_place = (taken, taken_in)
        return frame

    def _place_object(self, tok: Token, verb: Token) -> str | None:
        """The country of the place ``tok`` names, when it is a place and not a party: a name the
        actor tables know as a town, area or country, or one the towns table has in a country the
        sentence is about (its subject's, another place's, the article's), that no person of the
        article bears ("Croatian forces captured Knin"; not "police captured Lopez" after "Juan Lopez")."""
        if tok.pos_ != "PROPN":
            return None
        names = [t for t in tok.subtree if t.i <= tok.i and (t.i == tok.i or t.dep_ == "compound") and t.pos_ == "PROPN"]
        span = tok.doc[names[0].i: tok.i + 1] if names else tok.doc[tok.i: tok.i + 1]
        mentions = [m for i in range(span.start, span.end) if (m := self.actors.mentions.get(i)) is not None]
        if mentions:
            kinds = {k for m in mentions for k in m.kinds}
            # (not a country: "securing Syria", "went to liberate Greece" take no town)
            if "person" in kinds or not kinds & {"city", "area", "capital"}:
                return None
            e = next(e for m in mentions for e in m.entries if e.kind in ("city", "area", "capital"))
            return e.country
        person = self.actors.surnames.get(tok.text.lower())
        if tok.ent_type_ == "PERSON" and any(t.pos_ == "PRON" and t.morph.get("Gender") for t in tok.sent if t.i > tok.i):
            return None  # "Santacruz was captured ... as he dined": a man, whatever town bears his name
        doers = self._subjects(verb) + [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
        if any(a.sector == "COP" for h in doers for a in self.actors.resolve(h)):
            return None  # "police captured Lopez": the police arrest people, armies take towns
        org_town = self.placer.org_town(tok, verb)  # "Eritrea captured Badme" (an ORG to the model)
        if tok.ent_type_ == "NORP" or tok.ent_type_ == "ORG" and not org_town or person is not None and (
                person.sector or person.country or len((person.name or "").split()) > len(span.text.split())):
            return None  # a person the article names in full or with a title ("Juan Lopez ... Lopez")
        big = gazetteer.lookup(span.text)
        if big is not None:
            return big.country if big.kind != "country" else None
        countries = {a.country for h in self._subjects(verb) for a in self.actors.resolve(h) if a.country}
        for t in tok.sent:
            m = self.actors.mentions.get(t.i)
            if m is not None and not span.start <= t.i < span.end:
                countries |= {e.country for e in m.entries if e.country and e.kind in PLACE_KINDS}
        salient = self.actors.salient_country(verb.i)
        if salient:
            countries.add(salient[0])
        return next((t.country for t in towns.exact(span.text) if t.country in countries), None)

    def noun_frame(self, tok: Token, frames: dict[int, Frame]) -> Frame | None:
        """An event noun in a setting phrase of a clause that names no event of its own:
        "Baghdad and Washington are in talks", "said in a phone call with Putin", "met at a
        summit". The clause's subject does what the noun names; a reporting verb's subject
        speaks and acts at once."""
        if tok.pos_ != "NOUN":
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ == "under" \
                and tok.lemma_.lower() in undergone_nouns() and tok.head.head.lemma_.lower() in ("come", "be"):
            row = self.lex.best(tok.lemma_.lower(), "NOUN", [], [], []) or self.lex.best("attack", "NOUN", [], [], [])
            return None if row is None or row.cameo is None else Frame(
                tok, row, row.cameo, note=f"'{tok.head.head.text} under {tok.text}' (undergoing an attack) "
                                          f"matched '{row.describe()}'")
        if not self.lex.candidates(tok.lemma_.lower(), "NOUN"):
            return None  # (every other way needs a row of the noun's own)
        if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in occurrence_verbs() and tok.head.i not in frames:
            return self._occurrence(tok)
        if tok.dep_ != "pobj" or tok.head.lower_ not in SETTING_PREPS:
            return self._nominal(tok, frames)
        clause = tok.head.head
        if clause.pos_ not in ("VERB", "AUX") or (clause.i in frames and not (frames[clause.i].is_report
                                                                            or frames[clause.i].root == "01")):
            return None
        row = self._noun_row(tok)
        if row is None or row.cameo is None or row.role or row.cameo[:2] not in SETTING_ROOTS:
            return None  # "said in a statement", "intervened in the civil war": no event of the clause's own
        return Frame(tok, row, row.cameo, note=f"event noun '{tok.text}' in the setting of '{clause.text}' "
                                                f"matched '{row.describe()}'" + (f" ({row.note})" if row.note else ""))

    def _noun_row(self, tok: Token) -> Predicate | None:
        """The lexicon row of an event noun, cued by its prepositions, their objects and its modifiers."""
        preps = [c.lemma_.lower() for c in tok.children if c.dep_ == "prep"]
        objs = [g.lemma_.lower() for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        mods = [c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod")]
        return self.lex.best(tok.lemma_.lower(), "NOUN", [], preps, objs + mods)

    def _nominal(self, tok: Token, frames: dict[int, Frame]) -> Frame | None:
        """An event noun that names its doer: "a terror attack by al-Shabaab militants", "Japan's
        new sanctions against the DPRK", "the siege by Syrian rebels of two towns". The doer is
        the "by" object or the possessor; what the act is done to, its "against", "on", "of" object."""
        if tok.dep_ == "compound" or tok.lemma_.lower() in state_nouns() \
                or any(f.noun is tok or f.trigger is tok for f in frames.values()):
            return None
        if tok.head.lower_ == "since" or self._dated_earlier(tok):
            return None  # "since Rwanda's 1994 genocide", "Russia's 2014 annexation": background, not news
        by = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.children if g.dep_ == "pobj"]
        # a possessor is the doer when it is a state or body ("Japan's sanctions"); a person is
        # as often what is done to ("Prakash's extradition")
        owners = [c for c in tok.children if c.dep_ == "poss" and c.lower_ not in POSSESSIVE_PRONOUNS
                  and not any(a.name for a in self.actors.resolve(c))]
        doers = [h for h in self._with_conjuncts(by or owners)
                 if any(a.code or a.country for a in self.actors.resolve(h))]
        if not doers:
            return None
        row = self._noun_row(tok)
        if row is None or row.cameo is None or row.role or row.cameo[:2] not in NOMINAL_ROOTS:
            return None
        if tok.head.i in frames and frames[tok.head.i].root == row.cameo[:2]:
            return None  # "imposed its sanctions": the verb's frame tells it
        f = Frame(tok, row, row.cameo, noun=tok, note=f"event noun '{tok.text}' with its doer "
                                                      f"'{doers[0].text}' matched '{row.describe()}'"
                                                      + (f" ({row.note})" if row.note else ""))
        f.source_heads = doers
        return f

    def _dated_earlier(self, tok: Token) -> bool:
        """Whether a noun carries a year before the publication's ("the 1994 genocide")."""
        if self.published is None:
            return False
        return any(c.ent_type_ == "DATE" and c.like_num and len(c.text) == 4 and c.text.isdigit()
                   and int(c.text) < self.published.year for c in tok.children)

    def _occurrence(self, tok: Token) -> Frame | None:
        """An event noun that is the subject of a verb of occurring ("clashes erupted between
        the army and the rebels"): coded when its doers are named on it."""
        preps = [c.lemma_.lower() for c in tok.children if c.dep_ == "prep"]
        mods = [c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod")]
        row = self.lex.best(tok.lemma_.lower(), "NOUN", [], preps, mods)
        if row is None or row.cameo is None or row.role or row.cameo.startswith("01"):
            return None
        between = [g for c in [*tok.children, *tok.head.children] if c.dep_ == "prep" and c.lower_ == "between"
                   for g in c.children if g.dep_ == "pobj"]  # "clashes (erupted) between X and Y"
        doers = self._with_conjuncts(between) or [c for c in tok.children if c.dep_ in ("poss", "amod", "compound")
                                                  and any(a.country or a.code for a in self.actors.resolve(c))]
        if not doers:
            return None
        f = Frame(tok, row, row.cameo, note=f"event noun '{tok.text}' as the subject of '{tok.head.text}' "
                                            f"matched '{row.describe()}'")
        f.source_heads = doers
        return f

    # -- arguments --------------------------------------------------------------------------
    def _subjects(self, tok: Token) -> list[Token]:
        subj = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if subj:
            if subj[0].lower_ in RELATIVE and tok.dep_ == "relcl":
                return [tok.head]
            return subj
        t = tok
        for _ in range(5):
            dep, head = t.dep_, t.head
            if t is not tok and dep == "acl" and t.tag_ in ("VBD", "VBZ", "VBP", "VBN") and head.pos_ in ("NOUN", "PROPN"):
                # "Palestinian youths resorted to throwing stones" (a finite verb the parser made a
                # modifier), "troops deployed to fight": the noun does what the clause under it says
                return [head]
            if head.i == t.i or dep not in CLIMB_DEPS:
                return []
            if head.pos_ in ("VERB", "AUX"):
                raised = [c for c in head.children if c.dep_ == "nsubjpass"]
                if dep == "xcomp" and raised:  # "Obama is scheduled to attend", "was forced to retreat"
                    return raised
                if dep == "xcomp" and head.lemma_.lower() in OBJECT_CONTROL:
                    dobj = [c for c in head.children if c.dep_ in ("dobj", "dative")]
                    if dobj:
                        return dobj
                    for prep in head.children:  # "called on Iran to ..."
                        if prep.dep_ == "prep" and prep.lower_ in ("on", "upon"):
                            return [g for g in prep.children if g.dep_ == "pobj"]
                hs = [c for c in head.children if c.dep_ in SUBJECT_DEPS]
                if hs:
                    if hs[0].lower_ in RELATIVE and head.dep_ == "relcl":
                        return [head.head]
                    return hs
                passive = [c for c in head.children if c.dep_ == "nsubjpass"]
                if passive and dep in ("conj", "advcl"):
                    # "a camp was attacked by militiamen, killing 156": the attackers killed; with
                    # no agent the doer is unknown, not whoever reported it
                    return [g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            t = head
        return []

    @staticmethod
    def _with_conjuncts(heads: list[Token]) -> list[Token]:
        out: list[Token] = []
        for h in heads:
            stack = [h]
            while stack:
                t = stack.pop(0)
                if t not in out:
                    out.append(t)
                stack.extend(c for c in t.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"))
                # "The US, Russia, and Switzerland met": a list misparsed as apposition of places
                stack.extend(c for c in t.children if c.dep_ == "appos" and c.ent_type_ == "GPE" == t.ent_type_)
        return out

    def _actorish(self, tok: Token) -> bool:
        """Could this word name an actor? Names, pronouns, entities, role words; not "device"."""
        if tok.ent_type_ in NOT_ACTOR_ENTS:
            # "tens of thousands of students": a quantity names whoever it counts
            if (tok.pos_ == "NUM" or tok.lemma_.lower() in QUANTITY_HEADS) and \
                    any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                return any(a.known for a in self.actors.resolve(tok))
            return False
        if tok.pos_ == "PROPN" or tok.ent_type_ in ACTOR_ENTS:
            return True
        if tok.pos_ == "PRON":
            return tok.lower_ not in ("it", "this", "that", "which", "what", "something", "nothing", "anything")
        return any(a.known for a in self.actors.resolve(tok))

    def _target_candidates(self, frame: Frame) -> list[Token]:
        tok = frame.trigger
        cands: list[Token] = []
        preps: dict[str, list[Token]] = {}  # "called on the US on Wednesday": both 'on's
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.pos_ == "ADP":
                preps.setdefault(c.lemma_.lower(), []).append(c)
        if frame.row.prep in TARGET_PREPS:
            cands += [g for p in preps.get(frame.row.prep, []) for g in p.children if g.dep_ == "pobj"]
        topic = tok.lemma_.lower() in topic_verbs()  # "discuss Syria": a topic, not a party
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "iobj") and c.pos_ != "ADP" and (frame.noun is None or c.i != frame.noun.i) \
                    and not (topic and c.dep_ == "dobj"):
                cands.append(c)
        for name in TARGET_PREPS:
            cands += [g for p in preps.get(name, []) for g in p.children if g.dep_ == "pobj"]
        for p in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS and c.i + 1 < len(tok.doc)
                  and not any(g.dep_ in ("pobj", "pcomp") for g in c.children)):
            # "granted asylum to five officers holed up in a residence": the parser made the
            # object of "to" the subject of the clause after it
            x = tok.doc[p.i + 1]
            while x.head.i > x.i and x.dep_ in ("det", "nummod", "amod", "compound", "poss", "quantmod"):
                x = x.head
            if x.dep_ in ("nsubj", "nsubjpass") and x.pos_ in ("NOUN", "PROPN"):
                cands.append(x)
        # "kidnapped up to 16 Russian advisers": the parser made "up" a particle and the
        # counted object a "to" phrase under it
        cands += [g for c in tok.children if c.dep_ == "prt" for p in c.children if p.dep_ == "prep"
                  for g in p.children if g.dep_ == "pobj" and any(n.dep_ == "nummod" for n in g.children)]
        # "denounced as an ugly crime Serbia's suppression of ...": the object shifted after the "as" phrase
        cands += [a for c in tok.children if c.dep_ == "prep" and c.lower_ == "as" and not any(
            d.dep_ == "dobj" for d in tok.children) for g in c.children if g.dep_ == "pobj"
            for a in g.children if a.dep_ == "appos"]
        holders = [frame.noun] if frame.noun is not None else [c for c in tok.children if c.dep_ == "dobj"]
        for holder in holders:
            for c in holder.children:
                if c.dep_ == "prep" and c.lemma_.lower() in TARGET_PREPS + ("between", "of"):
                    cands += [g for g in c.children if g.dep_ == "pobj"]
        # deeper: "preparing personnel for deployment to Ukraine" (object -> prep -> noun -> to X)
        frontier = [c for c in tok.children if (c.dep_ == "dobj" and not topic) or c.dep_ == "prep"]
        if frame.root in SPEECH_ROOTS:  # "threatened to deliver blows to the US": the content names the target
            for x in (c for c in tok.children if c.dep_ == "xcomp"):
                frontier += [c for c in x.children if c.dep_ in ("dobj", "dative")] + [x]
        for _ in range(3):
            nxt = []
            for node in frontier:
                for c in node.children:
                    if c.dep_ == "prep" and c.lemma_.lower() in TARGET_PREPS:
                        cands += [g for g in c.children if g.dep_ == "pobj"]
                    if c.dep_ in ("prep", "pobj", "conj"):  # ("launched artillery and rocket fire against X")
                        nxt.append(c)
            frontier = nxt
        seen, out = set(), []
        for c in cands:
            if c.ent_type_ in ("DATE", "TIME"):
                # "met with Syrian President Bashar Assad Tuesday": the parser made the day the
                # object and the name its modifier; the name is the party
                names = [m for m in c.children if m.dep_ == "compound" and m.ent_type_ in ACTOR_ENTS]
                c = names[-1] if names else c
            if c.i not in seen:
                seen.add(c.i)
                out.append(c)
        return out

    def _implied_agent(self, tok: Token) -> list[Token]:
        """Who did a passive act that names no agent, from the act it happened in: "were killed
        in an air strike by government forces", "killed in Israeli tank shelling", "the attack by
        al-Shabaab in which 30 were killed"."""
        nouns = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "during", "amid")
                 for g in c.children if g.dep_ == "pobj"]
        if tok.dep_ == "relcl":
            nouns.append(tok.head)
        for noun in nouns:
            rows = [r for pos in ("NOUN", "VERB") for r in self.lex.rows.get((noun.lemma_.lower(), pos), [])]
            if noun.pos_ not in ("NOUN", "VERB") or not any(r.cameo for r in rows):
                continue  # only an event noun ("strike", "shelling", "attack") has a doer
            for c in noun.children:
                if c.dep_ == "prep" and c.lower_ == "by":
                    doers = [g for g in c.children if g.dep_ == "pobj"]
                    if doers:
                        return doers
                if c.dep_ == "poss":
                    return [c]
            if any(a.country for a in self.actors.resolve(noun)):
                return [noun]  # "Israeli tank shelling": the shelling is Israel's
        return []

    def _nearest_other(self, frame: Frame, source_ids: set[int]) -> list[Token]:
        """The target the parse does not link directly: the nearest actor with a country below
        the trigger, outside its subject (and the reporter of an "according to" phrase).

        "warned that French troops would be targets", "described the US move as provocative",
        "a rebuke to Barack Obama", "demanded that Hamas renounce ...": the party acted upon is
        named inside the object or the complement. The search goes breadth-first, so the
        nearest such actor wins; a complement's subject is as near as a direct object.
        """
        tok = frame.trigger
        source_countries = {a.country for h in frame.source_heads for a in self.actors.resolve(h) if a.country}
        conditional = frame.root in CONDITION_ROOTS or frame.root in FORCE_ROOTS or frame.is_report
        deps = TARGET_SEARCH_DEPS | ({"advcl"} if conditional else set())  # "would retaliate if Israel attacked"
        if frame.root in CONDITION_ROOTS:  # "rejected five names that De Mistura wanted": whose they were
            deps = deps | {"relcl"}
        if frame.root not in SPEECH_ROOTS:  # "met to discuss Syria": what a meeting is about is no party
            deps = deps - {"xcomp", "ccomp", "pcomp"} - (set() if frame.root in FORCE_ROOTS else {"advcl"})

        def below(t: Token, skip: frozenset[str] = NOT_TARGET_PREPS | PLACE_PREPS) -> list[Token]:
            return [c for c in t.children if c.dep_ in deps and c.i not in source_ids
                    and not (c.dep_ == "pobj" and t.lower_ == "according")
                    and not (c.dep_ == "prep" and c.lower_ in skip)]
        # "arrived in Amman", "lifted a curfew in Montenegro": the trigger's own place may be its
        # target; 'by' on the trigger is its agent, but below it the author of what is acted on
        # ("rejected calls by Belarus's rulers", "demanded an admission by Moscow")
        topic = tok.lemma_.lower() in topic_verbs()
        # ("said in Geneva": where a statement was made is no one it was made to)
        spoken = PLACE_PREPS if frame.is_report or frame.root == "01" else frozenset()
        frontier = [c for c in below(tok, NOT_TARGET_PREPS | {"by"} | spoken) if (frame.noun is None or c.i != frame.noun.i)
                    and not (topic and c.dep_ == "dobj")]
        # "fought in the Spanish civil war": an event the act was part of is no place it was done to
        frontier = [c for c in frontier if not (c.dep_ == "prep" and c.lower_ in PLACE_PREPS and any(
            g.dep_ == "pobj" and self.lex.rows.get((g.lemma_.lower(), "NOUN")) for g in c.children))]
        if frame.noun is not None:
            frontier += below(frame.noun)
        mentions = self.actors.mentions
        for _ in range(4):
            found = [t for t in frontier if t.i not in source_ids
                     and (t.i in mentions or t.pos_ in ("NOUN", "PROPN") or t.ent_type_ in ACTOR_ENTS)
                     and self._actorish(t)
                     and not (t.dep_ == "compound" and t.head.lemma_.lower() in gathering_nouns())  # "the Geneva talks"
                     and any((a.code or a.country) and (a.country not in source_countries or frame.root in FORCE_ROOTS)
                             for a in self.actors.resolve(t))]
            if found:
                return found[:1]
            frontier = [c for t in frontier for c in below(t)]
        return []

    def arguments(self, frame: Frame) -> None:
        tok = frame.trigger
        passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if not passive and tok.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in tok.children) \
                and not any(c.dep_ in SUBJECT_DEPS for c in tok.children):
            # "Her husband, believed to be ..., was killed near Raqqa" parsed as a conjunct: the
            # subject it shares is what the passive was done to
            passive = self._subjects(tok)
        agents = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if passive and not agents and tok.lemma_.lower() in stative_participles():
            frame.stative = True  # "Vietnam is committed to opening up": the subject acts
        if frame.stative and passive:
            frame.source_heads, passive = self._with_conjuncts(passive), []
        frame.device = tok.lemma_.lower() in device_verbs()  # "a bomb exploded", "a truck was detonated"
        if passive and not agents and (passive[0].lemma_.lower() in instrument_nouns() or frame.device):
            # "Suspected Israeli missiles were fired at Syrian locations": the weapon's owner fired;
            # "a truck was detonated": what is detonated is a device, never a party
            frame.source_heads, passive = self._with_conjuncts(passive), []
        if tok.pos_ == "NOUN" and tok.head.lower_ == "under" and tok.lemma_.lower() in undergone_nouns():
            # "US forces came under fire from a tank": the subject undergoes what came "from" someone
            clause = tok.head.head
            agents = [g for c in [*tok.children, *clause.children] if c.dep_ == "prep" and c.lower_ == "from"
                      for g in c.children if g.dep_ == "pobj"]
            passive = self._subjects(clause)
        if tok.dep_ == "acl" and not passive and not any(c.dep_ in SUBJECT_DEPS for c in tok.children):
            # "the men seized by police" (participle: the noun is the target) or a misparsed
            # finite verb "Doctors from aid groups donated goods" (the noun is the subject)
            if tok.tag_ == "VBN":
                passive = [tok.head]
            elif tok.tag_ in ("VBD", "VBZ", "VBP"):
                frame.source_heads = self._with_conjuncts([tok.head])
            elif tok.tag_ == "VBG":
                # "troops guarding the border": the noun acts; "issued a declaration demanding ...":
                # a document's words are its issuer's
                owner = tok.head if self._actorish(tok.head) else None
                if owner is None and tok.head.head.pos_ == "VERB":
                    frame.source_heads = self._with_conjuncts(self._subjects(tok.head.head))
                elif owner is not None:
                    frame.source_heads = self._with_conjuncts([owner])
        if passive:
            frame.source_heads = self._with_conjuncts(agents or self._implied_agent(tok))
            frame.target_heads = self._with_conjuncts(passive)
            # a passive clause of its own: not a participle or relative clause that describes
            # ("Davis, convicted of ...", "beheadings which were captured on film"), nor a bare
            # "be" ("ordered that Begum be stripped", "expected to be charged")
            # nor an infinitive ("is thought to have been killed"); its subject its own or, in a
            # list of passives, the first one's ("was captured, shot and ...")
            own = tok if any(c.dep_ == "nsubjpass" for c in tok.children) else \
                tok.head if tok.dep_ == "conj" and any(c.dep_ == "nsubjpass" for c in tok.head.children) else None
            # (a subject a long way before its verb, past other clauses, is a misparse more often than not)
            if own is not None and any(abs(c.i - own.i) > MAX_SUBJECT_GAP for c in own.children if c.dep_ == "nsubjpass"):
                own = None
            # ("killed by sniper fire": a weapon for an agent names no doer)
            frame.undergone = not any(self._actorish(h) for h in frame.source_heads) and own is not None \
                and tok.dep_ not in ("acl", "relcl", "amod") and own.dep_ not in ("acl", "relcl", "amod") \
                and any(c.dep_ == "auxpass" and c.lower_ != "be" for c in tok.children) \
                and not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        else:
            if not frame.source_heads:
                frame.source_heads = self._with_conjuncts(self._subjects(tok))
            if not frame.source_heads:  # "fighting between Israeli troops and Hamas": the parties
                between = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"
                           for g in c.children if g.dep_ == "pobj"]
                frame.source_heads = self._with_conjuncts(between)
            # best target: one with a country or code, else one with a sector, else any name
            # (a device detonated with no one named is aimed at no one the parse can tell)
            source_ids = {s.i for s in frame.source_heads}
            # ("a homemade bomb destroyed an agency": a weapon for a subject is a device too)
            device_only = (frame.device or any(h.dep_ == "nsubj" and h.lemma_.lower() in instrument_nouns()
                                               for h in frame.source_heads)) \
                and not any(self._actorish(h) for h in frame.source_heads)
            struck = [] if frame.device else [c for c in tok.children if c.dep_ == "dobj"]  # (what explodes hits no object)
            frame.device = frame.device or device_only
            cands = [c for c in self._target_candidates(frame) if c.i not in source_ids] if not device_only else [
                g for c in tok.children if c.dep_ == "prep" and c.lower_ in DEVICE_TARGET_PREPS
                for g in c.children if g.dep_ == "pobj" and any(a.known for a in self.actors.resolve(g))] + [
                c for c in struck if any(a.known for a in self.actors.resolve(c))]
            # ("a car bomb detonated near a US convoy": what it was set off by is what it was aimed at)
            # ("seized Kafr Shams after a battle with Syrian troops": the place taken)
            chosen: list[Token] = [frame.taken_place[0]] if frame.taken_place is not None else []
            for test in (lambda a: bool(a.code or a.country), lambda a: a.known):
                if not chosen:
                    chosen = next(([c] for c in cands if any(test(a) for a in self.actors.resolve(c))), [])
            if not chosen:
                chosen = next(([c] for c in cands if self._actorish(c)), [])
            if not chosen and not device_only:
                chosen = self._nearest_other(frame, source_ids)
                if chosen:
                    place = chosen[0].head.dep_ == "prep" and chosen[0].head.lower_ in PLACE_PREPS \
                        and chosen[0].head.head.i == tok.i
                    frame.searched_target = "place" if place else "search"
            frame.target_heads = self._with_conjuncts(chosen)
        if frame.row.role == "reverse" and not passive:
            # "Georgia received weapons from Russia": the giver (object of 'from') is the source
            givers = [g for c in tok.children if c.dep_ == "prep" and c.lemma_.lower() == (frame.row.prep or "from")
                      for g in c.children if g.dep_ == "pobj"]
            frame.source_heads, frame.target_heads = self._with_conjuncts(givers), frame.source_heads
        if tok.dep_ == "relcl" and (tok.head.i in self.actors.mentions or self.actors.role_at(tok.head) is not None):
            # "the crown prince, whom Turkey accuses of ...": the party the clause is about (a name
            # or a role: "Deir Azzour, which remains besieged by ..." names no party)
            frame.target_heads = [tok.head if h.lower_ in RELATIVE and h.head.i == tok.i else h for h in frame.target_heads]
        frame.pronoun_subject = any(h.lower_ in SPEAKER_PRONOUNS for h in frame.source_heads)
        frame.source_heads = [h for h in frame.source_heads if self._actorish(h)]
        frame.target_heads = [h for h in frame.target_heads if self._actorish(h)]
        frame.sources = [a for h in frame.source_heads for a in self.actors.resolve(h)]
        frame.targets = [a for h in frame.target_heads for a in self.actors.resolve(h)]
        if frame.taken_place is not None and frame.taken_place[0] in frame.target_heads:
            # "captured Knin": what is taken is the place's country, not a person of its name
            place, c = frame.taken_place
            text = self.actors.phrase(place).text
            frame.place_target = Actor(text, c, c, None, None, resolved_by=f"place '{text}' in {c}")
            frame.targets = [a for h in frame.target_heads if h.i != place.i for a in self.actors.resolve(h)] + \
                [frame.place_target]
        if frame.is_report or frame.root == "01":
            # "told reporters", "speaking on BBC One": the channel is attribution, not a party
            frame.targets = [a for a in frame.targets if a.sector != "JRN" and not (a.code or "").endswith("JRN")]

    # -- a sentence -------------------------------------------------------------------------
    def code_sentence(self, sent: Span, index: int) -> list[Event]:
        frames: dict[int, Frame] = {}
        for tok in sent:
            f = self.frame(tok)
            if f is not None:
                self.arguments(f)
                frames[tok.i] = f
        for tok in sent:
            f = self.noun_frame(tok, frames)
            if f is not None:
                self.arguments(f)
                frames[tok.i] = f
        self.story.begin(sent)
        events = self._lexicon_events(sent, index, frames) if frames else []
        if self.classifier is not None and self._needs_classifier(events, sent):
            if self._tensor is None:
                self._tensor = sent.doc.tensor
            probs = self.classifier.probabilities(sentence_features(sent, [f.code for f in frames.values()]),
                                                  sentence_vector(sent, self._tensor))
            events = self.arbitrate(events, probs, sent, index)
        events = _one_per_pair(events)
        self._sentence_place(events, sent)
        self._told.extend(events)
        self.story.end(sent, index, frames.values())
        return events

    def _needs_classifier(self, events: list[Event], sent: Span) -> bool:
        """Only where it can change something: events of several classes, or none in a
        sentence that names an actor."""
        if events:
            return len({ontology.pentaclass(e.cameo) for e in events}) > 1
        mentions = self.actors.mentions
        return any(t.i in mentions or t.ent_type_ in ACTOR_ENTS for t in sent)

    def _lexicon_events(self, sent: Span, index: int, frames: dict[int, Frame]) -> list[Event]:
        self._link_speech(frames, sent)
        for f in frames.values():
            if f.is_report:
                self._demand(f, frames)
        according = self._according_to(sent)
        report_idx = {i for i, f in frames.items() if f.is_report}
        events: list[Event] = []
        told: set[int] = set()  # reporting frames whose content yielded an event
        # what was said first: a saying whose content yields no event ("said the envoy made a
        # serious mistake and Turkey would never agree ...", the refusal aimed at no one) is
        # coded for what it does itself
        for f in frames.values():
            if f.is_report and f.sources and f.sources[0].known and (f.sources[0].country or f.sources[0].code):
                self._speaker = (index, f.sources[0])
        for f in sorted(frames.values(), key=lambda fr: fr.is_report):
            if f.absorbed or (f.is_report and f.has_inner and id(f) in told and not f.demands):
                continue
            self._quoted_speaker(f, index)
            if f.is_report or f.code == "130" or f.trigger.lemma_.lower() in threat_verbs():  # a warning, a vow
                self._speech_act(f, sent)
            if f.reported_by is None and according is not None:
                f.reported_by = according
            produced = self._events(f, sent, index, report_idx)
            events.extend(produced)
            teller = f.told_by if produced else None
            while teller is not None and id(teller) not in told:
                told.add(id(teller))
                teller = teller.told_by
        events.sort(key=lambda e: int(e.trigger.split(":", 1)[0]))
        # statements are subordinate: "X said ..." only when nothing more specific is in the sentence
        if any(e.cameo_root != "01" for e in events):
            events = [e for e in events if not (e.cameo_root == "01" and e.trigger in self._report_triggers)]
        return events

    # -- lexicon and classifier together ------------------------------------------------------
    def arbitrate(self, events: list[Event], probs: dict[str, float], sent: Span, index: int) -> list[Event]:
        """One main class per sentence, and a proposal where the lexicon found nothing.

        When a sentence's events fall in several pentaclasses, the class the classifier finds most
        probable keeps its events; another class stays only if the classifier also gives it at
        least ``keep_other``. With no lexicon event, the classifier's top root becomes an event on
        the main clause's actors when its probability reaches ``propose``.
        """
        if not events:
            return self._proposal(probs, sent, index)
        by_class: dict[int, list[Event]] = {}
        for e in events:
            by_class.setdefault(ontology.pentaclass(e.cameo), []).append(e)
        if len(by_class) == 1:
            return events
        mass = {c: sum(p for r, p in probs.items() if r != NO_EVENT and ontology.pentaclass(r + "0") == c)
                for c in by_class}
        # the classifier's belief, plus a bonus for the class of the most prominent event (the one
        # nearest the main clause, not counting reporting verbs): syntax says which is main
        depth = {id(e): self._depth(e, sent) for e in events}
        top = min(depth.values())
        bonus = {c: self.arbitration.prominence if any(depth[id(e)] == top for e in by_class[c]) else 0.0
                 for c in by_class}
        main = max(by_class, key=lambda c: (mass[c] + bonus[c], max(e.confidence for e in by_class[c])))
        main_sources = {e.source.code if e.source else None for e in by_class[main]}
        kept = []
        for e in events:
            c = ontology.pentaclass(e.cameo)
            if c == main or mass[c] >= self.arbitration.keep_other or self._own_clause(e, sent, main_sources) \
                    or (depth[id(e)] == top and e.cameo_root != "01" and e.source is not None and e.source.code) \
                    or (depth[id(e)] == top and e.source is None and e.cameo_root in VICTIM_ROOTS):
                # ("Finucane, who defended suspects, was shot": force the main clause tells stays)
                kept.append(e)  # what the main clause asserts stays: "Colombia blamed the ELN for the bombing that killed 20"
        dropped = len(events) - len(kept)
        if dropped:
            for e in kept:
                e.explanation += (f"; main class {main} of the sentence (classifier {mass[main]:.2f}); "
                                  f"{dropped} event(s) of other classes dropped")
        return kept

    def _depth(self, event: Event, sent: Span) -> int:
        """How far an event's trigger is below the sentence's main clause, reporting verbs skipped."""
        token = sent.doc[int(event.trigger.split(":", 1)[0])]
        reports = {int(t.split(":", 1)[0]) for t in self._report_triggers}
        return sum(1 for a in token.ancestors if a.i not in reports and a.pos_ in ("VERB", "AUX", "NOUN"))

    @staticmethod
    def _own_clause(event: Event, sent: Span, main_sources: set[str | None]) -> bool:
        """An event told in a clause of its own, by another actor ("..., and Hamas welcomed the
        move"): a second interaction, not another reading of the main one."""
        i = int(event.trigger.split(":", 1)[0])
        trigger = sent.doc[i]
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children) \
            or trigger.pos_ == "NOUN"  # an event noun with its own doer: "the attack by al-Shabaab"
        source = event.source.code if event.source else None
        return has_subject and source is not None and source not in main_sources

    def _proposal(self, probs: dict[str, float], sent: Span, index: int) -> list[Event]:
        # the most probable class, then its most probable root: several roots of one class
        # ("fight", "mass violence") often share the evidence that the class is right
        mass: dict[int, float] = {}
        for r, q in probs.items():
            if r != NO_EVENT:
                mass[ontology.pentaclass(r + "0")] = mass.get(ontology.pentaclass(r + "0"), 0.0) + q
        best = max(mass, key=mass.get)
        p = mass[best]
        # threats and force need a word for them: within the class, the likeliest root that does not
        roots = [r for r in probs if r != NO_EVENT and ontology.pentaclass(r + "0") == best and r not in UNPROPOSED_ROOTS]
        if not roots:
            return []
        root = max(roots, key=probs.get)
        if probs[root] < self.arbitration.propose / 2:
            return []  # the class is likely, but no root the classifier may propose is
        verb = sent.root
        # a bare statement is the lexicon's own fallback (reporting verbs): never proposed
        if p < self.arbitration.propose or probs.get(NO_EVENT, 0.0) >= p or verb.pos_ not in ("VERB", "AUX") \
                or root == "01" or self._says(verb):
            return []  # what a speaker says or thinks is not the saying's own act
        entry = ontology.cameo(root + "0")
        row = Predicate(entry.code, verb.lemma_.lower(), "VERB", "", "", frozenset(), "", "", -1)
        frame = Frame(verb, row, entry.code, proposed=True,
                      note=f"no lexicon rule matched; the sentence classifier proposes root {root} "
                           f"({entry.name}, p={probs[root]:.2f}; class {best} p={p:.2f}) on the main "
                           f"clause '{verb.text}'")
        self.arguments(frame)
        if not any(a.code or a.country for a in frame.sources):
            return []  # a proposal needs a doer the sentence names, or it invents a dyad
        return self._events(frame, sent, index, set())

    def _says(self, verb: Token) -> bool:
        """A verb of saying or thinking ("said", "argued", "believes"): no act of its own."""
        row = self.lex.best(verb.lemma_.lower(), "VERB", [], [], [])
        return (row is not None and row.role == "report") or verb.lemma_.lower() in COGNITION_VERBS

    def _governor(self, frame: Frame, frames: dict[int, Frame]) -> tuple[Frame | None, str]:
        t = frame.trigger
        first_dep = ""
        for _ in range(8):
            head = t.head
            if head.i == t.i:
                return None, first_dep
            if t.dep_ != "conj":
                first_dep = first_dep or t.dep_
                if head.i in frames:
                    return frames[head.i], first_dep
            t = head
        return None, first_dep

    def _link_speech(self, frames: dict[int, Frame], sent: Span) -> None:
        said_in: dict[int, Frame] = {}  # a saying inside another: the outer one
        for f in frames.values():
            gov, dep = self._governor(f, frames)
            if gov is None:
                continue
            if gov.is_report and f.is_report:
                said_in[id(f)] = gov
            if gov.is_report:
                f.told_by = gov
            if gov.is_report:
                mod_cue = modality(f.trigger, stop_at={gov.trigger.i})
                if (not f.sources and f.root in FORCE_ROOTS and gov.sources and gov.sources[0].known
                        and mod_cue[0] in ("future", "hypothetical")
                        and mod_cue[1].split("'")[1:2] in (["would"], ["will"], ["shall"], *([w] for w in prospect_verbs()))):
                    # (only what "would" or "will" happen or is risked: "whether ... have been injured" is a
                    # question, "could have been killed" a guess)
                    # "Zakharova said French troops would be destroyed": force no one is named
                    # for, announced by a speaker, is the speaker's own (a threat, see _announced)
                    f.sources, f.source_heads = list(gov.sources), list(gov.source_heads)
                    f.note += f"; no doer named: the speaker '{gov.trigger.text}'s subject would act"
                if gov.sources and gov.sources[0].known:
                    f.reported_by = gov.sources[0]
                    f.report_via = gov.trigger
                    # "Moscow said it would respond": a pronoun subject of reported speech is the speaker
                    if f.pronoun_subject:
                        f.sources = list(gov.sources)
                        f.note += "; its pronoun subject is the speaker"
                # "underscored that if the West insists, Moscow would respond": a saying inside
                # what was said is no more specific than the saying
                gov.has_inner = gov.has_inner or not (f.is_report or _in_condition(f.trigger))
                # "Putin responded to Macron by warning ...": the speaker's addressee is the target
                if (not f.targets or f.searched_target) and gov.targets and not gov.searched_target \
                        and [a.code for a in f.sources] == [a.code for a in gov.sources]:
                    f.targets, f.target_heads = gov.targets, gov.target_heads
                    f.note += f"; target from '{gov.trigger.text}'"
            elif gov.root <= "13" and dep in COMPLEMENT_DEPS | {"prep"} \
                    and not (f.trigger.pos_ == "NOUN" and f.trigger.head.lower_ in SETTING_PREPS):
                # (not an event noun of the setting: "speaking after a meeting with May" met May)
                f.absorbed = True
                speaker = {a.code for a in gov.sources if a.code}
                others = [a for a in f.sources if (a.code or a.country) and a.code not in speaker]
                if not gov.targets and others and gov.root in ADDRESSEE_ROOTS:
                    # "Greece demanded that its EU partners refuse ...": the one asked to act
                    gov.targets, gov.target_heads = others, f.source_heads
                    gov.note += f"; target: who is to '{f.trigger.text}'"
                elif not gov.targets and f.targets and f.taken_place is None:  # ("talked about how Raqqa is liberated")
                    gov.targets = f.targets
                    gov.target_heads = f.target_heads
                    gov.note += f"; target from '{f.trigger.text}'"
                if gov.code == "130" and f.root in FORCE_ROOTS:
                    gov.code = "138"
                    gov.note += f"; threat of force ('{f.trigger.text}')"
        for f in frames.values():  # "signaled ..., stating that France considers ...": nested sayings
            outer = said_in.get(id(f))
            while f.has_inner and outer is not None and not outer.has_inner:
                outer.has_inner = True
                f, outer = outer, said_in.get(id(outer))

    @staticmethod
    def _unplaced(a: Actor | None, trigger: Token) -> bool:
        """A role with no country that the article's main country may be given: not one whose
        words say whose it is ("its citizens") or name a people that is no state ("Kurdish
        militias")."""
        if a is None or not a.sector or a.country or a.code or a.name:
            return False
        if a.sector in ("GOV", "MIL") and a.text.split()[-1].lower().endswith("s") \
                and not a.text.lower().startswith(("the ", "its ", "their ")):
            return False  # officials in the plural ("foreign ministers gathered in Brussels") are as
            # often several countries' as the article's
        words = a.text.lower().split()
        if any(w in POSSESSIVE_PRONOUNS for w in words) or any(w in word_set("placement.yaml", "not_home_modifiers")
                                                               for w in words):
            return False  # "its citizens"; "a senior western diplomat" is not the article's country's
        sent = trigger.sent
        return not any(t.ent_type_ == "NORP" and t.text in a.text and t.nbor(-1).lower_ != "ethnic" for t in sent
                       if t.i > 0)  # ("ethnic Turks" live in a country: it may be the article's)

    def _event_anaphor(self, f: Frame, sources: list[Actor | None]) -> Actor | None:
        """The doer of an event told earlier that the trigger's object refers back to: "London
        condemned the move" (Moscow's expulsion of two diplomats, one sentence before)."""
        nouns = [c for c in f.trigger.children if c.dep_ in ("dobj", "nsubjpass")]
        # "said that any such move would be unacceptable": the subject of what was said
        nouns += [g for c in f.trigger.children if c.dep_ == "ccomp" for g in c.children if g.dep_ == "nsubj"]
        nouns += [g for c in f.trigger.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
                  for g in c.children if g.dep_ == "pobj"]
        own = {a.country for a in sources if a is not None and a.country}
        summary = f.trigger.head
        if f.trigger.dep_ == "acl" and summary.dep_ == "appos" and summary.lemma_.lower() in event_anaphors():
            # "the UN announced that De Mistura would attend Sochi, a decision hailed by Moscow": the
            # noun sums up the clause it is apposed to, so the act is aimed at that clause's doer
            verb = next((a for a in summary.ancestors if a.pos_ == "VERB"), None)
            doers = [a for c in (verb.children if verb is not None else ()) if c.dep_ == "nsubj"
                     for a in self.actors.resolve(c) if (a.country or a.code) and a.country not in own]
            if doers:
                return replace(doers[0], resolved_by=f"the doer of '{verb.text}', which '{summary.text}' sums up: "
                                                     f"{doers[0].resolved_by}")
        if not any(n.lemma_.lower() in event_anaphors() and any(  # ("any such move": 'such' is a modifier)
                c.dep_ in ("det", "poss", "amod", "predet") and c.lower_ in ANAPHOR_DETERMINERS for c in n.children)
                for n in nouns):
            return None
        for e in reversed(self._told):
            if e.source is not None and e.source.country and e.source.country not in own:
                return replace(e.source, resolved_by=f"the doer of the event '{e.evidence[:60]}' that "
                                                     f"'{f.trigger.text} the ...' refers back to")
        return None

    def _protested(self, f: Frame, sources: list[Actor | None]) -> Actor | None:
        """Whom a protest is against where the sentence says so ("in defiance of Chinese
        authorities", "disapproval of the United States' policies"; ``events/data/protest.yaml``),
        rather than the government of the place it happened in."""
        own = _countries(sources)
        nouns, preps = word_set("protest.yaml", "nouns"), word_set("protest.yaml", "preps")
        for tok in f.trigger.sent:
            if tok.lemma_.lower() in nouns:
                objects = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "to", "with", "against")
                           for g in c.children if g.dep_ == "pobj"]
            elif tok.dep_ == "prep" and tok.lower_ in preps and f.trigger.is_ancestor(tok):
                objects = [g for g in tok.children if g.dep_ == "pobj"]
            else:
                continue
            # ... or the doer of what is protested: "against violations by the Israeli military"
            objects += [d for g in objects for c in g.children if c.dep_ == "prep" and c.lower_ == "by"
                        for d in c.children if d.dep_ == "pobj"]
            for g in objects:
                found = [a for a in self.actors.resolve(g) if a.country and a.country not in own]
                if found:
                    return replace(found[0], resolved_by=f"protested against ('{tok.text} ... {g.text}'): {found[0].resolved_by}")
        return None

    def _quoted_speaker(self, f: Frame, index: int) -> None:
        """The speaker of the sentences just before goes on: "We" or "I" that nothing in the
        sentence resolves ('Bishop said: "We are disappointed ..." "We will continue ..."'), and
        a document that speaks ("The statement also warned ...") is that speaker's words."""
        if self._speaker is None or index - self._speaker[0] > 2:
            return
        speaker = self._speaker[1]
        if not f.sources and (f.is_report or f.trigger.lemma_.lower() in threat_verbs()):
            subject = next((c for c in f.trigger.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lemma_.lower() in document_nouns() and any(
                    c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "its", "their") for c in subject.children):
                f.sources = [replace(speaker, text=f"the {subject.text}",
                                     resolved_by=f"the {subject.text} of '{speaker.text}' told before: {speaker.resolved_by}")]
                f.note += f"; '{subject.text}' is the words of the speaker told before"
            return
        first = [k for k, a in enumerate(f.sources) if a.text.lower() in FIRST_PERSON and not a.known]
        for k in first:
            f.sources[k] = replace(speaker, resolved_by=f"'{f.sources[k].text}' goes on quoting "
                                                        f"'{speaker.text}': {speaker.resolved_by}")
        if first:
            f.note += "; its first-person subject is the speaker quoted before"

    def _governor_acts(self, f: Frame) -> bool:
        """Whether the subject of the verb governing ``f`` ("vowed", "wants") is ``f``'s own doer
        or its state: "Pompeo vowed the US will expel ..." yes; "Obama wants Putin to attack" no."""
        head = f.trigger.head
        if any(c.dep_ in ("dobj", "dative") for c in head.children):
            return False  # "urged Iran to ...", "wants Putin to ...": another is to act
        own = [c for c in f.trigger.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
        if not own:
            return True
        theirs = {a.country for c in head.children if c.dep_ == "nsubj" for a in self.actors.resolve(c) if a.country}
        return bool(theirs & {a.country for a in f.sources if a.country})

    @staticmethod
    def _warns_of_future(f: Frame) -> bool:
        """Whether a warning speaks of what is to come (a threat) rather than of what was done."""
        said = [c for c in f.trigger.children if c.dep_ in ("ccomp", "xcomp")]
        return not said or any(modality(c, stop_at={f.trigger.i})[0] in ("future", "hypothetical") for c in said)

    def _demand(self, f: Frame, frames: dict[int, Frame]) -> None:
        """"Britain said Libya must hand over the suspects": what the speaker says another must
        or should do is the speaker's demand of that party (CAMEO 100), not the act demanded,
        which has not happened; said of no one in particular ("all sides must show restraint"),
        an appeal (020). Words: ``obligation`` in ``events/data/stance.yaml``."""
        if not (f.sources and f.sources[0].known):
            return
        for clause in (c for c in f.trigger.children if c.dep_ in ("ccomp", "xcomp")):
            verb = _obliged(clause)
            if verb is None:
                continue
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            # a party, not a thing ("a settlement has to include ..."), and not the speaker's own
            # side (rebels may demand of their own government; a minister of his country does not)
            party = subject is not None and (subject.pos_ in ("PROPN", "PRON") or subject.i in self.actors.mentions
                                             or self.actors.role_at(subject) is not None)
            named = [a for a in (self.actors.resolve(subject) if party else []) if a.country or a.code]
            who = [a for a in named if not any(a.code == b.code and a.code or _same_side(b, a) for b in f.sources)]
            if named and not who:
                f.own_resolve = True  # "Germany must be able to prosecute", said by its minister: its own resolve
                continue
            if not who and _must(clause) != "must":
                continue  # "said the talks should end by Friday": an expectation, not an appeal
            for g in frames.values():
                if g is not f and g.trigger.i in {t.i for t in clause.subtree} and g.trigger.i in _obliged_verbs(verb):
                    g.absorbed = True
            f.demands = True
            f.code = "100" if who else "020"
            if who:
                f.targets, f.target_heads = who, [subject] * len(who)
            said = f"'{subject.text if subject is not None else clause.text}' {_must(clause)} '{verb.text}'"
            f.note += f"; {said}: demanded of it -> 100" if who else f"; {said}, said of no party: an appeal -> 020"
            return

    def _speech_act(self, f: Frame, sent: Span) -> None:
        """A statement whose words criticise, accuse, threaten, reject or appeal is that act."""
        if f.demands:
            return
        found = speech_act(f.trigger, sent)
        if found is not None and f.own_resolve and found[0].code == "020":
            found = None  # what one's own side must do appeals to no one
        warning = f.trigger.lemma_.lower() == "warn"  # "warned that Americans have taken dangerous steps" criticises
        if found is not None and (f.is_report or found[0].code.startswith("13")
                                  or warning and found[0].code.startswith("11") and not self._warns_of_future(f)):
            act, cue = found
            f.code = act.code
            f.note += f"; what was said {act.name}s ('{cue}') -> {act.code}"

    def _announced(self, f: Frame, mod: str) -> str:
        """The speech-act code for an act announced by its own actor (data: intent.yaml)."""
        table = dict(intent_table().get("negated" if mod == "negated" else "future") or {})
        if mod != "negated" and _has_condition(f.trigger):
            table.update(intent_table().get("conditional") or {})
        if mod not in ("future", "hypothetical", "negated") or not table or f.root not in table:
            return f.code
        speaker = f.reported_by
        # "Gerasimov said Russia would shoot down missiles": a state's official speaks for its acts
        own = speaker is None or any(a.code and a.code == speaker.code or a.name and a.name == speaker.name
                                     or a.country and a.country == speaker.country for a in f.sources)
        said = speaker is not None or f.trigger.dep_ in ("xcomp", "ccomp")
        decided = f.trigger.dep_ == "xcomp" and f.trigger.head.lemma_.lower() in deciding_verbs()
        if f.trigger.dep_ == "xcomp" and f.trigger.head.lemma_.lower() in word_set("intent.yaml", "readiness") \
                and mod != "negated":
            own = said = True  # "the coup leaders are ready to return power": their own intent, whoever tells it
        if mod == "negated" and speaker is None and not decided:
            return f.code  # "did not send tanks" is a negated act, not a refusal ("voted not to attend" is one)
        if _in_condition(f.trigger):
            return f.code  # "if the US sought to strike Syria, ...": the condition is nobody's announcement
        if f.trigger.dep_ in ("acl", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in f.trigger.children):
            return f.code  # "forces raised to fight Isis": a purpose, not an announcement
        if speaker is None and f.trigger.dep_ in ("xcomp", "ccomp") and not self._governor_acts(f):
            return f.code  # "Obama wants Putin to attack": what one wants another to do is not announced
        return table[f.root] if own and said else f.code

    def _according_to(self, sent: Span) -> Actor | None:
        for tok in sent:
            if tok.lower_ == "according":
                for to in tok.children:
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            actors = [a for a in self.actors.resolve(pobj) if a.known]
                            if actors:
                                return actors[0]
        return None

    def _keep(self, frame: Frame, source: Actor | None, target: Actor | None, mod: str = "factual") -> bool:
        """An event needs a doer (except force against a known victim), a known actor on one
        side or a named source (a person, an NGO), and, if it did not or may not happen, a target.

        Statements from reporting verbs with no inner event need a source with a country and,
        unless what was said is a speech act (``stance``), a target: "residents said" or "the
        minister said" alone is not political event data.
        """
        def has_country(a: Actor | None) -> bool:
            return bool(a and (a.country or a.code))
        def named(a: Actor | None) -> bool:
            return bool(a and (a.name or a.resolved_by == UNRESOLVED_NAME))
        if frame.is_report or frame.code == "010":
            # a statement is political event data only from an identified actor, about or to
            # another: "X said" with no one named and nothing cued in it is a bare statement, and
            # "Reuters reported" is attribution
            if frame.code == "010" and source is not None and (source.code or "").endswith("JRN"):
                return False
            return has_country(source) and (has_country(target) or frame.code != "010")
        if target is None and mod in ("hypothetical", "negated"):
            return False  # what did not or may not happen, aimed at no one, is nothing to count
        if source is None:
            # who did it is what event data is about: only force done to a known victim ("a
            # journalist was killed") is news without a named doer
            # ... but not in a clause that describes someone ("children whose parents were killed")
            described = frame.trigger.dep_ in ("relcl", "acl") and any(
                c.lower_ in ("whose", "who", "whom") for c in frame.trigger.subtree)
            if frame.root not in VICTIM_ROOTS or mod not in ("factual", "uncertain") or described:
                return False
            # ... or to a person the passive names ("Karimi was captured in Pakistan", "he was shot
            # in Colombo", a pronoun resolved to a person): who underwent it is known
            return bool(target and (target.sector or has_country(target)
                                    or frame.undergone and mod == "factual" and named(target) and not target.code
                                    and not frame.code.startswith("171")  # (a person is no property seized)
                                    and self._person_named(frame, target)))
        if has_country(source) or has_country(target) or named(source):
            return True
        return bool(source and source.sector) or bool(target and target.sector and source is not None)

    @staticmethod
    def _person_named(frame: Frame, target: Actor) -> bool:
        """Whether the passive's subject names the person (a name or a pronoun), not a noun known
        through its possessor ("her husband" is not she) nor a capitalised first word ("Magicians")."""
        head = next((h for h in frame.target_heads if h.text in target.text), None)
        if head is None or head.pos_ not in ("PROPN", "PRON"):
            return False
        return not (head.tag_ == "NNPS" and head.ent_type_ != "PERSON" and target.resolved_by == UNRESOLVED_NAME)

    def _events(self, f: Frame, sent: Span, index: int, report_idx: set[int]) -> list[Event]:
        if _in_condition(f.trigger) and not f.is_report:
            return []  # "Russia would respond if the US struck Syria": a condition asserts no strike
        if _background(f.trigger, f.root):
            return []  # "has previously refused", "rebels fighting to overthrow Assad": not the news
        if _generic(f.trigger):
            return []  # "it's one thing to kill a soldier", "to kill civilians is wrong": no one did it
        entry = ontology.cameo(f.code)
        sources: list[Actor | None] = _distinct(f.sources) or [None]
        targets: list[Actor | None] = _distinct(f.targets) or [None]
        mutual_codes, mutual_lemmas = reciprocal_table()
        # "Russia and Ukraine exchanged prisoners": the prisoners are what was exchanged, not a party
        # "Obama and Putin will meet in Zurich": the place of a meeting is not a party to it
        reciprocal = (all(t is None or not (t.code or t.country) for t in targets) or f.searched_target == "place") \
            and len(sources) > 1 and (
            f.code in mutual_codes or f.trigger.lemma_.lower() in mutual_lemmas)
        mod, cue = modality(f.trigger, stop_at=report_idx)
        if mod == "hypothetical" and cue.startswith("'to "):
            return []  # "the plot to kill", "determination to fight on": an aim, not an event
        if f.is_report:
            if mod != "factual":  # "if Western countries insist ...": a statement nobody made
                return []
            self._report_triggers.add(f"{f.trigger.i}:{f.trigger.text}")
        future = mod in ("future", "hypothetical")  # dates of what is still to come look forward
        announced = mod == "future"  # "will extend sanctions in May" is dated by its announcement
        code = self._announced(f, mod)
        if code != f.code:  # the announcement itself happened: it is the (factual) event
            f.note += f"; {mod} '{f.trigger.text}' announced by its own actor -> {code}"
            entry = ontology.cameo(code)
            mod, cue = "factual", f"announcement of a {mod} act"
        resolved = sentence_date(sent, self.published, anchor=f.trigger, future=future, announced=announced)
        scheduled = sentence_date(sent, self.published, anchor=f.trigger, future=True) if announced else None
        scene = self.story.date_for(sources, f.root, index) if resolved is None and not announced else None
        if scene is not None:  # "He told MPs ...", "Hunt said ..." after "Hunt ... in the Commons on Monday"
            resolved = scene[0]
        if resolved is not None:
            day, precision, date_text = resolved.iso(), resolved.precision, resolved.text
        elif self.published is not None:
            day, precision, date_text = self.published.isoformat(), "document", None
        else:
            day = precision = date_text = None
        text = self.text
        start, end = self._bounds(sent)
        nums = []
        for h in dict.fromkeys([*f.source_heads, *f.target_heads,
                                *(c for c in f.trigger.children if c.dep_ == "dobj")]):
            nums.extend(numbers_of(h))
        location = self._location(f.trigger)
        if location and location.get("country"):
            # "opposition leaders postponed the demonstration in Baku": a group the tables do not
            # know, acting where the clause says, is of that country
            place = location["country"]
            sources = [_placed(a, place, f"acting in '{location['name']}'") for a in sources]
            targets = [_placed(a, place, f"acting in '{location['name']}'") for a in targets]
        sources, targets = self._place_roles(f, sources, targets)
        placed_at = self._where(f, sources, targets) or location
        if placed_at is None and f.taken_place is not None:  # "rebels seized Kafr Shams": where is what was taken
            placed_at = self._resolved(self.placer.taken_place(f.taken_place[0]), "clause", f.trigger,
                                       [*sources, *targets])
        if targets == [None] and sources == [None] and (f.undergone or f.device) \
                and (f.root in FORCE_ROOTS - {"15", "17"} or f.code.startswith("173")) \
                and placed_at \
                and placed_at.get("source") in ("clause", "sentence") and not (location and location.get("country")):
            # "a car bomb exploded near a convoy in X", "the three were killed in an ambush near X":
            # force no one is named for, done to no one named, is done in (and to) the place's country
            # (a place the gazetteers cannot tell: the article's main country)
            home = placed_at.get("country") or (self.actors.salient_country(f.trigger.i) or (None,))[0]
            if home is not None:
                location = {**placed_at, "name": self.text[placed_at["start"]:placed_at["end"]], "country": home}
        if targets == [None] and not reciprocal and f.root in PLACE_TARGET_ROOTS and location and location.get("country"):
            # "imposed a curfew in the town of Cizre in southeastern Turkey": done to the place's country
            c = location["country"]
            targets = [Actor(location["name"], c, c, None, None, resolved_by=f"location of the event -> {c}")]
        if all(t is None or not (t.country or t.code) for t in targets) and not reciprocal \
                and (anaphor := self._event_anaphor(f, sources)) is not None:  # ("the new regime" names no one)
            targets = [anaphor]
        if f.root == "14" and all(t is None or t.country in _countries(sources) for t in targets) \
                and (against := self._protested(f, sources)) is not None:
            targets = [against]
        authority = implied_authorities().get(f.trigger.lemma_.lower())
        if sources == [None] and authority and any(c.dep_ == "nsubjpass" for c in f.trigger.children):
            # "Robinson was arrested in Turkey": by the authorities of where it happened
            where = (location or {}).get("country") or (self.actors.salient_country(f.trigger.i) or (None,))[0]
            if where:
                how = f"in '{location['name']}'" if (location or {}).get("country") else "the article's main country"
                sources = [Actor(f"the authorities of {where}", where + authority, where, authority, None,
                                 resolved_by=f"no one named: the authorities ({authority}) of {where}, {how}")]
        if targets == [None] and not reciprocal and f.root in DOMESTIC_ROOTS:
            # protests, curfews and crackdowns with no one named are domestic: students protesting
            # address their own government; a curfew is imposed on the authorities' own country
            home = next((s.country for s in sources if s is not None and s.country), None)
            if home is not None:
                sector = DOMESTIC_ROOTS[f.root]
                targets = [Actor(f"the {sector or 'country'} of {home}", home + (sector or ""), home, sector, None,
                                 resolved_by=f"a domestic act: the source's own country {home}"
                                             + (f" ({sector})" if sector else ""))]
        if sources != _distinct(f.sources) and len(f.source_heads) == 1:
            self.actors.placed(f.source_heads[0].i, [a for a in sources if a is not None])
        out = []
        pairs = [(s, t) for s in sources[:4] for t in targets[:4]]
        if reciprocal:  # "China and Russia held talks": each met the other (CAMEO codes both ways)
            parties = [a for a in sources if a is not None and (a.country or a.code)]
            pairs = [(s, t) for s in parties[:4] for t in parties[:4]
                     if s is not t and not (s.country and s.country == t.country)]
        for s, t in pairs:
            if not self._keep(f, s, t, mod):
                continue
            if s is not None and t is not None and s.code and s.code == t.code and s.name == t.name \
                    and t is not f.place_target:  # ("Eritrea captured Badme": a town GeoNames puts in Eritrea)
                continue  # an actor acting on itself is a parse or coreference slip
            reported = f.reported_by
            if reported is not None and s is not None and (reported.code == s.code and reported.name == s.name
                                                           or _same_side(reported, s)):
                reported = None  # a self-report: "Macron said France considers ..." (panel 2.2)
            pair_entry, kind = self._violence(f, entry, s, t)
            expl = [f"{f.note} -> {entry.code} {entry.name}" + (f"; {kind} -> {pair_entry.code} {pair_entry.name}"
                                                                  if kind else "")]
            if s is not None:
                expl.append(f"source '{s.text}': {s.resolved_by or 'unresolved'}")
            if t is not None:
                expl.append(f"target '{t.text}': {t.resolved_by or 'unresolved'}")
            if reported is not None:
                expl.append(f"reported by '{reported.text}' (via '{f.report_via.text if f.report_via else 'according to'}')")
            elif f.reported_by is not None and s is not None and f.reported_by.name != s.name:
                teller = f.reported_by
                expl.append(f"told by its own side '{teller.text}'" + (f" ({teller.name})" if teller.name else ""))
            expl.append(f"modality {mod}" + (f" ({cue})" if cue else ""))
            expl.append(f"date from '{date_text}'" + (f" ({scene[1]})" if scene else "") if date_text else
                        "date: publication date" if day else "no date (no publication date given)")
            if scheduled is not None and (resolved is None or scheduled.text != resolved.text):
                expl.append(f"dated by its announcement; the act is set for '{scheduled.text}' ({scheduled.iso()})")
            confidence = 0.45 + 0.1 * f.row.specificity + (0.15 if s and s.known else 0) + \
                (0.1 if t and t.known else 0) - (0.1 if f.is_report else 0) - (0.2 if f.proposed else 0)
            out.append(Event(
                doc_id=self.doc_id, sentence_index=index, span=(start, end), evidence=text[start:end],
                cameo=pair_entry.code, cameo_root=pair_entry.root, cameo_name=pair_entry.name,
                plover=pair_entry.plover, plover_mode=pair_entry.plover_mode, quad_class=pair_entry.quad_class,
                goldstein=pair_entry.goldstein,
                source=s, target=t, date=day, date_precision=precision, date_text=date_text,
                modality=mod, reported_by=reported, numbers=nums, location=placed_at,
                confidence=max(0.05, min(0.95, confidence)), explanation="; ".join(expl),
                trigger=f"{f.trigger.i}:{f.trigger.text}",
            ))
        return out

    def _place_roles(self, f: Frame, sources: list[Actor | None],
                     targets: list[Actor | None]) -> tuple[list[Actor | None], list[Actor | None]]:
        """Countries for roles the tables give none ("opposition leaders", "police"), from the
        other side of the act, then from the article's main country."""
        homes = _countries(targets)
        # a person the tables do not know, with a title of home affairs ("Judge Alejandro Rivera")
        if len(homes) == 1 and f.root not in FORCE_ROOTS:
            home = next(iter(homes))
            sources = [replace(a, country=home, code=home + a.sector,
                               resolved_by=f"{a.resolved_by}; acting on its own country -> {home}")
                       if a is not None and a.name and not (a.country or a.code) and a.sector
                       and a.sector not in FOREIGN_SECTORS else a for a in sources]
        if (f.root not in FORCE_ROOTS or f.root in DOMESTIC_ROOTS) and len(homes) == 1 \
                and any(self._unplaced(a, f.trigger) for a in sources):
            # "opposition leaders agreed to postpone the demonstration in Baku", "Judge Rivera opened
            # investigations against 28 Chilean officials", "army rebels seized power of the tiny
            # nation": who deals with a country's own affairs, unplaced, is of that country (not
            # armed forces or officials, which act abroad; coercion and protest are domestic)
            home = next(iter(homes))
            sources = [_placed(a, home, f"acting on '{next(t.text for t in targets if t and t.country == home)}'")
                       if self._unplaced(a, f.trigger) and a.sector not in FOREIGN_SECTORS else a for a in sources]
        origins = _countries([a for a in sources if a is None or a.sector not in ARMED_ABROAD])
        if (f.root in DOMESTIC_ROOTS or f.code.startswith(DOMESTIC_CODES)) and len(origins) == 1:
            # "(the coup makers) arrested a number of cabinet ministers": coercion is domestic, so
            # its victims the tables give no country are of the doer's country (troops detain
            # civilians abroad too: not theirs)
            home = next(iter(origins))
            targets = [_placed(a, home, "coerced at home by its doer") for a in targets]
        if any(self._unplaced(a, f.trigger) for a in [*sources, *targets]):
            # "Army rebels seized power", "police fired on protesters" in an article about one
            # country (named at least twice as often as any other): the roles are that country's
            salient = self.actors.salient_country(f.trigger.i)
            if salient is not None:
                how = f"the article's main country {salient[0]} ({salient[1]} mentions)"
                sources = [_placed(a, salient[0], how) if self._unplaced(a, f.trigger) else a for a in sources]
                # ... but not force's victims of a doer from that country ("Russian soldiers
                # detained civilians" names no place, and soldiers act abroad)
                foreign_force = f.root in FORCE_ROOTS and any(
                    a is not None and a.country == salient[0] and a.sector in ARMED_ABROAD for a in sources)
                targets = [_placed(a, salient[0], how) if self._unplaced(a, f.trigger) and not foreign_force else a
                           for a in targets]
        return sources, targets

    @staticmethod
    def _violence(f: Frame, entry, source: Actor | None, target: Actor | None) -> tuple[Any, str]:
        """An unspecified killing or attack refined (data: violence.yaml): a bomb in the clause
        makes it a bombing, an irregular group's one-sided attack unconventional violence."""
        table = violence_table()
        if entry.code not in table["refined"]:
            return entry, ""
        tok = f.trigger
        parts = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "agent", "prep", "compound", "amod")]
        if tok.dep_ in ("relcl", "acl"):
            parts.append(tok.head)  # "a roadside bombing that killed ..."
        words = {w.lemma_.lower() for p in parts for w in p.subtree} | {w.lower_ for p in parts for w in p.subtree}
        bomb = next((w for w in table["bombing"]["words"] if w in words), None)
        if bomb is not None:
            return ontology.cameo(str(table["bombing"]["code"])), f"'{bomb}' in the clause: a bombing"
        irregular = table["irregular"]
        if source is not None and (source.sector in irregular["source_sectors"] or any(
                (source.code or "").startswith(p) for p in irregular["source_code_prefixes"])) \
                and not (target is not None and target.sector in irregular["armed_target_sectors"]):
            return ontology.cameo(str(irregular["code"])), "an irregular group's one-sided violence"
        return entry, ""

    @staticmethod
    def _bounds(sent: Span) -> tuple[int, int]:
        """Character span of the sentence without surrounding blanks (or a blanked dateline)."""
        words = [t for t in sent if not t.is_space]
        if not words:
            return sent.start_char, sent.start_char
        return words[0].idx, words[-1].idx + len(words[-1].text)

    def _where(self, f: Frame, sources: list[Actor | None], targets: list[Actor | None]) -> dict | None:
        """Where the event of ``f`` happened (``redline.events.placing``): the place phrase of its
        clause or sentence, resolved by the phrase's own context, the actors' countries and the
        article's country; with its character span, source and precision."""
        hit = self.placer.find(f.trigger, f.root, f.taken_place[0] if f.taken_place is not None else None)
        if hit is None:
            anaphor = self.placer.anaphor(f.trigger)  # "there", "west of the city": named before
            if anaphor is None:
                return None  # nothing in the clause says or implies a place: never the article's focus
            implied = self.placer.implied(anaphor)
            hit = self.placer.antecedent(anaphor) if implied != "country" else None
            if implied == "capital" and hit is not None and (
                    (named := gazetteer.lookup(hit[0].span.text)) is None or named.kind != "capital"
                    or self._own_country(anaphor) not in (None, named.country)):
                if hit[1] == "sentence" and self._own_country(anaphor) is None:
                    return None  # "marched in Edinburgh ... fought police in the capital": which one?
                hit = None  # "the Syrian capital" after "Kabul"; "the capital" a sentence after "Kandahar"
            if hit is None and implied in ("capital", "country"):  # "in the capital", "across the country"
                return self._implied_place(anaphor, implied)
            if hit is None:
                last = self._last_place
                if last is None or anaphor.lower_ in self.placer.words.anaphoric_nouns and last["precision"] != "town":
                    # "the city", "here" with no place named before: the article's focus town
                    return self._implied_place(anaphor, implied) if implied == "town" else None
                return {**last, "source": "article"}  # the place an earlier event of the article was given
        found, source = hit
        return self._resolved(found, source, f.trigger, [*sources, *targets])

    def _article_focus(self) -> dict:
        """The place the article is about, found once per article: ``town``, its dateline town
        (:func:`placing.lead_dateline`), else the one town its lead (first sentence) names in the
        focus country; ``country``, the town's, else the one country its lead names when the article
        names no other country more often, else the article's main country by twice any other's
        mentions. Either may be None."""
        if self._focus is not None:
            return self._focus
        doc = self.actors.doc
        town = lead_dateline(self.text)
        country = town["country"] if town is not None else None
        if country is None:
            town = None
            salient = self.actors.salient_country(len(doc))
            first = next(iter(doc.sents), None)
            lead: dict[str, list[str]] = {}  # country -> the towns the lead names in it
            seen: set[int] = set()
            for i in range(first.start, first.end) if first is not None else ():
                m = self.actors.mentions.get(i)
                if m is None or m.start in seen:
                    continue
                seen.add(m.start)
                e = next((e for e in m.entries if e.kind in PLACE_KINDS), None)
                if e is not None and e.country and country_point(e.country) is not None:
                    lead.setdefault(e.country, [])
                    if e.kind in ("city", "capital"):
                        lead[e.country].append(doc[m.start:m.end].text)
            if len(lead) == 1 and (salient is None or salient[0] in lead):
                country = next(iter(lead))
                names = set(lead[country])
                if len(names) == 1:
                    town = resolve_place(names.pop(), (country,))
                    town = town if town["precision"] == "town" and town["country"] == country else None
            else:
                wide = self.actors.salient_country(len(doc), margin=2.0)
                country = wide[0] if wide else None
        self._focus = {"town": town, "country": country}
        return self._focus

    def _own_country(self, word: Token) -> str | None:
        """The country a nationality or a country name on ``word`` names ("the Syrian capital")."""
        for c in word.children:
            m = self.actors.mentions.get(c.i) if c.dep_ in ("amod", "compound", "nmod") else None
            e = next((e for e in m.entries if e.kind in PLACE_KINDS), None) if m is not None else None
            if e is not None and e.country:
                return e.country
        return None

    def _implied_place(self, word: Token, implied: str | None) -> dict | None:
        """The place a word of the clause implies without naming it (``Placer.implied``): the
        capital of the country named on it ("the Syrian capital": source clause), else of the
        article's focus country ("the capital"); the focus country ("across the country",
        precision country), when the sentence names no finer place; the focus town ("the city", "here"); source article. None when the
        sentence names another country before the word and not the focus one ("the US withdrew
        from the country" says nothing against the focus, but nothing for it either)."""
        doc = word.doc
        head = word.head if word.dep_ == "poss" else word  # "the country's north"
        span = doc[head.left_edge.i:head.i + 1] if head.pos_ == "NOUN" else doc[word.i:word.i + 1]
        own = self._own_country(word) if implied == "capital" else None
        focus = self._article_focus()
        if own is None and implied in ("capital", "country"):
            named = set()
            for i in range(word.sent.start, span.start):
                m = self.actors.mentions.get(i)
                e = next((e for e in m.entries if e.kind in PLACE_KINDS), None) if m is not None else None
                if e is not None and e.country and country_point(e.country) is not None:
                    named.add(e.country)
            if named and focus["country"] not in named:
                return None
        country = own or focus["country"]
        if implied == "capital":  # (not after "marched in Aleppo ...": which capital?)
            loc = capital_of(country) if country and (own or not self.placer.town_named_before(word, previous=False, capitals=False)) \
                else None
        elif implied == "country":
            finer = any(e.label_ in self.placer.words.place_labels and country_of_name(e.text) is None
                        and known(e.text) for e in word.sent.ents)  # ("... of the country, ... in Farah city")
            point = country_point(country) if country and not finer else None
            loc = None if point is None else {
                "name": point.name, "country": country, "admin1": None, "admin2": None,
                "lat": point.lat, "lon": point.lon, "precision": "country"}
        elif implied == "town" and focus["town"] is not None \
                and not self.placer.town_named_before(word, focus["town"]["name"]):  # ("in surat, ... the city")
            loc = {k: v for k, v in focus["town"].items() if k not in ("start", "end", "source")}
        else:
            loc = None
        if loc is None:
            return None
        after = [t for t in doc[span.end:min(span.end + 4, word.sent.end)] if t.text != ","]
        for n in range(3, 0, -1):  # "in the capital Warsaw", "the Togolese capital, Lome": named there
            place = gazetteer.lookup(doc[after[0].i:after[n - 1].i + 1].text) if len(after) >= n else None
            if place is not None and place.name == loc["name"]:
                span = doc[after[0].i:after[n - 1].i + 1]
                own = own or place.country
                break
        return {**loc, "start": span.start_char, "end": span.end_char, "source": "clause" if own else "article"}

    def _resolved(self, found: Found, source: str, trigger: Token, actors: list[Actor | None]) -> dict | None:
        """The place phrase ``found`` for the event on ``trigger`` as a location dict, resolved by the
        phrase's own context, the sentence's places, the actors' countries and the article's
        country; None when the name is an actor the tables know as no place."""
        if found.sides:
            return self._border(found, source)
        named = [m for i in range(found.span.start, found.span.end) if (m := self.actors.mentions.get(i)) is not None]
        kinds = {e.kind for m in named for e in m.entries}
        if "person" in kinds and not towns.exact(found.span.text) and gazetteer.lookup(found.span.text) is None \
                or kinds and not kinds & set(PLACE_KINDS) and not known(found.span.text):
            return None  # an actor the tables know as no place ("to overthrow Assad", "an offensive on Isis")
        countries = [country_of_name(c) for c in found.context]
        for i in range(trigger.sent.start, trigger.sent.end):  # "..., the Pakistani authorities said"
            m = self.actors.mentions.get(i)
            if m is None or found.span.start <= i < found.span.end:
                continue  # not the place's own name ("Hyderabad" -> the most populous one)
            e = next((e for e in m.entries if e.kind in PLACE_KINDS), None)
            if e is not None and e.country:
                countries.append(e.country)
        # the actors' countries, unless the tables placed them by this very name ("located in ...")
        countries += [a.country for a in actors if a is not None and a.country
                      and found.span.text not in (a.resolved_by or "")]
        salient = self.actors.salient_country(trigger.i)
        if salient:
            countries.append(salient[0])
        loc = resolve_place(found.span.text, tuple(c for c in countries if c), found.context, found.admin)
        if loc["country"] is None and not wide_region(found.span.text):  # a place the actor tables know
            for i in range(found.span.start, found.span.end):  # ("Sweida"): its country, no point (not the capital's)
                m = self.actors.mentions.get(i)
                e = next((e for e in m.entries if e.kind in PLACE_KINDS), None) if m is not None else None
                if e is not None and e.country and country_point(e.country) is not None:  # not a region code
                    loc.update(country=e.country, precision="country")
                    break
        loc.update(start=found.span.start_char, end=found.span.end_char, source=source)
        if loc["precision"] in ("town", "admin1"):
            self._last_place = loc
        return loc

    def _border(self, found: Found, source: str) -> dict | None:
        """A border phrase (``Found.sides``: "the Iraqi-Syrian border") as a location on the line
        between its two sides (:func:`placing.border_location`): a side the actor tables call a
        country or its people ("Iraqi") is that country; another ("Texas"), or a name the tables
        give a country that a town of it bears ("Gaza" for Palestine), the place the gazetteers give. None unless two countries that
        touch."""
        doc = found.span.doc
        sides = []
        for side in found.sides:
            loc = resolve_place(side)
            if loc["precision"] is None:
                for i in range(found.span.start, found.span.end):
                    m = self.actors.mentions.get(i)
                    e = next((e for e in m.entries if e.kind in PLACE_KINDS and e.country), None) \
                        if m is not None and doc[m.start:m.end].text in side else None
                    if e is not None:  # "Iraqi": the country
                        loc.update(country=e.country, precision="country")
                        break
            country = gazetteer.lookup(side)
            town = next((t for t in towns.exact(side) if t.kind == "town" and t.country == loc["country"]), None) \
                if country is not None and gazetteer.normalize(country.name) != gazetteer.normalize(side) else None
            if loc["precision"] == "country" and town is not None:  # "Gaza", another name of Palestine: the
                loc.update(lat=town.lat, lon=town.lon, precision="town")  # town (not "Colombia", Huila)
            sides.append(loc)
        loc = border_location(found.span.text, sides)
        if loc is not None:
            loc.update(start=found.span.start_char, end=found.span.end_char, source=source)
        return loc

    def _sentence_place(self, events: list[Event], sent: Span) -> None:
        """A physical act with no place of its own (``sentence_place_roots``) takes the one place
        phrase of its clauses, else the one under it that no other clause's event holds
        (``location.source: sentence``):
        "Saddam was captured on December 13, hiding in a hole on a farm in Al-Dawr"; not "Sassi
        was captured in Afghanistan, while Benchellali was caught ..." (Afghanistan is the capture's).
        """
        roots = self.placer.words.sentence_place_roots
        bare = [e for e in events if e.location is None and e.cameo_root in roots]
        if not bare:
            return
        doc = sent.doc
        heads = {id(e): self.placer.event_head(doc[int(e.trigger.split(":", 1)[0])]) for e in events}
        held = {h.i for h in heads.values()}  # an event's clauses hold their places, placed or not
        places = self.placer.sentence_places(sent)
        for e in bare:
            head = heads[id(e)]
            own = [found for verb, found in places if verb.i == head.i]  # its own clauses' first
            # else one under it ("killed people who tried to flee the town of X"), in a clause of no
            # event's, nor under a clause of another act ("stripped of her citizenship after
            # surrendering in Syria" is not in Syria: ``Placer.apart``),
            # never the speaker's ("officials in Baghdad said rebels attacked a convoy")
            free = own or [found for verb, found in places if verb.i not in held
                           and any(a.i == head.i for a in found.span.root.ancestors)
                           and not self.placer.apart(found.span.root, head)]
            if len({(found.span.start, found.span.end) for found in free}) != 1:
                continue  # none, or several places and nothing says which
            if not known(free[0].span.text) and not free[0].sides:
                continue  # a name no gazetteer knows, away from the event's clause: not a place to guess
            e.location = self._resolved(free[0], "sentence", head, [e.source, e.target])
            if e.location is not None and e.location["precision"] is None:
                e.location = None

    def _location(self, trigger: Token) -> dict | None:
        for prep in trigger.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at", "near", "inside", "outside"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and self.lex.rows.get((pobj.lemma_.lower(), "NOUN")):
                        continue  # "fought in the Spanish civil war": an event, not a place
                    if pobj.dep_ == "pobj" and (pobj.ent_type_ in ("GPE", "LOC", "FAC")
                                                or pobj.i in self.actors.mentions):
                        country = place = None
                        for t in pobj.subtree:
                            m = self.actors.mentions.get(t.i)
                            if m:
                                e = next((e for e in m.entries if e.kind in PLACE_KINDS), None)
                                if e is not None:
                                    country = e.country
                                    name = self.actors.doc[m.start:m.end].text
                                    place = locate(name, country) if e.kind != "adjective" else None
                                    break
                        if place is None and country:
                            place = country_point(country)
                        span = self.actors.phrase(pobj)
                        town = place is not None and place.kind in ("city", "capital")
                        return {"name": span.text, "country": country,
                                "lat": place.lat if place else None, "lon": place.lon if place else None,
                                "start": span.start_char, "end": span.end_char, "source": "clause",
                                "precision": ("town" if town else "country") if place else None,
                                **(town_fields(place, name) if town else {})}  # its divisions, GeoNames id, codes
        return None


def _background(tok: Token, root: str) -> bool:
    """Whether the clause of ``tok`` tells background rather than news (panel 1.2): a long-held
    or habitual stance ("has previously refused", "has long argued", "has repeatedly told"), or a
    present participle describing a noun by what it does ("rebels fighting to overthrow Assad";
    not a document's words: "issued a declaration demanding ..."), or a past perfect relative
    clause telling the noun's history ("militants who had fought with US forces")."""
    if any(c.dep_ == "advmod" and c.lower_ in background_adverbs() for c in tok.children):
        return True
    if tok.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "had" for c in tok.children):
        return True  # "Kurdish militants who had fought with US forces ...": the noun's history
    return tok.dep_ == "acl" and tok.tag_ == "VBG" and root not in SPEECH_ROOTS


def _generic(tok: Token) -> bool:
    """Whether ``tok`` is an infinitive that speaks of an act in general, not of one done: the
    subject of a sentence ("to kill civilians is wrong") or the description of what something is
    ("it's one thing to kill a soldier")."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return False
    return tok.dep_ in ("csubj", "csubjpass") or tok.dep_ in ("relcl", "acl") and tok.head.dep_ == "attr"


STATE_SECTORS = {None, "GOV", "MIL", "COP", "SPY", "JUD", "LEG"}


def _same_side(reporter: Actor, source: Actor) -> bool:
    """Whether a reporter tells of its own side's act (a self-report): a state's organ about its
    state; not a government about its rebels or a minister about protesters."""
    return bool(reporter.country) and reporter.country == source.country \
        and reporter.sector in STATE_SECTORS and source.sector in STATE_SECTORS


def _has_condition(tok: Token) -> bool:
    """Whether the clause of ``tok`` carries an "if" or "unless" clause ("will withdraw unless ...")."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") or conditional_phrase(m)
                                         for m in c.children) for c in tok.children)


def _in_condition(tok: Token) -> bool:
    """Whether ``tok`` is inside an "if", "unless" or "in case" clause."""
    return any(a.dep_ == "advcl" and any((m.dep_ == "mark" and m.lower_ in ("if", "unless")) or conditional_phrase(m)
                                         for m in a.children)
               for a in [tok, *tok.ancestors])


def _one_per_pair(events: list[Event]) -> list[Event]:
    """One event per proposition and actor pair in a sentence (panel 1.5): "met in Moscow to
    discuss Syria" is one meeting, not a meeting and a discussion of the same two parties."""
    def side(a: Actor | None) -> tuple:
        return (a.country or a.code, None) if a is not None and (a.country or a.code) else \
            (None, a.text if a is not None else None)

    def detail(e: Event) -> int:  # "Turkey -> the Russian ministers" says more than "Turkey -> Russia"
        return sum(len(a.code or "") + bool(a.name) for a in (e.source, e.target) if a is not None)
    kept: dict[tuple, Event] = {}
    numbers: dict[tuple, list] = {}
    for e in events:
        key = (side(e.source), side(e.target), e.cameo, e.modality)
        numbers.setdefault(key, []).extend(n for n in e.numbers if n not in numbers.get(key, []))
        if key not in kept or (e.trigger == kept[key].trigger and detail(e) > detail(kept[key])):
            kept[key] = e  # the first told wins ("shelled the city, killing three"), of one trigger the finer
    for key, e in kept.items():  # what the others counted ("killing three civilians") stays with it
        e.numbers = numbers[key]
    chosen = {id(e) for e in kept.values()}
    # "met Assad Tuesday to discuss efforts": the discussion aimed at no one is the meeting again
    aimed = {(side(e.source), e.cameo, e.modality) for e in kept.values() if e.target is not None}
    return [e for e in events if id(e) in chosen
            and not (e.target is None and (side(e.source), e.cameo, e.modality) in aimed)]


def _must(clause: Token) -> str | None:
    """The word of obligation on a clause's verb ("must", "should", "has to"), if any."""
    for c in clause.children:
        if c.dep_ == "aux" and c.lower_ in obligation_words("auxiliaries"):
            return c.lower_
    if clause.pos_ == "VERB" and clause.lemma_.lower() in obligation_words("verbs") and any(
            c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in clause.children):
        return f"{clause.text} to"  # "Libya has to hand over"
    return None


def _obliged(clause: Token) -> Token | None:
    """The verb of a clause that says what someone must or should do, or None."""
    if _must(clause) is None:
        return None
    inner = next((c for c in clause.children if c.dep_ == "xcomp"), None) \
        if clause.lemma_.lower() in obligation_words("verbs") else None
    return inner or clause


def _obliged_verbs(verb: Token) -> set[int]:
    """The verb demanded, its coordinated verbs and what it governs directly ("must be ready to
    mediate", "must drop barriers or face penalties")."""
    out = {verb.i}
    for c in verb.children:
        if c.dep_ in ("conj", "xcomp", "acomp"):
            out |= _obliged_verbs(c)
    return out


def _placed(actor: Actor | None, country: str, how: str) -> Actor | None:
    """A role the tables know no country for ("protesters", "opposition leaders"), given the
    country the clause or the article places it in (``how`` says which)."""
    if actor is None or actor.country or actor.code or not actor.sector or actor.name:
        return actor
    return replace(actor, country=country, code=country + actor.sector,
                   resolved_by=f"{actor.resolved_by}; {how} -> {country}")


def _countries(actors: list[Actor | None]) -> set[str]:
    """The countries of the states' actors among ``actors`` (not international bodies')."""
    return {a.country for a in actors if a is not None and a.country and (a.code or "")[:3] not in ("IGO", "NGO")}


def _distinct(actors: list[Actor]) -> list[Actor]:
    """Conjoined actors without repeats: "Russian missiles and drones" is one Russian source."""
    out: list[Actor] = []
    for a in actors:
        if a.country and any(b.country == a.country and (b.sector or not a.sector) and b.name == a.name
                             for b in out):
            continue
        out = [b for b in out if not (a.country and b.country == a.country and not b.sector and a.sector
                                      and b.name == a.name)]
        out.append(a)
    return out
