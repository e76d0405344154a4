"""Options several commands share, defined once: the store (``--db``, ``--wait``), output
(``--output``, ``--format``, ``--raw-cells``), ``--date``, ``--model``, ``--quiet``, and the filter
options of the read model (:data:`redline.store.query.PARAMETERS`: one option per parameter, its
help from there), with the functions that turn their values into what the commands use.

    @app.command("query")
    @filter_options()                       # every filter: --actor ... --min-mentions
    def query_command(db: Db = None, *, filter_values: FilterValues) -> None:
        selected = filters(filter_values)   # Filters, or exit 2 naming the option
"""
from __future__ import annotations

import functools
import inspect
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Callable, Dict, List, Mapping, Optional, Sequence, Type, TypeVar

import typer

from ..store.query import PARAMETERS, Filters, FilterError
from .base import fail, first_line

RAW_CELLS_HELP = ("CSV: write text cells as they are. By default a cell starting with = + - @ gets a leading ' "
                  "so that a spreadsheet shows it as text instead of running it as a formula.")
MODEL_HELP = ("Sentence model file written by `redline train` (default: the built-in model; "
              "or set REDLINE_MODEL).")
DB_HELP = "The store (a DuckDB file); default redline.duckdb, or $REDLINE_DB."
WAIT_HELP = "Seconds to wait for another process (an ingest) holding the store."
QUIET_HELP = "No progress or summary on stderr (errors and warnings are still printed)."

Db = Annotated[Optional[Path], typer.Option("--db", help=DB_HELP)]
Wait = Annotated[float, typer.Option("--wait", min=0, help=WAIT_HELP)]
RawCells = Annotated[bool, typer.Option("--raw-cells", help=RAW_CELLS_HELP)]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=QUIET_HELP)]
PubDate = Annotated[Optional[str], typer.Option("--date", "-d", metavar="YYYY-MM-DD",
                                                help="Publication date for documents that carry none.")]
Model = Annotated[Optional[Path], typer.Option("--model", metavar="FILE", envvar="REDLINE_MODEL", help=MODEL_HELP)]
WORKERS_HELP = ("Worker processes that parse and code (default: every usable core; 1: this process alone). "
                "The output is the same, in input order, whatever the number.")
Workers = Annotated[Optional[int], typer.Option("--workers", "-w", metavar="N", help=WORKERS_HELP)]


def worker_count(value: Optional[int]) -> int:
    """``--workers``: the number given, or every usable core; 0 or fewer exits 2."""
    if value is None:
        from ..engines import usable_cores
        return usable_cores()
    if value < 1:
        fail(f"--workers: {value} is not a number of worker processes (give 1 or more; 1 codes in this process)")
    return value


def format_option(default: str, choices: Sequence[str], help: Optional[str] = None) -> Any:
    """``--format``/``-f`` with its choices in the help (check the value with :func:`check_choice`)."""
    return typer.Option(default, "--format", "-f", help=help or f"{', '.join(choices[:-1])} or {choices[-1]}.")


def check_choice(option: str, value: str, choices: Sequence[str], what: str = "format") -> str:
    """``value`` if it is one of ``choices``, else exit 2: ``--format: unknown format 'x' (choose from ...)``."""
    if value not in choices:
        fail(f"{option}: unknown {what} '{value}' (choose from {', '.join(choices)})")
    return value


def publication_date(value: Optional[str]) -> Optional[date]:
    """``--date``: a publication date in any form the readers take, or exit 2."""
    if value is None:
        return None
    from ..ingest import parse_publication_date
    try:
        return parse_publication_date(value)
    except ValueError as e:
        fail(f"--date: {e}")


def model_file(path: Optional[Path]) -> Optional[str]:
    """A --model file, checked now so that a bad one stops the run before any coding."""
    if path is None:
        return None
    from ..events.classifier import SentenceClassifier
    try:
        SentenceClassifier.load(path)
    except ValueError as e:
        fail(f"--model: {e}")
    return str(path)


def actor_lexicon(paths: List[Path]):
    """The built-in actor tables extended by ``--actors`` files, or exit 2 naming the bad file."""
    from ..actors import with_user_files
    try:
        return with_user_files(paths)
    except (OSError, ValueError) as e:
        fail(f"--actors: {e}")


