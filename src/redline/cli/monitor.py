"""``redline monitor``: poll feeds, code, store, alert, in cycles; ``redline status``: what it did."""
from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from .base import app, db_path, err, fail, first_line
from .options import Db, Quiet
from .show import ALERT_EXIT, Layout, write_rows

FEEDS_HELP = "The feeds file (YAML): feeds and URL lists to poll, watch rules, where alerts go."
RULES_HELP = "Watch rules file (as for `redline watch`); default: the feeds file's `rules`."
WEBHOOK_HELP = "POST each new alert (JSON) to this URL too (repeatable), besides the feeds file's webhooks."
PRIVATE_HELP = ("Allow fetching private, loopback and link-local addresses (off by default: a feed must not "
                "make Redline reach into your network).")
SNAPSHOT_HELP = ("Do not write <db>.snapshot after each cycle (the copy the command line reads while the store "
                 "is owned): for stores too big to copy every cycle.")
MONITOR_WORKERS_HELP = "Worker processes that code the new articles (default 1: this process)."


def setup(feeds_file: Path, rules: Optional[Path], webhooks: List[str], workers: int, allow_private: bool
          ) -> tuple[Any, Any, Any]:
    """The feeds file read and the monitor's options and fetch policy, or exit 2 naming the problem."""
    from ..feeds.config import FeedsFileError, check_http_url, load_feeds
    from ..feeds.fetch import FetchPolicy
    from ..monitor.cycle import Options
    from ..monitor.deliver import Targets
    try:
        feeds = load_feeds(feeds_file)
    except FeedsFileError as e:
        fail(str(e))
    except OSError as e:
        fail(f"{feeds_file}: cannot read the feeds file: {first_line(e)}")
    extra = []
    for url in webhooks:
        try:
            extra.append(check_http_url(url))
        except ValueError as e:
            fail(f"--webhook: {e}")
    if rules is not None and not rules.is_file():
        fail(f"--rules: {rules}: no such file")
    if workers < 1:
        fail(f"--workers: {workers} is not a number of worker processes (give 1 or more)")
    targets = Targets(webhooks=tuple(dict.fromkeys([*feeds.notify.webhooks, *extra])), command=feeds.notify.command,
                      attempts=feeds.notify.retries)
    return feeds, Options(rules=rules or feeds.rules, targets=targets, workers=workers), \
        FetchPolicy(allow_private=allow_private)


def log_to_stderr(quiet: bool) -> None:
    """The monitor's log on stderr, a line per feed per cycle (INFO); problems only with ``quiet``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    for name in ("redline.monitor", "redline.feeds"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


def open_service(path: Path, feeds: Any, options: Any, policy: Any, role: str, url: Optional[str] = None,
                 snapshots: bool = True) -> Any:
    """The store claimed by this process with the monitor on it, or exit naming the problem."""
    from ..analytics.watch import RuleError
    from ..monitor.service import Service
    from ..store import StoreBusy, StoreDamaged
    try:
        return Service(path, feeds, options, policy, role=role, url=url, snapshots=snapshots)
    except RuleError as e:
        fail(str(e))
    except StoreBusy as e:
        fail(str(e))
    except StoreDamaged as e:
        fail(str(e), status=1)
    except Exception as e:
        fail(f"{path}: cannot open the store: {first_line(e)}")


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
    feeds, options, policy = setup(feeds_file, rules, webhook, workers, allow_private)
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
