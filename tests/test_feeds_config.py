"""feeds.config: the feeds file loads, and each mistake is named by file, line and field."""
from __future__ import annotations

from pathlib import Path

import pytest

from redline.feeds.config import Feed, FeedsFileError, Notify, load_feeds, parse_interval

ROOT = Path(__file__).resolve().parents[1]

VALID = """\
feeds:
  - url: https://harbour-gazette.example/world/rss
    publisher: Harbour Gazette
    every: 10m
  - url: https://ledger.example/atom.xml
  - urls: https://wire.example/latest.txt
    every: 30s
    publisher: "  Example Wire  "
rules: rules/watch.yaml
notify:
  webhooks: [https://hooks.example.org/redline, "http://127.0.0.1:9000/alerts"]
  command: "logger -t redline"
  retries: 3
"""

RULES = """\
rules:
  - name: shelling
    cameo: "19"
"""


def write(tmp_path: Path, text: str, rules: bool = True) -> Path:
    if rules:
        (tmp_path / "rules").mkdir(exist_ok=True)
        (tmp_path / "rules" / "watch.yaml").write_text(RULES)
    path = tmp_path / "feeds.yaml"
    path.write_text(text)
    return path


def test_valid_file_loads(tmp_path):
    path = write(tmp_path, VALID)
    loaded = load_feeds(path)
    assert loaded.path == path
    assert loaded.feeds == (
        Feed("https://harbour-gazette.example/world/rss", "feed", "Harbour Gazette", 600.0),
        Feed("https://ledger.example/atom.xml", "feed", None, 900.0),
        Feed("https://wire.example/latest.txt", "urls", "Example Wire", 30.0))
    assert loaded.rules == (tmp_path / "rules" / "watch.yaml").resolve()
    assert loaded.notify == Notify(("https://hooks.example.org/redline", "http://127.0.0.1:9000/alerts"),
                                   "logger -t redline", 3)


def test_minimal_file_has_defaults(tmp_path):
    loaded = load_feeds(write(tmp_path, "feeds:\n  - url: http://news.example/rss\n", rules=False))
    assert loaded.feeds == (Feed("http://news.example/rss", "feed", None, 900.0),)
    assert loaded.rules is None and loaded.notify == Notify((), None, 5)


def test_the_example_file_loads(tmp_path):
    text = (ROOT / "examples" / "feeds.example.yaml").read_text()
    loaded = load_feeds(write(tmp_path, text.replace("rules: watch.yaml", "rules: rules/watch.yaml")))
    assert [f.kind for f in loaded.feeds] == ["feed", "feed", "urls"]
    assert loaded.notify.webhooks == ("https://hooks.example.org/redline",)


@pytest.mark.parametrize("interval, seconds", [("5s", 5.0), ("15m", 900.0), ("2h", 7200.0), ("1.5h", 5400.0),
                                               (" 45 s ", 45.0)])
def test_intervals(interval, seconds):
    assert parse_interval(interval) == seconds


BAD = [
    # (the file, its line, the field named, words of the message)
    (VALID.replace("    every: 10m\n", "    evry: 10m\n"), 4, "feeds[0].evry", "unknown key"),
    (VALID.replace("https://ledger.example/atom.xml", "ftp://ledger.example/atom.xml"), 5, "feeds[1].url",
     "only http and https"),
    (VALID.replace("https://ledger.example/atom.xml", "file:///etc/passwd"), 5, "feeds[1].url", "only http and https"),
    (VALID.replace("https://ledger.example/atom.xml", "/atom.xml"), 5, "feeds[1].url", "relative URL"),
    (VALID.replace("https://ledger.example/atom.xml", "https://:80/atom.xml"), 5, "feeds[1].url", "no host"),
    (VALID.replace("every: 10m", "every: 10 minutes"), 4, "feeds[0].every", "not a duration"),
    (VALID.replace("every: 10m", "every: 2s"), 4, "feeds[0].every", "minimum is 5s"),
    (VALID.replace("every: 10m", "every: 600"), 4, "feeds[0].every", "expected a duration"),
    (VALID.replace("every: 10m", "every: 99999999h"), 4, "feeds[0].every", "maximum is 720h"),
    (VALID.replace("https://ledger.example/atom.xml", "https://harbour-gazette.example/world/rss"), 5, "feeds[1].url",
     "already listed as feeds[0]"),
    (VALID.replace("  - urls: https://wire.example/latest.txt\n",
                   "  - urls: https://wire.example/latest.txt\n    url: https://wire.example/rss\n"),
     6, "feeds[2]", "not both"),
    (VALID.replace("  - url: https://ledger.example/atom.xml\n", "  - publisher: Ledger\n"), 5, "feeds[1]",
     "one of them"),
    (VALID.replace("rules: rules/watch.yaml", "rules: rules/missing.yaml"), 9, "rules", "no such file"),
    (VALID.replace("  retries: 3", "  retries: 0"), 13, "notify.retries", "from 1 to 100"),
    (VALID.replace("  retries: 3", "  retry: 3"), 13, "notify.retry", "unknown key"),
    (VALID.replace('"http://127.0.0.1:9000/alerts"', '"smtp://mail.example"'), 11, "notify.webhooks[1]",
     "only http and https"),
    (VALID.replace("    publisher: Harbour Gazette\n", "    publisher: [Harbour, Gazette]\n"), 3,
     "feeds[0].publisher", "expected a name"),
    (VALID + "poll: 5m\n", 14, "poll", "unknown key"),
    ("feeds: []\n", 1, "feeds", "non-empty list"),
    ("feeds:\n  - https://news.example/rss\n", 2, "feeds[0]", "expected a mapping"),
]


@pytest.mark.parametrize("text, line, field, words", BAD)
def test_mistakes_name_file_line_and_field(tmp_path, text, line, field, words):
    path = write(tmp_path, text)
    with pytest.raises(FeedsFileError) as err:
        load_feeds(path)
    message = str(err.value)
    assert message.startswith(f"{path}, line {line}: field '{field}': "), message
    assert words in message


@pytest.mark.parametrize("text, words", [
    ("feeds: [\n", "not valid YAML: line"),
    ("- url: https://news.example/rss\n", "expected a mapping with a list of feeds"),
    ("base: &b {url: https://news.example/rss}\nfeeds: [*b]\n", "aliases"),
])
def test_unreadable_files(tmp_path, text, words):
    path = write(tmp_path, text, rules=False)
    with pytest.raises(FeedsFileError) as err:
        load_feeds(path)
    assert str(err.value).startswith(str(path)) and words in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(FeedsFileError, match="no such file"):
        load_feeds(tmp_path / "nope.yaml")
