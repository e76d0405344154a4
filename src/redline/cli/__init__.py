"""The ``redline`` command line: ``redline code PATH... [--date] [--format] [-o FILE]`` and the
store, analytics and serving commands.

The commands live in modules by subject (``code``, ``store``, ``analytics``, ...) and register on
the one ``app`` of :mod:`redline.cli.base`, which imports none of them; this package imports them
all, in the order ``redline --help`` lists them, and holds :func:`main`, the console entry point.
"""
from __future__ import annotations

import os
import sys

from rich.markup import escape

from ..output.safe import printable
from .base import app, as_program, err

# the command modules register their commands on app, listed by `redline --help` in this order
from . import code  # noqa: E402,F401,I001
from . import store  # noqa: E402,F401
from . import analytics  # noqa: E402,F401
from . import serve  # noqa: E402,F401
from . import monitor  # noqa: E402,F401

__all__ = ["app", "main"]


def main() -> None:
    """The ``redline`` command. An error no command foresaw still ends in one line, not a
    traceback (set REDLINE_DEBUG=1 to see the traceback)."""
    try:
        app()
    except Exception as e:
        if os.environ.get("REDLINE_DEBUG"):
            raise
        detail = (str(e).strip().splitlines() or [""])[0][:300]
        err.print(f"[red]error[/]: unexpected {type(e).__name__}{': ' + escape(printable(detail)) if detail else ''} "
                  "(a bug: please report it; REDLINE_DEBUG=1 shows where)")
        sys.exit(1)
