"""``redline serve``: the JSON API and dashboard over a store (``redline.serve``), until Ctrl-C."""
from __future__ import annotations

import socket
from typing import List, Optional

import typer

from .base import app, db_path, err, fail, open_store
from .options import Db

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``. Made with the TCP protocol named: asyncio turns off
    Nagle's algorithm only on connections whose socket says so, and without that every answer on a
    kept-alive connection waited ~40 ms for the client's delayed acknowledgement."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


@app.command("serve")
def serve_command(
    db: Db = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (this machine only by default; "
                             "0.0.0.0 lets the network in)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="REDLINE_TOKEN", show_envvar=True,
                                        help="Token that writes need (Authorization: Bearer TOKEN); "
                                             "without it the server takes no writes."),
    sql: bool = typer.Option(False, "--sql", help="Turn on the SQL endpoint (read-only, sandboxed)."),
    cors: List[str] = typer.Option([], "--cors", metavar="ORIGIN",
                                   help="Let web pages from ORIGIN call the API (repeatable; none by default)."),
    connection: str = typer.Option("shared", "--connection", metavar="shared|per-request",
                                   help="Keep one read-only connection while requests come (closed after 2 s "
                                        "without any, so an ingest can write), or open the store per request."),
) -> None:
    """Serve the store as a JSON API (docs at /docs) and a dashboard in the browser."""
    import uvicorn

    from ..serve import create_app
    from ..serve.deps import CONNECTIONS
    if connection not in CONNECTIONS:
        fail(f"--connection: {connection!r} is not one of {', '.join(CONNECTIONS)}")
    path = db_path(db)
    open_store(path, read_only=True).close()  # a missing, busy or damaged store stops here, in one line
    if token is not None and not token.strip():
        fail("--token: the token is empty")
    try:  # bound here so that a port in use is one clear line, before anything says "serving"
        sock = listen(host, port)
    except OSError as e:
        fail(f"--host/--port: cannot listen on {host}:{port}: {e.strerror or e}")
    shown = f"[{host}]" if ":" in host else host
    err.print(f"serving {path} at http://{shown}:{port}/ (API docs: http://{shown}:{port}/docs); Ctrl-C stops")
    if host not in LOOPBACK:
        err.print(f"[yellow]warning[/]: listening on {host}: other machines can read this store")
    config = uvicorn.Config(create_app(path, token=token, sql=sql, cors_origins=cors,
                                       connection=connection), log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
