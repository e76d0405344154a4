"""Events the coder used to miss (issue 15): acts undergone by a named person with no doer named,
bombs as subjects, places taken, protests by groups the tables did not know. Sentences are our own."""
from __future__ import annotations

import pytest

import redline

DATE = "2024-03-21"


def code(text: str) -> list[dict]:
    """The events of ``text`` as dicts, each with its trigger word."""
    return [{**e.to_dict(), "word": e.trigger.split(":", 1)[1]} for e in redline.code(text, date=DATE)]


def on(events: list[dict], word: str) -> list[dict]:
    return [e for e in events if e["word"] == word]


@pytest.mark.parametrize("text, word, root, victim", [
    ("Ahmed Karimi was captured in Pakistan in 2004.", "captured", "17", "Ahmed Karimi"),
    ("Maria Lopez was shot three times outside her home in Medellin on Monday.", "shot", "19", "Maria Lopez"),
])
def test_an_act_undergone_by_a_named_person_is_coded_without_a_doer(text, word, root, victim):
    [e] = on(code(text), word)
    assert e["cameo_root"] == root and e["source"] is None
    assert e["target"]["text"] == victim and e["target"]["country"] is None  # a person's country is not the place's
    assert e["location"] is not None and e["location"]["source"] == "clause"


@pytest.mark.parametrize("text", [
    "The lawyer, whose brother was shot in Medellin, spoke to reporters.",  # describes someone
    "Ahmed Karimi could have been captured in Pakistan.",                    # not factual
])
def test_no_event_for_a_described_or_possible_act(text):
    assert not [e for e in code(text) if e["cameo_root"] in ("17", "19") and e["source"] is None
                and (e["target"] or {}).get("name")]


@pytest.mark.parametrize("text, word, country", [
    ("The three were killed in an ambush near Kandahar on Friday.", "killed", "AFG"),
    ("A car bomb exploded near a police station in Kirkuk on Tuesday.", "exploded", "IRQ"),
    ("Two explosive devices were detonated near soldiers in the Jenin refugee camp.", "detonated", "PSE"),
])
def test_force_with_no_one_named_is_done_in_the_place_of_its_clause(text, word, country):
    [e] = on(code(text), word)
    assert e["source"] is None and e["target"]["code"].startswith(country)  # the place's, or those near
    assert e["location"]["country"] == country and e["location"]["source"] == "clause"


def test_a_detonated_device_is_no_victim():
    [e] = on(code("An explosives-laden truck was detonated outside a hotel in Mogadishu on Sunday."), "detonated")
    assert e["cameo"].startswith("183") and e["target"]["code"] == "SOM"


@pytest.mark.parametrize("text, word, place, country", [
    ("Croatian armed forces captured Knin on Saturday.", "captured", "Knin", "HRV"),
    ("Rebels seized Kafr Shams after a battle with Syrian troops.", "seized", "Kafr Shams", "SYR"),
    ("Government forces secured the Salah district on Monday.", "secured", None, None),
    ("Troops liberated several hilltops near Palmyra on Friday.", "liberated", None, None),
])
def test_a_place_taken_is_occupied_territory_not_an_arrest(text, word, place, country):
    [e] = on(code(text), word)
    assert e["cameo"] == "192"
    if place is not None:
        assert (e["target"]["text"], e["target"]["code"], e["target"]["name"]) == (place, country, None)


def test_a_person_named_like_a_town_is_still_arrested():
    events = code("Police arrested Juan Lopez on Monday. Soldiers captured Lopez in a raid on Tuesday.")
    [e] = on(events, "captured")
    assert e["cameo"] == "173" and e["target"]["name"] == "Juan Lopez"


def test_a_participle_describing_a_named_person_is_no_event():
    text = "The court heard from Ahmed Karimi, captured in Pakistan in 2004, and from two other witnesses."
    assert not [e for e in code(text) if e["word"] == "captured" and e["source"] is None]


def test_a_bomb_set_off_near_someone_is_aimed_at_them():
    [e] = on(code("A car bomb exploded near an Iraqi army convoy in Mosul on Monday."), "exploded")
    assert e["cameo"].startswith("183") and e["source"] is None and e["target"]["country"] == "IRQ"


