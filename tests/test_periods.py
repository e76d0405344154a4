"""The one calendar of series, reports, watch rules and red-line follow-through."""
from __future__ import annotations

from datetime import date

import pytest

from redline.analytics import periods


@pytest.mark.parametrize("day, freq, first, last", [
    (date(2024, 3, 21), "day", date(2024, 3, 21), date(2024, 3, 21)),
    (date(2024, 3, 21), "week", date(2024, 3, 18), date(2024, 3, 24)),      # a Thursday: Monday to Sunday
    (date(2024, 2, 10), "month", date(2024, 2, 1), date(2024, 2, 29)),      # a leap year
    (date(9999, 12, 30), "week", date(9999, 12, 27), date(9999, 12, 31)),   # the calendar's last week is cut short
])
def test_a_period_holds_its_day(day, freq, first, last):
    assert periods.window(day, freq) == (first, last)
    assert periods.start(day, freq) == first and periods.end(first, freq) == last


def test_periods_follow_each_other_to_the_calendars_end():
    assert periods.following(date(2023, 12, 1), "month") == date(2024, 1, 1)
    assert periods.following(date(2024, 3, 18), "week") == date(2024, 3, 25)
    assert periods.following(date(9999, 12, 1), "month") is None
    assert periods.following(date.max, "day") is None


def test_n_day_windows_are_counted_from_1970():
    assert periods.window(date(1970, 1, 9), "7d") == (date(1970, 1, 8), date(1970, 1, 14))
    assert periods.window(date(1, 1, 2), "7d")[0] == date(1, 1, 1)   # never before the year 1
    assert periods.plus(date(9999, 12, 30), 5) == date.max
