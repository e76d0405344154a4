"""Acceptance: the sample article the product is built around, coded as a careful human would.

Written from a reading of ../shared/samples/kremlin-warning.txt (published 2024-03-21; its
README: "who warned whom, who claimed what, who suggested what, when, with red-line rhetoric
showing up as verbal conflict between Russia and France / the West") and the conventions of
../shared/data/article_panel.md (cited as "panel N.M"). What a careful coder records:

- The Kremlin (RUS GOV: a seat of government, panel 6.1) warns Western capitals, France above
  all, that sending troops to Ukraine would carry serious risks: a threat (root 13, panel 3.2)
  against the West and/or France, made (factual, panel 3.1), in March 2024 (undated in the text).
- In late February, Macron (FRA GOV) suggested European forces could take a role in Ukraine: a
  suggestion (roots 01-02), or an intent to provide forces (03, panel 4.1-4.2), February 2024 at
  month precision. "He signaled a shift in Paris's approach ..." is still Macron.
- On March 19, the director of Russia's Foreign Intelligence Service (RUS SPY) claimed that
  French armed forces were preparing about 2,000 personnel for deployment to Ukraine: FRAMIL ->
  UKR 154 (mobilise), reported by RUS SPY (panel 2.1), uncertain (a claim, panel 2.3, 4.5),
  dated 2024-03-19.
- Putin (RUS GOV) responded to Macron by warning: a threat (root 13) towards France, factual.
  He underscored that if Western countries insist, Moscow would respond: a threat to the West
  (root 13, factual: the condition does not make the warning hypothetical, panel 3.1).

What a careful coder never records here: any use of force or material act as a fact (nobody
fought, mobilised or gave anything; the mobilisation is a claim), any material cooperation,
analysts' and observers' commentary as a state's act, a country acting on itself, an event
dated outside February-March 2024.

Assertions the coder did not meet when they were written are each in a test of their own
(named for what they check), so a failure names the one fact that is wrong.
"""
from __future__ import annotations

import json

import pytest
from conftest import SHARED, run_cli

SAMPLE = SHARED / "samples" / "kremlin-warning.txt"
PUBLISHED = "2024-03-21"


@pytest.fixture(scope="module")
def text(shared) -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def events(shared) -> list[dict]:
    out = run_cli("code", str(SAMPLE), "--date", PUBLISHED, "--format", "jsonl")
    assert out.returncode == 0, out.stderr.decode()
    return [json.loads(line) for line in out.stdout.decode().splitlines() if line.strip()]


def country(actor: dict | None) -> str | None:
    return (actor or {}).get("country")


def sector(actor: dict | None) -> str | None:
    return (actor or {}).get("sector")


def in_sentence(events: list[dict], text: str, opening: str) -> list[dict]:
    """The events read from the sentence of the article that begins with ``opening``."""
    start = text.index(opening)
    return [e for e in events if e["span"][0] == start]


def brief(events: list[dict]) -> list[tuple]:
    return [((e["source"] or {}).get("code"), (e["source"] or {}).get("text"), e["cameo"],
             (e["target"] or {}).get("code"), e["modality"], e["date"]) for e in events]


def test_every_event_is_traceable(events, text):
    assert events, "the article yields events"
    for e in events:
        assert e["doc_id"] == "kremlin-warning"
        start, end = e["span"]
        assert text[start:end] == e["evidence"]
        assert e["explanation"]
        assert e["modality"] in {"factual", "negated", "hypothetical", "future", "uncertain"}


def test_kremlin_warns_the_west_and_france(events, text):
    first = in_sentence(events, text, "The Kremlin warns Western capitals")
    threats = [e for e in first if e["cameo_root"] == "13" and (country(e["source"]), sector(e["source"])) == ("RUS", "GOV")]
    assert threats, brief(first)
    assert {country(e["target"]) for e in threats} & {"FRA", "WST"}, brief(threats)
    for e in threats:
        assert e["modality"] == "factual"
        assert e["date"].startswith("2024-03") and e["date"] <= PUBLISHED
        assert e["plover"] == "THREATEN" and e["quad_class"] == 3


def test_macron_suggestion_in_late_february(events, text):
    macron = in_sentence(events, text, "In late February, French President Emmanuel Macron")
    suggestion = [e for e in macron if e["cameo_root"] in {"01", "02", "03"}]
    assert suggestion, brief(macron)
    for e in suggestion:
        assert (e["source"]["code"], e["source"]["name"]) == ("FRAGOV", "Emmanuel Macron")
        assert (e["date"][:7], e["date_precision"]) == ("2024-02", "month")
        assert e["modality"] in {"factual", "hypothetical"}


