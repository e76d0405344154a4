"""`redline serve` in headless Chromium: the overview shows the store's counts, and /docs renders
Swagger UI from the package's own files (the `page` fixture fails a test that asks the network)."""
from __future__ import annotations

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_overview_page_shows_the_counts_of_the_store(page, live_server, screenshot):
    status = httpx.get(f"{live_server}/api/status").json()
    page.goto("/")
    assert page.title() == "Overview · Redline"
    for name, value in status["counts"].items():
        card = page.locator(f'[data-count="{name}"]')
        assert card.is_visible()
        assert card.inner_text().lower().split() == [f"{value:,}", name]
    assert status["counts"]["events"] > 0
    nav = page.locator("header nav a")
    assert nav.all_inner_texts() == ["Overview", "Events", "Dyads", "Map", "Alerts", "Red lines", "Actors", "API docs"]
    assert page.locator('nav a[aria-current="page"]').inner_text() == "Overview"
    # the stylesheet is applied (the active tab is white on the accent colour)
    assert page.locator('nav a[aria-current="page"]').evaluate("a => getComputedStyle(a).color") == "rgb(255, 255, 255)"
    page.get_by_role("link", name="JSON").click()
    assert page.url == f"{live_server}/api/overview"
    page.go_back()
    print("screenshot:", screenshot(page, "overview"))


def test_api_docs_render_the_operations_offline(page, screenshot):
    page.goto("/docs")
    operation = page.locator(".opblock-summary-path", has_text="/api/status")
    operation.wait_for(state="visible", timeout=15_000)
    assert page.locator(".info .title").inner_text().startswith("Redline")
    operation.click()  # expand it and run it from the page
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    code = page.locator(".live-responses-table tbody .response-col_status").first
    code.wait_for(timeout=15_000)
    assert code.inner_text().strip() == "200"
    assert '"documents"' in page.locator(".live-responses-table .microlight").first.inner_text()
    print("screenshot:", screenshot(page, "docs"))


def test_events_page_filters_pages_and_opens_an_event(page, live_server, screenshot):
    import re
    total = httpx.get(f"{live_server}/api/events?total=true&limit=1").json()["total"]
    assault = httpx.get(f"{live_server}/api/events?type=ASSAULT&total=true&limit=1").json()["total"]
    page.goto("/events")
    assert page.title() == "Events · Redline"
    assert page.locator('nav a[aria-current="page"]').inner_text() == "Events"
    assert page.locator(".summary strong").inner_text().replace(",", "") == str(total)
    print("screenshot:", screenshot(page, "events"))
    # the filter form: choose a type, submit
    page.locator('input[name="type"]').fill("ASSAULT")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/events\?.*type=ASSAULT"))
    assert page.locator(".summary strong").inner_text().replace(",", "") == str(assault)
    assert set(page.locator("table.events .type").all_inner_texts()) == {"ASSAULT"}
    # a facet link narrows further
    page.locator(".facets a", has_text="material conflict").first.click()
    page.wait_for_url(re.compile(r"quad=4"))
    assert page.locator('input[name="type"]').input_value() == "ASSAULT"
    # page through everything with the next link (25 a page)
    page.goto("/events?limit=25")
    seen: list[str] = []
    while True:
        seen += page.locator("table.events tbody a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        following = page.locator('a[rel="next"]')
        if not following.count():
            break
        following.click()
        page.wait_for_load_state()
    assert len(seen) == len(set(seen)) == total
    # open an event: its evidence with the words highlighted
    page.goto("/events?dyad=ISR:IRN&type=ASSAULT")
    page.locator("table.events tbody a").first.click()
    page.wait_for_url(re.compile(r"/events/[0-9a-f]+$"))
    evidence = page.locator("blockquote.evidence").first
    assert evidence.locator("mark.source").inner_text() == "Israel"
    assert evidence.locator("mark.target").inner_text() == "Iran"
    assert evidence.locator("mark.event").count() >= 1
    colour = evidence.locator("mark.event").first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 0)")  # the stylesheet's colour, not the default
    print("screenshot:", screenshot(page, "event"))
    page.get_by_role("link", name="JSON").click()
    assert re.search(r"/api/events/[0-9a-f]+$", page.url)


def test_hostile_article_text_runs_nothing_in_the_browser(page, tmp_path, coder, screenshot):
    """Documents whose text, title and url carry scripts: the pages show them as text, no script
    runs (no dialog opens), and no link goes to a javascript: address."""
    from fastapi.testclient import TestClient
    from test_serve_events import AUTH, HOSTILE, TOKEN

    from conftest import serving
    from redline.serve import create_app
    from redline.store import Store
    db = tmp_path / "hostile.duckdb"
    Store(db).close()
    app = create_app(db, token=TOKEN)
    app.state.coder = coder
    assert TestClient(app).post("/api/ingest", json=HOSTILE, headers=AUTH).json()["stored"] == 3
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serving(app) as url:
        page.goto(f"{url}/events")
        assert "<script>alert(1)</script>" in page.locator("table.events").inner_text()
        keys = [h.split("/")[-1] for h in page.locator("table.events tbody a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))")]
        for key in keys:
            page.goto(f"{url}/events/{key}")
            hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
            assert not [h for h in hrefs if h.lower().startswith("javascript:")]
        page.goto(f"{url}/events/{keys[0]}")
        print("screenshot:", screenshot(page, "event-hostile"))
    assert page.locator("img").count() == 0  # the <img onerror> of the text is text
    assert dialogs == []
