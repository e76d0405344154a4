"""feeds.extract: a fetched article page becomes a Document, read like `redline ingest` reads HTML."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from feeds_site import Site
from redline.feeds.extract import article_document, document_id
from redline.feeds.fetch import Fetcher, FetchPolicy
from redline.feeds.parse import Item

ARTICLE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Coast guard detains trawlers near disputed shoal | Harbour Gazette</title>
  <meta property="og:title" content="Coast guard detains trawlers near disputed shoal">
  <meta property="og:site_name" content="Harbour Gazette">
  <meta property="article:published_time" content="2026-12-02T18:40:00+00:00">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>Coast guard detains trawlers near disputed shoal</h1>
    <p class="byline">By a staff reporter, 2 December 2026</p>
    <p>The national coast guard detained four foreign trawlers near the disputed Corvina Shoal on
    Wednesday, the interior ministry said, accusing their crews of fishing illegally inside the
    country's exclusive economic zone.</p>
    <p>The foreign ministry of the trawlers' flag state summoned the ambassador in protest and
    demanded the immediate release of the forty crew members, calling the detention a violation of
    a fisheries agreement signed last year.</p>
    <p>Officials on both sides said talks on the shoal would continue in January despite the
    incident.</p>
  </article>
  <footer>Copyright Harbour Gazette. All rights reserved.</footer>
</body>
</html>
"""

UNDATED = ARTICLE.replace('  <meta property="article:published_time" content="2026-12-02T18:40:00+00:00">\n', "") \
                 .replace("<p class=\"byline\">By a staff reporter, 2 December 2026</p>", "")

MENU_ONLY = """<!DOCTYPE html><html><head><title>Harbour Gazette</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav></body></html>"""


@pytest.fixture
def site():
    with Site() as s:
        yield s


def item(url: str, published: datetime | None = None, publisher: str | None = "Harbour Gazette - World") -> Item:
    return Item(url=url, title="Trawlers detained near shoal", published=published, publisher=publisher,
                feed_url="https://harbour-gazette.example/world/rss")


def test_article_page_becomes_a_document(site):
    site.page("/world/shoal-trawlers", ARTICLE, "text/html; charset=utf-8")
    url = site.url("/world/shoal-trawlers")
    with Fetcher(FetchPolicy(allow_private=True)) as fetcher:
        fetched = fetcher.get(url, accept="html")
    doc = article_document(fetched, item(url, datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc)))
    assert doc is not None
    assert doc.id == document_id(url) and doc.id.startswith("url-")
    assert "detained four foreign trawlers near the disputed Corvina Shoal" in doc.text
    assert "summoned the ambassador" in doc.text
    assert "Home" not in doc.text and "All rights reserved" not in doc.text
    assert doc.title == "Coast guard detains trawlers near disputed shoal"
    assert doc.date == date(2026, 12, 2)  # the page's date wins over the feed's
    assert doc.url == url
    assert doc.source == "Harbour Gazette - World"  # the feed's publisher
    assert doc.origin == "https://harbour-gazette.example/world/rss"
    assert doc.metadata["feed"] == "https://harbour-gazette.example/world/rss"


def test_date_falls_back_to_the_feed_and_publisher_to_the_site(site):
    site.page("/world/undated", UNDATED, "text/html")
    url = site.url("/world/undated")
    with Fetcher(FetchPolicy(allow_private=True)) as fetcher:
        fetched = fetcher.get(url, accept="html")
    doc = article_document(fetched, item(url, datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc), publisher=None))
    assert doc is not None
    assert doc.date == date(2026, 12, 3)
    assert doc.source == "Harbour Gazette"  # og:site_name


def test_redirected_page_keeps_the_listed_url(site):
    site.page("/world/shoal-trawlers", ARTICLE, "text/html")
    site.route("/s/abc", lambda r: r.redirect("/world/shoal-trawlers", 301))
    listed = site.url("/s/abc")
    with Fetcher(FetchPolicy(allow_private=True)) as fetcher:
        fetched = fetcher.get(listed, accept="html")
    doc = article_document(fetched, item(listed))
    assert doc.url == listed and doc.id == document_id(listed)
    assert doc.metadata["fetched_url"] == site.url("/world/shoal-trawlers")


def test_page_without_an_article_gives_none(site):
    site.page("/", MENU_ONLY, "text/html")
    site.page("/binary", b"\x00\x01\x02" * 100, "text/html")
    with Fetcher(FetchPolicy(allow_private=True)) as fetcher:
        assert article_document(fetcher.get(site.url("/"), accept="html"), item(site.url("/"))) is None
        assert article_document(fetcher.get(site.url("/binary"), accept="html"), item(site.url("/binary"))) is None


def test_ids_are_stable_and_distinct():
    assert document_id("https://a.example/1") == document_id("https://a.example/1")
    assert document_id("https://a.example/1") != document_id("https://a.example/2")
