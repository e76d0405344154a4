"""The JSON endpoints, all under ``/api``: one module per resource, each with an ``APIRouter``
named ``router``; add a new module's router to ``ROUTERS``."""
from __future__ import annotations

from . import coding, events, export, sql, status

ROUTERS = [status.router, events.router, export.router, coding.router, sql.router]
