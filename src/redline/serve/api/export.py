"""``GET /api/export/{format}``: the events the filters select as a file of one of the store's
export formats (``store.export.exporters``), downloaded."""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path as FilePath
from typing import Iterator

from fastapi import APIRouter, Depends, Path
from starlette.responses import StreamingResponse

from ...store import Store
from ...store.export import export, exporters
from ...store.query import Filters
from ...store.read import ReadError
from ..deps import read_store
from ..errors import RESPONSES
from .filtering import query_filters

router = APIRouter(prefix="/api", tags=["export"], responses=RESPONSES)
# how each format is downloaded: media type and file name (parquet is a folder of three files: zipped)
DOWNLOADS = {"csv": ("text/csv; charset=utf-8", "events.csv"),
             "jsonl": ("application/x-ndjson", "events.jsonl"),
             "parquet": ("application/zip", "events-parquet.zip"),
             "gdelt": ("text/tab-separated-values; charset=utf-8", "events-gdelt.tsv"),
             "icews": ("text/tab-separated-values; charset=utf-8", "events-icews.tsv"),
             "polecat": ("text/tab-separated-values; charset=utf-8", "events-polecat.tsv"),
             "plover": ("application/x-ndjson", "events-plover.jsonl")}
CHUNK = 1 << 16


def _chunks(path: FilePath, folder: str) -> Iterator[bytes]:
    """The file's bytes; the temporary folder is deleted once they are sent (or the client left)."""
    try:
        with open(path, "rb") as f:
            while data := f.read(CHUNK):
                yield data
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_export(store: Store, fmt: str, filters: Filters) -> tuple[FilePath, str]:
    """Export the chosen events as ``fmt`` into a new temporary folder; the file to send and the folder."""
    if fmt not in exporters:
        raise ReadError("format", f"{fmt[:40]!r} is not an export format ({', '.join(exporters)})")
    folder = tempfile.mkdtemp(prefix="redline-export-")
    try:
        target = FilePath(folder) / ("parquet" if fmt == "parquet" else DOWNLOADS.get(fmt, ("", fmt))[1])
        export(store, fmt, target, filters)
        if target.is_dir():
            archive = FilePath(folder) / DOWNLOADS["parquet"][1]
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
                for part in sorted(target.iterdir()):
                    z.write(part, part.name)
            target = archive
        return target, folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


@router.get("/export/{format}", summary="The chosen events as a file (csv, jsonl, parquet, gdelt, ...)",
            response_class=StreamingResponse,
            responses={200: {"description": "The file, as a download",
                             "content": {media: {} for media, _ in DOWNLOADS.values()}}})
def export_events(format: str = Path(pattern=f"^(?:{'|'.join(exporters)})$", description=f"One of: {', '.join(exporters)}"),
                  store: Store = Depends(read_store), filters: Filters = Depends(query_filters)) -> StreamingResponse:
    """The events the filters select, in an export format of `redline export` (see docs/exports.md):
    Redline's own tables (csv, jsonl; parquet: a zip of documents, mentions and events), GDELT's,
    ICEWS's or POLECAT's tab-separated files, or PLOVER JSON records. Text cells of csv and the
    tab-separated files cannot run as spreadsheet formulas."""
    path, folder = write_export(store, format, filters)
    media, name = DOWNLOADS.get(format, ("application/octet-stream", path.name))
    return StreamingResponse(_chunks(path, folder), media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{name}"',
                                      "Content-Length": str(os.path.getsize(path))})
