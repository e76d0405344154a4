"""``/events`` (the events browser, the page of ``/api/events``) and ``/events/{key}`` (one event
with its highlighted evidence, the page of ``/api/events/{key}``)."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse

from ... import ontology
from ...store import Store
from ...store.query import PARAMETERS, Filters
from ...store.read import MAX_LIMIT, SORTS, ReadError
from ..api.events import FACETS, read_event, read_events, read_facets
from ..deps import read_store
from ..templating import render

router = APIRouter(include_in_schema=False)
COLUMNS = ("event_key", "date", "source_code", "source_text", "plover", "cameo", "target_code", "target_text",
           "modality", "n_mentions", "evidence")
FACET_PARAMETER = {"plover": "type", "quad_class": "quad", "source_country": "source", "modality": "modality"}
FACET_LABEL = {"plover": "PLOVER type", "quad_class": "Quad class", "source_country": "Source country",
               "modality": "Modality"}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def _chosen(request: Request) -> dict[str, str]:
    """The filters of the query string (empty form fields left out)."""
    return {k: v for k, v in request.query_params.items() if k in PARAMETERS and v.strip()}


def _limit(value: str | None) -> int:
    if value is None or not value.strip():
        return 50
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ReadError("limit", f"must be from 1 to {MAX_LIMIT}")
    return int(value)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, store: Store = Depends(read_store)) -> HTMLResponse:
    """The events browser: the filters as a form, facets, a page of events, the next-page link."""
    chosen = _chosen(request)
    filters = Filters.from_mapping(chosen)
    params = request.query_params
    sort = params.get("sort") or "-date"
    limit = _limit(params.get("limit"))
    page = read_events(store, filters, fields=list(COLUMNS), sort=sort, after=params.get("after") or None,
                       limit=limit, total=True)
    kept = {**chosen, **({"sort": sort} if sort != "-date" else {}), **({"limit": str(limit)} if limit != 50 else {})}
    facets = []
    for name in FACETS:
        values = []
        for row in read_facets(store, filters)[name]:
            if row["value"] is None:
                continue
            value = str(row["value"])
            label = f"{value} {QUAD_NAMES.get(row['value'], '')}".strip() if name == "quad_class" else value
            link = "/events?" + urlencode({**chosen, FACET_PARAMETER[name]: value})
            values.append({"label": label, "n": row["n"], "href": link})
        facets.append({"name": FACET_LABEL[name], "values": values})
    return render(request, "events.html", title="Events", json_url="/api/events?" + urlencode(kept),
                  filters=filters, chosen=chosen, parameters=PARAMETERS, sorts=list(SORTS), sort=sort,
                  limit=limit, page=page, facets=facets, plover_types=[t.name for t in ontology.plover_types()],
                  next_href=("/events?" + urlencode({**kept, "after": page.next})) if page.next else None,
                  first_href=("/events?" + urlencode(kept)) if params.get("after") else None)


def highlight(text: str, mention: dict[str, Any]) -> list[tuple[str, str | None]]:
    """``text`` cut into pieces, each with what it is (``source``, ``target``, ``event``, ``date``,
    ``reporter``) or None: the mention's words, found in its evidence. Offsets are computed on the
    raw text; the template escapes each piece (never ``|safe``)."""
    marks: list[tuple[int, int, str]] = []

    def mark(words: str | None, kind: str) -> None:
        if not words or not words.strip():
            return
        for found in re.finditer(re.escape(words.strip()), text):
            if not any(s < found.end() and found.start() < e for s, e, _ in marks):
                marks.append((found.start(), found.end(), kind))
                return

    mark(mention.get("source_text"), "source")
    mark(mention.get("target_text"), "target")
    mark(mention.get("date_text"), "date")
    mark(mention.get("reported_by_text"), "reporter")
    # the trigger: the words the explanation quotes first ('carried strike'), each found as a word
    trigger = re.match(r"\s*'([^']{1,80})'", mention.get("explanation") or "")
    for word in (trigger.group(1).split() if trigger else []):
        for found in re.finditer(rf"\b{re.escape(word)}\w*", text):
            if not any(s < found.end() and found.start() < e for s, e, _ in marks):
                marks.append((found.start(), found.end(), "event"))
                break
    pieces, at = [], 0
    for start, end, kind in sorted(marks):
        if start > at:
            pieces.append((text[at:start], None))
        pieces.append((text[start:end], kind))
        at = end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address (a link to it is safe), else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@router.get("/events/{event_key}", response_class=HTMLResponse)
def event_page(request: Request, event_key: str, store: Store = Depends(read_store)) -> HTMLResponse:
    """One event: its evidence with the actors', event and date words highlighted, the coder's
    explanation, and every mention with its document."""
    detail = read_event(store, event_key[:64])
    documents = {d["doc_key"]: {**d, "href": web_url(d.get("url"))} for d in detail.documents}
    mentions = [{**m, "pieces": highlight(m.get("evidence") or "", m), "document": documents.get(m["doc_key"])}
                for m in detail.mentions]
    e = detail.event
    title = f"{e.get('source_code') or e.get('source_text') or '?'} {e.get('plover') or e.get('cameo') or ''} " \
            f"{e.get('target_code') or e.get('target_text') or ''}".strip()
    return render(request, "event.html", title=title, json_url=f"/api/events/{detail.event['event_key']}",
                  event=e, mentions=mentions, documents=list(documents.values()))
