"""Property-based tests: generated and mutated input never crashes the readers, the date
resolver, the rule and actor-file loaders, the filters or the coder. Every input is either read
(coded) or reported as an InputError naming its file and line.

Examples per test are fixed and derandomized, so CI runs the same inputs every time: about
11,000 (1,750 generated and 6,000 mutated real JSON lines, 300 CSV files, 150 HTML pages, 400
front matters, 1,400 dates and date expressions, 300 rules files, 250 actor files, 250 filters,
150 texts cut into pieces, and 300 mutated real documents through the coder).
"""
from __future__ import annotations

import csv
import io
import json
import random
from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.ingest import InputError, parse_publication_date, read
from redline.schema import Document


def fixed(n: int) -> settings:
    return settings(max_examples=n, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


# -- material -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_lines(shared) -> list[bytes]:
    """200 real corpus lines (texts cut to 600 characters), read at test time."""
    lines = (shared / "data" / "news_corpus.jsonl").read_bytes().splitlines()
    picked = random.Random(10).sample(lines, 200)
    out = []
    for raw in picked:
        record = json.loads(raw)
        record["text"] = record["text"][:600]
        out.append(json.dumps(record).encode())
    return out


surrogates = st.characters(categories=["Cs"])
any_text = st.lists(st.one_of(st.characters(), surrogates), max_size=40).map("".join)
date_like = st.one_of(
    st.dates().map(str), st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.tuples(st.integers(-1, 10001), st.integers(-1, 14), st.integers(-1, 40)).map(lambda t: "%04d-%02d-%02d" % t),
    st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "2024-02-29T25:00:00", "Z", "1e309", "NaN"]))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text, date_like),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=4)
WEEKDAY_TEXT = ["On Tuesday troops attacked the town.", "Next Friday the minister will visit Kyiv.",
                "Last week police arrested 20 protesters.", "On December 31 the army withdrew.",
                "Tomorrow the talks resume.", "The summit ends next month."]


