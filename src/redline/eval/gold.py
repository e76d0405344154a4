"""Gold files for evaluation: one labelled item per JSON line, validated with file/line/field errors.

An item has ``id`` and ``text`` and any of the labels ``shared/tools/score.py`` reads:
``pentaclass`` (0-4), ``spans`` (``[{"role": "source"|"target"|"reciprocal", "text": ...}]``),
``events`` (``[{"source": "RUSGOV", "target": "FRA", "code": "130", "plover": "THREATEN"}]``),
``cameo`` (the main event's code); and Redline's own labels ``event_date`` (YYYY-MM-DD),
``modality`` and ``date`` (the publication date the text is coded against).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from ..ingest import InputError, parse_publication_date
from ..schema import MODALITIES, Document

T = TypeVar("T")



@dataclass
class GoldItem:
    """One labelled text."""

    id: str
    text: str
    published: date | None = None
    labels: dict[str, Any] = field(default_factory=dict)

    def document(self) -> Document:
        return Document(id=self.id, text=self.text, date=self.published)


def _check(item: dict[str, Any], where: str, line: int) -> GoldItem:
    def bad(name: str, problem: str) -> InputError:
        return InputError(where, problem, line=line, field=name)

    if not isinstance(item, dict):
        raise InputError(where, "expected a JSON object", line=line)
    if item.get("id") in (None, ""):
        raise bad("id", "missing")
    if not isinstance(item.get("text"), str):
        raise bad("text", "missing (an empty string is allowed: the item is scored with no events)")
    pc = item.get("pentaclass")
    if pc is not None and pc not in (0, 1, 2, 3, 4):
        raise bad("pentaclass", f"must be 0-4, got {pc!r}")
    for name in ("spans", "events"):
        if item.get(name) is not None and not isinstance(item[name], list):
            raise bad(name, "must be a list")
    if item.get("modality") is not None and item["modality"] not in MODALITIES:
        raise bad("modality", f"must be one of {', '.join(MODALITIES)}, got {item['modality']!r}")
    published = None
    if item.get("date"):
        try:
            published = parse_publication_date(str(item["date"]))
        except ValueError:
            published = None  # placeholder dates in some sets; the item is still scored
    if item.get("event_date"):
        try:
            date.fromisoformat(str(item["event_date"]))
        except ValueError:
            raise bad("event_date", f"not a YYYY-MM-DD date: {item['event_date']!r}") from None
    return GoldItem(str(item["id"]), item["text"], published, item)


def checked_lines(path: str | Path, check: Callable[[object, str, int], T]) -> Iterator[T | InputError]:
    """``check(record, file, line)`` for each JSON line of a file; a line that is not UTF-8, not
    JSON or refused by ``check`` yields an InputError and reading goes on."""
    where = str(path)
    with open(path, "rb") as f:
        for number, data in enumerate(f, 1):
            try:
                raw = data.decode("utf-8")
            except UnicodeDecodeError:
                yield InputError(where, "not UTF-8 text", line=number)
                continue
            if not raw.strip():
                continue
            try:
                yield check(json.loads(raw), where, number)
            except json.JSONDecodeError as e:
                yield InputError(where, f"malformed JSON ({e.msg})", line=number)
            except InputError as e:
                yield e


def read_gold(path: str | Path) -> Iterator[GoldItem | InputError]:
    """The items of a gold file; a bad line yields an InputError and reading goes on."""
    return checked_lines(path, _check)
