"""Analytics commands: ``redline trend``, ``report``, ``watch`` and ``redlines``."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .base import app, db_path, err, fail, open_store
from .options import Db, FilterValues, Output, RawCells, Wait, check_choice, filter_options, filters, format_option
from .show import ALERT_EXIT, Layout, run_watch, write_rows

SERIES_FILTERS = ("dyad", "actor", "undirected", "from", "to")  # what trend and report count


def _selection(values: FilterValues, claims: bool):
    """The series' Selection from the filter options: a dyad or an actor, factual events unless ``claims``."""
    from ..analytics.series import CLAIMS, Selection
    if bool(values.get("dyad")) == bool(values.get("actor")):
        fail("give --dyad SOURCE:TARGET or --actor CODE")
    modality = ("factual", *CLAIMS) if claims else ("factual",)
    return filters(values, Selection, {"modality": modality})


def _freq(freq: str) -> str:
    if freq not in ("day", "week", "month"):
        fail(f"--freq: {freq!r} is not day, week or month")
    return freq


@app.command("trend")
@filter_options(*SERIES_FILTERS)
def trend_command(
    db: Db = None,
    freq: str = typer.Option("week", "--freq", help="day, week or month."),
    claims: bool = typer.Option(False, "--include-claims", help="Also count threats, plans, claims, hypotheticals."),
    last: int = typer.Option(12, "--last", min=1, max=200, help="Periods in the table."),
    wait: Wait = 0.0,
    *,
    filter_values: FilterValues,
) -> None:
    """A compact terminal view: sparklines by quad class, the last periods, escalation alerts.

    Example: redline trend --dyad RUS:UKR --freq week
    """
    from ..analytics.escalation import detect
    from ..analytics.report import QUAD_LABELS, conflict_counts, sparkline
    from ..analytics.series import QUAD_NAMES, dense, series
    selection = _selection(filter_values, claims)
    store = open_store(db_path(db), read_only=True, wait=wait)
    try:
        rows = series(store, selection, _freq(freq))
    finally:
        store.close()
    out = Console(highlight=False)
    dyad, actor = filter_values.get("dyad"), filter_values.get("actor")
    label = dyad.upper() if dyad else f"{actor.upper()} (either side)"
    if not rows:
        out.print(f"{label}: no dated events" + (" (factual; add --include-claims)" if not claims else ""))
        return
    filled = dense(rows, freq)
    width = max(10, min(len(filled), out.width - 32))  # the last periods that fit on a line
    out.print(f"[bold]{escape(label)}[/] per {freq}, {filled[0][0]} .. {filled[-1][0]}: "
              f"{sum(r['events'] for r in rows)} events" + (f" (sparklines: the last {width})" if width < len(filled) else ""))
    for quad in QUAD_NAMES.values():
        values = [v for _, v in dense(rows, freq, field=quad)][-width:]
        out.print(f"  {QUAD_LABELS[quad]:21} {sparkline(values)}  {sum(values)}", no_wrap=True, overflow="ignore")
    surges = detect(conflict_counts(rows, freq))
    table = Table(box=None, header_style="bold", pad_edge=False)
    for c in ("period", "events", "coop", "conflict", "goldstein", "index", ""):
        table.add_column(c, justify="right" if c not in ("period", "") else "left")
    flagged = {p for s in surges for p in s.periods}
    by_period = {r["period"]: r for r in rows}
    for period, _ in filled[-last:]:
        r = by_period.get(period)
        if r is None:
            table.add_row(str(period), "0", "", "", "", "", "")
            continue
        conflict = r["verbal_conflict"] + r["material_conflict"]
        table.add_row(str(period), str(r["events"]), str(r["events"] - conflict), str(conflict),
                      f"{r['goldstein_sum']:.1f}", f"{r['coop_conflict_index']:+.2f}",
                      "[red]escalation[/]" if period in flagged else "")
    out.print(table)
    if surges:
        out.print(f"[red]{len(surges)} escalation alert(s)[/]: " + "; ".join(
            f"{s.start}..{s.end} ({s.observed} vs {s.expected:.1f} expected)" for s in surges[-5:]))


