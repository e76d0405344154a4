"""Read articles from files, folders, corpora and stdin into Documents.

Readers are registered by format name (``txt``, ``md``, ``jsonl``, ``csv``, ``html``). Each
yields Documents, or InputErrors for the parts it could not read, so one bad line never stops
the good documents of the same run.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import warnings
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Union

import yaml

from ..data_yaml import parse_data_yaml
from ..nlp import MAX_CHARS
from ..registry import readers
from ..schema import Document
from ..user_yaml import load_yaml, yaml_problem
from .dates import parse_publication_date
from .errors import InputError, InputWarning

Item = Union[Document, InputError]
EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".jsonl": "jsonl",
              ".ndjson": "jsonl", ".csv": "csv", ".html": "html", ".htm": "html"}
MAX_TEXT_BYTES = 4 * MAX_CHARS  # a single-article file; corpora stream and have no size limit


@lru_cache(maxsize=None)
def field_names() -> dict[str, list[str]]:
    """Document field -> the input field names that fill it, in order of preference (``data/fields.yaml``)."""
    return parse_data_yaml((resources.files("redline.ingest") / "data" / "fields.yaml").read_text("utf-8"))


def split_fields(record: dict) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record's known fields under their Document names (the first name of ``field_names`` with
    a value wins) and all the rest, under their own names, as metadata: nothing is dropped."""
    by_name = {str(key).strip().lower(): key for key in reversed(list(record))}  # the first of equal names
    known: dict[str, Any] = {}
    used: set = set()
    for name, aliases in field_names().items():
        for key in (by_name[a] for a in aliases if a in by_name):
            value = record[key]
            if name == "text" or (value not in (None, "") and not isinstance(value, (dict, list))):
                known[name] = value
                used.add(key)
                break
    metadata = {str(k): v for k, v in record.items() if k not in used and v not in (None, "")}
    return known, metadata


def decode(data: bytes, path: str) -> str:
    """Bytes -> text, refusing binary and non-UTF-8 input with a precise message."""
    nul = data.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise InputError(path, f"binary data (NUL byte at offset {nul}); expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(path, f"not UTF-8: byte 0x{data[err.start]:02x} at offset {err.start} cannot be "
                               "decoded (convert the file to UTF-8)", line=line) from None
    return text.lstrip("\ufeff")


def check_text(text: str, path: str, line: int | None = None, field: str | None = None) -> None:
    if not text.strip():
        raise InputError(path, "empty document (no text)", line=line, field=field)
    if len(text) > MAX_CHARS:
        raise InputError(path, f"document too large ({len(text):,} characters; the limit is {MAX_CHARS:,}); "
                               "split it into smaller documents", line=line, field=field)


def check_unicode(value: object, path: str, line: int | None, field: str) -> None:
    """Refuse a lone UTF-16 surrogate (JSON's ``"\\ud800"``): it is not a character, and no
    parser, store or output file can encode it."""
    if not isinstance(value, str):
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(path, f"lone surrogate {value[err.start]!r} at character {err.start} is not valid "
                               "Unicode (a broken emoji or escape?)", line=line, field=field) from None


