"""Reports people look at: a self-contained HTML page (charts embedded as PNG, the map of where
the events happened as inline SVG: no scripts, no CDN, no tiles) and a compact terminal view of a
dyad's series, alerts and top evidence."""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..redlines.follow import by_declarer
from ..store import read
from ..where import worldmap
from ..redlines.ledger_view import timeline
from . import periods
from .escalation import Detector, Surge, detect
from .series import CLAIMS, QUAD_NAMES, Selection, dense, precisions, series

MAP_POINTS = 2000  # places drawn on the report's map (the busiest)
QUAD_COLOURS = {"verbal_coop": "#7fb3d5", "material_coop": "#1f618d", "verbal_conflict": "#f5b041",
                "material_conflict": "#c0392b"}
QUAD_LABELS = {"verbal_coop": "verbal cooperation", "material_coop": "material cooperation",
               "verbal_conflict": "verbal conflict", "material_conflict": "material conflict"}


@dataclass
class DyadView:
    """Everything a report shows, computed once."""

    selection: Selection
    freq: str
    rows: list[dict[str, Any]]
    claims: list[dict[str, Any]]          # the same series for threats, plans, claims, hypotheticals
    surges: list[Surge]
    alerts: list[tuple]                   # recorded watch alerts touching the dyad
    top: list[dict[str, Any]]             # the most-reported events, with evidence
    behind: dict[date, list[dict[str, Any]]]  # each surge's conflict events (by surge start)
    redlines: list[dict[str, Any]] = field(default_factory=list)  # red lines declared by either side, with their steps
    places: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # store.read.places: points, countries
    placed: int = 0                       # events with a point (on the map)
    selected: int = 0                     # events of the selection, dated or not

    @property
    def label(self) -> str:
        return self.selection.label


def conflict_counts(rows: list[dict[str, Any]], freq: str) -> list[tuple[date, int]]:
    """Verbal plus material conflict per period, every period filled."""
    verbal = dense(rows, freq, field="verbal_conflict")
    material = dict(dense(rows, freq, field="material_conflict"))
    return [(p, v + material.get(p, 0)) for p, v in verbal]


def build(store, selection: Selection, freq: str = "week", detector: Detector = Detector(), top: int = 10) -> DyadView:
    rows = series(store, selection, freq)
    claims_sel = selection.replace(modality=CLAIMS)
    claims = series(store, claims_sel, freq)
    surges = detect(conflict_counts(rows, freq), detector)
    where, params = selection.where()
    fields = ("SELECT event_key, date, source_code, source_name, cameo, plover, target_code, target_name, "
              "modality, n_mentions, n_articles, goldstein, evidence FROM events")

    top_events = store.rows(f"{fields} WHERE {where} ORDER BY n_mentions DESC, abs(goldstein) DESC, date DESC "
                         f"LIMIT {int(top)}", params)
    precise = ", ".join(repr(p) for p in precisions(freq))
    behind = {s.start: store.rows(f"{fields} WHERE {where} AND quad_class >= 3 AND date_precision IN ({precise}) "
                               "AND date BETWEEN ? AND ? ORDER BY n_mentions DESC, date LIMIT 8",
                               [*params, s.start, periods.end(s.end, freq)]) for s in surges}
    where_e, params_e = selection.where("e")
    alerts = store.sql(
        "SELECT DISTINCT a.rule, a.kind, a.window_start, a.window_end, a.n_events, a.detail FROM alerts a "
        "JOIN alert_events ae USING (alert_id) JOIN events e USING (event_key) "
        f"WHERE {where_e} ORDER BY a.window_start DESC LIMIT 50", params_e).fetchall() \
        if _has_table(store, "alerts") else []
    declarers = [m.code for m in (*selection.source, *selection.target, *selection.either)]
    lines = timeline(store, declarers) if declarers else []
    found = read.places(store, selection, limit=MAP_POINTS)
    selected, placed = store.sql(f"SELECT count(*), count(lat) FROM events WHERE {where}", params).fetchall()[0]
    return DyadView(selection, freq, rows, claims, surges, alerts, top_events, behind, lines, found, placed, selected)


