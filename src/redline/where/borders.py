"""Where two countries meet: a point on their shared border ("clashes on the Syria-Iraq border"),
from the country outlines the map draws (:func:`redline.where.worldmap.outline_points`, the
pinned ``countryinfo`` package's low-resolution GeoJSON): the outline point of the first country
nearest the middle of the stretch where it runs within ``NEAR`` degrees of the second's
(:func:`border_point`), or, for a border named by a place that is not a country ("the border
between Gaza and Israel"), the other country's outline point nearest that place
(:func:`nearest_point`). No network; about a second to read the outlines the first time."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import worldmap

NEAR = 0.35  # degrees: outline points this close to the other country's count as the shared border


@lru_cache(maxsize=None)
def border_point(a: str, b: str) -> tuple[float, float] | None:
    """A (lat, lon) point on the border of the countries ``a`` and ``b`` (ISO alpha-3), or None
    when either has no outline or they do not touch."""
    outlines = worldmap.outline_points()
    if a == b or a not in outlines or b not in outlines:
        return None
    pa = np.asarray(outlines[a], dtype=float)
    pb = np.asarray(outlines[b], dtype=float)
    if not _boxes_meet(pa, pb):
        return None
    near = np.zeros(len(pa), dtype=bool)
    for start in range(0, len(pa), 512):  # (a few MB at a time, not one huge distance matrix)
        chunk = pa[start:start + 512]
        d = np.abs(chunk[:, None, :] - pb[None, :, :]).max(axis=2).min(axis=1)
        near[start:start + 512] = d <= NEAR
    shared = pa[near]
    if not len(shared):
        return None
    middle = shared.mean(axis=0)
    lat, lon = shared[np.argmin(((shared - middle) ** 2).sum(axis=1))]
    return round(float(lat), 4), round(float(lon), 4)


def _boxes_meet(pa: np.ndarray, pb: np.ndarray) -> bool:
    low, high = np.maximum(pa.min(axis=0), pb.min(axis=0)), np.minimum(pa.max(axis=0), pb.max(axis=0))
    return bool(np.all(low <= high + NEAR))


def nearest_point(iso3: str, lat: float, lon: float) -> tuple[float, float, float] | None:
    """The point of the outline of ``iso3`` nearest (lat, lon) and its distance in degrees (the
    border of Israel nearest Gaza, of Mexico nearest Texas), or None without an outline."""
    outline = worldmap.outline_points().get(iso3)
    if not outline:
        return None
    points = np.asarray(outline, dtype=float)
    d = np.hypot(points[:, 0] - lat, points[:, 1] - lon)
    i = int(np.argmin(d))
    return round(float(points[i, 0]), 4), round(float(points[i, 1]), 4), float(d[i])
