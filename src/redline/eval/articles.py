"""Article gold files: whole news articles with their key events, validated with file/line/field errors.

One article per JSON line (the format of ``shared/data/article_gold.jsonl``; conventions in
``shared/data/article_panel.md``)::

    {"id": "guardian-3", "corpus_file": "guardian_articles.jsonl", "date": "2019-04-10",
     "gold": [{"source": "IRQGOV", "target": "USAGOV", "cameo_root": "04", "cameo": "046",
               "date": null, "modality": "factual", "reported_by": null, "symmetric": true}]}

The text is the record's own ``text``, else the document with the same ``id`` in ``corpus_file``
(a JSONL file in the gold file's folder). A gold event may list other acceptable readings in
``source_alt``, ``target_alt`` (``null`` allowed), ``root_alt`` and ``modality_alt``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from ..ingest import InputError, parse_publication_date
from ..schema import Document
from .gold import MODALITIES, checked_lines

ROOTS = frozenset(f"{i:02d}" for i in range(1, 21))
GOLD_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?$")
# how many records are looked at to tell an article gold file from a sentence gold file
SNIFF_RECORDS = 50

Bad = Callable[[str, str], InputError]  # (field, problem) -> the error for the current line


@dataclass
class GoldArticle:
    """One article of an article gold file and its key events."""

    id: str
    gold: list[dict[str, Any]]
    published: date | None = None
    text: str | None = None
    corpus_file: str | None = None
    group: str = "other"
    topic: str = ""
    line: int = 0

    def document(self) -> Document:
        return Document(id=self.id, text=self.text or "", date=self.published)


def is_article_gold(path: str | Path) -> bool:
    """True when the file's records carry a ``gold`` field (article gold), not sentence labels."""
    seen = 0
    with open(path, "rb") as f:
        for data in f:
            try:
                record = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(record, dict):
                if "gold" in record:
                    return True
                seen += 1
                if seen >= SNIFF_RECORDS:
                    break
    return False


def group_of(record: dict[str, Any]) -> str:
    """The record's ``group``, else the stem of its ``corpus_file``, else ``other``."""
    if record.get("group"):
        return str(record["group"])
    if record.get("corpus_file"):
        return Path(str(record["corpus_file"])).stem
    return "other"


def _codes(value: Any, name: str, bad: Bad) -> None:
    if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
        raise bad(name, "must be a list of actor codes (null allowed)")


def _check_event(event: Any, k: int, bad: Bad) -> dict[str, Any]:
    name = f"gold[{k}]"
    if not isinstance(event, dict):
        raise bad(name, "must be an object")
    for role in ("source", "target", "reported_by"):
        if event.get(role) is not None and not isinstance(event[role], str):
            raise bad(f"{name}.{role}", f"must be an actor code or null, got {event[role]!r}")
    for role in ("source_alt", "target_alt"):
        if event.get(role) is not None:
            _codes(event[role], f"{name}.{role}", bad)
    if event.get("cameo_root") not in ROOTS:
        raise bad(f"{name}.cameo_root", f"must be a CAMEO root 01-20, got {event.get('cameo_root')!r}")
    alt = event.get("root_alt")
    if alt is not None and (not isinstance(alt, list) or any(r not in ROOTS for r in alt)):
        raise bad(f"{name}.root_alt", f"must be a list of CAMEO roots 01-20, got {alt!r}")
    if event.get("modality") not in MODALITIES:
        raise bad(f"{name}.modality", f"must be one of {', '.join(MODALITIES)}, got {event.get('modality')!r}")
    alt = event.get("modality_alt")
    if alt is not None and (not isinstance(alt, list) or any(m not in MODALITIES for m in alt)):
        raise bad(f"{name}.modality_alt", f"must be a list of modalities, got {alt!r}")
    when = event.get("date")
    if when is not None and not (isinstance(when, str) and GOLD_DATE.match(when)):
        raise bad(f"{name}.date", f"must be YYYY-MM-DD, YYYY-MM, YYYY or null, got {when!r}")
    if not isinstance(event.get("symmetric", False), bool):
        raise bad(f"{name}.symmetric", "must be true or false")
    return event


def _check(record: Any, where: str, line: int) -> GoldArticle:
    def bad(name: str, problem: str) -> InputError:
        return InputError(where, problem, line=line, field=name)

    if not isinstance(record, dict):
        raise InputError(where, "expected a JSON object", line=line)
    if record.get("id") in (None, ""):
        raise bad("id", "missing")
    if not isinstance(record.get("gold"), list):
        raise bad("gold", "must be a list of events (an empty list is allowed)")
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise bad("text", "must be a string")
    corpus = record.get("corpus_file")
    if text is None and not (isinstance(corpus, str) and corpus.strip()):
        raise bad("corpus_file", "missing: an article needs its own \"text\" or a \"corpus_file\" that holds it")
    published = None
    if record.get("date"):
        try:
            published = parse_publication_date(record["date"])
        except ValueError as e:
            raise bad("date", str(e)) from None
    gold = [_check_event(e, k, bad) for k, e in enumerate(record["gold"])]
    return GoldArticle(str(record["id"]), gold, published, text, corpus if text is None else None,
                       group_of(record), str(record.get("topic") or ""), line)


def _records(path: str | Path) -> Iterable[GoldArticle | InputError]:
    return checked_lines(path, _check)


def _corpus_texts(path: Path, ids: set[str]) -> dict[str, str]:
    """The texts of the documents with these ids in a JSONL corpus (unreadable lines skipped)."""
    found: dict[str, str] = {}
    with open(path, "rb") as f:
        for data in f:
            if not data.strip():
                continue
            try:
                doc = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(doc, dict) and str(doc.get("id")) in ids and isinstance(doc.get("text"), str):
                found[str(doc["id"])] = doc["text"]
                if len(found) == len(ids):
                    break
    return found


def read_articles(path: str | Path) -> tuple[list[GoldArticle], list[InputError]]:
    """The articles of an article gold file with their texts, and the lines that could not be
    read (a bad line, a missing corpus file or document is an error; the rest is still read)."""
    articles: list[GoldArticle] = []
    errors: list[InputError] = []
    for item in _records(path):
        (errors if isinstance(item, InputError) else articles).append(item)
    where, base = str(path), Path(path).resolve().parent
    wanted: dict[str, list[GoldArticle]] = {}
    for a in articles:
        if a.text is None:
            wanted.setdefault(a.corpus_file or "", []).append(a)
    missing: set[int] = set()
    for name, refs in wanted.items():
        corpus = base / name
        if not corpus.is_file():
            errors.append(InputError(where, f"{name} not found next to the gold file ({corpus}); "
                                            f"{len(refs)} article(s) refer to it", line=refs[0].line,
                                     field="corpus_file"))
            missing.update(id(a) for a in refs)
            continue
        texts = _corpus_texts(corpus, {a.id for a in refs})
        for a in refs:
            if a.id in texts:
                a.text = texts[a.id]
            else:
                errors.append(InputError(where, f"no document with this id in {corpus}", line=a.line, field="id"))
                missing.add(id(a))
    errors.sort(key=lambda e: e.line or 0)
    return [a for a in articles if id(a) not in missing], errors
