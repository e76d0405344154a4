"""Which events: Redline's one read model.

A :class:`Filters` says which events a query, an export, a series, a watch rule, the API or the
dashboard wants. It is built from a mapping with the same names everywhere (CLI options, YAML
rule fields, URL query parameters: see :data:`PARAMETERS`) by :meth:`Filters.from_mapping`, which
gives the same :class:`FilterError` naming the parameter for the same mistake, and turns into SQL
with parameters (values are never pasted into the SQL) by :meth:`Filters.where`.

    filters = Filters.from_mapping({"dyad": "RUS:UKR", "type": "ASSAULT,19", "from": "2024-01"})
    where, params = filters.where()   # SQL text with ? marks, and their values
    store.rows(f"SELECT * FROM events WHERE {where}", params)
"""
from __future__ import annotations

import calendar
import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from .. import ontology
from ..schema import MODALITIES
from ..actors.groups import GroupError, Groups, Member, builtin_groups, members

BODIES = {"IGO", "NGO"}  # three letters that are code prefixes, not countries
QUADS = {"verbal_coop": 1, "material_coop": 2, "verbal_conflict": 3, "material_conflict": 4}
COUNTRY = re.compile(r"^[A-Z]{3}$")
MAX_TEXT = 200  # a text search longer than this is not a search

# name -> help; the same names for CLI options (--min-mentions), rule fields and query strings
PARAMETERS: dict[str, str] = {
    "actor": "An actor on either side: a country (RUS), a code prefix (RUSMIL) or a group (NATO); comma-separate several.",
    "source": "The actor doing it (country, code prefix or group).",
    "target": "The actor it is done to (country, code prefix or group).",
    "dyad": "SOURCE:TARGET, e.g. RUS:UKR.",
    "undirected": "Take the source and target both ways round.",
    "type": "PLOVER types or CAMEO codes or prefixes: THREATEN, ASSAULT, 19, 1383.",
    "root": "CAMEO root codes, 01 to 20.",
    "quad": "Quad classes: 1-4 or verbal_coop, material_coop, verbal_conflict, material_conflict.",
    "modality": f"Modalities: {', '.join(MODALITIES)}.",
    "factual": "Only events told as facts (modality factual).",
    "reported_by": "Events some mention of which is told on the word of this actor (code prefix), or 'none' for the article's own voice.",
    "country": "Events placed in, or done to, these countries (ISO 3166 alpha-3).",
    "place": "Events whose place name contains this text.",
    "admin1": "Events placed in this first-level division (province, governorate, state): its GeoNames name or a spelling the town table knows (Raqqa is Ar-Raqqah); comma-separate several.",
    "from": "From this date (YYYY-MM-DD, YYYY-MM or YYYY).",
    "to": "Up to this date (YYYY-MM-DD, YYYY-MM or YYYY).",
    "text": "Events whose evidence sentence contains this text (case-insensitive).",
    "min_mentions": "Events told at least this many times.",
}
# other spellings accepted for a parameter (watch rules were written with these)
ALIASES = {"either": "actor", "types": "type", "cameo": "type", "where": "country", "start": "from", "end": "to",
           "q": "text"}


class FilterError(ValueError):
    """A filter value that cannot be used; ``parameter`` is the name it was given under."""

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter}: {problem}")
        self.parameter, self.problem = parameter, problem


def _members(value: Any) -> tuple[Member, ...]:
    if value is None or value == ():
        return ()
    if isinstance(value, (str, Member)):
        value = [value]
    return tuple(m if isinstance(m, Member) else Member(str(m).upper()) for m in value)


