"""The ingest stage: files, folders, corpora and stdin -> Documents (or precise InputErrors)."""
from .dates import parse_publication_date
from .errors import InputError
from .readers import read

__all__ = ["InputError", "parse_publication_date", "read"]
