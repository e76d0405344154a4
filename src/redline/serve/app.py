"""``create_app``: the FastAPI application of ``redline serve`` (see the package docstring)."""
from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, AsyncIterator, Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from .. import __version__
from . import api, errors, pages
from .deps import CONNECTIONS, Settings, SharedReader

SWAGGER = "/static/swagger"  # Swagger UI 5's files, from the fastapi-offline package: /docs needs no CDN


def create_app(db: Path, *, token: str | None = None, sql: bool = False,
               cors_origins: Sequence[str] = (), connection: str = "shared", service: Any = None) -> FastAPI:
    """The API and dashboard over the store ``db`` (read-only; writes need ``token``; ``sql``
    turns on the sandboxed SQL endpoint; ``cors_origins``: origins allowed to call it from a
    browser, none by default; ``connection``: ``shared`` or ``per-request``, see ``deps``).
    ``service``: a ``monitor.service.Service`` owning the store (``serve --feeds``): its cycles run
    in the background while the app runs, and every request reads through a cursor of its
    connection (no writes or SQL endpoint then: they open the file themselves)."""
    if connection not in CONNECTIONS:
        raise ValueError(f"connection: {connection!r} is not one of {', '.join(CONNECTIONS)}")
    if service is not None and (sql or token is not None):
        raise ValueError("a server that monitors feeds takes no writes and has no SQL endpoint")
    reader = SharedReader(Path(db))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service is not None:
            service.start()
        try:
            yield
        finally:
            reader.close_now()
            if service is not None:
                service.close()

    app = FastAPI(title="Redline", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Coded political events (CAMEO / PLOVER) from a Redline store. "
                              "Every dashboard page `/x` has a JSON twin `/api/x`; the dashboard "
                              "starts at [/](/).")
    app.state.settings = Settings(db=Path(db), token=token, sql=sql, cors_origins=tuple(cors_origins),
                                  connection=connection)
    app.state.reader = reader
    app.state.service = service
    if service is not None:  # the monitor's coding and /api/code's take turns with the one spaCy pipeline
        app.state.coding = service.options.coding_lock
    errors.install(app)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.mount(SWAGGER, StaticFiles(directory=str(resources.files("fastapi_offline") / "static")), name="swagger")
    app.mount("/static", StaticFiles(packages=[("redline.serve", "static")]), name="static")
    for router in (*api.ROUTERS, *pages.ROUTERS):
        app.include_router(router)

    def openapi() -> dict:
        """FastAPI's schema with its 422 answers taken out: a bad parameter is 400 here."""
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for unused in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(unused, None)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        """Swagger UI over ``/openapi.json``, from local files."""
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="Redline API",
                                   swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{SWAGGER}/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg",
                                   swagger_ui_parameters={"validatorUrl": None})

    return app
