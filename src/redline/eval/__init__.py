"""Evaluation built in: code a gold file and score it as ``shared/tools/score.py`` does, and more.

>>> from redline.eval import evaluate                                  # doctest: +SKIP
>>> report, errors = evaluate("conflibert_test.jsonl")                   # doctest: +SKIP
>>> report["pentaclass"]["macro_f1"]                                     # doctest: +SKIP
0.73
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import IO, Any, Callable

from ..ingest import InputError
from .gold import GoldItem, read_gold
from .metrics import Scorer, score, spans_match

__all__ = ["GoldItem", "Scorer", "evaluate", "read_gold", "score", "spans_match"]


def evaluate(gold_path: str | Path, coder: Any = None, predictions: str | Path | None = None,
             save_predictions: IO[str] | None = None,
             progress: Callable[[int], None] | None = None) -> tuple[dict[str, Any], list[InputError]]:
    """Score a gold file: code its items with ``coder`` (default: Redline's), or read the events
    already coded in ``predictions`` (JSONL, ``doc_id`` = gold ``id``). Returns the report and the
    gold lines that could not be read."""
    items: list[GoldItem] = []
    errors: list[InputError] = []
    for item in read_gold(gold_path):
        (errors if isinstance(item, InputError) else items).append(item)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    if predictions is not None:
        with open(predictions, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        event = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise InputError(str(predictions), f"malformed JSON ({e.msg})", line=number) from None
                    by_doc[str(event.get("doc_id"))].append(event)
    else:
        if coder is None:
            from ..pipeline import default_coder
            coder = default_coder()
        codable = (item.document() for item in items if item.text.strip())
        for done, (document, events) in enumerate(coder.code_documents(codable), 1):
            for e in events:
                d = e.to_dict()
                by_doc[document.id].append(d)
                if save_predictions is not None:
                    save_predictions.write(json.dumps(d, ensure_ascii=False) + "\n")
            if progress is not None:
                progress(done)
    # items are scored by id, as score.py does: items that share an id share their events
    scorer = Scorer()
    for item in items:
        scorer.add(item, by_doc.get(item.id, []))
    report = scorer.report()
    report["events"] = sum(len(v) for v in by_doc.values())
    return report, errors
