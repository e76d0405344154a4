"""How well the escalation detector finds surges: synthetic streams with known injected surges,
and the alerts it raises on a real store.

    python bench/escalation.py [--streams 400] [--periods 156] [--seed 7] [--db news.duckdb]

Each synthetic stream is a dyad's weekly conflict-event count: a negative binomial background
(mean drawn log-uniformly between 0.2 and 40 events a week, over-dispersion between mild and
strong, a slow trend of up to +-50% over the stream), with one surge injected in every other
stream at a random week after the first 20: 1-3 weeks long, adding 2-6 times the background mean
(at least 4 events a week). A surge counts as found when an alert overlaps its weeks; any other
alert is a false alarm. Prints the hit rate, the false alarms per stream-year and per
thousand quiet weeks, for the default detector and a few settings of alpha.
With --db, also runs the detector over every dyad of a store with at least 30 events.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def streams(n: int, periods: int, seed: int):
    rng = np.random.default_rng(seed)
    start = date(2021, 1, 4)
    weeks = [start + timedelta(days=7 * i) for i in range(periods)]
    for s in range(n):
        mean = float(np.exp(rng.uniform(np.log(0.2), np.log(40))))
        dispersion = rng.uniform(1.5, 20)                      # negative binomial r: smaller = burstier
        trend = np.linspace(1, rng.uniform(0.5, 1.5), periods)
        mu = mean * trend
        p = dispersion / (dispersion + mu)
        counts = rng.negative_binomial(dispersion, p)
        surge = None
        if s % 2 == 0:
            at = int(rng.integers(20, periods - 3))
            length = int(rng.integers(1, 4))
            lift = max(rng.uniform(2, 6) * mean, 4)
            counts[at:at + length] += rng.poisson(lift, size=len(counts[at:at + length]))
            surge = set(weeks[at:at + length])
        yield list(zip(weeks, counts.tolist())), surge


def evaluate(data, detector) -> dict:
    from redline.analytics.escalation import detect
    hits = injected = false_alarms = quiet_weeks = 0
    for counts, surge in data:
        alerts = detect(counts, detector)
        found = [a for a in alerts if surge and set(a.periods) & surge]
        false_alarms += len(alerts) - len(found)
        quiet_weeks += len(counts) - (len(surge) if surge else 0)
        if surge:
            injected += 1
            hits += bool(found)
    years = len(data) * len(data[0][0]) / 52.18
    return {"hit_rate": hits / injected, "false_alarms_per_stream_year": false_alarms / years,
            "false_alarms_per_1000_weeks": 1000 * false_alarms / quiet_weeks, "injected": injected,
            "hits": hits, "false_alarms": false_alarms}


def real_store(db: Path) -> None:
    from redline.analytics.escalation import detect
    from redline.analytics.series import Selection, dense, series
    from redline.store import Store
    with Store(db, read_only=True) as store:
        dyads = store.sql("SELECT source_country, target_country, count(*) FROM events WHERE modality = 'factual' "
                          "AND quad_class >= 3 AND source_country IS NOT NULL AND target_country IS NOT NULL "
                          "AND date IS NOT NULL GROUP BY 1, 2 HAVING count(*) >= 30 ORDER BY 3 DESC").fetchall()
        total = 0
        for a, b, n in dyads:
            rows = series(store, Selection(a, b), "week")
            conflict = [(p, c) for p, c in dense(rows, "week", field="verbal_conflict")]
            material = dict(dense(rows, "week", field="material_conflict"))
            counts = [(p, c + material.get(p, 0)) for p, c in conflict]
            surges = detect(counts)
            total += len(surges)
            for s in surges:
                print(f"  {a}->{b}: {s.start} .. {s.end}: {s.observed} conflict events, expected {s.expected:.1f}, "
                      f"p={s.p_value:.1e}")
        print(f"real store {db}: {len(dyads)} dyads with >= 30 conflict events, {total} alerts")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--streams", type=int, default=400)
    ap.add_argument("--periods", type=int, default=156)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from dataclasses import replace

    from redline.analytics.escalation import Detector
    data = list(streams(args.streams, args.periods, args.seed))
    print(f"{args.streams} synthetic weekly streams of {args.periods} weeks, {args.streams // 2} with an injected surge")
    print(f"{'detector':34} {'hit rate':>8} {'false/stream-yr':>15} {'false/1000 wk':>13}")
    base = Detector()
    for label, det in [("default (baseline 52, alpha 0.002)", base), ("alpha 0.01", replace(base, alpha=0.01)),
                       ("alpha 0.001", replace(base, alpha=0.001)),
                       ("baseline 26 weeks", replace(base, baseline=26))]:
        r = evaluate(data, det)
        print(f"{label:34} {r['hit_rate']:8.3f} {r['false_alarms_per_stream_year']:15.3f} "
              f"{r['false_alarms_per_1000_weeks']:13.2f}")
    if args.db:
        real_store(args.db)


if __name__ == "__main__":
    main()
