"""Tests for the CAMEO / PLOVER tables in redline.ontology."""
from __future__ import annotations

import csv
import re

import pytest

from redline import ontology
from redline.ontology import tables

PLOVER_NAMES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT"}
HEADER = ",".join(tables.CAMEO_FIELDS)


@pytest.fixture
def fresh_cameo():
    """Reload the CAMEO table after a test that extends it."""
    tables._cameo_table.cache_clear()
    yield
    tables._cameo_table.cache_clear()


def test_roots():
    roots = ontology.cameo_roots()
    assert [r.code for r in roots] == [f"{i:02d}" for i in range(1, 21)]
    assert ontology.cameo("19").name == "FIGHT"
    assert ontology.cameo("19").plover == ontology.cameo("190").plover == "ASSAULT"
    assert ontology.cameo("01").plover is None


def test_every_code_is_well_formed():
    codes = ontology.cameo_codes()
    assert 300 <= len(codes) <= 320
    assert [c.code for c in codes] == sorted(c.code for c in codes)
    assert len({c.code for c in codes}) == len(codes)
    known = {t.name for t in ontology.plover_types()}
    for c in codes:
        assert re.fullmatch(r"\d{2,4}", c.code)
        assert c.root == c.code[:2]
        assert isinstance(c.goldstein, float) and -10 <= c.goldstein <= 10
        assert c.quad_class == tables.root_quad_class(c.root)
        assert c.plover in known or (c.plover is None and c.root in ("01", "02"))
        if c.plover_mode is not None:
            assert c.plover_mode in ontology.plover(c.plover).modes


@pytest.mark.parametrize("root, quad", [("01", 1), ("05", 1), ("06", 2), ("08", 2),
                                        ("09", 3), ("13", 3), ("14", 4), ("20", 4)])
def test_quad_classes_follow_roots(root, quad):
    assert all(c.quad_class == quad for c in ontology.cameo_codes() if c.root == root)
    assert ontology.quad_class(root) == quad


def test_known_facts():
    fight = ontology.cameo("190")
    assert (fight.plover, fight.quad_class, fight.goldstein) == ("ASSAULT", 4, -10.0)
    assert (ontology.cameo("042").plover, ontology.cameo("042").plover_mode) == ("CONSULT",
                                                                                 "visit")
    assert ontology.cameo("163").plover == "COERCE"
    assert ontology.cameo("1712").plover == "ASSAULT"
    assert ontology.cameo("191").plover == "COERCE"
    assert ontology.cameo("201").plover_mode == "cleansing"
    assert ontology.cameo("130").goldstein == -4.4
    assert ontology.cameo("084").plover == "RETREAT"
    assert ontology.cameo("081").plover == "CONCEDE"
    assert ontology.cameo("091").plover_context == "crime;corruption"
    assert ontology.cameo("0841").name == "Return, release person(s)"
    assert ontology.cameo("026").plover is None
    assert ontology.cameo(" 190 ") == fight


def test_unknown_code():
    with pytest.raises(KeyError, match="unknown CAMEO code '999'"):
        ontology.cameo("999")
    with pytest.raises(KeyError):
        ontology.quad_class("21")


def test_plover_types():
    types = ontology.plover_types()
    assert {t.name for t in types} == PLOVER_NAMES and len(types) == 16
    assert ontology.plover("SANCTION").quad_class == 4
    assert ontology.plover("ACCUSE").score < 0
    assert ontology.plover("ASSAULT").score == -9
    assert ontology.plover("AID").quad_class == 2
    assert ontology.plover("REQUEST").quad_class == 3
    assert all(t.description for t in types)


def test_plover_aliases():
    assert ontology.plover("demand").name == "REQUEST"
    assert ontology.plover("Fight").name == "ASSAULT"
    assert ontology.plover("DISAPPROVE").name == "ACCUSE"
    assert ontology.normalize_plover("INVESTIGATE") == ("ACCUSE", "investigate")
    assert ontology.normalize_plover("crime") == (None, None)
    assert ontology.normalize_plover("none") == (None, None)
    with pytest.raises(KeyError):
        ontology.plover("CRIME")
    with pytest.raises(KeyError):
        ontology.plover("NEGOTIATE")


def test_plover_scores():
    assert ontology.plover_score("CONSULT") == 2.5
    assert ontology.plover_score("CONSULT", "visit") == 4
    assert ontology.plover_score("consult", "Phone") == 1.5
    assert ontology.plover_score("ASSAULT", "massacre") == -9  # no own score: type score
    assert ontology.plover_score("DISAPPROVE") == -2
    with pytest.raises(KeyError):
        ontology.plover_score("CONSULT", "riot")


@pytest.mark.parametrize("code, expected", [
    ("01", 0), ("0214", 0), ("03", 1), ("057", 1), ("060", 2), ("0874", 2), ("090", 3),
    ("139", 3), ("14", 4), ("154", 4), ("163", 3), ("170", 4), ("2042", 4), (None, None),
])
def test_pentaclass(code, expected):
    assert ontology.pentaclass(code) == expected


# where the PLOVER codebook overrides the 2021 mapping (ontology/tables.py): code -> (mode, contexts)
CODEBOOK_FIXES = {"085": (None, "economic"), "1321": ("rights", "human_rights"), "1712": ("destroy", "human_security"),
                  "175": (None, "pro_autocracy;repression")}
