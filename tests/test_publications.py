"""Nothing the input says is dropped: every publication of a text is stored and counted, the
usual field names are read and the other fields kept, repeated ids are reported, -q keeps errors,
and stores written before publications were kept are upgraded to exactly what a new store holds."""
from __future__ import annotations

import csv
import json

import pytest
from conftest import run_cli

from redline import Document
from redline.ingest import InputWarning, read
from redline.store import Store, StoreVersionError, coded_rows
from redline.store.rows import document_key, mention_key, text_key, text_mention_key

OUTLETS = [("Guardian", "https://one.example/a"), ("Observer", "https://two.example/b"),
           ("Wire", "https://three.example/c")]


@pytest.fixture(scope="module")
def guardian(shared):
    """Guardian corpus records (they carry 'publisher', and fields Redline has no column for)."""
    path = shared / "data" / "guardian_articles.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


@pytest.fixture(scope="module")
def short(guardian):
    """The two shortest Guardian articles (fast to code)."""
    return sorted(guardian, key=lambda r: len(r["text"]))[:2]


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _ingest(db, *paths, quiet=True):
    return run_cli("ingest", *map(str, paths), "--db", str(db), *(["-q"] if quiet else []))


def _events(db):
    with Store(db, read_only=True) as s:
        return {e["event_key"]: e for e in s.rows("SELECT * FROM events")}


# -- readers -------------------------------------------------------------------------------------

def test_guardian_publisher_is_read_and_other_fields_kept(guardian, tmp_path):
    corpus = _write(tmp_path / "g.jsonl", guardian[:3])
    docs = list(read([str(corpus)]))
    assert [d.source for d in docs] == [r["publisher"] for r in guardian[:3]]
    for d, r in zip(docs, guardian):
        extra = {k: v for k, v in r.items() if k not in ("id", "text", "date", "publisher")}
        assert extra and d.metadata == extra  # 'origin' and 'lang': kept as the input gave them


def test_aliases_in_jsonl_csv_and_front_matter(short, tmp_path):
    text, day = short[0]["text"], short[0]["date"]
    jsonl = _write(tmp_path / "a.jsonl", [{"id": "j", "text": text, "published": day, "outlet": "Outlet",
                                           "link": "https://x.example/1", "section": "world"}])
    csv_file = tmp_path / "b.csv"
    with csv_file.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["Text", "Published", "Publisher", "URL", "Section"],
                                 [text, day, "Paper", "https://y.example/2", "world"]])
    md = tmp_path / "c.md"
    md.write_text(f"---\nsource: Site\nlink: https://z.example/3\npublished: {day}\nauthor: A. N. Other\n---\n"
                  + text, encoding="utf-8")
    docs = {d.id: d for d in read([str(jsonl), str(csv_file), str(md)])}
    assert [(d.source, d.url, str(d.date)) for d in docs.values()] == [
        ("Outlet", "https://x.example/1", day), ("Paper", "https://y.example/2", day),
        ("Site", "https://z.example/3", day)]
    assert docs["j"].metadata == {"section": "world"} and docs["b-1"].metadata == {"Section": "world"}
    assert docs["c"].metadata == {"author": "A. N. Other"}
    assert [d.text for d in docs.values()] == [text] * 3


def test_a_publisher_that_is_not_a_name_is_kept_not_used(short, tmp_path):
    # 'source' as a structure (as in some datasets) is no publisher: the next alias is used
    corpus = _write(tmp_path / "s.jsonl", [{"text": short[0]["text"], "source": {"feed": 3}, "publisher": "P"}])
    [doc] = read([str(corpus)])
    assert doc.source == "P" and doc.metadata == {"source": {"feed": 3}}


def test_a_repeated_id_is_a_warning_naming_file_and_line(short, tmp_path):
    a, b = short
    corpus = _write(tmp_path / "ids.jsonl", [{"id": "x", "text": a["text"]}, {"id": "y", "text": b["text"]},
                                             {"id": "x", "text": b["text"], "date": b["date"]}])
    warned: list[InputWarning] = []
    docs = list(read([str(corpus)], on_warning=warned.append))
    assert [d.id for d in docs] == ["x", "y", "x"]  # every document is still read
    assert [(w.path, w.line, w.field) for w in warned] == [(str(corpus), 3, "id")]
    assert "first at line 1" in str(warned[0])
    with pytest.warns(InputWarning, match=r"ids.jsonl:3: field 'id'"):
        list(read([str(corpus)]))
    # the same id in another file is no repetition
    other = _write(tmp_path / "other.jsonl", [{"id": "x", "text": a["text"]}])
    warned.clear()
    list(read([str(corpus), str(other)], on_warning=warned.append))
    assert len(warned) == 1


