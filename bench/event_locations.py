"""Event-location linking on ../shared/data/event_locations.jsonl: is the event placed where the text says?

    python bench/event_locations.py [--sample N] [--show-errors N] [--json OUT]

Each item is one sentence with an event verb span and the span(s) of the place where that event
happened. The sentence is coded by the real coder (``redline.pipeline.Coder``); the event whose
trigger overlaps the gold verb span is the one scored (the first such event with a location, if
any has one). A prediction is correct when its location's character span (``location.start``/
``location.end``) overlaps a gold location span.

Two definitions, reported side by side:

* **strict** (the event on the gold verb): recall = sentences whose event carries a correct
  place / sentences scored; precision = sentences whose event carries a correct place /
  sentences whose event carries a place;
* **any event** (the issue's baseline: "coded events in 260, put a location on an event in 39,
  the gold place in 35: recall 0.11"): recall = sentences where any coded event carries a
  correct place / sentences scored; precision = sentences where the placed events' places all
  match a gold place / sentences with any placed event;

and for the strict one:
* how many sentences have no event on the gold verb but another event (the coder took another
  trigger, or the verb is no event in its lexicon), and in how many of those another event is
  placed at the gold place (a ceiling note, not part of recall);
* per ``location.source`` (clause, sentence, dateline, article): places given and correct.

Gold spans: most are character offsets, but 1,141 location spans (216 of them in the relabelled
set) are spaCy token indices with an inclusive end (``{"text": "", "start": 8, "end": 8}`` for
"Rome" as the 9th token); a span whose characters are not a whole word (empty, cut inside a word)
is read as token indices over the tokenizer's tokens of the text (``_gold_span``).

Two sets: the 332 gold-relabelled sentences (the target) and all sentences with a location
(5,836; ``--sample N`` takes a deterministic sample of N of them, by a hash of the id).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "data" / "event_locations.jsonl"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _key(item: dict) -> str:
    return hashlib.sha256(str(item["id"]).encode("utf-8")).hexdigest()


def _trigger_span(event, tokens) -> tuple[int, int] | None:
    """The trigger's character span: its token index in the (tokenizer-only) parse of the text."""
    index, _, word = event.trigger.partition(":")
    try:
        tok = tokens[int(index)]
    except (ValueError, IndexError):
        return None
    if tok.text != word:
        return None
    return tok.idx, tok.idx + len(tok.text)


def _gold_span(text: str, g: dict, tokens) -> tuple[int, int]:
    """A gold span as characters: as given when it covers whole words, else as token indices."""
    s, e = g["start"], g["end"]
    piece = text[s:e]
    whole = bool(piece.strip()) and piece == piece.strip() and any(c.isalpha() for c in piece) \
        and not (s > 0 and text[s - 1].isalnum()) and not (e < len(text) and text[e].isalnum())
    if whole or not 0 <= s <= e < len(tokens):
        return s, e
    return tokens[s].idx, tokens[e].idx + len(tokens[e].text)


