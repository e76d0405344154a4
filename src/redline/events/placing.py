"""Event-location linking: the place where an event happened, read from the parse, and resolved.

An event's place comes, in this order, from

* its clause (``source: clause``): a location preposition on the trigger ("killed in Homs",
  "clashed near the border", "ambushed north of Karbala"), looking through event nouns
  ("wounded in the bombardment of the Aziziyah district"); the direct object of a force verb
  ("captured Jaffna", "seized half of Mali"; before the verb's location phrase, which then says
  where it lies: "shelled Kafr Nabl, in Idlib province"); a location phrase on its subject or
  object ("a policeman in Amara was killed"); of "X, in Y", "X, 50 km north of Y" and "a bomb
  near the X hospital in Y" the most specific, X; a frame opening the sentence ("In Dagestan
  Sunday, police shot two men in the town of X") only when no clause narrows it; or the clause
  of a verb it shares an event with ("opened fire in Homs, killing three": conj, xcomp,
  participial advcl) -- never from a reported or a relative clause;
* a leading frame of its sentence (``source: sentence``): "In the West Bank city of Nablus
  Saturday, a man was shot";
* the one place phrase of its sentence that no other clause's event holds, for a physical act
  (``source: sentence``, :meth:`Placer.sentence_places`, applied by the coder once the sentence's
  events are placed): "Saddam was captured on December 13, hiding in a hole on a farm in Al-Dawr";
* a word pointing back to a place named before ("attacked positions there", "in a raid west of
  the city"): the place named earlier in the sentence (``source: sentence``), in the sentence
  before, or the last town or division an event of the article was given (``source: article``);
* a word that implies the place the article is about without naming it ("fighting in the
  capital", "protests across the country", "in the north of the country", "here"): the article's
  focus (``source: article``, :func:`article_focus`): its dateline town, else the one country (and
  town) its lead names -- the focus country's capital for "the capital", the country itself
  (precision ``country``) for "the country", the focus town for "the city" / "here" when no place
  was named before; a country the clause names wins ("the Syrian capital": ``source: clause``).
  An event whose clause implies no place (a statement, a call) is never given the focus;
* the wire dateline (``source: dateline``, :func:`dateline_place`, applied by the pipeline).

A name that is an actor ("Moscow said") is never taken: only prepositional objects, the
objects of force verbs and the names in place phrases are. Inside a place phrase the most
specific name is the place ("the Turkish city of Gaziantep" -> Gaziantep, "Syria's Aleppo
province" -> Aleppo, with Syria as context).

Resolution (:func:`resolve_place`): a country name is a country; otherwise the town gazetteer's
candidate inside an admin division the clause names ("Palmyra ... in Homs province"), then in
the countries of the phrase, the event's actors and the article, then the most populous; the
project's place table (capitals and big cities) when the towns table has nothing in context.
A border between two places ("the Iraqi-Syrian border", "Turkey's border with Syria") is a place
on the line where they meet (:func:`border_location`, ``Found.sides``), in neither country.
A name no gazetteer has, inside a place the phrase names ("the Zamalek stadium in western Cairo"),
keeps its name and span and takes the point, country and precision of that place, named in
``within``. ``precision`` says the level reached: ``town``, ``admin1``, ``country``, or ``area`` (a sea,
strait, region or crossing of ``where/data/areas.tsv``, its country empty in international
waters); None when the name is not in the gazetteers: the span is kept, unresolved.

The word lists are ``where/data/place_words.yaml``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml
from spacy.tokens import Span, Token

from ..ingest.normalise import DATELINE
from ..where import borders, gazetteer, towns

DATA_FILE = "place_words.yaml"
MAX_DEPTH = 3  # how many event nouns / "of" phrases the linker looks through
PRECISION = {"town": "town", "admin1": "admin1", "area": "area"}  # the towns table's kind -> precision
BUILDING_TOWN_POPULATION = 100_000  # the least population of a town a compound names a building by ("a Lima cafe")
BORDER_REACH = 3.0  # degrees: a place naming a border ("Gaza") lies at most this far from the other country
NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LANGUAGE"})


@dataclass(frozen=True)
class PlaceWords:
    """The linker's word lists (see ``where/data/place_words.yaml``)."""

    location_preps: frozenset[str]
    through_preps: frozenset[str]
    weak_preps: frozenset[str]
    place_nouns: frozenset[str]
    admin_nouns: frozenset[str]
    through_nouns: frozenset[str]
    place_labels: frozenset[str]
    object_place_roots: frozenset[str]
    same_event_deps: frozenset[str]
    same_event_marks: frozenset[str]
    sentence_place_roots: frozenset[str]
    topic_preps: frozenset[str]
    sequence_words: frozenset[str]
    anaphors: frozenset[str]
    anaphoric_nouns: frozenset[str]
    anaphoric_determiners: frozenset[str]
    focus_capital_nouns: frozenset[str]
    focus_country_nouns: frozenset[str]
    focus_country_adverbs: frozenset[str]
    focus_town_words: frozenset[str]
    focus_directions: frozenset[str]
    wide_regions: frozenset[str]
    object_first_roots: frozenset[str]
    owned_nouns: frozenset[str]
    building_nouns: frozenset[str]
    border_nouns: frozenset[str]
    destination_verbs: frozenset[str]
    wide_nouns: frozenset[str]
    territory_verbs: frozenset[str]
    part_nouns: frozenset[str]
    event_nouns: frozenset[str]


def parse_words(text: str, source: str = DATA_FILE) -> PlaceWords:
    """The word lists of a YAML ``text``; a ValueError names the source and the bad field."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a mapping of list names to lists")
    lists = {}
    for name in PlaceWords.__dataclass_fields__:
        value = data.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{source}: field {name!r}: expected a list of strings (quote yes/no/on/off)")
        lists[name] = frozenset(value)
    return PlaceWords(**lists)


@functools.cache
def place_words() -> PlaceWords:
    """The built-in word lists (``where/data/place_words.yaml``)."""
    res = resources.files("redline.where").joinpath("data").joinpath(DATA_FILE)
    return parse_words(res.read_text(encoding="utf-8"), str(res))


@dataclass(frozen=True)
class Found:
    """A place phrase found for an event: the name's tokens, its kind hint and its context."""

    span: Span
    admin: bool            # named as a division ("Homs province")
    context: tuple[str, ...]  # other names in the phrase ("Syria" in "Syria's Aleppo province")
    frame: bool = False    # from a frame opening the sentence ("In Dagestan Sunday, ..."): a wider place
    sides: tuple[str, ...] = ()  # a border: the names of the two places it lies between ("Syria", "Iraq")


