"""The article's focus (issue 15): a clause that implies a place without naming it ("in the
capital", "across the country", "here") is placed at the place the article is about -- its dateline
town, else the one country its lead names (location.source: article). Short articles we wrote."""
from __future__ import annotations

from redline.events.placing import capital_of, lead_dateline, parse_words
from redline.events.placing import DATA_FILE, place_words


def events_of(coder, text: str) -> dict[str, object]:
    """trigger word -> its event (the first one on that word)."""
    out: dict[str, object] = {}
    for e in coder.code_text(text, date="2024-03-04"):
        out.setdefault(e.trigger.split(":", 1)[1], e)
    return out


DATELINED = ("NIAMEY, March 3 (Reuters) - Niger's military rulers said on Sunday they would hold talks with "
             "the opposition. A car bomb killed nine people in the capital late on Saturday. The interior "
             "minister spoke by telephone with his Malian counterpart. Gunmen also attacked two villages in "
             "the north of the country.")


def test_the_capital_is_the_focus_countrys_capital(coder):
    events = events_of(coder, DATELINED)
    loc = events["killed"].location
    assert (loc["name"], loc["country"], loc["precision"], loc["source"]) == ("Niamey", "NER", "town", "article")
    assert DATELINED[loc["start"]:loc["end"]] == "the capital"  # the words that imply it
    assert loc["lat"] is not None


def test_the_north_of_the_country_is_the_focus_country(coder):
    loc = events_of(coder, DATELINED)["attacked"].location
    assert (loc["country"], loc["precision"], loc["source"]) == ("NER", "country", "article")
    assert DATELINED[loc["start"]:loc["end"]] == "the country"


def test_a_statement_or_a_call_with_no_place_word_is_not_given_the_focus(coder):
    text = ("Protesters marched through Bamako on Monday, demanding new elections. Police fired tear gas at "
            "protesters in the capital. The prime minister spoke by telephone with the French president. "
            "The opposition accused the government of fraud.")
    events = events_of(coder, text)
    fired = events["fired"].location
    assert (fired["name"], fired["country"], fired["source"]) == ("Bamako", "MLI", "article")
    for word in ("spoke", "accused"):  # a call, an accusation: their clauses imply no place
        assert events[word].location is None, events[word].location


def test_a_country_the_clause_names_wins_over_the_focus(coder):
    text = ("Fighting spread across Sudan on Friday as the army lost ground. "
            "Troops fought rebels in the Chadian capital on Saturday. "
            "Militias burned villages across the country.")
    events = events_of(coder, text)
    chad = events["fought"].location
    assert (chad["name"], chad["country"], chad["source"]) == ("N'Djamena", "TCD", "clause")
    country = events["burned"].location
    assert (country["country"], country["precision"], country["source"]) == ("SDN", "country", "article")


def test_another_country_named_before_the_word_and_not_the_focus_leaves_it_unplaced(coder):
    text = ("Protests spread across Iraq on Tuesday. Police fired tear gas at students in Basra. "
            "Iranian officials said militias had attacked a convoy in the capital.")
    loc = events_of(coder, text)["attacked"].location
    assert loc is None or loc["source"] != "article"


def test_no_focus_when_the_lead_names_two_countries(coder):
    text = "Russia and Ukraine are at war. Gunmen killed three policemen in the capital on Tuesday."
    assert events_of(coder, text)["killed"].location is None


def test_here_and_the_city_are_the_dateline_town(coder):
    text = ("This story is from March 10, 2002\n\nlucknow: the police arrested 20 activists here on "
            "saturday after a protest march.")
    loc = events_of(coder, text)["arrested"].location
    assert (loc["name"], loc["country"], loc["precision"], loc["source"]) == ("Lucknow", "IND", "town", "article")
    assert text[loc["start"]:loc["end"]] == "here"


def test_the_city_is_not_the_focus_town_when_another_town_was_just_named(coder):
    text = ("This story is from March 4, 2002\n\nahmedabad: mobs burned shops in the old quarter. in surat, "
            "the army helped to control the situation but violence erupted in the outskirts. the police "
            "arrested 100 persons in the city, the commissioner said.")
    assert events_of(coder, text)["arrested"].location is None  # surat, in lower case: not ahmedabad


def test_a_capital_that_is_not_the_countrys_or_not_clear_is_not_placed(coder):
    text = ("Fighting raged across Syria on Monday. Rebels began an assault inside the provincial capital. "
            "Thousands marched in Aleppo on Tuesday before rioters fought police in the capital.")
    events = events_of(coder, text)
    assert events["began"].location is None  # a province's capital, not Damascus
    assert (events["fought"].location or {}).get("name") != "Damascus"  # Aleppo just named: which capital?


def test_a_capital_named_after_the_word_is_the_clauses(coder):
    text = "Teachers from across Poland marched in the capital Warsaw on Friday, demanding higher wages."
    loc = events_of(coder, text)["marched"].location
    assert (loc["name"], loc["country"], loc["source"]) == ("Warsaw", "POL", "clause")
    assert text[loc["start"]:loc["end"]] == "Warsaw"


def test_lead_dateline_and_capitals():
    assert lead_dateline("KYIV, March 3 (Reuters) - Shelling hit a school.")["country"] == "UKR"
    assert lead_dateline("This story is from May 2, 2002\n\nahmedabad: police said ...")["name"] == "Ahmedabad"
    assert lead_dateline("Note: this is no dateline.\n\nUpdate: nor is this.") is None
    assert lead_dateline("Police fired tear gas in the town.") is None
    assert capital_of("AFG")["name"] == "Kabul" and capital_of("AFG")["precision"] == "town"
    assert capital_of("XXX") is None


def test_the_focus_words_are_data():
    words = place_words()
    assert "capital" in words.focus_capital_nouns and "country" in words.focus_country_nouns
    assert "there" not in words.focus_town_words  # "there" points back, never to the article's focus
    assert DATA_FILE.endswith(".yaml")
    try:
        parse_words("location_preps: [in]\n", "x.yaml")
    except ValueError as err:
        assert "x.yaml" in str(err)
