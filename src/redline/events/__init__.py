"""The events stage: parsed sentences -> coded events."""
from .coder import SentenceCoder
from .lexicon import PredicateLexicon, builtin

__all__ = ["PredicateLexicon", "SentenceCoder", "builtin"]
