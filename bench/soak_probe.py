"""The soak's probe inside the server: ``python bench/soak_probe.py OUT [redline serve arguments]``
runs ``redline`` with a record before each monitor cycle appended to ``OUT`` (JSON lines): the
process's RSS, what DuckDB says it holds (``duckdb_memory()``, per tag),
glibc malloc's own figures (``mallinfo2``: in use, free but kept),
Python's small-object arenas, the objects the garbage collector tracks, spaCy's vocabulary, and
tracemalloc's total when it runs.

Diagnostics, set in the environment (``bench/monitor_soak.py --probe`` passes them through):

* ``SOAK_TRACEMALLOC=N``: trace Python allocations (N frames); the top growths by traceback
  between the start of the 4th cycle and of each later one are written to ``OUT``.tracemalloc.txt.
* ``SOAK_GC=1``: a full collection before each record, and the 40 commonest object types counted.
* ``SOAK_NO_TRIM=1``: the monitor without its ``malloc_trim`` between cycles (as before it had one);
  and ``REDLINE_REOPEN_EVERY=0`` (the service's own setting): without reopening its store.
"""
from __future__ import annotations

import ctypes
import gc
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


class MallInfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2``."""

    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def libc() -> Any:
    """glibc, or None."""
    try:
        lib = ctypes.CDLL("libc.so.6")
        lib.mallinfo2.restype = MallInfo2
        return lib
    except (OSError, AttributeError):
        return None


def rss_mb() -> float:
    """This process's resident memory now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def malloc_mb(lib: Any) -> dict[str, float]:
    """glibc's heap: mmapped blocks, in use, free but kept (MB)."""
    if lib is None:
        return {}
    m = lib.mallinfo2()
    return {"heap": m.arena / 2**20, "mmap": m.hblkhd / 2**20, "in_use": m.uordblks / 2**20,
            "free": m.fordblks / 2**20}


def pymalloc_mb() -> dict[str, float]:
    """Python's small-object allocator: its arenas now (MB, from ``sys._debugmallocstats``)."""
    import re
    import tempfile
    with tempfile.TemporaryFile("w+") as f:
        saved = os.dup(2)
        try:
            sys.stderr.flush()
            os.dup2(f.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        text = f.read()
    figures = {}
    for name, pattern in (("arenas", r"# arenas allocated current\s*=\s*([\d,]+)"),
                          ("arenas_highwater", r"# arenas highwater mark\s*=\s*([\d,]+)"),
                          ("allocated_blocks", r"# bytes in allocated blocks\s*=\s*([\d,]+)")):
        found = re.search(pattern, text)
        if found:
            figures[name] = int(found.group(1).replace(",", ""))
    if "allocated_blocks" in figures:
        figures["allocated_blocks"] /= 2**20
    return figures


def sample(store: Any, started: float, cycle: int, lib: Any) -> dict[str, Any]:
    """The process's memory now, by part (MB)."""
    tags = {tag: size / 2**20 for tag, size in store.sql(
        "SELECT tag, memory_usage_bytes + temporary_storage_bytes FROM duckdb_memory()").fetchall() if size}
    if os.environ.get("SOAK_GC") == "1":  # diagnostic: garbage collected first, and the objects counted by type
        from collections import Counter
        record_collected = gc.collect()
        types = Counter(type(o).__name__ for o in gc.get_objects())
    record: dict[str, Any] = {
        "t": time.monotonic() - started, "cycle": cycle, "rss": rss_mb(), "duckdb": sum(tags.values()),
        "duckdb_tags": tags, "malloc": malloc_mb(lib), "pymalloc": pymalloc_mb(),
        "gc_objects": len(gc.get_objects()), "threads": len(os.listdir("/proc/self/task")),
    }
    if os.environ.get("SOAK_GC") == "1":
        record["collected"], record["types"] = record_collected, dict(types.most_common(40))
    caches = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("redline"):
            for attr, value in list(vars(module).items()):
                info = getattr(value, "cache_info", None)
                if callable(info) and getattr(value, "__module__", None) == name:
                    caches[f"{name}.{attr}"] = info().currsize
    record["caches"] = {k: n for k, n in sorted(caches.items(), key=lambda x: -x[1])[:6]}
    from redline import nlp
    if nlp._load.cache_info().currsize:
        vocab = nlp.load().vocab
        record["vocab"], record["strings"] = len(vocab), len(vocab.strings)
    return record


def install(out: Path) -> None:
    """Wrap ``Monitor.cycle`` to record a line as each cycle starts (after the previous one, its
    heap trim and the pause between them: what the process keeps)."""
    from redline.monitor import cycle as cycles

    lib = libc()
    frames = int(os.environ.get("SOAK_TRACEMALLOC", "0") or 0)
    if os.environ.get("SOAK_NO_TRIM") == "1":  # the service as it was: no malloc_trim between cycles
        cycles.trim_heap = lambda: False
    started = time.monotonic()
    baseline: list[Any] = []
    run_cycle = cycles.Monitor.cycle
    done, stored = [0], [0]

    def probed(self: Any) -> dict[str, Any]:
        record = sample(self.store, started, done[0] + 1, lib)
        record["documents"] = stored[0]
        if frames and done[0] == 2:
            tracemalloc.start(frames)  # after the warm-up: tracing slows coding several times
        elif frames and done[0] >= 3:
            record["traced"] = tracemalloc.get_traced_memory()[0] / 2**20
            snapshot = tracemalloc.take_snapshot()
            if not baseline:
                baseline.append(snapshot)
            else:
                top = snapshot.compare_to(baseline[0], "traceback")[:15]
                with open(f"{out}.tracemalloc.txt", "a") as f:
                    f.write(f"== before cycle {record['cycle']} at {record['t']:.0f}s: traced {record['traced']:.1f} MB\n")
                    for stat in top:
                        f.write(f"{stat.size_diff / 2**20:+.2f} MB ({stat.count_diff:+d} blocks)\n")
                        f.write("".join(f"    {line}\n" for line in stat.traceback.format()[-frames:]))
        with open(out, "a") as f:
            f.write(json.dumps(record) + "\n")
        counts = run_cycle(self)
        done[0] += 1
        stored[0] += counts.get("documents") or 0
        return counts

    cycles.Monitor.cycle = probed  # type: ignore[method-assign]


if __name__ == "__main__":
    install(Path(sys.argv.pop(1)))
    from redline.cli import main
    sys.argv[0] = "redline"
    main()
