"""Sending one alert: the JSON it is sent as, a webhook POST, a local command.

The caller (the monitor) keeps the outbox and retries across cycles; these functions make one
attempt each, never raise on a network or command failure, and say what happened as
``(ok, message)``. Webhook targets are the operator's own configuration, so private and
loopback addresses are allowed for them (unlike feeds); redirects are not followed, proxies from
the environment are not used.

The payload (``alert_payload``), as a webhook receives it::

    {
      "alert_id": "5f0c1d2e3a4b5c6d7e8f9a0b",
      "rule": "troops-near-border",
      "kind": "count",
      "fired_at": "2026-12-06T17:45:02Z",
      "window_start": "2026-12-04",
      "window_end": "2026-12-04",
      "n_events": 3,
      "n_new": 2,
      "detail": "3 matching events between 2026-12-04 and 2026-12-04 (threshold 2 per 1d)",
      "events_truncated": false,
      "events": [
        {
          "event_key": "9a8b7c6d5e4f30211a2b3c4d5e6f7081",
          "date": "2026-12-04",
          "source": {"code": "RUS", "name": "Russia", "country": "RUS"},
          "target": {"code": "UKR", "name": "Ukraine", "country": "UKR"},
          "cameo": "190", "cameo_root": "19", "plover": "ASSAULT", "quad_class": 4,
          "goldstein": -10.0, "modality": "factual",
          "location": {"name": "Kharkiv", "country": "UKR", "lat": 49.99, "lon": 36.23},
          "n_articles": 2, "n_sources": 2,
          "evidence": [
            {"sentence": "Russian forces shelled Kharkiv on Thursday, regional officials said.",
             "url": "https://example.org/world/kharkiv-shelling", "publisher": "Example News",
             "title": "Shelling hits Kharkiv", "published": "2026-12-04"}
          ]
        }
      ]
    }

Headers: ``Content-Type: application/json``, ``User-Agent``, and ``Redline-Alert-Id`` (the
alert's id: an idempotency key, since a delivery may be retried after a receiver got it). The
command gets the same JSON on stdin and ``REDLINE_ALERT_ID`` and ``REDLINE_ALERT_RULE`` in its
environment.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
from datetime import date, datetime, timezone
from typing import Any

import httpx

from ..store import read
from .fetch import USER_AGENT

MAX_EVENTS = 100  # per payload (the alert's counts say how many there are)
MAX_EVIDENCE = 5  # sentences per event
MAX_OUTPUT = 500  # characters of a receiver's or command's answer kept in a message


class AlertNotFound(LookupError):
    """An alert id that is not in the store."""


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _actor(event: dict[str, Any], side: str) -> dict[str, Any] | None:
    if not event.get(f"{side}_code"):
        return None
    return {"code": event[f"{side}_code"], "name": event.get(f"{side}_name"), "country": event.get(f"{side}_country")}


def _event(store, key: str) -> dict[str, Any] | None:
    """One event of an alert as the payload gives it, from ``store.read.event``."""
    found = read.event(store, key)
    if found is None:
        return None
    documents = {d["doc_key"]: d for d in found["documents"]}
    evidence, seen = [], set()
    for mention in sorted(found["mentions"], key=lambda m: -(m.get("confidence") or 0)):
        doc = documents.get(mention["doc_key"], {})
        pair = (mention.get("evidence"), doc.get("url"))
        if pair in seen:
            continue
        seen.add(pair)
        evidence.append({"sentence": mention.get("evidence"), "url": doc.get("url"), "publisher": doc.get("publisher"),
                         "title": doc.get("title"), "published": _iso(doc.get("published"))})
        if len(evidence) >= MAX_EVIDENCE:
            break
    location = None
    if found.get("location_name") or found.get("lat") is not None:
        location = {"name": found.get("location_name"), "country": found.get("location_country"),
                    "lat": found.get("lat"), "lon": found.get("lon")}
    return {"event_key": key, "date": _iso(found.get("date")), "source": _actor(found, "source"),
            "target": _actor(found, "target"), "cameo": found.get("cameo"), "cameo_root": found.get("cameo_root"),
            "plover": found.get("plover"), "quad_class": found.get("quad_class"), "goldstein": found.get("goldstein"),
            "modality": found.get("modality"), "location": location, "n_articles": found.get("n_articles"),
            "n_sources": found.get("n_sources"), "evidence": evidence}


def alert_payload(store, alert: Any) -> dict[str, Any]:
    """The JSON a webhook receives for a stored alert (given as its id, a ``watch.Alert`` or a row
    with ``alert_id``): the alert and its events (at most ``MAX_EVENTS``), each with its evidence
    sentences and their documents' URL and publisher. Raises ``AlertNotFound``."""
    alert_id = alert if isinstance(alert, str) else (alert["alert_id"] if isinstance(alert, dict) else alert.alert_id)
    rows = read.alerts(store, alert_id=alert_id, limit=1)
    if not rows:
        raise AlertNotFound(f"no alert {alert_id!r} in the store")
    row = rows[0]
    keys = [e["event_key"] for e in row.pop("events", [])]
    events = [e for e in (_event(store, key) for key in keys[:MAX_EVENTS]) if e is not None]
    payload = {name: _iso(value) for name, value in row.items()}
    payload["events_truncated"] = len(keys) > MAX_EVENTS
    payload["events"] = events
    return payload


def _body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_OUTPUT else text[:MAX_OUTPUT] + "..."


def post_webhook(url: str, payload: dict[str, Any], *, alert_id: str, timeout: float = 10.0,
                 client: httpx.Client | None = None) -> tuple[bool, str]:
    """POST ``payload`` as JSON to ``url`` once; (True, ...) on a 2xx answer, else (False, why).
    Never raises on a network failure (the caller retries later)."""
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Redline-Alert-Id": alert_id}
    own = client is None
    http = client or httpx.Client(trust_env=False, follow_redirects=False)
    try:
        response = http.post(url, content=_body(payload), headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        return False, f"{url}: no answer within {timeout:g}s"
    except (httpx.HTTPError, OSError, ValueError) as err:  # ValueError: a URL httpx refuses
        return False, f"{url}: {type(err).__name__}: {err or 'connection failed'}"
    finally:
        if own:
            http.close()
    if 200 <= response.status_code < 300:
        return True, f"{url}: HTTP {response.status_code}"
    answer = _short(response.text) if response.content else ""
    return False, f"{url}: HTTP {response.status_code} {response.reason_phrase}{f': {answer}' if answer else ''}".rstrip()


def run_command(command: str, payload: dict[str, Any], *, timeout: float = 30.0) -> tuple[bool, str]:
    """Run ``command`` through the shell with the payload's JSON on stdin (and REDLINE_ALERT_ID,
    REDLINE_ALERT_RULE in its environment); (False, why) on a nonzero exit or past ``timeout``
    (the command and its children are killed). Never raises."""
    env = {**os.environ, "REDLINE_ALERT_ID": str(payload.get("alert_id", "")),
           "REDLINE_ALERT_RULE": str(payload.get("rule", ""))}
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env, start_new_session=True)
    except OSError as err:
        return False, f"cannot run {command!r}: {err}"
    try:
        out, err = process.communicate(_body(payload), timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
        return False, f"{command!r} did not finish within {timeout:g}s (killed)"
    if process.returncode != 0:
        said = _short(err.decode("utf-8", "replace") or out.decode("utf-8", "replace"))
        return False, f"{command!r} exited with status {process.returncode}{f': {said}' if said else ''}"
    return True, f"{command!r} exited with status 0"
