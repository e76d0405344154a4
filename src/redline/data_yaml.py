"""YAML data files shipped with Redline (lexicons, word lists, tables), parsed fast.

PyYAML's pure-Python loader takes about a third of a second for the event stage's files alone,
paid again by every process that codes; libyaml's C loader gives the same values about ten
times faster. Users' YAML goes through :mod:`redline.user_yaml` instead, which bounds it."""
from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # (PyYAML built without libyaml: the same, slower)


def parse_data_yaml(text: str) -> Any:
    """The value of a packaged YAML ``text`` (safe tags only, as ``yaml.safe_load``)."""
    return yaml.load(text, Loader=_LOADER)
