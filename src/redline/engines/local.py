"""This machine: code in this process, or in a pool of worker processes that each load the model
and tables once and parse whole batches."""
from __future__ import annotations

import multiprocessing
from collections import deque
from typing import Iterable, Iterator

from ..schema import Document
from . import Batch, CoderOptions, EngineSettings, chunks, code_batch, engines

_coder = None  # one per worker process


def _start(options: CoderOptions) -> None:
    global _coder
    _coder = options.build()


def _code(batch: list[Document]) -> Batch:
    rows, said, failed = code_batch(_coder, batch)
    return rows + said + failed


@engines.register("local")
def run(documents: Iterable[Document], settings: EngineSettings) -> Iterator[Batch]:
    """Batches of coded rows in input order, coded by ``settings.workers`` processes."""
    if settings.workers <= 1:
        _start(settings.coder)
        _coder.on_piece = settings.on_piece
        for batch in chunks(documents, settings.batch_size):
            yield _code(batch)
        return
    # fork where the platform has it: the workers share the model and tables the parent loaded
    # (copy-on-write), so they start at once and use less memory; they never touch the store
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        _start(settings.coder)
        context, init, args = multiprocessing.get_context("fork"), None, ()
        # spaCy's string store only grows; a fresh fork every `recycle` batches keeps workers small
        recycle = settings.recycle or None
    else:
        context, init, args = multiprocessing.get_context("spawn"), _start, (settings.coder,)
        recycle = None  # a spawned worker reloads the model: not worth replacing
    with context.Pool(settings.workers, initializer=init, initargs=args, maxtasksperchild=recycle) as pool:
        pending: deque = deque()
        for batch in chunks(documents, settings.batch_size):
            pending.append(pool.apply_async(_code, (batch,)))
            if len(pending) >= 2 * settings.workers:  # bounded: a corpus is never all in memory
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