def mutate(rng: random.Random, raw: bytes) -> bytes:
    """One real JSON line, changed the ways hostile corpora are: bytes flipped, cut, fields
    swapped for odd values, lone surrogates, calendar-edge dates with weekdays in the text."""
    kind = rng.randrange(7)
    if kind == 0:
        b = bytearray(raw)
        for _ in range(rng.randint(1, 5)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b).replace(b"\n", b" ")
    if kind == 1:
        return raw[:rng.randrange(len(raw) + 1)]
    record = json.loads(raw)
    if kind == 2:
        record[rng.choice(FIELDS)] = rng.choice(ODD_VALUES)
    elif kind == 3:
        at = rng.randrange(len(record["text"]) + 1)
        record["text"] = record["text"][:at] + "".join(chr(rng.choice([rng.randrange(0xD800, 0xE000), rng.randrange(32, 0x3000),
                                                                     rng.randrange(0x1F300, 0x1F600), rng.randrange(32)]))
                                                       for _ in range(rng.randint(1, 6))) + record["text"][at:]
    elif kind == 4:
        record["date"] = rng.choice(EDGE_DATES)
        record["text"] = rng.choice(WEEKDAY_TEXT) + " " + record["text"]
    elif kind == 5:
        record = rng.choice([[record], "text", 5, None, {"text": record}])
    else:
        record["text"] = record["text"].replace(" ", rng.choice(["\t", "\u00a0", "\r", "\u2028", "  \n  ", "\x1b[2J"]))
    return json.dumps(record, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


FIELDS = ["id", "text", "date", "title", "url", "source"]
EDGE_DATES = ["0001-01-01", "9999-12-31", "9999-12-25", "2024-02-30", "20240231", "2024-13-01", "10000-01-01", "",
              "0000-00-00", "2024-01-01T25:00:00", None, 12345, True, [], {}]
ODD_VALUES = EDGE_DATES + ["\ud800", "x" * 5000, "", " ", "\x00", "\ufeff", "[" * 500, 1e308, -1, {"a": [1, {}]}]
MUTANTS = 15  # per hypothesis example: hypothesis picks the line and the seed, the seed the mutations


def read_bytes(data: bytes, fmt: str) -> list:
    return list(read(["-"], input_format=fmt, stdin=io.BytesIO(data)))


def check_items(items: list) -> None:
    """Documents are clean (encodable text, real dates); errors name the input."""
    for item in items:
        assert isinstance(item, (Document, InputError)), item
        if isinstance(item, Document):
            assert item.text.strip()
            for value in (item.id, item.text, item.title, item.url, item.source):
                assert value is None or isinstance(value, str) and value.encode("utf-8")
            assert item.date is None or type(item.date) is date
            assert json.dumps(item.metadata, ensure_ascii=False, default=str).encode("utf-8")
        else:
            assert str(item).startswith("-") and item.message


def check_one_per_line(items: list, lines: list[bytes]) -> None:
    """Each non-blank line gives one item, unless reading stopped at binary data (reported)."""
    check_items(items)
    expected = sum(1 for line in lines if line.strip()) or 1
    stopped = items and isinstance(items[-1], InputError) and "stopped reading" in items[-1].message
    assert len(items) == expected or stopped, (items, lines)


# -- readers ---------------------------------------------------------------------------------------
@fixed(500)
@given(st.lists(st.one_of(
    st.fixed_dictionaries({}, optional={k: json_values for k in ("id", "text", "date", "title", "url", "source")}),
    st.fixed_dictionaries({"text": any_text}, optional={"date": date_like, "id": json_values}),
    st.builds(lambda known, other: {**other, **known},  # fields the reader keeps as metadata
              st.fixed_dictionaries({"text": st.sampled_from(WEEKDAY_TEXT)}),
              st.dictionaries(st.one_of(st.sampled_from(["publisher", "outlet", "link", "published", "x"]), any_text),
                              json_values, max_size=3)),
    json_values), min_size=1, max_size=6), st.booleans())
def test_generated_jsonl_is_read_or_reported(records, ascii_only):
    lines = [json.dumps(r, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass") for r in records]
    check_one_per_line(read_bytes(b"\n".join(lines) + b"\n", "jsonl"), lines)


@fixed(400)
@given(st.integers(0, 199), st.integers(0, 2**32 - 1))
def test_mutated_real_jsonl_lines_are_read_or_reported(real_lines, index, seed):
    rng = random.Random(seed)
    lines = [b" ".join(mutate(rng, real_lines[(index + k) % len(real_lines)]).splitlines()) for k in range(MUTANTS)]
    for line in lines:
        check_one_per_line(read_bytes(line + b"\n", "jsonl"), [line])
    check_one_per_line(read_bytes(b"\n".join(lines) + b"\n", "jsonl"), lines)


csv_cells = st.one_of(st.text(max_size=30), date_like, st.sampled_from(WEEKDAY_TEXT))


@fixed(300)
@given(st.lists(st.sampled_from(["text", "date", "id", "title", "url", "source", "", "x"]), min_size=1, max_size=6),
       st.lists(st.lists(csv_cells, max_size=7), max_size=4), st.integers(0, 3), st.binary(max_size=4))
def test_csv_is_read_or_reported(header, rows, damage, junk):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8", "surrogatepass")
    if damage == 1:
        data = data[:len(data) // 2] + junk + data[len(data) // 2:]
    elif damage == 2:
        data = data.replace(b",", b'"', 1)
    items = read_bytes(data, "csv")
    check_items(items)
    assert items


def test_a_long_article_in_a_csv_cell_is_read_and_the_rows_after_it_too():
    long = "Police arrested protesters. " * 8000  # 224,000 characters, over csv's default field limit
    data = f"text,id\n\"{long}\",a\nTroops attacked the town.,b\n".encode()
    assert [d.id for d in read_bytes(data, "csv")] == ["a", "b"]


html_parts = st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<article>", "<title>", "<meta charset='x'>",
                              "<![CDATA[", "<!--", "-->", "&#xd800;", "&#0;", "<script>", "<a href='\x00'>",
                              "Police arrested twenty protesters in the capital on Tuesday evening."])


@fixed(150)
@given(st.lists(st.one_of(html_parts, st.text(max_size=10)), max_size=30), st.binary(max_size=8))
def test_html_pages_are_read_or_reported(parts, junk):
    items = read_bytes("".join(parts).encode("utf-8", "surrogatepass") + junk, "html")
    check_items(items)
    assert len(items) == 1


front_values = st.one_of(date_like, st.text(max_size=20), st.sampled_from(["[", "{a: 1", "&a x", "*a", "!!python/int 1",
                                                                           "- 1", "|", ">", "'", '"\\ud800"']))


@fixed(400)
@given(st.dictionaries(st.sampled_from(["date", "title", "id", "source", "url", "text", "x"]), front_values, max_size=4),
       st.sampled_from(WEEKDAY_TEXT + ["", "   "]), st.booleans())
def test_front_matter_is_read_or_reported(fields, body, closed):
    head = "".join(f"{k}: {v}\n" for k, v in fields.items())
    text = f"---\n{head}" + ("---\n" if closed else "") + body
    items = read_bytes(text.encode("utf-8", "surrogatepass"), "md")
    check_items(items)
    assert len(items) == 1


def test_front_matter_impossible_date_names_the_field():
    [error] = read_bytes(b"---\ndate: 2024-02-30\ntitle: x\n---\nTroops attacked the town on Tuesday.\n", "md")
    assert isinstance(error, InputError) and error.field == "date" and "2024-02-30" in error.message


def test_lone_surrogate_names_line_and_field():
    good = json.dumps({"id": "a", "text": "Police arrested 20 protesters in Lagos."})
    bad = json.dumps({"id": "b", "text": "Police \ud800 arrested protesters."})
    other = json.dumps({"id": "c", "text": "Troops attacked the town."})
    items = read_bytes(f"{good}\n{bad}\n{other}\n".encode(), "jsonl")
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
    assert items[1].line == 2 and items[1].field == "text" and "surrogate" in items[1].message


# -- dates -------------------------------------------------------------------------------------------
@fixed(400)
@given(json_values)
def test_publication_dates_parse_or_raise_value_error(value):
    try:
        assert type(parse_publication_date(value)) in (date,) or isinstance(value, date)
    except ValueError as e:
        assert "date" in str(e)


EXPRESSIONS = ["Tuesday", "last Tuesday", "next Tuesday", "this week", "next week", "last week", "next month",
               "last month", "next year", "yesterday", "tomorrow", "Christmas", "next Christmas", "this weekend",
               "next weekend", "March 5", "December 31", "January 1", "the next quarter", "last quarter",
               "next summer", "last winter", "Tuesday of next week", "three days ago", "early January",
               "late December", "New Year's Day", "Friday night", "Dec. 31, 9999", "January 1, 1", "the 1990s"]


@fixed(1000)
@given(st.one_of(st.sampled_from(EXPRESSIONS), st.text(max_size=25)), st.one_of(st.none(), st.dates()), st.booleans())
def test_date_expressions_resolve_or_give_none_on_any_publication_date(expression, published, future):
    from redline.when.expressions import ResolvedDate, resolve
    from redline.when.sentence import forward
    resolved = resolve(expression, published)
    assert resolved is None or isinstance(resolved, ResolvedDate)
    if resolved is not None and future:
        assert forward(resolved, published).date >= date.min


@fixed(150)
@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), st.integers(5, 60))
def test_pieces_cover_the_text_within_the_size(text, size):
    from redline.nlp import pieces
    spans = pieces(text, size)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(0 < b - a <= size for a, b in spans) or text == ""


