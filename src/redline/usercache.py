"""The user's cache folder, where Redline keeps what it derives from its built-in tables (the
actor tables' tokens, the town index) so that the next process reads instead of recomputing:
``$REDLINE_CACHE``, else ``$XDG_CACHE_HOME/redline`` or ``~/.cache/redline``. Callers key their
files by what they were derived from and ignore a cache they cannot read or write."""
from __future__ import annotations

import os
from pathlib import Path


def folder() -> Path:
    """The cache folder (not created here)."""
    return Path(os.environ.get("REDLINE_CACHE") or
                Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "redline")
