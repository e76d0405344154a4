"""Errors as JSON a client can act on: ``{"error": message}`` plus ``"parameter"`` for a bad
parameter (400: FastAPI's validation, or ``FilterError`` / ``ReadError`` raised by the store's
reads, which name the parameter); a busy store is 503 with ``Retry-After``; nothing answers with a
traceback. A page request from a browser gets the same message as an HTML page."""
from __future__ import annotations

import logging
from http import HTTPStatus

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..store import StoreBusy, StoreDamaged, StoreVersionError
from ..store.query import PARAMETERS, FilterError, Filters
from ..store.read import ReadError

log = logging.getLogger("redline.serve")
RETRY_AFTER = 5  # seconds a client waits before asking a busy store again (an ingest batch takes about this)


class ErrorBody(BaseModel):
    """What every error answer holds."""

    error: str
    parameter: str | None = None  # with 400: the parameter at fault


# the errors every /api operation documents (``APIRouter(responses=RESPONSES)``); FastAPI's 422 is
# not used: a bad parameter is 400 (``create_app`` takes 422 out of the schema)
RESPONSES: dict[int | str, dict] = {
    400: {"model": ErrorBody, "description": "A bad parameter, named in `parameter`"},
    503: {"model": ErrorBody, "description": "The store is busy (see `Retry-After`), missing or damaged"},
}


class StoreMissing(FileNotFoundError):
    """The server's store file is not there (deleted, or not yet ingested): answered 503."""


def error(status: int, message: str, headers: dict[str, str] | None = None, **fields: str) -> JSONResponse:
    """The one shape of every error answer."""
    return JSONResponse({"error": message, **fields}, status_code=status, headers=headers)


def _answer(request: Request, status: int, message: str, headers: dict[str, str] | None = None,
            **fields: str) -> Response:
    """The error as JSON, or as a page for a browser asking for a page (not under ``/api``)."""
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return error(status, message, headers, **fields)
    from .templating import render
    response = render(request, "error.html", title=f"{status} {HTTPStatus(status).phrase}", status_code=status,
                      message=message)
    response.headers.update(headers or {})
    return response


def _parameter(loc: tuple) -> str:
    """``("query", "limit")`` -> ``limit``; ``("body", "rule", 0)`` -> ``rule.0``."""
    parts = [str(p) for p in loc[1:]] or [str(p) for p in loc]
    return ".".join(parts)


def _problem(name: str, first: dict) -> str:
    """What is wrong, in words: a value that misses its pattern is explained by the store's own
    check of that filter when it has one (``Filters.from_mapping``), not by the regular expression."""
    if first.get("type") != "string_pattern_mismatch":
        return f"{name}: {first.get('msg', 'invalid value')}"
    if name in PARAMETERS:
        try:
            Filters.from_mapping({name: first.get("input")})
        except FilterError as e:
            return str(e)
    return f"{name}: {str(first.get('input'))[:40]!r} is not a value it takes (see /docs)"


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    first = (exc.errors() or [{}])[0]
    name = _parameter(tuple(first.get("loc", ())))
    return _answer(request, 400, _problem(name, first), parameter=name)


async def _bad_parameter(request: Request, exc: FilterError | ReadError) -> Response:
    return _answer(request, 400, str(exc), parameter=exc.parameter)


async def _http(request: Request, exc: HTTPException) -> Response:
    return _answer(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


async def _busy(request: Request, exc: StoreBusy) -> Response:
    return _answer(request, 503, f"the store is busy (another process is writing to it); "
                   f"retry in {RETRY_AFTER} seconds",
                   headers={"Retry-After": str(RETRY_AFTER)})


async def _overloaded(request: Request, exc: Exception) -> Response:
    # too many large reads at once for the memory the server may use: a moment later it is free
    log.warning("out of memory on %s %s: %s", request.method, request.url.path, str(exc).splitlines()[0])
    return _answer(request, 503, f"the server is busy (too many large reads at once); retry in {RETRY_AFTER} seconds",
                   headers={"Retry-After": str(RETRY_AFTER)})


async def _unavailable(request: Request, exc: Exception) -> Response:
    # missing, damaged or too new: the server is up but its store cannot be read
    return _answer(request, 503, str(exc).splitlines()[0] if str(exc) else "the store cannot be read")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(request, 500, f"unexpected {type(exc).__name__} (a bug: it is in the server's log)")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, _invalid)
    for bad in (FilterError, ReadError):  # the store's own checks name the parameter
        app.add_exception_handler(bad, _bad_parameter)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(StoreBusy, _busy)
    app.add_exception_handler(duckdb.OutOfMemoryException, _overloaded)
    for unavailable in (StoreMissing, StoreDamaged, StoreVersionError):
        app.add_exception_handler(unavailable, _unavailable)
    app.add_exception_handler(Exception, _unexpected)
