"""Giving the C heap's free memory back to the system between monitor cycles, and keeping it in
few arenas.

A cycle allocates a few hundred MB that it frees again (parses, pages, feeds, rows) from a dozen
threads; glibc's malloc keeps much of what was freed in its arenas, split among what stays
allocated, and hands it back to the system only from the top of each heap. Over a long run the
process's resident memory then grows with free memory it cannot reuse. ``malloc_trim(0)`` after
each cycle releases the free pages inside every arena (``bench/monitor_soak.py`` measured it:
about 40 MB less resident memory). A free chunk is reused only by the threads of its own arena,
and glibc makes up to 8 arenas a core for the threads that allocate at once (the fetch threads,
the requests', DuckDB's): ``limit_arenas`` keeps them to two (as ``MALLOC_ARENA_MAX=2``), so what
one thread frees serves the others (in the soak the free memory kept grew about half as fast).
Elsewhere (musl, macOS, Windows) nothing is done.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger("redline.monitor")


@lru_cache(maxsize=1)
def _glibc() -> Any:
    """glibc's ``malloc_trim``, or None where the C library is not glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


M_ARENA_MAX = -8  # mallopt's parameter (malloc.h)
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` malloc arenas from now on (threads started later share them); False
    where that cannot be done. Call it before the process starts its threads."""
    trim = _glibc()
    if trim is None:
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        return bool(mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # pragma: no cover - glibc has it
        return False


def trim_heap() -> bool:
    """Return the C heap's free pages to the system (glibc); False where that cannot be done."""
    trim = _glibc()
    if trim is None:
        return False
    try:
        trim(0)
    except Exception:  # pragma: no cover - never worth failing a cycle for
        log.debug("malloc_trim failed", exc_info=True)
        return False
    return True
