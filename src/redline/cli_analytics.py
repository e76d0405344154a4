"""Analytics commands: ``redline trend``, ``report``, ``watch`` and ``redlines``."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .cli import RAW_CELLS_HELP, _date_option, app, err, fail, open_output
from .cli_store import DB_HELP, WAIT_HELP, _db, _filters, _open
from .output.safe import cell, printable

ALERT_EXIT = 3  # `redline watch` (and `ingest --watch`): a rule fired


def _selection(dyad: Optional[str], actor: Optional[str], undirected: bool, start, end, claims: bool):
    from .analytics.series import Selection
    if bool(dyad) == bool(actor):
        fail("give --dyad SOURCE:TARGET or --actor CODE")
    modality = ("factual", "future", "hypothetical", "uncertain") if claims else ("factual",)
    return _filters({"dyad": dyad, "actor": actor, "undirected": undirected or None, "from": start, "to": end},
                    Selection, {"modality": modality})


def _freq(freq: str) -> str:
    if freq not in ("day", "week", "month"):
        fail(f"--freq: {freq!r} is not day, week or month")
    return freq


@app.command("trend")
def trend_command(
    dyad: Optional[str] = typer.Option(None, "--dyad", help="SOURCE:TARGET, e.g. RUS:FRA."),
    actor: Optional[str] = typer.Option(None, "--actor", help="An actor on either side instead of a dyad."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    freq: str = typer.Option("week", "--freq", help="day, week or month."),
    undirected: bool = typer.Option(False, "--undirected", help="Count the dyad both ways."),
    claims: bool = typer.Option(False, "--include-claims", help="Also count threats, plans, claims, hypotheticals."),
    start: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD"),
    end: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD"),
    last: int = typer.Option(12, "--last", min=1, max=200, help="Periods in the table."),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
) -> None:
    """A compact terminal view: sparklines by quad class, the last periods, escalation alerts.

    Example: redline trend --dyad RUS:UKR --freq week
    """
    from .analytics.escalation import detect
    from .analytics.report import QUAD_LABELS, conflict_counts, sparkline
    from .analytics.series import QUAD_NAMES, dense, series
    selection = _selection(dyad, actor, undirected, start, end, claims)
    store = _open(_db(db), read_only=True, wait=wait)
    try:
        rows = series(store, selection, _freq(freq))
    finally:
        store.close()
    out = Console(highlight=False)
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
def report_command(
    dyad: Optional[str] = typer.Option(None, "--dyad", help="SOURCE:TARGET, e.g. RUS:FRA."),
    actor: Optional[str] = typer.Option(None, "--actor", help="An actor on either side instead of a dyad."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="HTML file (default report-SOURCE-TARGET.html)."),
    freq: str = typer.Option("week", "--freq", help="day, week or month."),
    undirected: bool = typer.Option(False, "--undirected"),
    start: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD"),
    end: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD"),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
) -> None:
    """Write a self-contained HTML report (and PNG charts): series, alerts, top evidence. Works offline.

    Example: redline report --dyad RUS:FRA -o rus-fra.html
    """
    from .analytics.report import write_report
    selection = _selection(dyad, actor, undirected, start, end, False)
    name = (dyad or actor).upper().replace(":", "-")
    out = output or Path(f"report-{name}.html")
    store = _open(_db(db), read_only=True, wait=wait)
    try:
        written = write_report(store, selection, out, _freq(freq), db=str(_db(db)))
    finally:
        store.close()
    err.print(f"wrote {written['html']}" + "".join(f", {p}" for k, p in written.items() if k != "html"))


def print_alerts(alerts, console: Console) -> None:
    """The alerts, one line each and their first events; article text printed without control characters."""
    def show(value) -> str:
        return escape(printable(value))
    for a in alerts:
        console.print(f"[red bold]ALERT[/] [bold]{show(a.rule)}[/] {a.window_start}..{a.window_end}: "
                      f"{show(a.detail)}; {len(a.new_events)} new event(s)")
        for line in a.context:  # a red line's own words, beside the events crossing it
            console.print(f"    {show(line)}")
        for e in a.new_events[:5]:
            status = f"[bold]{show(e['status'])}[/] " if e.get("status") else ""
            console.print(f"    {status}{e['date']} {show(e['source_code'] or '-')} {show(e['cameo'])} "
                          f"{show(e['plover'] or '')} {show(e['target_code'] or '-')}: "
                          f"[italic]{show((e['evidence'] or '')[:160])}[/]")
        if len(a.new_events) > 5:
            console.print(f"    ... and {len(a.new_events) - 5} more")


def run_watch(store, rules_path: Optional[Path], record: bool = True, redlines: bool = True,
              quiet: bool = False) -> int:
    """Evaluate a rules file (if given) and, with ``redlines``, the store's red lines
    (``redline.redlines``: their crossings) on an open store, print the alerts (``quiet``: print
    nothing); returns how many fired."""
    from .analytics.watch import RuleError, evaluate, load_rules
    from .redlines.crossings import evaluate_crossings
    from .store.redlines import redline_rows
    try:
        rules = load_rules(rules_path) if rules_path is not None else []
    except RuleError as e:
        fail(str(e))
    alerts = evaluate(store, rules, record=record)
    if redlines:
        alerts += evaluate_crossings(store, record=record)
    if quiet:
        return len(alerts)
    print_alerts(alerts, Console(highlight=False))
    err.print(f"{len(rules)} rule(s) checked, {len(redline_rows(store)) if redlines else 0} red line(s) checked, "
              f"{len(alerts)} new alert(s)" + ("" if record else " (not recorded)"))
    return len(alerts)


@app.command("watch")
def watch_command(
    rules: Optional[Path] = typer.Argument(None, metavar="RULES.yaml",
                                           help="Red-line rules (see README): at most 1,000 rules in 500 KB, no "
                                                "YAML aliases. Without: the store's red lines only."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would fire without recording it."),
    redlines: bool = typer.Option(True, "--redlines/--no-redlines", help="Also check the red lines declared in "
                                  "the stored articles (`redline redlines`)."),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
) -> None:
    """Evaluate red-line watch rules and the store's red lines on the store; exit status 3 when one fires.

    Every red line in the store (see `redline redlines`) is checked too: an event crossing it is an
    alert, with the red line's words beside the event's. Alerts are recorded in the store and an
    event never fires the same rule or red line twice; the exit status (0 when nothing fired)
    lets a scheduler act. Example: redline watch rules.yaml --db news.duckdb
    """
    from .analytics.watch import RuleError, load_rules
    try:
        if rules is not None:
            load_rules(rules)  # a bad rules file is a usage error before the store is opened
    except RuleError as e:
        fail(str(e))
    store = _open(_db(db), read_only=dry_run, wait=wait)
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


@app.command("redlines")
def redlines_command(
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    declarer: Optional[str] = typer.Option(None, "--declarer", help="Red lines of this declarer: a country (RUS) "
                                           "or code prefix (RUSGOV)."),
    status: Optional[str] = typer.Option(None, "--status", help="open, crossed or enforced."),
    by_declarer: bool = typer.Option(False, "--by-declarer", help="The credibility record per declarer: red lines "
                                     "declared, crossed, enforced, restated after crossing."),
    window: Optional[int] = typer.Option(None, "--window", metavar="DAYS",
                                         help="Days after a crossing in which a response counts (default 90)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    wait: float = typer.Option(0.0, "--wait", min=0, help=WAIT_HELP),
    raw_cells: bool = typer.Option(False, "--raw-cells", help=RAW_CELLS_HELP),
) -> None:
    """The red-line ledger: each red line declared in the stored articles, how often it was restated,
    whether it was crossed (by events in the store) and whether the declarer then did what it threatened.

    Examples: redline redlines --db news.duckdb --declarer RUS --status crossed
              redline redlines --db news.duckdb --by-declarer --format csv -o credibility.csv
    """
    from .redlines.ledger import COLUMNS, check_options, credibility, ledger
    if fmt not in REDLINE_FORMATS:
        fail(f"--format: unknown format '{fmt}' (choose from {', '.join(REDLINE_FORMATS)})")
    if status is not None and by_declarer:
        fail("--status: give it without --by-declarer (the credibility record counts every status)")
    declarer = declarer.strip().upper() if declarer is not None else None
    try:
        check_options(declarer, status, window)
    except ValueError as e:
        fail(f"--{e}")
    store = _open(_db(db), read_only=True, wait=wait)
    try:
        if by_declarer:
            rows, columns = credibility(store, declarer, window), CREDIBILITY_COLUMNS
        else:
            rows, columns = ledger(store, declarer, status, window), COLUMNS if fmt != "table" else TABLE_COLUMNS
    except ValueError as e:
        fail(str(e))
    finally:
        store.close()
    write_rows(rows, columns, fmt, output, raw_cells, what="red line(s)" if not by_declarer else "declarer(s)")


def write_rows(rows: list[dict], columns: tuple[str, ...], fmt: str, output: Optional[Path], raw_cells: bool,
               what: str) -> None:
    """Records as a table, JSONL (every field) or CSV (``columns``); article text made harmless."""
    import csv
    import json

    out = open_output(output)
    try:
        if fmt == "jsonl":
            for r in rows:
                out.write(json.dumps(r, default=str, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            w = csv.writer(out)
            w.writerow(columns)
            for r in rows:
                w.writerow([r.get(c) if raw_cells else cell(r.get(c)) for c in columns])
        else:
            table = Table(box=None, header_style="bold", pad_edge=False)
            for c in columns:
                table.add_column(c, overflow="fold", max_width=48 if c in ("trigger", "consequence") else 24)
            for r in rows:
                table.add_row(*("" if r.get(c) is None else escape(printable(r.get(c))) for c in columns))
            console = Console(file=out, highlight=False)
            if not console.is_terminal:
                console.width = 240  # a pipe or file: keep rows on one line
            console.print(table)
    finally:
        if out is not sys.stdout:
            out.close()
    err.print(f"{len(rows)} {what}" + (f" written to {output}" if output and str(output) != "-" else ""))
