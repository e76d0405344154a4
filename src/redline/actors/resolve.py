"""Noun phrase -> Actor: country and sector from names, titles, modifiers and coreference.

The resolver works on one parsed document. It first scans the document for table-known names
(countries, capitals, metonyms, organisations, people), then resolves argument heads on
request: the head's own name, else a role word ("troops", "foreign intelligence service") with
the country from its modifiers ("French", "Russia's") or attached organisation ("the director
of ..."), else a possessor ("Macron's remarks"), else an earlier mention ("he", "Macron").
Whatever cannot be resolved keeps its text with no country: a guess is worse than a blank.
"""
from __future__ import annotations

import csv
import re

from dataclasses import replace
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from ..schema import Actor
from .lexicon import ActorLexicon, Entry, Role, norm
from .mentions import Mention, scan

PERSON_PRONOUNS = {"he", "him", "she", "her", "his"}
GROUP_PRONOUNS = {"they", "them", "it"}
ARMED_GENERIC = {"UAF", "REB", "CVL", "UNK"}  # generic roles a named group overrides ("Hamas fighters")
INSTITUTION_SECTORS = {"GOV", "MIL", "COP", "LEG", "JUD", "SPY"}
NP_KEEP_PREPS = {"of", "for", "from"}
NP_DROP_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "appos", "prep",
                "det", "predet", "case", "mark", "dep", "parataxis"}
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod", "nummod"}
UNRESOLVED_NAME = "a name not in the actor tables"
FORMER = {"former", "ex", "ex-", "retired", "onetime", "erstwhile", "then-former"}
OFFICIAL_SECTORS = {"GOV", "MIL", "SPY", "COP", "JUD", "LEG"}
SPONSOR_WORDS = {"backed", "allied", "supported", "sponsored", "funded", "trained", "armed", "aligned",
                 "friendly", "leaning", "controlled", "installed"}
QUANTITY_HEADS = {"third", "half", "quarter", "some", "many", "most", "all", "several", "thousand", "hundred",
                  "dozen", "million", "score", "number", "group", "team", "unit", "contingent", "batch", "patch",
                  "deployment", "part", "majority", "minority", "rest", "handful", "band", "crowd", "convoy",
                  "column", "detachment", "squad", "platoon", "company", "battalion", "wave", "flood"}
OWNER_TO_ROLES = {"aide", "adviser", "advisor", "assistant", "spokesman", "spokeswoman", "spokesperson",
                  "secretary", "deputy", "counsellor", "counselor", "chief", "head"}
RELATION_NOUNS = {"counterpart", "ally", "partner", "rival", "enemy", "adversary", "neighbour", "neighbor", "host",
                  "guest", "interlocutor", "opponent", "foe"}  # "his Turkish counterpart" is not he
GROUP_HEADS = {"country", "nation", "state", "power", "ally", "partner", "neighbour", "neighbor", "side"}


