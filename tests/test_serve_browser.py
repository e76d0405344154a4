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
    assert nav.all_inner_texts() == ["Overview", "Events", "Map", "Alerts", "Red lines", "API docs"]
    assert page.locator('nav a[aria-current="page"]').inner_text() == "Overview"
    # the stylesheet is applied (the active tab is white on the accent colour)
    assert page.locator('nav a[aria-current="page"]').evaluate("a => getComputedStyle(a).color") == "rgb(255, 255, 255)"
    page.get_by_role("link", name="JSON").click()
    assert page.url == f"{live_server}/api/status"
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
