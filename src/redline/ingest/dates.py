"""Publication dates as given in corpora: ISO dates, ISO timestamps, compact YYYYMMDD."""
from __future__ import annotations

import re
from datetime import date, datetime

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_publication_date(value: object) -> date:
    """Parse a publication date or raise ValueError saying what was expected."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = _COMPACT.match(text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a date (expected YYYY-MM-DD)") from None