def _has_table(store, name: str) -> bool:
    return bool(store.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0])


# -- charts ------------------------------------------------------------------------------------
def charts(view: DyadView) -> dict[str, bytes]:
    """PNG charts: events by quad class per period (surges shaded), and the Goldstein mean."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out: dict[str, bytes] = {}
    if not view.rows:
        return out
    periods = [p for p, _ in dense(view.rows, view.freq)]
    width = {"day": 1, "week": 6, "month": 27}[view.freq]
    fig, ax = plt.subplots(figsize=(10, 3.6), dpi=110)
    bottom = [0] * len(periods)
    for quad in QUAD_NAMES.values():
        values = [v for _, v in dense(view.rows, view.freq, field=quad)]
        ax.bar(periods, values, width=width, bottom=bottom, color=QUAD_COLOURS[quad], label=QUAD_LABELS[quad])
        bottom = [b + v for b, v in zip(bottom, values)]
    claims = dict(dense(view.claims, view.freq)) if view.claims else {}
    if claims:
        ax.plot(periods, [claims.get(p, 0) for p in periods], color="#6c3483", lw=1.2, ls="--",
                label="threats, plans, claims (not counted above)")
    half = timedelta(days=width / 2 + 0.5)
    for s in view.surges:  # the bars are centred on their period's first day
        ax.axvspan(s.start - half, s.end + half, color="#c0392b", alpha=0.15, lw=0, zorder=0)
    ax.set_title(f"{view.label}: factual events per {view.freq} (shaded: escalation alerts)", fontsize=10)
    ax.set_ylabel("events")
    ax.set_ylim(0, max(max(bottom), max(claims.values(), default=0)) * 1.35 + 1)  # room for the legend
    ax.legend(fontsize=7, ncol=3, loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    fig.tight_layout()
    out["series.png"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(10, 2.4), dpi=110)
    g = {r["period"]: r["goldstein_mean"] for r in view.rows}
    xs = [p for p in periods if p in g]
    ax.axhline(0, color="#999", lw=0.8)
    ax.plot(xs, [g[p] for p in xs], marker="o", ms=2.5, lw=1, color="#283747")
    ax.set_ylim(-10.5, 10.5)
    ax.set_title("mean Goldstein score (-10 conflict ... +10 cooperation)", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    fig.tight_layout()
    out["goldstein.png"] = _png(fig)
    plt.close(fig)
    return out


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# -- HTML --------------------------------------------------------------------------------------
STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;
color:#1c2833;padding:0 1em}h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;
border-bottom:1px solid #d5d8dc}.muted{color:#707b7c;font-size:.9em}table{border-collapse:collapse;width:100%;
font-size:.88em}th,td{text-align:left;padding:.35em .5em;border-bottom:1px solid #eaeded;vertical-align:top}
th{background:#f4f6f6}.num{text-align:right}td.d{white-space:nowrap}.stats{display:flex;gap:2em;flex-wrap:wrap}.stat b{font-size:1.4em;
display:block}img,figure.map svg{max-width:100%}figure.map{margin:0}.alert{color:#922b21;font-weight:600}q{font-style:italic}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def to_html(view: DyadView, images: dict[str, bytes], db: str) -> str:
    total = sum(r["events"] for r in view.rows)
    conflict = sum(r["verbal_conflict"] + r["material_conflict"] for r in view.rows)
    coop = total - conflict
    claims = sum(r["events"] for r in view.claims)
    span = f"{view.rows[0]['period']} to {view.rows[-1]['period']}" if view.rows else "no dated events"
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Redline: {_e(view.label)}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>{_e(view.label)}</h1><p class='muted'>Redline report from {_e(db)}, "
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; factual events per {view.freq}, {_e(span)}.</p>",
             "<div class='stats'>",
             f"<div class='stat'><b>{total}</b>factual events</div>",
             f"<div class='stat'><b>{coop}</b>cooperative</div>",
             f"<div class='stat'><b>{conflict}</b>conflictual</div>",
             f"<div class='stat'><b>{claims}</b>threats, plans and claims</div>",
             f"<div class='stat'><b class='alert'>{len(view.surges)}</b>escalation alerts</div></div>"]
    for name, alt in (("series.png", "events per period by quad class"), ("goldstein.png", "mean Goldstein score")):
        if name in images:
            data = base64.b64encode(images[name]).decode()
            parts.append(f"<p><img alt='{alt}' src='data:image/png;base64,{data}'></p>")
    parts.append(map_html(view))
    parts.append("<h2>Escalation alerts</h2>")
    if view.surges:
        parts.append("<table><tr><th>from</th><th>to</th><th class='num'>conflict events</th>"
                     "<th class='num'>expected</th><th class='num'>p</th></tr>")
        for s in view.surges:
            parts.append(f"<tr><td class='d'>{s.start}</td><td class='d'>{s.end}</td><td class='num'>{s.observed}</td>"
                         f"<td class='num'>{s.expected:.1f}</td><td class='num'>{s.p_value:.1e}</td></tr>")
            evidence = "".join(f"<li>{e['date']} {_e(e['source_name'] or e['source_code'])} "
                               f"{_e(e['cameo'])} {_e(e['plover'] or '')} {_e(e['target_name'] or e['target_code'])}: "
                               f"<q>{_e(e['evidence'])}</q></li>" for e in view.behind.get(s.start, []))
            parts.append(f"<tr><td colspan='5'><ul>{evidence}</ul></td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p class='muted'>No period rose well above the dyad's own baseline.</p>")
    if view.alerts:
        parts.append("<h2>Red-line alerts recorded by <code>redline watch</code></h2><table><tr><th>rule</th>"
                     "<th>kind</th><th>window</th><th class='num'>events</th><th>detail</th></tr>")
        for rule, kind, start, end, n, detail in view.alerts:
            parts.append(f"<tr><td>{_e(rule)}</td><td>{_e(kind)}</td><td class='d'>{start} .. {end}</td>"
                         f"<td class='num'>{n}</td><td>{_e(detail)}</td></tr>")
        parts.append("</table>")
    if view.redlines:
        parts.append(redlines_html(view.redlines))
    parts.append("<h2>Most reported events</h2><table><tr><th>date</th><th>who</th><th>did</th><th>to whom</th>"
                 "<th class='num'>mentions</th><th>evidence</th></tr>")
    for e in view.top:
        modality = "" if e["modality"] == "factual" else f" <span class='muted'>({_e(e['modality'])})</span>"
        parts.append(f"<tr><td class='d'>{e['date'] or ''}</td><td>{_e(e['source_name'] or e['source_code'])}</td>"
                     f"<td>{_e(e['cameo'])} {_e(e['plover'] or '')}{modality}</td>"
                     f"<td>{_e(e['target_name'] or e['target_code'])}</td><td class='num'>{e['n_mentions']}</td>"
                     f"<td><q>{_e(e['evidence'])}</q></td></tr>")
    parts.append("</table><p class='muted'>Counts are factual events only; threats, plans, claims and hypotheticals "
                 "are the dashed line. Alerts: conflict events per period against a negative binomial fitted to the "
                 "dyad's previous periods.</p></body></html>")
    return "\n".join(parts)


def map_html(view: DyadView) -> str:
    """The map section: where the events happened (inline SVG, :mod:`redline.where.worldmap`) and
    the busiest places; how many events have no point (no place in the text, or a name in no
    gazetteer) is said, not drawn."""
    points = view.places.get("points", [])
    parts = ["<h2>Where the events happened</h2>"]
    if not points and not view.places.get("countries"):
        return parts[0] + "<p class='muted'>No event of the selection is placed.</p>"
    parts.append(f"<figure class='map'>{worldmap.svg(worldmap.drawing(points, view.places.get('countries', [])))}"
                 f"<figcaption class='muted'>{view.placed} of the selection's {view.selected} events placed "
                 f"at {len(points)} places (an event without a place in its text, or at a name no gazetteer "
                 "has, is not drawn). Countries shaded by events placed in them, else done to them; dots sized "
                 "by events, red where some are conflict. Outlines: the countryinfo package, low resolution; "
                 "equirectangular, graticule every 30&deg;.</figcaption></figure>")
    if points:
        parts.append("<table><tr><th>place</th><th>country</th><th class='num'>events</th>"
                     "<th class='num'>conflict</th></tr>")
        for p in points[:10]:
            parts.append(f"<tr><td>{_e(p['name'])}</td><td>{_e(p['country'])}</td><td class='num'>{p['n_events']}</td>"
                         f"<td class='num'>{p['conflict']}</td></tr>")
        parts.append("</table>")
    return "\n".join(parts)


MAX_CROSSINGS_SHOWN = 12  # a red line crossed day after day lists its first crossings only


def redlines_html(lines: list[dict[str, Any]]) -> str:
    """The red lines section: each red line's timeline, declared -> restated -> crossed -> response,
    with the words of each step (escaped: article text is the attacker's)."""
    parts = ["<h2>Red lines</h2><p class='muted'>Declared by either side: each statement, the events "
             "crossing it (confirmed by others, claimed, or announced) and the declarer's response.</p>",
             "<table><tr><th>declarer</th><th class='num'>red lines</th><th class='num'>crossed</th>"
             "<th class='num'>enforced</th><th class='num'>restated after crossing</th></tr>"]
    for d in by_declarer(lines):
        parts.append(f"<tr><td>{_e(d['declarer'])}</td><td class='num'>{d['declared']}</td>"
                     f"<td class='num'>{d['crossed']}</td><td class='num'>{d['enforced']}</td>"
                     f"<td class='num'>{d['restated_after_crossing']}</td></tr>")
    parts.append("</table>")
    for r in lines:
        parts.append(f"<h3>{_e(r['declarer'])}: {_e(r['trigger'])} &rarr; {_e(r['consequence'])} "
                     f"<span class='muted'>({_e(r['status'])}; {_e(r['stance'])}, "
                     f"{r['n_statements']} statement(s))</span></h3>")
        parts.append("<table class='timeline'><tr><th>date</th><th>step</th><th>what</th><th>evidence</th></tr>")
        crossed = 0
        for s in r["steps"]:
            crossed += s["step"] == "crossed"
            if s["step"] == "crossed" and crossed > MAX_CROSSINGS_SHOWN:
                continue
            parts.append(f"<tr><td class='d'>{_e(s['date'] or '')}</td><td>{_e(s['step'])}</td>"
                         f"<td>{_e(s['detail'])}</td><td><q>{_e(s['evidence'])}</q></td></tr>")
        if crossed > MAX_CROSSINGS_SHOWN:
            parts.append(f"<tr><td colspan='4' class='muted'>... and {crossed - MAX_CROSSINGS_SHOWN} more crossings "
                         "(<code>redline redlines -f jsonl</code>, <code>redline_crossings</code>)</td></tr>")
        parts.append("</table>")
    return "\n".join(parts)


def write_report(store, selection: Selection, out: str | Path, freq: str = "week", db: str = "") -> dict[str, Path]:
    """Write ``out`` (HTML, charts embedded) and the charts as PNG files beside it; returns the paths."""
    view = build(store, selection, freq)
    try:
        images = charts(view)
    except (ValueError, OverflowError):  # dates near year 1 or 9999, which matplotlib cannot place
        images = {}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_html(view, images, db), encoding="utf-8")
    written = {"html": out}
    if view.places.get("points") or view.places.get("countries"):
        images = {**images, "map.svg": worldmap.svg(worldmap.drawing(view.places["points"],
                                                                     view.places["countries"]),
                                                    standalone=True).encode("utf-8")}
    for name, data in images.items():
        path = out.with_name(f"{out.stem}-{name}")
        path.write_bytes(data)
        written[name] = path
    return written


# -- terminal ----------------------------------------------------------------------------------
BARS = " ▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    top = max(values) if values else 0
    if not top:
        return " " * len(values)
    return "".join(BARS[min(8, round(8 * v / top))] if v else " " for v in values)
