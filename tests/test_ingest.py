"""Reading articles: formats, metadata, and bad input reported with file, line and field."""
from __future__ import annotations

import json
from datetime import date

from redline.ingest import InputError, read
from redline.schema import Document
from redline.ingest.dates import parse_publication_date


def items(*paths, **kw):
    return list(read([str(p) for p in paths], **kw))


def test_text_file_with_front_matter(tmp_path):
    p = tmp_path / "story.md"
    p.write_text("---\ntitle: Talks\ndate: 2023-03-11\n---\n\nIran and Saudi Arabia agreed to restore ties.\n")
    [doc] = items(p)
    assert doc.id == "story" and doc.title == "Talks" and doc.date == date(2023, 3, 11)
    assert doc.text.startswith("Iran and Saudi Arabia")


def test_default_date_only_fills_missing_dates(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Russia warned France.")
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"id": "x", "text": "Russia warned France.", "date": "20080806"}) + "\n")
    docs = items(a, b, default_date=date(2024, 3, 21))
    assert [d.date for d in docs] == [date(2024, 3, 21), date(2008, 8, 6)]


def test_folder_expands_to_supported_files(tmp_path):
    (tmp_path / "one.txt").write_text("One text.")
    (tmp_path / "two.md").write_text("Two text.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    assert [d.id for d in items(tmp_path)] == ["one", "two"]


def test_jsonl_errors_name_line_and_field_and_keep_good_documents(tmp_path):
    p = tmp_path / "corpus.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "ok1", "text": "Russia attacked Ukraine."}),
        "{not json",
        json.dumps({"id": "nodate", "text": "x", "date": "31/31/2020"}),
        json.dumps({"id": "notext"}),
        json.dumps({"id": "num", "text": 5}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "ok2", "text": "France met Germany."}),
    ]) + "\n")
    got = items(p)
    docs = [g for g in got if not isinstance(g, InputError)]
    errors = [g for g in got if isinstance(g, InputError)]
    assert [d.id for d in docs] == ["ok1", "ok2"]
    assert [(e.line, e.field) for e in errors] == [(2, None), (3, "date"), (4, "text"), (5, "text"), (6, None)]
    assert str(errors[0]).startswith(f"{p}:2: invalid JSON")
    assert "field 'date'" in str(errors[1]) and "31/31/2020" in str(errors[1])


def test_empty_binary_and_non_utf8_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"abc\x00\x01\x02")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 talks\nsecond line \u00e9".encode("latin-1"))
    errors = items(empty, blank, binary, latin)
    assert all(isinstance(e, InputError) for e in errors)
    assert "empty" in errors[0].message and "empty" in errors[1].message
    assert "binary" in errors[2].message and "offset 3" in errors[2].message
    assert "not UTF-8" in errors[3].message and errors[3].line == 1 and "0xe9" in errors[3].message


def test_too_large_document_is_refused(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_text("Russia warned France. " * 50_000)  # 1.1 million characters
    [e] = items(p)
    assert isinstance(e, InputError) and "too large" in e.message


def test_missing_file_and_csv(tmp_path):
    c = tmp_path / "c.csv"
    c.write_text('id,text,date\n1,"Russia warned France.",2024-03-21\n2,,2024-03-21\n')
    got = items(tmp_path / "nope.txt", c)
    assert isinstance(got[0], InputError) and "no such file" in got[0].message
    assert got[1].id == "1" and got[1].date == date(2024, 3, 21)
    assert isinstance(got[2], InputError) and got[2].field == "text" and got[2].line == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,hello\n")
    [e] = items(bad)
    assert isinstance(e, InputError) and "'text' column" in e.message


def test_publication_date_formats():
    assert parse_publication_date("2024-03-21") == date(2024, 3, 21)
    assert parse_publication_date("20080804") == date(2008, 8, 4)
    assert parse_publication_date("2024-03-21T10:00:00Z") == date(2024, 3, 21)


def test_datelines_are_blanked_with_offsets_kept():
    from redline.ingest.normalise import mask_dateline
    for text in ["KYIV, Feb 25 - Russian forces attacked.", "WASHINGTON (Reuters) - Biden spoke.",
                 "UNITED NATIONS, Nov. 3, 2023 (AFP) — The council met.", "JERUSALEM, April 15 - Iran fired."]:
        masked = mask_dateline(text)
        assert len(masked) == len(text)
        body = text.split("- ")[-1].split("— ")[-1]
        assert masked.strip() == body
    for text in ["Russia attacked Ukraine - officials said.", "NATO warned Russia on Monday.",
                 "US officials - speaking anonymously - said so."]:
        assert mask_dateline(text) == text


def test_dateline_city_is_not_the_actor(coder):
    text = "JERUSALEM, April 15 - Iran launched more than 300 drones and missiles at Israel overnight."
    events = coder.code_text(text, date="2024-04-15")
    assert events and all(e.source.country == "IRN" for e in events)
    assert events[0].evidence.startswith("Iran launched")


def test_jsonl_streams_and_stops_at_binary_data(tmp_path):
    p = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "a", "text": "Russia warned France."}).encode()
    p.write_bytes(good + b"\n" + b'{"id": "b", "text": "caf\xe9"}\n' + b"\x00\x01garbage\n" + good + b"\n")
    got = items(p)
    assert isinstance(got[0], Document) and got[0].id == "a"
    assert isinstance(got[1], InputError) and got[1].line == 2 and "not UTF-8" in got[1].message
    assert isinstance(got[2], InputError) and got[2].line == 3 and "stopped reading" in got[2].message
    assert len(got) == 3


