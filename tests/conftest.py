from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The shared folder (labelled data, scorers, the sample article): ../shared beside the project,
# or wherever REDLINE_SHARED points.
SHARED = Path(os.environ.get("REDLINE_SHARED") or ROOT.parent / "shared")
SHARED_MISSING = (f"the shared folder is missing: {SHARED} (put it at ../shared beside the project "
                  "or point REDLINE_SHARED at it)")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder. Tests that read it take this fixture; without the folder they are
    skipped with one reason, or, in CI, the run stops with one error (see below)."""
    if not SHARED.is_dir():
        pytest.skip(SHARED_MISSING)
    return SHARED


def pytest_report_header(config):
    return f"shared folder: {SHARED}" + ("" if SHARED.is_dir() else " (MISSING: tests that need it are skipped; "
                                                                     "with CI=true the run fails)")


def pytest_collection_modifyitems(config, items):
    if SHARED.is_dir():
        return
    needing = [item for item in items if "shared" in getattr(item, "fixturenames", ())]
    if not needing:
        return
    if _in_ci():
        raise pytest.UsageError(f"CI: {SHARED_MISSING}; {len(needing)} collected test(s) need it")
    for item in needing:
        item.add_marker(pytest.mark.skip(reason=SHARED_MISSING))


@pytest.fixture(scope="session")
def coder():
    from redline import Coder
    return Coder()


@dataclass
class Ran:
    """A finished command: exit status and the bytes it wrote, as subprocess.CompletedProcess."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run_cli(*args: str, stdin: bytes | None = None) -> Ran:
    """Run ``redline ARGS`` in this process (typer's test runner: the model loads once for the
    whole session). Exit status, stdout and stderr as a user sees them; a crash raises here."""
    from typer.testing import CliRunner

    from redline.cli import app
    result = CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)
    return Ran(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def run_cli_process(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m redline`` as a separate process, as a user would (smoke tests, locks, kills)."""
    return subprocess.run([sys.executable, "-m", "redline", *args], input=stdin, capture_output=True, env=env)


EDGE_DOCUMENTS = [  # calendar-edge publication dates with relative dates in the text
    ("edge-max", "9999-12-31", "On Tuesday, Russian troops attacked Ukrainian positions near Kharkiv."),
    ("edge-min", "0001-01-01", "Next Friday, the army will attack the rebels. Last week police arrested 20 protesters."),
    ("edge-near", "9999-12-30", "On December 31 the government of France met the president of Germany."),
]


@pytest.fixture(scope="session")
def edge_store_path(tmp_path_factory, coder) -> Path:
    """A store of documents published at the calendar's first and last days."""
    from datetime import date

    from redline.schema import Document
    from redline.store import Store, coded_rows
    path = tmp_path_factory.mktemp("edge") / "edge.duckdb"
    documents = [Document(id=i, text=t, date=date.fromisoformat(d), origin=f"edge:{n}")
                 for n, (i, d, t) in enumerate(EDGE_DOCUMENTS, 1)]
    with Store(path) as store:
        store.add([coded_rows(d, e) for d, e in coder.code_documents(documents)])
    return path


@pytest.fixture(scope="module")
def edge_store(edge_store_path):
    from redline.store import Store
    with Store(edge_store_path, read_only=True) as store:
        yield store


# -- redline serve: a store of the examples, a live server, headless Chromium ---------------------

EXAMPLES = ROOT / "examples"
CHROMIUM = Path(os.environ.get("REDLINE_CHROMIUM", "/usr/bin/chromium"))  # Debian's; never a downloaded one
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


@pytest.fixture(scope="session")
def examples_store_path(tmp_path_factory) -> Path:
    """A store of the bundled articles (``redline ingest examples/``), built once a session: read it,
    never write to it (copy it first)."""
    db = tmp_path_factory.mktemp("examples-store") / "examples.duckdb"
    p = run_cli("ingest", str(EXAMPLES), "--db", str(db), "-q")
    assert p.returncode == 0, p.stderr.decode()
    return db


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve an ASGI ``app`` with uvicorn in a thread on a free loopback port; yields its base URL
    (``http://127.0.0.1:PORT``) and stops the server when the block ends."""
    import socket
    import threading

    import uvicorn
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="session")
def live_server(examples_store_path) -> Iterator[str]:
    """The base URL of ``redline serve`` over the examples store, running for the session. For
    other options, ``with serving(create_app(...)) as url:``."""
    from redline.serve import create_app
    with serving(create_app(examples_store_path)) as url:
        yield url


@pytest.fixture(scope="session")
def api_schema(examples_store_path):
    """The app over the examples store as a Schemathesis schema: ``api_schema.get_all_operations()``,
    ``operation.as_strategy()`` for Hypothesis (``schemathesis.pytest.from_fixture`` does not work
    with this pytest)."""
    import schemathesis

    from redline.serve import create_app
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(examples_store_path))


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's ``/usr/bin/chromium``) driven by Playwright, fresh profile.
    Missing: the test is skipped, or with CI=true fails."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "the playwright package is missing (pip install -e '.[test]')"
    else:
        missing = None if CHROMIUM.exists() else f"{CHROMIUM} is missing (apt-get install chromium)"
    if missing:
        if _in_ci():
            pytest.fail(f"CI: {missing}", pytrace=False)
        pytest.skip(missing)
    with sync_playwright() as playwright:
        # Playwright starts it with a new temporary profile (--user-data-dir) and removes it after
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server):
    """A new browser page on ``live_server`` (``page.goto("/docs")``), 1280x800. Offline by rule:
    a request for anything off this machine is blocked and fails the test, as does a JavaScript error."""
    from urllib.parse import urlsplit
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    outside: list[str] = []
    errors: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert not outside, f"the page asked for files off this machine: {outside}"
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def screenshot(tmp_path_factory):
    """``screenshot(page, "name")``: the whole page as PNG in the session's screenshot folder
    (or $REDLINE_SCREENSHOTS); returns its path."""
    folder = Path(os.environ.get("REDLINE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> Path:
        path = folder / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path
    return take