@dataclass(frozen=True)
class Filters:
    """Events by actors, kind, modality, place, dates, words and mentions; every field optional.

    ``source``/``target``/``either``: members (a country by its country column, anything longer, or
    IGO/NGO, as a code prefix; a member with dates only while it was one); plain codes are
    accepted. ``directed=False`` also takes the pair the other way round. ``types``: PLOVER types;
    ``cameo``: CAMEO code prefixes (an event of either kind matches). Build from user input with
    :meth:`from_mapping`, which validates.
    """

    source: tuple[Member, ...] = ()
    target: tuple[Member, ...] = ()
    directed: bool = True
    modality: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    types: tuple[str, ...] = ()
    cameo: tuple[str, ...] = ()
    either: tuple[Member, ...] = ()
    quad: tuple[int, ...] = ()
    reported_by: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    place: str | None = None
    admin1: tuple[str, ...] = ()   # lowercase names, each with the town table's name of it
    text: str | None = None
    min_mentions: int = 1

    def __post_init__(self) -> None:
        for name in ("source", "target", "either"):
            object.__setattr__(self, name, _members(getattr(self, name)))
        for name in ("modality", "types", "cameo", "quad", "reported_by", "country", "admin1"):
            value = getattr(self, name)
            object.__setattr__(self, name, (value,) if isinstance(value, (str, int)) else tuple(value))

    def replace(self, **changes: Any) -> "Filters":
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    @property
    def label(self) -> str:
        """A short name for titles: ``RUS -> UKR``, ``RUS <-> UKR``, ``RUS (either side)``."""
        codes = lambda ms: "+".join(dict.fromkeys(m.group or m.code for m in ms)) or "any"  # noqa: E731
        if self.source or self.target:
            return f"{codes(self.source)} {'->' if self.directed else '<->'} {codes(self.target)}"
        return f"{codes(self.either)} (either side)" if self.either else "all events"

    @property
    def empty(self) -> bool:
        """True when nothing is filtered (every event matches)."""
        return self == Filters()

    # -- building from user input ----------------------------------------------------------------
    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], groups: Groups | None = None,
                     defaults: Mapping[str, Any] | None = None) -> "Filters":
        """Filters from named values (:data:`PARAMETERS`, or their :data:`ALIASES`); a value may be
        a list or a comma-separated string; None and "" are left out. FilterError names the
        parameter as given. ``groups``: actor groups beyond the built-in ones (a rules file's);
        ``defaults``: fields used when not given (``{"modality": ("factual",)}``)."""
        given = {k: v for k, v in values.items() if v is not None and v != "" and v != [] and v != ()}
        names: dict[str, str] = {}
        for key in given:
            name = ALIASES.get(key, key)
            if name not in PARAMETERS:
                raise FilterError(key, f"not a filter (filters: {', '.join(PARAMETERS)})")
            if name in names and name != "type":
                raise FilterError(key, f"given twice (also as {names[name]})")
            names.setdefault(name, key)
        fields: dict[str, Any] = dict(defaults or {})

        def listed(key: str) -> list[str]:
            value = given[key]
            items = value if isinstance(value, (list, tuple)) else [value]
            return [p.strip() for item in items for p in str(item).split(",") if p.strip()]

        def actors(key: str) -> tuple[Member, ...]:
            try:
                found = members(listed(key), None if groups is None else {**builtin_groups(), **groups})
            except GroupError as e:
                raise FilterError(key, str(e)) from None
            return found

        if "dyad" in names and ({"source", "target", "actor"} & set(names)):
            raise FilterError(names["dyad"], "give a dyad, or source/target/actor, not both")
        if "dyad" in names:
            key = names["dyad"]
            parts = str(given[key]).upper().split(":")
            if len(parts) != 2 or not all(parts):
                raise FilterError(key, f"{str(given[key])[:40]!r} must be SOURCE:TARGET, e.g. RUS:UKR")
            fields["source"], fields["target"] = (actors_of(key, p, groups) for p in parts)
        for name in ("source", "target"):
            if name in names:
                fields[name] = actors(names[name])
        if "actor" in names:
            fields["either"] = actors(names["actor"])
        if "undirected" in names:
            fields["directed"] = not _boolean(names["undirected"], given[names["undirected"]])
        kinds = [(k, v) for k in given if ALIASES.get(k, k) == "type" for v in listed(k)]
        types, cameo = [], []
        for key, value in kinds:
            if value.isdigit():
                if not any(c.code.startswith(value) for c in ontology.cameo_codes()):
                    raise FilterError(key, f"{value[:20]!r} is not a CAMEO code or prefix")
                cameo.append(value)
            else:
                try:
                    types.append(ontology.plover(value).name)
                except KeyError:
                    raise FilterError(key, f"{value[:40]!r} is neither a PLOVER type nor a CAMEO code") from None
        if "root" in names:
            for value in listed(names["root"]):
                if not (value.isdigit() and len(value) == 2 and 1 <= int(value) <= 20):
                    raise FilterError(names["root"], f"{value[:20]!r} is not a CAMEO root (01 to 20)")
                cameo.append(value)
        if types or cameo:
            fields["types"], fields["cameo"] = tuple(dict.fromkeys(types)), tuple(dict.fromkeys(cameo))
        if "quad" in names:
            quads = []
            for value in listed(names["quad"]):
                q = QUADS.get(value.lower(), int(value) if value.isdigit() else None)
                if q not in (1, 2, 3, 4):
                    raise FilterError(names["quad"], f"{value[:30]!r} is not a quad class (1-4, {', '.join(QUADS)})")
                quads.append(q)
            fields["quad"] = tuple(dict.fromkeys(quads))
        if "factual" in names and "modality" in names:
            raise FilterError(names["factual"], "give factual or modality, not both")
        if "factual" in names and _boolean(names["factual"], given[names["factual"]]):
            fields["modality"] = ("factual",)
        if "modality" in names:
            modality = tuple(m.lower() for m in listed(names["modality"]))
            for m in modality:
                if m not in MODALITIES:
                    raise FilterError(names["modality"], f"{m[:30]!r} is not one of {', '.join(MODALITIES)}")
            fields["modality"] = modality
        if "reported_by" in names:
            reporters = tuple(v.upper() if v.lower() != "none" else "none" for v in listed(names["reported_by"]))
            for r in reporters:
                if r != "none" and not re.match(r"^[A-Z]{3}[A-Z]*$", r):
                    raise FilterError(names["reported_by"], f"{r[:30]!r} is not an actor code or 'none'")
            fields["reported_by"] = reporters
        if "country" in names:
            countries = tuple(v.upper() for v in listed(names["country"]))
            for c in countries:
                if not COUNTRY.match(c):
                    raise FilterError(names["country"], f"{c[:30]!r} is not a country code (ISO 3166 alpha-3)")
            fields["country"] = countries
        if "admin1" in names:
            given_names = listed(names["admin1"])
            if any(len(n) > MAX_TEXT for n in given_names) or len(given_names) > 50:
                raise FilterError(names["admin1"], f"at most 50 names of at most {MAX_TEXT} characters")
            fields["admin1"] = division_names(given_names)
        for name in ("place", "text"):
            if name in names:
                value = str(given[names[name]])
                if len(value) > MAX_TEXT:
                    raise FilterError(names[name], f"longer than {MAX_TEXT} characters")
                fields[name] = value
        if "from" in names:
            fields["start"] = _date(names["from"], given[names["from"]], last=False)
        if "to" in names:
            fields["end"] = _date(names["to"], given[names["to"]], last=True)
        if fields.get("start") and fields.get("end") and fields["start"] > fields["end"]:
            raise FilterError(names.get("from", "from"), f"{fields['start']} is after to={fields['end']}")
        if "min_mentions" in names:
            key = names["min_mentions"]
            value = given[key]
            if isinstance(value, bool) or not (isinstance(value, int) or str(value).strip().isdigit()) \
                    or not 1 <= int(value) <= 1_000_000:
                raise FilterError(key, f"must be a whole number from 1 to 1,000,000, got {str(value)[:20]!r}")
            fields["min_mentions"] = int(value)
        return cls(**fields)

    # -- SQL ---------------------------------------------------------------------------------------
    def where(self, table: str = "events") -> tuple[str, list[Any]]:
        """A WHERE clause over ``table`` (the events table or a view with its columns) or "TRUE",
        and its parameters."""
        t = f"{table}." if table else ""
        clauses: list[str] = []
        params: list[Any] = []

        def pair(a: tuple[Member, ...], b: tuple[Member, ...]) -> str:
            parts = ([side_clause("source", a, params, t)] if a else []) + \
                    ([side_clause("target", b, params, t)] if b else [])
            return "(" + (" AND ".join(parts) or "TRUE") + ")"

        if self.source or self.target:
            forward = pair(self.source, self.target)
            clauses.append(forward if self.directed else f"({forward} OR {pair(self.target, self.source)})")
        if self.either:
            clauses.append(f"({side_clause('source', self.either, params, t)} OR "
                           f"{side_clause('target', self.either, params, t)})")
        kinds = kind_clauses(self.types, self.cameo, params, t)
        if kinds:
            clauses.append("(" + " OR ".join(kinds) + ")")
        if self.quad:
            clauses.append(f"{t}quad_class IN ({', '.join('?' for _ in self.quad)})")
            params.extend(self.quad)
        if self.modality:
            clauses.append(f"{t}modality IN ({', '.join('?' for _ in self.modality)})")
            params.extend(self.modality)
        if self.country:
            marks = ", ".join("?" for _ in self.country)
            clauses.append(f"({t}location_country IN ({marks}) OR {t}target_country IN ({marks}))")
            params.extend(self.country * 2)
        if self.admin1:
            clauses.append(f"lower({t}location_admin1) IN ({', '.join('?' for _ in self.admin1)})")
            params.extend(self.admin1)
        if self.place:
            clauses.append(f"{t}location_name ILIKE ? ESCAPE '\\'")
            params.append(f"%{_like(self.place)}%")
        if self.text:
            clauses.append(f"{t}evidence ILIKE ? ESCAPE '\\'")
            params.append(f"%{_like(self.text)}%")
        if self.reported_by:
            said = []
            for r in self.reported_by:
                if r == "none":
                    said.append("m.reported_by_code IS NULL")
                else:
                    said.append("m.reported_by_code LIKE ?")
                    params.append(r + "%")
            clauses.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.event_key = {t or 'events.'}event_key "
                           f"AND ({' OR '.join(said)}))")
        if self.start:
            clauses.append(f"{t}date >= ?")
            params.append(self.start)
        if self.end:
            clauses.append(f"{t}date <= ?")
            params.append(self.end)
        if self.min_mentions > 1:
            clauses.append(f"{t}n_mentions >= ?")
            params.append(self.min_mentions)
        return (" AND ".join(clauses) or "TRUE"), params

    def to_mapping(self) -> dict[str, Any]:
        """The filters as query parameters (the names :meth:`from_mapping` reads), for links."""
        out: dict[str, Any] = {}
        codes = lambda ms: ",".join(dict.fromkeys(m.group or m.code for m in ms))  # noqa: E731
        if self.source:
            out["source"] = codes(self.source)
        if self.target:
            out["target"] = codes(self.target)
        if self.either:
            out["actor"] = codes(self.either)
        if not self.directed:
            out["undirected"] = "true"
        if self.types or self.cameo:
            out["type"] = ",".join((*self.types, *self.cameo))
        for name in ("quad", "modality", "reported_by", "country", "admin1"):
            if getattr(self, name):
                out[name] = ",".join(str(v) for v in getattr(self, name))
        for name in ("place", "text"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        if self.min_mentions > 1:
            out["min_mentions"] = self.min_mentions
        return out


def division_names(names: list[str]) -> tuple[str, ...]:
    """The lowercase names a stored ``location_admin1`` may have for these divisions: each as
    given, and the town table's name of each division it can mean ("Raqqa" -> "ar-raqqah")."""
    from ..where import towns
    out = []
    for name in names:
        out.append(name.casefold())
        out.extend(t.admin1.casefold() for t in towns.candidates(name) if t.kind == "admin1" and t.admin1)
    return tuple(dict.fromkeys(out))


def actors_of(key: str, value: str, groups: Groups | None) -> tuple[Member, ...]:
    """One side of a dyad as members; FilterError names ``key``."""
    try:
        return members([value], None if groups is None else {**builtin_groups(), **groups})
    except GroupError as e:
        raise FilterError(key, str(e)) from None


def _boolean(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise FilterError(key, f"{text[:20]!r} is not true or false")


def _date(key: str, value: Any, last: bool) -> date:
    """A date from YYYY-MM-DD, YYYY-MM or YYYY (``last``: the period's last day, for an end)."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 12, 31) if last else date(int(text), 1, 1)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            y, m = int(text[:4]), int(text[5:])
            return date(y, m, calendar.monthrange(y, m)[1] if last else 1)
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(key, f"{text[:30]!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def side_clause(prefix: str, members: Sequence[Member], params: list[Any], table: str = "") -> str:
    """SQL matching an event whose ``prefix`` side (source, target) is one of ``members`` while a
    member (a country by its country, anything longer, or IGO/NGO, as a code prefix); parameters
    appended. ``table``: a column prefix ("events.")."""
    parts = []
    for m in members:
        if len(m.code) == 3 and m.code not in BODIES:
            cond = f"{table}{prefix}_country = ?"
            params.append(m.code)
        else:
            cond = f"{table}{prefix}_code LIKE ?"
            params.append(m.code + "%")
        if m.since:
            cond += f" AND {table}date >= ?"
            params.append(m.since)
        if m.until:
            cond += f" AND {table}date <= ?"
            params.append(m.until)
        parts.append(f"({cond})")
    return "(" + " OR ".join(parts) + ")"


def kind_clauses(types: Iterable[str], cameo: Iterable[str], params: list[Any], table: str = "") -> list[str]:
    """SQL alternatives for events of these PLOVER types or CAMEO code prefixes (to be OR-ed);
    their values are appended to ``params``. Shared by filters, red-line triggers and responses."""
    kinds = []
    types = list(types)
    if types:
        kinds.append(f"{table}plover IN ({', '.join('?' for _ in types)})")
        params.extend(types)
    for prefix in cameo:
        kinds.append(f"{table}cameo LIKE ?")
        params.append(prefix + "%")
    return kinds
