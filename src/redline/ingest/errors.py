"""Input problems, reported with the file, line and field they concern."""
from __future__ import annotations

from dataclasses import dataclass


def _where(path: str, line: int | None, field: str | None) -> str:
    return path + (f":{line}" if line is not None else "") + ": " + (f"field '{field}': " if field else "")


@dataclass
class InputError(Exception):
    """A document that could not be read. Reading goes on with the next one."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return _where(self.path, self.line, self.field) + self.message


@dataclass
class InputWarning(UserWarning):
    """Something odd in the input that loses nothing (an id used twice): the document is read as
    usual and the warning reported (``read(on_warning=...)``, else a Python warning)."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return _where(self.path, self.line, self.field) + self.message