def test_quiet_hides_progress_not_errors(short, tmp_path):
    corpus = _write(tmp_path / "q.jsonl", [{"id": "a", "text": short[0]["text"], "date": short[0]["date"]},
                                           {"id": "a", "text": 5}, {"id": "b", "text": ""},
                                           {"id": "a", "text": short[1]["text"], "date": short[1]["date"]}])
    for args in (("code", str(corpus), "-q"), ("ingest", str(corpus), "--db", str(tmp_path / "q.duckdb"), "-q")):
        p = run_cli(*args)
        err = p.stderr.decode()
        assert p.returncode == 1, err
        assert f"{corpus}:2: field 'text': must be a string" in err
        assert f"{corpus}:3: field 'text': empty document" in err
        assert f"warning: {corpus}:4: field 'id': id 'a' is used again (first at line 1)" in err
        assert "coded" not in err and "skipped" not in err  # the summary is what -q hides


# -- publications --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stores(short, tmp_path_factory):
    """One article published once, and three times (three outlets, the same day)."""
    folder = tmp_path_factory.mktemp("publications")
    record = short[0]
    once = _write(folder / "once.jsonl", [{**record, "publisher": OUTLETS[0][0], "url": OUTLETS[0][1]}])
    thrice = _write(folder / "thrice.jsonl", [{**record, "publisher": p, "url": u} for p, u in OUTLETS])
    for name, corpus in (("once", once), ("thrice", thrice)):
        p = _ingest(folder / f"{name}.duckdb", corpus)
        assert p.returncode == 0, p.stderr.decode()
    return folder


def test_each_publication_is_stored_and_shares_the_text(stores, short):
    with Store(stores / "thrice.duckdb", read_only=True) as s:
        docs = s.rows("SELECT * FROM documents ORDER BY publisher")
    assert [(d["publisher"], d["url"]) for d in docs] == sorted(OUTLETS)
    assert len({d["doc_key"] for d in docs}) == 3 and {d["text_key"] for d in docs} == {text_key(short[0]["text"])}
    assert all(json.loads(d["metadata"]) == {"origin": short[0]["origin"], "lang": short[0]["lang"]} for d in docs)


def test_an_event_told_three_times_counts_three(stores):
    once, thrice = _events(stores / "once.duckdb"), _events(stores / "thrice.duckdb")
    assert once and once.keys() == thrice.keys()
    for key, e in once.items():
        t = thrice[key]
        assert (t["n_mentions"], t["n_articles"], t["n_sources"]) == (3 * e["n_mentions"], 3 * e["n_articles"], 3)
        assert (t["cameo"], t["source_code"], t["target_code"], t["date"]) == \
               (e["cameo"], e["source_code"], e["target_code"], e["date"])


def test_a_rerun_or_a_repeated_publication_adds_nothing(stores, short):
    db = stores / "thrice.duckdb"
    before = Store(db, read_only=True)
    counts, events = before.counts(), before.rows("SELECT * FROM events ORDER BY event_key")
    before.close()
    again = _write(stores / "again.jsonl", [{**short[0], "publisher": p, "url": u} for p, u in OUTLETS[::-1]])
    for corpus in (stores / "thrice.jsonl", again):
        p = _ingest(db, corpus, quiet=False)
        assert p.returncode == 0 and "skipped 3 already stored" in p.stderr.decode()
    with Store(db, read_only=True) as s:
        assert s.counts() == counts and s.rows("SELECT * FROM events ORDER BY event_key") == events


def test_another_date_is_another_publication(stores, short):
    db = stores / "once.duckdb"
    later = _write(stores / "later.jsonl", [{**short[0], "date": "2030-01-02", "publisher": OUTLETS[0][0],
                                             "url": OUTLETS[0][1]}])
    p = _ingest(db, later)
    assert p.returncode == 0, p.stderr.decode()
    with Store(db, read_only=True) as s:
        assert sorted(str(r[0]) for r in s.sql("SELECT published FROM documents").fetchall()) == \
               [short[0]["date"], "2030-01-02"]


# -- stores written before publications were kept --------------------------------------------------

V1_DOCUMENTS = ("doc_key", "doc_id", "title", "url", "publisher", "published", "n_words", "n_mentions", "origin",
                "text", "ingested_at")


def _as_version_1(db, coded):
    """Rewrite a new store as Redline wrote it before publications were kept: documents keyed by
    their text (and no text_key or metadata), mentions by text and event, no schema version."""
    old_mention = {mention_key(document_key(d), text_mention_key(text_key(d.text), e.event_id)):
                   text_mention_key(text_key(d.text), e.event_id) for d, events in coded for e in events}
    import pyarrow as pa
    with Store(db) as s:
        s.con.register("_ids", pa.table({"new": list(old_mention), "old": list(old_mention.values())}))
        s.sql("CREATE TABLE documents_old (doc_key VARCHAR PRIMARY KEY, doc_id VARCHAR, title VARCHAR, url VARCHAR, "
              "publisher VARCHAR, published DATE, n_words INTEGER, n_mentions INTEGER, origin VARCHAR, "
              "text VARCHAR, ingested_at TIMESTAMP)")
        s.sql(f"INSERT INTO documents_old SELECT text_key, {', '.join(V1_DOCUMENTS[1:])} FROM documents")
        s.sql("CREATE TEMP TABLE m AS SELECT mentions.* REPLACE (i.old AS mention_id, d.text_key AS doc_key) "
              "FROM mentions JOIN _ids i ON i.new = mentions.mention_id JOIN documents d ON d.doc_key = mentions.doc_key")
        assert s.sql("SELECT count(*) FROM m").fetchall() == s.sql("SELECT count(*) FROM mentions").fetchall()
        s.sql("DELETE FROM mentions")
        s.sql("INSERT INTO mentions SELECT * FROM m")
        s.sql("DROP TABLE documents")
        s.sql("ALTER TABLE documents_old RENAME TO documents")
        s.sql("DROP TABLE store_info")


