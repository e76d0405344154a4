"""feeds.notify: the alert payload from a store, webhooks to a loopback receiver, local commands."""
from __future__ import annotations

import json
import socket
import time
from datetime import date

import pytest

from feeds_site import Site
from redline.analytics.watch import evaluate, load_rules
from redline.feeds.notify import AlertNotFound, alert_payload, post_webhook, run_command
from redline.schema import Document
from redline.store import Store
from redline.store.ingest import ingest

REPORT = ("Russian forces shelled the city of Kharkiv on Thursday, killing three civilians, regional officials "
          "said. Ukraine's foreign ministry condemned the attack and called on its allies to send more air "
          "defence systems. The Kremlin denied targeting civilians.")

PAYLOAD = {"alert_id": "0123456789abcdef01234567", "rule": "kharkiv-assaults", "kind": "count",
           "events": [{"event_key": "k1", "evidence": [{"sentence": "Forces shelled the city.",
                                                        "url": "https://harbour-gazette.example/world/kharkiv"}]}]}


@pytest.fixture(scope="module")
def alert_store(tmp_path_factory):
    """A store of two publications of one report, and the alert a rule on assaults fired."""
    folder = tmp_path_factory.mktemp("alerts")
    documents = [
        Document(id="url-gazette", text=REPORT, date=date(2026, 12, 3), title="Shelling hits Kharkiv",
                 url="https://harbour-gazette.example/world/kharkiv-shelling", source="Harbour Gazette",
                 origin="https://harbour-gazette.example/world/rss"),
        Document(id="url-ledger", text=REPORT.replace("on Thursday", "on Thursday morning"), date=date(2026, 12, 3),
                 title="Kharkiv shelled overnight", url="https://ledger.example/articles/kharkiv.html",
                 source="Northern Ledger", origin="https://ledger.example/atom.xml")]
    rules = folder / "watch.yaml"
    rules.write_text("rules:\n  - name: kharkiv-assaults\n    types: [ASSAULT]\n    threshold: 1\n")
    store = Store(folder / "news.duckdb")
    stats = ingest(documents, store)
    assert stats.new_documents == 2 and not stats.errors
    alerts = evaluate(store, load_rules(rules))
    assert [a.rule for a in alerts] == ["kharkiv-assaults"]
    yield store, alerts[0]
    store.close()


@pytest.mark.slow
def test_alert_payload_has_events_evidence_and_publications(alert_store):
    store, alert = alert_store
    payload = alert_payload(store, alert)
    assert payload == alert_payload(store, alert.alert_id) == alert_payload(store, {"alert_id": alert.alert_id})
    assert payload["alert_id"] == alert.alert_id and payload["rule"] == "kharkiv-assaults"
    assert payload["kind"] == "count" and payload["window_start"] == "2026-12-03"
    assert payload["n_new"] == len(alert.new_events) == len(payload["events"])
    assert payload["fired_at"].endswith("Z") and payload["events_truncated"] is False
    assert {e["event_key"] for e in payload["events"]} == {e["event_key"] for e in alert.new_events}
    for event in payload["events"]:
        assert event["plover"] == "ASSAULT" and event["date"] == "2026-12-03"
        assert event["source"]["code"].startswith("RUS")
        assert {(e["publisher"], e["url"]) for e in event["evidence"]} == {
            ("Harbour Gazette", "https://harbour-gazette.example/world/kharkiv-shelling"),
            ("Northern Ledger", "https://ledger.example/articles/kharkiv.html")}
        assert all("shelled the city of Kharkiv" in e["sentence"] for e in event["evidence"])
    assert json.loads(json.dumps(payload)) == payload  # plain JSON, nothing needs a custom encoder
    with pytest.raises(AlertNotFound):
        alert_payload(store, "no-such-alert")


@pytest.mark.slow
def test_webhook_receives_the_stored_alert(alert_store):
    store, alert = alert_store
    payload = alert_payload(store, alert)
    with Site() as receiver:
        receiver.page("/hooks/redline", "", "text/plain", status=204)
        ok, message = post_webhook(receiver.url("/hooks/redline"), payload, alert_id=alert.alert_id)
        assert ok, message
        [(method, path, headers)] = receiver.requests
    assert method == "POST" and path == "/hooks/redline"
    assert headers["redline-alert-id"] == alert.alert_id
    assert headers["content-type"] == "application/json" and headers["user-agent"].startswith("Redline/")
    assert json.loads(receiver.bodies[0]) == payload


def test_webhook_failures_are_reported_not_raised():
    with Site() as receiver:
        receiver.page("/down", "queue full", "text/plain", status=500)
        receiver.route("/moved", lambda r: r.redirect("/elsewhere"))
        ok, message = post_webhook(receiver.url("/down"), PAYLOAD, alert_id=PAYLOAD["alert_id"])
        assert not ok and "HTTP 500" in message and "queue full" in message
        ok, message = post_webhook(receiver.url("/moved"), PAYLOAD, alert_id=PAYLOAD["alert_id"])
        assert not ok and "HTTP 302" in message
        assert receiver.paths() == ["/down", "/moved"]  # one attempt each, no redirect followed
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ok, message = post_webhook(f"http://127.0.0.1:{port}/hook", PAYLOAD, alert_id="x")
    assert not ok and f"127.0.0.1:{port}" in message and "ConnectError" in message
    ok, message = post_webhook("not a url", PAYLOAD, alert_id="x")
    assert not ok


@pytest.mark.slow
def test_webhook_timeout():
    with Site() as receiver:
        receiver.route("/slow", lambda r: (time.sleep(1.5), r.respond(200)))
        started = time.monotonic()
        ok, message = post_webhook(receiver.url("/slow"), PAYLOAD, alert_id="x", timeout=0.3)
    assert not ok and "no answer within 0.3s" in message
    assert time.monotonic() - started < 1.2


def test_command_gets_the_json_and_the_alert_in_its_environment(tmp_path):
    out = tmp_path / "alert.json"
    ok, message = run_command(f'cat > "{out}"; echo "$REDLINE_ALERT_ID $REDLINE_ALERT_RULE" > "{out}.env"', PAYLOAD)
    assert ok, message
    assert json.loads(out.read_text()) == PAYLOAD
    assert (tmp_path / "alert.json.env").read_text().split() == [PAYLOAD["alert_id"], "kharkiv-assaults"]


def test_failing_command_is_reported(tmp_path):
    ok, message = run_command("echo 'relay refused the message' >&2; exit 3", PAYLOAD)
    assert not ok and "status 3" in message and "relay refused the message" in message
    ok, message = run_command("exit 0", PAYLOAD)  # a command that ignores its input is fine
    assert ok, message


@pytest.mark.slow
def test_command_past_its_timeout_is_killed(tmp_path):
    marker = tmp_path / "finished"
    started = time.monotonic()
    ok, message = run_command(f'sleep 5; touch "{marker}"', PAYLOAD, timeout=0.5)
    assert not ok and "did not finish within 0.5s" in message
    assert time.monotonic() - started < 3
    time.sleep(0.2)
    assert not marker.exists()
