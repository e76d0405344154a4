"""What every command shares and that imports no command: the typer ``app`` they register on,
the stderr console (and the monitor's log on it), failing and warning in one line, and opening the
output and the store (or the owner's snapshot of it; or owning it, for the monitor).

The CLI's modules import one way only: ``base`` <- ``options``, ``show`` <- the command modules
(``code``, ``store``, ``analytics``, ...) <- ``redline.cli`` (which registers them and holds ``main``).
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import IO, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..ingest import InputWarning
from ..output.safe import printable

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Redline: code news articles into political events (CAMEO / PLOVER).")
err = Console(stderr=True, highlight=False, soft_wrap=True)


_program = False  # set by redline.cli.main: this process is the `redline` program, not a test runner


def as_program() -> None:
    """Say that this process is the ``redline`` program (:func:`finish` may end it)."""
    global _program
    _program = True


def finish(status: int = 0) -> None:
    """A command that has written and closed everything ends here. As the ``redline`` program the
    process ends at once: the interpreter's teardown (freeing the model and tables object by
    object) costs a third of a second, 3% of coding 400 documents on two cores. Elsewhere (a test
    runner invoking the app) a non-zero status exits as usual and zero returns."""
    if _program:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more can be said
                pass
        logging.shutdown()
        os._exit(status)
    if status:
        raise typer.Exit(status)


def reader_gone() -> NoReturn:
    """The reader of standard output closed it (``redline code ... | head``): it has what it wanted,
    so the command stops quietly with status 0, as ``query`` and ``export`` do."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush writes nowhere
    raise typer.Exit(0)


def fail(message: str, status: int = 2) -> NoReturn:
    """One plain line on stderr and exit: status 2 for a usage problem, 1 for a failure."""
    err.print(f"[red]error[/]: {escape(printable(message))}")
    raise typer.Exit(status)


def warn(warning: InputWarning) -> None:
    """An input warning: printed, even with --quiet (which hides progress, not problems)."""
    err.print(f"[yellow]warning[/]: {escape(printable(str(warning)))}")


def first_line(error: BaseException) -> str:
    """What went wrong, in one line (DuckDB and OSError messages can run to many)."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}" + (f": {error.filename}" if error.filename else "")
    text = str(error).strip().splitlines()
    found = re.search(r'"exception_message":\s*("(?:[^"\\]|\\.)*")', text[0] if text else "")
    if found:  # DuckDB wraps some IO errors in JSON: keep its message
        return json.loads(found.group(1))
    return text[0] if text else type(error).__name__


def open_output(path: Optional[Path]) -> IO[str]:
    """``-o FILE`` opened for writing (stdout without one, or for '-'); a path that cannot be
    written is one line and exit status 1."""
    if path is None or str(path) == "-":
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as e:
        fail(f"--output: cannot write {path}: {e.strerror}", status=1)


def db_path(path: Optional[Path]) -> Path:
    """The store a command works on: ``--db``, else $REDLINE_DB, else ./redline.duckdb."""
    return path or Path(os.environ.get("REDLINE_DB", "redline.duckdb"))


def open_store(path: Path, read_only: bool = False, wait: float = 0.0, sandboxed: bool = False):
    """The store, or a clear error; ``sandboxed``: read-only and confined for user SQL (``store.sandbox``).
    A read of a store that a monitor or server owns (``redline.monitor.owner``) reads the owner's
    snapshot instead, and says so on stderr."""
    from ..store import Store, StoreBusy, StoreDamaged
    from ..store.sandbox import open_store as open_sandboxed

    def opener(where: Path):
        return open_sandboxed(where, wait=wait) if sandboxed else Store(where, read_only=read_only, wait=wait)
    try:
        return opener(path)
    except StoreBusy as e:
        snapshot = _owned_snapshot(path) if (read_only or sandboxed) else None
        if snapshot is None:
            fail(str(e))
        owner, where = snapshot
        err.print(f"the store is owned by process {owner.pid} ({owner.role}); reading its snapshot of "
                  f"{owner.snapshot_at}")
        try:
            return opener(where)
        except Exception as e2:
            fail(f"{where}: cannot read the snapshot of the owned store {path}: {first_line(e2)}")
    except FileNotFoundError as e:
        fail(str(e))
    except StoreDamaged as e:
        fail(str(e), status=1)
    except Exception as e:  # a file that is not a DuckDB store, a newer format, ...
        fail(f"{path}: cannot open the store: {first_line(e)}")


def _owned_snapshot(path: Path) -> Any:
    """(the live owner, its snapshot's path) when a monitor or server owns the store and has
    written a snapshot; else None."""
    from ..monitor.owner import read_owner, snapshot_path
    owner = read_owner(path)
    where = snapshot_path(path)
    if owner is None or owner.snapshot_at is None or not where.is_file():
        return None
    return owner, where


def log_to_stderr(quiet: bool) -> None:
    """The monitor's log on stderr, a line per feed per cycle (INFO); problems only with ``quiet``.
    On a terminal the lines are drawn by rich (times, levels in colour); elsewhere (a pipe, a
    journal) they are plain ``TIME LEVEL message`` lines."""
    if err.is_terminal:
        from rich.logging import RichHandler
        handler: logging.Handler = RichHandler(console=err, show_path=False, markup=False,
                                               log_time_format="%H:%M:%S")
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_printable_record)
    for name in ("redline.monitor", "redline.feeds"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


def _printable_record(record: logging.LogRecord) -> bool:
    """A log line without control characters: its words come from feeds and pages (errors, titles)."""
    record.msg, record.args = printable(record.getMessage()), ()
    return True


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
