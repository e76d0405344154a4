"""Resolve an actor phrase on its own: ``resolve_actor("the director of Russia's SVR", date)``."""
from __future__ import annotations

from datetime import date

from ..ingest.dates import parse_publication_date
from ..nlp import load
from ..schema import Actor
from .lexicon import ActorLexicon, builtin
from .resolve import DocActors

HEAD_POS = ("NOUN", "PROPN", "PRON")


def resolve_actor(text: str, on: date | str | None = None, lexicon: ActorLexicon | None = None) -> list[Actor]:
    """The actor(s) a noun phrase names on a date, with how each was resolved (``resolved_by``).

    >>> resolve_actor("French President Emmanuel Macron", "2024-03-19")[0].code   # doctest: +SKIP
    'FRAGOV'
    """
    if isinstance(on, str):
        on = parse_publication_date(on)
    doc = load()(text)
    resolver = DocActors(doc, lexicon or builtin(), on)
    heads = [s.root for s in doc.sents]
    head = heads[0] if heads else None
    if head is None:
        return [Actor(text, resolved_by="empty phrase")]
    if head.pos_ not in HEAD_POS:  # a phrase the parser read as a clause: take its first noun phrase
        chunks = list(doc.noun_chunks)
        if chunks:
            head = chunks[0].root
    return resolver.resolve(head)