def split_front_matter(text: str, path: str) -> tuple[dict, str]:
    """A leading ``---`` YAML block carries the metadata of a text or Markdown article."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise InputError(path, "front matter opened with '---' but never closed", line=1)
    try:
        meta = load_yaml(text[3:end]) or {}
    except yaml.YAMLError as err:
        raise InputError(path, f"front matter: {yaml_problem(err)}", line=1) from None
    if not isinstance(meta, dict):
        raise InputError(path, "front matter must be a mapping of fields", line=1)
    body = text[end + 4:]
    return meta, body.lstrip("\r\n") if body.strip() else ""


def make_document(record: dict, path: str, line: int | None, default_id: str,
                  default_date: date | None) -> Document:
    """Validate one record (from JSONL, CSV or front matter) and build a Document."""
    record, metadata = split_fields(record)
    text = record.get("text")
    if text is None:
        raise InputError(path, "missing (every document needs a 'text')", line=line, field="text")
    if not isinstance(text, str):
        raise InputError(path, f"must be a string, not {type(text).__name__}", line=line, field="text")
    check_text(text, path, line, "text")
    for name, value in record.items():
        check_unicode(value, path, line, name)
    for name, value in metadata.items():  # stored as JSON text: it must encode too
        label = name.encode("utf-8", "backslashreplace").decode("utf-8")
        check_unicode(name, path, line, label)
        check_unicode(json.dumps(value, ensure_ascii=False, default=str), path, line, label)
    raw_date = record.get("date")
    pub = default_date
    if raw_date not in (None, ""):
        try:
            pub = parse_publication_date(raw_date)
        except ValueError as err:
            raise InputError(path, str(err), line=line, field="date") from None
    doc_id = record.get("id")
    doc_id = default_id if doc_id in (None, "") else str(doc_id)
    origin = f"{path}:{line}" if line is not None else path
    return Document(id=doc_id, text=text, date=pub, title=_opt(record.get("title")),
                    url=_opt(record.get("url")), source=_opt(record.get("source")), origin=origin,
                    metadata=metadata)


def _opt(value: object) -> str | None:
    return None if value in (None, "") else str(value)


@readers.register("txt", "md")
def read_text(stream: BinaryIO, path: str, default_date: date | None) -> Iterator[Item]:
    """One article per file, with optional YAML front matter."""
    data = stream.read(MAX_TEXT_BYTES + 1)
    try:
        if len(data) > MAX_TEXT_BYTES:
            raise InputError(path, f"document too large (more than {MAX_TEXT_BYTES:,} bytes; the limit is "
                                   f"{MAX_CHARS:,} characters); split it into smaller documents")
        if not data.strip():
            raise InputError(path, "empty file")
        text = decode(data, path)
        meta, body = split_front_matter(text, path)
        stem = Path(path).stem if path != "-" else "stdin"
        yield make_document({**meta, "text": body}, path, None, stem, default_date)
    except InputError as err:
        yield err


MAX_HTML_BYTES = MAX_TEXT_BYTES * 4


def extract_html(data: bytes, path: str) -> dict[str, Any]:
    """A web page's article, extracted with trafilatura: ``text`` (its title line removed), and
    ``title``, ``url``, ``source`` (the site's name) and ``date`` (as the page gives it) when found.
    Raises InputError for a page too large, binary, unreadable or without article text. Used by
    ``read_html`` and by ``feeds.extract`` (fetched pages), so both read pages the same way."""
    if len(data) > MAX_HTML_BYTES:
        raise InputError(path, f"HTML page too large (more than {MAX_HTML_BYTES:,} bytes)")
    if b"\x00" in data[:65536]:
        raise InputError(path, "binary data (NUL byte); expected an HTML page")
    import trafilatura
    try:
        extracted = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                                include_tables=False)
    except Exception as err:  # lxml and trafilatura raise on some broken pages
        raise InputError(path, f"cannot extract the article from the HTML page ({type(err).__name__})") from None
    meta = extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})
    text = (meta.get("text") or "").strip()
    if len(text.split()) < 6:  # a menu or a caption, not an article
        raise InputError(path, "no article text found in the HTML page")
    title = meta.get("title")
    if title and text.splitlines()[0].strip() == title.strip():
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return {"text": text, "title": title, "url": meta.get("url"), "source": meta.get("sitename"),
            "date": meta.get("date")}


@readers.register("html")
def read_html(stream: BinaryIO, path: str, default_date: date | None) -> Iterator[Item]:
    """A web page: the article text and its title and date, extracted with trafilatura."""
    data = stream.read(MAX_HTML_BYTES + 1)
    try:
        page = extract_html(data, path)
        record = {"text": page["text"], "title": page["title"], "url": page["url"], "source": page["source"]}
        if default_date is None and page["date"]:
            record["date"] = page["date"]
        yield make_document(record, path, None, Path(path).stem, default_date)
    except InputError as err:
        yield err


@readers.register("jsonl")
def read_jsonl(stream: BinaryIO, path: str, default_date: date | None) -> Iterator[Item]:
    """One document per line, read line by line so corpora of any size stream through."""
    stem = Path(path).stem if path != "-" else "stdin"
    seen = 0
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        seen += 1
        try:
            line = decode(raw, path)
        except InputError as err:
            if "binary" in err.message:
                yield InputError(path, "binary data (NUL byte); expected UTF-8 JSON lines - stopped reading",
                                 line=number)
                return
            yield InputError(path, err.message.replace(" at offset", " at line offset"), line=number)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputError(path, f"invalid JSON ({err.msg.removesuffix(' at')} at column {err.colno})", line=number)
            continue
        if not isinstance(record, dict):
            yield InputError(path, f"expected a JSON object, got {type(record).__name__}", line=number)
            continue
        try:
            yield make_document(record, path, number, f"{stem}-{number}", default_date)
        except InputError as err:
            yield err
    if not seen:
        yield InputError(path, "empty file (no JSON lines)")


@readers.register("csv")
def read_csv(stream: BinaryIO, path: str, default_date: date | None) -> Iterator[Item]:
    """A header with a 'text' column, then one document per row."""
    physical = {"line": 0}

    def lines() -> Iterator[str]:  # decoded one line at a time, so errors know their line
        for number, raw in enumerate(stream, start=1):
            physical["line"] = number
            yield raw.decode("utf-8").lstrip("\ufeff") if number == 1 else raw.decode("utf-8")

    csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT_BYTES))  # a long article is one cell
    reader = csv.DictReader(lines())
    try:
        fields = reader.fieldnames
    except UnicodeDecodeError:
        yield InputError(path, "not UTF-8 (convert the file to UTF-8)", line=1)
        return
    except csv.Error as err:
        yield InputError(path, f"malformed CSV header ({err})", line=1)
        return
    if not fields or not set(field_names()["text"]) & {f.strip().lower() for f in fields}:
        yield InputError(path, "CSV needs a header row with a 'text' column", line=1, field="text")
        return
    stem = Path(path).stem
    rows = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError:
            yield InputError(path, "not UTF-8 (convert the file to UTF-8) - stopped reading", line=physical["line"])
            return
        except csv.Error as err:
            yield InputError(path, f"malformed CSV ({err}) - stopped reading", line=reader.line_num)
            return
        rows += 1
        number = reader.line_num
        if "\x00" in "".join(v or "" for v in record.values() if isinstance(v, str)):
            yield InputError(path, "binary data (NUL byte) - stopped reading", line=number)
            return
        record = {(k or "").strip(): v for k, v in record.items()}
        try:
            yield make_document(record, path, number, f"{stem}-{rows}", default_date)
        except InputError as err:
            yield err
    if not rows:
        yield InputError(path, "empty file (header only)")


def sniff(stream: io.BufferedReader) -> str:
    """Format of stdin: JSON lines if it starts with '{', else plain text."""
    return "jsonl" if stream.peek(64).lstrip()[:1] == b"{" else "txt"


def format_of(path: Path, override: str | None) -> str:
    if override:
        return override
    fmt = EXTENSIONS.get(path.suffix.lower())
    return fmt or "txt"


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Paths as given; folders expand to the supported files inside them, sorted."""
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
                           and not f.name.startswith(".") and f.name.lower() != "readme.md")
            yield from (str(f) for f in found)
        else:
            yield p


