"""The events stage: parsed sentences -> coded events."""
from .coder import SentenceCoder
from .lexicon import PredicateLexicon, builtin, with_user_files

__all__ = ["PredicateLexicon", "SentenceCoder", "builtin", "with_user_files"]