CONTEXT_RENAMES = {"democracy": "pro_democracy", "humanitarian": "human_security"}
# modes of the manual's mode tables (ASSAULT, PROTEST, COERCE; Table 2.2) that the structured codebook lacks
MANUAL_ONLY_MODES = {("ASSAULT", "targeted"), ("PROTEST", "vandalize"), ("COERCE", "martial-law")}


def test_mapping_agrees_with_reference(shared):
    path = shared / "reference" / "CAMEO2PLOVER-2021.txt"
    checked = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*(\d{3,4})\s*:([^#]*)", line)
        if not match:
            continue
        kind, mode, context = ([p.strip() for p in match.group(2).split(",")] + ["", ""])[:3]
        entry = ontology.cameo(match.group(1))
        assert entry.plover == kind.upper(), line
        contexts = ";".join(CONTEXT_RENAMES.get(c.strip(), c.strip()) for c in context.split(";") if c.strip()) or None
        expected = CODEBOOK_FIXES.get(entry.code, (mode.lower() or None, contexts))
        assert (entry.plover_mode, entry.plover_context) == expected, line
        checked += 1
    assert checked > 250


def test_modes_are_the_plover_codebooks(shared):
    """Every mode Redline knows or maps a CAMEO code to is a mode of its type in the PLOVER
    codebook, and every codebook mode is known: 175 is not ``pro_autocracy`` (a context), 1712
    (destroy property) is not ``seize``, RETREAT has no ``ease``."""
    with (shared / "reference" / "PLOVER_structured_codebook_updated.csv").open(encoding="utf-8") as f:
        codebook = {(r["event"].strip(), r["mode"].strip()) for r in csv.DictReader(f) if r["mode"].strip()}
    known = {(t.name, m) for t in ontology.plover_types() for m in t.modes}
    assert known == codebook | MANUAL_ONLY_MODES, (known - codebook, codebook - known)
    mapped = {(c.plover, c.plover_mode) for c in ontology.cameo_codes() if c.plover_mode}
    assert mapped <= codebook | MANUAL_ONLY_MODES, mapped - codebook
    assert ontology.cameo("175").plover_mode is None and "pro_autocracy" in ontology.cameo("175").plover_context
    assert ontology.cameo("1712").plover_mode == "destroy"
    assert all(c.plover_mode not in ("ease", "pro_autocracy") for c in ontology.cameo_codes())


def test_contexts_are_the_manuals():
    contexts = {c for e in ontology.cameo_codes() if e.plover_context for c in e.plover_context.split(";")}
    assert contexts <= tables._context_names() and len(tables._context_names()) == 37
    with pytest.raises(ValueError, match="plover_context.*'humanitarian' is not a PLOVER context"):
        tables._cameo_entry({"code": "073", "name": "Provide aid", "root": "07", "goldstein": "7", "quad_class": "2",
                             "plover": "AID", "plover_mode": "", "plover_context": "humanitarian"}, "x.csv, line 2")


def test_goldstein_agrees_with_reference(shared):
    path = shared / "reference" / "cameo-codes.csv"
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        assert ontology.cameo(row["code"]).goldstein == float(row["goldstein"]), row["code"]
    assert len(ontology.cameo_codes()) == len(rows) + 1  # + 1214, missing from the list


def test_load_extra_cameo(tmp_path, fresh_cameo):
    extra = tmp_path / "extra.csv"
    extra.write_text(f"{HEADER}\n"
                     "1901,Fight with drones,19,-10,4,ASSAULT,,military\n"
                     '042,"Make a visit (official)",04,2,1,CONSULT,visit,\n')
    ontology.load_extra_cameo(extra)
    assert ontology.cameo("1901").plover == "ASSAULT"
    assert ontology.cameo("042").goldstein == 2.0
    assert ontology.cameo("1901") in ontology.cameo_codes()


@pytest.mark.parametrize("row, field", [
    ("1901,Fight,19,-11,4,ASSAULT,,", "goldstein"),
    ("1901,Fight,19,lots,4,ASSAULT,,", "goldstein"),
    ("1901,Fight,18,-10,4,ASSAULT,,", "root"),
    ("1901,Fight,19,-10,2,ASSAULT,,", "quad_class"),
    ("1901,Fight,19,-10,4,BRAWL,,", "plover"),
    ("1901,Fight,19,-10,4,ASSAULT,dance,", "plover_mode"),
    ("19x1,Fight,19,-10,4,ASSAULT,,", "code"),
])
def test_malformed_extra_file(tmp_path, fresh_cameo, row, field):
    extra = tmp_path / "bad.csv"
    extra.write_text(f"{HEADER}\n1902,Fine,19,-10,4,ASSAULT,,\n{row}\n")
    with pytest.raises(ValueError, match=rf"bad\.csv, line 3, field '{field}'"):
        ontology.load_extra_cameo(extra)
    with pytest.raises(KeyError):  # nothing from a bad file is applied
        ontology.cameo("1902")


def test_malformed_extra_header(tmp_path):
    extra = tmp_path / "bad.csv"
    extra.write_text("code,name,goldstein\n190,Fight,-10\n")
    with pytest.raises(ValueError, match=r"bad\.csv, line 1: header"):
        ontology.load_extra_cameo(extra)