def _clean_span(span: Span) -> Span:
    """The span without a leading determiner and a trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].dep_ == "det" or doc[start].is_punct or doc[start].lower_ == "the"):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end]


def known(name: str) -> bool:
    """Whether either gazetteer has a place called ``name``."""
    return gazetteer.lookup(name) is not None or bool(towns.candidates(name))


class Placer:
    """Finds the place phrase of each event trigger in one parsed document."""

    def __init__(self, words: PlaceWords | None = None) -> None:
        self.words = words or place_words()

    # -- what counts as a name --------------------------------------------------------------
    def _name(self, tok: Token, strong: bool = False, named: bool = False) -> Span | None:
        """The name ``tok`` is part of, if it can be a place: a place entity, a capitalised name
        the gazetteers know (the small model calls Grozny a person and Manbij a product), or --
        in a ``strong`` slot, the object of a location preposition -- any capitalised proper name
        that is not a date or number; in a ``named`` slot (the name of a place noun: "the village
        of Tamthil", "the towns of Tel Hamis") a person's name too."""
        if not (tok.text[:1].isupper() or tok.pos_ == "PROPN" and any(ch.isupper() for ch in tok.text)) \
                or tok.ent_type_ in NOT_PLACE_LABELS:
            return None
        if tok.pos_ not in ("PROPN", "NOUN") and tok.ent_type_ not in self.words.place_labels \
                or tok.ent_type_ == "NORP" and not (strong and tok.pos_ == "PROPN"):
            return None
        span = None
        if tok.ent_type_:
            span = next((_clean_span(e) for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if span is not None and span.end > tok.i + 1 and all(
                self._is_place_noun(t) and not t.text[:1].isupper() for t in span[tok.i + 1 - span.start:]):
            span = span.doc[span.start:tok.i + 1]  # "Narathiwat" of the entity "Narathiwat province"
        if span is None or not len(span):
            start = tok.i
            doc = tok.doc
            while start > 0 and (doc[start - 1].dep_ == "compound" and doc[start - 1].text[:1].isupper()
                                 and doc[start - 1].head.i in range(start, tok.i + 1)
                                 or not doc[start - 1].whitespace_ and (doc[start - 1].text == "-"
                                                                        or doc[start - 2].text == "-" if start > 1 else False)):
                start -= 1  # "Sere Kaniye", "Mazar-e-Sharif"
            span = doc[start:tok.i + 1]
        if span.text.isupper() and len(span.text) <= 3:
            return None  # "US", "UN": an actor's acronym, or a town's name in capitals by chance
        last = span[-1]
        if len(span) > 1 and (last.lower_ in self.words.event_nouns or last.lemma_.lower() in self.words.event_nouns):
            return None  # "the 1967 Mideast war", "the Group of Eight summit": an event's name
        if tok.ent_type_ in self.words.place_labels:
            return span
        is_known = known(span.text)
        if is_known and (tok.ent_type_ != "PERSON" or strong or len(span) == 1):  # "captured Jaffna" (PERSON)
            return span
        if strong and tok.pos_ == "PROPN" and not span.text.isupper() \
                and (tok.ent_type_ in ("", "PRODUCT", "ORG", "WORK_OF_ART", "EVENT", "NORP")
                     or tok.ent_type_ == "PERSON" and (named or len(span) > 1 and self._is_place_noun(span[-1]))):
            return span  # (a building named after a man: "at the Bardo Museum", a PERSON to the model)
        return None

    @staticmethod
    def _town(name: str) -> bool:
        """Whether ``name`` is first a town or city of the gazetteers (not a country, a division
        or an area)."""
        big = gazetteer.lookup(name)
        if big is not None:
            return big.kind in ("city", "capital")
        top = towns.exact(name)[:1]
        return bool(top) and top[0].kind == "town" and top[0].population >= BUILDING_TOWN_POPULATION

    def _is_place_noun(self, tok: Token) -> bool:
        """A noun that names a kind of place ("village", "strip"); never a verb ("stripped")."""
        return tok.pos_ in ("NOUN", "PROPN") and (
            tok.lemma_.lower() in self.words.place_nouns or tok.lower_ in self.words.place_nouns)

    # -- phrases ----------------------------------------------------------------------------
    def noun_place(self, n: Token, depth: int = 0, slot: bool = True, named: bool = False) -> Found | None:
        """The place a noun phrase headed by ``n`` names, if any (``slot``: ``n`` is the object
        of a location preposition; ``named``: the name of a place noun, "the village of X")."""
        w = self.words
        if (n.lower_ in w.part_nouns or n.lemma_.lower() in w.part_nouns) and not self._is_place_noun(n) \
                and depth < MAX_DEPTH:
            for c in n.children:  # "half of Mali", "much of Liberia", "large parts of the Donbas"
                if c.dep_ == "prep" and c.lower_ == "of":
                    found = self.prep_place(c, depth + 1, slot=False)
                    if found is not None:
                        return found
        if n.lemma_.lower() in w.border_nouns and n.pos_ == "NOUN" and not n.text[:1].isupper():
            border = self._border(n)  # "the Iraqi-Syrian border", "the border between Brazil and Paraguay"
            for c in n.children if border is not None and depth < MAX_DEPTH else ():
                if c.dep_ == "prep" and c.lower_ in ("near", "at", "in"):  # "the border near Kobane": Kobane
                    found = self.prep_place(c, depth + 1)
                    if found is not None:
                        return Found(found.span, found.admin, found.context + (border.span.text,))
            if border is not None:
                return border
        if (n.lemma_.lower() in w.building_nouns or n.lower_ in w.building_nouns) and n.pos_ == "NOUN":
            for c in n.children:  # "a posh Sofia restaurant": a town, not an owner ("Uber offices")
                span = self._name(c) if c.dep_ in ("compound", "nmod") and c.i < n.i else None
                if span is not None and self._town(span.text):
                    return Found(span, False, self._container(n, depth))
        if self._is_place_noun(n) and not n.text[:1].isupper():
            admin = n.lemma_.lower() in w.admin_nouns
            context = tuple(c.text for c in n.children if c.dep_ == "poss" and self._name(c) is not None)
            named_here = next((span for c in n.children if c.dep_ in ("compound", "nmod") and c.i < n.i
                               and c.ent_type_ not in ("LOC",) and (span := self._name(c, strong=True)) is not None
                               and country_of_name(span.text) is None), None)
            for c in n.children:  # "the city of Nablus", "the regional capital, Grozny"
                if c.dep_ == "prep" and c.lower_ == "of":
                    for o in c.children:
                        if o.dep_ == "pobj":
                            inner = self.noun_place(o, depth + 1, named=True) if depth < MAX_DEPTH else None
                            if inner is not None and named_here is not None and self._wider(inner, o):
                                # "the Vedeno region of southern Chechnya", "Silopi town of ... Sirnak"
                                return Found(named_here, admin, (inner.span.text,) + inner.context + context)
                            if inner is not None:  # "the province of Idlib": a division
                                return Found(inner.span, inner.admin or admin, inner.context + context)
                if c.dep_ == "appos" and (c.pos_ == "PROPN" or c.ent_type_ in w.place_labels):
                    inner = self.noun_place(c, depth + 1) if depth < MAX_DEPTH else None
                    own = next((span for m in n.children if m.dep_ in ("compound", "nmod") and m.i < n.i
                                and (span := self._name(m, strong=True, named=True)) is not None
                                and country_of_name(span.text) is None), None)
                    if inner is not None and own is not None and self._wider(inner, c):
                        # "in Makhmur district, northern Iraq": the district, in Iraq
                        return Found(own, admin, (inner.span.text,) + inner.context + context)
                    if inner is not None:
                        return Found(inner.span, inner.admin, inner.context + context)
            modifiers = [c for c in n.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i < n.i]
            for c in modifiers:  # "the Aziziyah district", "Homs province" (a name the gazetteers know)
                span = self._name(c)
                if span is not None and known(span.text) and country_of_name(span.text) is None:
                    return Found(span, admin, context + self._container(n, depth))
            for c in modifiers:  # "Khanasir town", "the Radhwaniyah area", "the Zamalek stadium"
                next_to = all(t.text[:1].isupper() or t.dep_ in ("cc", "conj", "punct")  # "Sibaya and Chiri
                              for t in n.doc[c.i + 1:n.i])  # villages", not "a Soviet Scud missile base"
                span = self._name(c, strong=True, named=next_to) \
                    if c.ent_type_ != "PRODUCT" and (c.ent_type_ != "NORP" or next_to or known(c.text)) else None
                if span is not None and not (span.text.replace(".", "").isupper() and len(span.text) <= 5) \
                        and not (n.lemma_.lower() in w.owned_nouns and country_of_name(span.text)):  # "a U.S. base"
                    # ("the Yarmouk hospital in western Baghdad": in Baghdad)
                    return Found(span, admin, context + self._container(n, depth))
            for c in n.children:  # "the military base in Habbaniya"
                if c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "outside", "across", "throughout", "on") \
                        and depth < MAX_DEPTH:
                    found = self.prep_place(c, depth + 1)
                    if found is not None:
                        return found
            if len(context) and depth == 0:  # "Lebanon's southern border" (not "Patten's hotel")
                poss = next(c for c in n.children if c.dep_ == "poss" and self._name(c) is not None)
                if poss.ent_type_ != "PERSON" or gazetteer.lookup(poss.text) is not None:
                    return Found(self._name(poss), False, ())
            return None
        if n.ent_type_ in NOT_PLACE_LABELS:  # "captured Kabul September 27"
            for c in n.children:
                if c.dep_ == "compound" and c.ent_type_ in w.place_labels:
                    span = self._name(c)
                    if span is not None:
                        return Found(span, False, ())
            return None
        span = self._name(n, strong=slot, named=named)
        if span is not None and len(span) > 1 and self._is_place_noun(span[-1]) and not span[-1].text[:1].isupper():
            # "Narathiwat province" as one entity: the name, a division
            return Found(span[:-1], span[-1].lemma_.lower() in w.admin_nouns, ())
        if span is not None:
            context = tuple(c.text for c in n.children if c.dep_ == "poss" and self._name(c) is not None)
            context += self._container(n, depth, ("in", "of"), appos=True)
            admin = n.head.lemma_.lower() in w.admin_nouns and n.dep_ == "compound"
            return Found(span, admin, context)
        if depth < MAX_DEPTH and n.pos_ == "NOUN":
            through = n.lower_ in w.through_nouns or n.lemma_.lower() in w.through_nouns
            if through:
                for c in n.children:  # "the Manbij campaign", "Syria's conflict" (not "a US air strike")
                    if c.dep_ in ("compound", "nmod", "poss") and c.i < n.i:
                        span = self._name(c, strong=c.dep_ != "poss")
                        if span is not None and not span.text.isupper() \
                                and (c.dep_ == "poss" or country_of_name(span.text) is None):
                            return Found(span, False, ())
            for c in n.children:  # "the rocket shelling on Khanasir town", "laborers working in a factory in X"
                if c.dep_ == "acl" and c.tag_ in ("VBG", "VBN"):
                    event = c.lower_ in w.through_nouns or c.lemma_.lower() in w.through_nouns
                    for p in c.children:
                        if p.dep_ == "prep" and (p.lower_ in w.location_preps and (event or p.lower_ not in w.weak_preps)):
                            found = self.prep_place(p, depth + 1)
                            if found is not None:
                                return found
            for c in n.children:  # "an ambush north of Karbala", "the outskirts of Karachi", "rallies in Corsica"
                if c.dep_ == "prep" and (c.lower_ in w.location_preps and c.lower_ not in w.weak_preps
                                         or c.lower_ == "of" or through and c.lower_ in ("on", "to", "with")):
                    found = self.prep_place(c, depth + 1, slot=c.lower_ in w.location_preps)
                    if found is not None:
                        return found
        return None

    @staticmethod
    def _border(n: Token) -> Found | None:
        """The border ``n`` names between two places: names before it split by a hyphen or slash
        ("the Iraqi-Syrian border", "the Colombia-Venezuela border"), a possessor and "with"
        ("Turkey's border with Syria"), or "between A and B"; the span runs over the names and the
        noun, ``sides`` are the two names."""
        doc = n.doc
        sides: list[list[Token]] = [[]]
        for t in doc[n.left_edge.i:n.i]:
            if t.text in ("-", "–", "/"):
                sides.append([])
            elif t.text[:1].isupper() and t.pos_ in ("PROPN", "ADJ", "NOUN"):
                sides[-1].append(t)
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "between"):
                for o in c.children:
                    if o.dep_ == "pobj":  # ("its borders with Jordan and the Golan": two borders, not one)
                        conj = [g for g in o.children if g.dep_ == "conj"]
                        if c.lower_ == "with" and conj:
                            return None
                        for name in [o] + conj:
                            sides.append([t for t in name.subtree if t.text[:1].isupper() and t.i <= name.i
                                          and (t.i == name.i or t.dep_ == "compound")])
        sides = [side for side in sides if side]
        if len(sides) != 2:
            return None
        first = min(n.i, sides[0][0].i)
        last = max(n.i, sides[1][-1].i)
        return Found(doc[first:last + 1], False, (), sides=tuple(" ".join(t.text for t in side) for side in sides))

    def _container(self, n: Token, depth: int, preps: tuple[str, ...] = ("in",),
                   appos: bool = False) -> tuple[str, ...]:
        """The names of the places the phrase headed by ``n`` says it lies in: "Tamthil in Syria's
        Homs province", "the Yarmouk hospital in western Baghdad", "Baghuz, eastern Syria"."""
        context: tuple[str, ...] = ()
        if depth >= MAX_DEPTH:
            return context
        for c in n.children:
            wider = None
            if c.dep_ == "prep" and c.lower_ in preps and c.i > n.i:
                wider = self.prep_place(c, depth + 1)
            elif appos and c.dep_ == "appos" and c.i > n.i:
                wider = self.noun_place(c, depth + 1)
            if wider is not None:
                context += (wider.span.text, *wider.context)
        return context

    def prep_place(self, prep: Token, depth: int = 0, slot: bool = True) -> Found | None:
        """The place a prepositional phrase names ("in Homs", "north of Karbala"); ``slot``: the
        preposition is a location one, so an unknown proper name after it is a place."""
        for c in prep.children:
            if c.dep_ == "pobj":
                found = self.noun_place(c, depth, slot=slot)
                if found is not None:
                    return found
            if c.dep_ == "prep" and c.lower_ == "of" and depth <= MAX_DEPTH:  # "north of Baghdad"
                found = self.prep_place(c, depth + 1)
                if found is not None:
                    return found
        if not any(c.dep_ == "pobj" for c in prep.children) and depth <= MAX_DEPTH:
            for c in prep.children:  # "in and near Paris": the object is the second preposition's
                if c.dep_ == "conj" and c.pos_ == "ADP" and c.lower_ in self.words.location_preps:
                    return self.prep_place(c, depth + 1, slot)
        return None

    def _wider(self, found: Found, head: Token) -> bool:
        """Whether a place found in an "of" phrase is a wider one (a country, a division, or a
        phrase headed by a place noun: "province of Sirnak") that a named place lies in."""
        return found.admin or self._is_place_noun(head) and (not head.text[:1].isupper()
                                                             or head.lower_ in self.words.admin_nouns) \
            or country_of_name(found.span.text) is not None \
            or any(t.kind == "admin1" for t in towns.candidates(found.span.text)[:1])

    @staticmethod
    def _relative(direction: Token) -> bool:
        """Whether a direction word is measured from its place ("80 km south of Baghdad"): the
        event is not at that place, and another place of the clause is the better one."""
        return any(c.dep_ in ("npadvmod", "nmod") and (c.ent_type_ == "QUANTITY" or any(
            g.dep_ == "nummod" for g in c.children)) for c in direction.children)

    def clause_place(self, verb: Token, root: str, depth: int = 0, taken: Token | None = None) -> Found | None:
        """The place the clause of ``verb`` gives its event: the place a force verb acts on
        ("captured Jaffna", "patrolled Manger Square in nearby Bethlehem": the object, in the
        place the verb's location phrase names) or a location phrase on the verb (the most
        specific place of "killed people in Baqubah, in Diyala province"); on a verb it governs
        ("trying to defuse it on the road in X"); a location phrase on its arguments; a place
        measured from ("80 km south of Baghdad") only when nothing else is found, and a frame
        opening the sentence ("In Dagestan Sunday, police shot two gunmen in the town of X")
        last (``Found.frame``: a wider place a later clause may narrow). ``taken``: the object the
        coder found to be a place taken ("captured Brest-Litovsk in Russia"), which is the place."""
        w = self.words
        obj = self.taken_place(taken) if taken is not None else \
            self._object_place(verb, root in w.object_first_roots) if root in w.object_place_roots else None
        first = obj is not None and (taken is not None or root in w.object_first_roots and self._sure(obj))
        # (an arrest: "captured Abu Zubaydah ... in Pakistan", the model's GPE, is no place before the country)
        measured = frame = None
        for c in sorted(verb.children, key=lambda c: (c.i < verb.i, c.i)):  # after the verb first
            found = None
            if frame is not None and c.i < verb.i:
                continue  # "In Hilla, also just south of Baghdad, a civilian was killed": the frame's
            if c.dep_ == "prep" and c.lower_ in w.through_preps:  # "killed amid airstrikes in Syria"
                pobj = next((o for o in c.children if o.dep_ == "pobj" and o.pos_ == "NOUN"), None)
                found = self.noun_place(pobj, slot=False) if pobj is not None else None
            if found is None and c.dep_ == "prep" and c.lower_ in ("to", "towards", "toward", "on") \
                    and verb.lemma_.lower() in w.destination_verbs:  # "marched to the Sydney offices of the UN"
                found = self.prep_place(c)
            if found is None and c.dep_ == "prep" and c.lower_ in w.location_preps:
                found = self.prep_place(c)
                if found is not None and self._frame(c, verb):
                    frame = frame or found
                    continue
                if found is not None:
                    found = self._specific(c, found, verb)
            if found is None and c.dep_ in ("advmod", "npadvmod") and c.lower_ in w.location_preps \
                    and any(p.dep_ == "prep" and p.lower_ == "of" for p in c.children):  # "killed north of Baghdad"
                near = self.prep_place(c)
                if near is not None and not self._relative(c):
                    found = self._specific(c, near, verb)
                elif near is not None:  # "in Shopville, 70 miles south of Lexington": Shopville
                    measured = measured or self._specific(c, near, verb, measured=True)
            if found is None and c.dep_ == "prt" and c.lower_ in w.location_preps and c.i + 1 < len(c.doc):
                after = c.doc[c.i + 1]  # "captured off Mogadishu"
                if after.head.i == verb.i and after.dep_ in ("npadvmod", "dobj", "pobj") and after.pos_ == "PROPN":
                    span = self._name(after, strong=True)
                    if span is not None:
                        found = Found(span, False, ())
            if found is not None:
                return self._inside(found, obj) if first else found
        if depth < MAX_DEPTH:
            for c in verb.children:  # "were trying to defuse it on the main road in the town of X"
                if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
                    found = self.clause_place(c, root, depth + 1)
                    if found is not None and not found.frame:
                        return self._inside(found, obj) if first else found
        if obj is not None and (first or self._sure(obj) or self._taken_by_territory_verb(obj, verb)):
            # (a name the model is unsure of, acted on by a verb that takes no territory, is a man:
            # "Kotey and Elsheikh have been stripped of their citizenship")
            return obj if frame is None else self._inside(frame, obj) if self._sure(obj) else frame
        for c in verb.children:  # "a policeman in Amara was killed", "captured by soldiers in northern Iraq"
            heads = [c] if c.dep_ in ("nsubj", "nsubjpass", "dobj") else \
                [o for o in c.children if o.dep_ == "pobj"] if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "with" \
                else []
            for h in heads:
                found = self._attached_place(h)
                if found is not None:  # (an unsure name in a frame: "In Samarra, a merchant in the central Bazaar")
                    return found if frame is None else self._inside(frame, found) if self._sure(found) else frame
        if measured is not None:
            return measured
        if frame is not None:
            return Found(frame.span, frame.admin, frame.context, frame=True)
        return None

    def _taken_by_territory_verb(self, found: Found, verb: Token) -> bool:
        """Whether a verb from ``verb`` down to the place's name takes or strikes territory
        (``territory_verbs``: "captured Tessalit"), or a verb the parse hangs on the name ("had
        begun patrolling Douma", with "patrolling" a modifier of "Douma")."""
        tok = found.span.root
        if any(c.pos_ == "VERB" and c.lemma_.lower() in self.words.territory_verbs for c in tok.children):
            return True
        while tok.i != verb.i and tok.head.i != tok.i:
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in self.words.territory_verbs:
                return True
        return verb.lemma_.lower() in self.words.territory_verbs

    def taken_place(self, tok: Token) -> Found:
        """The place an object the coder found to be a place taken names, with the places it
        lies in ("Brest-Litovsk in Russia")."""
        names = [t for t in tok.subtree if t.i <= tok.i and (t.i == tok.i or t.dep_ == "compound")]
        return Found(tok.doc[names[0].i:tok.i + 1], False, self._container(tok, 0))

    def org_town(self, tok: Token, verb: Token) -> bool:
        """Whether ``tok`` is a town the model calls an organisation, acted on by a verb that
        takes or strikes territory (``territory_verbs``): one word, its entity alone, a name the
        towns table has, as its direct object ("captured Badme", "shelled Birao"; not "Molina was
        shot", nor "Santacruz was captured by police as he dined")."""
        alone = tok.ent_iob_ == "B" and (tok.i + 1 == len(tok.doc) or tok.doc[tok.i + 1].ent_iob_ != "I")
        return tok.ent_type_ == "ORG" and tok.pos_ == "PROPN" and tok.dep_ == "dobj" and alone \
            and verb.lemma_.lower() in self.words.territory_verbs and bool(towns.exact(tok.text))

    def _object_place(self, verb: Token, first: bool = False) -> Found | None:
        """The place a force verb acts on: its direct object or, passive, its subject ("captured
        Jaffna", "liberated the cities of Palmyra", "Gibraltar was captured", "seized half of Mali",
        "patrolled Venezuela's oil installations"); for a verb of ``object_first_roots`` (``first``)
        that takes or strikes territory (``territory_verbs``) also a town the model calls an
        organisation ("shelled Badme"; "Molina was shot" is a man)."""
        for c in verb.children:
            alone = c.ent_iob_ == "B" and (c.i + 1 == len(c.doc) or c.doc[c.i + 1].ent_iob_ != "I")
            big = gazetteer.lookup(c.text) is not None and alone  # "attacked Kharkiv" (ORG)
            town = first and self.org_town(c, verb)  # "captured Badme", not "Molina was shot"
            doc = c.doc
            lies = c.i + 2 < len(doc) and doc[c.i + 1].text == "," and doc[c.i + 2].lower_ == "in" \
                and doc[c.i + 2].head.i in (c.i, verb.i)  # "bombed Waku-Congo, in Cuanza-Sul"
            named = any(m.dep_ == "compound" and m.text[:1].isupper() and m.ent_type_ != "NORP"  # (not "an
                        for m in c.children)  # Iranian Bank")
            if c.pos_ == "PROPN" and c.dep_ in ("dobj", "nsubjpass") and named \
                    and (lies or self._is_place_noun(c)) \
                    and c.lemma_.lower() not in self.words.owned_nouns:  # (not "destroyed the U.S. Embassy in X")
                span = self._name(c, strong=True, named=True)  # "patrolled Manger Square" (a PERSON)
                if span is not None and (self._is_place_noun(c) or c.ent_type_ != "PERSON" or known(span.text)):
                    return Found(span, False, self._container(c, 0))
            if c.pos_ == "PROPN" and (c.dep_ == "dobj" and (c.ent_type_ in ("", "GPE", "LOC", "FAC") or big or town)
                                      or c.dep_ == "nsubjpass"
                                      and (c.ent_type_ in ("GPE", "LOC", "FAC") or big or town)):
                span = self._name(c, strong=True)
                if span is not None:
                    return Found(span, False, self._container(c, 0))
            if (c.dep_ == "dobj" or c.dep_ == "nsubjpass" and self._is_place_noun(c) and not c.text[:1].isupper()) \
                    and (c.ent_type_ not in ("PERSON", "ORG", "NORP")
                         or c.ent_type_ == "PERSON" and c.ent_iob_ == "B" and known(c.text)
                         and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].ent_iob_ == "I")):
                found = self.noun_place(c, slot=False)
                if found is not None:
                    return found
        return None

    def _inside(self, outer: Found | None, found: Found) -> Found:
        """``found`` inside ``outer`` (a wider place the clause names: the object of "captured
        Lubumbashi in Shaba province" in the place of its location phrase, a phrase in the frame
        "In Dagestan Sunday, ..."): the more specific of the two, the other its context; a
        country is never the more specific."""
        if outer is None or outer.span.start < found.span.end and found.span.start < outer.span.end:
            return found
        if gazetteer.normalize(outer.span.text) == gazetteer.normalize(found.span.text):
            return outer  # the same place named twice ("Afrin ...: killed in the city of Afrin")
        if self._rank(found) > self._rank(outer):  # "patrolled the Sulu Sea ... near the island of X"
            found, outer = outer, found
        return Found(found.span, found.admin, found.context + (outer.span.text, *outer.context))

    def _rank(self, found: Found) -> int:
        """How wide the place ``found`` names: 2 a country, 1 a division, sea or region, else 0."""
        if country_of_name(found.span.text) is not None:
            return 2
        top = towns.candidates(found.span.text)[:1]
        last = found.span[-1].lemma_.lower()  # "the Sulu Sea"
        wide = found.admin or last in self.words.wide_nouns or any(t.kind in ("admin1", "area") for t in top)
        return 1 if wide else 0

    def _frame(self, prep: Token, verb: Token) -> bool:
        """Whether the location phrase ``prep`` on ``verb`` opens its sentence ("In Gaza Sunday, ...")."""
        first = next((t for t in prep.sent if not (t.is_space or t.is_punct)), None)
        return first is not None and first.i == prep.i and prep.i < verb.i

    def _specific(self, prep: Token, found: Found, verb: Token, measured: bool = False) -> Found:
        """The most specific place of "X, in Y" / "X in Y" / "X, north of Y": when the phrase
        ``prep`` on ``verb`` (naming ``found``, Y) follows a place phrase of the same clause
        naming X ("killed four people in Baqubah, in Diyala province", "kidnapped by separatists
        in the Ramu Valley, in Madang province", "a bomb near the Yarmouk hospital in western
        Baghdad"), X is the place, Y where it lies; unless X is the wider of the two. A direction
        from Y ("in Taji, just north of Baghdad") says that X is a place, whatever the model calls
        it; one ``measured`` from Y ("in Shopville, 70 miles south of Lexington") says where X
        lies, whichever clause the parse hangs X on."""
        w = self.words
        doc = prep.doc
        i = prep.i - 1
        direction = prep.dep_ in ("advmod", "npadvmod")
        if measured:  # "Shopville, 70 miles (113 kilometers) south of": back over the distance
            distance = [c for c in prep.children if c.dep_ in ("npadvmod", "nmod")]
            i = min([t.i for c in distance for t in c.subtree] + [prep.i]) - 1
        while i >= prep.sent.start and (doc[i].text == "," or doc[i].is_space or direction and doc[i].dep_ == "advmod"
                                         and doc[i].head.i == prep.i):  # ("just north of")
            i -= 1
        if i < prep.sent.start or i == verb.i:
            return found
        left = doc[i]
        while left.dep_ == "pobj" and left.head.lower_ == "of" and left.head.head.i != left.head.i:
            left = left.head.head  # "in the town of Buinaksk, in Dagestan": the town's phrase
        inner_prep = left.head
        if left.dep_ != "pobj" or inner_prep.dep_ != "prep" or inner_prep.lower_ not in w.location_preps \
                or inner_prep.i == prep.i:
            return found
        if next((a.i for a in inner_prep.ancestors if a.pos_ in ("VERB", "AUX")), None) != verb.i \
                and not measured:
            return found  # a phrase of another clause ("the man who lived in X, in Y")
        inner = self.prep_place(inner_prep)
        if inner is None and direction and left.pos_ == "PROPN":  # ("Taji", a PERSON to the model)
            span = self._name(left, strong=True, named=True)
            inner = Found(span, False, ()) if span is not None else None
        if inner is None or inner.span.start < found.span.end and found.span.start < inner.span.end \
                or inner_prep.lower_ in w.weak_preps and not self._sure(inner):  # ("on Treskavica mountain")
            return found
        if wide_region(inner.span.text) or country_of_name(inner.span.text) \
                or self._division(inner) and not (self._division(found) or country_of_name(found.span.text)):
            return found  # "in Kashmir, in Srinagar": the town
        return Found(inner.span, inner.admin, inner.context + (found.span.text, *found.context))

    def _sure(self, found: Found) -> bool:
        """Whether ``found`` is surely a place, enough to be preferred to a wider one its clause
        names: the name of a place noun ("the villages of Kafr Zita", "Nativity Square", "the
        Zamalek stadium"); never another name the model calls a person ("encircled Arafat in
        Ramallah"); one it calls an organisation if it is one of the big places; else a LOC or
        FAC entity or a name the gazetteers know (not one word that is a place noun, "the town's
        central Market"); a GPE the gazetteers do not know is too often a man ("Kowalski, 44,
        was shot in an ambush north of Karbala")."""
        span = found.span
        head = span.root.head
        doc = span.doc
        if span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ == "in" \
                and span.root.ent_type_ != "PERSON":
            return True  # "bombed Waku-Congo, in Cuanza-Sul"
        if len(span) > 1 and self._is_place_noun(span[-1]) or self._is_place_noun(head) and head.i != span.root.i \
                or head.lower_ == "of" and self._is_place_noun(head.head):
            return True
        if span.root.ent_type_ == "PERSON":
            return False
        if span.root.ent_type_ in ("ORG", "NORP", "PRODUCT"):
            return gazetteer.lookup(span.text) is not None
        return any(t.ent_type_ in ("LOC", "FAC") for t in span) \
            or known(span.text) and not (len(span) == 1 and self._is_place_noun(span[0]))

    @staticmethod
    def _division(found: Found) -> bool:
        """Whether ``found`` names an admin division (as a division, or by a name that is first one)."""
        return found.admin or any(t.kind == "admin1" for t in towns.candidates(found.span.text)[:1])

    def _attached_place(self, noun: Token, depth: int = 0) -> Found | None:
        """A location phrase on an argument noun ("dozens of Islamists in Alexandria"), never the
        noun itself (a named subject is an actor: "Moscow said")."""
        for p in noun.children:
            if p.dep_ == "prep" and p.lower_ in ("in", "at", "near", "outside", "inside"):
                found = self.prep_place(p)
                if found is not None:
                    return found
            if p.dep_ == "acl" and p.tag_ in ("VBG", "VBN") and depth < MAX_DEPTH:  # "laborers working in X"
                found = self._attached_place(p, depth + 1)
                if found is not None:
                    return found
            if p.dep_ == "prep" and p.lower_ == "of" and depth < MAX_DEPTH:
                for o in p.children:
                    if o.dep_ == "pobj":
                        found = self._attached_place(o, depth + 1)
                        if found is not None:
                            return found
        return None

    def _circumstance_place(self, verb: Token, root: str, depth: int = 0) -> Found | None:
        """The place of a "when/as/while" clause on ``verb`` that tells the circumstances of the
        same event, or of such a clause on that one ("killed when their vehicle was hit by a bomb
        while conducting operations in Nineveh province")."""
        w = self.words
        for c in verb.children:
            if c.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in w.same_event_marks
                                         for m in c.children):
                found = self.clause_place(c, root)
                if found is None and depth < 1:
                    found = self._circumstance_place(c, root, depth + 1)
                if found is not None:
                    return found
        return None

    def leading_place(self, trigger: Token) -> Found | None:
        """A place frame opening the sentence ("In the city of Nablus Saturday, ...")."""
        sent = trigger.sent
        first = next((t for t in sent if not (t.is_space or t.is_punct)), None)
        if first is None or first.lower_ not in self.words.location_preps or first.dep_ != "prep" \
                or first.i >= trigger.i:
            return None
        head = first.head
        if head.i != sent.root.i and not any(a.i == sent.root.i for a in head.ancestors) or head.i == trigger.i:
            return None
        return self.prep_place(first)

    def anaphor(self, trigger: Token) -> Token | None:
        """A word of the event's clause pointing back to a place named before, or implying the
        article's focus (:meth:`implied`): "there", "here", "nationwide", "the city" / "this camp" /
        "the capital" / "the country" with no name of its own ("killed in a raid west of the city",
        "in the north of the country", "in the country's south", "stormed the capital")."""
        w = self.words
        verbs = [trigger] + [c for c in trigger.children if c.dep_ == "advcl" and any(  # "killed when ... hit"
            m.dep_ in ("mark", "advmod") and m.lower_ in w.same_event_marks for m in c.children)]
        heads = verbs + [c for v in verbs for c in v.children
                         if c.dep_ == "prep" and c.lower_ in w.through_preps or c.dep_ in ("dobj", "nsubjpass")]
        heads += [o for h in heads if h.dep_ == "prep" for o in h.children if o.dep_ == "pobj"]
        heads += [o for h in list(heads) if h.dep_ == "prep" or h in verbs  # "in a raid west of the city"
                  for p in h.children if p.dep_ == "prep" and p.lower_ in w.location_preps
                  for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"]  # "at a checkpoint north of"
        nouns = w.anaphoric_nouns | w.focus_country_nouns
        for h in heads:
            if h.dep_ == "dobj" and h.head.i == trigger.i and self._implied_noun(h, w.anaphoric_nouns):
                return h  # "stormed the capital" (not "accused the country": what an act is aimed at)
            # "the rise of X in the nation" under the object is the topic's place, not the act's; "a
            # town in the east of the country" is the act's
            arg = h.dep_ in ("dobj", "nsubjpass") and not (self._is_place_noun(h) or h.lemma_.lower() in w.through_nouns)
            for c in h.children:
                if c.dep_ == "advmod" and (c.lower_ in w.anaphors or c.lower_ in w.focus_country_adverbs):
                    return c
                preps = [c] if c.dep_ == "prep" and (c.lower_ in w.location_preps
                                                     or c.lower_ == "of" and h.lower_ in w.location_preps) else \
                    [p for p in c.children if p.dep_ == "prep" and p.lower_ == "of"] \
                    if c.dep_ in ("advmod", "npadvmod") and c.lower_ in w.location_preps else []
                for p in preps:
                    for o in p.children:
                        if o.dep_ == "pobj" and self._implied_noun(o, w.anaphoric_nouns if arg else nouns):
                            return o
                        if o.dep_ == "pobj" and o.lemma_.lower() in w.focus_directions and not arg:  # "in the country's north"
                            poss = [d for d in o.children if d.dep_ == "poss"]
                            if len(poss) == 1 and self._implied_noun(poss[0], w.focus_country_nouns):
                                return poss[0]
        return None

    def _implied_noun(self, o: Token, nouns: frozenset[str]) -> bool:
        """Whether ``o`` is a place noun with no name of its own ("the city", "this camp", "the
        country's capital"; not "the city of X", "Kabul city", "the capital, Kabul")."""
        w = self.words
        if o.lemma_.lower() not in nouns or o.pos_ != "NOUN":
            return False
        if o.lemma_.lower() in w.focus_capital_nouns and any(  # "the provincial capital" is not the capital
                d.dep_ in ("amod", "compound", "nmod") and d.ent_type_ not in ("NORP", "GPE") for d in o.children):
            return False
        poss = [d for d in o.children if d.dep_ == "poss"]
        if poss:  # "the country's capital", "the nation's capital"
            return o.lemma_.lower() in w.focus_capital_nouns and len(poss) == 1 \
                and self._implied_noun(poss[0], w.focus_country_nouns)
        return any(d.dep_ == "det" and d.lower_ in w.anaphoric_determiners for d in o.children) \
            and not any(d.dep_ in ("compound", "prep", "appos") or d.pos_ == "PROPN" for d in o.children)

    def implied(self, word: Token) -> str | None:
        """What a word found by :meth:`anaphor` implies of the article's focus: ``capital`` ("the
        capital", "the country's capital"), ``country`` ("the country", "nationwide"), ``town``
        ("the city", "here"), or None ("there", "the village": a place named before, or none)."""
        w = self.words
        lemma = word.lemma_.lower()
        if word.pos_ == "NOUN" and lemma in w.focus_capital_nouns:
            return "capital"
        if word.pos_ == "NOUN" and lemma in w.focus_country_nouns or word.lower_ in w.focus_country_adverbs:
            return "country"
        if word.lower_ in w.focus_town_words or word.pos_ == "NOUN" and lemma in w.focus_town_words:
            return "town"
        return None

    def antecedent(self, anaphor: Token) -> tuple[Found, str] | None:
        """The last place named before ``anaphor`` in its sentence ("the group's leader in Mosul,
        was killed in a raid west of the city" -> Mosul; source ``sentence``), else in the sentence
        before (source ``article``): a town or division for "the city", not a country."""
        sent = anaphor.sent
        noun = anaphor.lower_ not in self.words.anaphors
        before = anaphor.doc[sent.start - 1].sent if sent.start > 0 else None
        for where, source in ((sent, "sentence"), (before, "article")):
            if where is None:
                continue
            for ent in reversed([e for e in where.ents if e.end <= anaphor.i and e.label_ in self.words.place_labels]):
                span = _clean_span(ent)
                if len(span) and known(span.text) and not (noun and country_of_name(span.text)):
                    return Found(span, False, ()), source
        return None

    def town_named_before(self, word: Token, but: str | None = None, previous: bool = True,
                          capitals: bool = True) -> bool:
        """Whether a town other than ``but`` is the object of a location preposition before ``word``
        in its sentence or (``previous``) in the sentence before, in any case ("in surat, the army
        ... within the city": lower-case text the entity tagger misses): "the city", "here", "the
        capital" may be that town (``capitals``: a country's capital counts too)."""
        w = self.words
        sent = word.sent
        start = word.doc[sent.start - 1].sent.start if sent.start > 0 and previous else sent.start
        for tok in word.doc[start:word.i]:
            if tok.dep_ != "pobj" or tok.head.lower_ not in w.location_preps or self._is_place_noun(tok) \
                    or tok.lower_ in w.through_nouns or tok.pos_ not in ("PROPN", "NOUN"):
                continue
            name = " ".join(t.text for t in tok.children if t.dep_ == "compound" and t.i < tok.i)
            name = f"{name} {tok.text}".strip()
            if but is not None and gazetteer.normalize(name) in gazetteer.normalize(but):
                continue
            place = gazetteer.lookup(name)
            if place is not None and (place.kind == "city" or capitals and place.kind == "capital") or any(
                    t.kind == "town" and t.population >= LEAD_TOWN_POPULATION for t in towns.exact(name)[:1]):
                return True
        return False

    def _same_event_head(self, verb: Token) -> Token | None:
        """The verb ``verb`` shares its event with ("was shot and killed", "opened fire, killing
        three"), or None; a subordinate clause with a subject or a conjunction of its own ("after
        troops had withdrawn from X") is an event of its own."""
        if verb.dep_ not in self.words.same_event_deps or verb.head.i == verb.i:
            return None
        if verb.dep_ == "advcl" and (verb.tag_ not in ("VBG", "VBN") or any(
                c.dep_ in ("mark", "nsubj", "nsubjpass") for c in verb.children)):
            return None
        return verb.head

    def event_head(self, verb: Token) -> Token:
        """The top verb of the clauses that tell one event with ``verb`` (:meth:`_same_event_head`)."""
        while (up := self._same_event_head(verb)) is not None:
            verb = up
        return verb

    def apart(self, tok: Token, head: Token) -> bool:
        """Whether a clause that tells another act lies between ``tok`` and its ancestor ``head``:
        one opened by a word of sequence or cause (``sequence_words``: "after surrendering in
        Syria", "before he fled to X"), not one of circumstance ("killed while fighting in X")."""
        seq = self.words.sequence_words
        for a in tok.ancestors:
            if a.i == head.i:
                return False
            if a.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ in seq for c in a.children) \
                    or a.dep_ == "pcomp" and a.head.lower_ in seq:
                return True
        return False

    def sentence_places(self, sent: Span) -> list[tuple[Token, Found]]:
        """The place phrases of a sentence, each with the top verb of the clause that holds it
        (:meth:`event_head`): location-preposition phrases and place-noun phrases ("escape the city
        of Manbij"), outermost only ("a hole on a farm in Al-Dawr" is one phrase). A name in none
        of these slots ("Moscow said") is no place here, nor one under a topic preposition
        (``topic_preps``: "protest against the barrier across the West Bank")."""
        w = self.words
        out: list[tuple[Token, Found]] = []
        covered: set[int] = set()  # the tokens of phrases already taken (their inner phrases)
        for tok in sent:
            if tok.i in covered:
                continue
            found = None
            if tok.dep_ == "prep" and tok.lower_ in w.location_preps or \
                    tok.dep_ in ("advmod", "npadvmod") and tok.lower_ in w.location_preps \
                    and any(p.dep_ == "prep" and p.lower_ == "of" for p in tok.children):
                found = self.prep_place(tok)
            elif tok.pos_ == "NOUN" and self._is_place_noun(tok) and tok.head.lower_ not in w.location_preps:
                found = self.noun_place(tok, slot=False)
            if found is None:
                continue
            covered.update(t.i for t in tok.subtree)
            verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), sent.root)
            if any(a.dep_ == "prep" and a.lower_ in w.topic_preps for a in tok.ancestors if a.i != verb.i
                   and verb in a.ancestors):
                continue  # "to protest against the barrier across the West Bank": the topic's place
            out.append((self.event_head(verb), found))
        return out

    def _aimed_place(self, verb: Token, root: str) -> Found | None:
        """The place a participle of a verb that takes or strikes territory (``territory_verbs``)
        on ``verb`` aims the event at, for an event whose clause names no place of its own:
        "launched an assault on Thursday, targeting the village of X" (but "launched an offensive
        in rural Damascus, targeting the town of X" was launched in rural Damascus)."""
        for c in verb.children:
            if c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_.lower() in self.words.territory_verbs \
                    and not any(m.dep_ in ("mark", "nsubj", "nsubjpass") for m in c.children):
                found = self.clause_place(c, root)
                if found is not None and not found.frame:
                    return found
        return None

    def find(self, trigger: Token, root: str, taken: Token | None = None) -> tuple[Found, str] | None:
        """The place phrase of the event on ``trigger`` and where it came from (``taken``: the
        object the coder found to be a place taken, :meth:`clause_place`)."""
        w = self.words
        framed = None  # a frame opening the sentence: a later clause of the event may narrow it
        found = self.clause_place(trigger, root, taken=taken)
        if found is not None and not found.frame:
            return found, "clause"
        framed = found
        verb = trigger
        while (up := self._same_event_head(verb)) is not None:
            verb = up
            found = self.clause_place(verb, root)
            if found is not None and not found.frame:
                return self._inside(framed, found), "clause"
            framed = framed or found
        for c in trigger.children:  # "shot dead a soldier and wounded five in the city of Fallujah"
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                found = self.clause_place(c, root)
                if found is not None and not found.frame:
                    return self._inside(framed, found), "clause"
        found = self._circumstance_place(trigger, root)  # "killed when a bomb exploded near their patrol in X"
        if found is not None:
            return self._inside(framed, found), "clause"
        found = self._aimed_place(trigger, root)  # "launched an assault on Thursday, targeting the village of X"
        if found is not None:
            return self._inside(framed, found), "clause"
        if framed is not None:  # "In Gaza Sunday, soldiers shot a man"
            return Found(framed.span, framed.admin, framed.context), "clause"
        found = self.leading_place(trigger)
        if found is not None:
            return found, "sentence"
        for c in trigger.children:  # "Hong Kong people demonstrated", "Kabul police detonated a bomb"
            if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                for m in c.children:
                    if m.dep_ == "compound" and m.ent_type_ in ("GPE", "LOC") and not m.text.isupper():
                        span = self._name(m)
                        # (weak evidence: only a name a gazetteer knows; "the Khashoggi affair" is no place)
                        if span is not None and known(span.text):
                            return Found(span, False, ()), "clause"
        return None


