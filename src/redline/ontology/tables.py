"""CAMEO and PLOVER lookup tables, loaded lazily from the CSV files in ``data/``.

``cameo.csv`` holds every CAMEO event code (the 20 two-digit roots included) with its
Goldstein value, GDELT quad class and PLOVER translation (type, mode, context) taken from the
CAMEO2PLOVER table of 17 September 2021. Decisions worth knowing:

* CAMEO roots 01 (statements) and 02 (appeals) are marked ``none``: the PLOVER manual drops
  both categories (Table 7.1) instead of folding appeals into REQUEST, so their ``plover`` is
  ``None`` here.
* Where the mapping puts a code under another root it is followed for that code: 163 is
  COERCE, 1712 ASSAULT, 191/192 COERCE, 201 ASSAULT. A 4-digit code missing from the mapping
  would take its 3-digit parent's translation; a root row takes that of its ``x0`` code ("19" is
  like "190").
* Modes and contexts are checked against the PLOVER codebook (``plover_modes.csv``: the modes of
  the structured codebook and of the manual's mode tables; ``plover_contexts.csv``: the manual's
  Table 2.1). Where the 2021 mapping disagrees with them the codebook wins: 175 (violent
  repression) has no mode and the contexts ``pro_autocracy; repression`` (the mapping wrote the
  context ``pro_autocracy`` as a mode), 1712 (destroy property) is ASSAULT ``destroy``, not
  ``seize`` (a COERCE mode), 085 has no mode (``ease`` is no longer a RETREAT mode), 1321 is
  THREATEN ``rights``; the contexts ``democracy`` and ``humanitarian``, absent from the manual,
  are ``pro_democracy`` and ``human_security``.
* 1214 (reject intelligence cooperation) is listed by the mapping but missing from the CAMEO
  code list it came with; it is included with the Goldstein value of its parent 121.
* The manual contradicts itself twice. SANCTION is verbal conflict in its Table 7.2 but
  material conflict in its own chapter: quad 4 is used. ACCUSE scores +3 in Table 2.2, an
  obvious sign slip for a conflict type: -3 is used.
* Modes used by the mapping but absent from Table 2.2 (e.g. ASSAULT ``massacre``) have no
  score of their own; ``plover_score`` falls back to the type's score for them.

Rows are checked while loading; a bad row raises ``ValueError`` naming file, line and field.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from types import MappingProxyType

CAMEO_FIELDS = ("code", "name", "root", "goldstein", "quad_class", "plover", "plover_mode",
                "plover_context")
NO_PLOVER = "none"


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code with its scores and PLOVER translation."""

    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


@dataclass(frozen=True)
class PloverType:
    """One PLOVER event type; ``modes`` maps each mode to its score (None: use ``score``)."""

    name: str
    quad_class: int
    score: float
    description: str
    modes: Mapping[str, float | None] = field(default_factory=dict, compare=False, repr=False)


def root_quad_class(root: str) -> int:
    """GDELT quad class of a CAMEO root: 1-2 cooperation, 3-4 conflict (verbal, material)."""
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


# --- reading and validation -------------------------------------------------------------

def _rows(lines: Iterable[str], source: str, header: tuple[str, ...]):
    """Yield ``(line_number, row_dict)``; the header must match exactly."""
    reader = csv.reader(lines)
    found = tuple(h.strip() for h in next(reader, []))
    if found != header:
        raise ValueError(f"{source}, line 1: header {','.join(found) or '(empty)'!r}, "
                         f"expected {','.join(header)!r}")
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ValueError(f"{source}, line {reader.line_num}: {len(row)} fields, "
                             f"expected {len(header)}")
        yield reader.line_num, dict(zip(header, (cell.strip() for cell in row)))


def _data_rows(name: str, header: tuple[str, ...]):
    path = files("redline.ontology") / "data" / name
    with path.open(encoding="utf-8", newline="") as f:
        yield from _rows(f, f"redline/ontology/data/{name}", header)


