"""Event-location linking: the object of a force verb is the place, and the most specific place of
a nested phrase ("X, in Y") is the event's, through the real coder on sentences we wrote."""
from __future__ import annotations

import pytest


def place_of(coder, text: str, trigger: str) -> dict | None:
    events = [(e.trigger.split(":", 1)[1], e.location) for e in coder.code_text(text)]
    hits = [loc for word, loc in events if word == trigger]
    assert hits, (text, events)
    return next((loc for loc in hits if loc), None)


def named(text: str, loc: dict | None) -> str | None:
    return None if loc is None else text[loc["start"]:loc["end"]]


@pytest.mark.parametrize("text, trigger, name", [
    # a share of a territory: the territory
    ("The insurgents have seized half of Mali since January.", "seized", "Mali"),
    ("By 1999 the rebels had captured much of Sierra Leone.", "captured", "Sierra Leone"),
    ("The rebels have captured a third of Chad since March.", "captured", "Chad"),
    # a facility of a country the verb patrols
    ("Marines patrolled Iraq's southern oil terminals.", "patrolled", "Iraq"),
    # the object before the verb's location phrase, which names where it lies
    ("Fighters stormed Hamdaniya in eastern Mosul on Friday.", "stormed", "Hamdaniya"),
    ("Soldiers patrolled Nativity Square in nearby Hebron on Friday.", "patrolled", "Nativity Square"),
    ("The army shelled the villages of Kafr Zita and Latamna, in northern Hama province.", "shelled", "Kafr Zita"),
    # a name the model calls a person or an organisation, by its place noun or "X, in Y"
    ("Soldiers patrolled Manger Square in nearby Bethlehem, and a jeep was parked outside.", "patrolled",
     "Manger Square"),
    ("Government jets bombed Ndalatando-Norte, in Cuanza Norte, during a night raid.", "bombed", "Ndalatando-Norte"),
    # a passive subject that is a place noun with its name
    ("The main Kandahar military base, Tarnak Palace, was captured Monday by a rival militia.",
     "captured", "Tarnak Palace"),
])
def test_the_object_of_a_force_verb_is_the_place(coder, text, trigger, name):
    assert named(text, place_of(coder, text, trigger)) == name


def test_an_event_noun_is_never_a_place(coder):
    text = "Israel captured the Golan Heights from Syria in the 1967 Middle East war."
    assert named(text, place_of(coder, text, "captured")) == "Golan Heights"
    text = "Troops fought in the 1991 Kuwait war and then went home."
    loc = place_of(coder, text, "fought")
    assert named(text, loc) != "1991 Kuwait war"


def test_an_arrested_person_is_no_place_before_the_country_of_the_arrest(coder):
    text = "In June, troops captured Khalid Sheikh, the group's chief planner, in Yemen."
    assert named(text, place_of(coder, text, "captured")) == "Yemen"


@pytest.mark.parametrize("text, trigger, name", [
    # "X, in Y": X
    ("Two engineers were kidnapped by separatists in the Ramu Valley, in Papua New Guinea's Madang province, "
     "on Friday.", "kidnapped", "Ramu Valley"),
    # "X, 60 kilometers northeast of Y": X, never the reference point
    ("A gunman killed four people in Baqubah, 60 kilometers northeast of Baghdad.", "killed", "Baqubah"),
    # a named facility in a city: the facility
    ("A suicide bomber killed nine people near the Yarmouk hospital in western Baghdad.", "killed", "Yarmouk"),
    # the object is a sea: the island named in it
    ("Navy gunboats have been patrolling the Celebes Sea, particularly in the vicinity of the island of Sibutu.",
     "patrolling", "Sibutu"),
    # a leading frame names a wider place than the clause's
    ("In Chechnya Tuesday, soldiers shot and killed three fighters in the village of Alkhan-Yurt.", "shot",
     "Alkhan-Yurt"),
])
def test_the_most_specific_place_of_a_nested_phrase(coder, text, trigger, name):
    assert named(text, place_of(coder, text, trigger)) == name


def test_a_facility_no_gazetteer_has_takes_the_point_of_the_place_it_lies_in(coder):
    text = "A bomb exploded at the Zamalek stadium in western Cairo, killing two."
    loc = place_of(coder, text, "exploded")
    assert named(text, loc) == "Zamalek"
    assert loc["within"] == "Cairo" and loc["country"] == "EGY" and loc["lat"] is not None
    assert loc["geonameid"] is None  # the id would be Cairo's, not the stadium's


def test_a_wider_frame_is_kept_when_the_narrower_name_is_a_common_word(coder):
    text = "In Tikrit, a trader in the town's central Market was shot by gunmen."
    assert named(text, place_of(coder, text, "shot")) == "Tikrit"


