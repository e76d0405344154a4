"""A low-resolution world map of events, offline, for the dashboard's ``/map`` and the report:
country outlines from the pinned ``countryinfo`` package's GeoJSON (read at run time, not copied
here), projected once per process (equirectangular) into SVG path data (``world()`` is cached:
about 170 outlines, ~10k points); :func:`drawing` shades countries by events and sizes a dot per
place; :func:`svg` writes it as a standalone SVG with a graticule (the report's map; the dashboard
draws the same drawing with links, ``serve/templates/map.html``). No network, no tiles."""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator
from urllib.parse import urlencode

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
    if all(lat < SOUTH for _, lat, *_ in points):  # Antarctica: off the map (drawn below its frame)
        return ""
    out, last = [], None
    for lon, lat, *_ in points:
        xy = project(lat, lon)
        if xy != last:
            out.append(f"{xy[0]:g},{xy[1]:g}")
            last = xy
    return ("M" + "L".join(out) + "Z") if len(out) > 2 else ""


def _path(geometry: dict) -> str:
    return "".join(_ring(ring) for polygon in _polygons(geometry) for ring in polygon)


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
def _outlines() -> tuple[tuple[str, str, tuple[dict, ...]], ...]:
    """(ISO alpha-3, name, GeoJSON geometries) of every country the package has an outline for,
    the first record of each code (read once per process; the rest of each record is dropped)."""
    out: dict[str, tuple[str, str, tuple[dict, ...]]] = {}
    for info in _countries():
        iso3 = (info.get("ISO") or {}).get("alpha3")
        features = (info.get("geoJSON") or {}).get("features") or []
        if iso3 and features and iso3 not in out:
            out[iso3] = (iso3, str(info.get("name") or iso3), tuple(f.get("geometry") or {} for f in features))
    return tuple(out.values())