@app.command("report")
@filter_options(*SERIES_FILTERS)
def report_command(
    db: Db = None,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="HTML file (default report-SOURCE-TARGET.html)."),
    freq: str = typer.Option("week", "--freq", help="day, week or month."),
    wait: Wait = 0.0,
    *,
    filter_values: FilterValues,
) -> None:
    """Write a self-contained HTML report (and PNG charts): series, alerts, top evidence. Works offline.

    Example: redline report --dyad RUS:FRA -o rus-fra.html
    """
    from ..analytics.report import write_report
    selection = _selection(filter_values, False)
    name = (filter_values.get("dyad") or filter_values["actor"]).upper().replace(":", "-")
    out = output or Path(f"report-{name}.html")
    store = open_store(db_path(db), read_only=True, wait=wait)
    try:
        written = write_report(store, selection, out, _freq(freq), db=str(db_path(db)))
    finally:
        store.close()
    err.print(f"wrote {written['html']}" + "".join(f", {p}" for k, p in written.items() if k != "html"))


@app.command("watch")
def watch_command(
    rules: Optional[Path] = typer.Argument(None, metavar="RULES.yaml",
                                           help="Red-line rules (see README): at most 1,000 rules in 500 KB, no "
                                                "YAML aliases. Without: the store's red lines only."),
    db: Db = None,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would fire without recording it."),
    redlines: bool = typer.Option(True, "--redlines/--no-redlines", help="Also check the red lines declared in "
                                  "the stored articles (`redline redlines`)."),
    wait: Wait = 0.0,
) -> None:
    """Evaluate red-line watch rules and the store's red lines on the store; exit status 3 when one fires.

    Every red line in the store (see `redline redlines`) is checked too: an event crossing it is an
    alert, with the red line's words beside the event's. Alerts are recorded in the store and an
    event never fires the same rule or red line twice; the exit status (0 when nothing fired)
    lets a scheduler act. Example: redline watch rules.yaml --db news.duckdb
    """
    from ..analytics.watch import RuleError, load_rules
    try:
        if rules is not None:
            load_rules(rules)  # a bad rules file is a usage error before the store is opened
    except RuleError as e:
        fail(str(e))
    store = open_store(db_path(db), read_only=dry_run, wait=wait)
    try:
        fired = run_watch(store, rules, record=not dry_run, redlines=redlines)
    finally:
        store.close()
    if fired:
        raise typer.Exit(ALERT_EXIT)


REDLINE_FORMATS = ("table", "jsonl", "csv")
TABLE_COLUMNS = ("declarer", "trigger", "consequence", "stance", "first_declared", "n_restatements", "status",
                 "n_crossings", "first_crossed", "enforced_on")
CREDIBILITY_COLUMNS = ("declarer", "declared", "crossed", "enforced", "restated_after_crossing", "enforcement_rate")
LEDGER_TABLE = Layout(widths={"trigger": 48, "consequence": 48})


@app.command("redlines")
def redlines_command(
    db: Db = None,
    declarer: Optional[str] = typer.Option(None, "--declarer", help="Red lines of this declarer: a country (RUS) "
                                           "or code prefix (RUSGOV)."),
    status: Optional[str] = typer.Option(None, "--status", help="open, crossed or enforced."),
    by_declarer: bool = typer.Option(False, "--by-declarer", help="The credibility record per declarer: red lines "
                                     "declared, crossed, enforced, restated after crossing."),
    window: Optional[int] = typer.Option(None, "--window", metavar="DAYS",
                                         help="Days after a crossing in which a response counts (default 90)."),
    fmt: str = format_option("table", REDLINE_FORMATS),
    output: Output = None,
    wait: Wait = 0.0,
    raw_cells: RawCells = False,
) -> None:
    """The red-line ledger: each red line declared in the stored articles, how often it was restated,
    whether it was crossed (by events in the store) and whether the declarer then did what it threatened.

    Examples: redline redlines --db news.duckdb --declarer RUS --status crossed
              redline redlines --db news.duckdb --by-declarer --format csv -o credibility.csv
    """
    from ..redlines.ledger_view import COLUMNS, check_options, credibility, ledger
    check_choice("--format", fmt, REDLINE_FORMATS)
    if status is not None and by_declarer:
        fail("--status: give it without --by-declarer (the credibility record counts every status)")
    declarer = declarer.strip().upper() if declarer is not None else None
    try:
        check_options(declarer, status, window)
    except ValueError as e:
        fail(f"--{e}")
    store = open_store(db_path(db), read_only=True, wait=wait)
    try:
        if by_declarer:
            rows, columns = credibility(store, declarer, window), CREDIBILITY_COLUMNS
        else:
            rows, columns = ledger(store, declarer, status, window), COLUMNS if fmt != "table" else TABLE_COLUMNS
    except ValueError as e:
        fail(str(e))
    finally:
        store.close()
    write_rows(columns, rows, fmt, output, raw_cells, LEDGER_TABLE)
    what = "red line(s)" if not by_declarer else "declarer(s)"
    err.print(f"{len(rows)} {what}" + (f" written to {output}" if output and str(output) != "-" else ""))
