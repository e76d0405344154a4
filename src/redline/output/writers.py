"""Write events as JSON lines, flat CSV or a readable terminal table."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from ..registry import writers
from ..schema import Event

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
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, events: Iterable[Event]) -> None:
        for e in events:
            self.out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.flush()


@writers.register("csv")
class CsvWriter:
    def __init__(self, out: IO[str]) -> None:
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()
        self.out = out

    def write(self, events: Iterable[Event]) -> None:
        for e in events:
            self.writer.writerow(_flat(e))

    def close(self) -> None:
        self.out.flush()


def _actor(a) -> str:
    if a is None:
        return "-"
    label = a.code or "?"
    if a.name:
        label += f" ({a.name})"
    elif not a.code:
        label += f" ({a.text[:30]})"
    return label


@writers.register("table")
class TableWriter:
    """A rich table per document: date, source, event, target, modality, evidence."""

    def __init__(self, out: IO[str]) -> None:
        from rich.console import Console
        self.console = Console(file=out, width=max(100, Console().width))
        self.rows: list[Event] = []

    def write(self, events: Iterable[Event]) -> None:
        from rich.table import Table
        events = list(events)
        if not events:
            return
        table = Table(title=f"[bold]{events[0].doc_id}[/] ({len(events)} events)", show_lines=False,
                      title_justify="left", expand=True)
        table.add_column("date", no_wrap=True)
        table.add_column("source", overflow="fold", ratio=2)
        table.add_column("event", overflow="fold", ratio=2)
        table.add_column("target", overflow="fold", ratio=2)
        table.add_column("modality", no_wrap=True)
        table.add_column("evidence", overflow="fold", ratio=4)
        for e in events:
            when = e.date or "-"
            if e.date_precision == "month" and e.date:
                when = e.date[:7]
            elif e.date_precision == "document":
                when += "*"
            evidence = e.evidence if len(e.evidence) <= 160 else e.evidence[:157] + "..."
            source = _actor(e.source) + (f"\n[dim]per {_actor(e.reported_by)}[/]" if e.reported_by else "")
            table.add_row(when, source, f"{e.cameo} {e.cameo_name}\n[dim]{e.plover or ''}[/]", _actor(e.target),
                          e.modality, evidence)
        self.console.print(table)

    def close(self) -> None:
        self.console.print("[dim]* dated by the publication date; 'per X': reported by X[/]")


def write(fmt: str, out: IO[str]):
    """A writer for ``fmt`` writing to ``out``: call ``.write(events)`` per document, then ``.close()``."""
    return writers.get(fmt)(out)
