"""Code a corpus into the store: read, skip what is stored, code with an engine, write batch by batch.

A document already in the store (the same text, publisher, url and date) is not coded again, so an
interrupted ingest run again resumes where the last committed batch ended, and ingesting a corpus
twice changes nothing. The same text published again elsewhere or on another date is stored and
counted as another document.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from ..ingest import InputError
from ..redlines.record import Statement
from ..schema import Document
from . import Store
from .rows import document_key


@dataclass
class IngestStats:
    read: int = 0
    skipped_stored: int = 0       # already in the store (or twice in this run)
    coded: int = 0
    new_documents: int = 0
    mentions: int = 0
    statements: int = 0           # red-line statements read from the coded documents
    errors: list[InputError] = field(default_factory=list)


def _unstored(items: Iterable[Document | InputError], store: Store, stats: IngestStats, check_every: int,
              on_error: Callable[[InputError], None] | None) -> Iterator[Document]:
    """The documents not yet stored; input errors are collected (and reported) on the way."""
    seen: set[str] = set()
    buffer: list[tuple[str, Document]] = []

    def flush() -> Iterator[Document]:
        known = store.known(k for k, _ in buffer)
        for key, document in buffer:
            if key in known or key in seen:
                stats.skipped_stored += 1
            else:
                seen.add(key)
                yield document
        buffer.clear()

    for item in items:
        if isinstance(item, InputError):
            stats.errors.append(item)
            if on_error is not None:
                on_error(item)
            continue
        stats.read += 1
        buffer.append((document_key(item), item))
        if len(buffer) >= check_every:
            yield from flush()
    yield from flush()


def ingest(items: Iterable[Document | InputError], store: Store, engine: str = "local", settings=None,
           on_error: Callable[[InputError], None] | None = None,
           progress: Callable[[IngestStats], None] | None = None,
           within: Callable[[Store, list[dict[str, Any]]], None] | None = None) -> IngestStats:
    """Code ``items`` (from :func:`redline.read`) with ``engine`` and store them, with the red-line
    statements read from them, one transaction per ``settings.batch_size`` documents or more
    (``within``: see ``Store.add``).

    The engine's batches are parsing batches (at most 8,000 words, smaller at the end of the
    input); a transaction costs about the same whatever its size (75 ms on a small store), so the
    coded batches are stored together until they hold a batch's worth of documents. An
    interrupted run codes again at most that many documents."""
    from ..engines import EngineSettings, engines
    settings = settings or EngineSettings()
    stats = IngestStats()
    documents = _unstored(items, store, stats, max(64, settings.batch_size), on_error)
    rows: list = []
    statements: list[Statement] = []

    def store_pending() -> None:
        stats.new_documents += store.add(rows, statements=statements, within=within)
        stats.statements += len(statements)
        stats.coded += len(rows)
        stats.mentions += sum(len(m) for _, m in rows)
        rows.clear()
        statements.clear()
        if progress is not None:
            progress(stats)

    for batch in engines.get(engine)(documents, settings):
        for failed in [item for item in batch if isinstance(item, InputError)]:
            stats.errors.append(failed)
            if on_error is not None:
                on_error(failed)
        statements += [item for item in batch if isinstance(item, Statement)]
        rows += [item for item in batch if not isinstance(item, (InputError, Statement))]
        if len(rows) >= settings.batch_size:
            store_pending()
    if rows or statements:
        store_pending()
    return stats
