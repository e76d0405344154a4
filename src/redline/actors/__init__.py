"""The actors stage: names, titles, modifiers and coreference -> Actor(country, sector, name)."""
from .lexicon import ActorLexicon, builtin
from .phrase import resolve_actor
from .resolve import DocActors

__all__ = ["ActorLexicon", "DocActors", "builtin", "resolve_actor"]
