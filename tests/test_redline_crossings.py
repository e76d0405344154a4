"""Crossings of red lines: which stored events cross a red line and with what status, near-misses
that do not, the sample article's SVR claim, alerts through the watch tables (never twice), the
`redline watch` exit status, and the timeline in the HTML report."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import SHARED, run_cli
from redline_streams import TEMPLATES, bench

from redline.redlines import Consequence, Statement, Trigger, evaluate_crossings, find_crossings, ledger
from redline.schema import Document
from redline.store import Store, coded_rows
from redline.store.redlines import crossing_rows

TROOPS = TEMPLATES["foreign-troops-in-ukraine"]
DECLARED = TROOPS["declared"]


def day(n: int) -> date:
    return DECLARED + timedelta(days=n)


def put(store: Store, events: list[tuple]) -> None:
    store.add([coded_rows(d, [e]) for d, e in events])


def found(store: Store) -> dict[str, tuple[str, bool]]:
    """document id -> (status, prospective) of the crossings found."""
    docs = dict(store.sql("SELECT event_key, doc_id FROM mentions").fetchall())
    return {docs[c.event_key]: (c.status, c.prospective) for c in find_crossings(store)}


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "c.duckdb") as s:
        s.add_statements([bench.statement(TROOPS)])
        yield s


def test_crossings_and_near_misses_of_foreign_troops_in_ukraine(store):
    cross = TROOPS["crossing"]
    put(store, [
        bench.event("done", day(3), cross, "factual"),                          # told by the article
        bench.event("said-by-svr", day(4), cross, "factual", "RUSSPY"),         # only Russia says so
        bench.event("maybe", day(5), cross, "uncertain", "GBRGOV"),
        bench.event("planned", day(6), cross, "future", "FRAGOV"),
        bench.event("on-declaration-day", day(0), cross, "factual"),
        bench.event("before", day(-1), cross, "factual"),                       # near-misses from here
        bench.event("negated", day(7), cross, "negated"),
        bench.event("hypothetical", day(8), cross, "hypothetical"),
        bench.event("elsewhere", day(9), TROOPS["near_misses"]["elsewhere"]),
        bench.event("russian", day(10), TROOPS["near_misses"]["actor"]),
        bench.event("ukrainian-at-home", day(11), {"source": "UKRMIL", "target": "RUSMIL", "cameo": "190",
                                                   "location": "UKR"}),
        bench.event("government", day(12), TROOPS["near_misses"]["sector"]),
        bench.event("words", day(13), TROOPS["near_misses"]["act"]),
    ])
    assert found(store) == {"done": ("confirmed", False), "said-by-svr": ("claimed", False),
                            "maybe": ("claimed", False), "planned": ("announced", True),
                            "on-declaration-day": ("confirmed", False)}


def test_group_members_cross_only_while_members(tmp_path):
    border = TEMPLATES["nato-troops-in-belarus-border"]  # actors [NATO]; Sweden joined 2024-03-07
    with Store(tmp_path / "g.duckdb") as s:
        s.add_statements([bench.statement(border, day=date(2024, 1, 1))])
        act = {"source": "SWEMIL", "target": "BLR", "cameo": "154", "location": "LTU"}
        put(s, [bench.event("sweden-before-joining", date(2024, 3, 1), act),
                bench.event("sweden-a-member", date(2024, 3, 20), act),
                bench.event("nato-itself", date(2024, 3, 21), {**act, "source": "IGOWSTNAT"})])
        assert found(s) == {"sweden-a-member": ("confirmed", False), "nato-itself": ("confirmed", False)}


def test_a_publication_dated_declaration_stands_from_before_its_article(tmp_path):
    """A declaration dated only by its article may restate a line drawn before: a month back."""
    with Store(tmp_path / "p.duckdb") as s:
        statement = bench.statement(TROOPS)
        statement.date_precision = "document"
        s.add_statements([statement])
        put(s, [bench.event("weeks-before", day(-20), TROOPS["crossing"]),
                bench.event("months-before", day(-45), TROOPS["crossing"])])
        assert set(found(s)) == {"weeks-before"}


def test_the_svr_claim_is_a_claimed_future_crossing_of_the_kremlin_red_line(tmp_path, shared, coder):
    """The sample article: the Kremlin's red line (troops to Ukraine), restated by Putin; the SVR
    director's 2024-03-19 claim of French preparations is a claimed, prospective crossing."""
    text = (SHARED / "samples" / "kremlin-warning.txt").read_text(encoding="utf-8")
    document = Document(id="kremlin-warning", text=text, date=date(2024, 3, 21))
    events = coder.code_text(text, document.date, doc_id=document.id)
    threats = [e for e in events if e.cameo.startswith("13")]
    kremlin, putin = threats[0], threats[-1]
    assert kremlin.evidence.startswith("The Kremlin warns") and putin.evidence.startswith("He underscored")
    trigger = dict(exclude=["RUS"], sector="MIL", places=["UKR"])
    statements = [Statement(document.id, e.sentence_index, e.span, e.evidence, e.date, e.source, e.target,
                            Trigger(words, **trigger), Consequence(consequence), stance=stance, event_id=e.event_id)
                  for e, words, consequence, stance in (
                      (kremlin, "dispatching troops to Ukraine", "serious risks", "declared"),
                      (putin, "such a course", "respond", "redefined"))]
    with Store(tmp_path / "k.duckdb") as s:
        s.add([coded_rows(document, events)])
        s.add_statements(statements)
        (line,) = ledger(s, declarer="RUS")
        crossings = find_crossings(s)
    assert (line["n_statements"], line["n_restatements"], line["stance"]) == (2, 1, "redefined")
    (svr,) = crossings
    assert svr.date == date(2024, 3, 19) and svr.event["source_code"] == "FRAMIL"
    assert (svr.status, svr.prospective, svr.reporters) == ("claimed", True, ["RUSSPY"])
    assert line["status"] == "open" and line["n_claimed"] == 1  # nobody has sent troops yet


