"""The dashboard's endpoints and pages in process (FastAPI's TestClient) over the examples store:
each answer checked against the store's own SQL; bad parameters are 400 naming the parameter;
a store without the red-line ledger answers an empty ledger with a note; stored text is escaped."""
from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta

import duckdb
import pytest
from fastapi.testclient import TestClient

from redline.serve import create_app
from redline.serve import charts
from redline.where import worldmap as geo
from redline.store import Store


@pytest.fixture(scope="module")
def client(examples_store_path):
    return TestClient(create_app(examples_store_path))


@pytest.fixture(scope="module")
def sql(examples_store_path):
    """Rows of a query on the examples store, as tuples."""
    with Store(examples_store_path, read_only=True) as store:
        yield lambda query, params=(): store.sql(query, list(params)).fetchall()


def _json(client, url: str):
    r = client.get(url)
    assert r.status_code == 200, (url, r.text)
    return r.json()


# -- /api/series ---------------------------------------------------------------------------------
def test_series_counts_the_factual_events_of_a_dyad_per_week(client, sql):
    body = _json(client, "/api/series?dyad=RUS:UKR&freq=week")
    expected = sql("SELECT date_trunc('week', date)::DATE, count(*), count(*) FILTER (WHERE quad_class >= 3) "
                   "FROM events WHERE source_country = 'RUS' AND target_country = 'UKR' AND modality = 'factual' "
                   "AND date IS NOT NULL AND date_precision IN ('day', 'document') GROUP BY 1 ORDER BY 1")
    got = [(date.fromisoformat(p["period"]), p["events"], p["quad"]["verbal_conflict"] + p["quad"]["material_conflict"])
           for p in body["periods"]]
    assert got == expected and len(expected) >= 2
    assert body["label"] == "RUS -> UKR" and body["filters"] == {"source": "RUS", "target": "UKR", "modality": "factual"}
    for p in body["periods"]:
        assert sum(p["quad"].values()) == p["events"] == sum(p["types"].values())


def test_series_options_claims_undirected_dates_and_actor(client, sql):
    base = sum(p["events"] for p in _json(client, "/api/series?dyad=RUS:UKR&freq=month")["periods"])
    claims = sum(p["events"] for p in _json(client, "/api/series?dyad=RUS:UKR&freq=month&claims=true")["periods"])
    both = sum(p["events"] for p in _json(client, "/api/series?dyad=RUS:UKR&freq=month&undirected=true")["periods"])
    dated = _json(client, "/api/series?dyad=RUS:UKR&freq=month&from=2023-01-01&to=2023-12-31")["periods"]
    count = lambda where: sql("SELECT count(*) FROM events WHERE date IS NOT NULL AND "  # noqa: E731
                              "date_precision IN ('day', 'document', 'month') AND " + where)[0][0]
    pair = "source_country = 'RUS' AND target_country = 'UKR'"
    assert base == count(f"{pair} AND modality = 'factual'")
    assert claims == count(f"{pair} AND modality IN ('factual', 'future', 'hypothetical', 'uncertain')") > base
    assert both == count("((source_country = 'RUS' AND target_country = 'UKR') OR (source_country = 'UKR' AND "
                         "target_country = 'RUS')) AND modality = 'factual'") > base
    assert [p["period"][:4] for p in dated] == ["2023"] * len(dated) and dated
    actor = _json(client, "/api/series?actor=RUS&freq=month")
    assert sum(p["events"] for p in actor["periods"]) == count(
        "(source_country = 'RUS' OR target_country = 'RUS') AND modality = 'factual'")
    assert actor["label"] == "RUS (either side)"
    month = _json(client, "/api/series?dyad=RUS:UKR&freq=month&from=2023-07&to=2023-07")["periods"]
    assert [p["period"] for p in month] == ["2023-07-01"]
    both = _json(client, "/api/series?dyad=RUS:UKR&actor=RUSMIL&freq=month")  # the dyad's events with RUSMIL on a side
    assert sum(p["events"] for p in both["periods"]) == count(f"{pair} AND modality = 'factual' AND "
                                                              "(source_code LIKE 'RUSMIL%' OR target_code LIKE 'RUSMIL%')")
    everything = _json(client, "/api/series?freq=month")
    assert sum(p["events"] for p in everything["periods"]) == count("modality = 'factual'")
    r = client.get("/api/series?dyad=RUS:UKR&from=2024-01-01&to=2023-01-01")
    assert r.status_code == 400 and r.json()["parameter"] == "from"