def unplaced(name: str) -> dict:
    """A location dict for ``name`` with every field empty (no country, no point, no precision)."""
    return {"name": name, "country": None, "admin1": None, "admin2": None, "lat": None, "lon": None,
            "precision": None, "geonameid": None, "admin1_code": None, "admin2_code": None}


def resolve_place(name: str, countries: tuple[str, ...] = (), admins: tuple[str, ...] = (),
                  admin: bool = False) -> dict:
    """``name`` as a location dict (name, country, admin1, admin2, lat, lon, precision, and the
    town table's ``geonameid``, ``admin1_code``, ``admin2_code``: :func:`codes`), resolved by the
    countries the text is about (most relevant first) and the divisions it names."""
    out = unplaced(name)
    if wide_region(name):
        return out
    big = gazetteer.lookup(name)
    if big is not None and big.kind == "country":
        out.update(country=big.country, lat=big.lat, lon=big.lon, precision="country")
        return out
    context = tuple(dict.fromkeys(c for c in countries if c))
    town = None
    divisions = [d for a in admins if (d := towns.resolve(a, context, kind="admin1")) is not None]
    # a division by the table's name of it too ("Nineveh" is GeoNames' "Ninawa")
    admins = tuple(dict.fromkeys([*admins, *(d.admin1 for d in divisions if d.admin1)]))
    for a in admins:
        town = towns.resolve(name, context, admin=a, kind="admin1" if admin else None)
        if town is not None and (gazetteer.normalize(town.admin1) == gazetteer.normalize(a)
                                 or gazetteer.normalize(town.admin2) == gazetteer.normalize(a)):
            break
        town = None
    if town is None:
        town = towns.resolve(name, context, kind="admin1" if admin else None) if admin else None
        town = town or towns.resolve(name, context)
    if town is not None and (town.country in context or big is None):
        out.update(country=town.country or None, admin1=town.admin1 or None, admin2=town.admin2 or None,
                   lat=town.lat, lon=town.lon, precision=PRECISION[town.kind], **codes(town))
    elif big is not None:
        out.update(country=big.country, lat=big.lat, lon=big.lon, precision="town")
        out.update(town_fields(big, name))
    elif divisions:  # a place no table has, in a division the text names ("Tamthil ... Homs Governorate")
        d = divisions[0]
        out.update(country=d.country, admin1=d.admin1 or None, lat=d.lat, lon=d.lon, precision="admin1",
                   **codes(d))
    else:
        for c in admins:  # "the Zamalek stadium in Cairo": named so, at the point of the place it lies in
            if country_of_name(c) is None and gazetteer.normalize(c) != gazetteer.normalize(name):
                wider = resolve_place(c, countries)
                if wider["precision"] is not None:
                    keep = ("country", "admin1", "admin2", "lat", "lon", "precision", "admin1_code", "admin2_code")
                    out.update({k: wider[k] for k in keep}, within=c)  # (its GeoNames id is the container's)
                    return out
        inside = next((c for c in admins if country_of_name(c)), None)  # "Syria's X": its country only
        if inside is not None:
            out.update(country=country_of_name(inside), precision="country")
    return out


