"""Red lines: thresholds declared in text, the ledger of their statements, crossings and
enforcement. ``record`` holds the records; ``store.redlines`` keeps them (``Store.add_statements``);
``crossings`` finds the events crossing them (and alerts through the watch machinery);
``follow`` tells whether the declarer carried out its threat; ``ledger`` reads it all back.

>>> from redline.redlines import ledger, credibility                      # doctest: +SKIP
>>> ledger(store, declarer="RUS")                                          # doctest: +SKIP
"""
from .record import Consequence, Statement, Trigger
from .crossings import Crossing, evaluate_crossings, find_crossings
from .ledger import credibility, ledger, timeline

__all__ = ["Consequence", "Crossing", "Statement", "Trigger", "credibility", "evaluate_crossings",
           "find_crossings", "ledger", "timeline"]
