from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def coder():
    from redline import Coder
    return Coder()


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m redline`` as a user would; returns the finished process."""
    return subprocess.run([sys.executable, "-m", "redline", *args], input=stdin, capture_output=True)
