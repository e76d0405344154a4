#!/usr/bin/env python3
"""Build src/redline/actors/data/countries.csv.

Sources:
  * pycountry     -- the list of ISO 3166-1 entities, short/official/common names
  * countryinfo   -- default demonyms and capitals for entities without a curated row
  * tools/country_overrides.csv -- curated table (written by hand): news-style
    short name, extra aliases, demonyms, capitals / seats of government, plus
    entities pycountry lacks (Kosovo XKX) and CAMEO region/bloc rows.

Override semantics (one row per code):
  name        non-empty -> replaces the pycountry name
  aliases     merged with pycountry-derived aliases
  adjectives  non-empty -> replaces countryinfo demonyms ('-' = none)
  capitals    non-empty -> replaces countryinfo capital ('-' = none)
  kind        country | region

Every form gets an ASCII-folded twin (Côte d'Ivoire -> Cote d'Ivoire) unless
the twin is in BLOCKED (e.g. Malé -> Male).  A form claimed by two codes is
dropped from the rows where it was only auto-derived; a conflict between two
curated rows aborts the build.

The runtime never imports pycountry/countryinfo: the committed CSV is the data.

Usage:  python tools/build_country_table.py [--check]
"""
from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "tools" / "country_overrides.csv"
OUT = ROOT / "src" / "redline" / "actors" / "data" / "countries.csv"
HEADER = ["code", "name", "aliases", "adjectives", "capitals", "kind"]

# forms that are ordinary English words / names and must never be emitted
BLOCKED = {
    "Male", "Man", "Mann", "Island", "West",
    "Douglas", "Hamilton", "Stanley", "Plymouth", "The Valley", "West Island",
    "George Town", "City of Victoria",
}


def split(field: str) -> list[str]:
    field = (field or "").strip()
    if not field or field == "-":
        return []
    return [p.strip() for p in field.split("|") if p.strip()]


def ascii_fold(s: str) -> str:
    s = s.replace("’", "'").replace("ʻ", "'").replace("ʽ", "'")
    nk = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in nk if not unicodedata.combining(ch))


def clean_pycountry_name(s: str | None) -> str | None:
    if not s:
        return None
    s = s.strip()
    if "," in s or "(" in s:
        return None  # inverted ISO forms: "Korea, Republic of", "Holy See (...)"
    if s.lower().startswith("the "):
        s = s[4:]
    return s


def plural(dem: str) -> list[str]:
    if dem.endswith(("ese", "ss", "sh", "ch", "i")) or " " in dem and dem.split()[-1][0].islower():
        return [dem]
    return [dem, dem + "s"]


def load_overrides() -> dict[str, dict[str, str]]:
    with OVERRIDES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        code = r["code"].strip()
        if code in out:
            sys.exit(f"duplicate override row {code}")
        out[code] = r
    return out


def countryinfo_index() -> dict[str, dict]:
    import countryinfo

    idx = {}
    for ci in countryinfo.all_countries():
        try:
            info = ci.info()
        except Exception:  # noqa: BLE001 - a few entries are broken upstream
            continue
        a3 = (info.get("ISO") or {}).get("alpha3")
        if a3 and a3 not in idx:
            idx[a3] = info
    return idx


def dedupe(seq):
    seen, out = set(), []
    for x in seq:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def build():
    import pycountry

    ov = load_overrides()
    ci = countryinfo_index()
    rows = {}
    # curated[(code, form)] = True when the form came from the override table
    curated = set()

    def entity(code, py=None):
        o = ov.get(code, {})
        auto_names = []
        if py is not None:
            for attr in ("name", "official_name", "common_name"):
                n = clean_pycountry_name(getattr(py, attr, None))
                if n:
                    auto_names.append(n)
        name = (o.get("name") or "").strip() or (auto_names[-1] if auto_names else code)
        aliases_c = split(o.get("aliases", ""))
        info = ci.get(code, {})
        if (o.get("adjectives") or "").strip():
            adj_c, adj_a = split(o["adjectives"]), []
        else:
            adj_c, adj_a = [], []
            for d in (info.get("demonym") or "").split(","):
                d = d.strip()
                if d and d != name:
                    adj_a += plural(d)
        if (o.get("capitals") or "").strip():
            cap_c, cap_a = split(o["capitals"]), []
        else:
            cap_c = []
            cap_a = [c.strip() for c in str(info.get("capital") or "").split("/") if c.strip()]
        kind = (o.get("kind") or "").strip() or "country"
        fields = {"name": name}
        for f, cur, auto in (("aliases", aliases_c, auto_names), ("adjectives", adj_c, adj_a),
                             ("capitals", cap_c, cap_a)):
            items = []
            for src, is_cur in ((cur, True), (auto, False)):
                for form in src:
                    for v in (form, ascii_fold(form)):
                        if v in BLOCKED or v == name:
                            continue
                        items.append(v)
                        if is_cur:
                            curated.add((code, v))
            fields[f] = dedupe(items)
        curated.add((code, name))
        if ascii_fold(name) != name and ascii_fold(name) not in fields["aliases"]:
            fields["aliases"].insert(0, ascii_fold(name))
            curated.add((code, ascii_fold(name)))
        fields["kind"] = kind
        rows[code] = fields

    for py in pycountry.countries:
        entity(py.alpha_3, py)
    for code in ov:
        if code not in rows:
            entity(code)

    # conflict resolution
    owners: dict[str, set[str]] = {}
    for code, f in rows.items():
        for form in [f["name"], *f["aliases"], *f["adjectives"], *f["capitals"]]:
            owners.setdefault(form, set()).add(code)
    hard = []
    for form, codes in sorted(owners.items()):
        if len(codes) < 2:
            continue
        cur = {c for c in codes if (c, form) in curated}
        if len(cur) > 1:
            hard.append((form, sorted(cur)))
            continue
        for c in codes - cur:
            for fld in ("aliases", "adjectives", "capitals"):
                if form in rows[c][fld]:
                    rows[c][fld].remove(form)
                    print(f"dropped auto form {form!r} from {c} (owned by {sorted(cur) or sorted(codes)})",
                          file=sys.stderr)
            if not cur:
                hard.append((form, sorted(codes)))
    if hard:
        for form, codes in hard:
            print(f"CONFLICT {form!r}: {codes}", file=sys.stderr)
        sys.exit(1)

    def order(item):
        code, f = item
        return (f["kind"] != "country", code)

    out_rows = []
    for code, f in sorted(rows.items(), key=order):
        out_rows.append([code, f["name"], "|".join(f["aliases"]), "|".join(f["adjectives"]),
                         "|".join(f["capitals"]), f["kind"]])
    return out_rows


def render(rows) -> str:
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue()


def main(argv):
    text = render(build())
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("countries.csv is out of date; re-run tools/build_country_table.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
