"""This machine: code in this process, or in a pool of worker processes.

Where the platform forks, the parent loads the model and tables once and forks the workers after
(they share those pages copy-on-write and start at once); each worker parses whole batches and
returns what the batch coded to (store rows, or events), never spaCy Docs, so little crosses
between processes. Results come back in input order."""
from __future__ import annotations

import gc
import itertools
import multiprocessing
import warnings
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from ..nlp import one_core
from ..schema import Document
from . import Batch, CoderOptions, EngineSettings, chunks, code_batch, engines

Work = Callable[[Any, list[Document]], Any]  # (coder, batch) -> what the parent gets back; module-level

_coder = None  # one per process: built by prepare(), inherited by forked workers
_options: CoderOptions | None = None


def prepare(options: CoderOptions):
    """The coder for ``options``, built once per process (a bad actor or predicate file raises
    here, before any worker starts)."""
    global _coder, _options
    if _coder is None or _options != options:
        _coder, _options = options.build(), options
    return _coder


def _apply(work: Work, batch: list[Document]) -> tuple[Any, list]:
    """In a worker: ``work`` on one batch, with the warnings it raised, for the parent to show."""
    with warnings.catch_warnings(record=True) as caught, one_core():
        warnings.simplefilter("always")
        result = work(_coder, batch)
    return result, [(str(w.message), w.category, w.filename, w.lineno) for w in caught]


def code_batches(documents: Iterable[Document], settings: EngineSettings, work: Work) -> Iterator[tuple[list, Any]]:
    """``(batch, work(coder, batch))`` for the batches of ``documents``, in input order, with
    ``settings.workers`` processes (1: this process alone). Warnings raised in a worker are
    raised again here, in order (once per place, as one process shows them)."""
    batches = chunks(documents, settings.batch_size)
    first = next(batches, None)
    second = next(batches, None) if settings.workers > 1 else None
    if first is None:
        return
    batches = itertools.chain([first] if second is None else [first, second], batches)
    if settings.workers <= 1 or second is None:  # one process, or one batch: no pool to start
        coder = prepare(settings.coder)
        coder.on_piece = settings.on_piece
        gc.freeze()  # the model and tables: the collector that frees each batch's parse skips them
        try:
            for batch in batches:
                with one_core():  # one process is one core: --workers says how many are used
                    result = work(coder, batch)
                yield batch, result
        finally:
            gc.unfreeze()
        return
    coder = prepare(settings.coder) if _can_fork() else None
    if coder is not None:
        # the workers share the model and tables the parent loaded (copy-on-write), the lazily
        # loaded ones too (warmed here once, not in every worker and every recycled one); frozen,
        # the collector never writes to those objects' pages, so they stay shared
        coder.warm()
        gc.freeze()
        context, init, args = multiprocessing.get_context("fork"), None, ()
        # spaCy's string store only grows; a fresh fork every `recycle` batches keeps workers small
        recycle = settings.recycle or None
    else:  # pragma: no cover - platforms without fork: each worker loads the model
        context, init, args = multiprocessing.get_context("spawn"), _start, (settings.coder,)
        recycle = None  # a spawned worker reloads the model: not worth replacing
    shown: dict = {}
    try:
        with context.Pool(settings.workers, initializer=init, initargs=args, maxtasksperchild=recycle) as pool:
            pending: deque = deque()
            for batch in batches:
                pending.append((batch, pool.apply_async(_apply, (work, batch))))
                if len(pending) >= 2 * settings.workers:  # bounded: a corpus is never all in memory
                    yield _collect(*pending.popleft(), shown)
            while pending:
                yield _collect(*pending.popleft(), shown)
    finally:
        if coder is not None:
            gc.unfreeze()


def _collect(batch: list, result, shown: dict) -> tuple[list, Any]:
    value, caught = result.get()
    for message, category, filename, lineno in caught:
        warnings.warn_explicit(message, category, filename, lineno, registry=shown)
    return batch, value


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _start(options: CoderOptions) -> None:  # pragma: no cover - spawned workers only
    prepare(options)


def _code(coder, batch: list[Document]) -> Batch:
    rows, said, failed = code_batch(coder, batch)
    return rows + said + failed


@engines.register("local")
def run(documents: Iterable[Document], settings: EngineSettings) -> Iterator[Batch]:
    """Batches of coded rows (for the store) in input order, coded by ``settings.workers`` processes."""
    for _, rows in code_batches(documents, settings, _code):
        yield rows
