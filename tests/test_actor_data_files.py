"""Every actor data file (people*, organisations*, regions) is well formed and consistent."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "redline" / "actors" / "data"
SECTORS = {"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS", "CRM",
           "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"}
KINDS = {"igo", "ngo", "agency", "armed_group", "party", "media", "company"}
COUNTRIES = {r["code"] for r in csv.DictReader((DATA / "countries.csv").open(encoding="utf-8"))}


def rows(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def day(value: str) -> date:
    value = value + "-01-01" if len(value) == 4 else value + "-01" if len(value) == 7 else value
    return date.fromisoformat(value)


@pytest.mark.parametrize("path", sorted(DATA.glob("people*.csv")), ids=lambda p: p.name)
def test_people_files(path):
    header, data = rows(path)
    assert header == ["name", "aliases", "country", "sector", "role", "start", "end", "code"]
    assert len(data) > 100
    for r in data:
        assert r["name"].strip(), r
        assert not r["country"] or r["country"] in COUNTRIES, r
        assert r["country"] or r["code"].startswith(("IGO", "NGO")) or not r["sector"], r
        assert not r["sector"] or r["sector"] in SECTORS, r
        if r["start"] and r["end"]:
            assert day(r["start"]) <= day(r["end"]), r
        elif r["start"]:
            day(r["start"])


@pytest.mark.parametrize("path", sorted(DATA.glob("organisations*.csv")), ids=lambda p: p.name)
def test_organisation_files(path):
    header, data = rows(path)
    assert header == ["name", "aliases", "code", "country", "sector", "kind", "note"]
    for r in data:
        assert re.fullmatch(r"(?:[A-Z]{3}){2,3}", r["code"]), r
        assert r["kind"] in KINDS, r
        assert not r["sector"] or r["sector"] in SECTORS, r
        if r["country"]:
            assert r["country"] in COUNTRIES and r["code"].startswith(r["country"]), r


def test_organisation_names_are_unique_across_files():
    owner: dict[str, str] = {}
    for path in sorted(DATA.glob("organisations*.csv")):
        for r in rows(path)[1]:
            for form in [r["name"], *[a for a in r["aliases"].split("|") if a]]:
                key = form.strip().lower()
                # one name, one code: the same body may appear twice, two bodies may not share a name
                assert owner.setdefault(key, r["code"]) == r["code"], (form, path.name, owner[key])


def test_regions_file():
    header, data = rows(DATA / "regions.csv")
    assert header == ["name", "aliases", "country", "sector", "note"]
    assert len(data) > 300
    for r in data:
        assert r["country"] in COUNTRIES, r
        assert r["sector"] in ("", "PRE"), r


def test_all_tables_load_into_the_lexicon():
    from redline.actors import builtin
    lex = builtin()
    assert len(lex.phrases) > 20000
    assert lex.anaphora["alliance"] == "igo"