def border_location(name: str, sides: list[dict]) -> dict | None:
    """The border between two places as a location dict: named as the text names it, precision
    ``area``, in neither country (``country`` empty, ``between`` both countries). ``sides`` are the
    two places as :func:`resolve_place` gives them. Between two countries: a point of the line where
    their outlines meet (:func:`borders.border_point`); beside a place that is not a country ("the
    border between Gaza and Israel", "the Texas-Mexico border"): the other country's outline point
    nearest it, within ``BORDER_REACH`` degrees. None when they do not touch."""
    a, b = (side["country"] for side in sides)
    if a is None or b is None or a == b:
        return None
    point = None
    for side, other in ((sides[0], b), (sides[1], a)):
        if side["precision"] != "country" and side["lat"] is not None:  # (a town, a division, an area)
            near = borders.nearest_point(other, side["lat"], side["lon"])
            if near is not None and near[2] <= BORDER_REACH:
                point = near[:2]
                break
    if point is None:
        point = borders.border_point(a, b)
    if point is None:
        return None
    return {**unplaced(name), "lat": point[0], "lon": point[1], "precision": "area", "between": [a, b]}


@functools.cache
def place_forms() -> dict[gazetteer.Place, tuple[str, ...]]:
    """Each place of the place table -> its names and aliases (normalized), built once."""
    out: dict[gazetteer.Place, list[str]] = {}
    for key, place in gazetteer.places().items():
        out.setdefault(place, []).append(key)
    return {place: tuple(keys) for place, keys in out.items()}


