"""Output writers for coded events, registered by format name (jsonl, csv, table)."""
from .writers import CSV_COLUMNS, write

__all__ = ["CSV_COLUMNS", "write"]