@pytest.mark.parametrize("text", [
    "The minister ordered that Ahmed Karimi be stripped of his citizenship.",     # what is ordered
    "The killings of the hostages, which were captured on film, shocked the world.",  # a relative clause
    "Maria Lopez might be killed if she returns.",                               # a possibility
    "Ahmed Karimi is thought to have been killed in an air strike.",              # an infinitive
    "Karimi and Haddad were seized in a raid last month.",                        # people are not property
])
def test_no_doerless_event_on_a_person_outside_a_passive_clause_of_fact(text):
    assert not [e for e in code(text) if e["source"] is None and e["target"] and "Karimi" in e["target"]["text"]
                or e["word"] == "captured"]


@pytest.mark.parametrize("text", [
    "Its role in securing Lebanon helped the group.",  # a country is not a town taken
    "The government focused on safeguarding Jordan and fighting the militants.",
])
def test_a_country_is_not_taken_or_attacked_by_no_one(text):
    assert not [e for e in code(text) if e["source"] is None]


@pytest.mark.parametrize("text, country", [
    ("Hundreds of Lebanese pacifists demonstrated in Beirut on Saturday.", "LBN"),
    ("Nearly 100 anarchists demonstrated in Thessaloniki on Sunday.", "GRC"),
])
def test_protesters_the_tables_knew_no_word_for(text, country):
    [e] = on(code(text), "demonstrated")
    assert e["cameo"] == "141" and e["source"]["code"] == country + "CVL"


@pytest.mark.parametrize("text", [
    "She came to the camp after her husband was killed in action.",  # her husband is not she
    "Magicians were beheaded in the square.",                         # a capitalised plural, no name
])
def test_the_person_undergoing_must_be_named(text):
    assert not [e for e in code(text) if e["source"] is None and e["target"] and e["target"]["country"] is None]


def test_a_bomb_as_the_subject_destroys_what_it_hit():
    [e] = on(code("A homemade bomb destroyed a bank in southern France on Sunday."), "destroyed")
    assert e["cameo"] == "1712" and e["source"] is None and e["target"]["country"] == "FRA"


def test_force_the_main_clause_tells_outlasts_a_relative_clause_of_another_class():
    text = "Karimi, who specialized in defending journalists, was shot twice in his home in Lahore."
    assert on(code(text), "shot")


def test_a_road_closed_by_no_one_is_not_done_to_the_country():
    assert not code("The road leading to the centre was closed to vehicles in Haringey on Friday.")


def test_missiles_fired_toward_a_country_keep_their_target():
    events = code("He said missiles would soon be fired toward Syria.")
    assert any((e["target"] or {}).get("code") == "SYR" for e in events)


@pytest.mark.parametrize("text, word, place, country", [
    # a town the model calls an organisation, of a country the sentence is about, taken by an army:
    # occupied, and placed there
    ("Central African rebels captured Ndele on Monday.", "captured", "Ndele", "CAF"),
    ("Rebels in the Central African Republic first captured Birao in March, but lost it in May.",
     "captured", "Birao", "CAF"),
])
def test_a_town_the_model_calls_an_organisation_is_taken(text, word, place, country):
    [e] = on(code(text), word)
    assert e["cameo"] == "192" and e["target"]["code"] == country
    assert text[e["location"]["start"]:e["location"]["end"]] == place


@pytest.mark.parametrize("text", [
    "Moreno was captured by soldiers on Friday as he left a cafe in central Cali.",  # a man: "he"
    "Police captured Moreno in Cali on Friday.",  # the police arrest people
])
def test_a_man_named_like_a_town_is_arrested_not_occupied(text):
    [e] = on(code(text), "captured")
    assert e["cameo"] == "173"
    assert text[e["location"]["start"]:e["location"]["end"]] == "Cali"


def test_a_country_taking_a_town_the_gazetteer_puts_in_that_country_is_kept():
    [e] = on(code("Eritrean forces captured Badme at the start of the war."), "captured")
    assert e["cameo"] == "192" and e["target"]["text"] == "Badme"


def test_a_name_the_model_calls_an_organisation_is_no_town_of_a_country_not_in_the_sentence():
    [e] = on(code("The men who captured Ricardo in 2014 were from west London."), "captured")
    assert e["cameo"] == "173"  # (a Ricardo in Texas is no town taken here)


@pytest.mark.parametrize("text", [
    "The Spanish champion captured her fifth title in Madrid on Sunday.",
    "The ruling party captured 40 seats in the regional election.",
    "The Kenyan runner captured the gold medal in Doha.",
])
def test_a_prize_or_a_seat_captured_is_no_arrest(text):
    assert on(code(text), "captured") == []
