"""``redline serve``: a JSON API and a server-rendered dashboard over a store, offline.

Layout (one module per concern, so endpoints and pages can be written in parallel files):

- ``app.py``: ``create_app`` wires everything: settings, error handlers, static files, ``/docs``.
- ``deps.py``: what a route asks for with ``Depends``: ``read_store`` (the store, read-only,
  opened for this request), ``settings``, ``require_token`` (for anything that writes).
- ``errors.py``: the error handlers: ``FilterError`` / ``ReadError`` (``store.query``, ``store.read``)
  become a 400 naming the parameter; ``RESPONSES``, the errors every ``/api`` router documents.
- ``api/``: JSON endpoints under ``/api``, one module per resource, each with a ``router``;
  listed in ``api/__init__.py``.
- ``params.py``: one-value query parameters (a date, a moment) whose schema states what they accept.
- ``charts.py`` (drawn by ``templates/_charts.html``) and the world map (``where.worldmap``, drawn
  by ``templates/map.html``): inline SVG, drawn on the server, no script or chart library.
- ``pages/``: HTML pages, one module per page, each with a ``router``; listed in
  ``pages/__init__.py``; rendered with ``templating.render`` from ``templates/``.

JSON twins: every page ``/x`` shows what ``GET /api/x`` returns, and both are built by the same
function in ``api/x.py``; the overview ``/`` is the page of ``/api/overview``. A page names its
twin (``json_url``) and links to it.
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
