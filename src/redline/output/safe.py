"""Article text made harmless for what reads Redline's outputs.

Text from articles is the attacker's text: a cell starting with ``=`` runs as a formula when a
CSV is opened in a spreadsheet, and an escape sequence printed raw can rewrite a terminal. Every
CSV-like output neutralises its text cells (``cell``/``cell_sql``, one rule for Python and SQL),
every terminal output goes through ``printable``, and the tab-separated foreign formats
(GDELT, ICEWS, POLECAT) have no tab or line break inside a field (``flat_sql``).
"""
from __future__ import annotations

import re
import unicodedata

# what a spreadsheet reads as the start of a formula (OWASP's list): such a text cell gets a
# leading apostrophe, which spreadsheets show as text and do not evaluate
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def cell(value: object) -> object:
    """A CSV cell that cannot run as a formula: text starting with ``= + - @`` (or a tab or
    carriage return) gets a leading ``'``. Numbers and other non-text values are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_sql(expr: str) -> str:
    """``cell`` as a DuckDB expression over a VARCHAR ``expr``."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)
    return f"CASE WHEN left({expr}, 1) IN ({starts}) THEN '''' || {expr} ELSE {expr} END"


def flat_sql(expr: str) -> str:
    """A DuckDB expression: VARCHAR ``expr`` with every tab and line break turned into a space,
    for tab-separated files read without quoting (as GDELT's are)."""
    return f"regexp_replace({expr}, '[\\t\\n\\r\\x0b\\x0c\\x1c-\\x1e\\x{{85}}\\x{{2028}}\\x{{2029}}]', ' ', 'g')"


def printable(text: object) -> str:
    """``text`` safe to print on a terminal: escape sequences removed, tabs and line breaks made
    spaces, other control and bidirectional-override characters dropped."""
    text = _ESCAPE_SEQUENCE.sub("", str(text))
    out = []
    for ch in text:
        if ch in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
            continue
        else:
            out.append(ch)
    return "".join(out)