def test_crossings_alert_once_through_the_watch_tables(store):
    put(store, [bench.event("first", day(3), TROOPS["crossing"]),
                bench.event("elsewhere", day(4), TROOPS["near_misses"]["elsewhere"])])
    alerts = evaluate_crossings(store)
    assert len(alerts) == 1 and alerts[0].kind == "redline" and alerts[0].rule.startswith("redline:")
    assert [e["evidence"] for e in alerts[0].new_events] == [f"FRAMIL {_name('154')} UKR (factual, first)."]
    assert any("foreign troops sent to Ukraine" in line for line in alerts[0].context)  # the red line beside it
    assert "RUSGOV warned that foreign troops" in alerts[0].detail
    assert evaluate_crossings(store) == []                      # never twice for the same events
    stored = store.sql("SELECT rule, event_key FROM alert_events").fetchall()
    assert len(stored) == 1 and store.sql("SELECT status FROM redline_crossings").fetchall() == [("confirmed",)]
    first_seen = store.sql("SELECT detected_at FROM redline_crossings").fetchall()
    put(store, [bench.event("second", day(30), TROOPS["crossing"], "future", "FRAGOV")])
    (again,) = evaluate_crossings(store)
    assert store.sql("SELECT detected_at FROM redline_crossings WHERE date = ?", [day(3)]).fetchall() == first_seen
    assert [e["status"] for e in again.new_events] == ["announced"] and again.window_start == day(30)
    recorded = crossing_rows(store)  # the recorded crossings as the API reads them
    assert [(r["status"], r["prospective"], r["reporters"], r["source_code"]) for r in recorded] == [
        ("confirmed", False, [None], "FRAMIL"), ("announced", True, ["FRAGOV"], "FRAMIL")]


def _name(code: str) -> str:
    from redline import ontology
    return ontology.cameo(code).name.lower()


def test_watch_command_evaluates_red_lines_with_or_without_rules(tmp_path):
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        s.add_statements([bench.statement(TROOPS)])
        put(s, [bench.event("crossing", day(3), TROOPS["crossing"], "factual", "RUSSPY")])
    without = run_cli("watch", "--db", str(db), "--no-redlines")
    assert without.returncode == 0 and "0 rule(s) checked, 0 red line(s) checked" in without.stderr.decode()
    dry = run_cli("watch", "--db", str(db), "--dry-run")
    assert dry.returncode == 3 and "(not recorded)" in dry.stderr.decode()
    first = run_cli("watch", "--db", str(db))
    out = first.stdout.decode()
    assert first.returncode == 3, first.stderr.decode()
    assert "ALERT" in out and "red line: RUSGOV red line declared 2024-03-01" in out and "claimed" in out
    assert "0 rule(s) checked, 1 red line(s) checked, 1 new alert(s)" in first.stderr.decode()
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: french-mobilisation\n    source: FRA\n    types: [MOBILIZE]\n",
                     encoding="utf-8")
    second = run_cli("watch", str(rules), "--db", str(db))
    assert second.returncode == 3 and "french-mobilisation" in second.stdout.decode()
    assert "redline:" not in second.stdout.decode()             # the red line fired already
    third = run_cli("watch", str(rules), "--db", str(db))
    assert third.returncode == 0 and "1 rule(s) checked, 1 red line(s) checked, 0 new alert(s)" in third.stderr.decode()


