"""``bench/serve_api.py`` keeps working: its store builder, server start and load client run
against a tiny store for a few requests (not timed), and count a failing request as an error."""
from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import serve_api  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("bench") / "tiny.duckdb"
    took, size = serve_api.build(db, 2_000)
    assert took is not None and size > 0
    assert serve_api.build(db, 2_000)[0] is None  # the right size already: reused
    running = serve_api.start(db)
    yield running
    serve_api.stop(running)


def test_the_load_client_measures_every_endpoint_the_server_has(server):
    import httpx
    with httpx.Client(base_url=server.url) as client:
        paths = serve_api.available(client)
    assert "/api/status" in paths
    requests = list(serve_api.mix(paths, 30))
    load, wall = serve_api.run(server.url, requests, 3, paths)
    assert load.errors == [] and wall > 0
    assert sum(len(v) for v in load.latencies.values()) == 30
    expected = {"status"} | ({"events"} if "/api/events" in paths else set()) | \
        ({"series"} if "/api/series" in paths else set())
    assert expected <= set(load.latencies)
    if "/api/events" in paths:  # next pages and event pages come from the lists' answers
        assert {"events next", "event"} & set(load.latencies)
    shown = serve_api.table("t", load.latencies, wall)
    assert "status" in shown and "throughput" in shown
    assert server.rss() > 0


def test_a_failing_request_is_an_error(server):
    load, _ = serve_api.run(server.url, [serve_api.Request("status", "/api/no-such-thing")] * 2, 2, set())
    assert len(load.errors) == 2 and "404" in load.errors[0]


def test_sequential_runs_the_target_queries_the_server_has(server):
    import httpx
    with httpx.Client(base_url=server.url) as client:
        paths = serve_api.available(client)
    latencies = serve_api.sequential(server.url, paths, 2)
    assert len(latencies["status"]) == 2
    assert ("events RUS:UKR" in latencies) == ("/api/events" in paths)
