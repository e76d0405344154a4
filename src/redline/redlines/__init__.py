"""Red lines: thresholds declared in text, the ledger of their statements, crossings and
enforcement. ``record`` holds the records; ``extract`` reads statements from coded text
(``extract_text``, ``Coder.code_documents(..., redlines=True)``); ``store.redlines`` keeps them
(``Store.add_statements``); ``crossings`` finds the events crossing them (and alerts through the
watch machinery); ``follow`` tells whether the declarer carried out its threat; ``ledger`` (``ledger_view``) reads
it all back.

>>> from redline.redlines import extract_text, ledger, credibility         # doctest: +SKIP
>>> extract_text(text, date="2024-03-21")                                  # doctest: +SKIP
>>> ledger(store, declarer="RUS")                                          # doctest: +SKIP
"""
from __future__ import annotations

from datetime import date as Date
from typing import TYPE_CHECKING

from ..lazy import lazy_names
from .record import Consequence, Statement, Trigger

if TYPE_CHECKING:  # the pipeline composes the stages, red-line extraction among them
    from ..pipeline import Coder

__all__ = ["Consequence", "Crossing", "Statement", "Trigger", "credibility", "evaluate_crossings",
           "extract_text", "find_crossings", "ledger", "timeline"]


# read from a store (DuckDB, the watch machinery): imported on first use, so that coding, which
# only extracts statements, does not load them (``python -X importtime -m redline code``)
_LAZY = {"Crossing": "crossings", "evaluate_crossings": "crossings", "find_crossings": "crossings",
         "credibility": "ledger_view", "ledger": "ledger_view", "timeline": "ledger_view"}

__getattr__ = lazy_names(__name__, _LAZY)


def extract_text(text: str, date: Date | str | None = None, coder: "Coder | None" = None,
                 doc_id: str = "text") -> list[Statement]:
    """The red-line statements of one text published on ``date``:
    ``redline.redlines.extract_text(text, date="2024-03-21")`` -> list of Statement."""
    if coder is None:
        from ..pipeline import default_coder
        coder = default_coder()
    return coder.code_text_with_redlines(text, date=date, doc_id=doc_id)[1]
