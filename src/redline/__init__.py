"""Redline: news text in, coded political events (CAMEO / PLOVER) out.

>>> import redline                                                          # doctest: +SKIP
>>> for e in redline.code("Russian troops shelled Kharkiv on Tuesday.", date="2024-03-21"):
...     print(e.source.code, e.cameo, e.target.code, e.date)                 # doctest: +SKIP
"""
from .actors import resolve_actor
from .ingest import InputError, read
from .pipeline import Coder, code
from .schema import Actor, Document, Event

__version__ = "0.1.0"
__all__ = ["Actor", "Coder", "Document", "Event", "InputError", "Store", "code", "read", "resolve_actor",
           "__version__"]


def __getattr__(name: str):
    if name == "Store":  # DuckDB and Arrow load only when the store is used
        from .store import Store
        return Store
    raise AttributeError(f"module 'redline' has no attribute {name!r}")
