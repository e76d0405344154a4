"""Speed of the date resolver (``redline.when.resolve``) on the expressions news text is full of.

    python bench/when_speed.py [--rounds 30] [--max-us 500]

Calls the uncached resolver (``resolve.__wrapped__``) on ten common expressions (days, relative
weeks and months, vague parts of a month, durations and ages that resolve to nothing) against
30 publication dates, and prints the time per call. The patterns answer all of them without
dateparser, so a call should take well under a millisecond; with ``--max-us`` the script exits
with status 1 when a call takes longer on average (this timing used to be a unit test, where a
busy machine made it flaky).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

EXPRESSIONS = ["March 19", "last week", "late February", "yesterday", "three years",
               "the past 24 hours", "Monday night", "earlier this month", "2022", "50-year-old"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=30, help="publication dates (one day apart)")
    ap.add_argument("--max-us", type=float, default=None, help="fail above this many microseconds per call")
    args = ap.parse_args(argv)
    from redline.when import resolve
    raw = resolve.__wrapped__
    published = dt.date(2024, 3, 21)
    n = 0
    started = time.perf_counter()
    for i in range(args.rounds):
        pub = published + dt.timedelta(days=i)
        for expression in EXPRESSIONS:
            raw(expression, pub)
            n += 1
    per_call = (time.perf_counter() - started) / n * 1e6
    print(f"date resolver: {n} uncached calls, {per_call:.0f} us per call; "
          f"dateparser imported: {'dateparser' in sys.modules}")
    if args.max_us is not None and per_call > args.max_us:
        print(f"slower than {args.max_us:.0f} us per call", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
