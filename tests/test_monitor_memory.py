"""The monitor gives the C heap's free pages back to the system after each cycle (``monitor.memory``)."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from redline.monitor import cycle as cycles
from redline.monitor.memory import _glibc, trim_heap


def resident_mb() -> float:
    """This process's resident memory now."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(_glibc() is None or not Path("/proc/self/statm").exists(), reason="glibc on Linux only")
def test_trim_heap_returns_freed_memory_that_malloc_kept():
    # 1 KiB objects (past Python's small-object allocator: C malloc), freed but for the last,
    # which pins the heap's top so that malloc cannot give the pages back by itself
    blocks = [bytes(1024) for _ in range(150_000)]
    last = blocks[-1]
    del blocks
    kept = resident_mb()
    assert trim_heap()
    assert kept - resident_mb() > 50  # about 150 MB freed; most of it back
    assert last


def test_the_monitor_trims_the_heap_after_each_cycle_even_a_failed_one(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(cycles, "trim_heap", lambda: calls.append("trim") or True)
    monkeypatch.setattr(cycles.gc, "collect", lambda: calls.append("collect") or 0)
    monitor = cycles.Monitor.__new__(cycles.Monitor)  # the loop alone: no store, no feeds
    monitor.stop = threading.Event()
    results = iter([RuntimeError("disk full"), {"alerts": 2}])

    def cycle() -> dict:
        calls.append("cycle")
        result = next(results)
        if isinstance(result, Exception):
            raise result
        monitor.stop.set()
        return result

    monitor.cycle = cycle
    monitor.next_wake = lambda: None
    monkeypatch.setattr(cycles, "ERROR_PAUSE", 0.0)
    assert monitor.run() == 2
    assert calls == ["cycle", "collect", "trim", "cycle", "collect", "trim"]


def heap_in_use_mb() -> float:
    """glibc malloc's bytes in use (``mallinfo2``), in MB, after giving the free pages back."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                         "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    trim_heap()
    info = libc.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20


@pytest.fixture()
def service(tmp_path):
    from redline.feeds.config import load_feeds
    from redline.feeds.fetch import FetchPolicy
    from redline.monitor.cycle import Options
    from redline.monitor.service import Service
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n  - url: http://127.0.0.1:9/feed.xml\n")
    svc = Service(tmp_path / "s.duckdb", load_feeds(feeds), Options(), FetchPolicy(allow_private=True),
                  snapshots=False)
    yield svc
    svc.close()


def test_reopening_the_store_keeps_its_data_and_the_cycles_write_through_the_new_connection(service):
    service._writer.sql("CREATE TABLE kept AS SELECT 42 AS x").fetchall()
    old = service.store
    assert service.reopen()
    assert service.store is not old and service.monitor.store is service._writer
    with service.reader() as store:
        assert store.sql("SELECT x FROM kept").fetchall() == [(42,)]
    service.monitor.store.sql("INSERT INTO kept VALUES (43)").fetchall()
    assert service.monitor.next_wake() is not None  # the monitor reads through the new cursor


def test_a_reopening_waits_for_the_requests_reading(service):
    entered, results = threading.Event(), []

    def read() -> None:
        with service.reader() as store:
            entered.set()
            time.sleep(0.5)
            results.append(store.sql("SELECT 1").fetchall())

    reader = threading.Thread(target=read)
    reader.start()
    entered.wait(5)
    started = time.monotonic()
    assert service.reopen()
    assert time.monotonic() - started > 0.3
    reader.join()
    assert results == [[(1,)]]


@pytest.mark.skipif(_glibc() is None, reason="glibc only")
def test_reopening_the_store_gives_back_what_duckdb_kept_for_the_queries_it_ran(service):
    # DuckDB 2.0 keeps about 1 KB outside its buffers for every aggregate query an open database
    # ran, until the database is closed: the cycles of a monitor run thousands an hour
    service._writer.sql("CREATE TABLE t AS SELECT md5(range::VARCHAR) AS k FROM range(1000)").fetchall()
    before = heap_in_use_mb()
    for _ in range(3000):
        service._writer.sql("SELECT k, count(*) FROM t GROUP BY k").fetchall()
    grown = heap_in_use_mb()
    assert service.reopen()
    after = heap_in_use_mb()
    assert grown - before > 1.0  # what this test is about: if DuckDB stops keeping it, drop the reopening
    assert grown - after > 0.8 * (grown - before)


@pytest.mark.skipif(_glibc() is None, reason="glibc only")
def test_limit_arenas_is_accepted_by_glibc():
    from redline.monitor.memory import limit_arenas
    assert limit_arenas()
