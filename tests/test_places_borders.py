"""A border between two countries is a place on the line where they meet (issue 15): the phrase,
the two countries, and the point, from the country outlines the map draws. Sentences are ours."""
from __future__ import annotations

import pytest

from redline.where import borders


def located(coder, text: str, trigger: str) -> dict | None:
    events = [e for e in coder.code_text(text) if e.trigger.split(":", 1)[1] == trigger]
    assert events, text
    return next((e.location for e in events if e.location), None)


@pytest.mark.parametrize("text, trigger, name, between, box", [
    ("Two smugglers were killed on Tuesday near the Iraqi-Syrian border.", "killed",
     "Iraqi-Syrian border", ["IRQ", "SYR"], (33.0, 37.5, 38.5, 42.5)),
    ("Turkish troops shelled positions on Turkey's border with Syria.", "shelled",
     "Turkey's border with Syria", ["TUR", "SYR"], (35.5, 37.5, 35.5, 42.5)),
    ("Police arrested 12 smugglers at the border between Brazil and Paraguay.", "arrested",
     "border between Brazil and Paraguay", ["BRA", "PRY"], (-26.0, -22.0, -56.5, -54.0)),
    # a side that is a town of its country: the other country's outline nearest the town
    ("Gunmen attacked an army post on the border between Gaza and Israel.", "attacked",
     "border between Gaza and Israel", ["PSE", "ISR"], (31.0, 31.7, 34.0, 34.8)),
])
def test_a_border_is_placed_on_the_line_between_its_countries(coder, text, trigger, name, between, box):
    loc = located(coder, text, trigger)
    assert loc is not None and text[loc["start"]:loc["end"]] == name == loc["name"]
    assert (loc["precision"], loc["country"], loc["between"]) == ("area", None, between)
    south, north, west, east = box
    assert south <= loc["lat"] <= north and west <= loc["lon"] <= east, (loc["lat"], loc["lon"])


def test_a_border_with_no_countries_named_is_no_place(coder):
    assert located(coder, "Police closed the border on Monday.", "closed") is None


def test_borders_with_two_neighbours_are_two_borders_not_one(coder):
    text = "Troops shelled villages near its borders with Jordan and Iraq on Monday."
    loc = located(coder, text, "shelled")
    assert loc is None or "between" not in loc


def test_border_points_of_countries_that_touch_and_of_countries_that_do_not():
    lat, lon = borders.border_point("COL", "VEN")
    assert 0.5 <= lat <= 12.5 and -73.5 <= lon <= -66.5
    assert borders.border_point("FRA", "CHN") is None and borders.border_point("FRA", "FRA") is None
    assert borders.border_point("XXX", "FRA") is None
