"""Acceptance (issue 11): the sample article ingested into a store gives the Kremlin's red line
with Putin's restatement, and the SVR's claim of 2024-03-19 as a claimed, prospective crossing.

Read from ../shared/samples/kremlin-warning.txt (published 2024-03-21): the Kremlin warns that
sending foreign military personnel to Ukraine would carry serious risks (declarer RUS, trigger
foreign military personnel in Ukraine, consequence unspecified); Putin says that if the West
insists Moscow would respond by redefining its thresholds (the same red line, redefined); the
director of Russia's Foreign Intelligence Service claims French forces are preparing personnel
for deployment to Ukraine (a claim by the declarer's own side about a preparation: claimed, and
prospective since the deployment is only being prepared).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from redline.redlines import find_crossings, ledger, timeline
from redline.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "kremlin-warning.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("../shared/samples is not beside the project")
    db = tmp_path_factory.mktemp("ledger") / "news.duckdb"
    run = subprocess.run([sys.executable, "-m", "redline", "ingest", str(SAMPLE), "--date", "2024-03-21",
                          "--db", str(db), "-q"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    opened = Store(db)
    yield opened
    opened.close()


def kremlin_line(store):
    lines = [r for r in ledger(store, declarer="RUS")
             if "UKR" in r["trigger_pattern"]["places"] and r["trigger_pattern"]["sector"] == "MIL"]
    assert len(lines) == 1, ledger(store)
    return lines[0]


def test_the_kremlins_red_line_on_foreign_troops_in_ukraine(store):
    line = kremlin_line(store)
    assert line["declarer_country"] == "RUS"
    assert "MOBILIZE" in line["trigger_pattern"]["types"] and "RUS" in line["trigger_pattern"]["exclude"]
    assert line["severity"] in ("unspecified", "military")
    assert line["first_declared"].isoformat() == "2024-03-21"


def test_putins_restatement_is_part_of_the_same_red_line(store):
    line = kremlin_line(store)
    steps = next(t for t in timeline(store) if t["redline_id"] == line["redline_id"])["steps"]
    assert line["n_restatements"] >= 1
    assert any(s["step"] in ("restated", "redefined") and "redefining its own thresholds" in s["evidence"]
               for s in steps)


def test_the_svr_claim_is_a_claimed_prospective_crossing(store):
    line = kremlin_line(store)
    crossing = [c for c in find_crossings(store) if c.redline_id == line["redline_id"]]
    assert [(c.date.isoformat(), c.status, c.prospective, c.event["source_country"]) for c in crossing] == \
        [("2024-03-19", "claimed", True, "FRA")]
    # recorded as an alert by the ingest itself, like a watch rule's
    assert store.rows("SELECT count(*) AS n FROM alerts WHERE rule = ?", [f"redline:{line['redline_id']}"])[0]["n"] == 1
