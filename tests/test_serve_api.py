"""`redline serve` in process (FastAPI's TestClient): /api/status and the overview page agree with
the store; errors are JSON (400 naming the parameter, 503 + Retry-After for a busy store, never a
traceback); writes need the token; CORS is off unless asked; /docs needs nothing off this machine."""
from __future__ import annotations

import fnmatch
import re
import shutil
import socket
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from hypothesis import HealthCheck, given, settings
from fastapi import Depends, Query
from fastapi.testclient import TestClient

from redline import __version__
from redline.serve import create_app
from redline.serve.deps import require_token
from redline.store import Store
from redline.store.query import Filters
from redline.store.read import ReadError
from redline.store.migrate import SCHEMA_VERSION


@pytest.fixture(scope="module")
def client(examples_store_path):
    return TestClient(create_app(examples_store_path))


def _store_counts(path: Path) -> dict[str, int]:
    with Store(path, read_only=True) as s:
        return {**s.counts(), "alerts": s.sql("SELECT count(*) FROM alerts").fetchall()[0][0]}


def test_status_reports_the_store_and_its_counts(client, examples_store_path):
    r = client.get("/api/status")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body == {"store": str(examples_store_path), "schema_version": SCHEMA_VERSION, "redline_version": __version__,
                    "counts": _store_counts(examples_store_path), "feeds": [], "cycles": [], "pending_deliveries": 0}
    assert body["counts"]["documents"] == 12 and body["counts"]["events"] > 0


def test_the_overview_page_shows_the_counts_and_links_its_json_twin(client, examples_store_path):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    shown = dict((name, int(value.replace(",", ""))) for name, value in
                 re.findall(r'data-count="(\w+)"><span class="value">([\d,]+)</span>', r.text))
    assert shown == _store_counts(examples_store_path)
    assert 'href="/api/status"' in r.text and 'aria-current="page">Overview<' in r.text


def test_pages_escape_what_they_show(tmp_path, examples_store_path):
    db = tmp_path / "<b>bold<script>.duckdb"
    shutil.copy(examples_store_path, db)
    page = TestClient(create_app(db)).get("/").text
    assert "&lt;b&gt;bold&lt;script&gt;.duckdb" in page and "<b>bold" not in page


