"""Engines code batches of documents: ``local`` (this machine, one process or a pool of worker
processes) and ``dask`` (a Dask cluster). Both yield, in input order, batches of
``(document_row, mention_rows)`` ready for :meth:`redline.store.Store.add`, so the store is the
same whichever engine coded it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..registry import Registry
from ..schema import Document

engines: Registry = Registry("engine")

Batch = list  # list[tuple[dict, list[dict]]], then the red-line Statements read from those documents,
# then an InputError for each document that could not be coded


@dataclass(frozen=True)
class CoderOptions:
    """How to build the coder in each worker (picklable, unlike the coder itself)."""

    actor_files: tuple[str, ...] = ()
    predicate_files: tuple[str, ...] = ()
    use_classifier: bool = True
    batch_size: int = 32
    model: str | None = None              # a sentence model file (``redline train``); None: the built-in

    def build(self):
        from ..events.classifier import SentenceClassifier
        from ..pipeline import Coder
        actors = predicates = None
        classifier = SentenceClassifier.load(self.model) if self.model and self.use_classifier else None
        if self.actor_files:
            from ..actors import with_user_files
            actors = with_user_files([Path(p) for p in self.actor_files])
        if self.predicate_files:
            from ..events import with_user_files as predicates_with
            predicates = predicates_with([Path(p) for p in self.predicate_files])
        return Coder(actors=actors, predicates=predicates, classifier=classifier,
                     use_classifier=self.use_classifier, batch_size=self.batch_size)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, else the machine's count): the
    default number of worker processes of ``redline code`` and ``redline ingest``."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


@dataclass
class EngineSettings:
    workers: int = 1
    batch_size: int = 32
    recycle: int = 20                     # local: batches a forked worker codes before a fresh one replaces it
    scheduler: str | None = None          # dask: a scheduler address; None starts a LocalCluster
    parquet_dir: str | None = None        # dask: where the workers write their Parquet
    coder: CoderOptions = field(default_factory=CoderOptions)
    on_piece: Callable | None = None      # local, one process: progress within a long text (Coder.on_piece)


def code_batch(coder, batch: list[Document]) -> tuple[list, list, list]:
    """One batch coded the way every engine codes it: the store's rows of each document, the
    red-line statements read from them, and an InputError for each document that failed."""
    from ..ingest import InputError
    from ..store.rows import coded_rows
    failed: list = []
    rows, said = [], []
    for document, events, statements in coder.code_documents(
            batch, redlines=True, on_error=lambda d, e: failed.append(InputError.coding_failed(d, e))):
        rows.append(coded_rows(document, events))
        said.extend(statements)
    return rows, said, failed


def code_events(coder, batch: list[Document]) -> list:
    """One batch coded for ``redline code``: for each document in order, its events, or an
    InputError if it could not be coded (the coder reports documents in input order)."""
    from ..ingest import InputError
    out: list = []
    for _, events in coder.code_documents(batch, on_error=lambda d, e: out.append(InputError.coding_failed(d, e))):
        out.append(events)
    return out


def chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """``documents`` in the batches the coder parses (at most ``size`` documents and
    ``pipeline.BATCH_WORDS`` words): each batch handed to a worker is parsed whole, as one
    process would parse it, so the output does not depend on the number of workers."""
    from ..pipeline import batches
    return batches(documents, size)


from . import local  # noqa: E402,F401  (registers "local")
from . import dask_engine  # noqa: E402,F401  (registers "dask")
