"""``POST /api/code`` (code a text, store nothing) and ``POST /api/ingest`` (code documents and store
them; needs the token). The coder (spaCy's model and Redline's tables: seconds to load) is loaded
once per process, on the first request that needs it, and kept in ``app.state``."""
from __future__ import annotations

import threading
import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException

from ...ingest import InputError
from ...ingest.readers import make_document
from ...schema import Document
from ...store import Store
from ...store.read import ReadError
from ...store.rows import document_key
from ..deps import ALONE_WAIT, Settings, require_token, settings, store_lock
from ..errors import RESPONSES, ErrorBody, StoreMissing

router = APIRouter(prefix="/api", tags=["coding"], responses=RESPONSES)
MAX_TEXT = 200_000          # characters of one text sent to /api/code
MAX_DOCUMENTS = 100         # documents in one /api/ingest request
MAX_INGEST_TEXT = 2_000_000  # characters of all the texts of one /api/ingest request
_loading = threading.Lock()


def coder_of(request: Request) -> Any:
    """The app's coder, loaded on first use (once, whichever request comes first), with a lock for
    coding: one spaCy pipeline is not shared by threads at once."""
    state = request.app.state
    with _loading:
        if getattr(state, "coder", None) is None:
            from ...pipeline import Coder
            state.coder = Coder()
        if getattr(state, "coding", None) is None:
            state.coding = threading.Lock()
    return state.coder


class CodeRequest(BaseModel):
    """A text to code."""

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="The article's text")
    date: dt.date | None = Field(None, description="Its publication date (relative dates are read from it)")
    title: str | None = Field(None, max_length=2000)

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        """A date is ``"YYYY-MM-DD"`` text, as the schema says (not pydantic's timestamps, as
        numbers or as digits: ``"0"`` is no 1970-01-01)."""
        if value is not None and not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            raise ValueError("a date is text, YYYY-MM-DD")
        return value


class Coded(BaseModel):
    """The events coded from a text (none of them stored)."""

    events: list[dict[str, Any]]


class IngestResult(BaseModel):
    """What an ingest stored."""

    received: int = Field(description="Documents in the request")
    stored: int = Field(description="New documents stored")
    skipped: int = Field(description="Documents already stored (or repeated in the request): not coded again")
    mentions: int = Field(description="Coded events stored as mentions of the new documents")
    failed: list[str] = Field(description="Documents the coder could not code (not stored)")


@router.post("/code", response_model=Coded, summary="Code a text into events (stores nothing)")
def code(request: Request, body: CodeRequest) -> Coded:
    """The events Redline codes from `text` published on `date` (who did what to whom, when, where,
    on whose word, with the evidence and the coder's explanation); nothing is stored. The first call
    loads the language model (a few seconds)."""
    coder = coder_of(request)
    with request.app.state.coding:
        events = coder.code_text(body.text, date=body.date, doc_id="request")
    return Coded(events=[e.to_dict() for e in events])


def read_documents(records: list[Any]) -> list[Document]:
    """The request's records as Documents, checked as the JSONL reader checks a line; the first bad
    one is a 400 naming its index and field (``3.date``)."""
    documents, total = [], 0
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise ReadError(str(index), f"expected a JSON object, got {type(record).__name__}")
        try:
            document = make_document(record, "request", None, f"api-{index + 1}", None)
        except InputError as e:
            where = f"{index}.{e.field}" if e.field else str(index)
            raise ReadError(where, e.message) from None
        total += len(document.text)
        if total > MAX_INGEST_TEXT:
            raise HTTPException(413, f"the documents' texts pass {MAX_INGEST_TEXT:,} characters in all; "
                                     "send them in smaller requests")
        documents.append(document)
    return documents


@router.post("/ingest", response_model=IngestResult, dependencies=[Depends(require_token)],
             summary="Code documents and store them (needs the token)",
             responses={401: {"model": ErrorBody, "description": "A missing or wrong token"},
                        403: {"model": ErrorBody, "description": "Writes are off (no --token)"},
                        413: {"model": ErrorBody, "description": "Too much text in one request"}})
def ingest(request: Request, config: Settings = Depends(settings),
           records: list[dict[str, Any]] = Body(min_length=1, max_length=MAX_DOCUMENTS,
                                                description="Documents, with the fields a JSONL line "
                                                            "takes: text, and id, date, title, url, source...")
           ) -> IngestResult:
    """Code the documents and store them, as `redline ingest` does: a document already stored (the
    same text, publisher, url and date) is skipped, so sending the same documents again stores
    nothing new. A bad document stops the request (400 naming its index and field) before anything
    is stored. While another process writes to the store: 503 and `Retry-After`."""
    from ...engines import code_batch
    documents = read_documents(records)
    if not config.db.exists():
        raise StoreMissing(f"{config.db}: no such store (create it with `redline ingest`)")
    keys = [document_key(d) for d in documents]
    with store_lock(config.db).hold(alone=False, timeout=ALONE_WAIT):
        with Store(config.db, read_only=True) as store:
            known = store.known(keys)
    fresh: dict[str, Document] = {}
    for key, document in zip(keys, documents):
        if key not in known:
            fresh.setdefault(key, document)
    rows, said, failed = [], [], []
    if fresh:
        coder = coder_of(request)
        with request.app.state.coding:
            rows, said, failed = code_batch(coder, list(fresh.values()))
    stored = 0
    if rows:
        with store_lock(config.db).hold(alone=True, timeout=ALONE_WAIT):
            with Store(config.db, wait=ALONE_WAIT) as store:
                stored = store.add(rows, statements=said)
    return IngestResult(received=len(documents), stored=stored, skipped=len(documents) - len(fresh),
                        mentions=sum(len(m) for _, m in rows), failed=[str(f) for f in failed])
