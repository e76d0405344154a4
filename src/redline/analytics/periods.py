"""Periods of the calendar: the day, week (Monday to Sunday) or month a date falls in, and fixed
windows of N days. One definition for series, reports, watch rules and red-line follow-through,
so a "week" is the same everywhere; all of it stops at the calendar's last day (9999-12-31)."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

FREQS = ("day", "week", "month")
WINDOW = re.compile(r"^(\d+)d$")  # "7d": a window of 7 days


def start(day: date, freq: str) -> date:
    """The first day of the ``freq`` period holding ``day`` (weeks start on Monday)."""
    if freq == "week":
        return day - timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    return day


def end(first: date, freq: str) -> date:
    """The last day of the ``freq`` period that starts on ``first``."""
    if freq == "week":
        return plus(first, 6)
    if freq == "month":
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first


def following(first: date, freq: str) -> date | None:
    """The first day of the period after the one starting on ``first``; None after the calendar's last."""
    last = end(first, freq)
    return None if last == date.max else last + timedelta(days=1)


def plus(day: date, days: int) -> date:
    """``day`` + ``days``, or the calendar's last day for a span that runs past it."""
    return day + timedelta(days=days) if (date.max - day).days >= days else date.max


def window(day: date, size: str) -> tuple[date, date]:
    """The (first, last) days of the window holding ``day``: "day", "week", "month", or "Nd"
    (N-day windows counted from 1970-01-01, never before the year 1)."""
    if size in FREQS:
        first = start(day, size)
        return first, end(first, size)
    n = int(WINDOW.match(size).group(1))
    epoch = date(1970, 1, 1).toordinal()
    first = date.fromordinal(max(1, epoch + (day.toordinal() - epoch) // n * n))
    return first, plus(first, n - 1)