def test_a_non_place_head_leaves_the_wider_place(coder):
    text = "Two soldiers were killed during the offensive in Helmand province on Monday."
    assert named(text, place_of(coder, text, "killed")) == "Helmand"


def test_a_verb_is_never_a_place_noun(coder):
    # "strip" is a kind of place ("the Gaza Strip"), "stripped" an act: a name under the verb is not
    # made a place by it (a man "stripped of his citizenship" was placed at his own name)
    from redline.events.placing import Placer
    doc = coder.nlp("Officials stripped him of his post, and troops left the coastal strip.")
    placer = Placer()
    verb = next(t for t in doc if t.text == "stripped")
    noun = next(t for t in doc if t.text == "strip")
    assert not placer._is_place_noun(verb)
    assert placer._is_place_noun(noun)


@pytest.mark.parametrize("text, trigger, name", [
    # the verb that patrols hangs on the town ("begun patrolling Kafranbel": "patrolling" modifies it)
    ("The ministry said its military police had begun patrolling Kafranbel, after announcing the deployment.",
     "begun", "Kafranbel"),
])
def test_a_territory_verb_below_the_trigger_places_its_object(coder, text, trigger, name):
    assert named(text, place_of(coder, text, trigger)) == name


@pytest.mark.parametrize("text, trigger, name", [
    # "X, N miles <direction> of Y" says where X lies, whichever clause the parse hangs X on
    ("A judge was shot in the head as he left a rally Saturday in Berea, 40 miles (64 kilometers) south of "
     "Lexington.", "shot", "Berea"),
    ("Hollis was shot in the head after he finished a speech at a rally Saturday in Berea, 40 miles "
     "(64 kilometers) south of Lexington.", "shot", "Berea"),
    # "X, just north of Y": X is a place, whatever the model calls it (Taji, a PERSON to it)
    ("A roadside bomb killed three soldiers in Taji, just north of Baghdad, on Monday.", "killed", "Taji"),
])
def test_a_place_measured_from_another_is_the_place(coder, text, trigger, name):
    assert named(text, place_of(coder, text, trigger)) == name


def test_a_building_named_after_a_man_is_a_place(coder):
    text = "Gunmen killed nine visitors at the crowded Bardo Museum in central Tunis on Sunday."
    loc = place_of(coder, text, "killed")  # (Bardo Museum, a PERSON to the model)
    assert named(text, loc) == "Bardo Museum" and loc["country"] == "TUN"


def test_a_place_on_a_place_noun_is_its_place(coder):
    text = "Three sailors were shot dead on Monday in their camp on the Mannar Peninsula."
    assert named(text, place_of(coder, text, "shot")) == "Mannar Peninsula"


def test_a_town_taken_is_the_place_before_the_country_it_lies_in(coder):
    text = "Ethiopian forces captured Badme in Eritrea."  # (Badme, an ORG to the model)
    loc = place_of(coder, text, "captured")
    assert named(text, loc) == "Badme" and loc["precision"] == "town" and loc["country"] == "ERI"


def test_an_event_with_no_place_of_its_own_is_where_it_was_aimed(coder):
    text = "The army launched a new assault on Friday, targeting the rebel-held village of Kafr Nabudah in northern Hama."
    assert named(text, place_of(coder, text, "launched")) == "Kafr Nabudah"
    # its own place first: launched in the countryside, whatever it targeted
    text = ("The army launched a new offensive in the northern Hama countryside on Friday, targeting the "
            "rebel-held village of Kafr Nabudah.")
    assert named(text, place_of(coder, text, "launched")) == "Hama"


@pytest.mark.parametrize("text, trigger, name", [
    ("Police clashed with protesters in and near Lyon on Friday.", "clashed", "Lyon"),
    ("Soldiers patrolled the streets in and around the town of Kidal on Friday.", "patrolled", "Kidal"),
])
def test_coordinated_prepositions_share_their_object(coder, text, trigger, name):
    assert named(text, place_of(coder, text, trigger)) == name


@pytest.mark.parametrize("text, trigger, name", [
    ("Two people were shot dead on Friday outside a Lima restaurant.", "shot", "Lima"),
    ("About 300 people protested on Monday outside the Nairobi headquarters of the electoral commission.",
     "protested", "Nairobi"),
    ("Police raided the Uber offices on Tuesday.", "raided", None),  # an owner, not a town
])
def test_a_town_naming_a_building_is_its_place(coder, text, trigger, name):
    assert named(text, place_of(coder, text, trigger)) == name


@pytest.mark.parametrize("text, trigger, name", [
    ("About 300 workers marched to the Lagos offices of the oil company on Monday.", "marched", "Lagos"),
    ("Thousands of students marched towards Kathmandu on Friday to demand new elections.", "marched", "Kathmandu"),
])
def test_a_march_is_where_it_went(coder, text, trigger, name):
    assert named(text, place_of(coder, text, trigger)) == name

