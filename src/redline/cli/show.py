"""What several commands print: rows as a table, CSV or JSONL; alerts; and the watch run that
ingest and watch share (evaluate the rules and red lines, print what fired)."""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..output.safe import cell, printable
from .base import err, fail, open_output

ALERT_EXIT = 3  # `redline watch` (and `ingest --watch`): a rule fired
Row = Union[Mapping[str, Any], Sequence[Any]]


@dataclass(frozen=True)
class Layout:
    """How rows show as a terminal table: cell widths, folded or cut to one line, and the line
    width when the output is a pipe or a file (wide, so that a row stays on one line)."""

    widths: Mapping[str, int] = field(default_factory=dict)
    width: int = 24
    fold: bool = True
    pad_edge: bool = False
    line: int = 240


def write_rows(columns: Sequence[str], rows: Sequence[Row], fmt: str, output: Optional[Path], raw_cells: bool,
               layout: Layout = Layout()) -> None:
    """Rows as a table, JSONL or CSV (``columns``), to ``output`` or stdout; article text made
    harmless (no control characters in a table, no formulas in CSV cells unless ``raw_cells``).
    A row is a record (JSONL writes every field of it) or values in the order of ``columns``."""
    def values(r: Row) -> Sequence[Any]:
        return [r.get(c) for c in columns] if isinstance(r, Mapping) else r

    out = open_output(output)
    try:
        if fmt == "jsonl":
            for r in rows:
                record = r if isinstance(r, Mapping) else dict(zip(columns, r))
                out.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            w = csv.writer(out)
            w.writerow(columns)
            w.writerows(values(r) if raw_cells else [cell(v) for v in values(r)] for r in rows)
        else:
            table = Table(box=None, header_style="bold", pad_edge=layout.pad_edge)
            for c in columns:
                table.add_column(escape(printable(c)), max_width=layout.widths.get(c, layout.width),
                                 overflow="fold" if layout.fold else "ellipsis", no_wrap=not layout.fold)
            for r in rows:
                table.add_row(*("" if v is None else escape(printable(v)) for v in values(r)))
            console = Console(file=out, highlight=False)
            if not console.is_terminal:
                console.width = layout.line  # a pipe or file: keep rows on one line
            console.print(table)
    finally:
        if out is not sys.stdout:
            out.close()


def print_alerts(alerts: Sequence[Any], console: Console) -> None:
    """The alerts, one line each and their first events; article text printed without control characters."""
    def show(value: object) -> str:
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


def run_watch(store: Any, rules_path: Optional[Path], record: bool = True, redlines: bool = True,
              quiet: bool = False) -> int:
    """Evaluate a rules file (if given) and, with ``redlines``, the store's red lines
    (``redline.redlines``: their crossings) on an open store, print the alerts (``quiet``: print
    nothing); returns how many fired. Shared by ``watch`` and ``ingest`` (which checks after every run)."""
    from ..analytics.watch import RuleError, evaluate, load_rules
    from ..redlines.crossings import evaluate_crossings
    from ..store.redlines import redline_rows
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