def _number(value: str, where: str, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{where}, field {name!r}: {value!r} is not a number") from None
    if not low <= number <= high:
        raise ValueError(f"{where}, field {name!r}: {number} outside [{low}, {high}]")
    return number


def _cameo_entry(row: dict[str, str], where: str) -> CameoCode:
    code, root = row["code"], row["root"]
    if not (code.isdigit() and 2 <= len(code) <= 4):
        raise ValueError(f"{where}, field 'code': {code!r} is not a 2-4 digit CAMEO code")
    if not (root == code[:2] and 1 <= int(root) <= 20):
        raise ValueError(f"{where}, field 'root': {root!r} does not match code {code!r}")
    if not row["name"]:
        raise ValueError(f"{where}, field 'name': empty")
    goldstein = _number(row["goldstein"], where, "goldstein", -10, 10)
    if row["quad_class"] != str(root_quad_class(root)):
        raise ValueError(f"{where}, field 'quad_class': {row['quad_class']!r}, root {root} "
                         f"is quad class {root_quad_class(root)}")
    plover, mode = row["plover"].upper(), row["plover_mode"].lower()
    if plover == NO_PLOVER.upper():
        if mode or row["plover_context"]:
            raise ValueError(f"{where}, field 'plover_mode': set although plover is none")
        return CameoCode(code, row["name"], root, goldstein, int(row["quad_class"]),
                         None, None, None)
    types = _plover_table()
    if plover not in types:
        raise ValueError(f"{where}, field 'plover': unknown PLOVER type {row['plover']!r} "
                         f"(write '{NO_PLOVER}' for no type)")
    if mode and mode not in types[plover].modes:
        raise ValueError(f"{where}, field 'plover_mode': {mode!r} is not a mode of {plover}")
    for context in filter(None, (c.strip() for c in row["plover_context"].split(";"))):
        if context not in _context_names():
            raise ValueError(f"{where}, field 'plover_context': {context!r} is not a PLOVER context")
    return CameoCode(code, row["name"], root, goldstein, int(row["quad_class"]), plover,
                     mode or None, row["plover_context"] or None)


@cache
def _plover_table() -> dict[str, PloverType]:
    modes: dict[str, dict[str, float | None]] = {}
    for line, row in _data_rows("plover_modes.csv", ("type", "mode", "score")):
        where = f"redline/ontology/data/plover_modes.csv, line {line}"
        score = _number(row["score"], where, "score", -10, 10) if row["score"] else None
        modes.setdefault(row["type"].upper(), {})[row["mode"].lower()] = score
    table = {}
    for line, row in _data_rows("plover.csv", ("type", "quad_class", "score", "description")):
        where = f"redline/ontology/data/plover.csv, line {line}"
        name = row["type"].upper()
        quad = int(_number(row["quad_class"], where, "quad_class", 1, 4))
        score = _number(row["score"], where, "score", -10, 10)
        table[name] = PloverType(name, quad, score, row["description"],
                                 MappingProxyType(modes.pop(name, {})))
    if modes:
        raise ValueError(f"redline/ontology/data/plover_modes.csv: modes for unknown types "
                         f"{sorted(modes)}")
    return table


@cache
def _context_names() -> frozenset[str]:
    return frozenset(row["context"] for _, row in _data_rows("plover_contexts.csv", ("context",)))


@cache
def _alias_table() -> dict[str, tuple[str | None, str | None]]:
    aliases = {}
    for line, row in _data_rows("plover_aliases.csv", ("alias", "type", "mode")):
        kind = row["type"].upper() or None
        if kind is not None and kind not in _plover_table():
            raise ValueError(f"redline/ontology/data/plover_aliases.csv, line {line}, "
                             f"field 'type': unknown PLOVER type {row['type']!r}")
        aliases[row["alias"].upper()] = (kind, row["mode"].lower() or None)
    return aliases


@cache
def _cameo_table() -> dict[str, CameoCode]:
    # Returned dict is shared: load_extra_cameo() updates it in place.
    return {entry.code: entry for entry in (
        _cameo_entry(row, f"redline/ontology/data/cameo.csv, line {line}")
        for line, row in _data_rows("cameo.csv", CAMEO_FIELDS))}


# --- public API -----------------------------------------------------------------------

def cameo(code: str) -> CameoCode:
    """The entry for a CAMEO code such as ``"190"``; a root like ``"19"`` gives the root row."""
    try:
        return _cameo_table()[code.strip()]
    except (KeyError, AttributeError):
        raise KeyError(f"unknown CAMEO code {code!r}") from None


def cameo_codes() -> list[CameoCode]:
    """Every CAMEO code, in code order (a root comes right before its children)."""
    return [entry for _, entry in sorted(_cameo_table().items())]


def cameo_roots() -> list[CameoCode]:
    """The 20 two-digit root rows, "01" to "20"."""
    return [entry for entry in cameo_codes() if len(entry.code) == 2]


def quad_class(code: str) -> int:
    """GDELT quad class of a CAMEO code (1 verbal coop ... 4 material conflict)."""
    return cameo(code).quad_class


def pentaclass(code: str | None) -> int | None:
    """Five-way class of a CAMEO code: 0 statements/appeals (01-02), 1 verbal cooperation
    (03-05), 2 material cooperation (06-08), 3 verbal conflict (09-13, 16), 4 material
    conflict (14-15, 17-20). ``None`` for a missing (None or empty) code."""
    if not code or not code.strip():
        return None
    root = int(cameo(code).root)
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    return 3 if root <= 13 or root == 16 else 4


def normalize_plover(name: str) -> tuple[str | None, str | None]:
    """``(type, mode)`` for a PLOVER name or older alias, case-insensitive.

    ``"FIGHT"`` gives ``("ASSAULT", None)``, ``"DISAPPROVE"`` ``("ACCUSE", "disapprove")``;
    ``"CRIME"`` and ``"none"`` give ``(None, None)``. Unknown names raise ``KeyError``.
    """
    key = name.strip().upper()
    if key in _plover_table():
        return key, None
    if key == NO_PLOVER.upper():
        return None, None
    if key in _alias_table():
        return _alias_table()[key]
    raise KeyError(f"unknown PLOVER type {name!r}")


def plover(name: str) -> PloverType:
    """The PLOVER type called ``name`` (aliases such as DEMAND or FIGHT accepted)."""
    kind, _ = normalize_plover(name)
    if kind is None:
        raise KeyError(f"{name!r} has no PLOVER event type")
    return _plover_table()[kind]


def plover_types() -> list[PloverType]:
    """The 16 PLOVER event types, cooperative to conflictual."""
    return list(_plover_table().values())


def plover_score(name: str, mode: str | None = None) -> float:
    """Conflict-cooperation score of a PLOVER type, refined by ``mode`` when it has a score.

    With no ``mode``, an alias's own mode is used (``"DISAPPROVE"`` scores as
    ACCUSE/disapprove). Raises ``KeyError`` for an unknown type or a mode it does not have.
    """
    kind = plover(name)
    mode = mode.strip().lower() if mode else normalize_plover(name)[1]
    if not mode:
        return kind.score
    if mode not in kind.modes:
        raise KeyError(f"unknown mode {mode!r} for PLOVER type {kind.name}")
    score = kind.modes[mode]
    return kind.score if score is None else score


def load_extra_cameo(path: str | os.PathLike[str]) -> None:
    """Add or override CAMEO entries from a CSV with the same header as ``cameo.csv``.

    The whole file is validated before anything changes; errors raise ``ValueError``
    naming the file, line and field.
    """
    with open(path, encoding="utf-8", newline="") as f:
        entries = [_cameo_entry(row, f"{path}, line {line}")
                   for line, row in _rows(f, str(path), CAMEO_FIELDS)]
    _cameo_table().update((entry.code, entry) for entry in entries)
