"""Coding commands: ``redline code``, ``actor``, ``eval``, ``train`` and ``version``."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..ingest import InputError, read
from ..output import write
from ..output.safe import printable
from ..registry import readers, writers
from .base import app, err, fail, finish, open_output, reader_gone, warn
from .options import (Model, Output, PubDate, Quiet, RawCells, Workers, actor_lexicon, check_choice,
                      format_option, model_file, publication_date, worker_count)

USER_MODEL = "redline-model.npz"  # where `redline train` writes by default: never the packaged model


@app.command("code")
def code_command(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Files or folders (.txt, .md, .html, .jsonl, .csv); '-' reads stdin."),
    pub_date: PubDate = None,
    fmt: str = format_option("jsonl", tuple(writers), help="Output format: jsonl, csv or table."),
    output: Output = None,
    input_format: Optional[str] = typer.Option(None, "--input-format",
                                               help="Read every input as this format (txt, md, html, jsonl, csv)."),
    predicates: List[Path] = typer.Option([], "--predicates", metavar="FILE",
                                          help="Extra predicate-lexicon rows (CSV, same header as the built-in)."),
    actors: List[Path] = typer.Option([], "--actors", metavar="FILE",
                                      help="Your actor file (CSV, YAML or a PETRARCH/TABARI dictionary); "
                                           "its names extend and override the built-in tables."),
    model: Model = None,
    workers: Workers = None,
    quiet: Quiet = False,
    raw_cells: RawCells = False,
) -> None:
    """Code articles into events, one JSON line (or CSV row, or table row) per event.

    Bad input is reported as FILE:LINE: field 'F': problem and skipped (exit status 1); texts
    over 50,000 characters are coded in pieces. Coding uses every usable core (--workers N to
    choose); the output is in input order and the same whatever the number of workers.

    Example: redline code article.txt --date 2024-03-21 --format table
    """
    default_date = publication_date(pub_date)
    check_choice("--format", fmt, tuple(writers))
    if input_format:
        check_choice("--input-format", input_format, tuple(readers), what="input format")
    n_workers = worker_count(workers)
    from ..engines import CoderOptions, EngineSettings, code_events
    from ..engines.local import code_batches, prepare
    options = CoderOptions(tuple(map(str, actors)), tuple(map(str, predicates)), model=model_file(model))
    try:
        coder = prepare(options)  # loaded here, once: forked workers share it
    except (OSError, ValueError) as e:
        if actors:
            actor_lexicon(actors)  # exits naming the actor file, if that is the bad one
        fail(f"--predicates: {e}")
    settings = EngineSettings(workers=n_workers, batch_size=coder.batch_size, coder=options)

    out = open_output(output)
    writer = write(fmt, out, raw_cells=raw_cells)
    skipped: list[InputError] = []
    n_docs = n_events = n_words = 0
    undated = 0
    started = time.perf_counter()

    def documents():
        nonlocal undated
        for item in read(paths, default_date=default_date, input_format=input_format, on_warning=warn):
            if isinstance(item, InputError):
                skipped.append(item)
                err.print(f"[red]error[/]: {escape(str(item))}")
                continue
            if item.date is None:
                undated += 1
            yield item

    show_progress = not quiet and err.is_terminal
    progress = None
    if show_progress:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        progress = Progress(SpinnerColumn(), TextColumn("{task.completed} documents, {task.fields[events]} events"),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err, transient=True)
        task = progress.add_task("coding", total=None, events=0, rate="")
        progress.start()
        settings.on_piece = lambda document, done, total: progress.update(
            task, rate=f"{document.id}: {done / total:.0%} of {total:,} characters")
    try:
        for batch, coded in code_batches(documents(), settings, code_events):
            for document, events in zip(batch, coded):
                if isinstance(events, InputError):
                    skipped.append(events)
                    err.print(f"[red]error[/]: {escape(printable(str(events)))}")
                    continue
                writer.write(events)
                n_docs += 1
                n_events += len(events)
                n_words += len(document.text.split())
            if progress is not None:
                rate = n_docs / max(time.perf_counter() - started, 1e-9)
                progress.update(task, completed=n_docs, events=n_events, rate=f"{rate:.1f} docs/s")
        writer.close()
        if out is not sys.stdout:
            out.close()
    except BrokenPipeError:
        if out is not sys.stdout:
            fail("cannot write the output: Broken pipe", status=1)
        reader_gone()  # `| head`; leaving, the workers' pool is closed with the batches' generator
    except OSError as e:  # a full disk
        fail(f"cannot write the output: {e.strerror or e}", status=1)
    finally:
        if progress is not None:
            progress.stop()
    elapsed = time.perf_counter() - started
    if not quiet:
        summary = f"coded {n_docs} document(s), {n_events} event(s) in {elapsed:.1f}s"
        if skipped:
            summary += f"; skipped {len(skipped)} input(s) with errors (listed above)"
        err.print(summary)
        if undated:
            err.print(f"[yellow]note[/]: {undated} document(s) had no publication date; relative dates in them "
                      "were not resolved (give --date)")
    finish(1 if skipped else 0)


@app.command("actor")
def actor_command(
    phrase: str = typer.Argument(..., help="An actor phrase, e.g. \"the director of Russia's Foreign Intelligence Service\"."),
    on: Optional[str] = typer.Option(None, "--date", "-d", metavar="YYYY-MM-DD",
                                     help="Resolve as of this date (people hold offices for a time)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    actor_files: List[Path] = typer.Option([], "--actors", metavar="FILE",
                                           help="Your actor file(s) (CSV, YAML, PETRARCH/TABARI dictionary)."),
) -> None:
    """Show how Redline resolves an actor phrase: code, country, sector, person, and the rule used.

    Example: redline actor "the director of Russia's Foreign Intelligence Service" --date 2024-03-19
    """
    from ..actors import resolve_actor
    day = publication_date(on)
    actors = resolve_actor(phrase, day, lexicon=actor_lexicon(actor_files) if actor_files else None)
    if as_json:
        import json
        typer.echo(json.dumps([{**a.to_dict(), "resolved_by": a.resolved_by} for a in actors], ensure_ascii=False))
        return
    from rich.table import Table
    table = Table(title=f"{escape(phrase)}" + (f" (as of {day})" if day else ""), title_justify="left")
    for column in ("code", "country", "sector", "person", "how"):
        table.add_column(column, overflow="fold")
    for a in actors:
        table.add_row(a.code or "-", a.country or "-", a.sector or "-", escape(a.name or "-"),
                      escape(a.resolved_by or "unresolved"))
    Console(highlight=False).print(table)


@app.command("eval")
def eval_command(
    gold: Path = typer.Argument(..., metavar="GOLD.jsonl", help="Labelled items: id, text and pentaclass, spans, "
                                                                 "events, cameo, event_date or modality; or "
                                                                 "articles with a \"gold\" list of key events."),
    as_json: Optional[Path] = typer.Option(None, "--json", metavar="FILE", help="Also write the full report as JSON."),
    predictions: Optional[Path] = typer.Option(None, "--pred", metavar="FILE",
                                               help="Score these already coded events (JSONL) instead of coding."),
    save: Optional[Path] = typer.Option(None, "--save-pred", metavar="FILE",
                                        help="Write the events coded for the gold items here (JSONL)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Article gold: list each gold event with its match, and the "
                                      "unmatched predictions."),
) -> None:
    """Code a gold file and score it as shared/tools/score.py does: pentaclass macro-F1 and per
    class, source spans, dyads with root code, CAMEO root confusion, PLOVER type, date and modality.

    Article gold (records with a "gold" list of key events, as ../shared/data/article_gold.jsonl)
    is scored as shared/tools/score_articles.py does, for all articles and per group.

    Example: redline eval ../shared/data/conflibert_test.jsonl --json report.json
    Example: redline eval ../shared/data/article_gold.jsonl --save-pred pred.jsonl -v
    """
    import json
    from ..eval import evaluate
    from ..eval.report import print_article_report, print_report
    if not gold.is_file():
        fail(f"GOLD: no such file: {gold}")
    if predictions is not None and not predictions.is_file():
        fail(f"--pred: no such file: {predictions}")
    saved = open(save, "w", encoding="utf-8") if save else None
    progress = None
    if not quiet and err.is_terminal and predictions is None:
        from rich.progress import Progress
        bar = Progress(console=err, transient=True)
        task = bar.add_task("coding gold items", total=None)
        bar.start()
        progress = lambda n: bar.update(task, completed=n)  # noqa: E731
    try:
        report, errors = evaluate(gold, predictions=predictions, save_predictions=saved, progress=progress)
    except InputError as e:
        fail(str(e))
    finally:
        if progress is not None:
            bar.stop()
        if saved is not None:
            saved.close()
    for e in errors:
        err.print(f"[red]error[/]: {escape(str(e))}")
    articles = report.get("kind") == "articles"
    if not report["articles" if articles else "items"]:
        err.print(f"[red]error[/]: {escape(str(gold))}: no gold {'articles' if articles else 'items'} to score")
        raise typer.Exit(1)
    if articles:
        print_article_report(report, Console(highlight=False), verbose=verbose,
                             title=f"{gold.name}: {report['articles']} articles, key events")
    else:
        print_report(report, Console(highlight=False), title=f"{gold.name}: {report['items']} items")
    if as_json:
        as_json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    if errors:
        err.print(f"skipped {len(errors)} gold line(s) with errors (listed above)")
        raise typer.Exit(1)


@app.command("train")
def train_command(
    paths: List[Path] = typer.Argument(None, metavar="PATH", help="Training JSONL files or folders "
                                                                  "(default: data/training)."),
    output: Path = typer.Option(Path(USER_MODEL), "--out", "-o", metavar="FILE",
                                help="Where to write the model; code with it by --model FILE or REDLINE_MODEL=FILE. "
                                     "The built-in model is replaced only if you name its file here."),
    folds: int = typer.Option(5, "--folds", min=0, max=20, help="Cross-validation folds to report (0: none)."),
    c: float = typer.Option(1.0, "--c", min=1e-4, max=1e4, help="Inverse regularisation strength."),
) -> None:
    """Fit the sentence classifier on labelled training text and save it (by default to
    ./redline-model.npz; `redline code --model redline-model.npz` then uses it).

    Each line: {"text": ..., "cameo": "190" or null, "source": {...}, "target": {...}, "modality": ...}.
    Example: redline train data/training --out my_model.npz
    """
    try:
        from ..events.train import train
    except ImportError:
        fail("training needs scikit-learn: pip install 'redline[train]'")
    paths = paths or [Path("data/training")]
    for p in paths:
        if not p.exists():
            fail(f"PATH: no such file or folder: {p}")
    out = output
    started = time.perf_counter()
    from rich.progress import Progress
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("parsing training text", total=None)
        try:
            model, scores = train(paths, out, folds=folds, c=c, progress=lambda n: bar.update(task, completed=n))
        except InputError as e:
            fail(str(e))
        except OSError as e:
            fail(f"--out: cannot write {out} ({e.strerror or e})")
    meta = model.meta
    err.print(f"trained on {meta['examples']} sentences ({len(meta['labels'])} labels), "
              f"{meta['features']} features, in {time.perf_counter() - started:.1f}s")
    if scores:
        err.print(f"{folds}-fold cross-validation: accuracy {scores['accuracy']:.3f}, root macro-F1 "
                  f"{scores['root_macro_f1']:.3f}, pentaclass macro-F1 {scores['pentaclass_macro_f1']:.3f}")
    err.print(f"model written to {out.resolve()} ({out.stat().st_size / 1024:.0f} KiB); code with it: "
              f"--model {out} (or REDLINE_MODEL={out})")


@app.command("version")
def version_command() -> None:
    """Print Redline's version."""
    typer.echo(f"redline {__version__}")
