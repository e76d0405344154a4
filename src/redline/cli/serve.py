"""``redline serve``: the JSON API and dashboard over a store (``redline.serve``), until Ctrl-C."""
from __future__ import annotations

import socket
from pathlib import Path
from typing import List, Optional

import typer

from .base import app, db_path, err, fail, log_to_stderr, open_service, open_store
from .options import MONITOR_WORKERS_HELP, PRIVATE_HELP, RULES_HELP, SNAPSHOT_HELP, WEBHOOK_HELP, monitor_setup
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
    feeds: Optional[Path] = typer.Option(None, "--feeds", metavar="FEEDS.yaml",
                                         help="Also monitor these feeds (as `redline monitor` does) in this "
                                              "process, which then owns the store."),
    allow_private: bool = typer.Option(False, "--allow-private", help="--feeds: " + PRIVATE_HELP),
    workers: int = typer.Option(1, "--workers", "-w", metavar="N", help="--feeds: " + MONITOR_WORKERS_HELP),
    rules: Optional[Path] = typer.Option(None, "--rules", metavar="FILE", help="--feeds: " + RULES_HELP),
    webhook: List[str] = typer.Option([], "--webhook", metavar="URL", help="--feeds: " + WEBHOOK_HELP),
    no_snapshot: bool = typer.Option(False, "--no-snapshot", help="--feeds: " + SNAPSHOT_HELP),
) -> None:
    """Serve the store as a JSON API (docs at /docs) and a dashboard in the browser; with --feeds,
    monitor feeds into it too (the server owns the store; the read commands read its snapshot).

    Example: redline serve --db news.duckdb --feeds feeds.yaml
    """
    import uvicorn

    from ..serve import create_app
    from ..serve.deps import CONNECTIONS
    if connection not in CONNECTIONS:
        fail(f"--connection: {connection!r} is not one of {', '.join(CONNECTIONS)}")
    path = db_path(db)
    if feeds is None:
        for given, name in ((allow_private, "--allow-private"), (rules, "--rules"), (webhook, "--webhook"),
                            (no_snapshot, "--no-snapshot"), (workers != 1, "--workers")):
            if given:
                fail(f"{name} needs --feeds")
        open_store(path, read_only=True).close()  # a missing, busy or damaged store stops here, in one line
    elif sql or token is not None:
        fail(f"{'--sql' if sql else '--token'} cannot be used with --feeds yet (they open the store file "
             "themselves, which the monitor holds)")
    if token is not None and not token.strip():
        fail("--token: the token is empty")
    try:  # bound here so that a port in use is one clear line, before anything says "serving"
        sock = listen(host, port)
    except OSError as e:
        fail(f"--host/--port: cannot listen on {host}:{port}: {e.strerror or e}")
    shown = f"[{host}]" if ":" in host else host
    service = None
    if feeds is not None:
        monitored, options, policy = monitor_setup(feeds, rules, webhook, workers, allow_private)
        log_to_stderr(quiet=False)
        try:
            service = open_service(path, monitored, options, policy, role="serve", url=f"http://{shown}:{port}/",
                                   snapshots=not no_snapshot)
        except BaseException:
            sock.close()
            raise
    err.print(f"serving {path} at http://{shown}:{port}/ (API docs: http://{shown}:{port}/docs); Ctrl-C stops")
    if host not in LOOPBACK:
        err.print(f"[yellow]warning[/]: listening on {host}: other machines can read this store")
    config = uvicorn.Config(create_app(path, token=token, sql=sql, cors_origins=cors,
                                       connection=connection, service=service), log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