def town_fields(place: gazetteer.Place, name: str) -> dict:
    """A city of the place table (``gazetteer``) as the town table has it: the admin names,
    GeoNames id and division codes of the town of that name (or of one of its aliases: "Kupiansk"
    is GeoNames' "Kupyansk") in its country, the most populous (a town before a division of the
    name: "Kabul" the city, not the province); the id only when the two points agree. Empty when
    the town table has no such place."""
    found = [t for form in (name, *place_forms().get(place, ())) for t in towns.candidates(form)
             if t.country == place.country]
    same = next((t for t in found if t.kind == "town"), found[0] if found else None)
    if same is None:
        return {}
    return {"admin1": same.admin1 or None, "admin2": same.admin2 or None,
            **codes(same, near(same, place.lat, place.lon))}


def codes(town: towns.Town, same_place: bool = True) -> dict:
    """The town table's GeoNames id and division codes of ``town`` for a location dict (None when
    it has none); its id only when it is ``same_place`` (the place table's town of that name may be
    another point)."""
    return {"geonameid": town.geonameid if same_place else None, "admin1_code": town.admin1_code or None,
            "admin2_code": town.admin2_code or None}


def near(town: towns.Town, lat: float, lon: float, degrees: float = 0.25) -> bool:
    """Whether ``town`` lies within ``degrees`` of the point (the same city in both tables)."""
    return abs(town.lat - lat) <= degrees and abs(town.lon - lon) <= degrees


