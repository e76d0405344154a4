"""Series against hand-computed values, the escalation detector, watch rules, reports."""
from __future__ import annotations

import hashlib
import math
import re
from datetime import date, timedelta

import pytest
from conftest import run_cli

from redline import ontology
from redline.analytics.escalation import Detector, detect, poisson_tail
from redline.analytics.series import Selection, dense, series
from redline.analytics.watch import RuleError, evaluate, load_rules
from redline.store import EVENT_COLUMNS, Store

MONDAY = date(2024, 3, 4)


def event(day: date, source: str, target: str | None, cameo: str, modality: str = "factual", n: int = 1, tag: str = ""):
    entry = ontology.cameo(cameo)
    key = hashlib.sha256(f"{day}{source}{target}{cameo}{modality}{tag}".encode()).hexdigest()[:32]
    return {"event_key": key, "group_key": key[:24], "date": day, "date_precision": "day",
            "source_code": source, "source_country": source[:3], "source_sector": source[3:] or None,
            "target_code": target, "target_country": target[:3] if target else None,
            "cameo": entry.code, "cameo_root": entry.root, "plover": entry.plover, "quad_class": entry.quad_class,
            "goldstein": entry.goldstein, "modality": modality, "n_mentions": n, "n_articles": n, "n_sources": n,
            "evidence": f"{source} {entry.name} {target} on {day}", "confidence": 0.8}


def put(store: Store, events: list[dict]) -> None:
    store.sql("BEGIN TRANSACTION").fetchall()
    store._insert("events", EVENT_COLUMNS, events)
    store.sql("COMMIT").fetchall()


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "a.duckdb") as s:
        yield s


def test_series_against_hand_computed_values(store):
    put(store, [
        event(MONDAY, "RUSGOV", "FRAGOV", "130"),                       # threat: verbal conflict, -4.4
        event(MONDAY + timedelta(days=2), "RUSMIL", "FRA", "190"),      # fight: material conflict, -10
        event(MONDAY + timedelta(days=3), "RUSGOV", "FRAGOV", "040"),   # consult: verbal coop, +1
        event(MONDAY + timedelta(days=8), "RUSGOV", "FRAGOV", "0874"),  # next week: retreat (material coop)
        event(MONDAY + timedelta(days=9), "RUSGOV", "FRAGOV", "138", "future"),  # a threat of force still to come
        event(MONDAY + timedelta(days=2), "FRAGOV", "RUSGOV", "111"),   # the other direction
        event(MONDAY + timedelta(days=2), "RUSGOV", "UKRGOV", "190"),   # another dyad
    ])
    rows = series(store, Selection("RUS", "FRA"), "week")
    assert [r["period"] for r in rows] == [MONDAY, MONDAY + timedelta(days=7)]
    first, second = rows
    g = [ontology.cameo(c).goldstein for c in ("130", "190", "040")]
    assert (first["events"], first["verbal_coop"], first["verbal_conflict"], first["material_conflict"]) == (3, 1, 1, 1)
    assert (first["threaten"], first["assault"], first["consult"]) == (1, 1, 1)
    assert first["goldstein_sum"] == pytest.approx(sum(g))
    assert first["goldstein_mean"] == pytest.approx(sum(g) / 3)
    assert first["coop_conflict_index"] == pytest.approx((1 - 2) / 3)
    assert (second["events"], second["material_coop"], second["coop_conflict_index"]) == (1, 1, 1.0)
    # claims are their own series; undirected adds the other direction
    claims = series(store, Selection("RUS", "FRA", modality=("future",)), "week")
    assert [(r["period"], r["events"], r["threaten"]) for r in claims] == [(MONDAY + timedelta(days=7), 1, 1)]
    both = series(store, Selection("RUS", "FRA", directed=False), "week")
    assert both[0]["events"] == 4 and both[0]["accuse"] == 1
    assert [v for _, v in dense(rows, "day")] == [3, 0, 0, 0, 0, 0, 0, 1]


def test_poisson_tail_and_detector():
    assert poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1) * (1 + 1 + 0.5))
    weeks = [MONDAY + timedelta(days=7 * i) for i in range(60)]
    quiet = [2, 1, 3, 2, 2, 1, 0, 2, 3, 2] * 6
    assert detect(list(zip(weeks, quiet))) == []
    surged = list(quiet)
    surged[40], surged[41] = 14, 11
    [surge] = detect(list(zip(weeks, surged)))
    assert (surge.start, surge.end, surge.observed) == (weeks[40], weeks[41], 25)
    assert surge.p_value < 1e-3 and surge.ratio > 4
    with pytest.raises(ValueError, match="alpha"):
        Detector(alpha=2)


