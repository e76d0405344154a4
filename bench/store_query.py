"""A dyad query over millions of events: how long "events between two countries by week" takes.

    python bench/store_query.py [--events 10000000] [--db /tmp/redline-10m.duckdb]

The events are synthetic, generated inside DuckDB: 80 countries drawn with Zipf-like weights (a
few countries in most news, like real event data), sectors, CAMEO codes of all 20 roots with
their real quad classes, Goldstein values and PLOVER types, dates spread over 2015-2025, 85%
factual, 1-5 mentions each, an evidence sentence made of the code names, and the key of the
document (one per ten events) that tells it; ``add_pages`` adds those documents and one mention
per event, so event pages (``/api/events/{id}``) work too. The query is Redline's own series (``redline.analytics.series``):
the RUS->UKR dyad by week, counts by quad class and PLOVER type, Goldstein sum and mean.
Prints generation time, store size, and the query's first and median-of-five times.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COUNTRIES = ("RUS UKR USA CHN ISR PSE IRN SYR IRQ AFG PAK IND FRA GBR DEU TUR SAU YEM EGY LBY SDN SSD ETH SOM "
             "NGA MLI COD KEN ZAF PRK KOR JPN TWN PHL MMR THA IDN VNM BRA VEN COL MEX ARG CUB HTI BLR POL HUN SRB "
             "XKX BIH GEO ARM AZE KAZ UZB TJK KGZ BGD LKA NPL AUS NZL CAN ITA ESP GRC CYP LBN JOR QAT ARE OMN KWT "
             "BHR DZA MAR TUN").split()


def generate(store, n: int) -> None:
    from redline import ontology
    """Insert ``n`` synthetic events into ``store`` (reproducible: a fixed seed); ten events in a
    row share a ``first_doc_key`` (the documents themselves come from :func:`add_pages`)."""
    codes = [(c.code, c.root, c.quad_class, c.goldstein, c.plover, c.name.lower())
             for c in ontology.cameo_codes() if len(c.code) >= 3]
    store.sql("CREATE OR REPLACE TEMP TABLE syn_countries AS SELECT unnest(?) AS c, "
              "generate_subscripts(?, 1) AS i", [COUNTRIES, COUNTRIES]).fetchall()
    store.sql("CREATE OR REPLACE TEMP TABLE syn_codes (i INTEGER, code VARCHAR, root VARCHAR, quad TINYINT, "
              "goldstein DOUBLE, plover VARCHAR, name VARCHAR)").fetchall()
    store.con.executemany("INSERT INTO syn_codes VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [(i + 1, *row) for i, row in enumerate(codes)])
    k, m = len(COUNTRIES), len(codes)
    store.sql("SELECT setseed(0.42)").fetchall()
    store.sql(f"""
        INSERT INTO events
        SELECT event_key, s.c || sec.s || '|' || t.c || 'GOV|' || code.root || '|' || modality, date, 'day',
               s.c || sec.s AS source_code, s.c, sec.s, NULL, NULL,
               t.c || 'GOV' AS target_code, t.c, 'GOV', NULL, NULL,
               code.code, code.root, code.plover, NULL, code.quad, code.goldstein, modality,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.7,  -- no place
               s.c || sec.s || ' and ' || t.c || 'GOV: ' || code.name || ' (' || code.code || '), ' || date || '.',
               1 + (random() * 4)::INTEGER, 1, 1, md5('doc' || (r // 10)::VARCHAR)
        FROM (SELECT *, md5(r::VARCHAR) AS event_key, DATE '2015-01-01' + (random() * 4017)::INTEGER AS date,
                     CASE WHEN random() < 0.85 THEN 'factual' ELSE 'future' END AS modality FROM (SELECT r, 1 + least({k} - 1, floor(pow(random(), 2.5) * {k}))::INTEGER AS si,
                        1 + least({k} - 1, floor(pow(random(), 2.5) * {k}))::INTEGER AS ti,
                        1 + floor(random() * {m})::INTEGER AS ci,
                        (['GOV', 'MIL', 'COP', 'REB', 'CVL'])[1 + floor(random() * 5)::INTEGER] AS s
              FROM range({n}) t(r))) x
        JOIN syn_countries s ON s.i = x.si JOIN syn_countries t ON t.i = x.ti
        JOIN syn_codes code ON code.i = x.ci, (SELECT x.s) sec(s)
    """).fetchall()


def add_pages(store) -> None:
    """Add what the events' pages show: each ``first_doc_key``'s document (its text the evidence
    of its events, one sentence each) and one mention per event, read from that sentence."""
    store.sql("""
        CREATE OR REPLACE TEMP TABLE syn_sentences AS
        SELECT e.*, row_number() OVER w - 1 AS sentence_index,
               coalesce(sum(length(evidence) + 1) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                   AS span_start
        FROM events e WINDOW w AS (PARTITION BY first_doc_key ORDER BY event_key)
    """).fetchall()
    store.sql("""
        INSERT INTO documents BY NAME
        SELECT first_doc_key AS doc_key, first_doc_key AS text_key, 'synthetic-' || first_doc_key[:8] AS doc_id,
               'Synthetic report ' || first_doc_key[:8] AS title,
               'https://example.org/' || first_doc_key[:8] AS url, 'Synthetic Wire' AS publisher,
               min(date) AS published, sum(length(evidence) - length(replace(evidence, ' ', '')) + 1) AS n_words,
               count(*) AS n_mentions, 'bench/store_query.py' AS origin,
               string_agg(evidence, ' ' ORDER BY sentence_index) AS text, now()::TIMESTAMP AS ingested_at
        FROM syn_sentences GROUP BY first_doc_key
    """).fetchall()
    store.sql("""
        INSERT INTO mentions BY NAME
        SELECT md5('mention' || event_key) AS mention_id, first_doc_key AS doc_key,
               'synthetic-' || first_doc_key[:8] AS doc_id, sentence_index, span_start,
               span_start + length(evidence) AS span_end, evidence, date, date_precision,
               source_code, source_country, source_sector, target_code, target_country, target_sector,
               cameo, cameo_root, plover, quad_class, goldstein, modality, confidence,
               'synthetic: ' || cameo AS explanation, group_key, event_key
        FROM syn_sentences
    """).fetchall()
    store.sql("DROP TABLE syn_sentences").fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/redline-synthetic.duckdb"))
    ap.add_argument("--keep", action="store_true", help="reuse the store if it has the events already")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from redline.analytics.series import Selection, series
    from redline.store import Store

    if not args.keep and args.db.exists():
        args.db.unlink()
    with Store(args.db) as store:
        have = store.counts()["events"]
        if have != args.events:
            store.sql("DELETE FROM events").fetchall()
            started = time.perf_counter()
            generate(store, args.events)
            print(f"generated {args.events:,} synthetic events in {time.perf_counter() - started:.1f}s")
        store.sql("CHECKPOINT").fetchall()
    size = os.path.getsize(args.db) / 2**20
    with Store(args.db, read_only=True) as store:
        selection = Selection(source="RUS", target="UKR")
        times, rows = [], []
        for _ in range(6):
            started = time.perf_counter()
            rows = series(store, selection, "week")
            times.append(time.perf_counter() - started)
        total = store.sql("SELECT count(*) FROM events").fetchall()[0][0]
    print(f"store: {total:,} events, {size:,.0f} MB on disk")
    print(f"RUS->UKR by week: {len(rows)} weeks, {sum(r['events'] for r in rows):,} factual events")
    print(f"query time: first {times[0] * 1000:.0f} ms, median of next five {statistics.median(times[1:]) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