def test_series_answers_as_redline_trend_computes_it(client, examples_store_path):
    from redline.analytics.series import Selection, series
    with Store(examples_store_path, read_only=True) as store:
        rows = series(store, Selection.from_mapping({"dyad": "IRN:ISR"}), "day")
    body = _json(client, "/api/series?dyad=irn:isr&freq=day")
    assert [(p["period"], p["events"], p["goldstein_sum"]) for p in body["periods"]] == \
        [(r["period"].isoformat(), r["events"], r["goldstein_sum"]) for r in rows]


# -- /api/dyads ----------------------------------------------------------------------------------
def test_dyads_are_the_country_pairs_with_most_events(client, sql):
    body = _json(client, "/api/dyads?top=5")
    expected = sql("SELECT source_country, target_country, count(*) FROM events WHERE source_country IS NOT NULL "
                   "AND target_country IS NOT NULL AND source_country <> target_country GROUP BY 1, 2 "
                   "ORDER BY 3 DESC, 1, 2 LIMIT 5")
    assert [(d["source"], d["target"], d["n_events"]) for d in body] == expected
    conflict = _json(client, "/api/dyads?top=50&quad=3,4")
    assert all(d["cooperation"] == 0 and d["conflict"] == d["n_events"] for d in conflict) and conflict
    assert all(d["source"] == "RUS" or d["target"] == "RUS" for d in _json(client, "/api/dyads?actor=RUS"))


def test_a_dyad_view_holds_its_series_top_evidence_and_red_lines(client, sql):
    body = _json(client, "/api/dyads/RUS:UKR?top=3")
    assert body["series"] == _json(client, "/api/series?dyad=RUS:UKR")
    keys = [e["event_key"] for e in body["top"]]
    expected = [k for (k,) in sql("SELECT event_key FROM events WHERE source_country = 'RUS' AND "
                                  "target_country = 'UKR' AND modality = 'factual' "
                                  "ORDER BY n_mentions DESC, abs(goldstein) DESC, date DESC LIMIT 3")]
    assert keys == expected
    assert sum(p["events"] for p in body["claims"]) == sql(
        "SELECT count(*) FROM events WHERE source_country = 'RUS' AND target_country = 'UKR' AND "
        "modality IN ('future', 'hypothetical', 'uncertain') AND date_precision IN ('day', 'document')")[0][0]
    assert {r["declarer_country"] for r in body["redlines"]} == {"RUS"}  # declared by either side


# -- /api/overview -------------------------------------------------------------------------------
def test_overview_holds_status_activity_dyads_alerts_and_red_lines(client, sql):
    body = _json(client, "/api/overview")
    assert body["status"] == _json(client, "/api/status")
    assert sum(a["events"] for a in body["activity"]) == sql("SELECT count(*) FROM events WHERE date IS NOT NULL")[0][0]
    assert sum(a["documents"] for a in body["activity"]) >= 1
    assert body["dyads"] == _json(client, "/api/dyads?top=10")
    assert [a["alert_id"] for a in body["alerts"]] == [a["alert_id"] for a in _json(client, "/api/alerts?limit=5")]
    assert body["ledger"] is True and len(body["redlines"]) == sql("SELECT count(*) FROM redlines")[0][0]
    yearly = _json(client, "/api/overview?freq=year&top=2&latest=1")
    assert len(yearly["dyads"]) == 2 and len(yearly["alerts"]) == 1 and all(a["period"].endswith("-01-01")
                                                                            for a in yearly["activity"])