def _polygons(geometry: dict) -> list:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    return [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []


@lru_cache(maxsize=1)
def world() -> tuple[Outline, ...]:
    """Every country the package has an outline for, projected (computed once per process)."""
    outlines = [Outline(iso3, name, path) for iso3, name, geometries in _outlines()
                if (path := "".join(_path(g) for g in geometries))]
    return tuple(sorted(outlines, key=lambda o: o.iso3))


@lru_cache(maxsize=1)
def outline_points() -> dict[str, list[tuple[float, float]]]:
    """Every country's outline as (lat, lon) points, unprojected, by ISO alpha-3 (for
    :mod:`redline.where.borders`)."""
    return {iso3: [(lat, lon) for g in geometries for polygon in _polygons(g) for ring in polygon
                   for lon, lat, *_ in ring]
            for iso3, _, geometries in _outlines()}


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """Country names by ISO alpha-3 (for labels and tooltips)."""
    return {o.iso3: o.name for o in world()}


SHADES = ("#fde0dd", "#fcc5c0", "#fa9fb5", "#f768a1", "#c51b8a", "#7a0177")  # fewest ... most events
NO_EVENTS = "#eceff1"
SEA = "#f4f8fb"
CONFLICT, OTHER = "#b71c1c", "#1f4e79"  # dots: places with conflict events, places with others only


@dataclass
class Shape:
    iso3: str
    name: str
    path: str
    fill: str
    n_events: int
    conflict: int


@dataclass
class Dot:
    x: float
    y: float
    r: float
    name: str
    country: str | None
    n_events: int
    conflict: int
    href: str


def classes(counts: list[int]) -> list[tuple[int, int]]:
    """Up to ``len(SHADES)`` count ranges (low, high) for the legend, on a log scale."""
    top = max(counts, default=0)
    if top <= 0:
        return []
    n = min(len(SHADES), top)
    edges = sorted({max(1, round(math.exp(math.log(top) * i / n))) for i in range(n + 1)} | {1, top})
    ranges, low = [], 1
    for edge in edges[1:]:
        ranges.append((low, edge))
        low = edge + 1
    return ranges or [(1, top)]


def _get(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


def drawing(points: Iterable[Any], countries: Iterable[Any]) -> dict:
    """The map's shapes, dots and legend from ``store.read.places``'s points (name, country, lat,
    lon, n_events, conflict) and countries (country, n_events, conflict): dicts or objects."""
    points, countries = list(points), list(countries)
    counts = {_get(c, "country"): (_get(c, "n_events"), _get(c, "conflict")) for c in countries}
    ranges = classes([n for n, _ in counts.values()])
    shade = lambda n: next((SHADES[i] for i, (lo, hi) in enumerate(ranges) if lo <= n <= hi), NO_EVENTS)  # noqa: E731
    shapes = [Shape(o.iso3, o.name, o.path, shade(counts[o.iso3][0]) if o.iso3 in counts else NO_EVENTS,
                    *(counts.get(o.iso3) or (0, 0))) for o in world()]
    top = max((_get(p, "n_events") for p in points), default=1)
    dots = []
    for p in sorted(points, key=lambda p: -_get(p, "n_events")):  # small dots drawn over big ones
        x, y = project(_get(p, "lat"), _get(p, "lon"))
        name, country = _get(p, "name"), _get(p, "country")
        place = {"place": name} if name else {"country": country}
        dots.append(Dot(x, y, round(2.5 + 7 * math.sqrt(_get(p, "n_events") / top), 1), name or "?", country,
                        _get(p, "n_events"), _get(p, "conflict"), "/events?" + urlencode(place)))
    legend = [(SHADES[i], f"{lo:,}" if lo == hi else f"{lo:,}-{hi:,}") for i, (lo, hi) in enumerate(ranges)]
    return {"shapes": shapes, "dots": dots, "legend": legend, "width": WIDTH, "height": HEIGHT}


def graticule(step: int = 30) -> str:
    """SVG path data of the meridians and parallels every ``step`` degrees."""
    top, bottom = project(NORTH, 0)[1], project(SOUTH, 0)[1]
    lines = [f"M{project(0, lon)[0]:g},{top:g}V{bottom:g}" for lon in range(-180, 181, step)]
    lines += [f"M0,{project(lat, 0)[1]:g}H{WIDTH}" for lat in range(-step * (-int(SOUTH) // step), int(NORTH) + 1, step)
              if SOUTH <= lat <= NORTH]
    return "".join(lines)


def svg(drawn: dict, title: str = "Where the events happened", standalone: bool = False) -> str:
    """:func:`drawing`'s map as SVG: sea, graticule, shaded countries, dots (red: a place with
    conflict events), each with a tooltip; names escaped (they come from articles). ``standalone``:
    a file of its own (with the SVG namespace), else for inline use in HTML."""
    e = html.escape
    namespace = " xmlns='http://www.w3.org/2000/svg'" if standalone else ""
    parts = [f"<svg{namespace} viewBox='0 0 {drawn['width']} {drawn['height']}' "
             f"role='img' aria-label='{e(title)}'><title>{e(title)}</title>",
             f"<rect x='0' y='0' width='{drawn['width']}' height='{drawn['height']}' fill='{SEA}'/>",
             f"<path d='{graticule()}' fill='none' stroke='#cfd8dc' stroke-width='0.5'/>",
             "<g stroke='#90a4ae' stroke-width='0.4'>"]
    for s in drawn["shapes"]:
        parts.append(f"<path d='{s.path}' fill='{s.fill}'><title>{e(s.name)}: {s.n_events} event(s)</title></path>")
    parts.append("</g><g stroke='#ffffff' stroke-width='0.6' fill-opacity='0.85'>")
    for d in drawn["dots"]:
        where = f" ({e(d.country)})" if d.country else ""
        parts.append(f"<circle cx='{d.x:g}' cy='{d.y:g}' r='{d.r:g}' fill='{CONFLICT if d.conflict else OTHER}'>"
                     f"<title>{e(d.name)}{where}: {d.n_events} event(s), {d.conflict} conflict</title></circle>")
    parts.append("</g></svg>")
    return "".join(parts)
