"""The one read model: Filters from a mapping (CLI options, rule fields, query strings), validated
the same way everywhere, and its SQL on a store of coded sentences written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import run_cli
from redline.store.query import PARAMETERS, FilterError, Filters

SENTENCES = [
    ("f1", "2024-03-03", "Russian troops shelled the Ukrainian city of Kharkiv on Sunday."),
    ("f2", "2024-03-10", "Ukraine's foreign minister condemned Russia on Sunday for the strikes."),
    ("f3", "2024-04-02", "France said on Tuesday that it would send military advisers to Ukraine."),
    ("f4", "2024-04-20", "The Kremlin warned Finland on Saturday that joining NATO would have consequences."),
    ("f5", "2024-05-05", "According to Ukrainian officials, Russian soldiers detained two journalists in Kherson on Sunday."),
    ("f6", "2024-05-06", "Poland will send more tanks to Ukraine next month, its defence minister said on Monday."),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, coder):
    from redline.schema import Document
    from redline.store import Store, coded_rows
    path = tmp_path_factory.mktemp("filters") / "f.duckdb"
    docs = [Document(id=i, text=t, date=date.fromisoformat(d), origin=i) for i, d, t in SENTENCES]
    with Store(path) as s:
        s.add([coded_rows(d, e) for d, e in coder.code_documents(docs)])
    with Store(path, read_only=True) as s:
        yield s


def keys(store, filters: Filters) -> set[tuple]:
    where, params = filters.where()
    return {tuple(r) for r in store.sql(
        f"SELECT source_country, plover, target_country FROM events WHERE {where}", params).fetchall()}


def test_the_store_holds_the_events_the_filters_are_tested_on(store):
    everything = keys(store, Filters())
    assert ("RUS", "ASSAULT", "UKR") in everything
    assert any(s == "UKR" and t == "RUS" for s, _, t in everything)
    assert any(s == "RUS" and p == "THREATEN" and t == "FIN" for s, p, t in everything)


def test_dyad_actor_and_direction(store):
    forward = keys(store, Filters.from_mapping({"dyad": "RUS:UKR"}))
    assert forward and all(s == "RUS" and t == "UKR" for s, _, t in forward)
    both = keys(store, Filters.from_mapping({"dyad": "RUS:UKR", "undirected": "true"}))
    assert forward < both and any(s == "UKR" for s, _, _ in both)
    either = keys(store, Filters.from_mapping({"actor": "FIN"}))
    assert either and all("FIN" in (s, t) for s, _, t in either)
    assert keys(store, Filters.from_mapping({"source": "RUS"})) == \
        {k for k in keys(store, Filters()) if k[0] == "RUS"}


def test_a_group_counts_members_only_while_they_belonged(store):
    # Finland joined NATO on 2023-04-04, before these events: a threat towards it is towards NATO
    assert ("RUS", "THREATEN", "FIN") in keys(store, Filters.from_mapping({"target": "NATO"}))
    early = Filters.from_mapping({"target": "NATO", "to": "2023-01"})
    assert not keys(store, early)


def test_kind_filters_plover_cameo_root_and_quad(store):
    assault = keys(store, Filters.from_mapping({"type": "ASSAULT"}))
    assert assault and {p for _, p, _ in assault} == {"ASSAULT"}
    assert keys(store, Filters.from_mapping({"root": "19"})) <= keys(store, Filters.from_mapping({"quad": "4"}))
    assert keys(store, Filters.from_mapping({"type": "ASSAULT,THREATEN"})) >= assault
    conflict = keys(store, Filters.from_mapping({"quad": "verbal_conflict,material_conflict"}))
    assert assault <= conflict and not any(p == "AID" for _, p, _ in conflict)


def test_dates_modality_text_country_and_reporter(store):
    march = keys(store, Filters.from_mapping({"from": "2024-03", "to": "2024-03"}))
    april = keys(store, Filters.from_mapping({"from": "2024-04-01", "to": "2024-04-30"}))
    assert march and april and not march & april
    assert keys(store, Filters.from_mapping({"text": "KHARKIV"})) == {("RUS", "ASSAULT", "UKR")}
    assert not keys(store, Filters.from_mapping({"text": "100%"}))  # % is a character, not a wildcard
    assert keys(store, Filters.from_mapping({"country": "FIN"})) == {("RUS", "THREATEN", "FIN")}
    told = keys(store, Filters.from_mapping({"reported_by": "UKR"}))
    own = keys(store, Filters.from_mapping({"reported_by": "none"}))
    assert told and ("RUS", "ASSAULT", "UKR") in own
    where, params = Filters.from_mapping({"factual": True}).where()
    modalities = {r[0] for r in store.sql(f"SELECT modality FROM events WHERE {where}", params).fetchall()}
    assert modalities == {"factual"}
    assert store.sql("SELECT count(DISTINCT modality) FROM events").fetchall()[0][0] > 1


@pytest.mark.parametrize("values, parameter, problem", [
    ({"dyad": "RUS"}, "dyad", "must be SOURCE:TARGET"),
    ({"dyad": "RUS:UKR", "actor": "FRA"}, "dyad", "not both"),
    ({"type": "THREAT"}, "type", "neither a PLOVER type nor a CAMEO code"),
    ({"types": ["99"]}, "types", "not a CAMEO code"),
    ({"root": "21"}, "root", "not a CAMEO root"),
    ({"quad": "5"}, "quad", "not a quad class"),
    ({"modality": "maybe"}, "modality", "not one of factual"),
    ({"country": "Russia"}, "country", "not a country code"),
    ({"where": "RU"}, "where", "not a country code"),
    ({"from": "2024-02-30"}, "from", "not a date"),
    ({"from": "2024-05-01", "to": "2024-04-01"}, "from", "after"),
    ({"min_mentions": "0"}, "min_mentions", "whole number"),
    ({"undirected": "perhaps"}, "undirected", "not true or false"),
    ({"actor": "Russia!"}, "actor", "not an actor code"),
    ({"text": "x" * 500}, "text", "longer than"),
    ({"colour": "red"}, "colour", "not a filter"),
])
def test_bad_values_name_the_parameter(values, parameter, problem):
    with pytest.raises(FilterError) as caught:
        Filters.from_mapping(values)
    assert caught.value.parameter == parameter and problem in caught.value.problem


def test_cli_options_and_rule_fields_give_the_same_errors(tmp_path, store):
    ran = run_cli("query", "--db", str(tmp_path / "none.duckdb"), "--type", "THREAT")
    assert ran.returncode == 2 and "--type: 'THREAT' is neither a PLOVER type" in ran.stderr.decode()
    from redline.analytics.watch import RuleError, load_rules
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: r\n    types: [THREAT]\n", encoding="utf-8")
    with pytest.raises(RuleError, match="field 'types': 'THREAT' is neither a PLOVER type"):
        load_rules(rules)


def test_every_parameter_is_documented_and_round_trips():
    assert all(text.endswith(".") for text in PARAMETERS.values())
    f = Filters.from_mapping({"dyad": "RUS:NATO", "undirected": True, "type": "THREATEN,19", "quad": "4",
                              "modality": "factual,future", "reported_by": "UKR,none", "country": "UKR",
                              "place": "Kharkiv", "from": "2024", "to": "2024-06", "text": "strike",
                              "min_mentions": 2})
    assert f.end == date(2024, 6, 30) and f.start == date(2024, 1, 1)
    assert Filters.from_mapping(f.to_mapping()) == f
    assert f.label == "RUS <-> NATO"


# -- typed reads (store/read.py) -------------------------------------------------------------------
def test_cursor_pages_cover_every_event_once_in_order(store):
    from redline.store.read import events
    everything = store.sql("SELECT count(*) FROM events").fetchall()[0][0]
    for sort in ("-date", "date", "goldstein", "-n_mentions"):
        seen, cursor, values = [], None, []
        while True:
            page = events(store, Filters(), fields=["date", "goldstein"], sort=sort, after=cursor, limit=2, total=True)
            assert page.total == everything and len(page.rows) <= 2
            seen += [r["event_key"] for r in page.rows]
            values += [r[sort.lstrip("-")] for r in page.rows if sort.lstrip("-") in r]
            cursor = page.next
            if cursor is None:
                break
        assert sorted(seen) == sorted(set(seen)) and len(seen) == everything
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=sort.startswith("-"))


@pytest.mark.parametrize("kwargs, parameter", [
    ({"sort": "colour"}, "sort"), ({"fields": ["evidence", "secret"]}, "fields"), ({"limit": 0}, "limit"),
    ({"limit": 5000}, "limit"), ({"after": "not-a-cursor"}, "after"), ({"after": "WyJ4Il0"}, "after"),
])
def test_bad_read_parameters_name_the_parameter(store, kwargs, parameter):
    from redline.store.read import ReadError, events
    with pytest.raises(ReadError) as caught:
        events(store, Filters(), **kwargs)
    assert caught.value.parameter == parameter


def test_one_event_comes_with_its_mentions_and_documents(store):
    from redline.store.read import event, events
    (row,) = events(store, Filters.from_mapping({"text": "Kharkiv"})).rows
    found = event(store, row["event_key"])
    assert found["mentions"] and found["mentions"][0]["evidence"].startswith("Russian troops shelled")
    assert found["mentions"][0]["span_start"] >= 0 and found["mentions"][0]["explanation"]
    assert [d["doc_id"] for d in found["documents"]] == ["f1"]
    assert event(store, "no-such-event") is None


def test_actor_dyad_facet_and_activity_summaries(store):
    from redline.store.read import activity, actors, dyads, facets
    top = actors(store, top=3)
    assert top[0]["n_events"] >= top[-1]["n_events"] and top[0]["as_source"] + top[0]["as_target"] == top[0]["n_events"]
    assert {"source": "RUS", "target": "UKR"}.items() <= dyads(store)[0].items()
    plover = {f["value"]: f["n"] for f in facets(store, Filters())["plover"]}
    assert plover["ASSAULT"] == 1 and plover["THREATEN"] == 1
    months = {r["period"].month: r["events"] for r in activity(store, freq="month")}
    assert months[3] == 2 and months[4] == 2