# -- /api/map ------------------------------------------------------------------------------------
def test_map_points_and_countries_agree_with_the_store(client, sql):
    body = _json(client, "/api/map")
    located = sql("SELECT count(*) FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL")[0][0]
    assert located > 0 and sum(p["n_events"] for p in body["points"]) == located
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in body["points"])
    expected = dict(sql("SELECT coalesce(location_country, target_country), count(*) FROM events "
                        "WHERE coalesce(location_country, target_country) IS NOT NULL GROUP BY 1"))
    assert {c["country"]: c["n_events"] for c in body["countries"]} == expected
    only = _json(client, "/api/map?country=ISR")
    assert {c["country"] for c in only["countries"]} <= {"ISR"} | {c for (c,) in sql(
        "SELECT DISTINCT coalesce(location_country, target_country) FROM events WHERE location_country = 'ISR' "
        "OR target_country = 'ISR'")}
    assert len(_json(client, "/api/map?limit=1")["points"]) == 1


# -- /api/alerts ---------------------------------------------------------------------------------
def test_alerts_feed_newest_first_with_events_since_rule_and_limit(client, sql):
    body = _json(client, "/api/alerts")
    assert len(body) == sql("SELECT count(*) FROM alerts")[0][0] > 0
    fired = [a["fired_at"] for a in body]
    assert fired == sorted(fired, reverse=True) and all(f.endswith("+00:00") or f.endswith("Z") for f in fired)
    for a in body:
        expected = {k for (k,) in sql("SELECT event_key FROM alert_events WHERE alert_id = ?", [a["alert_id"]])}
        assert {e["event_key"] for e in a["events"]} == expected
    newest = max(fired).replace("Z", "+00:00")
    assert _json(client, f"/api/alerts?since={newest.replace('+', '%2B')}") == []
    before = (datetime.fromisoformat(newest) - timedelta(days=1)).isoformat()
    assert len(_json(client, f"/api/alerts?since={before.replace('+', '%2B')}")) == len(body)
    rule = body[-1]["rule"]
    assert {a["rule"] for a in _json(client, f"/api/alerts?rule={rule}")} == {rule}
    assert len(_json(client, "/api/alerts?limit=1")) == 1


# -- /api/redlines -------------------------------------------------------------------------------
def test_redlines_ledger_with_filters_and_credibility(client, sql):
    body = _json(client, "/api/redlines")
    assert body["ledger"] is True and body["note"] is None
    assert {r["redline_id"] for r in body["redlines"]} == {i for (i,) in sql("SELECT redline_id FROM redlines")}
    for r in body["redlines"]:
        assert r["steps"][0]["step"] == "declared"
        assert sum(s["step"] == "crossed" for s in r["steps"]) == r["n_crossings"]
    assert {c["declarer"] for c in body["credibility"]} == {"RUS", "IRN"}
    irn = _json(client, "/api/redlines?declarer=IRN")
    assert [r["declarer"] for r in irn["redlines"]] == ["IRN"]
    enforced = _json(client, "/api/redlines?status=enforced")["redlines"]
    assert enforced and all(r["status"] == "enforced" and r["enforced_on"] for r in enforced)


def test_a_store_without_the_ledger_answers_an_empty_ledger_with_a_note(tmp_path, examples_store_path):
    db = tmp_path / "no-ledger.duckdb"
    shutil.copy(examples_store_path, db)
    with duckdb.connect(str(db)) as con:
        for table in ("redline_crossings", "redline_statements", "redlines"):
            con.execute(f"DROP TABLE {table}")
    client = TestClient(create_app(db))
    body = _json(client, "/api/redlines")
    assert body["ledger"] is False and body["redlines"] == [] and "no red-line ledger" in body["note"]
    assert _json(client, "/api/overview")["redlines"] == []
    page = client.get("/redlines")
    assert page.status_code == 200 and "no red-line ledger" in page.text
    assert client.get("/").status_code == 200