def prep_objects(head: Token, preps: tuple[str, ...]):
    """Objects of the given prepositions attached to ``head`` ("director **of** X" -> X)."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            yield from (pobj for pobj in prep.children if pobj.dep_ == "pobj")


def _code(country: str | None, sector: str | None) -> str | None:
    return (country + (sector or "")) if country else None


ACTING_SECTORS = frozenset({"REB", "MIL", "UAF", "INS", "OPP", "COP", "GOV", "SPY", "LEG", "JUD", "PTY"})


class DocActors:
    """Actor resolution for one document: scans names once, remembers people for coreference."""

    def __init__(self, doc: Doc, lexicon: ActorLexicon, published: date | None, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text
        self.lexicon = lexicon
        self.published = published
        self.mentions: dict[int, Mention] = scan(doc, lexicon, self.text)
        for ent in doc.ents:  # "Feliciano Valencia" is a person, not the city of Valencia
            if ent.label_ == "PERSON" and len(ent) > 1:
                for i in range(ent.start, ent.end):
                    m = self.mentions.get(i)
                    if m is not None and m.kinds <= {"city"}:
                        del self.mentions[i]
        self._cache: dict[int, list[Actor]] = {}
        # the start of each token's sentence (spaCy finds a token's sentence by walking the parse)
        self.sentence_starts: list[int] = [s.start for s in doc.sents]
        self._sent_start: list[int] = [0] * len(doc)
        for s in doc.sents:
            self._sent_start[s.start:s.end] = [s.start] * (s.end - s.start)
        self.people: list[tuple[int, Actor, bool]] = []   # (token index, actor, was a subject)
        self.surnames: dict[str, Actor] = {}
        self._person_cache: dict[int, Actor | None] = {}
        self.subjects: list[tuple[int, list[Actor], bool]] = []  # resolved subjects, in text order
        self._register_people()

    # -- people -------------------------------------------------------------------------------
    def _register_people(self) -> None:
        seen: set[int] = set()
        spans: list[Span] = [e for e in self.doc.ents if e.label_ == "PERSON"]
        for m in {id(m): m for m in self.mentions.values()}.values():
            if "person" in m.kinds:
                spans.append(self.doc[m.start:m.end])
        for span in sorted(spans, key=lambda s: s.start):
            head = span.root
            if head.i in seen:
                continue
            m = self.mentions.get(head.i)
            if m is not None and "person" not in m.kinds:
                continue  # "Azerbaijani" tagged PERSON is a nationality
            seen.add(head.i)
            actor = self._person(head, span)
            if actor is not None:
                self.people.append((head.i, actor, head.dep_ in ("nsubj", "nsubjpass")))

    def _person(self, head: Token, span: Span | None = None) -> Actor | None:
        """The person named at ``head``: people table by date, earlier full mention, or titles."""
        if head.i in self._person_cache:
            return self._person_cache[head.i]
        self._person_cache[head.i] = None  # a name apposed to a name refers back here: no loop
        actor = self._new_person(head, span)
        self._person_cache[head.i] = actor
        return actor

    def _new_person(self, head: Token, span: Span | None = None) -> Actor | None:
        mention = self.mentions.get(head.i)
        name_span = span or self._ent_span(head) or (self.doc[mention.start:mention.end] if mention else None)
        name = name_span.text if name_span is not None else head.text
        surname = norm(name_span[-1].text if name_span is not None else head.text)
        entries = [e for e in (mention.entries if mention else ()) if e.kind == "person"]
        actor: Actor | None = None
        if entries and not any(e.valid_on(self.published) for e in entries) and mention.end - mention.start > 1:
            # the same person may be spelled differently in another table: try the surname's entries
            countries = {e.country for e in entries}
            by_surname = [e for e in self.lexicon.lookup((surname,)) if e.kind == "person" and e.country in countries]
            if any(e.valid_on(self.published) for e in by_surname):
                entries = by_surname + entries
        given = self._given_names(name_span, mention)
        if len(name.split()) == 1 and surname in self.surnames and self.surnames[surname].name \
                and (self.surnames[surname].code or self.surnames[surname].country):
            # "Jaafari said" after "Bashar Jaafari, Syria's ambassador": the article's own Jaafari
            # comes before any table's
            earlier = self.surnames[surname]
            return replace(earlier, text=name, resolved_by=f"same person as '{earlier.name}' earlier in the article")
        if given:  # "Bashar Jaafari" is not the table's Ibrahim al-Jaafari
            entries = [e for e in entries if _same_given_names(given, e.name)]
        if entries:
            valid = [e for e in entries if e.valid_on(self.published)]
            if valid:
                e = valid[0]
                actor = Actor(name, e.actor_code or _code(e.country, e.sector), e.country, e.sector, e.name,
                              resolved_by=f"{e.source}: {e.name}, {e.role or e.sector} "
                                          f"{e.start or ''}..{e.end or ''}".rstrip("."))
            else:
                e = entries[0]
                ended = [x for x in entries if x.end is not None and (self.published is None or x.end < self.published)]
                t_country, t_sector, t_code, t_how = self._title(name_span) if name_span is not None else (None,) * 3 + ("",)
                if t_sector or t_code:  # the article's own title for the person beats the table's silence
                    country = t_country or e.country
                    actor = Actor(name, t_code or _code(country, t_sector), None if t_code else country, t_sector,
                                  e.name, resolved_by=f"title in the text ({t_how}); {e.source} has no term "
                                                      f"on {self.published}")
                elif surname in self.surnames and self.surnames[surname].sector:
                    earlier = self.surnames[surname]  # the article already said who this is
                    actor = replace(earlier, text=name, resolved_by=f"same person as '{earlier.name}' earlier "
                                                                    f"in the article")
                elif ended and len(ended) == len(entries) and self.published is None:
                    # no date: nothing says the office is over, so the person holds their last office
                    last = max(ended, key=lambda x: x.end)
                    actor = Actor(name, last.actor_code or _code(last.country, last.sector), last.country,
                                  last.sector, last.name,
                                  resolved_by=f"{last.source}: {last.name}, {last.role or last.sector} "
                                              f"until {last.end} (undated text: last office)")
                elif ended and len(ended) == len(entries):  # PLOVER ELI: a former office-holder
                    last = max(ended, key=lambda x: x.end)
                    actor = Actor(name, _code(e.country, "ELI"), e.country, "ELI", e.name,
                                  resolved_by=f"{e.source}: {e.name}, former {last.role or 'official'} "
                                              f"(until {last.end})")
                else:
                    actor = Actor(name, e.country, e.country, None, e.name,
                                  resolved_by=f"{e.source}: {e.name} (not in office on {self.published})")
        elif surname in self.surnames and len(name.split()) <= 2 \
                and _same_given_names(given, self.surnames[surname].name or ""):
            earlier = self.surnames[surname]
            actor = replace(earlier, text=name, resolved_by=f"same person as '{earlier.name}'")
        if actor is None:
            country, sector, code, how = self._title(name_span if name_span is not None else self.doc[head.i:head.i + 1])
            if not (country or code):  # "Harry Tseng, Taiwan's deputy foreign minister"
                # ... or "the UN special envoy to Syria, Staffan de Mistura": the name is the apposition
                described = [head.head] if head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN") else []
                for appos in [*(c for c in head.children if c.dep_ == "appos"), *described]:
                    found = [a for a in self._resolve(appos, 2) if a.country or a.code]
                    if found:
                        a = found[0]
                        country, code = a.country, (a.code if not a.country else None)
                        sector = sector or a.sector
                        how = "; ".join(x for x in (how, f"apposition '{a.text}': {a.resolved_by}") if x)
                        break
            actor = Actor(name, code or _code(country, sector), country, sector, name,
                          resolved_by="named person" + (f"; {how}" if how else ""))
        elif not actor.sector and not entries:
            pass
        if actor.name:
            key = norm(actor.name.split()[-1])
            if key not in self.surnames or len(actor.name.split()) > len((self.surnames[key].name or "").split()):
                self.surnames[key] = actor
        return actor

    def _given_names(self, name_span: Span | None, mention) -> list[str]:
        """The names written before a surname the tables matched ("Bashar" of "Bashar Jaafari"),
        normalised; empty when the text gives the surname alone."""
        if name_span is None or not any(t.ent_type_ == "PERSON" for t in name_span):
            return []
        end = mention.start if mention is not None and name_span.start < mention.start <= name_span.end else name_span.end - 1
        return [norm(t.text) for t in self.doc[name_span.start:end]
                if t.ent_type_ == "PERSON" and t.is_title and len(t.text) > 1 and t.text[0].isalpha()
                and norm(t.lemma_) not in self.lexicon.role_last_words and t.lower_ not in self.lexicon.role_last_words]

    def _person_text(self, head: Token) -> str:
        name = self._ent_span(head)
        m = self.mentions.get(head.i)
        if name is None:
            name = self.doc[m.start:m.end] if m is not None else self.doc[head.i:head.i + 1]
        title = self.title_span(name)
        return self.doc[title.start:name.end].text

    def title_span(self, name: Span) -> Span:
        """The words right before a name that describe the person ("Kosovo Prime Minister")."""
        start = name.start
        sent_start = self._sent_start[name.start]
        while start > sent_start:
            t = self.doc[start - 1]
            if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.tag_ == "POS" or t.dep_ == "case":
                start -= 1
                continue
            # "U.S. Secretary of State Warren Christopher", "Minister for Foreign Affairs X"
            if t.lower_ in ("of", "for") and start - 2 >= sent_start and \
                    self.doc[start - 2].pos_ in ("PROPN", "NOUN"):
                start -= 1
                continue
            break
        return self.doc[start:name.start]

    def _title(self, name: Span) -> tuple[str | None, str | None, str | None, str]:
        """Country, sector and (for international officials) code from a person's title."""
        country = sector = code = None
        how = []
        title = self.title_span(name)
        i = title.start
        while i < title.end:
            m = self.mentions.get(i)
            if m is not None:
                e = self._pick(m)
                if e is not None and e.kind != "person":
                    if e.country and country is None:
                        country = e.country
                        how.append(f"{e.kind} '{self.doc[m.start:m.end].text}' -> {e.country}")
                        if e.kind in ("metonym", "org") and e.sector and sector is None:
                            sector = e.sector
                    elif not e.country and e.code and code is None and e.kind == "org":
                        code = e.code
                        how.append(f"organisation '{self.doc[m.start:m.end].text}' -> {e.code}")
                i = m.end
                continue
            i += 1
        for t in reversed(list(title)):
            role = self.role_at(t) if t.pos_ in ("NOUN", "PROPN") else None
            if role is not None:
                sector = sector or role.sector
                how.append(f"title '{role.phrase}' -> {role.sector}")
                break
        if sector and any(t.lower_ in FORMER for t in title) or self._former_before(name):
            sector = "ELI"
            how.append("a former office-holder -> ELI")
        if code and country is None:
            sector = None
        return country, sector, code, "; ".join(how)

    def _former_before(self, name: Span) -> bool:
        """ "former"/"ex-" right before a name ("ex-President Zuma", "former Prime Minister X")."""
        start = self.title_span(name).start
        return start > 0 and self.doc[start - 1].lower_ in FORMER

    def _ent_span(self, token: Token) -> Span | None:
        if token.ent_type_ != "PERSON":
            return None
        for ent in self.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent
        return None

    def _pronoun(self, token: Token) -> Actor | None:
        sent_start = self._sent_start[token.i]
        best = None
        for i, actor, was_subject in reversed(self.people):
            if i >= token.i:
                continue
            if self._sent_start[i] < sent_start - 200:
                break
            if best is None:
                best = actor
            if was_subject:
                best = actor
                break
        if best is None:
            return None
        return replace(best, text=token.text, resolved_by=f"coreference: '{token.text}' -> {best.name or best.text}")

    # -- noun phrases -------------------------------------------------------------------------
    def phrase(self, head: Token) -> Span:
        """The noun phrase headed by ``head``, without clauses, conjuncts and appositions."""
        keep = [head]
        stack = list(head.children)
        while stack:
            t = stack.pop()
            if t.dep_ in NP_DROP_DEPS and not (t.dep_ == "prep" and t.lower_ in NP_KEEP_PREPS and t.head == head):
                if t.dep_ not in ("det", "predet", "case") or t.head != head and t.dep_ != "case":
                    continue
            keep.append(t)
            stack.extend(t.children)
        start = min(t.i for t in keep)
        end = max(t.i for t in keep) + 1
        while start < head.i and self.doc[start].dep_ in ("det", "predet", "punct", "cc"):
            start += 1
        return self.doc[start:end]

    def role_at(self, head: Token) -> Role | None:
        """A role word or phrase ending at ``head`` ("minister", "foreign intelligence service")."""
        doc, lex = self.doc, self.lexicon
        if norm(head.lemma_) not in lex.role_last_words and head.lower_ not in lex.role_last_words:
            return None
        for size in range(min(4, head.i + 1), 0, -1):
            toks = doc[head.i - size + 1: head.i + 1]
            if size > 1 and any(t.i in self.mentions for t in toks[:-1]):
                continue  # "European Union leaders" is not a "union leader"
            for key in (tuple(norm(t.lemma_) for t in toks), tuple(norm(t.text) for t in toks)):
                role = lex.roles.get(key)
                if role:
                    return role
        return None

    def _modifiers(self, head: Token, exclude: Span | None = None) -> tuple[str | None, str | None, str]:
        """Country and sector from the words that modify ``head`` (adjectives, possessors, titles)."""
        country = sector = None
        how = []
        lo = exclude.start if exclude is not None else -1
        hi = exclude.end if exclude is not None else -1
        for t in head.subtree:
            if t.i == head.i or lo <= t.i < hi and self.mentions.get(t.i) is None and t.dep_ != "compound":
                continue
            if t.dep_ in NP_DROP_DEPS and t.dep_ not in ("det",):
                continue
            anc = t
            ok = True
            while anc.i != head.i:
                if anc.dep_ not in MODIFIER_DEPS and anc.dep_ not in ("case", "det"):
                    ok = False
                    break
                anc = anc.head
            if not ok:
                continue
            m = self.mentions.get(t.i)
            if m and country is None:
                e = self._pick(m)
                if e and e.kind in ("country", "adjective", "capital", "region", "metonym", "org") and e.country:
                    country = e.country
                    how.append(f"{e.kind} '{self.doc[m.start:m.end].text}' -> {e.country}")
                    if e.kind in ("metonym", "org") and e.sector and sector is None:
                        sector = e.sector
            role = self.role_at(t) if t.pos_ in ("NOUN", "PROPN") else None
            if role and sector is None:
                sector = role.sector
                how.append(f"title '{t.text}' -> {role.sector}")
        return country, sector, "; ".join(how)

    def _pick(self, m: Mention) -> Entry | None:
        """The entry of a mention to use: people by date, then the first listed."""
        for e in m.entries:
            if e.kind != "person" or e.valid_on(self.published):
                return e
        return m.entries[0] if m.entries else None

    def resolve(self, head: Token) -> list[Actor]:
        """Actors for the noun phrase headed by ``head`` (several for "Hungarian and Romanian officials")."""
        if head.i not in self._cache:
            found = self._cache[head.i] = self._resolve(head)
            if head.dep_ in ("nsubj", "nsubjpass") and head.pos_ != "PRON" \
                    and any(a.code or a.country or (a.sector and head.tag_ == "NNS") for a in found):
                # (a group known only by its role is an antecedent too: "Army rebels seized power
                # ... They arrested ministers"; "women say they were coerced")
                group = list(found)
                for c in head.children:  # "Serbia and Kosovo ... They": both
                    if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
                        group += [a for a in self.resolve(c) if a.code or a.country]
                # a person is one, whatever the tagger says of "Menezes"; plural is grammar or coordination
                person = any(a.name for a in found)
                plural = (head.tag_ in ("NNS", "NNPS") and not person) or len(group) > len(found)
                self.subjects.append((head.i, group, plural))
        return self._cache[head.i]

    def placed(self, head: int, actors: list[Actor]) -> None:
        """The coder placed the subject at ``head`` in a country ("Army rebels" acting on Sao
        Tome): later pronouns that refer to it ("They arrested ministers") take that country."""
        for k, (i, group, plural) in enumerate(self.subjects):
            if i == head and any(a.country for a in actors) and not any(a.country for a in group):
                self.subjects[k] = (i, list(actors), plural)

    def _group_pronoun(self, token: Token, plural: bool) -> list[Actor]:
        """"they" -> the latest plural subject (or pair of subjects); "it" -> the latest singular
        non-person subject; both within the last few sentences."""
        sent_starts = [s for s in self.sentence_starts if s <= token.i][-3:]
        for i, actors, was_plural in reversed(self.subjects):
            if i >= token.i or i < sent_starts[0]:
                continue
            if was_plural != plural or (not plural and any(a.name for a in actors)):
                continue
            if not any(a.code or a.country or a.sector in ACTING_SECTORS for a in actors):
                return []  # "women ... they": an antecedent, but not an actor of political events
            same_sentence = self._sent_start[i] == self._sent_start[token.i]
            return [replace(a, text=a.text if same_sentence else token.text,
                            resolved_by=f"coreference: '{token.text}' -> {a.text}") for a in actors]
        return []

    def _definite(self, head: Token, depth: int) -> list[Actor]:
        """"the country", "the alliance", "the group": the latest mention of that kind before it."""
        kind = self.lexicon.anaphora.get(head.lemma_.lower())
        if kind == "country" and not depth:  # "Gentiloni said his country would host": the speaker's state
            owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in ("his", "her", "their")), None)
            found = [a for a in self._resolve(owner, 1) if a.country] if owner is not None else []
            if found:
                return [Actor(self.phrase(head).text, found[0].country, found[0].country, None,
                              resolved_by=f"'{owner.text} {head.text}': the country of {found[0].text} "
                                          f"({found[0].resolved_by})")]
        if not kind or depth or not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return []
        if any(c.dep_ in ("amod", "compound", "poss", "nmod") and (
                c.pos_ == "PROPN" or c.ent_type_ or any(t.i in self.mentions for t in c.subtree)) for c in head.children):
            return []  # "the Baltic country", "the Iranian-backed group": the modifiers say who ("the tiny nation" does not)
        role = self.role_at(head)  # "the news agency" is a news agency told before, not any organisation
        for i in range(head.i - 1, -1, -1):
            m = self.mentions.get(i)
            if m is None or i != m.start:
                continue
            e = self._pick(m)
            if e is None or role is not None and role.strength == "strong" and " " in role.phrase and e.sector != role.sector:
                continue
            if kind == "country" and e.kind in ("country", "capital", "adjective", "metonym") and e.country:
                return [Actor(self.phrase(head).text, e.country, e.country, None,
                              resolved_by=f"'the {head.text}' refers back to '{self.doc[m.start:m.end].text}'")]
            if kind == "igo" and e.kind == "org" and (e.code or "").startswith("IGO"):
                return [Actor(self.phrase(head).text, e.code, None, None,
                              resolved_by=f"'the {head.text}' refers back to '{self.doc[m.start:m.end].text}'")]
            if kind == "org" and e.kind == "org" and not (e.code or "").startswith("IGO"):
                return [Actor(self.phrase(head).text, e.actor_code, e.country, e.sector,
                              resolved_by=f"'the {head.text}' refers back to '{self.doc[m.start:m.end].text}'")]
        return []

    def salient_country(self, before: int, margin: float = 1.0) -> tuple[str, int] | None:
        """The country the article is about so far: named most often (at least twice, and more than
        ``margin`` times as often as any other; a name in the first sentence counts twice) before
        token ``before``."""
        counts: dict[str, int] = {}
        seen: set[int] = set()
        for i, m in self.mentions.items():
            if i >= before or m.start in seen:
                continue
            seen.add(m.start)
            e = self._pick(m)
            if e is not None and e.kind in ("country", "capital", "adjective", "metonym", "city") and e.country \
                    and not self._ethnic(m):
                # the lead says what the article is about: its names count twice
                lead = self._sent_start[m.start] == self.sentence_starts[0]
                counts[e.country] = counts.get(e.country, 0) + (2 if lead else 1)
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > margin * ranked[1][1]):
            return ranked[0]
        return None

    def _resolve(self, head: Token, depth: int = 0) -> list[Actor]:
        span = self.phrase(head)
        text = span.text
        low = head.lower_
        if low in PERSON_PRONOUNS and head.pos_ == "PRON":
            actor = self._pronoun(head)
            return [actor] if actor else [Actor(text, resolved_by="unresolved pronoun")]
        if low in GROUP_PRONOUNS and head.pos_ == "PRON":
            found = self._group_pronoun(head, plural=low in ("they", "them"))
            return found or [Actor(text, resolved_by="unresolved pronoun")]
        if depth == 0 and head.tag_ in ("NNS", "NNPS") and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) \
                and any(c.dep_ == "nummod" and c.lower_ in ("two", "three") or c.lower_ == "both" for c in head.children) \
                and not any(c.dep_ in ("amod", "compound", "poss") for c in head.children):
            pair = self._group_pronoun(head, plural=True)  # "the two leaders", "the three countries" -> those just named
            if pair:
                return [replace(a, text=text, resolved_by=a.resolved_by.replace(f"'{head.text}'", f"'{text}'"))
                        for a in pair]
        if head.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in head.children):
            return [Actor(text, resolved_by=f"'{text}' names no one")]  # "no business in Manbij", "no country"
        definite = self._definite(head, depth)
        if definite:
            return definite

        mention = self.mentions.get(head.i)
        if mention is not None:
            entry = self._pick(mention)
            if entry is not None and entry.kind == "person":
                actor = self._person(head)
                return [replace(actor, text=self._person_text(head))] if actor else [Actor(text)]
            if entry is not None:
                return [self._from_entry(entry, head, mention, text)]
        if head.pos_ == "PROPN" and (head.ent_type_ == "PERSON" or norm(head.text) in self.surnames):
            # a PERSON, or a known surname the tagger called something else ("Kurti" as ORG)
            actor = self._person(head)
            if actor:
                return [replace(actor, text=self._person_text(head))]

        # "the three guarantors of the peace process – Russia, Turkey and Iran –": the names apposed
        if depth == 0 and head.pos_ == "NOUN" and self.role_at(head) is None:  # (not "the minister, Julie Bishop")
            for appos in (c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                          and c.ent_type_ != "PERSON" and c.i in self.mentions):
                named = [a for t in (appos, *appos.conjuncts) for a in self._resolve(t, 1) if a.country or a.code]
                if named:
                    return [replace(a, resolved_by=f"named in apposition to '{head.text}': {a.resolved_by}")
                            for a in named]
        # "One third of the guerrillas", "thousands of Nigerians", "a group of Moroccan diplomats"
        if (head.pos_ == "NUM" or norm(head.lemma_) in QUANTITY_HEADS) and depth < 3:
            for pobj in prep_objects(head, ("of",)):
                inner = [a for a in self._resolve(pobj, depth + 1) if a.known]
                if inner:
                    return [replace(a, text=text, resolved_by=f"part of '{a.text}': {a.resolved_by}") for a in inner]
        role = self.role_at(head)
        if role is not None or norm(head.lemma_) in GROUP_HEADS or norm(head.lemma_) == "capital":
            return self._role_actor(head, role, text, depth)

        # "Macron's signals", "Russia's proposal": the possessor is the actor; but "his Turkish
        # counterpart", "its Syrian allies" are others: a relation, or a country named on the noun
        relation = norm(head.lemma_) in RELATION_NOUNS
        for child in head.children:
            if child.dep_ == "poss" and depth < 2 and not relation and not (
                    child.pos_ == "PRON" and self._modifier_countries(head)):  # ("Israel's militia ally" is not Israel)
                inner = self._resolve(child, depth + 1)
                if any(a.known for a in inner):
                    return [replace(a, text=text, resolved_by=f"possessor '{child.text}': {a.resolved_by}")
                            for a in inner]
        # "Palestinian lorries", "German goods": a thing of a country stands for the country;
        # "al-Qaeda's terror network", "the Hamas movement": a body of an organisation is it
        if head.pos_ in ("NOUN", "PROPN") and depth <= 1:
            org = self._modifier_org(head, any_org=True)
            if org is not None:
                return [Actor(text, org.actor_code, org.country, org.sector, None,
                              resolved_by=f"part of organisation '{org.phrase}' -> {org.actor_code}")]
            countries = self._modifier_countries(head) or self._place_countries(head) or self._of_countries(head, depth)
            if head.lemma_.lower() in gathering_nouns() or head.lower_ in gathering_nouns():
                # "the Geneva talks", "the Minsk accords": the city is where, not whose
                countries = [(c, how) for c, how in countries if not how.startswith(("city", "capital", "located"))]
            if countries:  # "Palestinian lorries", "targets in Syria", "the legislative body of Iran"
                return [Actor(text, c, c, None, None, resolved_by=f"belongs to {c} ({how})") for c, how in countries]
        named = head.pos_ == "PROPN" or head.ent_type_ in ("ORG", "NORP", "GPE", "PERSON")
        if depth < 2 and head.pos_ in ("PROPN", "NOUN"):
            # "Kenzo Oshima, the United Nations Emergency Relief Coordinator", "her husband, a
            # British Isis fighter": what the tables do not know is who its apposition says it is
            for appos in (c for c in head.children if c.dep_ == "appos"):
                found = [a for a in self._resolve(appos, depth + 1) if a.country or a.code]
                if found:
                    a = found[0]
                    unknown = UNRESOLVED_NAME if named else "unresolved"
                    return [Actor(text, a.code, a.country, a.sector, text if named else None,
                                  resolved_by=f"{unknown}; apposition '{a.text}': {a.resolved_by}")]
        if named:
            return [Actor(text, resolved_by=UNRESOLVED_NAME)]
        return [Actor(text, resolved_by="unresolved")]

    def _from_entry(self, entry: Entry, head: Token, mention: Mention, text: str) -> Actor:
        name_text = self.doc[mention.start:mention.end].text
        if entry.kind == "capital":
            return Actor(text, _code(entry.country, "GOV"), entry.country, "GOV",
                         resolved_by=f"capital '{name_text}' stands for the {entry.country} government")
        if entry.kind == "metonym":
            return Actor(text, _code(entry.country, entry.sector), entry.country, entry.sector,
                         resolved_by=f"metonym '{name_text}' -> {entry.country} {entry.sector or ''}".rstrip())
        if entry.kind == "area":
            how = f"region '{name_text}' in {entry.country}" + (" (partially recognised)" if entry.sector == "PRE" else "")
            return Actor(text, _code(entry.country, entry.sector), entry.country, entry.sector, resolved_by=how)
        if entry.kind == "city":
            return Actor(text, entry.country, entry.country, None,
                         resolved_by=f"city '{name_text}' in {entry.country}")
        if entry.kind == "org":
            code = entry.actor_code
            via = f" ({entry.source})" if entry.source.startswith("user") else ""
            return Actor(text, code, entry.country, entry.sector, None,
                         resolved_by=f"organisation '{name_text}' -> {code}{via}")
        if entry.kind == "adjective" and self._ethnic(mention):
            # "ethnic Albanians in south Serbia": a people, not the state; the place they act in
            # or the article's country gives them one
            how = f"'ethnic {name_text}': a people, not the state"
            for pobj in prep_objects(head, ("in",)):  # "ethnic Albanians in south Serbia"
                where = [a.country for a in self._resolve(pobj, 1) if a.country]
                if where:
                    return Actor(text, _code(where[0], "CVL"), where[0], "CVL", resolved_by=f"{how}; living in {where[0]}")
            return Actor(text, None, None, "CVL", resolved_by=how)
        kind = "region" if entry.kind == "region" else "country"
        # an adjective used as a head ("the Russians") names the country's people
        sector = None
        return Actor(text, _code(entry.country, sector), entry.country, sector,
                     resolved_by=f"{kind} {entry.kind if entry.kind == 'adjective' else 'name'} "
                                 f"'{name_text}' -> {entry.country}")

    def _role_actor(self, head: Token, role: Role | None, text: str, depth: int) -> list[Actor]:
        sector = role.sector if role else None
        how = [f"role '{role.phrase}' -> {role.sector}"] if role else []
        if role is not None and role.strength == "weak":
            # "a national intelligence agency officer": a more specific role word before a generic one
            for t in sorted(self._left_words(head), reverse=True):
                inner = self.role_at(self.doc[t]) if self.doc[t].pos_ in ("NOUN", "PROPN") else None
                if inner is not None and inner.sector != sector and inner.strength == "strong":
                    sector = inner.sector
                    how.append(f"'{inner.phrase}' -> {inner.sector}")
                    break
        former = sector in OFFICIAL_SECTORS and any(t.lower_ in FORMER for t in head.lefts)
        countries = self._modifier_countries(head)
        # "the director of Russia's Foreign Intelligence Service", "a spokesperson for the president"
        sub: list[Actor] = []
        if depth < 3:
            for prep in head.children:
                owner_to = prep.lower_ == "to" and norm(head.lemma_) in OWNER_TO_ROLES  # "an aide to Barak"
                if prep.dep_ == "prep" and (prep.lower_ in NP_KEEP_PREPS or owner_to):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            sub = [a for a in self._resolve(pobj, depth + 1) if a.known]
                            break
                if sub:
                    break
        if not (sub and sub[0].sector) and role is not None and role.strength == "weak":
            # "the leaders of last week's military coup": the act's modifier says whose leaders
            for g in (g for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
                      if g.dep_ == "pobj"):
                inner = next((r for t in g.children if t.dep_ == "amod" and t.pos_ == "ADJ"  # (not "militia ally")
                              for r in [self.role_at(t)] if r is not None and r.strength == "strong"), None)
                if inner is not None and inner.sector != sector:
                    sector = inner.sector
                    how.append(f"'{inner.phrase} {g.text}' -> {inner.sector}")
                    break
        if sub:
            s = sub[0]
            if not countries and s.country:
                countries = [(s.country, f"of '{s.text}'")]
            if s.sector and (role is None or role.strength == "weak"):
                sector = s.sector
                how.append(f"sector of '{s.text}' -> {s.sector}")
            if not countries and s.code and not s.country:  # an IGO official keeps the role's sector
                return [Actor(text, s.code, None, sector, None,
                              resolved_by="; ".join(how + [f"of '{s.text}' -> {s.code}"]))]
        if not countries and head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN"):
            countries = self._modifier_countries(head.head)  # "U.S. and British aircraft and warships"
        if not countries:
            countries = self._place_countries(head)       # "protesters in Yerevan"
        if not countries and sector in INSTITUTION_SECTORS and depth == 0 and not sub and head.tag_ == "NN" \
                and [c.lower_ for c in head.children if c.dep_ not in ("punct",)] == ["the"]:
            # "the government", "the army" in an article about one country
            salient = self.salient_country(head.i)
            if salient:
                countries = [(salient[0], f"the article's main country {salient[0]} ({salient[1]} mentions)")]
        if not countries:
            org = self._modifier_org(head)
            if org is not None and (role is None or role.strength == "weak" or sector in ARMED_GENERIC
                                    or org.code.startswith(("IGO", "NGO"))):
                # "EU legislators": a specific role keeps its sector inside the body
                own = sector if role is not None and role.strength == "strong" else org.sector
                return [Actor(text, org.code, None, own or org.sector, None,
                              resolved_by="; ".join(how + [f"organisation '{org.phrase}' -> {org.code}"]))]
            if former:
                sector = "ELI"
                how.append("'former' -> ELI")
            return [Actor(text, None, None, sector, None, resolved_by="; ".join(how) or "unresolved")]
        org = self._modifier_org(head, any_org=True)
        if org is not None and org.sector and (role is None or role.strength == "weak" or sector in ARMED_GENERIC):
            sector = org.sector  # "Boko Haram gunmen", "Hamas fighters": the group's sector
            how.append(f"organisation '{org.phrase}' -> {org.sector}")
        if former:
            sector = "ELI"  # "a former CIA official": PLOVER's elites, whatever body they served
            how.append("'former' -> ELI")
        return [Actor(text, _code(c, sector), c, sector, None, resolved_by="; ".join(how + [c_how]))
                for c, c_how in countries]

    def _of_countries(self, head: Token, depth: int) -> list[tuple[str, str]]:
        """The country a thing is "of" ("the legislative body of the Islamic Republic of Iran")."""
        for pobj in prep_objects(head, ("of",)):
            inner = [a for a in self._resolve(pobj, depth + 1) if a.country]
            if inner:
                return [(inner[0].country, f"of '{inner[0].text}'")]
        return []

    def _place_countries(self, head: Token) -> list[tuple[str, str]]:
        """The country of a place the role is located in ("officials in Kyiv", "police in Iraq")."""
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "inside", "across", "throughout"):
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for t in pobj.subtree:
                        m = self.mentions.get(t.i)
                        e = self._pick(m) if m else None
                        if e is not None and e.kind in ("country", "capital", "city", "area") and e.country:
                            return [(e.country, f"located in '{self.doc[m.start:m.end].text}' -> {e.country}")]
        return []

    def _modifier_org(self, head: Token, any_org: bool = False) -> Entry | None:
        """An organisation modifying ``head``: country-less bodies ("EU leaders"), or with
        ``any_org`` any organisation ("Hezbollah fighters", "al-Qaeda's network")."""
        indices = {u.i for t in head.lefts if t.dep_ in ("compound", "amod", "poss", "nmod") for u in t.subtree}
        for i in sorted(indices | self._left_words(head)):
            m = self.mentions.get(i)
            if m:
                e = self._pick(m)
                if e and e.kind in ("org", "metonym") and (any_org or (not e.country and e.code)):
                    return e
        return None

    def _ethnic(self, m: Mention) -> bool:
        """Whether a nationality word names an ethnic group ("ethnic Albanians", "ethnic Turks")."""
        return m.start > 0 and self.doc[m.start - 1].lower_ == "ethnic"

    def _sponsor(self, m: Mention) -> bool:
        """Whether a name is used as a sponsor ("Iranian-backed", "pro-Russian")."""
        doc = self.doc
        after = doc[m.end].text if m.end < len(doc) else ""
        after2 = doc[m.end + 1].lower_ if m.end + 1 < len(doc) else ""
        before = doc[m.start - 1].lower_ if m.start > 0 else ""
        before2 = doc[m.start - 2].lower_ if m.start > 1 else ""
        if after == "-" and after2 in SPONSOR_WORDS:
            return True
        return before in ("pro", "anti", "pro-", "anti-") or (before == "-" and before2 in ("pro", "anti"))

    def _left_words(self, head: Token) -> set[int]:
        """Indices of the words right before ``head`` that modify it whatever the parse says."""
        left = range(self.title_span(self.doc[head.i:head.i + 1]).start, head.i)
        # ... but not a place the clause happens in ("In Brussels Syrian groups used ...")
        outside = [i for i in left if self.doc[i].dep_ == "pobj" and not head.is_ancestor(self.doc[i])]
        return set(i for i in left if not outside or i > max(outside))

    def _modifier_countries(self, head: Token) -> list[tuple[str, str]]:
        """Countries named by modifiers of ``head``, one per conjunct ("Hungarian and Romanian")."""
        found: list[tuple[str, str]] = []
        left = self._left_words(head)
        candidates = sorted({t.i for t in head.subtree} | left)
        for i in candidates:
            t = self.doc[i]
            if t.i == head.i or t.dep_ == "poss" and norm(t.head.lemma_) in RELATION_NOUNS:
                continue  # ("Israel's militia ally", "Russia's ally": another's country)
            anc, ok = t, t.i in left
            while not ok and anc.i != head.i:
                if anc.dep_ not in MODIFIER_DEPS and anc.dep_ not in ("case", "conj", "cc"):
                    break
                anc = anc.head
            else:
                ok = True
            if not ok:
                continue
            m = self.mentions.get(t.i)
            if m and t.i == m.start and (self._sponsor(m) or self._ethnic(m)):
                continue  # "US-backed fighters", "pro-Russian separatists": a sponsor, not their country;
                # "ethnic Albanian guerrillas": a people, not the state
            if m and t.i == m.start:
                e = self._pick(m)
                if e and e.country and e.kind != "person":
                    label = f"{e.kind} '{self.doc[m.start:m.end].text}' -> {e.country}"
                    if e.country not in [c for c, _ in found]:
                        found.append((e.country, label))
                elif e and e.kind == "person" and e.country and (
                        e.valid_on(self.published) or {p.country for p in m.entries} == {e.country}):
                    # ("the Bush administration" undated: whichever Bush, the country is the same)
                    found.append((e.country, f"person '{e.name}' -> {e.country}"))
        return found


def _same_given_names(given: list[str], full_name: str) -> bool:
    """Whether names written before a surname can be the given names of ``full_name``, allowing
    for transliteration ("Mohammed" / "Mohamed", "Jomart" / "Zhomart"): each is close to a word of
    the full name."""
    words = [w for w in re.split(r"[\s\-]+", norm(full_name)) if w]
    return all(any(w[:3] == g[:3] or SequenceMatcher(None, w, g).ratio() >= 0.7 for w in words) for g in given)


@lru_cache(maxsize=None)
def gathering_nouns() -> frozenset[str]:
    """Meetings and accords a city names the place of, not the owner (``actors/data/gatherings.csv``)."""
    with (resources.files("redline.actors") / "data" / "gatherings.csv").open(encoding="utf-8") as f:
        return frozenset(row["word"].lower() for row in csv.DictReader(f))