def test_svr_claim_of_french_troop_preparations(events, text):
    said = in_sentence(events, text, "On March 19, the director of Russia")
    claims = [e for e in said if (e["source"] or {}).get("code") == "FRAMIL" and e["cameo"] == "154"]
    assert len(claims) == 1, brief(said)
    [e] = claims
    assert country(e["target"]) == "UKR"
    assert (country(e["reported_by"]), sector(e["reported_by"])) == ("RUS", "SPY")
    assert (e["date"], e["date_precision"]) == ("2024-03-19", "day")
    assert e["modality"] != "factual"  # a claim, not an established fact
    assert {"value": 2000, "of": "personnel"} in e["numbers"]
    assert (e["plover"], e["quad_class"]) == ("MOBILIZE", 4)
    # the claim is FRAMIL's event reported by the SVR; not also a separate SVR statement
    assert all(country(x["source"]) != "RUS" for x in said), brief(said)


def test_svr_claim_is_uncertain(events, text):
    # panel 2.3 and 4.5: a reported claim ("a claim that circulated") is uncertain
    said = in_sentence(events, text, "On March 19, the director of Russia")
    claims = [e for e in said if (e["source"] or {}).get("code") == "FRAMIL" and e["cameo"] == "154"]
    assert [e["modality"] for e in claims] == ["uncertain"], brief(said)


def test_putin_answers_macron_with_a_threat(events, text):
    answer = in_sentence(events, text, "During an interview, President Putin responded")
    threats = [e for e in answer if e["cameo_root"] == "13" and country(e["target"]) == "FRA"]
    assert threats, brief(answer)
    for e in threats:
        assert (e["source"]["code"], e["source"]["name"]) == ("RUSGOV", "Vladimir Putin")
        assert e["modality"] == "factual" and e["reported_by"] is None
        assert e["date"].startswith("2024-03") and e["date"] <= PUBLISHED
    # whatever Putin is the source of, he is Russia's government
    putin = [e for e in events if "Putin" in ((e["source"] or {}).get("name") or "")]
    assert all((country(e["source"]), sector(e["source"])) == ("RUS", "GOV") for e in putin)


def test_putin_warns_the_west_if_it_insists(events, text):
    # "He underscored that if Western countries insist on such a course, Moscow would respond":
    # Putin's threat to the West (panel 3.1: the condition does not make it hypothetical)
    underscored = in_sentence(events, text, "He underscored that if Western countries insist")
    assert ("RUSGOV", "13", "WST", "factual") in [
        ((e["source"] or {}).get("code"), e["cameo_root"], country(e["target"]), e["modality"]) for e in underscored], \
        brief(underscored)


def test_he_who_signaled_a_shift_is_macron(events, text):
    # "He signaled a shift in Paris's approach ..., stating that red lines ... might no longer apply
    # as France considers how to support Kyiv": "He" is Macron. The signal itself is a statement
    # with no other party (panel 1.2: no event); what he says France considers is France's own
    # act, told by its own side (panel 2.2: the state stays the source, no reported_by).
    signaled = in_sentence(events, text, "He signaled a shift in Paris")
    assert signaled, "the sentence yields an event"
    for e in signaled:
        assert country(e["source"]) == "FRA" and e["reported_by"] is None, brief(signaled)
        assert (e["source"].get("name") == "Emmanuel Macron"
                or "told by its own side 'He' (Emmanuel Macron)" in e["explanation"]), brief(signaled)


def test_no_absurd_event(events, text):
    assert events, "the article yields events"
    for e in events:
        src, tgt = country(e["source"]), country(e["target"])
        # nobody fought, mobilised, coerced or protested as a matter of fact, and nobody gave or
        # yielded anything: the only material act in the article is a claimed mobilisation
        if e["quad_class"] == 4:
            assert e["modality"] != "factual", e
        assert e["quad_class"] != 2, e
        # a state does not act on itself here
        assert not (src and src == tgt), e
        # events of late February and March 2024, none after publication
        assert "2024-02-01" <= e["date"] <= PUBLISHED, e
    # analysts' and observers' commentary is not a state's act
    for opening in ("Security analysts note", "They argue that any shift", "Observers warn that brinkmanship"):
        for e in in_sentence(events, text, opening):
            assert not country(e["source"]), e
