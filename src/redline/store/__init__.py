"""The embedded store: documents, mentions and merged events in one DuckDB file.

>>> from redline.store import Store                                     # doctest: +SKIP
>>> with Store("redline.duckdb") as store:                               # doctest: +SKIP
...     store.add([coded_rows(document, events)])
...     store.sql("SELECT source_code, cameo, n_mentions FROM events").fetchall()

Every batch is written in one transaction: a run killed at any point leaves the store as it was
after the last whole batch, and running it again skips the documents already stored (a document
is one publication of a text, keyed by a hash of the text and its publisher, url and date). Only
one process may write to a store at a time; another one waits (``wait`` seconds) or fails with
:class:`StoreBusy`. A store written by an earlier Redline is upgraded when opened for writing
(``migrate``).
"""
from __future__ import annotations

from ..lazy import lazy_names

# The store's names are loaded on first use: a command that never opens a store (``redline
# code``) does not import DuckDB and pyarrow, while ``from redline.store import Store`` works as
# before (``python -X importtime -m redline code --help``).
_LAZY = {
    "Store": "database", "StoreBusy": "database", "StoreDamaged": "database", "DEFAULT_PATH": "database",
    "MEMORY_ENV": "database", "EVENT_COLUMNS": "database", "service_memory_limit": "database",
    "StoreVersionError": "migrate", "coded_rows": "rows", "document_key": "rows",
}

__all__ = ["Store", "StoreBusy", "StoreDamaged", "StoreVersionError", "coded_rows", "document_key"]

__getattr__ = lazy_names(__name__, _LAZY)