def score(coder, items: list[dict], show_errors: int = 0) -> dict:
    """Code ``items`` and score their events' locations (see the module docstring)."""
    from redline.ingest.normalise import mask_dateline
    from redline.schema import Document

    docs = [Document(id=str(i), text=item["text"]) for i, item in enumerate(items)]
    n = coded = placed = correct = other = other_ok = 0
    any_coded = any_placed = any_hit = any_clean = 0
    by_source: Counter = Counter()
    by_source_ok: Counter = Counter()
    errors: list[str] = []
    for document, events in coder.code_documents(docs):
        item = items[int(document.id)]
        tokens = coder.nlp.make_doc(mask_dateline(item["text"]))
        verbs = [(v["start"], v["end"]) for v in item["verb"]]
        golds = [_gold_span(item["text"], g, coder.nlp.make_doc(item["text"])) for g in item["event_locations"]]
        n += 1
        spans = [(e.location["start"], e.location["end"]) for e in events
                 if e.location and e.location.get("start") is not None]
        any_coded += bool(events)
        if spans:
            any_placed += 1
            hits = [any(_overlaps(s, g) for g in golds) for s in spans]
            any_hit += any(hits)
            any_clean += all(hits)
        mine = [e for e in events if (span := _trigger_span(e, tokens)) and any(_overlaps(span, v) for v in verbs)]
        if mine:
            coded += 1
        elif events:
            other += 1
            if any(e.location and e.location.get("start") is not None
                   and any(_overlaps((e.location["start"], e.location["end"]), g) for g in golds) for e in events):
                other_ok += 1
        with_place = [e for e in mine if e.location and e.location.get("start") is not None]
        if not with_place:
            if len(errors) < show_errors:
                errors.append(f"MISS {'(no event) ' if not mine else ''}{item['text']!r} want "
                              f"{[item['text'][a:b] for a, b in golds]}")
            continue
        loc = with_place[0].location
        placed += 1
        src = loc.get("source") or "?"
        by_source[src] += 1
        if any(_overlaps((loc["start"], loc["end"]), g) for g in golds):
            correct += 1
            by_source_ok[src] += 1
        elif len(errors) < show_errors:
            errors.append(f"WRONG {item['text']!r} got {loc['name']!r} ({src}) want "
                          f"{[item['text'][a:b] for a, b in golds]}")
    return {
        "sentences": n, "event_coded": coded, "other_event_only": other, "other_event_at_gold_place": other_ok, "placed": placed, "correct": correct,
        "recall": correct / n if n else 0.0, "precision": correct / placed if placed else 0.0,
        "any_event": {"event_coded": any_coded, "placed": any_placed, "correct": any_hit, "all_correct": any_clean,
                      "recall": any_hit / n if n else 0.0,
                      "precision": any_clean / any_placed if any_placed else 0.0},
        "by_source": {s: {"placed": by_source[s], "correct": by_source_ok[s]} for s in sorted(by_source)},
        "errors": errors,
    }


def _print(name: str, r: dict, seconds: float) -> None:
    a = r["any_event"]
    print(f"{name}: {r['sentences']} sentences ({seconds:.0f} s)")
    print(f"    strict (event on the gold verb): coded {r['event_coded']}, placed {r['placed']}, "
          f"correct {r['correct']}: recall {r['recall']:.3f} precision {r['precision']:.3f} "
          f"(recall where the event is coded {r['correct'] / r['event_coded'] if r['event_coded'] else 0:.3f})")
    print(f"    any event (the issue's):         coded {a['event_coded']}, placed {a['placed']}, "
          f"at the gold place {a['correct']}, all places gold {a['all_correct']}: "
          f"recall {a['recall']:.3f} precision {a['precision']:.3f}")
    print(f"    the gold verb not coded but another event of the sentence is in {r['other_event_only']}; "
          f"one of those is placed at the gold place in {r['other_event_at_gold_place']}")
    for s, c in r["by_source"].items():
        print(f"    source {s:9s} placed {c['placed']:5d} correct {c['correct']:5d} "
              f"precision {c['correct'] / c['placed'] if c['placed'] else 0:.3f}")
    for e in r["errors"]:
        print("    " + e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=0, help="score a deterministic sample of N of all sentences")
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--relabelled-only", action="store_true", help="score only the gold-relabelled set")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from redline.pipeline import Coder

    items = [json.loads(line) for line in GOLD.open(encoding="utf-8") if line.strip()]
    located = [i for i in items if i["event_locations"] and i["verb"]]
    relabelled = [i for i in located if i.get("gold_relabel")]
    coder = Coder()
    out = {}
    t = time.perf_counter()
    out["relabelled"] = score(coder, relabelled, args.show_errors)
    _print("gold-relabelled", out["relabelled"], time.perf_counter() - t)
    if not args.relabelled_only:
        everything = sorted(located, key=_key)[:args.sample] if args.sample else located
        name = f"all with a location (sample of {len(everything)} of {len(located)})" if args.sample \
            else "all with a location"
        t = time.perf_counter()
        out["all"] = score(coder, everything, args.show_errors)
        _print(name, out["all"], time.perf_counter() - t)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
