"""How ``redline serve`` holds the store (``serve.deps``): a shared read-only connection is
closed after an idle pause so that a writer gets in, and the next request sees what it wrote; while
open it keeps writers out (so nothing a request reads can be stale); per-request mode holds nothing."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redline.serve import create_app
from redline.serve.deps import SharedReader

WRITE = ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "c.execute(\"INSERT INTO documents (doc_key, text) VALUES ('written-meanwhile', 'x')\"); c.close()")


def _write(db: Path) -> subprocess.CompletedProcess:
    """Write one document from another process, as ``redline ingest`` would."""
    return subprocess.run([sys.executable, "-c", WRITE, str(db)], capture_output=True, timeout=60)


@pytest.fixture()
def db(tmp_path, examples_store_path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copy(examples_store_path, path)
    return path


def test_a_shared_connection_closes_when_idle_and_then_reads_what_a_writer_wrote(db):
    app = create_app(db)
    reader = app.state.reader = SharedReader(db, idle=0.2)
    client = TestClient(app)
    before = client.get("/api/status").json()["counts"]["documents"]
    with reader.store():  # a request in progress: the connection stays open, no writer gets in
        held = _write(db)
        assert held.returncode != 0 and b"lock" in held.stderr.lower()
        assert client.get("/api/status").json()["counts"]["documents"] == before
    deadline = time.monotonic() + 10
    while reader.is_open and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not reader.is_open
    assert _write(db).returncode == 0
    assert client.get("/api/status").json()["counts"]["documents"] == before + 1


def test_concurrent_requests_share_one_connection_each_with_its_own_cursor(db):
    app = create_app(db)
    reader = app.state.reader = SharedReader(db, idle=30)
    client = TestClient(app)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.get("/api/status"), range(40)))
    assert {r.status_code for r in answers} == {200}
    assert len({r.json()["counts"]["events"] for r in answers}) == 1
    assert reader.is_open and reader._users == 0
    reader.close_now()
    assert not reader.is_open


def test_per_request_mode_holds_nothing_between_requests(db):
    client = TestClient(create_app(db, connection="per-request"))
    assert client.get("/api/status").status_code == 200
    assert _write(db).returncode == 0
    assert client.get("/api/status").json()["counts"]["documents"] >= 1


def test_an_unknown_connection_mode_is_refused(db):
    with pytest.raises(ValueError, match="connection"):
        create_app(db, connection="pooled")


def test_a_read_out_of_memory_is_a_503_with_retry_after(examples_store_path, monkeypatch):
    """DuckDB refusing a read for lack of memory (many large reads at once) is the server being
    busy, not a bug: 503 with Retry-After, never 500."""
    import duckdb
    from fastapi.testclient import TestClient

    from redline.serve.app import create_app
    from redline.store import read

    def full(*args, **kwargs):
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block")
    monkeypatch.setattr(read, "events", full)
    answer = TestClient(create_app(examples_store_path)).get("/api/events?dyad=RUS:UKR")
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert "busy" in answer.json()["error"]


def test_served_connections_send_at_once():
    """`redline serve` binds its own socket; asyncio turns Nagle's algorithm off only on
    connections of a socket made with the TCP protocol named. Without it every answer on a
    kept-alive connection waited ~40 ms for the client's delayed acknowledgement."""
    import asyncio
    import socket

    from redline.cli.serve import listen

    async def accepted_nodelay() -> int:
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        def connected(reader, writer):
            raw = writer.get_extra_info("socket")
            seen.set_result(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        sock = listen("127.0.0.1", 0)
        server = await asyncio.start_server(connected, sock=sock)
        reader, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
        value = await asyncio.wait_for(seen, 5)
        writer.close()
        server.close()
        return value

    import threading
    found: list[int] = []  # a loop of its own, in a thread: the browser tests keep one running here
    runner = threading.Thread(target=lambda: found.append(asyncio.run(accepted_nodelay())))
    runner.start()
    runner.join(10)
    assert found and found[0] != 0
