"""Jinja2 templates for the pages (``templates/``, autoescaped): ``render`` is the one way a page answers."""
from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from .. import __version__

environment = Environment(loader=PackageLoader("redline.serve", "templates"),
                          autoescape=select_autoescape(default=True, default_for_string=True),
                          undefined=StrictUndefined)
templates = Jinja2Templates(env=environment)


def render(request: Request, template: str, *, title: str, json_url: str | None = None,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page: ``template`` (extending ``base.html``) with ``title``, the link to its JSON twin
    (``json_url``) and ``context``."""
    return templates.TemplateResponse(request, template, {"title": title, "json_url": json_url,
                                                          "version": __version__, **context},
                                      status_code=status_code)
