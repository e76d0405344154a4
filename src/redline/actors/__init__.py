"""The actors stage: names, titles, modifiers and coreference -> Actor(country, sector, name)."""
from .lexicon import ActorLexicon, builtin
from .phrase import resolve_actor
from .resolve import DocActors
from .userfiles import read_user_file, with_user_files

__all__ = ["ActorLexicon", "DocActors", "builtin", "read_user_file", "resolve_actor", "with_user_files"]
