"""Escalation detection: periods where a dyad's conflict rises well above its own baseline.

For each period the baseline is the mean and variance of the previous ``baseline`` periods
that were not themselves flagged (and not the ``gap`` periods just before it), so that a surge
neither hides itself nor its own continuation. The
count of conflict events is compared with a negative binomial of that mean and variance (a
Poisson when the baseline is not over-dispersed): a period is flagged when the chance of seeing
at least that many events is below ``alpha``, the count is at least ``min_events`` and at least
``min_ratio`` times the baseline mean. Consecutive flagged periods form one alert.

Counting model rather than z-scores: event counts are small, skewed and bursty, and a z-score
on a quiet dyad (mean 0.2) fires on every single event.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence


@dataclass(frozen=True)
class Detector:
    """Parameters of the detector (validated)."""

    baseline: int = 52        # periods in the rolling baseline (a year of weeks)
    gap: int = 0              # periods skipped between the baseline and the period tested
    alpha: float = 0.002      # tail probability below which a period is a surge
    min_events: int = 3       # fewer events than this are never a surge
    min_ratio: float = 2.0    # ... nor less than this many times the baseline mean
    min_history: int = 4      # periods of baseline needed before testing at all
    prior_mean: float = 0.5   # a floor on the baseline mean (no history is not "never")

    def __post_init__(self) -> None:
        checks = [("baseline", self.baseline >= 2), ("gap", self.gap >= 0), ("alpha", 0 < self.alpha < 1),
                  ("min_events", self.min_events >= 1), ("min_ratio", self.min_ratio >= 1),
                  ("min_history", 1 <= self.min_history <= self.baseline), ("prior_mean", self.prior_mean > 0)]
        for name, ok in checks:
            if not ok:
                raise ValueError(f"Detector: invalid {name}={getattr(self, name)!r}")


@dataclass
class Surge:
    """A run of flagged periods."""

    start: date
    end: date                   # first day of the last flagged period
    observed: int               # events in the flagged periods
    expected: float             # what the baseline expected over them
    p_value: float              # the smallest tail probability among them
    periods: list[date] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else float("inf")


def poisson_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean)."""
    if k <= 0:
        return 1.0
    term = math.exp(-mean)
    below = term
    for i in range(1, k):
        term *= mean / i
        below += term
    return max(0.0, 1.0 - below)


def negbin_tail(k: int, mean: float, variance: float) -> float:
    """P(X >= k) for a negative binomial with this mean and variance (> mean)."""
    if k <= 0:
        return 1.0
    r = mean * mean / (variance - mean)
    p = r / (r + mean)
    below = 0.0
    log_p = r * math.log(p)
    for i in range(k):
        log_pmf = math.lgamma(i + r) - math.lgamma(r) - math.lgamma(i + 1) + log_p + i * math.log1p(-p)
        below += math.exp(log_pmf)
    return max(0.0, 1.0 - below)


def tail(k: int, mean: float, variance: float) -> float:
    return negbin_tail(k, mean, variance) if variance > mean * 1.05 else poisson_tail(k, mean)


def detect(counts: Sequence[tuple[date, int]], detector: Detector = Detector()) -> list[Surge]:
    """Surges in a dense series of (period, count), oldest first."""
    flagged: list[tuple[date, int, float, float]] = []
    history: list[int] = []  # the unflagged periods so far: a surge is not its own baseline
    pending: list[int] = []  # the last `gap` periods, not yet part of the baseline
    for period, observed in counts:
        window = history[-detector.baseline:]
        surge = False
        if len(window) >= detector.min_history:
            surge = _test(observed, window, detector, period, flagged)
        pending.append(None if surge else observed)
        if len(pending) > detector.gap:
            value = pending.pop(0)
            if value is not None:
                history.append(value)
    return _runs(flagged, counts)


def _test(observed: int, window: list[int], detector: Detector, period: date,
          flagged: list[tuple[date, int, float, float]]) -> bool:
    """Test one period against its baseline window; a surge is appended to ``flagged``."""
    mean = max(sum(window) / len(window), detector.prior_mean)
    variance = sum((v - mean) ** 2 for v in window) / max(1, len(window) - 1)
    if observed < detector.min_events or observed < detector.min_ratio * mean:
        return False
    p = tail(observed, mean, variance)
    if p < detector.alpha:
        flagged.append((period, observed, mean, p))
        return True
    return False


def _runs(flagged: list[tuple[date, int, float, float]], counts: Sequence[tuple[date, int]]) -> list[Surge]:
    """Consecutive flagged periods as one surge each."""
    surges: list[Surge] = []
    index = {period: i for i, (period, _) in enumerate(counts)}
    for period, observed, mean, p in flagged:
        last = surges[-1] if surges else None
        if last is not None and index[period] == index[last.periods[-1]] + 1:
            last.end = period
            last.observed += observed
            last.expected += mean
            last.p_value = min(last.p_value, p)
            last.periods.append(period)
        else:
            surges.append(Surge(period, period, observed, mean, p, [period]))
    return surges
