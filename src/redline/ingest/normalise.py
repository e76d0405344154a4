"""Text as the parser should see it, with every character offset unchanged.

A wire dateline ("KYIV, Feb 25 (Reuters) - ") names where the story was filed, not who acted;
the parser would otherwise take the city as the first sentence's subject. It is blanked with
spaces of the same length, so spans computed on the parsed text still index the original.
"""
from __future__ import annotations

import re

DATELINE_TOWN = r"[A-Z][A-Z.'’-]{2,}(?:[ ][A-Z][A-Z.'’-]+){0,3}"  # KYIV, NEW DELHI, UNITED NATIONS
DATELINE = re.compile(
    r"""^(\s*
    (""" + DATELINE_TOWN + r""")                              # the town: group 2
    (?:,[ ]([A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+)?))?         # , Ukraine / , N.Y.: group 3
    (?:,?[ ][A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:,[ ]\d{4})?)?      # , Feb 25 / , March 11, 2023
    (?:[ ]?\([^)\n]{1,40}\))?                                # (Reuters)
    [ ]?[-–—:]+[ ])""", re.VERBOSE)


# a wire story pasted with its headline and byline before the dateline: "AU condemns Somalia attack
# that kills 30 Ding Xiaoxi MOGADISHU, Feb. 29 (Xinhua) -- The African Union on Monday ..."
HEADED_DATELINE = re.compile(
    r"""(?:[ ](?:By[ ])?[A-Z][a-z]+(?:[ ][A-Z][a-z]+){1,2})?    # byline: Ding Xiaoxi, By Jane Doe
    [ ]""" + DATELINE_TOWN + r"""                                          # MOGADISHU, NEW DELHI
    (?:,[ ][A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:,[ ]\d{4})?)            # , Feb. 29
    (?:[ ]?\([^)\n]{1,40}\))?                                    # (Xinhua)
    [ ]?[-–—]+[ ]""", re.VERBOSE)
HEADLINE_REACH = 300  # a headline and byline are this long at most


def dateline_town(text: str) -> tuple[int, int] | None:
    """The characters of the town of a wire dateline at the start of ``text`` ("KYIV" of "KYIV,
    March 3 (Reuters) -"), or None."""
    m = DATELINE.match(text)
    return m.span(2) if m else None


def mask_dateline(text: str) -> str:
    """``text`` with its dateline (and a byline right before it) replaced by spaces (same length).

    A dateline at the start is blanked; one after a headline is blanked with its byline, and the
    blank then separates the headline from the lead (the parser starts a sentence after a long
    blank: see ``redline.nlp``), so a headline word is never read as part of the lead."""
    m = DATELINE.match(text)
    if m:
        return " " * len(m.group(1)) + text[m.end(1):]
    m = HEADED_DATELINE.search(text[:HEADLINE_REACH])
    if m and m.start() > 0 and "." not in text[:m.start()].rstrip(".")[:-1]:
        return text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text
