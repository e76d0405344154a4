"""The learned event-place linker (redline.where.linker) and its training data.

The sentences here are written for these tests (not taken from the training file or shared data)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from redline.where import linker as lk

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nlp():
    from redline import nlp as nlp_mod
    return nlp_mod.load()


def _link(nlp, text: str, verb: str, occurrence: int = 0) -> str | None:
    from redline.ingest.normalise import mask_dateline
    doc = nlp(mask_dateline(text))
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(verb, start + 1)
    trigger = lk.trigger_token(doc, start, start + len(verb))
    assert trigger is not None and trigger.text == verb
    pick = lk.Linker().link(trigger, text)
    return pick.text if pick else None


@pytest.mark.parametrize("text, verb, want", [
    ("Gunmen killed five villagers in Katsina state on Sunday.", "killed", "Katsina"),
    ("Riot police fired tear gas at students in Quito on Monday.", "fired", "Quito"),
    ("Rebels captured an army post near Bentiu, a spokesman in Juba said.", "captured", "Bentiu"),
    ("The foreign ministers of both countries met in Astana on Thursday.", "met", "Astana"),
    ("The president flew from Nairobi to Kampala on Friday.", "flew", "Kampala"),
    ("A Vienna-based watchdog said journalists were detained in Minsk.", "detained", "Minsk"),
])
def test_links_the_events_place(nlp, text, verb, want):
    assert _link(nlp, text, verb) == want


@pytest.mark.parametrize("text, verb", [
    # the only place belongs to another clause's event
    ("The interior minister resigned on Friday, two days after troops fired on a march in Cusco.", "resigned"),
    ("A Vienna-based watchdog said journalists were detained in Minsk.", "said"),
    # a place inside an actor's name, no place of the event
    ("The Kabul government condemned the bombing.", "condemned"),
    # no place at all
    ("The defence minister resigned after the scandal.", "resigned"),
])
def test_no_place_when_the_sentence_gives_the_event_none(nlp, text, verb):
    assert _link(nlp, text, verb) is None


def test_dateline_is_the_place_when_the_sentence_names_none(nlp):
    text = "HARARE (Reuters) - Police detained twelve opposition activists on Saturday."
    assert _link(nlp, text, "detained") == "HARARE"
    text = "HARARE (Reuters) - Police detained twelve opposition activists in Bulawayo on Saturday."
    assert _link(nlp, text, "detained") == "Bulawayo"


def test_a_month_is_no_candidate(nlp):
    doc = nlp("In March, soldiers stormed a rebel camp outside Mosul.")
    texts = [c.text for c in lk.candidates(doc, 0, len(doc))]
    assert "March" not in texts and "Mosul" in texts


def test_weights_round_trip_and_bad_lines():
    w = lk.Weights({"prep=in": 1.5, "label=GPE": -0.25}, bias=-1.0, threshold=0.4)
    again = lk.parse_weights(w.dump())
    assert again == w
    assert again.probability(["prep=in"]) == pytest.approx(1 / (1 + 2.718281828459045 ** -0.5))
    with pytest.raises(ValueError, match="linker_weights.tsv:2"):
        lk.parse_weights("__bias__\t0\nprep=in\tlots\n__threshold__\t0.5\n")
    with pytest.raises(ValueError, match="__threshold__"):
        lk.parse_weights("__bias__\t0\n")


def test_shipped_weights_load(nlp):
    w = lk.shipped_weights()
    assert 0.0 < w.threshold < 1.0
    assert len(w.weights) > 50
    # a place on the trigger's "in" phrase is likely; the trigger's subject and object are actors
    doc = nlp("Gunmen attacked a police post in Kandahar.")
    [(cand, p)] = lk.Linker(w).scores(doc[1])
    assert cand.text == "Kandahar" and p > w.threshold
    doc = nlp("Baghdad accused Tehran of meddling.")
    assert all(p < w.threshold for _, p in lk.Linker(w).scores(doc[1]))


def test_training_data_spans_and_size():
    sys.path.insert(0, str(ROOT / "tools"))
    import linker_data

    built = [json.loads(line) for line in (ROOT / "bench" / "data" / "linker_train.jsonl").read_text(encoding="utf-8").splitlines()]
    assert built == linker_data.read_sources()  # the JSONL is up to date with its sources
    assert len(built) >= 300
    for item in built:
        for span in [item["verb"], *item["places"]]:
            assert item["text"][span["start"]:span["end"]] == span["text"]
    with pytest.raises(ValueError):
        linker_data.parse_line("No verb marked in [[Kabul]].")