def wide_region(name: str) -> bool:
    """Whether ``name`` is a region too wide for a point ("the Middle East": ``wide_regions``)."""
    return gazetteer.normalize(name) in place_words().wide_regions


def country_of_name(name: str) -> str | None:
    """The ISO3 code of a country name ("Syria"), or None."""
    place = gazetteer.lookup(name)
    return place.country if place is not None and place.kind == "country" else None


def dateline_place(text: str, countries: tuple[str, ...] = ()) -> dict | None:
    """The place of a wire dateline at the start of ``text`` ("KYIV, March 3 (Reuters) -"), as a
    location dict with ``source: dateline`` and its character span, or None."""
    m = DATELINE.match(text)
    if m is None:
        return None
    lead = m.start(2)  # the town (``normalise.DATELINE_TOWN``) and the region or country after it
    city = m.group(2).strip(" -–—:")
    region = m.group(3) or ""
    if not city or any(ch.isdigit() for ch in city):
        return None
    name = city.title()
    hint = country_of_name(region) if region else None
    division = towns.resolve(region, kind="admin1") if region and hint is None else None  # "WOODSIDE, California"
    if division is not None:
        hint = division.country
    loc = resolve_place(name, ((hint,) if hint else ()) + countries, (region,) if division is not None else ())
    if loc["precision"] is None:
        return None
    loc.update(start=lead, end=lead + len(city), source="dateline")
    return loc


