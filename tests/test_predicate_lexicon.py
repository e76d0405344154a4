"""The predicate lexicon: well-formed, covering every CAMEO root, unambiguous, extensible."""
from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from redline import ontology
from redline.events.lexicon import HEADER, PredicateLexicon, builtin
from redline.nlp import load

PATH = resources.files("redline.events") / "data" / "predicates.csv"


@pytest.fixture(scope="module")
def rows():
    with PATH.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == HEADER
        return list(reader)


def test_every_row_is_valid(rows):
    known = {c.code for c in ontology.cameo_codes()}
    for row in rows:
        assert row["cameo"] == "none" or row["cameo"] in known, row
        assert row["pos"] in ("VERB", "NOUN"), row
        assert row["role"] in ("", "report", "light", "reverse"), row
        assert row["lemma"] == row["lemma"].lower() and " " not in row["lemma"], row
        if row["role"] == "light":
            assert row["cameo"] == "none", row


def test_all_twenty_roots_are_covered(rows):
    roots = Counter(r["cameo"][:2] for r in rows if r["cameo"] != "none")
    assert sorted(roots) == [f"{i:02d}" for i in range(1, 21)]
    assert min(roots.values()) >= 15, roots


def test_no_ambiguous_rows(rows):
    seen: dict[tuple, str] = {}
    for r in rows:
        key = (r["lemma"], r["pos"], r["particle"], r["prep"], "|".join(sorted(r["object"].split("|"))))
        assert seen.setdefault(key, r["cameo"]) == r["cameo"], key


def test_noun_lemmas_are_what_spacy_produces(rows):
    nlp = load()
    nouns = sorted({r["lemma"] for r in rows if r["pos"] == "NOUN"})
    docs = nlp.pipe(f"They discussed the {n}." for n in nouns)
    wrong = [(n, d[3].lemma_) for n, d in zip(nouns, docs) if d[3].lemma_.lower() != n and d[3].text.lower() == n]
    assert len(wrong) <= len(nouns) // 20, wrong  # the tagger may read a few bare nouns as verbs


def test_most_specific_row_wins():
    lex = builtin()
    assert lex.best("hold", "VERB", [], [], []).role == "light"  # "held talks": the noun decides
    assert lex.best("talk", "NOUN", [], [], []).cameo == "046"
    assert lex.best("fire", "VERB", [], [], ["staff"]).cameo is None
    assert lex.best("threaten", "VERB", [], [], ["attack"]).cameo.startswith("138")
    assert lex.best("threaten", "VERB", [], [], []).cameo == "130"
    assert lex.best("strike", "VERB", [], [], ["deal"]).cameo == "057"
    assert lex.best("call", "VERB", [], ["on"], []).cameo[:2] == "02"


def test_user_rows_extend_the_lexicon(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text(",".join(HEADER) + "\n186,defenestrate,VERB,,,,,defenestrate = assassinate\n")
    lex = PredicateLexicon()
    lex.add_file(extra)
    assert lex.best("defenestrate", "VERB", [], [], []).cameo == "186"


@pytest.mark.parametrize("line, field", [
    ("999,frobnicate,VERB,,,,,", "cameo"),
    ("190,attack,ADJ,,,,,", "pos"),
    ("190,attack,VERB,,,,maybe,", "role"),
    ("190,,VERB,,,,,", "lemma"),
])
def test_bad_user_rows_name_the_line_and_field(tmp_path, line, field):
    extra = tmp_path / "bad.csv"
    extra.write_text(",".join(HEADER) + "\n186,defenestrate,VERB,,,,,ok\n" + line + "\n")
    with pytest.raises(ValueError) as err:
        PredicateLexicon().add_file(extra)
    assert f"line 3: field '{field}'" in str(err.value)


def test_bad_header_is_refused(tmp_path):
    extra = tmp_path / "bad.csv"
    extra.write_text("code,verb\n190,attack\n")
    with pytest.raises(ValueError, match="line 1: header"):
        PredicateLexicon().add_file(extra)


def test_a_row_with_more_fields_than_the_header_is_refused(tmp_path):
    # an unquoted note holding commas: the file and line are named, not a Python error
    extra = tmp_path / "bad.csv"
    extra.write_text(",".join(HEADER) + "\n186,defenestrate,VERB,,,,,assassinate, by window\n")
    with pytest.raises(ValueError, match=r"bad.csv: line 2: 1 field\(s\) more than the header"):
        PredicateLexicon().add_file(extra)


def test_the_shipped_data_files_load():
    # every data file the coder reads at start-up parses and names known CAMEO codes
    from redline.events.lexicon import (event_anaphors, intent_table, occurrence_verbs, reciprocal_table,
                                        stative_participles, topic_verbs)
    from redline.events.stance import acts
    assert {"move", "decision"} <= event_anaphors() and "discuss" in topic_verbs()
    assert "commit" in stative_participles() and "erupt" in occurrence_verbs()
    codes, lemmas = reciprocal_table()
    assert "057" in codes and "agree" in lemmas
    assert [a.code for a in acts()][:2] == ["138", "130"] and intent_table()["future"]["18"] == "138"