RULES = """
rules:
  - name: rus-threatens-nato
    source: RUS
    target: [NATO]
    types: [THREATEN, MOBILIZE]
  - name: ukraine-assaults
    where: UKR
    types: [ASSAULT]
    threshold: 4
    window: 1d
"""


def test_rules_fire_once_and_respect_membership_dates(store, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    day = date(2023, 1, 10)
    put(store, [
        event(day, "RUSGOV", "FINGOV", "130"),             # Finland joined NATO on 2023-04-04: not yet
        event(day, "RUSGOV", "UKRGOV", "130"),             # not NATO
        event(day, "RUSGOV", "POLGOV", "130", "hypothetical"),  # not a fact
        *[event(day, "RUSMIL", "UKR", "190", tag=str(i)) for i in range(3)],  # 3 assaults: not more than 3
    ])
    parsed = load_rules(rules)
    assert evaluate(store, parsed) == []
    later = date(2023, 5, 2)
    put(store, [event(later, "RUSGOV", "FINGOV", "130"), event(later, "RUSMIL", "IGOWSTNAT", "154"),
                *[event(later, "RUSMIL", "UKR", "190", tag=str(i)) for i in range(4)]])
    alerts = {a.rule: a for a in evaluate(store, parsed)}
    assert set(alerts) == {"rus-threatens-nato", "ukraine-assaults"}
    assert len(alerts["rus-threatens-nato"].new_events) == 2 and alerts["ukraine-assaults"].n_events == 4
    assert evaluate(store, parsed) == []  # the same events never fire twice
    put(store, [event(later, "RUSMIL", "UKR", "190", tag="late report")])
    [again] = evaluate(store, parsed)
    assert again.rule == "ukraine-assaults" and len(again.new_events) == 1 and again.n_events == 5
    assert store.sql("SELECT count(*) FROM alerts").fetchall()[0][0] == 3


def test_escalation_rule(store, tmp_path):
    rules = tmp_path / "esc.yaml"
    rules.write_text("rules:\n  - name: rus-ukr\n    kind: escalation\n    source: RUS\n    target: UKR\n")
    events = []
    for week in range(40):
        n = 14 if week == 35 else (1 + week % 3)
        day = MONDAY + timedelta(days=7 * week)
        events += [event(day, "RUSMIL", "UKR", "190", tag=f"{week}-{i}") for i in range(n)]
    put(store, events)
    [alert] = evaluate(store, load_rules(rules))
    assert alert.kind == "escalation" and alert.window_start == MONDAY + timedelta(days=7 * 35)
    assert len(alert.new_events) == 14


@pytest.mark.parametrize("text, message", [
    ("rules:\n  - name: a\n    types: [THREAT]\n", "rule #1 'a': field 'types': 'THREAT' is neither a PLOVER type"),
    ("rules:\n  - name: a\n    source: RUS\n  - name: b\n    source: Russia!\n", "rule #2 'b': field 'source'"),
    ("rules:\n  - name: a\n    source: RUS\n    window: 3 days\n", "field 'window'"),
    ("rules:\n  - name: a\n    source: RUS\n    treshold: 3\n", "field 'treshold': not a field"),
    ("rules:\n  - source: RUS\n", "rule #1: field 'name': missing"),
    ("rules: []\n", "non-empty list under 'rules'"),
    ("rules:\n  - name: a\n    where: {town: Idlib}\n", "rule #1 'a': field 'where': a place is given by country, admin1, place"),
])
def test_bad_rules_name_the_rule_and_field(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_rules(path)


def test_binary_rules_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"\xff\xfe\x00rules")
    with pytest.raises(RuleError, match="not UTF-8 text"):
        load_rules(path)


def test_watch_command_exit_status(tmp_path):
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        put(s, [event(date(2024, 3, 1), "RUSGOV", "FRAGOV", "130")])
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    first = run_cli("watch", str(rules), "--db", str(db))
    assert first.returncode == 3 and "ALERT" in first.stdout.decode() and "rus-threatens-nato" in first.stdout.decode()
    second = run_cli("watch", str(rules), "--db", str(db))
    assert second.returncode == 0 and "0 new alert(s)" in second.stderr.decode()
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - name: x\n    types: [NOPE]\n")
    p = run_cli("watch", str(bad), "--db", str(db))
    assert p.returncode == 2 and "rule #1 'x': field 'types'" in p.stderr.decode()


def _surge_store(path, surge: bool):
    """30 weeks of Russian threats to France, 1 or 2 a week; with ``surge`` 12 in week 25
    (2024-08-26); and one consultation reported 5 times in the first week."""
    with Store(path) as s:
        events = []
        for week in range(30):
            n = 12 if surge and week == 25 else 1 + week % 2
            events += [event(MONDAY + timedelta(days=7 * week), "RUSGOV", "FRAGOV", "130", tag=f"{week}-{i}")
                       for i in range(n)]
        events.append(event(MONDAY, "RUSGOV", "FRAGOV", "040", n=5))
        put(s, events)
    return path


SURGE_WEEK = "2024-08-26"  # MONDAY + 25 weeks
# the 25 weeks before it: 13 weeks of 1 threat and 12 of 2, 37 events, 1.48 a week
BASELINE = "1.5"


def _text(html_part: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_part).split())


