"""The one column spec: every column of the flat event row and of the store's tables, with its
DuckDB type and meaning (``data/columns.yaml``).

Everything that lists columns derives from it: the store's ``CREATE TABLE`` statements
(:func:`ddl`), the Arrow types of rows written to DuckDB and Parquet (``store.rows.arrow_schema``),
the column tuples of the row builders, merge and migrations (:func:`row_names`), and the columns
of ``redline code --format csv`` (:func:`event_names`). This module loads neither DuckDB nor
Arrow, so the CSV writer can use it cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from .data_yaml import parse_data_yaml

TYPES = ("VARCHAR", "INTEGER", "TINYINT", "DOUBLE", "DATE", "TIMESTAMP", "BOOLEAN")
CONSTRAINTS = ("PRIMARY KEY", "NOT NULL")


@dataclass(frozen=True)
class Column:
    """One column: its name, DuckDB type and meaning."""

    name: str
    type: str
    doc: str
    constraint: str | None = None  # PRIMARY KEY or NOT NULL
    format: str | None = None      # json: the VARCHAR holds JSON text
    set_by_store: bool = False     # filled when the row is written (now(), the merge), not by the row builder
    stored: bool = True            # event row only: False for columns written to CSV but not stored

    def sql(self) -> str:
        """The column's definition in ``CREATE TABLE``."""
        return f"{self.name} {self.type}" + (f" {self.constraint}" if self.constraint else "")


@dataclass(frozen=True)
class Table:
    """One store table: its columns in order and its meaning."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()  # a key of several columns (one column's is its constraint)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def ddl(self) -> str:
        """``CREATE TABLE IF NOT EXISTS`` for this table (an existing table is left as it is)."""
        lines = [c.sql() for c in self.columns]
        if self.primary_key:
            lines.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    " + ",\n    ".join(lines) + "\n)"


def _column(item: dict[str, Any], where: str) -> Column:
    unknown = set(item) - {"name", "type", "doc", "constraint", "format", "set_by_store", "stored"}
    if unknown or not {"name", "type", "doc"} <= set(item):
        raise ValueError(f"columns.yaml: {where}: a column needs name, type and doc (unknown: {sorted(unknown)})")
    column = Column(**item)
    if column.type not in TYPES or (column.constraint and column.constraint not in CONSTRAINTS):
        raise ValueError(f"columns.yaml: {where}.{column.name}: type {column.type!r} or constraint "
                         f"{column.constraint!r} is not one of {TYPES} / {CONSTRAINTS}")
    return column


@lru_cache(maxsize=None)
def _spec() -> tuple[tuple[Column, ...], dict[str, Table]]:
    text = (resources.files("redline") / "data" / "columns.yaml").read_text("utf-8")
    data = parse_data_yaml(text)
    event = tuple(_column(item, "event") for item in data["event"])
    by_name = {c.name: c for c in event}
    tables: dict[str, Table] = {}
    for name, spec in data["tables"].items():
        columns: list[Column] = []
        for item in spec["columns"]:
            if isinstance(item, str):                      # the event row's column
                columns.append(replace(by_name[item], stored=True))
            elif "include" in item:                        # every stored column of the event row
                columns.extend(c for c in event if c.stored)
            elif "type" not in item:                       # the event row's column, meaning more here
                columns.append(replace(by_name[item["name"]], stored=True, **{k: v for k, v in item.items() if k != "name"}))
            else:
                columns.append(_column(item, name))
        tables[name] = Table(name, spec["doc"], tuple(columns), tuple(spec.get("primary_key", ())))
    return event, tables


def event_columns() -> tuple[Column, ...]:
    """The columns of the flat row of one coded event (``Event.to_row``), in order."""
    return _spec()[0]


def event_names() -> tuple[str, ...]:
    """The names of the event row's columns: the columns of ``redline code --format csv``."""
    return tuple(c.name for c in event_columns())


def tables() -> dict[str, Table]:
    """Every store table, in the order they are created."""
    return _spec()[1]


def table(name: str) -> Table:
    """One store table's spec."""
    return tables()[name]


def row_names(name: str) -> tuple[str, ...]:
    """The columns a row builder fills for ``name`` (all but those the store sets on insert)."""
    return tuple(c.name for c in table(name).columns if not c.set_by_store)


def json_names(*names: str) -> tuple[str, ...]:
    """The columns holding JSON text in these tables (all tables if none named)."""
    chosen = [table(n) for n in names] if names else list(tables().values())
    return tuple(dict.fromkeys(c.name for t in chosen for c in t.columns if c.format == "json"))


def ddl() -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` for every store table, in order."""
    return [t.ddl() for t in tables().values()]
