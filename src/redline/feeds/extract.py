"""A fetched article page -> a ``Document``, read the way ``redline ingest`` reads an HTML file
(``ingest.readers.extract_html``: trafilatura, one definition)."""
from __future__ import annotations

import hashlib
import logging

from ..ingest.errors import InputError
from ..ingest.readers import extract_html, make_document
from ..schema import Document
from .fetch import Fetched
from .parse import Item

log = logging.getLogger("redline.feeds")


def document_id(url: str) -> str:
    """A stable document id for an article URL: the same URL always gives the same id."""
    return "url-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def article_document(fetched: Fetched, item: Item) -> Document | None:
    """The article of a fetched page as a Document: its text and title, its date (the page's,
    else the feed's), ``url`` (the URL the feed listed), ``source`` (the feed's publisher, else the
    site's name) and ``origin`` (the feed's URL). None (logged) when the page has no article text
    or cannot be read; a page's problems are never fatal to a cycle."""
    try:
        page = extract_html(fetched.body, item.url)
        metadata = {"feed": item.feed_url}
        if fetched.url != item.url:
            metadata["fetched_url"] = fetched.url
        if item.title and page["title"] and item.title != page["title"]:
            metadata["feed_title"] = item.title
        record = {"text": page["text"], "title": page["title"] or item.title, "url": item.url,
                  "source": item.publisher or page["source"]}
        if page["date"]:
            record["date"] = page["date"]
        document = make_document(record, item.url, None, document_id(item.url),
                                 item.published.date() if item.published else None)
    except InputError as err:
        log.info("no article from %s: %s", item.url, err.message)
        return None
    document.origin = item.feed_url
    document.metadata = {**metadata, **document.metadata}
    return document
