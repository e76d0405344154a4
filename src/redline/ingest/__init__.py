"""The ingest stage: files, folders, corpora and stdin -> Documents (or precise InputErrors)."""
from .dates import parse_publication_date
from .errors import InputError, InputWarning
from .readers import read

__all__ = ["InputError", "InputWarning", "parse_publication_date", "read"]
