"""The synthetic red lines and events of ``bench/redline_crossings.py``, for the red-line tests:
one definition of how a synthetic event and a declaration are built."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("redline_crossings_bench", ROOT / "bench" / "redline_crossings.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

TEMPLATES = {t["name"]: t for t in bench.load_templates()["redlines"]}
