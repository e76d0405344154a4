"""Resolve one date expression against an article's publication date.

``resolve("late February", date(2024, 3, 21))`` gives the window 2024-02-21..2024-02-29 with
precision "month". The common shapes of news dates are read by the regular expressions below,
with word tables (month and weekday names, vague parts such as "late" or "the end of") in
``data/vague.yaml``; dateparser is only asked about what those patterns leave over and that
still names a month, and its answers are checked before they are used.

Choices (see also the package docstring):

* Past first. News mostly reports what happened, so a bare weekday is the most recent such day
  (the publication day itself included: "on Thursday" in a Thursday paper is that day), a bare
  month is the most recent such month (the current one included), and a month-day without a
  year is the most recent such date not after the publication date + 1 day. Only words that
  point forward give future dates: "tomorrow", "next Friday" (the first Friday after the
  publication day), "next week/month/year", "this coming ...", "later this ...".
* Weeks are Monday-Sunday. "last week", "this week", "next week" have precision "day" with a
  seven-day window (``date`` = the Monday, ``end`` = the Sunday); weekends are Saturday-Sunday
  windows of precision "day"; "a week ago" is the single day seven days back.
* Windows narrower than their unit keep the unit as precision: "late February" is precision
  "month" (2024-02-21..2024-02-29), "early 2023", a season or a quarter are precision "year".
* Durations, ages, decades and anaphoric expressions ("three years", "the past 24 hours",
  "50-year-old", "the 1990s", "the day before", "two days later") give None.
* Slashed dates are read only when they cannot be misread: day first when the first number is
  over 12, month first when the second is, and either when both are the same.
* Day ranges ("March 5-7", "February 28 and March 1") are precision "day" windows.
* "may" and "march" written in lower case are the verbs, unless a day or year number stands
  beside them ("march 15" in an all-lower-case source is a date); "May" alone is the month.
* Leading prepositions are dropped ("on", "in", "since", "until", "before", ...): the result
  is the date the expression names; how the event relates to it is the caller's business.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data_yaml import parse_data_yaml


__all__ = ["ResolvedDate", "resolve"]

_DATA_FILE = Path(__file__).resolve().parent / "data" / "vague.yaml"


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression resolved to a calendar period.

    ``date`` is the first day of the period meant and ``end`` its last day (the same day for a
    single day). ``precision`` is "day", "month" or "year": the unit the period lies within
    (week windows count as "day", sub-month windows as "month", sub-year windows as "year").
    ``text`` is the expression as it was written.
    """

    date: _dt.date
    precision: str
    text: str
    end: _dt.date

    def iso(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True)
class _Period:
    start: _dt.date
    end: _dt.date
    precision: str
    unit: str  # day | week | weekend | month | year | season | quarter | window


def _load_tables() -> dict:
    with open(_DATA_FILE, encoding="utf-8") as fh:
        return parse_data_yaml(fh.read())


_T = _load_tables()
_MONTHS: dict[str, int] = {str(k): int(v) for k, v in _T["months"].items()}
_WEEKDAYS: dict[str, int] = {str(k): int(v) for k, v in _T["weekdays"].items()}
_WEEKDAY_ABBR: dict[str, int] = {str(k): int(v) for k, v in _T["weekday_abbreviations"].items()}
_NUMBERS: dict[str, int] = {str(k): int(v) for k, v in _T["numbers"].items()}
_MONTH_PARTS: dict[str, tuple] = {str(k): tuple(v) for k, v in _T["month_parts"].items()}
_YEAR_PARTS: dict[str, tuple] = {str(k): tuple(v) for k, v in _T["year_parts"].items()}
_WEEK_PARTS: dict[str, tuple] = {str(k): tuple(v) for k, v in _T["week_parts"].items()}
_SEASONS: dict[str, int] = {str(k): int(v) for k, v in _T["seasons"].items()}
_QUARTERS: dict[str, int] = {str(k): int(v) for k, v in _T["quarters"].items()}
_HOLIDAYS: dict[str, tuple] = {str(k): tuple(v) for k, v in _T["holidays"].items()}

