"""The project's red-line labelled set (data/redlines/*.jsonl): every line valid against the
conventions of data/redlines/README.md and the project's own code tables, the set large and
varied enough to measure extraction on, and none of it taken from ../shared."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from redline import ontology
from redline.actors.lexicon import builtin
from redline.actors.groups import builtin_groups
from redline.redlines.record import SEVERITIES, STANCES, Consequence, Trigger

LABELS = ROOT / "data" / "redlines"
POSITIVE_KINDS = ("conditional threat", "warning", "ultimatum", "declared red line", "restatement",
                  "past declaration", "softened", "redefined")
LINE_FIELDS = {"id", "date", "context", "text", "kind", "redlines"}
REDLINE_FIELDS = {"declarer", "addressee", "trigger", "consequence", "stance", "declared", "deadline"}
TRIGGER_FIELDS = {f.name for f in fields(Trigger)}
CONSEQUENCE_FIELDS = {f.name for f in fields(Consequence)}
# Words that say a red line changes (README, stance): a softened or redefined line has one.
CHANGE_WORDS = re.compile(r"no longer|\bonly\b|\bnow\b|henceforth|\bnew\b|revis|replac|rather than|vaguer|soften|narrow"
                          r"|not automatically", re.I)


def _tables() -> tuple[set[str], set[str], set[str]]:
    """Actor codes (countries, regions, organisations, people), group names and sector codes,
    all from the project's own tables."""
    lexicon = builtin()
    entries = [e for bucket in lexicon.phrases.values() for e in bucket]
    codes = set(lexicon.countries) | {e.code for e in entries if e.code}
    sectors = {e.sector for e in entries if e.sector} | {r.sector for r in lexicon.roles.values() if r.sector}
    return codes, set(builtin_groups()), sectors