def test_report_shows_each_red_line_timeline_escaped(tmp_path):
    db = tmp_path / "r.duckdb"
    with Store(db) as s:
        statement = bench.statement(TROOPS)
        statement.evidence = "Moscow warned <script>alert(1)</script> that troops would bring consequences."
        s.add_statements([statement, bench.statement(TROOPS, doc_id="again", day=day(20))])
        put(s, [bench.event("crossing", day(3), TROOPS["crossing"]),
                bench.event("response", day(9), {"source": "RUSMIL", "target": "FRAMIL", "cameo": "195"})])
    out = tmp_path / "rus.html"
    p = run_cli("report", "--actor", "RUS", "--db", str(db), "-o", str(out))
    assert p.returncode == 0, p.stderr.decode()
    page = out.read_text(encoding="utf-8")
    section = page[page.index("<h2>Red lines</h2>"):page.index("<h2>Most reported events</h2>")]
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    steps = [s.split("</td>")[0] for s in section.split("<tr><td class='d'>")[1:]]  # the timeline's dates
    assert steps == [str(DECLARED), str(day(3)), str(day(9)), str(day(20))]
    for step in ("declared", "crossed", "response", "restated"):
        assert f"<td>{step}</td>" in section
    assert "(enforced; declared, 2 statement(s))" in section
    assert "<tr><td>RUS</td><td class='num'>1</td><td class='num'>1</td><td class='num'>1</td>" \
           "<td class='num'>1</td></tr>" in section  # declared, crossed, enforced, restated after crossing
    other = tmp_path / "fra-deu.html"  # neither side declared a red line: no section
    assert run_cli("report", "--dyad", "FRA:DEU", "--db", str(db), "-o", str(other)).returncode == 0
    assert "<h2>Red lines</h2>" not in other.read_text(encoding="utf-8")


def test_synthetic_streams_bench(tmp_path):
    """The bench's streams (every kind of crossing and near-miss on four red lines): every
    crossing found with its expected status, no near-miss or background event found."""
    result = bench.run(streams=8, n_events=30, seed=3)
    kinds = result["by_kind"]
    assert result["crossings"] > 40 and result["near_misses"] > 80
    assert all(kinds[k][1] > 0 for k in ("negated", "hypothetical", "before", "elsewhere", "actor", "act"))
    assert result["hit_rate"] == 1.0 and result["status_agreement"] == 1.0
    assert result["false_alarm_rate"] == 0.0


def test_a_mobilisation_told_without_a_place_is_at_home(tmp_path):
    border = TEMPLATES["nato-troops-in-belarus-border"]  # places [POL, LTU]
    with Store(tmp_path / "h.duckdb") as s:
        s.add_statements([bench.statement(border)])
        after = border["declared"] + timedelta(days=3)
        put(s, [bench.event("poland-at-home", after, {"source": "POLMIL", "target": None, "cameo": "154"}),
                bench.event("germany-at-home", after, {"source": "DEUMIL", "target": None, "cameo": "154"}),
                bench.event("poland-in-germany", after + timedelta(days=1),
                            {"source": "POLMIL", "target": None, "cameo": "154", "location": "DEU"}),
                bench.event("poland-strikes", after, {"source": "POLMIL", "target": None, "cameo": "190"})])
        assert set(found(s)) == {"poland-at-home"}


def test_plover_aliases_in_a_trigger_and_consequence_read_as_their_types(tmp_path):
    iran = TEMPLATES["strikes-on-iranian-soil"]
    aliased = {**iran, "trigger": {**iran["trigger"], "types": ["FIGHT"]},
               "consequence": {**iran["consequence"], "type": "FIGHT"}}
    with Store(tmp_path / "a.duckdb") as s:
        s.add_statements([bench.statement(aliased)])
        put(s, [bench.event("strike", iran["declared"] + timedelta(days=2), iran["crossing"]),
                bench.event("answer", iran["declared"] + timedelta(days=4),
                            {"source": "IRNMIL", "target": "ISR", "cameo": "195"})])
        assert set(found(s)) == {"strike"}
        assert ledger(s)[0]["status"] == "enforced"


def test_western_troops_are_the_troops_of_nato_and_eu_members_and_the_west_itself(tmp_path):
    western = {**TROOPS, "trigger": {"text": "Western troops in Ukraine", "actors": ["WST"], "sector": "MIL",
                                     "places": ["UKR"]}}
    act = {"target": "UKR", "cameo": "154", "location": "UKR"}
    with Store(tmp_path / "w.duckdb") as s:
        s.add_statements([bench.statement(western)])
        put(s, [bench.event("french", day(2), {**act, "source": "FRAMIL"}),
                bench.event("the-west", day(3), {**act, "source": "WSTMIL"}),
                bench.event("austrian", day(4), {**act, "source": "AUTMIL"}),      # EU, not NATO
                bench.event("chinese", day(5), {**act, "source": "CHNMIL"}),
                bench.event("serbian", day(6), {**act, "source": "SRBMIL"})])
        assert set(found(s)) == {"french", "the-west", "austrian"}