def _line_of(document: Document, path: str) -> int | None:
    tail = (document.origin or "")[len(path) + 1:]
    return int(tail) if tail.isdigit() else None


def _with_repeated_ids(items: Iterable[Item], path: str) -> Iterator[Item | InputWarning]:
    """The items of one input, with a warning before each document whose id an earlier one of the
    same input already has (both are read: an id is a label, the text and publication are the key)."""
    first: dict[str, int | None] = {}
    for item in items:
        if isinstance(item, Document):
            line = _line_of(item, path)
            if item.id in first:
                yield InputWarning(path, f"id {item.id!r} is used again (first at line {first[item.id]}); "
                                         "both documents are read", line=line, field="id")
            else:
                first[item.id] = line
        yield item


def _one_input(p: str, input_format: str | None, default_date: date | None,
               stdin: BinaryIO | None) -> Iterator[Item]:
    if p == "-":
        raw = stdin or sys.stdin.buffer
        stream = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
        yield from readers.get(input_format or sniff(stream))(stream, p, default_date)
        return
    path = Path(p)
    try:
        if not path.exists():
            yield InputError(p, "no such file or folder")
            return
        if path.stat().st_size == 0:
            yield InputError(p, "empty file")
            return
        with path.open("rb") as stream:
            yield from readers.get(format_of(path, input_format))(stream, p, default_date)
    except OSError as err:
        yield InputError(p, f"cannot read ({err.strerror})")


def read(paths: Iterable[str], default_date: date | None = None, input_format: str | None = None,
         stdin: BinaryIO | None = None, on_warning: Callable[[InputWarning], None] | None = None) -> Iterator[Item]:
    """Every document in the given files, folders or ``-`` (stdin), with errors in line.
    Warnings (an id used twice in one input) go to ``on_warning``, else to :mod:`warnings`."""
    for p in expand(paths):
        for item in _with_repeated_ids(_one_input(p, input_format, default_date, stdin), p):
            if isinstance(item, InputWarning):
                if on_warning is not None:
                    on_warning(item)
                else:
                    warnings.warn(item, stacklevel=2)
                continue
            yield item
