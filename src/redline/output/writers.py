"""Write events as JSON lines, flat CSV or a readable terminal table.

Article text is made harmless on the way out (``safe.py``): CSV text cells cannot start a
formula unless ``raw_cells`` is asked for, and the table prints no control characters.
"""
from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from ..registry import writers
from ..schema import Event
from .safe import cell, printable

CSV_COLUMNS = [
    "event_id", "doc_id", "sentence_index", "date", "date_precision", "source_code", "source_country",
    "source_sector", "source_name", "source_text", "cameo", "cameo_name", "plover", "plover_mode",
    "quad_class", "goldstein", "target_code", "target_country", "target_sector", "target_name", "target_text",
    "modality", "reported_by_code", "reported_by_text", "numbers", "location", "confidence", "evidence",
    "explanation",
]


def _flat(e: Event) -> dict:
    d = e.to_dict()
    row = {k: d.get(k) for k in CSV_COLUMNS if k in d}
    for side in ("source", "target"):
        a = d[side] or {}
        for key in ("code", "country", "sector", "name", "text"):
            row[f"{side}_{key}"] = a.get(key)
    rb = d["reported_by"] or {}
    row["reported_by_code"], row["reported_by_text"] = rb.get("code"), rb.get("text")
    row["numbers"] = ";".join(f"{n['value']} {n['of']}" for n in d["numbers"])
    loc = d["location"] or {}
    row["location"] = loc.get("name")
    return row


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
    """Flat CSV; text cells that a spreadsheet would run as a formula are neutralised unless
    ``raw_cells``."""

    def __init__(self, out: IO[str], raw_cells: bool = False) -> None:
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()
        self.out = out
        self.raw_cells = raw_cells

    def write(self, events: Iterable[Event]) -> None:
        for e in events:
            row = _flat(e)
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
