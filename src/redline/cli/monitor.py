"""``redline monitor``: poll feeds, code, store, alert, in cycles; ``redline status``: what it did."""
from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any, List, Optional

import typer

from .base import app, db_path, err, log_to_stderr, open_service
from .options import (FEEDS_HELP, MONITOR_WORKERS_HELP, PRIVATE_HELP, RULES_HELP, SNAPSHOT_HELP, WEBHOOK_HELP, Db,
                      Quiet, monitor_setup)
from .show import ALERT_EXIT, Layout, write_rows


@app.command("monitor")
def monitor_command(
    feeds_file: Path = typer.Argument(..., metavar="FEEDS.yaml", help=FEEDS_HELP),
    db: Db = None,
    once: bool = typer.Option(False, "--once", help="Run one cycle and exit (exit 3 if an alert fired)."),
    allow_private: bool = typer.Option(False, "--allow-private", help=PRIVATE_HELP),
    workers: int = typer.Option(1, "--workers", "-w", metavar="N", help=MONITOR_WORKERS_HELP),
    rules: Optional[Path] = typer.Option(None, "--rules", metavar="FILE", help=RULES_HELP),
    webhook: List[str] = typer.Option([], "--webhook", metavar="URL", help=WEBHOOK_HELP),
    no_snapshot: bool = typer.Option(False, "--no-snapshot", help=SNAPSHOT_HELP),
    quiet: Quiet = False,
) -> None:
    """Poll feeds, code and store their new articles, evaluate watch rules and red lines, and
    deliver new alerts, every few minutes, until Ctrl-C (or SIGTERM), which stops after the current
    step. The store is this process's while it runs; the read commands read its snapshot.

    Example: redline monitor feeds.yaml --db news.duckdb
    """
    feeds, options, policy = monitor_setup(feeds_file, rules, webhook, workers, allow_private)
    log_to_stderr(quiet)
    path = db_path(db)
    service = open_service(path, feeds, options, policy, role="monitor", snapshots=not no_snapshot)

    def stop(signum: int, frame: Any) -> None:
        if service.stop.is_set():  # the second Ctrl-C: now (the open transaction is rolled back)
            raise KeyboardInterrupt
        err.print("stopping after the current step (Ctrl-C again to stop now)")
        service.stop.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if not quiet:
            err.print(f"monitoring {len(feeds.feeds)} feed(s) into {path}"
                      + ("" if once else "; Ctrl-C stops"))
        fired = service.run(once=once)
    except KeyboardInterrupt:
        fired = 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        service.close()
    if once and fired:
        raise typer.Exit(ALERT_EXIT)


FEED_TABLE = Layout(widths={"feed_url": 48, "last_error": 40}, width=20)


@app.command("status")
def status_command(
    db: Db = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    cycles: int = typer.Option(10, "--cycles", min=1, max=1000, help="How many recent cycles to show."),
) -> None:
    """The monitor's feeds (last fetch, failures, last error, next due, items) and its last cycles
    (items, documents, events, alerts, deliveries, errors). Times are UTC. Reads the snapshot
    while a monitor or server owns the store.

    Example: redline status --db news.duckdb --json
    """
    from ..monitor.status import CYCLE_FIELDS, FEED_FIELDS, monitor_status
    from .base import open_store
    store = open_store(db_path(db), read_only=True)
    try:
        status = monitor_status(store, cycles)
    finally:
        store.close()
    if as_json:
        print(json.dumps(status, default=str, indent=1))
        return
    if not status["feeds"] and not status["cycles"]:
        err.print("no monitor has run on this store (see `redline monitor`)")
        return
    feed_columns = [c for c in FEED_FIELDS if c != "last_ok"]
    write_rows(feed_columns, [{k: _short_time(v) for k, v in r.items()} for r in status["feeds"]], "table",
               None, False, FEED_TABLE)
    print()
    write_rows(list(CYCLE_FIELDS), [{k: _short_time(v) for k, v in r.items()} for r in status["cycles"]],
               "table", None, False, Layout(width=20))
    if status["pending_deliveries"]:
        err.print(f"{status['pending_deliveries']} alert delivery(ies) pending")


def _short_time(value: Any) -> Any:
    """A timestamp to the second, for the table."""
    from datetime import datetime
    return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime) else value
