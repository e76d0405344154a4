"""A low-resolution world map for the dashboard, offline: country outlines from the pinned
``countryinfo`` package's GeoJSON (read at run time, not copied here), projected once per process
(equirectangular) into SVG path data. ``world()`` is cached: about 170 outlines, ~10k points."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterator

WIDTH, HEIGHT = 1000, 440
NORTH, SOUTH = 84.0, -58.0  # latitudes shown (Antarctica left out)


@dataclass(frozen=True)
class Outline:
    iso3: str
    name: str
    path: str  # SVG path data in the map's coordinates


def project(lat: float, lon: float) -> tuple[float, float]:
    """Map coordinates (x, y) of a point (equirectangular, cropped to NORTH..SOUTH)."""
    x = (lon + 180.0) * WIDTH / 360.0
    y = (NORTH - lat) * HEIGHT / (NORTH - SOUTH)
    return round(x, 1), round(y, 1)


def _ring(points: list[list[float]]) -> str:
    out, last = [], None
    for lon, lat, *_ in points:
        xy = project(lat, lon)
        if xy != last:
            out.append(f"{xy[0]:g},{xy[1]:g}")
            last = xy
    return ("M" + "L".join(out) + "Z") if len(out) > 2 else ""


def _path(geometry: dict) -> str:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return "".join(_ring(ring) for polygon in polygons for ring in polygon)


def _countries() -> Iterator[dict]:
    """Each country record of the package's data folder, read one file at a time (the package's
    own loader would keep every record, with its translations and provinces, for the process)."""
    folder = resources.files("countryinfo") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            try:
                yield json.loads(entry.read_text(encoding="utf-8"))
            except ValueError:
                continue


@lru_cache(maxsize=1)
def world() -> tuple[Outline, ...]:
    """Every country the package has an outline for, projected (computed once per process)."""
    outlines: dict[str, Outline] = {}
    for info in _countries():
        iso3 = (info.get("ISO") or {}).get("alpha3")
        features = (info.get("geoJSON") or {}).get("features") or []
        if not iso3 or not features or iso3 in outlines:
            continue
        path = "".join(_path(f.get("geometry") or {}) for f in features)
        if path:
            outlines[iso3] = Outline(iso3, str(info.get("name") or iso3), path)
    return tuple(sorted(outlines.values(), key=lambda o: o.iso3))


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """Country names by ISO alpha-3 (for labels and tooltips)."""
    return {o.iso3: o.name for o in world()}
