"""Faster stand-ins for two of the model's rule components, with the same output token for token.

spaCy's ``attribute_ruler`` runs a Matcher of 179 patterns over every token, and its rule
``lemmatizer`` recomputes most lemmas (it caches only some); together they cost about a quarter
of the parse. Almost every pattern looks at one token only (its TAG, LOWER, DEP, IS_SPACE), so what
they set on a token is a function of those four values, worked out once per distinct value and
remembered; the few patterns that span two tokens still run through a Matcher, and their results
are applied in the ruler's own order (a later pattern wins). A lemma is a function of the token's
text, POS and morphology, so it too is remembered once worked out by the lemmatizer itself.

:func:`install` puts one ``redline_rules`` component in place of the two (they stay in the
pipeline, disabled, and do the work whenever this one has not seen a case yet).
"""

import copy
import re
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.matcher import Matcher
from spacy.tokens import Doc, MorphAnalysis

NAME = "redline_rules"
REPLACED = ("attribute_ruler", "lemmatizer")
KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # what a one-token pattern may look at (else it stays a Matcher's)
MAX_REMEMBERED = 500_000  # lemmas remembered before the table is started afresh (memory stays bounded)


UNNAMED = -1  # the case of a TAG, LOWER or DEP that no one-token pattern names


class _Test:
    """A pattern's test of one attribute: a plain value, IN or NOT_IN."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, (str, bool)):
            self.values, self.inside = {value}, True
        elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN"):
            (op, items), = value.items()
            self.values, self.inside = set(items), op == "IN"
        else:
            raise ValueError(f"not a plain, IN or NOT_IN test: {value!r}")

    def __call__(self, value: Any) -> bool:
        return (value in self.values) == self.inside


class RulesComponent:
    """The attribute ruler and the lemmatizer of a pipeline, as one component with their output."""

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        ruler, self.lemmatizer = (nlp.get_pipe(name) for name in REPLACED)
        self.attrs: list[dict] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        self.single: list[tuple[int, list[dict]]] = []  # (rule id, its alternatives as {attribute: test})
        self.multi = Matcher(self.vocab)
        self.lowers: set[str] = set()  # the LOWER values one-token patterns name: any other is one case
        # the Matcher of the longer patterns runs only on a Doc with a token that one of them needs
        # (a LOWER or DEP value it names); None: some pattern needs none of them, always run it
        self.triggers: dict[str, set[str]] | None = {"LOWER": set(), "DEP": set()}
        self.lower_patterns: list[re.Pattern] = []  # LOWER REGEX triggers
        for rule, pattern in enumerate(ruler.patterns):
            tests = [self._one_token(alternative) for alternative in pattern["patterns"]]
            if all(t is not None for t in tests) and self.indices[rule] in (0, -1):
                self.single.append((rule, tests))
                for alternative in pattern["patterns"]:
                    value = alternative[0].get("LOWER")
                    self.lowers.update([value] if isinstance(value, str) else
                                       next(iter(value.values())) if isinstance(value, dict) else [])
            else:
                self.multi.add(str(rule), pattern["patterns"])
                for alternative in pattern["patterns"]:
                    self._add_trigger(alternative)
        # a value no pattern names behaves as any other such value: one case for all of them
        named: dict[str, set[str]] = {"TAG": set(), "DEP": set()}
        for _, alternatives in self.single:
            for tests in alternatives:
                for key in named:
                    if key in tests:
                        named[key].update(tests[key].values)
        self.lower_ids = {self.vocab.strings.add(lower) for lower in self.lowers}
        self.trigger_ids = {key: {self.vocab.strings.add(v) for v in values}
                            for key, values in (self.triggers or {}).items()}
        self.tag_ids = {self.vocab.strings.add(t) for t in named["TAG"]}
        self.dep_ids = {self.vocab.strings.add(d) for d in named["DEP"]}
        self.by_case: dict[tuple, tuple[tuple[int, dict], ...]] = {}
        self.by_tag: dict[tuple, list] = {}  # case -> (rule, attrs) that apply
        self.lemmas: dict[tuple[int, int, int], int] = {}
        self.lemmatize = _quick_lemmatize(self.lemmatizer)
        self.morphs: dict[int, MorphAnalysis] = {}
        self.overwrite = bool(getattr(self.lemmatizer, "overwrite", False))

    def _add_trigger(self, alternative: list[dict]) -> None:
        if self.triggers is None:
            return
        for spec in alternative:
            for key in ("LOWER", "DEP"):
                value = spec.get(key)
                if isinstance(value, str) or (isinstance(value, dict) and list(value) == ["IN"]):
                    self.triggers[key].update([value] if isinstance(value, str) else value["IN"])
                    return
                if key == "LOWER" and isinstance(value, dict) and list(value) == ["REGEX"]:
                    self.lower_patterns.append(re.compile(value["REGEX"]))  # (the Matcher's re.search)
                    return
        self.triggers = None

    @staticmethod
    def _one_token(alternative: list[dict]) -> dict | None:
        if len(alternative) != 1 or not set(alternative[0]) <= set(KEYS):
            return None
        try:
            return {key: _Test(value) for key, value in alternative[0].items()}
        except ValueError:
            return None

    def _rules_for(self, case: tuple) -> tuple[tuple[int, dict], ...]:
        """The one-token rules matching a token of this (TAG, LOWER, DEP, IS_SPACE) (string ids, or
        UNNAMED), in rule order."""
        found = self.by_case.get(case)
        if found is None:
            strings = self.vocab.strings

            def text(value: int) -> Any:
                return UNNAMED if value == UNNAMED else strings[value] if value else ""
            tag, lower, dep, space = case
            values = {"TAG": text(tag), "LOWER": text(lower), "DEP": text(dep), "IS_SPACE": bool(space)}
            candidates = self.by_tag.get((tag, space))
            if candidates is None:  # the rules whose TAG and IS_SPACE tests this token passes
                candidates = self.by_tag[(tag, space)] = [
                    (rule, alternatives) for rule, alternatives in self.single
                    if any(all(test(values[key]) for key, test in tests.items() if key in ("TAG", "IS_SPACE"))
                           for tests in alternatives)]
            found = tuple((rule, self.attrs[rule]) for rule, alternatives in candidates
                          if any(all(test(values[key]) for key, test in tests.items()) for tests in alternatives))
            self.by_case[case] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        strings = self.vocab.strings
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        extra: dict[int, list[tuple[int, dict]]] = {}
        lowers_in, deps_in = {row[1] for row in rows}, {row[2] for row in rows}
        needed = self.triggers is None or not lowers_in.isdisjoint(self.trigger_ids["LOWER"]) \
            or not deps_in.isdisjoint(self.trigger_ids["DEP"]) \
            or any(p.search(strings[lower]) for lower in lowers_in for p in self.lower_patterns)
        for match_id, start, end in (self.multi(doc, allow_missing=True) if needed else ()):
            rule = int(strings[match_id])
            at = (start if self.indices[rule] >= 0 else end) + self.indices[rule]
            if not start <= at < end:
                raise ValueError(f"attribute rule {rule}: index {self.indices[rule]} outside its match")
            extra.setdefault(at, []).append((rule, self.attrs[rule]))
        lowers, tags, deps = self.lower_ids, self.tag_ids, self.dep_ids
        for i, (tag, lower, dep, space) in enumerate(rows):
            case = (tag if tag in tags or not tag else UNNAMED, lower if lower in lowers else UNNAMED,
                    dep if dep in deps or not dep else UNNAMED, space)
            rules = self.by_case.get(case)
            if rules is None:
                rules = self._rules_for(case)
            if i in extra:
                rules = tuple(sorted((*rules, *extra[i]), key=lambda r: r[0]))
            if rules:
                self._set(doc[i], rules)
        self._lemmatize(doc)
        return doc

    def _set(self, token, rules) -> None:
        for _, attrs in rules:
            for attr, value in attrs.items():
                if attr == POS:
                    token.pos = value
                elif attr == TAG:
                    token.tag = value
                elif attr == DEP:
                    token.dep = value
                elif attr == LEMMA:
                    token.lemma = value
                elif attr == MORPH:
                    morph = self.morphs.get(value)
                    if morph is None:
                        token.set_morph(value)
                        morph = self.morphs[value] = token.morph
                    else:
                        token.set_morph(morph)
                else:
                    raise ValueError(f"attribute rule sets {attr}, which {NAME} does not handle")

    def _lemmatize(self, doc: Doc) -> None:
        if len(self.lemmas) > MAX_REMEMBERED:
            self.lemmas.clear()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if not self.overwrite and lemma != 0:
                continue
            found = self.lemmas.get((orth, pos, morph))
            if found is None:
                found = self.vocab.strings.add(self.lemmatize(doc[i])[0])
                if pos:  # (no POS: the lemmatizer warns each time; leave it to)
                    self.lemmas[(orth, pos, morph)] = found
            lemmas[i] = found
        if len(doc):
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))


def _quick_lemmatize(lemmatizer):
    """The lemmatizer's own ``lemmatize``, on a copy whose word index per part of speech is a
    set (spaCy keeps lists there and tests words against them one by one; a set gives the same
    answers). Lemmatizers of other modes are used as they are."""
    if getattr(lemmatizer, "mode", None) != "rule" or "lemma_index" not in lemmatizer.lookups.tables:
        return lemmatizer.lemmatize
    quick = copy.copy(lemmatizer)
    quick.cache = {}
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        lookups.add_table(name, {key: frozenset(value) if name == "lemma_index" else value
                                 for key, value in table.items()})
    quick.lookups = lookups
    return quick.rule_lemmatize


@Language.factory(NAME)
def make_rules(nlp: Language, name: str) -> RulesComponent:
    """The ``redline_rules`` component of ``nlp`` (built from its attribute ruler and lemmatizer)."""
    return RulesComponent(nlp)


def install(nlp: Language) -> Language:
    """Run ``redline_rules`` in place of the attribute ruler and the lemmatizer (which are kept,
    disabled); a pipeline without both is left as it is."""
    if not all(name in nlp.pipe_names for name in REPLACED):
        return nlp
    nlp.add_pipe(NAME, before=REPLACED[0])
    for name in REPLACED:
        nlp.disable_pipe(name)
    return nlp
