"""Evaluation built in: code a gold file and score it as ``shared/tools/score.py`` does, and more;
article gold (``shared/data/article_gold.jsonl``) is scored as ``shared/tools/score_articles.py`` does.

>>> from redline.eval import evaluate                                  # doctest: +SKIP
>>> report, errors = evaluate("conflibert_test.jsonl")                   # doctest: +SKIP
>>> report["pentaclass"]["macro_f1"]                                     # doctest: +SKIP
0.73
>>> report, errors = evaluate("article_gold.jsonl")                      # doctest: +SKIP
>>> report["groups"]["all"]["recall_quad"]["value"]                      # doctest: +SKIP
0.52
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import IO, Any, Callable, Iterable

from ..ingest import InputError
from ..schema import Document
from .article_metrics import ArticleScorer, score_articles
from .articles import GoldArticle, is_article_gold, read_articles
from .gold import GoldItem, read_gold
from .metrics import Scorer, score, spans_match

__all__ = ["ArticleScorer", "GoldArticle", "GoldItem", "Scorer", "evaluate", "evaluate_articles",
           "is_article_gold", "read_articles", "read_gold", "read_predictions", "score", "score_articles",
           "spans_match"]

Progress = Callable[[int], None]


def read_predictions(path: str | Path) -> dict[str, list[dict]]:
    """Coded events (JSONL, one per line) grouped by ``doc_id``, in file order."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    event = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(str(path), f"malformed JSON ({e.msg})", line=number) from None
                if not isinstance(event, dict):
                    raise InputError(str(path), "expected a JSON object (one event)", line=number)
                by_doc[str(event.get("doc_id"))].append(event)
    return by_doc


def _code(documents: Iterable[Document], coder: Any, save_predictions: IO[str] | None,
          progress: Progress | None) -> dict[str, list[dict]]:
    """Code the documents; their events as JSONL dicts grouped by document id (and saved)."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    documents = list(documents)
    if not documents:
        return by_doc
    if coder is None:
        from ..pipeline import default_coder
        coder = default_coder()
    for done, (document, events) in enumerate(coder.code_documents(documents), 1):
        for e in events:
            d = e.to_dict()
            by_doc[document.id].append(d)
            if save_predictions is not None:
                save_predictions.write(json.dumps(d, ensure_ascii=False) + "\n")
        if progress is not None:
            progress(done)
    return by_doc


def evaluate(gold_path: str | Path, coder: Any = None, predictions: str | Path | None = None,
             save_predictions: IO[str] | None = None,
             progress: Progress | None = None) -> tuple[dict[str, Any], list[InputError]]:
    """Score a gold file: code its items with ``coder`` (default: Redline's), or read the events
    already coded in ``predictions`` (JSONL, ``doc_id`` = gold ``id``). Returns the report and the
    gold lines that could not be read. An article gold file (records with a ``gold`` list) is
    scored by :func:`evaluate_articles`."""
    if is_article_gold(gold_path):
        return evaluate_articles(gold_path, coder, predictions, save_predictions, progress)
    items: list[GoldItem] = []
    errors: list[InputError] = []
    for item in read_gold(gold_path):
        (errors if isinstance(item, InputError) else items).append(item)
    if predictions is not None:
        by_doc = read_predictions(predictions)
    else:
        by_doc = _code((item.document() for item in items if item.text.strip()), coder, save_predictions, progress)
    # items are scored by id, as score.py does: items that share an id share their events
    scorer = Scorer()
    for item in items:
        scorer.add(item, by_doc.get(item.id, []))
    report = scorer.report()
    report["events"] = sum(len(v) for v in by_doc.values())
    return report, errors


def evaluate_articles(gold_path: str | Path, coder: Any = None, predictions: str | Path | None = None,
                      save_predictions: IO[str] | None = None,
                      progress: Progress | None = None) -> tuple[dict[str, Any], list[InputError]]:
    """Score an article gold file: code each article (its text from the record or its
    ``corpus_file``, dated by the record's ``date``), or read the events in ``predictions``, and
    match them with the key events. Returns the report (figures per group, matches per article)
    and the gold lines that could not be read."""
    articles, errors = read_articles(gold_path)
    if predictions is not None:
        by_doc = read_predictions(predictions)
    else:
        by_doc = _code((a.document() for a in articles if (a.text or "").strip()), coder, save_predictions, progress)
    report = score_articles(articles, by_doc)
    ids = {a.id for a in articles}
    report["articles"] = len(articles)
    report["events"] = sum(len(v) for v in by_doc.values())
    report["stray_events"] = sum(len(v) for k, v in by_doc.items() if k not in ids)
    return report, errors
