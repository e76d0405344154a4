"""Text as the parser should see it, with every character offset unchanged.

A wire dateline ("KYIV, Feb 25 (Reuters) - ") names where the story was filed, not who acted;
the parser would otherwise take the city as the first sentence's subject. It is blanked with
spaces of the same length, so spans computed on the parsed text still index the original.
"""
from __future__ import annotations

import re

DATELINE = re.compile(
    r"""^(\s*
    [A-Z][A-Z.'’-]{2,}(?:[ ][A-Z][A-Z.'’-]+){0,3}            # KYIV, NEW DELHI, UNITED NATIONS
    (?:,[ ][A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+)?)?           # , Ukraine / , N.Y.
    (?:,?[ ][A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:,[ ]\d{4})?)?      # , Feb 25 / , March 11, 2023
    (?:[ ]?\([^)\n]{1,40}\))?                                # (Reuters)
    [ ]?[-–—:]+[ ])""", re.VERBOSE)


def mask_dateline(text: str) -> str:
    """``text`` with a leading dateline replaced by spaces (same length)."""
    m = DATELINE.match(text)
    if not m:
        return text
    return " " * len(m.group(1)) + text[m.end(1):]
