"""The HTML pages: one module per page, each with an ``APIRouter`` named ``router`` (left out of
the OpenAPI schema: the JSON twins are the API); add a new module's router to ``ROUTERS``."""
from __future__ import annotations

from . import actors, alerts, dyads, events, map, overview, redlines

ROUTERS = [overview.router, events.router, dyads.router, map.router, alerts.router, redlines.router, actors.router]