def _dump(db):
    with Store(db, read_only=True) as s:
        return {t: s.sql(f"SELECT * EXCLUDE (ingested_at) FROM {t} ORDER BY ALL" if t == "documents" else
                         f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("documents", "mentions", "events")}


def test_an_old_store_is_upgraded_to_what_a_new_store_holds(short, coder, tmp_path):
    documents = [Document(r["id"], r["text"], None if i else __import__("datetime").date.fromisoformat(r["date"]),
                          source=r["publisher"]) for i, r in enumerate(short)]  # one undated: its own events
    coded = list(coder.code_documents(documents))
    fresh, old = tmp_path / "fresh.duckdb", tmp_path / "old.duckdb"
    for db in (fresh, old):
        with Store(db) as s:
            s.add([coded_rows(d, e) for d, e in coded])
    _as_version_1(old, coded)
    with Store(old, read_only=True) as s:  # an old store still reads as it is
        assert "text_key" not in {r[0] for r in s.sql("DESCRIBE documents").fetchall()}
        assert s.counts()["documents"] == 2
    exported = tmp_path / "old-export"
    assert run_cli("export", "parquet", "-o", str(exported), "--db", str(old)).returncode == 0
    Store(old).close()  # opened for writing: upgraded
    assert _dump(old) == _dump(fresh)
    # a Parquet export of the old store imports as the new store too
    p = run_cli("import", str(exported), "--db", str(tmp_path / "imported.duckdb"))
    assert p.returncode == 0, p.stderr.decode()
    assert _dump(tmp_path / "imported.duckdb") == _dump(fresh)
    # and a second publication of a stored text is now kept
    again = _write(tmp_path / "again.jsonl", [{**short[0], "publisher": "Another"}])
    assert _ingest(old, again).returncode == 0
    with Store(old, read_only=True) as s:
        assert s.counts()["documents"] == 3


def test_a_store_from_a_newer_redline_is_refused(tmp_path):
    db = tmp_path / "new.duckdb"
    with Store(db) as s:
        s.sql("UPDATE store_info SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="newer Redline"):
        Store(db)
    p = run_cli("query", "SELECT count(*) FROM events", "--db", str(db))
    assert p.returncode == 2 and "store schema 99" in p.stderr.decode()


def test_publications_in_a_batch_share_the_parse_and_keep_their_dates(guardian, coder):
    from dataclasses import replace
    from datetime import date, timedelta
    parsed: list[str] = []

    class CountingParser:
        def __init__(self, nlp):
            self.nlp = nlp

        def pipe(self, texts, **kw):
            texts = list(texts)
            parsed.extend(texts)
            return self.nlp.pipe(texts, **kw)

    # the shortest article with an event dated only by its publication
    record = next(r for r in sorted(guardian, key=lambda r: len(r["text"]))
                  if any(e.date_precision == "document" for e in coder.code_text(r["text"], r["date"])))
    day = date.fromisoformat(record["date"])
    documents = [Document(f"p{i}", record["text"], day + timedelta(days=2 * (i == 2)), source=p, url=u)
                 for i, (p, u) in enumerate(OUTLETS)]
    counting = replace(coder, nlp=CountingParser(coder.nlp))
    coded = list(counting.code_documents(documents))
    assert len(parsed) == 1 and [d.id for d, _ in coded] == ["p0", "p1", "p2"]
    by_doc = {d.id: events for d, events in coded}
    dated_by_publication = [e for e in by_doc["p2"] if e.date_precision == "document"]
    assert dated_by_publication and {e.date for e in dated_by_publication} == {str(day + timedelta(days=2))}
    # coded from the shared parse exactly as from its own
    alone = coder.code_text(record["text"], day + timedelta(days=2), doc_id="p2")
    assert [e.to_dict() for e in by_doc["p2"]] == [e.to_dict() for e in alone]
    same_day = [[(e.cameo, e.date, e.evidence) for e in by_doc[d]] for d in ("p0", "p1")]
    assert same_day[0] and same_day[0] == same_day[1]


def test_the_preferred_name_wins_and_the_other_is_kept(short, tmp_path):
    corpus = _write(tmp_path / "both.jsonl", [{"publisher": "P", "text": short[0]["text"], "source": "S"}])
    [doc] = read([str(corpus)])
    assert doc.source == "S" and doc.metadata == {"publisher": "P"}
