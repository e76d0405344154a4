"""The "when" stage: date expressions in news sentences resolved against the publication date.

``resolve(expression, published)`` turns one expression ("On March 19", "late February",
"last week", "Tuesday night") into a :class:`ResolvedDate` (start, end, precision) or None;
``sentence_date(sent, published, anchor)`` picks, among a parsed sentence's DATE and TIME
entities, the one nearest the event's predicate and resolves it.

Conventions (details in :mod:`redline.when.expressions`):

* news reports the past: bare weekdays, months and month-days go back from the publication
  date (a month-day may be at most one day after it); "tomorrow", "next ...", "this coming
  ...", "later this ..." point forward;
* weeks run Monday-Sunday and are precision "day" with a seven-day window; weekends are
  Saturday-Sunday windows;
* sub-month windows ("late February" = 21st to the month's end, "early March" = 1st-10th,
  "mid-February" = 11th-20th) have precision "month"; sub-year windows ("early 2023", seasons,
  quarters, "earlier this year") have precision "year";
* without a publication date only expressions that carry their own year resolve.
"""
from .expressions import ResolvedDate, resolve
from .sentence import DATE_LABELS, sentence_date

__all__ = ["ResolvedDate", "resolve", "sentence_date", "DATE_LABELS"]
