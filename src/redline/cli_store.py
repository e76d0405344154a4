"""Store commands: ``redline ingest``, ``query``, ``export``, ``import``."""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .cli import MODEL_HELP, RAW_CELLS_HELP, _date_option, _model_option, app, err, fail, warn
from .ingest import InputError, read
from .output.safe import cell, printable
from .registry import readers

DB_HELP = "The store (a DuckDB file); default redline.duckdb, or $REDLINE_DB."
WAIT_HELP = "Seconds to wait for another process (an ingest) holding the store."


def _db(path: Optional[Path]) -> Path:
    return path or Path(os.environ.get("REDLINE_DB", "redline.duckdb"))


def _open(path: Path, read_only: bool = False, wait: float = 0.0, sandboxed: bool = False):
    """The store, or a clear error; ``sandboxed``: read-only and confined for user SQL (``store.sandbox``)."""
    from .store import Store, StoreBusy, StoreDamaged
    from .store.sandbox import open_store
    try:
        return open_store(path, wait=wait) if sandboxed else Store(path, read_only=read_only, wait=wait)
    except (StoreBusy, FileNotFoundError) as e:
        fail(str(e))
    except StoreDamaged as e:
        fail(str(e), status=1)
    except Exception as e:  # a file that is not a DuckDB store, a newer format, ...
        fail(f"{path}: cannot open the store: {_first_line(e)}")


def _filters(values: dict, cls=None, defaults: Optional[dict] = None):
    """Filters from CLI options named as the read model names them (``store.query.PARAMETERS``);
    a bad value fails naming its option."""
    from .store.query import FilterError, Filters
    try:
        return (cls or Filters).from_mapping(values, defaults=defaults)
    except FilterError as e:
        fail(f"--{e.parameter.replace('_', '-')}: {e.problem}")


def filter_options(actor, dyad, undirected, types, start, end, factual, min_mentions) -> dict:
    """The common filter options of query and export as read-model parameters."""
    return {"actor": actor, "dyad": dyad, "undirected": undirected or None, "type": list(types),
            "from": start, "to": end, "factual": factual or None,
            "min_mentions": min_mentions if min_mentions > 1 else None}


def _count_documents(paths: List[str], input_format: Optional[str]) -> Optional[int]:
    """How many documents there are to read, for the progress bar (None for stdin)."""
    if "-" in paths:
        return None
    return sum(1 for _ in read(paths, input_format=input_format, on_warning=lambda w: None))


@app.command("ingest")
def ingest_command(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Files or folders (as for `redline code`)."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    pub_date: Optional[str] = typer.Option(None, "--date", "-d", metavar="YYYY-MM-DD",
                                           help="Publication date for documents that carry none."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Read every input as this format."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or dask (a Dask cluster)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=256,
                                help="Worker processes (local) or LocalCluster workers (dask)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    parquet_dir: Optional[Path] = typer.Option(None, "--parquet-dir", help="dask: where workers write Parquet."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=10000,
                                   help="Documents per batch (one parse batch, one store transaction)."),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
    actors: List[Path] = typer.Option([], "--actors", metavar="FILE", help="Your actor file(s)."),
    predicates: List[Path] = typer.Option([], "--predicates", metavar="FILE", help="Extra predicate rows."),
    watch: Optional[Path] = typer.Option(None, "--watch", metavar="RULES.yaml",
                                         help="Evaluate these red-line rules after the ingest (exit 3 if one fires)."),
    model: Optional[Path] = typer.Option(None, "--model", metavar="FILE", envvar="REDLINE_MODEL",
                                         help=MODEL_HELP),
    log: bool = typer.Option(False, "--log", help="A line on stderr per committed batch (for logs and schedulers)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary on stderr (errors and "
                                                            "warnings are still printed)."),
) -> None:
    """Code documents and store them: documents, mentions, and events merged across articles.

    A document already stored (the same text, publisher, url and date) is skipped, so an
    interrupted ingest resumes when run again; the same text from another publisher, url or date
    is stored and counted as another publication. A bad document is reported as FILE:LINE and
    skipped (exit status 1); the others are stored.
    Example: redline ingest corpus.jsonl --db news.duckdb --workers 2
    """
    from .engines import CoderOptions, EngineSettings, engines
    from .store.ingest import ingest
    if engine not in engines:
        fail(f"--engine: unknown engine '{engine}' (choose from {', '.join(engines)})")
    if input_format and input_format not in readers:
        fail(f"--input-format: unknown input format '{input_format}' (choose from {', '.join(readers)})")
    if scheduler and engine != "dask":
        fail("--scheduler needs --engine dask")
    for f in [*actors, *predicates]:
        if not f.is_file():
            fail(f"{f}: no such file")
    if actors:
        from .actors.userfiles import read_user_file
        for f in actors:
            try:
                read_user_file(f)  # a bad actor file stops the run before any coding
            except ValueError as e:
                fail(f"--actors: {e}")
    if watch is not None:
        from .analytics.watch import RuleError, load_rules
        try:
            load_rules(watch)  # a bad rules file stops the run before any coding
        except RuleError as e:
            fail(str(e))
    default_date = _date_option(pub_date)
    settings = EngineSettings(workers=workers, batch_size=batch_size, scheduler=scheduler,
                              parquet_dir=str(parquet_dir) if parquet_dir else None,
                              coder=CoderOptions(tuple(map(str, actors)), tuple(map(str, predicates)),
                                                 batch_size=batch_size, model=_model_option(model)))
    store = _open(_db(db), wait=wait)
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
        fail(f"ingest stopped: {_first_line(e)}. The batches already committed are kept; fix the cause "
             "(e.g. free disk space) and run the same command again to resume", status=1)
    counts = store.counts()
    # every ingest checks the red lines (declared in this or earlier articles) against the events;
    # crossings are recorded as alerts; with --watch the rules too, and the exit status says so
    from .cli_analytics import run_watch
    fired = run_watch(store, watch, quiet=quiet and watch is None)
    store.close()
    elapsed = time.perf_counter() - started
    if not quiet:
        err.print(f"coded {stats.coded} document(s) in {elapsed:.1f}s ({stats.coded / max(elapsed, 1e-9):.1f} docs/s), "
                  f"{stats.mentions} mention(s); skipped {stats.skipped_stored} already stored")
        err.print(f"store {_db(db)}: {counts['documents']} documents, {counts['mentions']} mentions, "
                  f"{counts['events']} events; {stats.statements} red-line statement(s) read")
        if stats.errors:
            err.print(f"skipped {len(stats.errors)} input(s) with errors (listed above)")
    if stats.errors:
        raise typer.Exit(1)
    if fired and watch is not None:
        from .cli_analytics import ALERT_EXIT
        raise typer.Exit(ALERT_EXIT)