# -- rules, actor files, filters -----------------------------------------------------------------------
rule_values = st.one_of(st.sampled_from(["RUS", "UKR", "NATO", "RUSMIL", "ASSAULT", "THREATEN", "19", "1d", "7d",
                                         "99999999999d", "3661d", "week", "month", "count", "escalation",
                                         "factual", "2024-02-30"]), json_values)
rule_fields = st.sampled_from(["name", "kind", "source", "target", "either", "where", "types", "cameo", "modality",
                               "threshold", "window", "min_mentions", "freq", "baseline", "alpha", "min_events",
                               "directed", "description", "bogus"])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


@fixed(300)
@given(st.one_of(
    st.fixed_dictionaries({"rules": st.lists(st.dictionaries(rule_fields, rule_values, max_size=6), max_size=3)},
                          optional={"groups": st.dictionaries(st.text(max_size=5), json_values, max_size=2)}),
    json_values), st.integers(0, 2))
def test_rules_files_load_or_raise_rule_error(scratch, edge_store, data, damage):
    from redline.analytics.watch import Rule, RuleError, evaluate, load_rules
    text = yaml.safe_dump(data, allow_unicode=False)
    if damage == 1:
        text = text[:len(text) // 2]
    elif damage == 2:
        text = text.replace(":", ": &a", 1) + "\nx: *a\n"
    path = scratch / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        rules = load_rules(path)
    except RuleError as e:
        assert str(e).startswith(str(path))
    else:
        assert rules and all(isinstance(r, Rule) for r in rules)
        assert isinstance(evaluate(edge_store, rules, record=False), list)  # on events at the calendar's edges


actor_fields = st.sampled_from(["name", "aliases", "code", "country", "sector", "kind", "role", "start", "end", "x"])
actor_values = st.one_of(st.sampled_from(["Jane Doe", "RUSGOV", "RUS", "GOV", "person", "org", "role", "2024-02-30",
                                          "2020", "2020-13", "IGOWSTNAT"]), json_values)


@fixed(250)
@given(st.lists(st.dictionaries(actor_fields, actor_values, max_size=6), max_size=3), st.sampled_from([".yaml", ".csv"]))
def test_actor_files_load_or_raise_value_error(scratch, records, suffix):
    from redline.actors.userfiles import read_user_file
    path = scratch / f"actors{suffix}"
    if suffix == ".yaml":
        path.write_text(yaml.safe_dump(records, allow_unicode=False), encoding="utf-8")
    else:
        with path.open("w", encoding="utf-8", errors="surrogatepass", newline="") as f:  # bad bytes too
            writer = csv.DictWriter(f, fieldnames=sorted({k for r in records for k in r} | {"name"}))
            writer.writeheader()
            writer.writerows([{k: str(v) for k, v in r.items()} for r in records])
    try:
        read_user_file(path)
    except ValueError as e:
        assert str(path) in str(e)


filter_text = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["RUS", "RUS:UKR", "RUSMIL", "NATO", "::",
                                                                          "ASSAULT", "19", "2024-02-30", "9999-12-31"]))


