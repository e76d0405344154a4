"""The dashboard pages in headless Chromium (the `page` fixture fails a test on a JavaScript error
or a request off this machine): overview -> dyad page, the map, alerts, red lines, actors.
Each test saves a screenshot (its path printed; see the `screenshot` fixture)."""
from __future__ import annotations

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_overview_charts_activity_and_leads_to_a_dyad_page(page, live_server, screenshot):
    overview = httpx.get(f"{live_server}/api/overview").json()
    page.goto("/")
    chart = page.locator("#activity figure.chart svg")
    assert chart.is_visible() and chart.bounding_box()["height"] > 150
    assert page.locator("#activity .bars rect").count() >= len(overview["activity"])
    first = overview["dyads"][0]
    print("screenshot:", screenshot(page, "dash-overview"))
    page.locator("#dyads").get_by_role("link", name=f"{first['source']} → {first['target']}").click()
    page.wait_for_url(f"**/dyads/{first['source']}:{first['target']}")
    assert page.title() == f"{first['source']} -> {first['target']} · Redline"
    assert page.locator('nav a[aria-current="page"]').inner_text() == "Dyads"
    assert page.locator("figure.chart").count() == 3
    assert page.locator("figure.chart").first.locator(".bars rect").count() > 0
    assert page.locator(".line circle").count() > 0  # the Goldstein line's points
    view = httpx.get(f"{live_server}/api/dyads/{first['source']}:{first['target']}").json()
    assert page.locator("#top-events tbody tr").count() == len(view["top"])
    print("screenshot:", screenshot(page, "dash-dyad"))
    page.select_option("select[name=freq]", "month")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**freq=month**")
    assert "per month" in page.locator("figure.chart figcaption").first.inner_text()


def test_map_draws_countries_and_event_places_offline(page, live_server, screenshot):
    data = httpx.get(f"{live_server}/api/map").json()
    page.goto("/map")
    svg = page.locator("svg.world")
    assert svg.is_visible() and svg.bounding_box()["width"] > 900
    assert page.locator("svg.world path").count() > 150
    dots = page.locator("svg.world circle")
    assert dots.count() == len(data["points"]) > 0
    box = dots.first.bounding_box()
    assert box and box["width"] > 4
    busiest = data["countries"][0]["country"]
    assert page.locator(f'svg.world path[data-country="{busiest}"]').get_attribute("fill") != "#eceff1"
    print("screenshot:", screenshot(page, "dash-map"))
    link = page.locator(f'svg.world a:has(path[data-country="{busiest}"])')
    assert link.get_attribute("href") == f"/events?country={busiest}"
    assert "event" in page.locator(f'svg.world path[data-country="{busiest}"] title').text_content()


def test_alerts_and_red_lines_pages(page, live_server, screenshot):
    alerts = httpx.get(f"{live_server}/api/alerts").json()
    page.goto("/alerts")
    assert page.locator(".alert-item").count() == len(alerts) > 0
    print("screenshot:", screenshot(page, "dash-alerts"))
    ledger = httpx.get(f"{live_server}/api/redlines").json()
    page.goto("/redlines")
    assert page.locator("article.redline").count() == len(ledger["redlines"]) > 0
    assert page.locator("#credibility tbody tr").count() == len(ledger["credibility"])
    print("screenshot:", screenshot(page, "dash-redlines"))
    page.select_option("select[name=status]", "enforced")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=enforced**")
    enforced = [r for r in ledger["redlines"] if r["status"] == "enforced"]
    assert page.locator("article.redline").count() == len(enforced)


def test_actors_page_resolves_a_phrase(page, screenshot):
    page.goto("/actors")
    assert page.locator("#top-actors tbody tr").count() > 10
    page.fill("input[name=phrase]", "French President Emmanuel Macron")
    page.fill("input[name=on]", "2024-03-19")
    page.get_by_role("button", name="Resolve").click()
    page.wait_for_url("**phrase=**")
    row = page.locator("table.resolution tbody tr").first
    assert "FRAGOV" in row.inner_text() and "people table" in row.inner_text()
    print("screenshot:", screenshot(page, "dash-actors"))


def test_dyads_page_and_empty_states(page, screenshot):
    page.goto("/dyads")
    assert page.locator("tbody tr").count() > 5
    page.fill("input[name=dyad]", "fra:nzl")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/dyads/FRA:NZL")
    assert "No dated factual events" in page.locator(".empty").first.inner_text()
    print("screenshot:", screenshot(page, "dash-dyad-empty"))