def _section(page: str, heading: str) -> str:
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 1)
    return page[start:end if end > 0 else None]


def test_report_shows_the_surge_and_its_events(tmp_path):
    db = _surge_store(tmp_path / "r.duckdb", surge=True)
    out = tmp_path / "rus-fra.html"
    p = run_cli("report", "--dyad", "RUS:FRA", "--db", str(db), "-o", str(out))
    assert p.returncode == 0, p.stderr.decode()
    page = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "<script" not in page and "http" not in page.replace("http-equiv", "")
    for name in ("series", "goldstein"):
        png = tmp_path / f"rus-fra-{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # 56 factual events: 55 threats (verbal conflict), 1 consultation; one alert
    assert "56 factual events 1 cooperative 55 conflictual 0 threats, plans and claims 1 escalation alerts" in _text(page)
    alerts = _section(page, "Escalation alerts")
    # the alert: from and to the surge week, 12 conflict events against 1.5 expected
    assert f"{SURGE_WEEK} {SURGE_WEEK} 12 {BASELINE}" in _text(alerts)
    assert alerts.count("<tr><td class='d'>") == 1
    # the events behind it (at most 8 listed), all of that week
    behind = re.findall(r"<li>(.*?)</li>", alerts)
    assert len(behind) == 8 and all(_text(li).startswith(f"{SURGE_WEEK} RUSGOV 130 THREATEN FRAGOV") for li in behind)
    # top evidence: the most mentioned event first
    top = re.findall(r"<tr><td class='d'>(.*?)</tr>", _section(page, "Most reported events"))
    assert _text(top[0]).startswith("2024-03-04 RUSGOV 040 CONSULT FRAGOV 5")