@functools.cache
def _capitals() -> dict[str, gazetteer.Place]:
    """ISO3 -> the country's capital in the place table (the most populous, if it lists several)."""
    out: dict[str, gazetteer.Place] = {}
    for place in gazetteer.places().values():
        if place.kind == "capital" and (place.country not in out or place.population > out[place.country].population):
            out[place.country] = place
    return out


def capital_of(iso3: str) -> dict | None:
    """The capital of the country ``iso3`` as a location dict (precision town), or None."""
    place = _capitals().get(iso3)
    if place is None:
        return None
    loc = resolve_place(place.name, (iso3,))
    if loc["country"] != iso3:  # (the towns table's most populous namesake is elsewhere): the place
        # table's point, with the capital's own divisions and id if the towns table has it
        loc = {**unplaced(place.name), "country": iso3, "lat": place.lat, "lon": place.lon, "precision": "town",
               **town_fields(place, place.name)}
    return loc


# a dateline in lower case at the head of the text's first or second paragraph ("This story is from
# March 10, 2002\n\nlucknow: the all-india ...")
LEAD_TOWN_POPULATION = 100_000  # the least population of a town read from a lower-case dateline
LEAD_DATELINE = re.compile(r"(?:\A|\n\s*\n)[ \t]*([A-Za-z][A-Za-z .'’-]{2,30}?)[ \t]*:[ \t]")


def lead_dateline(text: str) -> dict | None:
    """The town of a dateline as :func:`dateline_place` reads it, or one in lower case at the head
    of the first or second paragraph ("lucknow: the police ..."), as a location dict with
    precision town (no span, no source), or None."""
    line = dateline_place(text)
    if line is not None:
        return line if line["precision"] == "town" else None
    paragraphs = 0
    for m in LEAD_DATELINE.finditer(text[:600]):
        paragraphs = text[:m.start(1)].count("\n\n")
        if paragraphs > 1:
            break
        name = m.group(1).strip()
        if len(name.split()) > 3:
            continue
        place = gazetteer.lookup(name)
        if place is None or place.kind not in ("city", "capital"):
            candidates = towns.exact(name)
            if not candidates or candidates[0].kind != "town" or candidates[0].population < LEAD_TOWN_POPULATION:
                continue  # ("update: ..."; a dateline town is a big one)
        loc = resolve_place(name.title(), (place.country,) if place is not None else ())
        if loc["precision"] == "town":
            return loc
    return None
