"""The suite's own setup: without the shared folder, tests that need it skip with one reason, and
a CI run (CI=true) stops with one clear error instead of passing without them."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

NEEDS_SHARED = "tests/test_ontology.py::test_goldstein_agrees_with_reference"
NO_SHARED = "tests/test_ontology.py::test_roots"


def _pytest(tmp_path, *args: str, ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "REDLINE_SHARED")}
    env["REDLINE_SHARED"] = str(tmp_path / "no-shared-here")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_without_shared_tests_skip_with_one_reason(tmp_path):
    p = _pytest(tmp_path, NEEDS_SHARED, NO_SHARED, ci=None)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "1 passed, 1 skipped" in p.stdout
    assert f"the shared folder is missing: {tmp_path / 'no-shared-here'}" in p.stdout


@pytest.mark.slow
def test_without_shared_a_ci_run_fails_loudly(tmp_path):
    p = _pytest(tmp_path, NEEDS_SHARED, NO_SHARED, ci="true")
    assert p.returncode == pytest.ExitCode.USAGE_ERROR, p.stdout + p.stderr
    out = p.stdout + p.stderr
    assert f"CI: the shared folder is missing: {tmp_path / 'no-shared-here'}" in out
    assert "1 collected test(s) need it" in out and "passed" not in out
    # a CI run of tests that do not need it is not stopped
    assert _pytest(tmp_path, NO_SHARED, ci="true").returncode == 0
