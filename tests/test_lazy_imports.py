"""Coding does not load what only the store needs (DuckDB, pyarrow): start-up of `redline code`."""
from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_the_cli_and_the_coder_load_without_duckdb():
    loaded = _run("import sys; import redline.cli, redline.pipeline, redline.engines; "
                  "print(sorted(m for m in ('duckdb', 'pyarrow') if m in sys.modules))")
    assert loaded == "[]"


def test_store_and_ledger_names_load_on_first_use():
    # the submodule imported first must not shadow the function of the same idea
    out = _run("import redline.redlines.ledger_view, redline.store.database; "
               "from redline.redlines import ledger, find_crossings; from redline.store import Store, coded_rows; "
               "print(callable(ledger), ledger.__module__, Store.__name__, coded_rows.__module__)")
    assert out == "True redline.redlines.ledger_view Store redline.store.rows"
    err = subprocess.run([sys.executable, "-c", "import redline.store as s; s.nothing"], capture_output=True, text=True)
    assert err.returncode == 1 and "has no attribute 'nothing'" in err.stderr
