"""A Dask cluster: workers code batches of documents and write them as Parquet, partitioned by
event date (``mentions/year=YYYY/month=M/...``) plus ``documents/``; the client reads each
finished batch back, in input order, for the store. The Parquet folder is a dataset in its own
right (``duckdb: SELECT * FROM read_parquet('DIR/mentions/**/*.parquet', hive_partitioning=true)``)
and ``redline import DIR`` loads it into a store. With a remote scheduler the folder must be on
storage that the workers and the client share.
"""
from __future__ import annotations

import shutil
import tempfile
from collections import deque
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..schema import Document
from . import Batch, CoderOptions, EngineSettings, chunks, code_batch, engines

_coders: dict[CoderOptions, Any] = {}  # per worker process: built once, reused by every task


def code_to_parquet(index: int, batch: list[Document], options: CoderOptions, folder: str) -> dict[str, Any]:
    """Run on a worker: code one batch and write its rows; returns the files written."""
    import pyarrow as pa  # (imported here: `redline code` and the local engine never need them)
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from ..store.rows import DOCUMENT_COLUMNS, MENTION_COLUMNS, arrow_table
    coder = _coders.get(options)
    if coder is None:
        coder = _coders[options] = options.build()
    coded, said, failed = code_batch(coder, batch)
    root = Path(folder)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    doc_file = root / "documents" / f"batch-{index:07d}.parquet"
    pq.write_table(arrow_table("documents", DOCUMENT_COLUMNS, [d for d, _ in coded]), doc_file)
    mentions = [m for _, ms in coded for m in ms]
    written: list[str] = []
    if mentions:
        table = arrow_table("mentions", MENTION_COLUMNS, mentions)
        dates = table.column("date").to_pylist()
        table = table.append_column("year", pa.array([d.year if d else None for d in dates], pa.int32()))
        table = table.append_column("month", pa.array([d.month if d else None for d in dates], pa.int32()))
        ds.write_dataset(table, root / "mentions", format="parquet",
                         partitioning=ds.partitioning(pa.schema([("year", pa.int32()), ("month", pa.int32())]),
                                                      flavor="hive"),
                         basename_template=f"batch-{index:07d}-{{i}}.parquet",
                         existing_data_behavior="overwrite_or_ignore",
                         file_visitor=lambda f: written.append(f.path))
    return {"documents": str(doc_file), "mentions": written, "statements": said, "errors": failed}


def read_batch(files: dict[str, Any]) -> Batch:
    """The rows of one written batch, as the store takes them."""
    import pyarrow.parquet as pq

    from ..store.rows import MENTION_COLUMNS
    documents = pq.read_table(files["documents"]).to_pylist()
    by_doc: dict[str, list[dict]] = {d["doc_key"]: [] for d in documents}
    for path in files["mentions"]:
        for row in pq.read_table(path, columns=list(MENTION_COLUMNS)).to_pylist():
            by_doc[row["doc_key"]].append(row)
    return [(d, by_doc[d["doc_key"]]) for d in documents] + list(files.get("statements", [])) \
        + list(files.get("errors", []))


@engines.register("dask")
def run(documents: Iterable[Document], settings: EngineSettings) -> Iterator[Batch]:
    """Batches coded on a Dask cluster (``settings.scheduler``, or a LocalCluster of
    ``settings.workers`` processes), in input order."""
    from dask.distributed import Client, LocalCluster
    own_folder = settings.parquet_dir is None  # a folder we made only to hand batches over
    folder = settings.parquet_dir or tempfile.mkdtemp(prefix="redline-parquet-")
    cluster = None
    if settings.scheduler:
        client = Client(settings.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        slots = 2 * max(1, len(client.scheduler_info().get("workers", {})) or settings.workers)
        pending: deque = deque()
        for index, batch in enumerate(chunks(documents, settings.batch_size)):
            pending.append(client.submit(code_to_parquet, index, batch, settings.coder, folder, pure=False))
            if len(pending) >= slots:
                yield read_batch(pending.popleft().result())
        while pending:
            yield read_batch(pending.popleft().result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if own_folder:
            shutil.rmtree(folder, ignore_errors=True)
