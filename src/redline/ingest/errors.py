"""Input problems, reported with the file, line and field they concern."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """A document that could not be read. Reading goes on with the next one."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line is not None else "")
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"
