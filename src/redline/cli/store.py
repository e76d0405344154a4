"""Store commands: ``redline ingest``, ``query``, ``export``, ``import``."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from ..ingest import InputError, read
from ..registry import readers
from ..store.read import SORTS
from .base import app, db_path, err, fail, finish, first_line, open_store, reader_gone, warn
from .options import (RAW_CELLS_HELP, Db, FilterValues, Model, Output, PubDate, Quiet, RawCells, Wait, Workers,
                      check_choice, filter_options, filters, format_option, model_file, publication_date,
                      worker_count)
from .show import ALERT_EXIT, Layout, run_watch, write_rows


def _count_documents(paths: List[str], input_format: Optional[str]) -> Optional[int]:
    """How many documents there are to read, for the progress bar (None for stdin)."""
    if "-" in paths:
        return None
    return sum(1 for _ in read(paths, input_format=input_format, on_warning=lambda w: None))


@app.command("ingest")
def ingest_command(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Files or folders (as for `redline code`)."),
    db: Db = None,
    pub_date: PubDate = None,
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Read every input as this format."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or dask (a Dask cluster)."),
    workers: Workers = None,
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    parquet_dir: Optional[Path] = typer.Option(None, "--parquet-dir", help="dask: where workers write Parquet."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=10000,
                                   help="Documents per batch (one parse batch, one store transaction)."),
    wait: Wait = 0.0,
    actors: List[Path] = typer.Option([], "--actors", metavar="FILE", help="Your actor file(s)."),
    predicates: List[Path] = typer.Option([], "--predicates", metavar="FILE", help="Extra predicate rows."),
    watch: Optional[Path] = typer.Option(None, "--watch", metavar="RULES.yaml",
                                         help="Evaluate these red-line rules after the ingest (exit 3 if one fires)."),
    model: Model = None,
    log: bool = typer.Option(False, "--log", help="A line on stderr per committed batch (for logs and schedulers)."),
    quiet: Quiet = False,
) -> None:
    """Code documents and store them: documents, mentions, and events merged across articles.

    A document already stored (the same text, publisher, url and date) is skipped, so an
    interrupted ingest resumes when run again; the same text from another publisher, url or date
    is stored and counted as another publication. A bad document is reported as FILE:LINE and
    skipped (exit status 1); the others are stored.
    Coding uses every usable core by default (--workers; with --engine dask, the workers of the
    LocalCluster it starts).
    Example: redline ingest corpus.jsonl --db news.duckdb
    """
    from ..engines import CoderOptions, EngineSettings, engines
    from ..store.ingest import ingest
    check_choice("--engine", engine, tuple(engines), what="engine")
    if input_format:
        check_choice("--input-format", input_format, tuple(readers), what="input format")
    if scheduler and engine != "dask":
        fail("--scheduler needs --engine dask")
    for f in [*actors, *predicates]:
        if not f.is_file():
            fail(f"{f}: no such file")
    if actors:
        from ..actors.userfiles import read_user_file
        for f in actors:
            try:
                read_user_file(f)  # a bad actor file stops the run before any coding
            except ValueError as e:
                fail(f"--actors: {e}")
    if watch is not None:
        from ..analytics.watch import RuleError, load_rules
        try:
            load_rules(watch)  # a bad rules file stops the run before any coding
        except RuleError as e:
            fail(str(e))
    default_date = publication_date(pub_date)
    settings = EngineSettings(workers=worker_count(workers), batch_size=batch_size, scheduler=scheduler,
                              parquet_dir=str(parquet_dir) if parquet_dir else None,
                              coder=CoderOptions(tuple(map(str, actors)), tuple(map(str, predicates)),
                                                 batch_size=batch_size, model=model_file(model)))
    store = open_store(db_path(db), wait=wait)
    show = not quiet and err.is_terminal
    total = _count_documents(paths, input_format) if show else None  # a second read, only for the bar
    started = time.perf_counter()
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
    bar = Progress(TextColumn("ingest"), BarColumn(), TaskProgressColumn(), TextColumn("{task.completed}/{task.total} docs"),
                   TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
                   console=err, transient=True, disable=not show)
    task = bar.add_task("ingest", total=total, rate="")

    def progress(stats) -> None:
        rate = stats.coded / max(time.perf_counter() - started, 1e-9)
        bar.update(task, completed=stats.coded + stats.skipped_stored, rate=f"{rate:.1f} docs/s")
        if log:
            err.print(f"committed {stats.coded} documents ({stats.mentions} mentions, {rate:.1f} docs/s)")

    def on_piece(document, done: int, total: int) -> None:  # a long text, coded in pieces
        bar.update(task, rate=f"{document.id}: {done / total:.0%} of {total:,} characters")
    settings.on_piece = on_piece if show else None

    def on_error(e: InputError) -> None:
        err.print(f"[red]error[/]: {escape(str(e))}")

    try:
        with bar:
            stats = ingest(read(paths, default_date=default_date, input_format=input_format, on_warning=warn),
                           store, engine, settings, on_error=on_error, progress=progress)
    except KeyboardInterrupt:
        store.close()
        err.print("interrupted: the batches already committed are kept; run the same command again to resume")
        raise typer.Exit(130)
    except Exception as e:  # a full disk, a store file that cannot be written or read
        try:
            store.close()
        except Exception:  # noqa: BLE001 - the store may be what failed; its last batch was rolled back
            pass
        fail(f"ingest stopped: {first_line(e)}. The batches already committed are kept; fix the cause "
             "(e.g. free disk space) and run the same command again to resume", status=1)
    counts = store.counts()
    # every ingest checks the red lines (declared in this or earlier articles) against the events;
    # crossings are recorded as alerts; with --watch the rules too, and the exit status says so
    fired = run_watch(store, watch, quiet=quiet and watch is None)
    store.close()
    elapsed = time.perf_counter() - started
    if not quiet:
        err.print(f"coded {stats.coded} document(s) in {elapsed:.1f}s ({stats.coded / max(elapsed, 1e-9):.1f} docs/s), "
                  f"{stats.mentions} mention(s); skipped {stats.skipped_stored} already stored")
        err.print(f"store {db_path(db)}: {counts['documents']} documents, {counts['mentions']} mentions, "
                  f"{counts['events']} events; {stats.statements} red-line statement(s) read")
        if stats.errors:
            err.print(f"skipped {len(stats.errors)} input(s) with errors (listed above)")
    finish(1 if stats.errors else ALERT_EXIT if fired and watch is not None else 0)  # (the store is closed)


QUERY_COLUMNS = ["date", "source_code", "cameo", "plover", "target_code", "modality", "n_mentions", "n_articles",
                 "evidence"]
QUERY_FORMATS = ("table", "csv", "jsonl")
SORT_HELP = f"With filters: sort by {', '.join(SORTS)}; a leading '-' for descending."
QUERY_TABLE = Layout(widths={"evidence": 70}, width=40, fold=False, pad_edge=True, line=220)


def read_events(store, selected, sort: str, limit: int) -> list[tuple]:
    """The first ``limit`` events (0: all) matching ``selected`` in ``sort`` order, as rows of
    QUERY_COLUMNS: pages of ``store.read.events``, one after the other by their cursor."""
    from ..store.read import MAX_LIMIT, events
    rows: list[tuple] = []
    after = None
    while True:
        size = MAX_LIMIT if not limit else min(MAX_LIMIT, limit - len(rows))
        page = events(store, selected, fields=QUERY_COLUMNS, sort=sort, after=after, limit=size)
        rows += [tuple(r[c] for c in QUERY_COLUMNS) for r in page.rows]
        after = page.next
        if after is None or (limit and len(rows) >= limit):
            return rows


@app.command("query")
@filter_options()
def query_command(
    sql: Optional[str] = typer.Argument(None, metavar="[SQL]", help="SQL over documents, mentions, events, actors."),
    db: Db = None,
    fmt: str = format_option("table", QUERY_FORMATS),
    sort: str = typer.Option("-date", "--sort", metavar="FIELD", help=SORT_HELP),
    limit: int = typer.Option(50, "--limit", min=0, help="Rows to print (0: all)."),
    output: Output = None,
    timeout: float = typer.Option(60.0, "--timeout", min=0, metavar="SECONDS",
                                  help="Stop SQL still running after this long (0: no limit)."),
    wait: Wait = 0.0,
    raw_cells: RawCells = False,
    *,
    filter_values: FilterValues,
) -> None:
    """Print events from the store, by SQL or by filters (the same as `export`, the API and watch rules).

    SQL runs on the store and nothing else: one SELECT (also DESCRIBE, SHOW, SUMMARIZE), read-only,
    with no access to files, other databases, extensions or the network, and no SET or PRAGMA;
    anything else is refused, and a query running past --timeout is stopped.

    Examples: redline query --dyad RUS:UKR --type ASSAULT --from 2024-01-01
              redline query --root 19 --country UKR --text shelled --sort -n_mentions
              redline query "SELECT source_country, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"
    """
    from ..store import sandbox
    from ..store.read import ReadError
    check_choice("--format", fmt, QUERY_FORMATS)
    if sql and filter_values:
        fail("give SQL or filters, not both")
    selected = None if sql else filters(filter_values)
    store = open_store(db_path(db), wait=wait, sandboxed=True)
    try:
        if selected is None:
            result = sandbox.run(store, sql, timeout=timeout or None)
            columns, rows = result.columns, result.rows
        else:
            columns, rows = QUERY_COLUMNS, read_events(store, selected, sort, limit)
    except ReadError as e:
        fail(f"--{e.parameter}: {e.problem}")
    except sandbox.QueryRefused as e:
        fail(f"query refused: {e}")
    except sandbox.QueryTimeout as e:
        fail(f"{e} (--timeout SECONDS allows longer, 0 no limit)")
    except Exception as e:  # duckdb errors: a bad query is a usage error
        fail(f"query failed: {e}")
    finally:
        store.close()
    write_rows(columns, rows, fmt, output, raw_cells, QUERY_TABLE)
    if fmt == "table" and not output:
        err.print(f"{len(rows)} row(s)")


@app.command("export")
@filter_options()
def export_command(
    fmt: str = typer.Argument(..., metavar="FORMAT", help="parquet, csv, jsonl, gdelt, icews, polecat or plover."),
    output: Path = typer.Option(..., "--output", "-o", help="File (a folder for parquet); '-' writes to stdout."),
    db: Db = None,
    table: str = typer.Option("events", "--table", help="csv/jsonl: events, mentions or documents."),
    wait: Wait = 0.0,
    raw_cells: bool = typer.Option(False, "--raw-cells", help=RAW_CELLS_HELP + " Applies to csv, gdelt, icews "
                                   "and polecat."),
    header: bool = typer.Option(False, "--header", help="gdelt: add a header row (GDELT's own files have none)."),
    *,
    filter_values: FilterValues,
) -> None:
    """Export events (with the same filters as `query`) as Redline tables, GDELT/ICEWS/POLECAT files
    or PLOVER JSON records.

    Example: redline export gdelt -o events.tsv --from 2024-01-01
    """
    from ..store.export import export, exporters
    check_choice("FORMAT", fmt, tuple(exporters))
    if table not in ("events", "mentions", "documents"):
        fail(f"--table: {table!r} is not events, mentions or documents")
    selected = filters(filter_values)
    to_stdout = str(output) == "-"
    if to_stdout and fmt == "parquet":
        fail("--output: parquet writes a folder of files; give a folder, not '-'")
    if not to_stdout and fmt != "parquet" and output.is_dir():
        fail(f"--output: {output} is a folder; give the name of a file to write")
    store = open_store(db_path(db), read_only=True, wait=wait)
    try:
        if to_stdout:  # written whole to a temporary file first: the exporters write files
            import shutil
            import tempfile
            with tempfile.TemporaryDirectory(prefix="redline-export-") as tmp:
                n = export(store, fmt, Path(tmp) / f"export.{fmt}", selected, table, raw_cells=raw_cells,
                           header=header)
                with open(Path(tmp) / f"export.{fmt}", "rb") as f:
                    shutil.copyfileobj(f, sys.stdout.buffer)
                sys.stdout.flush()
        else:
            n = export(store, fmt, output, selected, table, raw_cells=raw_cells, header=header)
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        reader_gone()
    except Exception as e:  # a full disk, a path that cannot be written, a store that cannot be read
        fail(f"export to {output} failed: {first_line(e)}", status=1)
    finally:
        store.close()
    err.print(f"exported {n} {'events' if fmt not in ('csv', 'jsonl') else table} to "
              f"{'stdout' if to_stdout else output}")


@app.command("import")
def import_command(
    folder: Path = typer.Argument(..., help="A Parquet folder from `redline export parquet` or a Dask run."),
    db: Db = None,
    wait: Wait = 0.0,
) -> None:
    """Load a Parquet folder into a store; events are rebuilt with the merge rule.

    Example: redline import exported/ --db copy.duckdb
    """
    if not folder.is_dir():
        fail(f"{folder}: not a folder")
    store = open_store(db_path(db), wait=wait)
    try:
        added = store.load_parquet(folder)
    except (FileNotFoundError, ValueError) as e:
        fail(str(e))
    finally:
        store.close()
    err.print(f"imported {added['documents']} documents, {added['mentions']} mentions; "
              f"{added['events']} new events")