def test_csv_not_utf8_is_reported_with_its_line(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes(b'id,text\n1,"Russia warned France."\n2,"caf\xe9 talks"\n')
    got = items(p)
    assert got[0].id == "1"
    assert isinstance(got[1], InputError) and "not UTF-8" in got[1].message and got[1].line == 3


def test_stdin_is_sniffed(tmp_path):
    import io
    jsonl = io.BytesIO(json.dumps({"id": "x", "text": "NATO met."}).encode() + b"\n")
    [doc] = list(read(["-"], stdin=jsonl))
    assert doc.id == "x"
    [doc] = list(read(["-"], stdin=io.BytesIO(b"NATO met.")))
    assert doc.id == "stdin" and doc.text == "NATO met."


HTML = """<html><head><title>Kremlin warns Paris | Example Wire</title>
<meta property="article:published_time" content="2024-03-21T09:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Kremlin warns Paris</h1>
<p>The Kremlin warned France on Thursday that sending troops to Ukraine would carry serious risks.</p>
<p>French President Emmanuel Macron said in late February that Western troops could not be ruled out.</p>
</article><footer>Copyright 2024 Example Wire</footer></body></html>"""


def test_html_page_gives_article_text_title_and_date(tmp_path):
    p = tmp_path / "kremlin.html"
    p.write_text(HTML)
    [doc] = items(p)
    assert doc.title == "Kremlin warns Paris" and doc.date == date(2024, 3, 21)
    assert doc.text.startswith("The Kremlin warned France") and "Copyright" not in doc.text and "Sport" not in doc.text


def test_html_without_article_text(tmp_path):
    p = tmp_path / "empty.html"
    p.write_text("<html><body><nav>Home</nav></body></html>")
    [err] = items(p)
    assert isinstance(err, InputError) and "no article text" in err.message


def test_a_headline_before_a_dateline_is_its_own_sentence(coder):
    # a wire story pasted with headline, byline and dateline: the headline's words are not the
    # lead's, and the lead's date expression dates the lead's events
    from redline.ingest.normalise import mask_dateline
    text = ("Rebels condemn raid that kills 12 Jane Roe KABUL, March 3 (AFP) -- "
            "Afghanistan on Sunday accused Pakistan of shelling border villages.")
    masked = mask_dateline(text)
    assert len(masked) == len(text) and "Jane Roe" not in masked and "KABUL" not in masked
    assert masked.startswith("Rebels condemn raid that kills 12")
    events = coder.code_text(text, date="2024-03-04")
    lead = [e for e in events if e.evidence.startswith("Afghanistan")]
    assert lead and all(not e.evidence.startswith("Rebels") for e in lead)
    accuse = [e for e in lead if e.cameo_root == "11"]
    assert accuse and accuse[0].source.country == "AFG" and accuse[0].target.country == "PAK"
    assert accuse[0].date == "2024-03-03"