def test_api_docs_and_schema_are_served_from_this_machine(client):
    schema = client.get("/openapi.json").json()
    assert "/api/status" in schema["paths"] and "/" not in schema["paths"]  # pages are not the API
    docs = client.get("/docs")
    assert docs.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', docs.text) + re.findall(r"url: '([^']+)'", docs.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    for url in urls:
        got = client.get(url)
        assert got.status_code == 200 and len(got.content) > 100, url
    assert "SwaggerUIBundle" in client.get("/static/swagger/swagger-ui-bundle.js").text


def test_a_missing_store_is_503_json_and_a_page_for_a_browser(tmp_path):
    client = TestClient(create_app(tmp_path / "none.duckdb"))
    r = client.get("/api/status")
    assert r.status_code == 503 and "no such store" in r.json()["error"]
    page = client.get("/", headers={"accept": "text/html"})
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert "no such store" in page.text and "Traceback" not in page.text


def test_a_busy_store_is_503_with_retry_after(tmp_path, examples_store_path):
    db = tmp_path / "busy.duckdb"
    shutil.copy(examples_store_path, db)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('holding', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"holding\n"
        client = TestClient(create_app(db))
        for path in ("/api/status", "/"):
            r = client.get(path)
            assert r.status_code == 503 and int(r.headers["retry-after"]) > 0, path
            assert "busy" in r.json()["error"]
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert TestClient(create_app(db)).get("/api/status").status_code == 200  # free again: served again


def _probed(app, **kwargs):
    """The app with test routes: a query parameter, a checked one, a failing one, a write."""
    @app.get("/api/probe")
    def probe(limit: int = Query(10, ge=1), dyad: str = "RUS:UKR", sort: str = "-date") -> dict:
        Filters.from_mapping({"dyad": dyad})
        if sort not in ("date", "-date"):
            raise ReadError("sort", "must be date or -date")
        return {"limit": limit}

    @app.get("/api/broken")
    def broken() -> dict:
        raise RuntimeError("secret internals at /home/x")

    @app.post("/api/write", dependencies=[Depends(require_token)])
    def write() -> dict:
        return {"written": True}
    return TestClient(app, raise_server_exceptions=False, **kwargs)


def test_bad_parameters_are_400_naming_the_parameter(examples_store_path):
    client = _probed(create_app(examples_store_path))
    assert client.get("/api/probe?limit=3").json() == {"limit": 3}
    for query, name in (("limit=many", "limit"), ("limit=0", "limit"), ("dyad=RUS", "dyad"), ("sort=x", "sort")):
        r = client.get(f"/api/probe?{query}")
        assert r.status_code == 400 and r.json()["parameter"] == name, (query, r.text)
        assert r.json()["error"].startswith(f"{name}: ")
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json() == {"error": "Not Found"}


def test_an_unexpected_error_is_json_without_the_traceback(examples_store_path, caplog):
    r = _probed(create_app(examples_store_path)).get("/api/broken")
    assert r.status_code == 500 and r.json() == {"error": "unexpected RuntimeError (a bug: it is in the server's log)"}
    assert "secret" not in r.text and "Traceback" not in r.text
    assert any(rec.exc_info and "secret internals" in str(rec.exc_info[1]) for rec in caplog.records)


def test_writes_need_the_token(examples_store_path):
    off = _probed(create_app(examples_store_path))
    assert off.post("/api/write", headers={"authorization": "Bearer anything"}).status_code == 403
    on = _probed(create_app(examples_store_path, token="s3cret"))
    assert on.post("/api/write").status_code == 401
    wrong = on.post("/api/write", headers={"authorization": "Bearer s3cre"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert on.post("/api/write", headers={"authorization": "Bearer s3cret"}).json() == {"written": True}


def test_cors_is_off_unless_an_origin_is_given(examples_store_path):
    origin = {"origin": "http://dashboard.example"}
    plain = TestClient(create_app(examples_store_path)).get("/api/status", headers=origin)
    assert "access-control-allow-origin" not in plain.headers
    client = TestClient(create_app(examples_store_path, cors_origins=["http://dashboard.example"]))
    assert client.get("/api/status", headers=origin).headers["access-control-allow-origin"] == origin["origin"]
    other = client.get("/api/status", headers={"origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def test_the_api_holds_to_its_schema(api_schema):
    """Every operation in /openapi.json (Schemathesis): valid parameters are accepted and answered as
    documented, invalid ones get a documented 4xx, never a 5xx. A new endpoint is checked here
    without a new test; a check its schema does not state (a pattern, a range) fails it."""
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert "/api/status" in {op.path for op in operations}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)
            if mode is GenerationMode.POSITIVE:
                strategy = strategy.filter(_schema_can_state)
            @given(case=strategy)
            @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def check(case) -> None:
                case.call_and_validate()
            try:
                check()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # no parameter to get wrong
            except Exception as e:
                raise AssertionError(f"{operation.method.upper()} {operation.path} ({mode.value}): {e}") from e


def _schema_can_state(case) -> bool:
    """False for the valid-looking requests an OpenAPI schema cannot tell from good ones, which the
    server rightly answers 400: a cursor (``after``) it did not make, and filters that are each
    valid alone but not together (a dyad and a source, ``from`` after ``to``, factual and modality).
    A value wrong on its own is kept, so a pattern that lets a bad value through still fails."""
    query = dict(case.query or {})
    if "after" in query:
        return False
    from redline.store.query import PARAMETERS, FilterError
    chosen = {k: v for k, v in query.items() if k in PARAMETERS}
    if isinstance(chosen.get("min_mentions"), (int, float, str)):  # typed integer: FastAPI reads "5.0" as 5
        try:
            chosen["min_mentions"] = int(float(chosen["min_mentions"]))
        except ValueError:
            pass
    try:
        Filters.from_mapping(chosen)
        return True
    except FilterError:
        pass
    for name, value in chosen.items():
        try:
            Filters.from_mapping({name: value})
        except FilterError:
            return True  # a value wrong alone: kept (the schema should have ruled it out)
    return False


def test_bad_parameters_are_documented_as_400_not_422(client):
    responses = client.get("/openapi.json").json()["paths"]["/api/status"]["get"]["responses"]
    assert {"200", "400", "503"} <= set(responses) and "422" not in responses
    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}


def test_serve_command_binds_loopback_and_passes_its_options(monkeypatch, examples_store_path):
    import uvicorn
    seen = {}
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.update(
        app=self.config.app, address=sockets[0].getsockname()))
    monkeypatch.setenv("REDLINE_TOKEN", "from-env")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = run_cli("serve", "--db", str(examples_store_path), "--port", str(port), "--sql",
                "--cors", "http://a.example", "--cors", "http://b.example")
    assert p.returncode == 0, p.stderr.decode()
    assert seen["address"] == ("127.0.0.1", port)
    settings = seen["app"].state.settings
    assert (settings.db, settings.token, settings.sql) == (examples_store_path, "from-env", True)
    assert settings.cors_origins == ("http://a.example", "http://b.example")
    assert f"http://127.0.0.1:{port}/" in p.stderr.decode()


def test_serve_command_refuses_a_missing_store_and_a_port_in_use(tmp_path, examples_store_path):
    p = run_cli("serve", "--db", str(tmp_path / "none.duckdb"))
    assert p.returncode == 2 and "no such store" in p.stderr.decode()
    with socket.create_server(("127.0.0.1", 0)) as taken:
        p = run_cli("serve", "--db", str(examples_store_path), "--port", str(taken.getsockname()[1]))
    assert p.returncode == 2 and "cannot listen on 127.0.0.1" in p.stderr.decode()
    assert "serving" not in p.stderr.decode()


def test_templates_and_static_files_ship_in_the_package():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["redline.serve"]
    folder = resources.files("redline.serve")
    files = [f"{d}/{f.name}" for d in ("templates", "static") for f in (folder / d).iterdir() if f.is_file()]
    assert "templates/base.html" in files and "static/redline.css" in files
    unshipped = [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert not unshipped, f"add a package-data pattern for {unshipped}"
