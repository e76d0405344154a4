"""Red lines: thresholds declared in text, the ledger of their statements, crossings and
enforcement. ``record`` holds the records; the other modules extract, store and track them."""
from .record import Consequence, Statement, Trigger

__all__ = ["Consequence", "Statement", "Trigger"]