def _date(value: object, partial: bool = False) -> date | None:
    """A YYYY-MM-DD date (or, with ``partial``, YYYY or YYYY-MM: its first day); None if not one."""
    if not isinstance(value, str):
        return None
    if partial and re.fullmatch(r"\d{4}", value):
        value += "-01-01"
    elif partial and re.fullmatch(r"\d{4}-\d{2}", value):
        value += "-01"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def problems_of_line(row: object, where: str, tables: tuple[set[str], set[str], set[str]]) -> list[str]:
    """Everything wrong with one labelled line, each as "<file>:<line>: field '<name>': <problem>"."""
    codes, groups, sectors = tables
    out: list[str] = []

    def bad(name: str, problem: str) -> None:
        out.append(f"{where}: field '{name}': {problem}")

    if not isinstance(row, dict):
        return [f"{where}: a line is a JSON object"]
    for name in sorted(set(row) - LINE_FIELDS):
        bad(name, "not a field of a labelled line")
    for name in sorted(LINE_FIELDS - {"context"} - set(row)):
        bad(name, "missing")
    if "id" in row and not (isinstance(row["id"], str) and re.fullmatch(r"[a-z]+-\d{3}", row["id"])):
        bad("id", f"{row['id']!r} is not like 'mil-001'")
    published = _date(row.get("date"))
    if "date" in row and published is None:
        bad("date", f"{row['date']!r} is not a YYYY-MM-DD date")
    text = row.get("text")
    if "text" in row and not (isinstance(text, str) and text.strip()):
        bad("text", "empty or not a string")
        text = None
    context = row.get("context")
    if context is not None and not (isinstance(context, str) and context.strip()):
        bad("context", "empty or not a string")
    kind = row.get("kind")
    redlines = row.get("redlines")
    if "redlines" in row and not isinstance(redlines, list):
        bad("redlines", "not a list")
        redlines = None
    if "kind" in row:
        if kind in POSITIVE_KINDS:
            if redlines == []:
                bad("redlines", f"a '{kind}' line has no red line (look-alikes are 'lookalike: ...')")
        elif isinstance(kind, str) and re.fullmatch(r"lookalike: \S.*", kind):
            if redlines:
                bad("redlines", "a look-alike has no red lines: []")
        else:
            bad("kind", f"{kind!r} is not one of {', '.join(POSITIVE_KINDS)} or 'lookalike: <what it is>'")

    def actor(name: str, value: object, group_ok: bool) -> None:
        if not isinstance(value, str) or not (value in codes or (group_ok and value in groups)):
            allowed = "an actor code of the actor tables" + (f" or a group ({', '.join(sorted(groups))})" if group_ok else "")
            bad(name, f"{value!r} is not {allowed}")

    def actor_list(name: str, value: object) -> None:
        if not isinstance(value, list):
            bad(name, "not a list")
            return
        for item in value:
            actor(name, item, group_ok=True)
        if len(set(map(str, value))) != len(value):
            bad(name, "repeats a code")

    def words(name: str, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            bad(name, "empty or not a string")
        elif text and value not in text:
            bad(name, f"{value!r} is not words of the sentence")

    for n, redline in enumerate(redlines or [], 1):
        p = f"redlines[{n}]"
        if not isinstance(redline, dict):
            bad(p, "a red line is a JSON object")
            continue
        for name in sorted(set(redline) - REDLINE_FIELDS):
            bad(f"{p}.{name}", "not a field of a red line")
        for name in ("declarer", "addressee", "trigger", "consequence", "stance"):
            if name not in redline:
                bad(f"{p}.{name}", "missing")
        if "declarer" in redline:
            actor(f"{p}.declarer", redline["declarer"], group_ok=False)
        if redline.get("addressee") is not None:
            actor(f"{p}.addressee", redline["addressee"], group_ok=True)
        if "stance" in redline and redline["stance"] not in STANCES:
            bad(f"{p}.stance", f"{redline['stance']!r} is not one of {', '.join(STANCES)}")
        if "declared" in redline:
            when = _date(redline["declared"], partial=True)
            if when is None:
                bad(f"{p}.declared", f"{redline['declared']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            elif published and when > published:
                bad(f"{p}.declared", "after the publication date")
        if "deadline" in redline:
            when = _date(redline["deadline"])
            if when is None:
                bad(f"{p}.deadline", f"{redline['deadline']!r} is not a YYYY-MM-DD date")
            elif published and when < published:
                bad(f"{p}.deadline", "before the publication date")

        trigger = redline.get("trigger")
        if "trigger" in redline and not isinstance(trigger, dict):
            bad(f"{p}.trigger", "not a JSON object")
        elif isinstance(trigger, dict):
            t = f"{p}.trigger"
            for name in sorted(set(trigger) - TRIGGER_FIELDS):
                bad(f"{t}.{name}", "not a field of record.Trigger")
            for name in sorted(TRIGGER_FIELDS - {"cameo"} - set(trigger)):
                bad(f"{t}.{name}", "missing")
            for name in ("actors", "exclude", "places", "targets"):
                if name in trigger:
                    actor_list(f"{t}.{name}", trigger[name])
            if trigger.get("sector") is not None and trigger["sector"] not in sectors:
                bad(f"{t}.sector", f"{trigger['sector']!r} is not a sector code of the actor tables")
            types = trigger.get("types", [])
            if not isinstance(types, list):
                bad(f"{t}.types", "not a list")
            else:
                for name in types:
                    if not _is_plover(name):
                        bad(f"{t}.types", f"{name!r} is not a PLOVER type")
            for code in trigger.get("cameo") or []:
                if not _is_cameo(code):
                    bad(f"{t}.cameo", f"{code!r} is not a CAMEO code")
            if "text" in trigger:
                words(f"{t}.text", trigger["text"])

        consequence = redline.get("consequence")
        if "consequence" in redline and not isinstance(consequence, dict):
            bad(f"{p}.consequence", "not a JSON object")
        elif isinstance(consequence, dict):
            c = f"{p}.consequence"
            for name in sorted(set(consequence) - CONSEQUENCE_FIELDS):
                bad(f"{c}.{name}", "not a field of record.Consequence")
            for name in sorted(CONSEQUENCE_FIELDS - {"cameo"} - set(consequence)):
                bad(f"{c}.{name}", "missing")
            if consequence.get("type") is not None and not _is_plover(consequence["type"]):
                bad(f"{c}.type", f"{consequence['type']!r} is not a PLOVER type")
            if consequence.get("cameo") is not None and not _is_cameo(consequence["cameo"]):
                bad(f"{c}.cameo", f"{consequence['cameo']!r} is not a CAMEO code")
            if "severity" in consequence and consequence["severity"] not in SEVERITIES:
                bad(f"{c}.severity", f"{consequence['severity']!r} is not one of {', '.join(SEVERITIES)}")
            if "text" in consequence:
                words(f"{c}.text", consequence["text"])

    stances = {r.get("stance") for r in redlines or [] if isinstance(r, dict)}
    if kind in ("softened", "redefined") and kind not in stances:
        bad("kind", f"a '{kind}' line has no red line with stance '{kind}'")
    if kind == "past declaration" and not any(isinstance(r, dict) and "declared" in r for r in redlines or []):
        bad("kind", "a past declaration gives the date it was declared ('declared')")
    return out


def _is_plover(name: object) -> bool:
    """A PLOVER type under its own name (not an alias)."""
    try:
        return isinstance(name, str) and ontology.plover(name).name == name
    except KeyError:
        return False


def _is_cameo(code: object) -> bool:
    try:
        return isinstance(code, str) and bool(ontology.cameo(code))
    except KeyError:
        return False


def read_labels(folder: Path) -> tuple[list[tuple[str, dict]], list[str]]:
    """Every line of the set as (where, row), and the problems found: bad JSON, bad fields,
    duplicate ids and texts, each naming file and line."""
    tables = _tables()
    rows: list[tuple[str, dict]] = []
    problems: list[str] = []
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{number}"
            if not raw.strip():
                problems.append(f"{where}: empty line")
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: not JSON ({e.msg} at column {e.colno})")
                continue
            problems += problems_of_line(row, where, tables)
            if not isinstance(row, dict):
                continue
            rows.append((where, row))
            if isinstance(row.get("id"), str):
                if row["id"] in ids:
                    problems.append(f"{where}: field 'id': {row['id']!r} is also the id of {ids[row['id']]}")
                ids.setdefault(row["id"], where)
            if isinstance(row.get("text"), str):
                key = " ".join(row["text"].lower().split())
                if key in texts:
                    problems.append(f"{where}: field 'text': the same sentence as {texts[key]}")
                texts.setdefault(key, where)
    return rows, problems


@pytest.fixture(scope="module")
def labels() -> list[dict]:
    rows, problems = read_labels(LABELS)
    assert not problems, "\n".join(problems)
    return [row for _, row in rows]


def test_every_line_is_valid_and_the_set_is_large(labels):
    positives = [row for row in labels if row["redlines"]]
    lookalikes = [row for row in labels if not row["redlines"]]
    assert len(labels) >= 260
    assert len(positives) >= 100 and len(lookalikes) >= 100, (len(positives), len(lookalikes))


def test_a_broken_label_is_named_by_file_line_and_field(tmp_path):
    good = {"id": "tst-001", "date": "2024-05-02", "kind": "conditional threat",
            "text": "Moscow said any NATO troops sent to Ukraine would be legitimate targets.",
            "redlines": [{"declarer": "RUS", "addressee": "NATO", "stance": "declared",
                          "trigger": {"actors": ["NATO"], "exclude": [], "sector": "MIL", "types": ["MOBILIZE"],
                                      "places": ["UKR"], "targets": [], "text": "any NATO troops sent to Ukraine"},
                          "consequence": {"type": "ASSAULT", "severity": "military",
                                          "text": "would be legitimate targets"}}]}
    broken = json.loads(json.dumps(good))
    broken.update(id="tst-002", text=good["text"].replace("Moscow", "The Kremlin"))
    broken["redlines"][0]["trigger"]["types"] = ["DEPLOY"]
    broken["redlines"][0]["trigger"]["places"] = ["UKRAINE"]
    broken["redlines"][0]["consequence"]["severity"] = "lethal"
    broken["redlines"][0]["declarer"] = "NATO"  # a group, not one actor
    lookalike = dict(good, id="tst-003", kind="lookalike: forecast", text="Prices would rise if talks failed.")
    (tmp_path / "set.jsonl").write_text("\n".join(json.dumps(r) for r in (good, broken, lookalike, good)) + "\n{oops\n",
                                        encoding="utf-8")
    _, problems = read_labels(tmp_path)
    text = "\n".join(problems)
    assert "set.jsonl:2: field 'redlines[1].trigger.types': 'DEPLOY' is not a PLOVER type" in text
    assert "set.jsonl:2: field 'redlines[1].trigger.places': 'UKRAINE' is not" in text
    assert "set.jsonl:2: field 'redlines[1].consequence.severity': 'lethal' is not one of" in text
    assert "set.jsonl:2: field 'redlines[1].declarer': 'NATO' is not an actor code" in text
    assert "set.jsonl:3: field 'redlines': a look-alike has no red lines: []" in text
    assert "set.jsonl:3: field 'redlines[1].trigger.text'" in text  # its words are not in the look-alike's text
    assert "set.jsonl:4: field 'id': 'tst-001' is also the id of set.jsonl:1" in text
    assert "set.jsonl:4: field 'text': the same sentence as set.jsonl:1" in text
    assert "set.jsonl:5: not JSON" in text
    assert not [p for p in problems if p.startswith("set.jsonl:1:")], problems


def test_the_set_covers_the_kinds_the_issue_names(labels):
    kinds = Counter(row["kind"] for row in labels)
    assert all(kinds[k] >= 5 for k in POSITIVE_KINDS), kinds
    lookalike_kinds = {k for k in kinds if k.startswith("lookalike: ")}
    for what in ("natural disaster warning", "health warning", "forecast", "hypothetical without threat",
                 "warning by an observer", "advice", "condition without threat", "negated", "threat without condition",
                 "revenge for a past act", "offer", "demand without consequence", "own restraint loosened",
                 "past event as history", "threat denied"):
        assert kinds[f"lookalike: {what}"] >= 2, what
    assert len(lookalike_kinds) >= 15
    redlines = [r for row in labels for r in row["redlines"]]
    assert Counter(r["consequence"]["severity"] for r in redlines).keys() == set(SEVERITIES)
    assert {r["stance"] for r in redlines} == set(STANCES)
    trig = [r["trigger"] for r in redlines]
    assert sum(bool(t["exclude"]) for t in trig) >= 8            # "foreign troops"
    assert sum(any(a in builtin_groups() or a in ("WST", "EUR") for a in t["actors"]) for t in trig) >= 20  # groups
    assert sum(bool(t["places"]) for t in trig) >= 30 and sum(not t["places"] for t in trig) >= 30
    assert sum(bool(t["targets"]) for t in trig) >= 60
    assert sum("context" in row for row in labels if row["redlines"]) >= 8   # vague triggers
    assert sum("deadline" in r for r in redlines) >= 10 and sum("declared" in r for r in redlines) >= 5
    declarers = Counter(r["declarer"] for r in redlines)
    assert len(declarers) >= 40
    assert sum(n for d, n in declarers.items() if len(d) > 3) >= 20       # IGOs, armed groups, companies
    years = Counter(row["date"][:4] for row in labels)
    assert set(years) >= {str(y) for y in range(2015, 2027)}, years


def test_the_conventions_a_machine_can_check_hold(labels):
    """The README rules that need no judgement: "foreign" triggers and `exclude`, nuclear words
    and nuclear severity, ultimatums and deadlines as refusals (REJECT), past declarations dated."""
    wrong = []
    for row in labels:
        for redline in row["redlines"]:
            trigger, consequence = redline["trigger"], redline["consequence"]
            if trigger["exclude"]:
                if trigger["actors"] or not re.search(r"\bforeign\b", trigger["text"], re.I):
                    wrong.append((row["id"], "exclude only for 'foreign ...' triggers with no actors"))
                if len(redline["declarer"]) == 3 and redline["declarer"] not in trigger["exclude"]:
                    wrong.append((row["id"], "a 'foreign' trigger excludes the declarer's country"))
            nuclear = bool(re.search(r"nuclear|hydrogen bomb|uranium", consequence["text"], re.I))
            if nuclear != (consequence["severity"] == "nuclear"):
                wrong.append((row["id"], "severity is nuclear exactly when nuclear means are named"))
            if (row["kind"] == "ultimatum" or "deadline" in redline) and "REJECT" not in trigger["types"]:
                wrong.append((row["id"], "an ultimatum's trigger is refusing it (REJECT)"))
            if consequence["type"] == "ASSAULT" and consequence["severity"] not in ("military", "nuclear"):
                wrong.append((row["id"], "force threatened is military or nuclear"))
            if row["kind"] == "past declaration" and redline["declared"] >= row["date"][:len(redline["declared"])]:
                wrong.append((row["id"], "a past declaration is dated before the publication"))
            if redline["stance"] != "declared" and not CHANGE_WORDS.search(row["text"]):
                wrong.append((row["id"], "a softened or redefined red line is said to change in the text"))
    assert not wrong, wrong


def _shingles(text: str, n: int = 8) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_sentence_comes_from_the_shared_folder(labels, shared):
    seen: set[str] = set()
    for path in sorted((shared / "data").glob("*.jsonl")):
        for raw in path.open(encoding="utf-8"):
            seen |= _shingles(raw)
    for path in sorted((shared / "samples").glob("*.txt")):
        seen |= _shingles(path.read_text(encoding="utf-8"))
    copied = [row["id"] for row in labels for part in (row["text"], row.get("context") or "") if _shingles(part) & seen]
    assert not copied, copied