filter_names = st.sampled_from(["actor", "source", "target", "dyad", "undirected", "type", "root", "quad", "modality",
                                 "factual", "reported_by", "country", "place", "from", "to", "text", "min_mentions",
                                 "types", "where", "either", "cameo", "q", "bogus"])
filter_values = st.one_of(filter_text, st.booleans(), st.integers(-3, 10**7),
                          st.lists(st.sampled_from(["RUS", "ASSAULT", "19", "4", "factual", "%_\\", "NATO", ""]),
                                   max_size=3))


@fixed(250)
@given(st.dictionaries(filter_names, filter_values, max_size=6))
def test_filters_validate_or_fail_cleanly(edge_store, values):
    """Any mapping (CLI options, rule fields, query strings) gives filters whose SQL runs, or a
    FilterError naming one of the parameters given."""
    from redline.store.query import FilterError, Filters
    try:
        f = Filters.from_mapping(values)
    except FilterError as e:
        assert e.parameter in values
        return
    where, params = f.where()
    assert edge_store.sql(f"SELECT count(*) FROM events WHERE {where}", params).fetchall()[0][0] >= 0
    assert Filters.from_mapping(f.to_mapping()) == f  # links carry the same filters


# -- the coder --------------------------------------------------------------------------------------
@pytest.mark.slow
@fixed(60)
@given(st.integers(0, 199), st.integers(0, 2**32 - 1))
def test_mutated_real_lines_are_coded_or_reported(real_lines, coder, index, seed):
    rng = random.Random(seed)
    lines = [b" ".join(mutate(rng, real_lines[(index + k) % len(real_lines)]).splitlines()) for k in range(5)]
    items = read_bytes(b"\n".join(lines) + b"\n", "jsonl")
    check_one_per_line(items, lines)
    documents = [i for i in items if isinstance(i, Document)]
    coded = [d for d, _ in coder.code_documents(documents)]  # no on_error: any exception fails the test
    assert coded == documents