def test_a_rules_file_group_may_include_the_built_in_ones(tmp_path):
    from redline.analytics.watch import RuleError, load_rules
    path = tmp_path / "rules.yaml"
    path.write_text("groups:\n  FRIENDS:\n    include: [NATO]\n    members: {UKR: 2022-02-24}\n"
                    "rules:\n  - name: r\n    source: FRIENDS\n", encoding="utf-8")
    (rule,) = load_rules(path)
    codes = {m.code for m in rule.filters.source}
    assert {"UKR", "FRA", "IGOWSTNAT"} <= codes and "AUT" not in codes
    path.write_text("groups:\n  FRIENDS:\n    include: [ALLIES]\nrules:\n  - name: r\n    source: FRIENDS\n",
                    encoding="utf-8")
    with pytest.raises(RuleError, match="group FRIENDS: include: 'ALLIES' is not a group defined before it"):
        load_rules(path)


def test_a_trigger_naming_no_place_or_target_is_a_line_around_the_declarer(tmp_path):
    pressure = {"name": "us-pressure", "declarer": "PRKGOV", "declared": date(2024, 1, 1),
                "trigger": {"text": "any new US pressure", "actors": ["USA"]},
                "consequence": {"text": "countermeasures", "severity": "unspecified"}}
    later = date(2024, 2, 1)
    with Store(tmp_path / "p.duckdb") as s:
        s.add_statements([bench.statement(pressure)])
        put(s, [bench.event("sanctions-on-prk", later, {"source": "USAGOV", "target": "PRKGOV", "cameo": "163"}),
                bench.event("sanctions-on-rus", later, {"source": "USAGOV", "target": "RUSGOV", "cameo": "163"}),
                bench.event("ships-off-korea", later, {"source": "USAMIL", "target": None, "cameo": "150",
                                                       "location": "PRK"}),
                bench.event("ships-elsewhere", later + timedelta(days=1),
                            {"source": "USAMIL", "target": None, "cameo": "152", "location": "JPN"})])
        assert set(found(s)) == {"sanctions-on-prk", "ships-off-korea"}


def test_report_lists_a_much_crossed_red_line_s_first_crossings_only(tmp_path):
    from redline.analytics.report import MAX_CROSSINGS_SHOWN
    db = tmp_path / "many.duckdb"
    with Store(db) as s:
        s.add_statements([bench.statement(TROOPS)])
        put(s, [bench.event(f"c{i}", day(i + 1), TROOPS["crossing"]) for i in range(MAX_CROSSINGS_SHOWN + 5)])
    out = tmp_path / "many.html"
    assert run_cli("report", "--actor", "RUS", "--db", str(db), "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("<td>crossed</td>") == MAX_CROSSINGS_SHOWN and "... and 5 more crossings" in page


def test_an_expressed_intent_to_do_the_act_is_an_announced_crossing(tmp_path):
    taiwan = TEMPLATES["us-arms-to-taiwan"]  # actors [USA], types [AID], targets [TWN]
    later = taiwan["declared"] + timedelta(days=10)
    with Store(tmp_path / "i.duckdb") as s:
        s.add_statements([bench.statement(taiwan), bench.statement(TROOPS)])
        put(s, [bench.event("promise-of-arms", later, {"source": "USAGOV", "target": "TWN", "cameo": "0332"}),
                bench.event("promise-of-talks", later, {"source": "USAGOV", "target": "TWNGOV", "cameo": "036"}),
                bench.event("promise-of-peacekeepers", later + timedelta(days=1),  # intends to send forces, not arms
                            {"source": "USAGOV", "target": "TWN", "cameo": "0334"}),
                # "foreign troops in Ukraine" (MIL, no act named): Germany's government intends to send forces
                bench.event("german-peacekeepers", day(3), {"source": "DEUGOV", "target": "UKR", "cameo": "0334"}),
                bench.event("german-talks", day(4), {"source": "DEUGOV", "target": "UKR", "cameo": "036"})])
        assert found(s) == {"promise-of-arms": ("announced", True), "german-peacekeepers": ("announced", True)}
        assert {r["trigger"]: r["status"] for r in ledger(s)} == {
            "American weapons for Taiwan": "open", "foreign troops sent to Ukraine": "open"}
