"""Alerts out: the outbox (``deliveries``) filled in the transaction that records the alerts, and
emptied by sending each due delivery with ``redline.feeds.notify``.

Exactly once per target: an attempt is counted before it is made, and a delivery is marked
delivered as soon as the target answers 2xx. A monitor killed in the moment between the answer and
that mark sends the alert again when it restarts; every webhook carries the alert's id in the
``Redline-Alert-Id`` header so that a receiver can drop such a repeat.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from ..store import Store
from . import state

log = logging.getLogger("redline.monitor")

RETRY_BASE = 30.0       # seconds before the first retry; doubled after each failed attempt
RETRY_MAX = 3600.0      # at most an hour between attempts
SEND_TIMEOUT = 10.0     # seconds a webhook or the command may take


@dataclass(frozen=True)
class Targets:
    """Where alerts go: webhook URLs and an optional shell command; ``attempts`` per delivery."""

    webhooks: tuple[str, ...] = ()
    command: str | None = None
    attempts: int = 5

    def names(self) -> list[str]:
        """The outbox's target names: ``webhook:URL`` for each webhook, ``command`` for the command."""
        return [f"webhook:{url}" for url in self.webhooks] + (["command"] if self.command else [])


def retry_delay(attempts: int) -> float:
    """Seconds before retrying a delivery that has failed ``attempts`` times."""
    return min(RETRY_BASE * 2.0 ** max(attempts - 1, 0), RETRY_MAX)


def queue_alerts(targets: Targets, now: Callable[[], datetime] = state.utcnow) -> Callable[[Any, list[Any]], None]:
    """What ``watch.evaluate`` / ``evaluate_crossings`` call inside the transaction recording new
    alerts: a delivery per alert and target, due now."""
    names = targets.names()

    def within(store: Store, alerts: list[Any]) -> None:
        state.enqueue(store, [a.alert_id for a in alerts], names, now())
    return within


def deliver_due(store: Store, targets: Targets, now: datetime | None = None,
                stop: Callable[[], bool] = lambda: False) -> tuple[int, int]:
    """Send every due delivery (new ones and retries of earlier cycles); returns (delivered, failed).
    Once a target fails, its other deliveries wait for its retry without an attempt counted (a
    receiver that is down costs one timeout per pass, not one per alert). A target no longer
    configured is left in the outbox untouched."""
    from ..feeds.notify import AlertNotFound, alert_payload, post_webhook, run_command
    now = now or state.utcnow()
    ok_count = failed = 0
    payloads: dict[str, dict[str, Any]] = {}
    live = set(targets.names())
    broken: dict[str, datetime] = {}  # targets that failed in this pass: when they are tried again
    for row in state.due_deliveries(store, now):
        if stop():
            break
        alert_id, target, attempts = row["alert_id"], row["target"], row["attempts"]
        if target not in live:
            continue
        if target in broken:  # it just failed: its other alerts wait with it, uncounted
            state.postpone(store, alert_id, target, broken[target])
            continue
        if alert_id not in payloads:
            try:
                payloads[alert_id] = alert_payload(store, alert_id)
            except AlertNotFound as e:  # cannot happen: the outbox is written with the alert
                state.attempt(store, alert_id, target, None)
                state.delivery_failed(store, alert_id, target, str(e))
                continue
        last = attempts + 1 >= targets.attempts
        retry = now + timedelta(seconds=retry_delay(attempts + 1))
        state.attempt(store, alert_id, target, None if last else retry)
        try:
            if target.startswith("webhook:"):
                ok, message = post_webhook(target[len("webhook:"):], payloads[alert_id], alert_id=alert_id,
                                           timeout=SEND_TIMEOUT)
            else:
                ok, message = run_command(targets.command or "", payloads[alert_id], timeout=SEND_TIMEOUT)
        except Exception as e:  # a sender must not stop the monitor
            ok, message = False, f"{type(e).__name__}: {e}"
        if ok:
            state.delivered(store, alert_id, target, state.utcnow())
            ok_count += 1
            log.info("alert %s delivered to %s", alert_id, target)
        else:
            state.delivery_failed(store, alert_id, target, message)
            broken[target] = retry
            failed += 1
            log.warning("alert %s to %s failed (attempt %d of %d%s): %s", alert_id, target, attempts + 1,
                        targets.attempts, ", giving up" if last else "", message)
    return ok_count, failed


__all__ = ["Targets", "deliver_due", "queue_alerts", "retry_delay"]
