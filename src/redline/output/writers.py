"""Write events as JSON lines, flat CSV (the store's columns, ``Event.to_row``) or a readable
terminal table.

Article text is made harmless on the way out (``safe.py``): CSV text cells cannot start a
formula unless ``raw_cells`` is asked for, and the table prints no control characters.
"""
from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from ..columns import event_names
from ..registry import writers
from ..schema import Event
from .safe import cell, printable

# the flat event row's columns (Event.to_row), named as in the store's mentions table
CSV_COLUMNS = list(event_names())


@writers.register("jsonl")
class JsonlWriter:
    def __init__(self, out: IO[str], raw_cells: bool = False) -> None:
        self.out = out

    def write(self, events: Iterable[Event]) -> None:
        for e in events:
            self.out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.flush()


@writers.register("csv")
class CsvWriter:
    """Flat CSV: one ``Event.to_row`` per line, with the store's column names (``numbers`` as JSON
    text, as stored); text cells that a spreadsheet would run as a formula are neutralised unless
    ``raw_cells``."""

    def __init__(self, out: IO[str], raw_cells: bool = False) -> None:
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        self.writer.writeheader()
        self.out = out
        self.raw_cells = raw_cells

    def write(self, events: Iterable[Event]) -> None:
        for e in events:
            row = e.to_row()
            self.writer.writerow(row if self.raw_cells else {k: cell(v) for k, v in row.items()})

    def close(self) -> None:
        self.out.flush()


def _actor(a) -> str:
    if a is None:
        return "-"
    label = a.code or "?"
    who = a.name or (None if a.code else a.text)
    if who:
        label += f" {who}"
    return label


@writers.register("table")
class TableWriter:
    """One compact line per event, grouped by document: date, source, event, target, evidence."""

    def __init__(self, out: IO[str], raw_cells: bool = False) -> None:
        from rich.console import Console
        probe = Console(file=out)
        self.console = Console(file=out, width=probe.width if probe.is_terminal else 160, highlight=False)

    def write(self, events: Iterable[Event]) -> None:
        from rich import box
        from rich.markup import escape
        from rich.table import Table
        events = list(events)
        if not events:
            return
        def show(text: str) -> str:
            return escape(printable(text))
        table = Table(title=f"[bold]{show(events[0].doc_id)}[/]  {len(events)} events", title_justify="left",
                      box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
        table.add_column("date", no_wrap=True, width=11)
        table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=24)
        table.add_column("event", no_wrap=True, overflow="ellipsis", max_width=34)
        table.add_column("target", no_wrap=True, overflow="ellipsis", max_width=22)
        table.add_column("modality", no_wrap=True, width=12)
        table.add_column("evidence", no_wrap=True, overflow="ellipsis", ratio=1, style="dim")
        for e in events:
            when = e.date or "-"
            if e.date_precision == "month" and e.date:
                when = e.date[:7]
            elif e.date_precision == "year" and e.date:
                when = e.date[:4]
            elif e.date_precision == "document":
                when += "*"
            source = _actor(e.source) + (f" (per {_actor(e.reported_by)})" if e.reported_by else "")
            event = f"{e.cameo} {e.cameo_name}"
            table.add_row(show(when), show(source), show(event), show(_actor(e.target)),
                          e.modality if e.modality != "factual" else "", show(e.evidence))
        self.console.print(table)

    def close(self) -> None:
        self.console.print("[dim]* dated by the publication date; (per X): reported by X; "
                           "modality blank = factual[/]")


def write(fmt: str, out: IO[str], raw_cells: bool = False):
    """A writer for ``fmt`` writing to ``out``: call ``.write(events)`` per document, then ``.close()``.
    ``raw_cells`` writes CSV text cells as they are, formulas included."""
    return writers.get(fmt)(out, raw_cells=raw_cells)