# -- filters ----------------------------------------------------------------------------------
FilterValues = Dict[str, Any]  # read-model parameter name -> the value given (options not given are left out)
LISTED = ("type", "root", "quad", "modality", "reported_by", "country")  # may be repeated
METAVARS = {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "dyad": "SOURCE:TARGET", "min_mentions": "N"}
F = TypeVar("F", bound=Filters)


def flag(name: str) -> str:
    """The option of a read-model parameter: ``reported_by`` -> ``--reported-by``."""
    return "--" + name.replace("_", "-")


def _filter_option(name: str) -> tuple[Any, Any]:
    """The type and typer Option of a filter parameter."""
    text = PARAMETERS[name]
    if name in ("undirected", "factual"):
        return bool, typer.Option(False, flag(name), help=text)
    if name == "min_mentions":
        return int, typer.Option(1, flag(name), min=1, metavar=METAVARS[name], help=text)
    if name in LISTED:
        return List[str], typer.Option([], flag(name), help=f"{text} Repeat or comma-separate for several.")
    return Optional[str], typer.Option(None, flag(name), metavar=METAVARS.get(name), help=text)


def _given(name: str, value: Any) -> bool:
    """Whether an option's value was given (not its default)."""
    return value not in (None, False, [], "") and not (name == "min_mentions" and value == 1)


def filter_options(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the filter options of ``names`` (read-model parameters; all of them by default) to a
    command. The command takes them as one keyword argument, ``filter_values`` (a
    :data:`FilterValues` of the options given), and turns it into Filters with :func:`filters`
    where it wants the values checked."""
    for name in names:
        if name not in PARAMETERS:
            raise ValueError(f"{name!r} is not a filter parameter ({', '.join(PARAMETERS)})")
    chosen = names or tuple(PARAMETERS)

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(command, eval_str=True)
        if "filter_values" not in signature.parameters:
            raise TypeError(f"{command.__name__} takes no filter_values")
        own = [p for p in signature.parameters.values() if p.name != "filter_values"]
        added = []
        for name in chosen:
            annotation, option = _filter_option(name)
            added.append(inspect.Parameter(f"filter_{name}", inspect.Parameter.KEYWORD_ONLY, default=option,
                                           annotation=annotation))

        @functools.wraps(command)
        def with_filters(*args: Any, **kwargs: Any) -> Any:
            given = {}
            for name in chosen:
                value = kwargs.pop(f"filter_{name}")
                if _given(name, value):
                    given[name] = value
            return command(*args, filter_values=given, **kwargs)

        with_filters.__signature__ = signature.replace(parameters=[*own, *added])  # what typer reads
        return with_filters
    return decorate


def filters(values: Mapping[str, Any], cls: Type[F] = Filters, defaults: Optional[Mapping[str, Any]] = None) -> F:
    """Filters from filter options (``store.query.Filters.from_mapping``, or a subclass's); a bad
    value exits 2 naming its option: ``--quad: '7' is not a quad class ...``."""
    try:
        return cls.from_mapping(values, defaults=defaults)
    except FilterError as e:
        fail(f"{flag(e.parameter)}: {e.problem}")


# -- the monitor's options (redline monitor, serve --feeds) ------------------------------------
FEEDS_HELP = "The feeds file (YAML): feeds and URL lists to poll, watch rules, where alerts go."
RULES_HELP = "Watch rules file (as for `redline watch`); default: the feeds file's `rules`."
WEBHOOK_HELP = "POST each new alert (JSON) to this URL too (repeatable), besides the feeds file's webhooks."
PRIVATE_HELP = ("Allow fetching private, loopback and link-local addresses (off by default: a feed must not "
                "make Redline reach into your network).")
SNAPSHOT_HELP = ("Do not write <db>.snapshot after each cycle (the copy the command line reads while the store "
                 "is owned): for stores too big to copy every cycle.")
MONITOR_WORKERS_HELP = "Worker processes that code the new articles (default 1: this process)."


def monitor_setup(feeds_file: Path, rules: Optional[Path], webhooks: List[str], workers: int, allow_private: bool
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