_MIN_YEAR, _MAX_YEAR = 1000, 2999


def _alt(words) -> str:
    """A regex alternation of words, longest first, spaces matching one space."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_M = rf"(?P<m>{_alt(_MONTHS)})\.?"
_WD = rf"(?:(?P<wd>{_alt(_WEEKDAYS)})|(?P<wda>{_alt(_WEEKDAY_ABBR)})\.)"
_DAYNUM = r"(?:st|nd|rd|th)?"
_NUM = rf"(?P<n>\d{{1,4}}|{_alt(_NUMBERS)})"
_PARTS_KEYS = set(_MONTH_PARTS) | set(_YEAR_PARTS) | set(_WEEK_PARTS)

# --- normalisation -------------------------------------------------------------------------
_TRANSLATE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-",
                            "\u2011": "-", "\u2010": "-", "\u00a0": " ", "\u202f": " "})
# "may" and "march" in lower case are the verbs, unless a day or year number stands beside
# them ("march 15", "15th of may", "may 2002": some sources write everything in lower case).
_LOWER_MONTH_VERB = re.compile(r"\b(?:may|march)\b")
_NUMBER_AFTER = re.compile(r"\.? \d")
_NUMBER_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?(?: of)? $")


def _verb_lookalike(s: str) -> bool:
    for m in _LOWER_MONTH_VERB.finditer(s):
        if not (_NUMBER_AFTER.match(s, m.end()) or _NUMBER_BEFORE.search(s[:m.start()])):
            return True
    return False


_CLOCK = re.compile(
    r"(?:\b(?:at|around|about|by|shortly before|shortly after|just before|just after|before|after)\s+)?"
    r"(?:\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\b\.?|p\.?m\b\.?)|\b\d{1,2}:\d{2}\b|\b\d{3,4}\s*(?:gmt|utc|hrs)\b"
    r"|\bnoon\b|\bmidnight\b|\bmidday\b|\bdawn\b|\bdusk\b|\bdaybreak\b|\bsunrise\b|\bsunset\b)"
    r"(?:\s+(?:local time|gmt|utc|est|edt|cet|cest|bst|msk|ist|pst|pdt|et|pt|jst)\b)?"
    r"(?:\s+(?:on|of)\b)?")
_LEAD = re.compile(
    r"^(?:on|in|at|during|around|about|of|as of|since|from|by|circa|sometime in|some time in|"
    r"sometime on|sometime|as early as|as late as|toward|towards|over|through|throughout|"
    r"until|till|before|after|shortly before|shortly after|just before|just after|within|"
    r"between|starting|beginning on|dated|effective|only|just|even|as recently as|"
    r"as far back as|as long ago as|back in|back on)\s+")
_TRAIL = re.compile(r"\s+(?:on|of|at|in|and|or|but|-)$")
_SPACES = re.compile(r"\s+")
_MID_HYPHEN = re.compile(r"\bmid-")
_MIDWEEK = re.compile(r"^(?:the\s+)?mid-?week$")


def _normalise(expression: str) -> str | None:
    s = expression.strip().translate(_TRANSLATE)
    if not s or _verb_lookalike(s):
        return None
    s = s.lower()
    s = _CLOCK.sub(" ", s)
    s = s.replace(",", " ")
    s = _SPACES.sub(" ", s).strip(" .;:!?()[]\"")
    if s.endswith("'s"):
        s = s[:-2]
    s = _MID_HYPHEN.sub("mid ", s)
    s = _MIDWEEK.sub("the middle of the week", s)
    prev = None
    while prev != s:
        prev = s
        s = _LEAD.sub("", s)
        s = _TRAIL.sub("", s)
    return s or None


# --- date arithmetic -----------------------------------------------------------------------
def _month_end(y: int, m: int) -> _dt.date:
    return _dt.date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    if not (_MIN_YEAR <= y <= _MAX_YEAR):
        return None
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _day(d: _dt.date | None) -> _Period | None:
    return None if d is None else _Period(d, d, "day", "day")


def _month(y: int, m: int) -> _Period | None:
    if not (_MIN_YEAR <= y <= _MAX_YEAR) or not 1 <= m <= 12:
        return None
    return _Period(_dt.date(y, m, 1), _month_end(y, m), "month", "month")


def _year(y: int) -> _Period | None:
    if not (_MIN_YEAR <= y <= _MAX_YEAR):
        return None
    return _Period(_dt.date(y, 1, 1), _dt.date(y, 12, 31), "year", "year")


def _week(monday: _dt.date) -> _Period:
    return _Period(monday, monday + _dt.timedelta(days=6), "day", "week")


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def _recent_month_day(m: int, d: int, pub: _dt.date) -> _dt.date | None:
    """The most recent m/d not after pub + 1 day (Feb 29 looks back to a leap year)."""
    if not 1 <= m <= 12 or not 1 <= d <= 31:
        return None
    limit = pub + _dt.timedelta(days=1)
    for y in range(limit.year, limit.year - 9, -1):
        cand = _safe_date(y, m, d)
        if cand is not None and cand <= limit:
            return cand
    return None


def _recent_month(m: int, pub: _dt.date) -> _Period | None:
    """The most recent month m whose first day is not after pub (the current month counts)."""
    return _month(pub.year if m <= pub.month else pub.year - 1, m)


def _int(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _wd(match: re.Match) -> int:
    if match.group("wd"):
        return _WEEKDAYS[match.group("wd")]
    return _WEEKDAY_ABBR[match.group("wda")]


def _year_of(text: str | None) -> int | None:
    return int(text) if text else None


# --- patterns ------------------------------------------------------------------------------
_RE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RE_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_RE_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_RE_YM = re.compile(r"^(\d{4})-(\d{2})$")
_RE_YEAR = re.compile(r"^(?:the\s+)?(?:year\s+)?(\d{4})$")
_RE_MDY = re.compile(
    rf"^(?:{_WD}\s+)?(?:the\s+)?{_M}\s+(?:the\s+)?(?P<d>\d{{1,2}}){_DAYNUM}"
    rf"(?:\s*(?:-|to|and|through)\s*(?P<d2>\d{{1,2}}){_DAYNUM})?(?:\s+(?P<y>\d{{4}}))?$")
_RE_DMY = re.compile(
    rf"^(?:{_WD}\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){_DAYNUM}"
    rf"(?:\s*(?:-|to|and|through)\s*(?P<d2>\d{{1,2}}){_DAYNUM})?\s+(?:of\s+)?{_M}(?:\s+(?P<y>\d{{4}}))?$")
_M1, _M2 = _M.replace("?P<m>", "?P<m1>"), _M.replace("?P<m>", "?P<m2>")
_RANGE_SEP = r"\s*(?:-|to|and|through|until)\s*"
_RE_CROSS_MONTH = re.compile(  # "February 28 and March 1"
    rf"^{_M1}\s+(?P<d1>\d{{1,2}}){_DAYNUM}{_RANGE_SEP}{_M2}\s+(?P<d2>\d{{1,2}}){_DAYNUM}"
    rf"(?:\s+(?P<y>\d{{4}}))?$")
_RE_CROSS_MONTH_DM = re.compile(  # "28 February - 1 March 2024"
    rf"^(?P<d1>\d{{1,2}}){_DAYNUM}\s+{_M1}{_RANGE_SEP}(?P<d2>\d{{1,2}}){_DAYNUM}\s+{_M2}"
    rf"(?:\s+(?P<y>\d{{4}}))?$")
_RE_MY = re.compile(rf"^(?:the\s+)?(?:month\s+of\s+)?{_M}(?:\s+(?:of\s+)?(?P<y>\d{{4}}))?$")
_RE_REL_MONTH = re.compile(rf"^(?P<rel>last|this|next|this past|this coming)\s+{_M}$")
_RE_REL_YEAR_SUFFIX = re.compile(r"^(?P<core>.+?)\s+(?:of\s+)?(?P<rel>last|this|next)\s+year$")
_RE_HOLIDAY = re.compile(
    rf"^(?:(?P<rel>last|this|next)\s+)?(?P<h>{_alt(_HOLIDAYS)})(?:\s+(?P<y>\d{{4}}))?$")
_SIMPLE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "today's": 0, "yesterday": -1, "last night": -1, "last evening": -1,
    "the day before yesterday": -2, "tomorrow": 1, "the day after tomorrow": 2,
}
_RE_WEEKDAY = re.compile(
    rf"^(?:(?P<rel>last|this|next|this past|this coming|coming|past)\s+)?{_WD}$")
_RE_WEEKDAY_OF_WEEK = re.compile(rf"^{_WD}\s+(?:of\s+)?(?P<rel>last|this|next)\s+week$")
_RE_WEEK_WEEKDAY = re.compile(rf"^(?P<rel>last|this|next)\s+week\s+(?:on\s+)?{_WD}$")
_RE_UNIT = re.compile(r"^(?P<rel>last|this|next)\s+(?P<u>week|month|year|quarter)$")
_RE_WEEKEND = re.compile(
    r"^(?:the\s+)?(?:(?P<rel>last|this|next|this past|past|this coming|coming)\s+)?weekend$")
_RE_AGO = re.compile(
    rf"^(?:(?:about|around|roughly|nearly|almost|approximately|some|just|only|exactly)\s+)?"
    rf"{_NUM}\s+(?P<u>day|week|fortnight|month|year)s?\s+ago$")
_RE_SEASON = re.compile(
    rf"^(?:(?P<rel>last|this|next|this past|past)\s+)?(?:the\s+)?(?P<s>{_alt(_SEASONS)})"
    rf"(?:\s+(?:of\s+)?(?P<y>\d{{4}}))?$")
_RE_QUARTER = re.compile(
    rf"^(?:the\s+)?(?P<q>{_alt(_QUARTERS)})\s+quarter(?:\s+(?:of\s+)?(?P<y>\d{{4}}))?$")
_RE_QUARTER_SHORT = re.compile(r"^(?:q(?P<q>[1-4])\s+(?P<y>\d{4})|(?P<y2>\d{4})\s+q(?P<q2>[1-4]))$")
_RE_ORDINAL_DAY = re.compile(r"^the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)$")
_RE_PARTS = re.compile(
    rf"^(?:the\s+)?(?:very\s+)?(?P<part>{_alt(_PARTS_KEYS)})\s+(?:of\s+)?(?:on\s+)?(?P<rest>.+)$")
_RE_EARLIER = re.compile(r"^(?P<dir>earlier|later)\s+(?:in\s+|on\s+)?(?P<rest>.+)$")
_RE_POD_SUFFIX = re.compile(r"^(?P<rest>.+?)\s+(?:morning|afternoon|evening|night|overnight)$")
_RE_POD_PREFIX = re.compile(
    r"^(?:the\s+)?(?:early hours|small hours|wee hours|morning|afternoon|evening|night)\s+of\s+(?P<rest>.+)$")
_RE_INNER_THE = re.compile(r"^the\s+(week|month|year)$")


def _numeric(s: str) -> _Period | None | bool:
    """ISO and slashed dates. False when the text is not numeric at all."""
    m = _RE_ISO.match(s) or _RE_YMD.match(s)
    if m:
        return _day(_safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    m = _RE_NUMERIC.match(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _day(_safe_date(y, b, a))
        if b > 12 >= a or a == b:
            return _day(_safe_date(y, a, b))
        return None  # 03/04/2024: day-month or month-day? Do not guess.
    m = _RE_YM.match(s)
    if m:
        return _month(int(m.group(1)), int(m.group(2)))
    m = _RE_YEAR.match(s)
    if m:
        return _year(int(m.group(1)))
    return False


def _month_day(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_MDY.match(s) or _RE_DMY.match(s)
    if not m:
        return None
    month, d = _MONTHS[m.group("m")], int(m.group("d"))
    y = _year_of(m.group("y"))
    if y is not None:
        start = _safe_date(y, month, d)
    elif pub is not None:
        start = _recent_month_day(month, d, pub)
    else:
        return None
    if start is None:
        return None
    if m.group("d2"):
        end = _safe_date(start.year, month, int(m.group("d2")))
        if end is None or end < start:
            return None
        return _Period(start, end, "day", "window")
    return _day(start)


def _cross_month(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_CROSS_MONTH.match(s) or _RE_CROSS_MONTH_DM.match(s)
    if not m:
        return None
    m1, m2 = _MONTHS[m.group("m1")], _MONTHS[m.group("m2")]
    d1, d2 = int(m.group("d1")), int(m.group("d2"))
    y = _year_of(m.group("y"))
    if y is not None:
        end = _safe_date(y, m2, d2)
    elif pub is not None:
        end = _recent_month_day(m2, d2, pub)
    else:
        return None
    if end is None:
        return None
    start = _safe_date(end.year, m1, d1)
    if start is not None and start > end:
        start = _safe_date(end.year - 1, m1, d1)
    if start is None or (end - start).days > 62:
        return None
    return _Period(start, end, "day", "window")


def _month_year(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_MY.match(s)
    if m:
        month, y = _MONTHS[m.group("m")], _year_of(m.group("y"))
        if y is not None:
            return _month(y, month)
        return _recent_month(month, pub) if pub is not None else None
    m = _RE_REL_MONTH.match(s)
    if m and pub is not None:
        month, rel = _MONTHS[m.group("m")], m.group("rel")
        if rel == "this":
            return _month(pub.year, month)
        if rel in ("last", "this past"):
            return _month(pub.year if month < pub.month else pub.year - 1, month)
        return _month(pub.year if month > pub.month else pub.year + 1, month)
    return None


def _holiday(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_HOLIDAY.match(s)
    if not m:
        return None
    month, d = _HOLIDAYS[m.group("h")]
    y, rel = _year_of(m.group("y")), m.group("rel")
    if y is not None:
        return _day(_safe_date(y, month, d))
    if pub is None:
        return None
    this = _dt.date(pub.year, month, d)
    if rel == "this":
        return _day(this)
    if rel == "last":
        return _day(this if this < pub else _dt.date(pub.year - 1, month, d))
    if rel == "next":
        return _day(this if this > pub else _dt.date(pub.year + 1, month, d))
    return _day(_recent_month_day(month, d, pub))


def _weekday(s: str, pub: _dt.date) -> _Period | None:
    m = _RE_WEEKDAY.match(s)
    if m:
        wd, rel = _wd(m), m.group("rel")
        if rel in (None, "this"):
            return _day(pub - _dt.timedelta(days=(pub.weekday() - wd) % 7))
        if rel in ("last", "this past", "past"):
            return _day(pub - _dt.timedelta(days=(pub.weekday() - wd) % 7 or 7))
        return _day(pub + _dt.timedelta(days=(wd - pub.weekday()) % 7 or 7))
    m = _RE_WEEKDAY_OF_WEEK.match(s) or _RE_WEEK_WEEKDAY.match(s)
    if m:
        shift = {"last": -7, "this": 0, "next": 7}[m.group("rel")]
        return _day(_monday(pub) + _dt.timedelta(days=shift + _wd(m)))
    return None


def _unit(s: str, pub: _dt.date) -> _Period | None:
    m = _RE_UNIT.match(s)
    if m:
        k = {"last": -1, "this": 0, "next": 1}[m.group("rel")]
        u = m.group("u")
        if u == "week":
            return _week(_monday(pub) + _dt.timedelta(days=7 * k))
        if u == "month":
            return _month(*_shift_month(pub.year, pub.month, k))
        if u == "year":
            return _year(pub.year + k)
        y, mo = _shift_month(pub.year, (pub.month - 1) // 3 * 3 + 1, 3 * k)
        return _Period(_dt.date(y, mo, 1), _month_end(*_shift_month(y, mo, 2)), "year", "quarter")
    m = _RE_WEEKEND.match(s)
    if m:
        rel = m.group("rel")
        saturday = _monday(pub) + _dt.timedelta(days=5)
        if rel in ("this", "this coming", "coming"):
            pass
        elif rel == "next":
            if pub.weekday() >= 5:
                saturday += _dt.timedelta(days=7)
        elif rel == "last" or pub.weekday() < 5:  # past, this past, bare "the weekend"
            saturday -= _dt.timedelta(days=7)
        return _Period(saturday, saturday + _dt.timedelta(days=1), "day", "weekend")
    return None


def _ago(s: str, pub: _dt.date) -> _Period | None:
    m = _RE_AGO.match(s)
    if not m:
        return None
    n = _int(m.group("n"))
    if n is None or n > 2000:
        return None
    u = m.group("u")
    if u in ("day", "week", "fortnight"):
        days = n * {"day": 1, "week": 7, "fortnight": 14}[u]
        try:
            return _day(pub - _dt.timedelta(days=days))
        except OverflowError:
            return None
    if u == "month":
        return _month(*_shift_month(pub.year, pub.month, -n))
    return _year(pub.year - n)


def _season_occurrence(first_month: int, year: int) -> _Period | None:
    if not (_MIN_YEAR <= year < _MAX_YEAR):
        return None
    y2, m2 = _shift_month(year, first_month, 2)
    return _Period(_dt.date(year, first_month, 1), _month_end(y2, m2), "year", "season")


def _season(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_SEASON.match(s)
    if not m:
        return None
    first, y, rel = _SEASONS[m.group("s")], _year_of(m.group("y")), m.group("rel")
    if y is not None:
        if rel is not None or first == 12:  # "winter 2022": Dec 2021 or Dec 2022? Do not guess.
            return None
        return _season_occurrence(first, y)
    if pub is None:
        return None
    cands = [p for p in (_season_occurrence(first, pub.year + k) for k in (-2, -1, 0, 1)) if p]
    if rel in ("last", "this past", "past"):
        past = [p for p in cands if p.end < pub]
        return past[-1] if past else None
    if rel == "next":
        future = [p for p in cands if p.start > pub]
        return future[0] if future else None
    if rel == "this":  # the occurrence nearest the publication date

        def gap(p: _Period) -> int:
            return 0 if p.start <= pub <= p.end else min(abs((p.start - pub).days),
                                                         abs((p.end - pub).days))
        return min(cands, key=gap)
    started = [p for p in cands if p.start <= pub]
    return started[-1] if started else None


def _quarter(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_QUARTER.match(s)
    if m:
        first, y = _QUARTERS[m.group("q")], _year_of(m.group("y"))
    else:
        m = _RE_QUARTER_SHORT.match(s)
        if not m:
            return None
        q = int(m.group("q") or m.group("q2"))
        first, y = 3 * q - 2, int(m.group("y") or m.group("y2"))
    if y is None:
        if pub is None:
            return None
        y = pub.year if first <= pub.month else pub.year - 1
    if not (_MIN_YEAR <= y <= _MAX_YEAR):
        return None
    return _Period(_dt.date(y, first, 1), _month_end(y, first + 2), "year", "quarter")


def _ordinal_day(s: str, pub: _dt.date) -> _Period | None:
    m = _RE_ORDINAL_DAY.match(s)
    if not m:
        return None
    d = int(m.group("d"))
    limit = pub + _dt.timedelta(days=1)
    y, mo = limit.year, limit.month
    for _ in range(12):
        cand = _safe_date(y, mo, d)
        if cand is not None and cand <= limit:
            return _day(cand)
        y, mo = _shift_month(y, mo, -1)
    return None


def _part(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_PARTS.match(s)
    if not m:
        return None
    part, inner = m.group("part"), _core(m.group("rest"), pub, inner=True)
    if inner is None:
        return None
    if inner.unit == "month" and part in _MONTH_PARTS:
        first, last = _MONTH_PARTS[part]
        y, mo = inner.start.year, inner.start.month
        last_day = inner.end.day if last == "end" else min(int(last), inner.end.day)
        return _Period(_dt.date(y, mo, int(first)), _dt.date(y, mo, last_day), "month", "window")
    if inner.unit == "year" and part in _YEAR_PARTS:
        first, last = _YEAR_PARTS[part]
        y = inner.start.year
        return _Period(_dt.date(y, int(first), 1), _month_end(y, int(last)), "year", "window")
    if inner.unit == "week" and part in _WEEK_PARTS:
        first, last = _WEEK_PARTS[part]
        return _Period(inner.start + _dt.timedelta(days=int(first)),
                       inner.start + _dt.timedelta(days=int(last)), "day", "window")
    if inner.unit in ("day", "weekend"):  # "early Tuesday", "late on Monday"
        return inner
    return None


def _earlier_later(s: str, pub: _dt.date | None) -> _Period | None:
    m = _RE_EARLIER.match(s)
    if not m or pub is None:
        return None
    inner = _core(m.group("rest"), pub, inner=True)
    if inner is None:
        return None
    if inner.start == inner.end or not inner.start <= pub <= inner.end:
        return inner  # "earlier on Tuesday", "later last month": the whole period
    one = _dt.timedelta(days=1)
    if m.group("dir") == "earlier":
        return _Period(inner.start, max(inner.start, pub - one), inner.precision, "window")
    return _Period(min(inner.end, pub + one), inner.end, inner.precision, "window")


def _core(s: str, pub: _dt.date | None, inner: bool = False) -> _Period | None:
    """Resolve a normalised (lower-case) expression; recursive for parts and modifiers."""
    if inner:
        mi = _RE_INNER_THE.match(s)
        if mi:
            s = "this " + mi.group(1)
    num = _numeric(s)
    if num is not False:
        return num
    p = _month_day(s, pub) or _month_year(s, pub) or _cross_month(s, pub) or _holiday(s, pub)
    if p is not None:
        return p
    p = _season(s, pub) or _quarter(s, pub) or _part(s, pub)
    if p is not None:
        return p
    if pub is None:
        return None
    m = _RE_REL_YEAR_SUFFIX.match(s)
    if m and m.group("core") not in ("the", "in the", "of the", "early the", "late the"):
        # "February last year" -> "February 2023" (but "the last year" is a duration)
        year = pub.year + {"last": -1, "this": 0, "next": 1}[m.group("rel")]
        return _core(f"{m.group('core')} {year}", pub, inner)
    if s in _SIMPLE_DAYS:
        return _day(pub + _dt.timedelta(days=_SIMPLE_DAYS[s]))
    p = (_weekday(s, pub) or _unit(s, pub) or _ago(s, pub) or _ordinal_day(s, pub)
         or _earlier_later(s, pub))
    if p is not None:
        return p
    m = _RE_POD_SUFFIX.match(s) or _RE_POD_PREFIX.match(s)
    if m:  # "Tuesday night", "yesterday morning", "the night of March 5"
        p = _core(m.group("rest"), pub, inner)
        if p is not None and p.unit == "day":
            return p
    return None


# --- dateparser fallback -------------------------------------------------------------------
_RE_HAS_MONTH = re.compile(rf"\b(?:{_alt(_MONTHS)})\b")
_RE_FALLBACK_BLOCK = re.compile(
    r"\b(?:ago|earlier|later|last|next|past|coming|previous|following|recent|recently|within|"
    r"days|weeks|months|years|decades?|centur(?:y|ies)|and|or|to|since|until|between|"
    r"\d+s)\b|-year|\s-\s|\d\s*-\s*\d")
_RE_YEAR_IN_TEXT = re.compile(r"\b(\d{4})\b")
_RE_HAS_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=256)
def _parser(pub: _dt.date | None):
    from dateparser.date import DateDataParser  # slow import: only when the patterns failed

    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month"],
                "RETURN_AS_TIMEZONE_AWARE": False}
    if pub is not None:
        settings["RELATIVE_BASE"] = _dt.datetime(pub.year, pub.month, pub.day)
    return DateDataParser(languages=["en"], settings=settings)


def warm() -> None:
    """Load dateparser's tables now (its first parse in a process costs about 0.3 s): a process
    that forks workers after this shares them (``Coder.warm``)."""
    if _fallback(_normalise("the 3rd of March 2019") or "", None) is None:
        raise RuntimeError("dateparser did not parse 'the 3rd of March 2019'")


def _fallback(s: str, pub: _dt.date | None) -> _Period | None:
    if (not _RE_HAS_MONTH.search(s) or not _RE_HAS_DIGIT.search(s)
            or _RE_FALLBACK_BLOCK.search(s) or len(s) > 60):
        return None  # what has no month name or no number, the patterns have already judged
    years = _RE_YEAR_IN_TEXT.findall(s)
    if pub is None and not years:
        return None
    try:
        data = _parser(pub).get_date_data(s)
    except Exception:  # dateparser raises on odd input; a failed parse is just "no date"
        return None
    if data is None or data.date_obj is None:
        return None
    got, period = data.date_obj.date(), data.period
    if years and got.year != int(years[0]):
        return None
    if period in ("day", "time"):
        if years:
            return _day(got)
        return _day(_recent_month_day(got.month, got.day, pub))
    if period == "month":
        return _month(got.year, got.month) if years else _recent_month(got.month, pub)
    return None


# --- public --------------------------------------------------------------------------------
def _as_date(published) -> _dt.date | None:
    if published is None or type(published) is _dt.date:
        return published
    if isinstance(published, _dt.datetime):
        return published.date()
    if isinstance(published, _dt.date):
        return _dt.date(published.year, published.month, published.day)
    if isinstance(published, str):
        try:
            return _dt.date.fromisoformat(published.strip()[:10])
        except ValueError:
            return None
    return None


@lru_cache(maxsize=1 << 17)
def resolve(expression: str, published: _dt.date | None) -> ResolvedDate | None:
    """Resolve one date expression against the publication date, or None.

    ``expression`` is typically a spaCy DATE or TIME entity's text ("On March 19", "late
    February", "last week", "Tuesday night"). Durations ("three years", "the past 24 hours"),
    ages ("50-year-old"), vague spans ("recent weeks", "the 1990s") and anaphora ("the day
    before") give None. Relative expressions need ``published``; with None only expressions
    that carry their own year resolve. Results are cached on (expression, published).
    """
    if not isinstance(expression, str):
        return None
    pub = _as_date(published)
    s = _normalise(expression)
    if s is None:
        return None
    try:
        p = _core(s, pub)
        if p is None and "," in expression:  # "Monday, days after a March 2": the head part
            head = _normalise(expression.split(",", 1)[0])
            p = _core(head, pub) if head else None
        if p is None:
            p = _fallback(s, pub)
    except (OverflowError, ValueError):  # off the calendar: "next Tuesday" published 9999-12-31
        return None
    if p is None:
        return None
    return ResolvedDate(date=p.start, precision=p.precision, text=expression.strip(), end=p.end)
