"""The event stage's data files (``events/data/*.yaml``), each read once per process."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from ..data_yaml import parse_data_yaml


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict[str, Any]:
    """The parsed contents of ``events/data/NAME`` (a mapping; empty for an empty file)."""
    text = (resources.files("redline.events") / "data" / name).read_text("utf-8")
    return parse_data_yaml(text) or {}


@lru_cache(maxsize=None)
def word_set(name: str, key: str, section: str | None = None) -> frozenset[str]:
    """The lower-cased words listed under ``key`` (in ``section``, if given) of ``events/data/NAME``."""
    data = load_yaml(name)
    if section is not None:
        data = data.get(section, {})
    return frozenset(str(w).lower() for w in data.get(key, []))