def test_report_without_a_surge_has_no_alert(tmp_path):
    db = _surge_store(tmp_path / "q.duckdb", surge=False)
    out = tmp_path / "quiet.html"
    assert run_cli("report", "--dyad", "RUS:FRA", "--db", str(db), "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "0 escalation alerts" in _text(page)
    assert "<tr><td class='d'>" not in _section(page, "Escalation alerts") and "<li>" not in page


def test_trend_flags_the_surge_week(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # wide enough for every week's sparkline
    db = _surge_store(tmp_path / "t.duckdb", surge=True)
    p = run_cli("trend", "--dyad", "RUS:FRA", "--db", str(db))
    assert p.returncode == 0, p.stderr.decode()
    lines = [" ".join(line.split()) for line in p.stdout.decode().splitlines()]
    assert lines[0] == "RUS:FRA per week, 2024-03-04 .. 2024-09-23: 56 events"
    totals = {" ".join(line.split()[:2]): line.split()[-1] for line in lines[1:5]}  # label, sparkline, total
    assert totals == {"verbal cooperation": "1", "material cooperation": "0", "verbal conflict": "55",
                      "material conflict": "0"}
    # the surge week's row: 12 events, all conflict, Goldstein 12 x -4.4, flagged; no other row is
    flagged = [line for line in lines if line.endswith("escalation")]
    assert flagged == [f"{SURGE_WEEK} 12 0 12 -52.8 -1.00 escalation"]
    assert lines[-1] == f"1 escalation alert(s): {SURGE_WEEK}..{SURGE_WEEK} (12 vs {BASELINE} expected)"
    assert run_cli("trend", "--dyad", "RUS-FRA", "--db", str(db)).returncode == 2


PLACED_ARTICLE = ("Syrian government forces shelled the town of Tabqa in Raqqa province on Monday, killing four "
                  "civilians. Rebels attacked an army checkpoint in Homs on Tuesday, officials said. "
                  "Gunmen killed two Malian soldiers in the town of Kidal in Mali.")


def test_where_in_rules_reads_the_events_place(tmp_path):
    """`where:` by the place's country, division (GeoNames' "Ar-Raqqah" or the news' "Raqqa") and
    name, over events the real coder placed: the same columns the exports and the map read."""
    src = tmp_path / "a.txt"
    src.write_text(PLACED_ARTICLE, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert run_cli("ingest", str(src), "--db", str(db), "--date", "2024-03-04", "-q").returncode == 0
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n"
                     "  - name: raqqa\n    where: {admin1: Raqqa}\n"
                     "  - name: homs-town\n    where: {country: SYR, place: homs}\n"
                     "  - name: mali\n    where: {country: MLI}\n"
                     "  - name: kidal-in-syria\n    where: {country: SYR, place: Kidal}\n", encoding="utf-8")
    with Store(db) as s:
        placed = {r["location_name"]: r for r in s.rows("SELECT location_name, location_admin1 FROM events "
                                                         "WHERE location_name IS NOT NULL")}
        assert placed["Tabqa"]["location_admin1"] == "Ar-Raqqah"  # stored under the table's name of it
        fired = {a.rule: a for a in evaluate(s, load_rules(rules))}
        names = {a.rule: {r["location_name"] for r in s.rows(
            "SELECT location_name FROM events WHERE event_key IN (SELECT unnest(?))", [[e["event_key"] for e in a.new_events]])}
            for a in fired.values()}
    assert set(fired) == {"raqqa", "homs-town", "mali"}
    assert names == {"raqqa": {"Tabqa"}, "homs-town": {"Homs"}, "mali": {"Kidal"}}


def test_report_draws_where_the_events_happened_offline(tmp_path):
    """The report's map, from events the real coder placed: one dot per place at its projected
    point, the countries shaded, inline SVG (no script, no tile, no URL), and the map as an SVG
    file beside the report."""
    from redline.where.worldmap import project
    src = tmp_path / "a.txt"
    src.write_text(PLACED_ARTICLE, encoding="utf-8")
    db = tmp_path / "m.duckdb"
    assert run_cli("ingest", str(src), "--db", str(db), "--date", "2024-03-04", "-q").returncode == 0
    out = tmp_path / "syr.html"
    p = run_cli("report", "--actor", "SYR", "--db", str(db), "-o", str(out))
    assert p.returncode == 0, p.stderr.decode()
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    section = _section(page, "Where the events happened")
    with Store(db, read_only=True) as s:
        points = s.rows("SELECT location_name, any_value(lat) AS lat, any_value(lon) AS lon FROM events "
                        "WHERE (source_country = 'SYR' OR target_country = 'SYR') AND modality = 'factual' "
                        "AND lat IS NOT NULL GROUP BY location_name")
    names = {r["location_name"] for r in points}
    assert {"Tabqa", "Homs"} <= names
    circles = re.findall(r"<circle cx='([\d.]+)' cy='([\d.]+)'", section)
    assert len(circles) == len(points)
    for r in points:
        x, y = project(r["lat"], r["lon"])
        assert (f"{x:g}", f"{y:g}") in circles
    assert "fill='#eceff1'" in section and re.search(r"<path d='M[^']+' fill='#(?!eceff1)[0-9a-f]{6}'><title>Syria", section)
    svg = (tmp_path / "syr-map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg xmlns='http://www.w3.org/2000/svg'") and svg.count("<circle") == len(points)


def test_the_world_map_keeps_to_its_frame():
    """Every outline lies within the map's frame (Antarctica, south of the map, is left out: it
    was drawn below the frame)."""
    from redline.where.worldmap import HEIGHT, world
    outlines = world()
    assert len(outlines) > 150 and "ATA" not in {o.iso3 for o in outlines}
    lowest = max(float(y) for o in outlines for _, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", o.path))
    assert lowest <= HEIGHT + 1
