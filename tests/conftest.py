from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
