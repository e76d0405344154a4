"""Charts as geometry for inline SVG (drawn by ``templates/_charts.html``, no chart library, no
script): stacked bars per period, a line on a fixed scale, shaded bands. Text in a chart is a
label or a tooltip, escaped by the template like everything else."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

WIDTH = 960
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 26  # margins around the plot area
MAX_XTICKS = 8


@dataclass
class Mark:
    """A rectangle (a bar or a band) with a tooltip; ``href`` makes it a link."""

    x: float
    y: float
    w: float
    h: float
    colour: str
    title: str
    href: str | None = None


@dataclass
class Line:
    """A polyline (``points``: "x,y x,y"), broken where values are missing, with dots and tooltips."""

    segments: list[str]
    dots: list[tuple[float, float, str]]
    colour: str
    label: str
    dashed: bool = False


@dataclass
class Chart:
    width: int
    height: int
    title: str
    bars: list[Mark] = field(default_factory=list)
    bands: list[Mark] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    yticks: list[tuple[float, str]] = field(default_factory=list)
    xticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)
    zero: float | None = None  # y of the zero line, when the scale crosses it

    @property
    def plot(self) -> tuple[int, int, int, int]:
        """The plot area: left, top, right, bottom."""
        return LEFT, TOP, self.width - RIGHT, self.height - BOTTOM


def nice_step(span: float, ticks: int = 4, whole: bool = False) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks over
    ``span``; ``whole``: at least 1 (counts)."""
    if span <= 0:
        return 1.0
    raw = max(span / ticks, 1.0) if whole else span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _label(day: date, freq: str) -> str:
    return day.strftime("%Y-%m") if freq in ("month", "year") else day.isoformat()


class _Axis:
    """Periods placed evenly along x."""

    def __init__(self, periods: Sequence[date], width: int) -> None:
        self.periods = list(periods)
        self.index = {p: i for i, p in enumerate(self.periods)}
        self.slot = (width - LEFT - RIGHT) / max(1, len(self.periods))

    def x(self, i: int) -> float:
        return LEFT + i * self.slot

    def ticks(self, freq: str) -> list[tuple[float, str]]:
        n = len(self.periods)
        every = max(1, math.ceil(n / MAX_XTICKS))
        return [(round(self.x(i) + self.slot / 2, 1), _label(self.periods[i], freq)) for i in range(0, n, every)]

    def band(self, start: date, end: date, top: float, bottom: float, colour: str, title: str) -> Mark | None:
        inside = [i for p, i in self.index.items() if start <= p <= end]
        if not inside:
            return None
        a, b = min(inside), max(inside)
        return Mark(round(self.x(a), 1), top, round(self.slot * (b - a + 1), 1), bottom - top, colour, title)


def stacked_bars(periods: Sequence[date], layers: Sequence[tuple[str, str, Sequence[float]]], freq: str, *,
                 title: str, height: int = 260, unit: str = "events",
                 bands: Sequence[tuple[date, date, str]] = (), band_colour: str = "#c0392b33",
                 overlay: tuple[str, str, Sequence[float]] | None = None,
                 hrefs: Sequence[str | None] | None = None) -> Chart:
    """Bars per period, one stacked segment per layer ``(label, colour, values)``; ``bands``
    ``(start, end, tooltip)`` shade periods; ``overlay`` ``(label, colour, values)`` is a dashed line
    over the bars (not stacked); ``hrefs`` link each period's bars."""
    chart = Chart(WIDTH, height, title, legend=[(c, label) for label, c, _ in layers])
    left, top, right, bottom = chart.plot
    axis = _Axis(periods, WIDTH)
    totals = [sum(layer[2][i] for layer in layers) for i in range(len(periods))]
    peak = max([*totals, *(overlay[2] if overlay else [])], default=0) or 1
    step = nice_step(peak, whole=True)
    ceiling = step * math.ceil(peak / step)
    scale = (bottom - top) / ceiling
    chart.yticks = [(round(bottom - v * scale, 1), f"{v:g}") for v in _range(0, ceiling, step)]
    chart.xticks = axis.ticks(freq)
    gap = min(2.0, axis.slot * 0.2)
    for i, period in enumerate(periods):
        base = bottom
        for label, colour, values in layers:
            v = values[i]
            if not v:
                continue
            h = v * scale
            chart.bars.append(Mark(round(axis.x(i) + gap / 2, 1), round(base - h, 1), round(axis.slot - gap, 2),
                                   round(h, 1), colour, f"{_label(period, freq)}: {v:g} {label}",
                                   hrefs[i] if hrefs else None))
            base -= h
    for start, end, tooltip in bands:
        band = axis.band(start, end, top, bottom, band_colour, tooltip)
        if band:
            chart.bands.append(band)
    if overlay:
        label, colour, values = overlay
        points = [(axis.x(i) + axis.slot / 2, bottom - v * scale, f"{_label(p, freq)}: {v:g} {label}")
                  for i, (p, v) in enumerate(zip(periods, values))]
        chart.lines.append(_line(points, colour, label, dashed=True))
        chart.legend.append((colour, label))
    return chart


def line_chart(periods: Sequence[date], values: Sequence[float | None], freq: str, *, title: str, label: str,
               low: float, high: float, colour: str = "#283747", height: int = 180,
               bands: Sequence[tuple[date, date, str]] = (), band_colour: str = "#c0392b33") -> Chart:
    """A line over periods on the fixed scale ``low``..``high`` (a zero line if it crosses 0);
    ``None`` values break the line."""
    chart = Chart(WIDTH, height, title, legend=[(colour, label)])
    left, top, right, bottom = chart.plot
    axis = _Axis(periods, WIDTH)
    scale = (bottom - top) / (high - low)
    y = lambda v: round(bottom - (v - low) * scale, 1)  # noqa: E731
    step = nice_step(high - low)
    chart.yticks = [(y(v), f"{v:g}") for v in _range(low, high, step)]
    chart.xticks = axis.ticks(freq)
    if low < 0 < high:
        chart.zero = y(0)
    points = [None if v is None else (axis.x(i) + axis.slot / 2, y(v), f"{_label(p, freq)}: {label} {v:+.2f}")
              for i, (p, v) in enumerate(zip(periods, values))]
    chart.lines.append(_line(points, colour, label))
    for start, end, tooltip in bands:
        band = axis.band(start, end, top, bottom, band_colour, tooltip)
        if band:
            chart.bands.append(band)
    return chart


def _line(points: Sequence[tuple[float, float, str] | None], colour: str, label: str, dashed: bool = False) -> Line:
    segments, current, dots = [], [], []
    for p in [*points, None]:
        if p is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        x, y, tip = p
        current.append(f"{x:.1f},{y:.1f}")
        dots.append((round(x, 1), round(y, 1), tip))
    return Line(segments, dots, colour, label, dashed)


def _range(start: float, stop: float, step: float) -> list[float]:
    out, v = [], start
    while v <= stop + step / 1000:
        out.append(round(v, 10))
        v += step
    return out


# PLOVER types in ontology order, cooperation (blues, greens) to conflict (ambers, reds)
TYPE_PALETTE = ("#1b4f72", "#2874a6", "#5dade2", "#a9cce3", "#117864", "#48c9b0", "#a3e4d7", "#7d3c98",
                "#f8c471", "#f39c12", "#d35400", "#e59866", "#a04000", "#cb4335", "#922b21", "#641e16")
