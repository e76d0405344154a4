"""Numbers an event reports: troops, casualties, prisoners ("roughly two thousand personnel")."""
from __future__ import annotations

import re

from spacy.tokens import Token

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
         "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}
_NUMERIC = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.\d+)?$")


def parse_number(words: list[str]) -> float | None:
    """'two thousand' -> 2000, '1,200' -> 1200, '2.5 million' -> 2500000; None if not a number."""
    total, current, seen = 0.0, 0.0, False
    for w in (w.lower().replace("-", " ") for w in words):
        for part in w.split():
            if _NUMERIC.match(part):
                current += float(part.replace(",", ""))
            elif part in UNITS:
                current += UNITS[part]
            elif part in SCALES:
                scale = SCALES[part]
                current = (current or 1) * scale
                if scale >= 1000:
                    total, current = total + current, 0.0
            elif part in ("and",):
                continue
            else:
                return None
            seen = True
    if not seen:
        return None
    value = total + current
    return int(value) if value == int(value) else value


def numbers_of(noun: Token) -> list[dict]:
    """Numeric modifiers of ``noun`` (its ``nummod`` tokens and their compounds)."""
    out = []
    for child in noun.children:
        if child.dep_ != "nummod" or child.like_num is False and child.lower_ not in SCALES:
            continue
        words = [t.text for t in child.subtree if t.dep_ in ("compound", "nummod", "quantmod") or t.i == child.i
                 if t.like_num or t.lower_ in SCALES or t.lower_ in UNITS]
        value = parse_number(words)
        if value is not None and value != 0:
            out.append({"value": value, "of": noun.lemma_.lower()})
    return out
