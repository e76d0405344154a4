"""Input problems, reported with the file, line and field they concern."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..schema import Document


def _where(path: str, line: int | None, field: str | None) -> str:
    return path + (f":{line}" if line is not None else "") + ": " + (f"field '{field}': " if field else "")


@dataclass
class InputError(Exception):
    """A document that could not be read. Reading goes on with the next one."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __reduce__(self):  # picklable, so worker processes can report them
        return (InputError, (self.path, self.message, self.line, self.field))

    @classmethod
    def coding_failed(cls, document: "Document", error: BaseException) -> "InputError":
        """A document the coder could not code (a bug, or input no check caught); it is skipped."""
        detail = str(error).splitlines()[0][:200] if str(error) else ""
        return cls(document.origin or document.id, f"cannot code document '{document.id}' "
                                                   f"({type(error).__name__}{': ' + detail if detail else ''}); "
                                                   "it was skipped")

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
