"""The JSON endpoints, all under ``/api``: one module per resource, each with an ``APIRouter``
named ``router``; add a new module's router to ``ROUTERS``."""
from __future__ import annotations

from . import actors, alerts, coding, events, export, map, overview, redlines, series, sql, status

ROUTERS = [status.router, overview.router, events.router, export.router, coding.router, sql.router,
           series.router, map.router, alerts.router, redlines.router, actors.router]