# -- /api/actors ---------------------------------------------------------------------------------
def test_actors_are_counted_on_either_side(client, sql):
    body = _json(client, "/api/actors?top=5")
    expected = sql("SELECT code, count(*) FROM (SELECT source_code AS code FROM events WHERE source_code IS NOT NULL "
                   "UNION ALL SELECT target_code FROM events WHERE target_code IS NOT NULL) GROUP BY 1 "
                   "ORDER BY 2 DESC, 1 LIMIT 5")
    assert [(a["code"], a["n_events"]) for a in body] == expected
    assert all(a["as_source"] + a["as_target"] == a["n_events"] for a in body)
    assaults = _json(client, "/api/actors?type=ASSAULT&top=100")
    assert sum(a["n_events"] for a in assaults) == sql(
        "SELECT count(source_code) + count(target_code) FROM events WHERE plover = 'ASSAULT'")[0][0]


def test_actor_resolution_shows_the_rule_used(client):
    body = _json(client, "/api/actors/resolve?phrase=French%20President%20Emmanuel%20Macron&on=2024-03-19")
    assert body["on"] == "2024-03-19" and body["phrase"] == "French President Emmanuel Macron"
    [actor] = body["actors"]
    assert actor["code"] == "FRAGOV" and actor["name"] == "Emmanuel Macron" and "Macron" in actor["resolved_by"]


