"""Acceptance: the sample article the product is built around, coded as a careful human would.

Written from a reading of ../shared/samples/kremlin-warning.txt (published 2024-03-21) before
the coder was built. What a careful coder records:

- Kremlin (RUS GOV) warns the West / France about sending troops to Ukraine: a threat (root 13),
  said in the present, so dated by the publication date.
- In late February, Macron (FRA GOV) suggested European forces could take a role in Ukraine: a
  statement or suggestion (roots 01-02), dated February 2024 with month precision.
- On March 19, the director of Russia's Foreign Intelligence Service (RUS SPY) claimed French
  armed forces (FRA MIL) were preparing about 2,000 personnel for deployment to Ukraine: a
  mobilisation (root 15) by FRA MIL towards UKR, reported by RUS SPY, not a plain fact, dated
  2024-03-19.
- Putin (RUS GOV) responded to Macron (FRA) by warning: Russia -> France.
- Analysts' and observers' commentary is not coded as state actions; nothing in the article is a
  factual use of force.
"""
from __future__ import annotations

import json

import pytest
from conftest import SHARED, run_cli

SAMPLE = SHARED / "samples" / "kremlin-warning.txt"


@pytest.fixture(scope="module")
def events(shared) -> list[dict]:
    out = run_cli("code", str(SAMPLE), "--date", "2024-03-21", "--format", "jsonl")
    assert out.returncode == 0, out.stderr.decode()
    return [json.loads(line) for line in out.stdout.decode().splitlines() if line.strip()]


def country(actor: dict | None) -> str | None:
    return (actor or {}).get("country")


def sector(actor: dict | None) -> str | None:
    return (actor or {}).get("sector")


def test_every_event_is_traceable(events):
    text = SAMPLE.read_text(encoding="utf-8")
    assert events, "the article yields events"
    for e in events:
        assert e["doc_id"] == "kremlin-warning"
        start, end = e["span"]
        assert text[start:end] == e["evidence"]
        assert e["explanation"]
        assert e["modality"] in {"factual", "negated", "hypothetical", "future", "uncertain"}
        assert "2024-02-01" <= e["date"] <= "2024-03-21"


def test_kremlin_warns_the_west_and_france(events):
    first = [e for e in events if e["sentence_index"] == 0]
    threats = [e for e in first if e["cameo_root"] == "13" and country(e["source"]) == "RUS"
               and sector(e["source"]) == "GOV"]
    assert threats, first
    assert {country(e["target"]) for e in threats} & {"FRA", "WST"}
    for e in threats:
        assert e["modality"] == "factual"
        assert (e["date"], e["date_precision"]) == ("2024-03-21", "document")


def test_macron_suggestion_in_late_february(events):
    macron = [e for e in events if country(e["source"]) == "FRA" and "Macron" in (e["source"]["name"] or "")
              and e["date_precision"] == "month"]
    assert macron, [e for e in events if country(e["source"]) == "FRA"]
    e = macron[0]
    assert e["source"]["sector"] == "GOV"
    assert e["date"].startswith("2024-02")
    assert e["cameo_root"] in {"01", "02"}
    assert "late February" in e["evidence"]


def test_svr_claim_of_french_troop_preparations(events):
    claims = [e for e in events if e["cameo_root"] == "15" and e["source"]
              and (country(e["source"]), sector(e["source"])) == ("FRA", "MIL")]
    assert claims, events
    e = claims[0]
    assert country(e["target"]) == "UKR"
    assert (country(e["reported_by"]), sector(e["reported_by"])) == ("RUS", "SPY")
    assert (e["date"], e["date_precision"]) == ("2024-03-19", "day")
    assert e["modality"] != "factual"
    assert any(n["value"] == 2000 for n in e["numbers"])
    assert e["plover"] == "MOBILIZE"


def test_putin_answers_macron(events):
    putin = [e for e in events if "Putin" in ((e["source"] or {}).get("name") or "")]
    assert putin
    assert all(country(e["source"]) == "RUS" and sector(e["source"]) == "GOV" for e in putin)
    assert any(country(e["target"]) == "FRA" for e in putin)


def test_commentary_is_not_state_action(events):
    for e in events:
        if e["cameo_root"] in {"18", "19", "20"}:
            assert e["modality"] != "factual", e
        if "analysts" in e["evidence"] or "Observers" in e["evidence"]:
            assert not country(e["source"]), e
