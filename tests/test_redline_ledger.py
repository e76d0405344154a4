"""The red-line ledger in the store: statements merge into red lines, idempotently; bad statements
are refused whole; older stores still open; the follow-through table on a synthetic store
against values computed by hand; the `redline redlines` command and its errors."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import SHARED, run_cli
from redline_streams import TEMPLATES, bench

from redline.redlines import Consequence, Statement, Trigger, credibility, ledger
from redline.schema import Actor
from redline.store import Store
from redline.store.redlines import StatementError
from redline.store.migrate import SCHEMA_VERSION

RUS = Actor("Moscow", "RUSGOV", "RUS", "GOV")
TROOPS = dict(exclude=["RUS"], sector="MIL", places=["UKR"])


def said(doc: str, day: str, words: str, trigger: Trigger, consequence: Consequence | None = None,
         stance: str = "declared", declarer: Actor = RUS, sentence: int = 0) -> Statement:
    return Statement(doc, sentence, (0, len(words)), words, day, declarer, None, trigger,
                     consequence or Consequence("serious consequences"), stance=stance, date_precision="day")


def statements() -> list[Statement]:
    return [
        said("a", "2024-03-01", "Moscow warned that foreign troops in Ukraine would bring serious consequences.",
             Trigger("foreign troops in Ukraine", **TROOPS)),
        # the same sentence told by a second article on the same day: one declaration
        said("b", "2024-03-01", "Moscow warned that foreign troops in Ukraine would bring serious consequences.",
             Trigger("foreign troops in Ukraine", **TROOPS)),
        said("c", "2024-04-10", "The Kremlin repeated that Western soldiers in Ukraine would be legitimate targets.",
             Trigger("Western soldiers in Ukraine", cameo=["154"], **TROOPS),
             Consequence("legitimate targets", "ASSAULT", "19", "military")),
        said("d", "2024-05-20", "Putin said Moscow would redefine its thresholds if troops were sent.",
             Trigger("troops", **TROOPS), Consequence("redefine its thresholds"), stance="redefined"),
        # another trigger of the same declarer, and the same trigger of another declarer
        said("e", "2024-03-05", "Moscow warned that long-range strikes on Russian territory would be answered.",
             Trigger("long-range strikes on Russian territory", types=["ASSAULT"], targets=["RUS"])),
        said("f", "2024-03-02", "Minsk warned that foreign troops in Ukraine would bring consequences.",
             Trigger("foreign troops in Ukraine", **TROOPS), declarer=Actor("Minsk", "BLRGOV", "BLR", "GOV")),
    ]


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "l.duckdb") as s:
        yield s


def test_restatements_merge_into_one_red_line(store):
    assert store.add_statements(statements()) == 6
    lines = {(r["declarer"], r["trigger"]): r for r in ledger(store)}
    assert len(lines) == 3
    troops = lines[("RUSGOV", "foreign troops in Ukraine")]
    assert troops["n_statements"] == 4
    assert troops["n_restatements"] == 2          # a's sentence again in b is not a restatement
    assert troops["first_declared"] == date(2024, 3, 1) and troops["last_declared"] == date(2024, 5, 20)
    assert troops["stance"] == "redefined"        # the latest statement redefined it
    assert troops["consequence"] == "legitimate targets"  # the latest that names an act
    assert troops["trigger_pattern"]["cameo"] == ["154"]  # every statement's CAMEO codes
    assert lines[("BLRGOV", "foreign troops in Ukraine")]["n_statements"] == 1
    assert lines[("RUSGOV", "long-range strikes on Russian territory")]["n_restatements"] == 0


def _tables(store) -> dict[str, list]:
    return {t: store.sql(f"SELECT * EXCLUDE (added_at) FROM {t} ORDER BY 1" if t == "redline_statements"
                         else f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("redline_statements", "redlines")}


def test_adding_statements_again_or_in_another_order_changes_nothing(tmp_path, store):
    store.add_statements(statements())
    before = _tables(store)
    assert store.add_statements(statements()) == 0
    assert _tables(store) == before
    with Store(tmp_path / "other.duckdb") as other:  # one by one, newest first: the same ledger
        for s in reversed(statements()):
            other.add_statements([s])
        assert _tables(other) == before


@pytest.mark.parametrize("change, field", [
    (dict(trigger=Trigger("x", types=["NOPE"])), "trigger.types"),
    (dict(trigger=Trigger("x", actors=["XX"])), "trigger.actors"),
    (dict(trigger=Trigger("x", places=["ukr"])), "trigger.places"),
    (dict(date="21 March"), "date"),
    (dict(stance="hardened"), "stance"),
    (dict(consequence=Consequence("x", severity="grave")), "consequence.severity"),
    (dict(consequence=Consequence("x", cameo="19x")), "consequence.cameo"),
])
def test_a_bad_statement_names_itself_and_the_field_and_nothing_is_stored(store, change, field):
    good = statements()[0]
    bad = said("z", "2024-03-01", "words", Trigger("x"))
    for name, value in change.items():
        setattr(bad, name, value)
    with pytest.raises(StatementError) as raised:
        store.add_statements([good, bad])
    assert "statement #2 (z, sentence 0)" in str(raised.value) and f"field '{field}'" in str(raised.value)
    assert store.sql("SELECT count(*) FROM redline_statements").fetchall() == [(0,)]
    assert store.sql("SELECT count(*) FROM redlines").fetchall() == [(0,)]


def test_a_version_2_store_still_opens(tmp_path):
    path = tmp_path / "v2.duckdb"
    with Store(path) as s:  # a store as version 2 left it: no ledger tables
        s.add_statements(statements()[:1])
        for t in ("redlines", "redline_statements", "redline_crossings"):
            s.sql(f"DROP TABLE {t}")
        s.sql("UPDATE store_info SET value = '2' WHERE key = 'schema_version'")
    with Store(path, read_only=True) as s:
        assert ledger(s) == [] and credibility(s) == []
    p = run_cli("redlines", "--db", str(path))
    assert p.returncode == 0 and "0 red line(s)" in p.stderr.decode()
    with Store(path) as s:  # opened for writing: upgraded, the ledger's tables created empty
        assert s.sql("SELECT value FROM store_info WHERE key = 'schema_version'").fetchall() == [(str(SCHEMA_VERSION),)]
        assert s.add_statements(statements()[:1]) == 1


def test_a_statement_without_a_precision_takes_its_threat_events(tmp_path, shared, coder):
    from redline.schema import Document
    from redline.store import coded_rows
    text = (SHARED / "samples" / "kremlin-warning.txt").read_text(encoding="utf-8")
    document = Document(id="kremlin-warning", text=text, date=date(2024, 3, 21))
    events = coder.code_text(text, document.date, doc_id=document.id)
    threat = next(e for e in events if e.cameo.startswith("13"))
    with Store(tmp_path / "k.duckdb") as s:
        s.add([coded_rows(document, events)])
        statement = Statement(document.id, threat.sentence_index, threat.span, threat.evidence, threat.date,
                              threat.source, threat.target, Trigger("troops to Ukraine", **TROOPS),
                              Consequence("serious risks"), event_id=threat.event_id)
        s.add_statements([statement])
        assert s.sql("SELECT date_precision FROM redline_statements").fetchall() == [(threat.date_precision,)]
        assert threat.date_precision == "document"  # undated in the text: the article's date


# -- follow-through on a synthetic store, against values computed by hand ---------------------------
D = date(2024, 3, 1)


def follow_store(path, start: date = D, more=(), said_more=()) -> None:
    """Six red lines and the events after them (days after ``start``); ``more``: other coded documents,
    ``said_more``: other statements, stored with them.

    troops (RUS): crossed by French troops in Ukraine (+10, confirmed); restated (+20); Russia
        strikes France (+40, quad class 4): enforced 30 days after.
    iran (IRN, consequence ASSAULT): Israeli strike in Iran (+5, confirmed); Iran denounces
        Israel (+6: words, not the consequence); Iran strikes Israel (+100: outside 90 days): crossed.
    taiwan (CHN, consequence sanctions, CAMEO 163): US arms for Taiwan only announced (+3); China sanctions
        the US (+8): still open, an announcement is no crossing.
    a second CHN red line nobody crosses: open.
    border (BLR): Polish troops massing in Poland told only by Belarus's intelligence (+12,
        claimed: counts); Belarus mobilises towards Poland (+14, quad class 4): enforced 2 days after.
    aid (USA, economic consequence named by no code): Chinese military aid to Russia (+7); the US
        denounces China (+8: not economic); the US sanctions China (+30, CAMEO 163): enforced 23 days after.
    """
    t = TEMPLATES
    events = [
        bench.event("troops-x", start + timedelta(days=10), t["foreign-troops-in-ukraine"]["crossing"], "factual"),
        bench.event("troops-r", start + timedelta(days=40), {"source": "RUSMIL", "target": "FRAMIL", "cameo": "190"}),
        bench.event("iran-x", start + timedelta(days=5), t["strikes-on-iranian-soil"]["crossing"], "factual"),
        bench.event("iran-w", start + timedelta(days=6), {"source": "IRNGOV", "target": "ISRGOV", "cameo": "111"}),
        bench.event("iran-r", start + timedelta(days=100), {"source": "IRNMIL", "target": "ISR", "cameo": "195"}),
        bench.event("taiwan-x", start + timedelta(days=3), t["us-arms-to-taiwan"]["crossing"], "future"),
        bench.event("taiwan-r", start + timedelta(days=8), {"source": "CHNGOV", "target": "USAGOV", "cameo": "163"}),
        bench.event("border-x", start + timedelta(days=12), t["nato-troops-in-belarus-border"]["crossing"], "factual",
                    reported_by="BLRSPY"),
        bench.event("border-r", start + timedelta(days=14), {"source": "BLRMIL", "target": "POL", "cameo": "154"}),
        bench.event("aid-x", start + timedelta(days=7), {"source": "CHNGOV", "target": "RUS", "cameo": "072"}),
        bench.event("aid-w", start + timedelta(days=8), {"source": "USAGOV", "target": "CHNGOV", "cameo": "111"}),
        bench.event("aid-r", start + timedelta(days=30), {"source": "USAGOV", "target": "CHNGOV", "cameo": "163"}),
    ]
    declared = [bench.statement(t[name], day=start) for name in t]
    declared.append(bench.statement(t["foreign-troops-in-ukraine"], doc_id="troops-again",
                                    day=start + timedelta(days=20)))
    declared.append(Statement("chn-2", 0, (0, 5), "words", start.isoformat(), Actor("Beijing", "CHNGOV", "CHN", "GOV"),
                              None, Trigger("independence referendum", actors=["TWN"], types=["COERCE"]),
                              Consequence("all necessary means"), date_precision="day"))
    declared.append(Statement("usa-1", 0, (0, 5), "words", start.isoformat(),
                              Actor("Washington", "USAGOV", "USA", "GOV"), None,
                              Trigger("Chinese weapons for Russia", actors=["CHN"], types=["AID"], targets=["RUS"]),
                              Consequence("severe economic costs", severity="economic"), date_precision="day"))
    from redline.store import coded_rows
    with Store(path) as s:
        s.add([coded_rows(d, [e]) for d, e in events] + [coded_rows(d, es) for d, es in more],
              statements=[*declared, *said_more])


@pytest.fixture(scope="module")
def follow_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("follow") / "f.duckdb"
    follow_store(path)
    return path


def test_follow_through_table_against_hand_computed_values(follow_db):
    with Store(follow_db, read_only=True) as s:
        lines = {r["trigger"]: r for r in ledger(s)}
        table = {r["declarer"]: {k: r[k] for k in ("declared", "crossed", "enforced", "restated_after_crossing")}
                 for r in credibility(s)}
        wider = {r["trigger"]: r["status"] for r in ledger(s, window_days=120)}
    assert {k: r["status"] for k, r in lines.items()} == {
        "foreign troops sent to Ukraine": "enforced", "any attack on Iranian soil": "crossed",
        "American weapons for Taiwan": "open", "independence referendum": "open",
        "NATO forces massing on the border": "enforced", "Chinese weapons for Russia": "enforced"}
    assert lines["Chinese weapons for Russia"]["days_to_response"] == 23
    troops = lines["foreign troops sent to Ukraine"]
    assert troops["first_crossed"] == D + timedelta(days=10) and troops["enforced_on"] == D + timedelta(days=40)
    assert troops["days_to_response"] == 30 and troops["restated_after_crossing"] is True
    assert troops["n_confirmed"] == 1 and troops["n_restatements"] == 1
    border = lines["NATO forces massing on the border"]
    assert (border["n_claimed"], border["days_to_response"]) == (1, 2)
    assert lines["American weapons for Taiwan"]["n_announced"] == 1
    assert table == {"RUS": {"declared": 1, "crossed": 1, "enforced": 1, "restated_after_crossing": 1},
                     "IRN": {"declared": 1, "crossed": 1, "enforced": 0, "restated_after_crossing": 0},
                     "CHN": {"declared": 2, "crossed": 0, "enforced": 0, "restated_after_crossing": 0},
                     "BLR": {"declared": 1, "crossed": 1, "enforced": 1, "restated_after_crossing": 0},
                     "USA": {"declared": 1, "crossed": 1, "enforced": 1, "restated_after_crossing": 0}}
    assert wider["any attack on Iranian soil"] == "enforced"  # Iran's strike 95 days after: inside 120


def test_redlines_command_formats_and_filters(follow_db, tmp_path):
    p = run_cli("redlines", "--db", str(follow_db), "--status", "enforced", "--format", "jsonl")
    assert p.returncode == 0, p.stderr.decode()
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert sorted(r["declarer"] for r in rows) == ["BLRGOV", "RUSGOV", "USAGOV"]
    out = tmp_path / "chn.csv"
    p = run_cli("redlines", "--db", str(follow_db), "--declarer", "chn", "--format", "csv", "-o", str(out))
    assert p.returncode == 0 and "2 red line(s) written to" in p.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["status"] for r in rows] == ["open", "open"] and {r["declarer"] for r in rows} == {"CHNGOV"}
    p = run_cli("redlines", "--db", str(follow_db), "--by-declarer", "--format", "csv")
    rows = {r["declarer"]: r for r in csv.DictReader(io.StringIO(p.stdout.decode()))}
    assert (rows["IRN"]["crossed"], rows["IRN"]["enforced"], rows["IRN"]["enforcement_rate"]) == ("1", "0", "0.0")
    assert rows["CHN"]["enforcement_rate"] == ""
    table = run_cli("redlines", "--db", str(follow_db)).stdout.decode()
    assert "American weapons for Taiwan" in table and "enforced" in table


@pytest.mark.parametrize("args, message", [
    (["--status", "breached"], "--status: 'breached' is not a red-line status (choose from open, crossed, enforced)"),
    (["--declarer", "R1"], "--declarer: 'R1' is not an actor code"),
    (["--format", "xml"], "--format: unknown format 'xml'"),
    (["--window", "5000"], "--window: 5000 days"),
])
def test_redlines_command_errors(follow_db, args, message):
    p = run_cli("redlines", "--db", str(follow_db), *args)
    assert p.returncode == 2 and message in p.stderr.decode() and not p.stdout


def test_redlines_command_without_a_store(tmp_path):
    p = run_cli("redlines", "--db", str(tmp_path / "none.duckdb"))
    assert p.returncode == 2 and "none.duckdb: no such store" in p.stderr.decode()
    assert not (tmp_path / "none.duckdb").exists()


def test_article_words_in_the_ledger_are_harmless_in_csv_and_terminal(tmp_path):
    db = tmp_path / "h.duckdb"
    hostile = Trigger("=HYPERLINK(\"http://x\") troops \x1b[31min Ukraine", **TROOPS)
    with Store(db) as s:
        s.add_statements([said("h", "2024-03-01", "words", hostile, Consequence("@SUM(A1) \x1b]0;owned\x07"))])
    csv_out = run_cli("redlines", "--db", str(db), "-f", "csv").stdout.decode()
    row = next(csv.DictReader(io.StringIO(csv_out)))
    assert row["trigger"].startswith("'=HYPERLINK") and row["consequence"].startswith("'@SUM")
    raw = next(csv.DictReader(io.StringIO(run_cli("redlines", "--db", str(db), "-f", "csv", "--raw-cells")
                                          .stdout.decode())))
    assert raw["trigger"].startswith("=HYPERLINK")
    table = run_cli("redlines", "--db", str(db)).stdout.decode()
    assert "\x1b" not in table and "troops" in table


def test_statements_stored_with_their_documents_in_one_transaction(tmp_path):
    from redline.store import coded_rows
    document, event = bench.event("doc", date(2024, 3, 5), TEMPLATES["foreign-troops-in-ukraine"]["crossing"])
    with Store(tmp_path / "t.duckdb") as s:
        bad = said("doc", "2024-03-05", "words", Trigger("x", types=["NOPE"]))
        with pytest.raises(StatementError, match="field 'trigger.types'"):
            s.add([coded_rows(document, [event])], statements=[statements()[0], bad])
        assert s.counts()["documents"] == 0  # nothing of the batch was stored
        assert s.add([coded_rows(document, [event])], statements=statements()) == 1
        assert (s.counts()["documents"], len(ledger(s))) == (1, 3)
        assert s.add([coded_rows(document, [event])], statements=statements()) == 0
        assert s.sql("SELECT count(*) FROM redline_statements").fetchall() == [(6,)]


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_follow_through_on_the_project_examples_plus_synthetic_streams(tmp_path, coder):
    """The project's example articles with the synthetic streams a year earlier. In the examples,
    Iran's UN mission warns (2024-04-15, dated by its article) that Tehran would respond far more
    severely if Israel retaliated; Israel's strike near Isfahan, told by U.S. officials, crosses it
    on 2024-04-20 (confirmed); the same day Iran's foreign minister softens it (not after the
    crossing: the same day); no Iranian act of conflict against Israel follows: crossed, not
    enforced. The strike also crosses the synthetic "attack on Iranian soil" red line of 2023,
    which stays crossed (Iran's synthetic strike came 95 days after its first crossing)."""
    import redline
    documents = [d for d in redline.read([str(EXAMPLES)]) if isinstance(d, redline.Document)]
    coded = list(coder.code_documents(documents))
    events = [e for _, es in coded for e in es]
    threat = next(e for e in events if e.evidence.startswith("Iran's mission to the United Nations")
                  and e.cameo.startswith("13"))
    softer = next(e for e in events if e.evidence.startswith("Foreign Minister Hossein Amir-Abdollahian"))
    pattern = dict(actors=["ISR"], types=["ASSAULT"], targets=["IRN"])
    said_more = [Statement(e.doc_id, e.sentence_index, e.span, e.evidence, e.date, e.source, e.target,
                           Trigger(words, **pattern), Consequence(then, severity="military"), stance=stance,
                           event_id=e.event_id)
                 for e, words, then, stance in (
                     (threat, "if Israel retaliated", "respond far more severely", "declared"),
                     (softer, "a major attack against Iranian interests", "respond", "softened"))]
    path = tmp_path / "examples.duckdb"
    follow_store(path, date(2023, 3, 1), coded, said_more)
    with Store(path, read_only=True) as s:
        lines = {r["trigger"]: r for r in ledger(s)}
        table = {r["declarer"]: {k: r[k] for k in ("declared", "crossed", "enforced", "restated_after_crossing")}
                 for r in credibility(s)}
    iran = lines["if Israel retaliated"]
    assert (iran["declarer"], iran["first_declared"], iran["n_restatements"], iran["stance"]) == \
        ("IRN", date(2024, 4, 15), 1, "softened")
    assert (iran["status"], iran["first_crossed"], iran["n_confirmed"], iran["restated_after_crossing"]) == \
        ("crossed", date(2024, 4, 20), 1, False)
    soil = lines["any attack on Iranian soil"]
    assert (soil["status"], soil["n_confirmed"], soil["first_crossed"]) == ("crossed", 2, date(2023, 3, 6))
    assert table == {"RUS": {"declared": 1, "crossed": 1, "enforced": 1, "restated_after_crossing": 1},
                     "IRN": {"declared": 2, "crossed": 2, "enforced": 0, "restated_after_crossing": 0},
                     "CHN": {"declared": 2, "crossed": 0, "enforced": 0, "restated_after_crossing": 0},
                     "BLR": {"declared": 1, "crossed": 1, "enforced": 1, "restated_after_crossing": 0},
                     "USA": {"declared": 1, "crossed": 1, "enforced": 1, "restated_after_crossing": 0}}


def labelled_statements() -> list[Statement]:
    """The red lines of the project's labelled sentences (data/redlines) as statements."""
    out = []
    for path in sorted((EXAMPLES.parent / "data" / "redlines").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for i, r in enumerate(row["redlines"]):
                code, t, c = r["declarer"], r["trigger"], r["consequence"]
                country = None if code.startswith(("IGO", "NGO")) else code[:3]
                out.append(Statement(row["id"], i, (0, len(row["text"])), row["text"], row.get("date"),
                                     Actor(code, code, country), None,
                                     Trigger(t.get("text", ""), t.get("actors", []), t.get("exclude", []),
                                             t.get("sector"), t.get("types", []), t.get("cameo", []),
                                             t.get("places", []), t.get("targets", [])),
                                     Consequence(c.get("text", ""), c.get("type"), c.get("cameo"),
                                                 c.get("severity", "unspecified")),
                                     stance=r.get("stance", "declared")))
    return out


def test_the_labelled_red_lines_are_all_accepted_and_matched(store):
    """Every red line the project's labelled set writes (its codes, groups and types) is a
    statement the ledger accepts, and every trigger is a pattern the crossing search can run."""
    from redline.redlines import find_crossings
    said = labelled_statements()
    assert len(said) >= 150
    assert store.add_statements(said) == len({s.statement_id for s in said})
    lines = ledger(store)
    assert len(lines) == len({s.redline_key for s in said}) < len(said)
    assert {r["stance"] for r in lines} >= {"declared", "softened", "redefined"}
    assert find_crossings(store) == []  # no events stored: nothing crosses, but every pattern ran