# -- bad parameters ------------------------------------------------------------------------------
@pytest.mark.parametrize("url, parameter", [
    ("/api/series?dyad=RUS", "dyad"), ("/api/series?dyad=RUS:UKR&freq=year", "freq"),
    ("/api/series?actor=RUS&from=2024-13-01", "from"), ("/api/series?actor=R1", "actor"),
    ("/api/dyads?top=0", "top"), ("/api/dyads?country=FRANCE", "country"), ("/api/dyads?type=BOMB", "type"),
    ("/api/dyads?quad=5", "quad"), ("/api/dyads?modality=sure", "modality"), ("/api/dyads?min_mentions=0", "min_mentions"),
    ("/api/dyads/RUS-UKR", "pair"), ("/api/dyads/RUS:UKR?to=2024-02-30", "to"),
    ("/api/map?limit=0", "limit"), ("/api/map?actor=XX", "actor"), ("/api/map?text=" + "x" * 201, "text"),
    ("/api/alerts?since=yesterday", "since"), ("/api/alerts?since=2024-01-01", "since"), ("/api/alerts?limit=1001", "limit"),
    ("/api/redlines?declarer=rus", "declarer"), ("/api/redlines?status=broken", "status"),
    ("/api/actors?top=1001", "top"), ("/api/actors/resolve", "phrase"), ("/api/actors/resolve?phrase=%20", "phrase"),
    ("/api/actors/resolve?phrase=Putin&on=2024-02-30", "on"), ("/api/overview?freq=hour", "freq"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, url, parameter):
    r = client.get(url)
    assert r.status_code == 400, (url, r.text)
    assert r.json()["parameter"] == parameter and r.json()["error"].startswith(f"{parameter}: ")


# -- pages ---------------------------------------------------------------------------------------
def _page(client, url: str) -> str:
    r = client.get(url, headers={"accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), (url, r.text[:300])
    return r.text


def test_overview_page_charts_activity_and_links_dyads_alerts_red_lines(client, sql):
    page = _page(client, "/")
    assert 'href="/api/overview"' in page and 'href="/api/status"' in page
    assert 'href="/dyads/RUS:UKR"' in page
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="[^"]+"><title>([^<]+)</title>',
                      page)
    assert bars and all(float(h) > 0 for h, _ in bars)
    n_alerts = min(5, sql("SELECT count(*) FROM alerts")[0][0])
    assert page.count('<span class="kind">') == n_alerts
    for (trigger,) in sql("SELECT json_extract_string(trigger, '$.text') FROM redlines"):
        assert trigger.replace("'", "&#39;") in page


def test_dyad_page_draws_its_series_and_links_its_evidence(client):
    view = _json(client, "/api/dyads/RUS:UKR")
    page = _page(client, "/dyads/RUS:UKR")
    assert 'href="/api/dyads/RUS:UKR"' in page and "<title>RUS -&gt; UKR · Redline</title>" in page
    assert page.count("<svg") == 3  # by quad class, by PLOVER type, Goldstein
    drawn = sum(int(t.split(": ")[1].split()[0]) for t in re.findall(r"<title>(\d{4}-\d\d-\d\d: \d+ (?:verbal|material) "
                                                                      r"(?:cooperation|conflict))</title>", page))
    assert drawn == sum(p["events"] for p in view["series"]["periods"])
    for e in view["top"]:
        assert f'href="/events/{e["event_key"]}"' in page
    assert _page(client, "/dyad?dyad=rus:ukr") == page  # the form's address redirects to the pair's page
    month = _page(client, "/dyads/RUS:UKR?freq=month")
    assert "per month" in month
    nothing = _page(client, "/dyads/FRA:NZL")
    assert "No dated factual events" in nothing and "<svg" not in nothing


def test_dyads_page_lists_and_links_the_pairs(client):
    page = _page(client, "/dyads")
    for d in _json(client, "/api/dyads?top=50"):
        assert f'href="/dyads/{d["source"]}:{d["target"]}"' in page


def test_map_page_draws_countries_shaded_and_places_as_dots(client):
    data = _json(client, "/api/map")
    page = _page(client, "/map")
    assert len(re.findall(r'<path d="M', page)) == len(geo.world()) > 150
    shaded = set(re.findall(r'fill="(#[0-9a-f]{6})" data-country="RUS"', page))
    assert shaded and shaded != {"#eceff1"}
    assert len(re.findall(r"<circle ", page)) == len(data["points"]) > 0
    assert 'href="/events?country=RUS"' in page and "/events?place=" in page


def test_alerts_redlines_and_actors_pages_show_what_their_twins_return(client):
    alerts = _page(client, "/alerts")
    for a in _json(client, "/api/alerts"):
        assert f'data-alert="{a["alert_id"]}"' in alerts
    assert "No alerts for rule nothing" in _page(client, "/alerts?rule=nothing")
    redlines = _page(client, "/redlines")
    for r in _json(client, "/api/redlines")["redlines"]:
        assert f'data-redline="{r["redline_id"]}"' in redlines
    assert "No red lines declared by FRA" in _page(client, "/redlines?declarer=FRA")
    actors = _page(client, "/actors?phrase=French%20President%20Emmanuel%20Macron&on=2024-03-19")
    assert "<code>FRAGOV</code>" in actors and "people table" in actors
    for a in _json(client, "/api/actors?top=50"):
        assert f'href="/events?actor={a["code"]}"' in actors


def test_bad_page_parameters_are_400_pages(client):
    for url in ("/dyads/RUS", "/map?country=x", "/redlines?declarer=x", "/alerts?since=soon"):
        r = client.get(url, headers={"accept": "text/html"})
        assert r.status_code == 400 and r.headers["content-type"].startswith("text/html"), url
        assert "Traceback" not in r.text


def test_stored_text_is_escaped_on_every_page(tmp_path, examples_store_path):
    db = tmp_path / "hostile.duckdb"
    shutil.copy(examples_store_path, db)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with Store(db) as store:
        store.sql("UPDATE events SET evidence = ? || evidence, location_name = ? WHERE TRUE", [evil, evil])
        store.sql("UPDATE alerts SET detail = ?, rule = ?", [evil, evil])
        store.sql("UPDATE events SET source_name = ? WHERE source_country = 'RUS'", [evil])
    client = TestClient(create_app(db))
    for url in ("/", "/dyads/RUS:UKR", "/map", "/alerts", "/redlines", "/actors", "/dyads"):
        page = _page(client, url)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in _page(client, "/alerts")


# -- charts and map geometry ---------------------------------------------------------------------
def test_stacked_bars_are_proportional_and_ticks_round():
    days = [date(2024, 1, d) for d in (1, 2, 3)]
    chart = charts.stacked_bars(days, [("a", "#000", [1, 0, 3]), ("b", "#fff", [1, 2, 0])], "day", title="t")
    heights = {b.title: b.h for b in chart.bars}
    assert heights["2024-01-01: 1 a"] == heights["2024-01-01: 1 b"] == heights["2024-01-02: 2 b"] / 2
    assert heights["2024-01-03: 3 a"] == pytest.approx(3 * heights["2024-01-01: 1 a"])
    assert [label for _, label in chart.yticks] == ["0", "1", "2", "3"]  # whole numbers for counts
    assert charts.nice_step(100) == 25 or charts.nice_step(100) == 50
    assert charts.nice_step(7, whole=True) == 2 and charts.nice_step(0.4, whole=True) == 1


def test_world_outlines_are_projected_once_and_in_bounds():
    outlines = geo.world()
    assert geo.world() is outlines  # cached for the process
    iso = {o.iso3 for o in outlines}
    assert {"FRA", "RUS", "USA", "BRA", "AUS"} <= iso
    for o in outlines:
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", o.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert 0 <= min(xs) and max(xs) <= geo.WIDTH, o.iso3
    assert geo.project(geo.NORTH, -180) == (0, 0) and geo.project(0, 0) == (geo.WIDTH / 2, geo.project(0, 0)[1])


def test_escalation_alerts_are_shaded_over_their_periods_on_the_dyad_charts():
    from redline.serve.api.series import DyadView, Period, Series, SurgeEvidence
    from redline.serve.pages.dyads import charts as dyad_charts
    weeks = [date(2024, 1, 1) + timedelta(weeks=i) for i in range(10)]
    quad = lambda n: {"verbal_coop": 0, "material_coop": 0, "verbal_conflict": 0, "material_conflict": n}  # noqa: E731
    periods = [Period(period=w, events=n, quad=quad(n), types={"ASSAULT": n}, goldstein_sum=-10.0 * n,
                      goldstein_mean=-10.0, coop_conflict_index=-1.0, mentions=n)
               for w, n in zip(weeks, [1, 1, 1, 1, 1, 1, 1, 9, 12, 1])]
    surge = SurgeEvidence(start=weeks[7], end=weeks[8], observed=21, expected=2.0, p_value=1e-6, events=[])
    series = Series(label="AAA -> BBB", freq="week", filters={"source": "AAA", "target": "BBB"}, periods=periods,
                    surges=[surge])
    drawn = dyad_charts(DyadView(series=series, claims=[], surges=[surge], alerts=[], top=[], redlines=[]))
    assert len(drawn) == 3
    for chart in drawn:
        [band] = chart.bands
        slot = (chart.width - charts.LEFT - charts.RIGHT) / 10
        assert band.x == pytest.approx(charts.LEFT + 7 * slot, abs=0.1) and band.w == pytest.approx(2 * slot, abs=0.1)
        assert "21 conflict events, 2.0 expected" in band.title
    assert len([b for b in drawn[0].bars if b.x >= band.x]) == 3
    assert all(b.href.startswith("/events?dyad=AAA%3ABBB&from=") for b in drawn[0].bars)


@pytest.mark.parametrize("phrase", ["\x85", "\x1c", "\ufeff", " \t"])
def test_a_phrase_of_white_space_only_is_refused_the_same_by_schema_and_server(client, phrase):
    """Python and JSON Schema's regular expressions disagree on what is white space (U+0085,
    U+001C-U+001F, U+FEFF): the schema's pattern names them, so the server and a client checking
    the schema refuse the same phrases (Schemathesis found `phrase=%C2%85` rejected as invalid)."""
    answer = client.get("/api/actors/resolve", params={"phrase": phrase})
    assert answer.status_code == 400 and answer.json()["parameter"] == "phrase"
