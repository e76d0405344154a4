"""Build ``bench/data/linker_train.jsonl`` from the hand-written marked-up sentences.

    python tools/linker_data.py [--check]

The source files ``bench/data/linker/*.txt`` hold one sentence a line, written for this project
(never taken from the shared evaluation data): the event verb in ``<<...>>``, the event's place(s)
in ``[[...]]`` (none when the event has no place in the sentence); ``#`` starts a comment line.
Each output line is ``{"id", "text", "verb": {"start", "end", "text"}, "places": [{"start",
"end", "text"}, ...]}`` with character offsets into the unmarked text; every span is checked to
be the marked word.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "bench" / "data" / "linker"
OUT = ROOT / "bench" / "data" / "linker_train.jsonl"
MARK = re.compile(r"<<(.+?)>>|\[\[(.+?)\]\]")


def parse_line(line: str) -> dict:
    """One marked-up sentence as text, verb span and place spans; ValueError if malformed."""
    text, verbs, places, pos = [], [], [], 0
    out_len = 0
    for m in MARK.finditer(line):
        plain = line[pos:m.start()]
        text.append(plain)
        out_len += len(plain)
        word = m.group(1) or m.group(2)
        span = {"start": out_len, "end": out_len + len(word), "text": word}
        (verbs if m.group(1) else places).append(span)
        text.append(word)
        out_len += len(word)
        pos = m.end()
    text.append(line[pos:])
    joined = "".join(text)
    if len(verbs) != 1:
        raise ValueError(f"expected one <<verb>>, got {len(verbs)}: {line!r}")
    if any(c in joined for c in "<>[]"):
        raise ValueError(f"stray markup: {line!r}")
    for s in verbs + places:
        if joined[s["start"]:s["end"]] != s["text"]:
            raise ValueError(f"span mismatch {s}: {line!r}")
    return {"text": joined, "verb": verbs[0], "places": places}


def read_sources(folder: Path = SOURCES) -> list[dict]:
    """All marked-up sentences of ``folder`` (sorted by file name), with ids ``file:line``."""
    items = []
    for path in sorted(folder.glob("*.txt")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            item = parse_line(line)
            items.append({"id": f"{path.stem}:{n}", **item})
    return items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check the sources, write nothing")
    args = ap.parse_args()
    items = read_sources()
    texts = [(i["text"], i["verb"]["start"]) for i in items]
    dup = len(texts) - len(set(texts))
    if dup:
        print(f"warning: {dup} duplicate sentences", file=sys.stderr)
    if not args.check:
        with OUT.open("w", encoding="utf-8") as f:
            for item in items:
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
    none = sum(1 for i in items if not i["places"])
    multi = sum(1 for i in items if len(i["places"]) > 1)
    print(f"{len(items)} sentences ({none} without a place, {multi} with several gold places)"
          + ("" if args.check else f" -> {OUT.relative_to(ROOT)}"))


if __name__ == "__main__":
    main()