QUERY_COLUMNS = ["date", "source_code", "cameo", "plover", "target_code", "modality", "n_mentions", "n_articles",
                 "evidence"]


@app.command("query")
def query_command(
    sql: Optional[str] = typer.Argument(None, metavar="[SQL]", help="SQL over documents, mentions, events, actors."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    actor: Optional[str] = typer.Option(None, "--actor", help="Events with this actor on either side (RUS, RUSGOV)."),
    dyad: Optional[str] = typer.Option(None, "--dyad", help="SOURCE:TARGET, e.g. RUS:UKR."),
    undirected: bool = typer.Option(False, "--undirected", help="The dyad in either direction."),
    types: List[str] = typer.Option([], "--type", help="PLOVER type(s) or CAMEO code prefix(es): THREATEN, 19."),
    start: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD"),
    end: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD"),
    factual: bool = typer.Option(False, "--factual", help="Only events told as facts."),
    min_mentions: int = typer.Option(1, "--min-mentions", min=1),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or jsonl."),
    limit: int = typer.Option(50, "--limit", min=0, help="Rows to print (0: all)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    timeout: float = typer.Option(60.0, "--timeout", min=0, metavar="SECONDS",
                                  help="Stop SQL still running after this long (0: no limit)."),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
    raw_cells: bool = typer.Option(False, "--raw-cells", help=RAW_CELLS_HELP),
) -> None:
    """Print events from the store, by SQL or by simple filters.

    SQL runs on the store and nothing else: one SELECT (also DESCRIBE, SHOW, SUMMARIZE), read-only,
    with no access to files, other databases, extensions or the network, and no SET or PRAGMA;
    anything else is refused, and a query running past --timeout is stopped.

    Examples: redline query --dyad RUS:UKR --type ASSAULT --from 2024-01-01
              redline query "SELECT source_country, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"
    """
    from .store import sandbox
    if fmt not in ("table", "csv", "jsonl"):
        fail(f"--format: unknown format '{fmt}' (choose from table, csv, jsonl)")
    if sql and (any(x is not None for x in (actor, dyad, start, end)) or types):
        fail("give SQL or filters, not both")
    filters = None if sql else _filters(filter_options(actor, dyad, undirected, types, start, end, factual, min_mentions))
    store = _open(_db(db), wait=wait, sandboxed=True)
    try:
        if filters is None:
            result = sandbox.run(store, sql, timeout=timeout or None)
            columns, rows = result.columns, result.rows
        else:
            where, params = filters.where()
            cur = store.sql(f"SELECT {', '.join(QUERY_COLUMNS)} FROM events WHERE {where} "
                            f"ORDER BY date DESC NULLS LAST, n_mentions DESC" + (f" LIMIT {limit}" if limit else ""),
                            params)
            columns, rows = [c[0] for c in cur.description], cur.fetchall()
    except sandbox.QueryRefused as e:
        fail(f"query refused: {e}")
    except sandbox.QueryTimeout as e:
        fail(f"{e} (--timeout SECONDS allows longer, 0 no limit)")
    except Exception as e:  # duckdb errors: a bad query is a usage error
        fail(f"query failed: {e}")
    finally:
        store.close()
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "jsonl":
            for r in rows:
                out.write(json.dumps(dict(zip(columns, r)), default=str, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            import csv
            w = csv.writer(out)
            w.writerow(columns)
            w.writerows(rows if raw_cells else ([cell(v) for v in r] for r in rows))
        else:
            table = Table(show_lines=False, box=None, header_style="bold")
            for c in columns:
                table.add_column(escape(printable(c)), no_wrap=True, overflow="ellipsis", max_width=70 if c == "evidence" else 40)
            for r in rows:
                table.add_row(*("" if v is None else escape(printable(v)) for v in r))
            console = Console(file=out, highlight=False)
            if not console.is_terminal:
                console.width = 220  # a pipe or file: keep rows on one line
            console.print(table)
            if not output:
                err.print(f"{len(rows)} row(s)")
    finally:
        if output:
            out.close()


@app.command("export")
def export_command(
    fmt: str = typer.Argument(..., metavar="FORMAT", help="parquet, csv, jsonl, gdelt, icews, polecat or plover."),
    output: Path = typer.Option(..., "--output", "-o", help="File (a folder for parquet); '-' writes to stdout."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    table: str = typer.Option("events", "--table", help="csv/jsonl: events, mentions or documents."),
    actor: Optional[str] = typer.Option(None, "--actor"),
    dyad: Optional[str] = typer.Option(None, "--dyad"),
    undirected: bool = typer.Option(False, "--undirected"),
    types: List[str] = typer.Option([], "--type"),
    start: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD"),
    end: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD"),
    factual: bool = typer.Option(False, "--factual"),
    min_mentions: int = typer.Option(1, "--min-mentions", min=1),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
    raw_cells: bool = typer.Option(False, "--raw-cells", help=RAW_CELLS_HELP + " Applies to csv, gdelt, icews "
                                   "and polecat."),
    header: bool = typer.Option(False, "--header", help="gdelt: add a header row (GDELT's own files have none)."),
) -> None:
    """Export events (with the same filters as `query`) as Redline tables, GDELT/ICEWS/POLECAT files
    or PLOVER JSON records.

    Example: redline export gdelt -o events.tsv --from 2024-01-01
    """
    from .store.export import export, exporters
    if fmt not in exporters:
        fail(f"FORMAT: unknown format '{fmt}' (choose from {', '.join(exporters)})")
    if table not in ("events", "mentions", "documents"):
        fail(f"--table: {table!r} is not events, mentions or documents")
    filters = _filters(filter_options(actor, dyad, undirected, types, start, end, factual, min_mentions))
    to_stdout = str(output) == "-"
    if to_stdout and fmt == "parquet":
        fail("--output: parquet writes a folder of files; give a folder, not '-'")
    if not to_stdout and fmt != "parquet" and output.is_dir():
        fail(f"--output: {output} is a folder; give the name of a file to write")
    store = _open(_db(db), read_only=True, wait=wait)
    try:
        if to_stdout:  # written whole to a temporary file first: the exporters write files
            import shutil
            import tempfile
            with tempfile.TemporaryDirectory(prefix="redline-export-") as tmp:
                n = export(store, fmt, Path(tmp) / f"export.{fmt}", filters, table, raw_cells=raw_cells,
                           header=header)
                with open(Path(tmp) / f"export.{fmt}", "rb") as f:
                    shutil.copyfileobj(f, sys.stdout.buffer)
                sys.stdout.flush()
        else:
            n = export(store, fmt, output, filters, table, raw_cells=raw_cells, header=header)
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0)
    except Exception as e:  # a full disk, a path that cannot be written, a store that cannot be read
        fail(f"export to {output} failed: {_first_line(e)}", status=1)
    finally:
        store.close()
    err.print(f"exported {n} {'events' if fmt not in ('csv', 'jsonl') else table} to "
              f"{'stdout' if to_stdout else output}")


def _first_line(error: BaseException) -> str:
    """What went wrong, in one line (DuckDB and OSError messages can run to many)."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}" + (f": {error.filename}" if error.filename else "")
    text = str(error).strip().splitlines()
    found = re.search(r'"exception_message":\s*("(?:[^"\\]|\\.)*")', text[0] if text else "")
    if found:  # DuckDB wraps some IO errors in JSON: keep its message
        return json.loads(found.group(1))
    return text[0] if text else type(error).__name__


@app.command("import")
def import_command(
    folder: Path = typer.Argument(..., help="A Parquet folder from `redline export parquet` or a Dask run."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
) -> None:
    """Load a Parquet folder into a store; events are rebuilt with the merge rule.

    Example: redline import exported/ --db copy.duckdb
    """
    if not folder.is_dir():
        fail(f"{folder}: not a folder")
    store = _open(_db(db), wait=wait)
    try:
        added = store.load_parquet(folder)
    except (FileNotFoundError, ValueError) as e:
        fail(str(e))
    finally:
        store.close()
    err.print(f"imported {added['documents']} documents, {added['mentions']} mentions; "
              f"{added['events']} new events")
