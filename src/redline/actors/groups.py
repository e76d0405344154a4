"""Named groups of actors ("NATO", "EU"): who belonged, and when.

The built-in groups live in ``data/groups.yaml``; a watch-rules file may add its own under
``groups:``. A group expands to :class:`Member` records, each a code with the dates it belonged, so
"events towards NATO" counts Finland only from the day it joined.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping

from ..data_yaml import parse_data_yaml

ACTOR_CODE = re.compile(r"^[A-Z]{3}[A-Z]*$")

Groups = Mapping[str, "tuple[tuple[Member, ...], str | None]"]


class GroupError(ValueError):
    """A group spec or a member that cannot be used; the message says where."""


@dataclass(frozen=True)
class Member:
    """An actor code (a country ``RUS`` or a code prefix ``RUSMIL``), while it was a member."""

    code: str
    since: date | None = None
    until: date | None = None
    group: str | None = None  # the group name it was given as, if any (to name it back)


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise GroupError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None


def parse_group(spec: Any, where: str, known: Groups | None = None) -> tuple[tuple[Member, ...], str | None]:
    """A group from its spec: a list of codes, or ``{body, members: {CODE: since}, include: [GROUP]}``;
    ``include`` takes the members (and bodies) of groups already ``known``. GroupError names ``where``."""
    if isinstance(spec, list):
        return tuple(Member(str(c).upper()) for c in spec), None
    if not isinstance(spec, dict) or not (isinstance(spec.get("members"), dict) or spec.get("include")) \
            or not isinstance(spec.get("members") or {}, dict) or not isinstance(spec.get("include") or [], list):
        raise GroupError(f"{where}: a group is a list of codes or {{body, members: {{CODE: since}}, include: [GROUP]}}")
    members = []
    for name in spec.get("include") or []:
        if str(name).upper() not in (known or {}):
            raise GroupError(f"{where}: include: {name!r} is not a group defined before it")
        found, body = (known or {})[str(name).upper()]
        members.extend(found)
        if body:
            members.append(Member(body))
    for code, span in (spec.get("members") or {}).items():
        if isinstance(span, list):
            if len(span) != 2:
                raise GroupError(f"{where}: member {code}: give [since, until] or since")
            members.append(Member(str(code).upper(), _date(span[0], where), _date(span[1], where)))
        else:
            members.append(Member(str(code).upper(), _date(span, where) if span else None))
    return tuple(members), spec.get("body")


@lru_cache(maxsize=None)
def builtin_groups() -> dict[str, tuple[tuple[Member, ...], str | None]]:
    """The groups shipped in ``data/groups.yaml`` by name: (members, the group's own body code)."""
    data = parse_data_yaml((resources.files("redline.actors") / "data" / "groups.yaml").read_text("utf-8"))
    groups: dict[str, tuple[tuple[Member, ...], str | None]] = {}
    for name, spec in data.items():
        groups[name] = parse_group(spec, f"groups.yaml: group {name}", groups)
    return groups


def members(items: Iterable[Any], groups: Groups | None = None) -> tuple[Member, ...]:
    """Actor codes and group names as members: a group gives its members (with the dates they
    belonged) and its own body code; GroupError for anything else. ``groups``: the built-in ones
    unless given."""
    groups = builtin_groups() if groups is None else groups
    out: list[Member] = []
    for item in items:
        if isinstance(item, Member):
            out.append(item)
            continue
        code = str(item).strip().upper()
        if code in groups:
            found, body = groups[code]
            out.extend(dataclasses.replace(m, group=code) for m in found)
            if body:
                out.append(Member(body, group=code))
        elif ACTOR_CODE.match(code):
            out.append(Member(code))
        else:
            raise GroupError(f"{str(item)[:40]!r} is not an actor code (RUS, RUSMIL, IGOWSTNAT) or a group "
                             f"({', '.join(sorted(groups))})")
    return tuple(dict.fromkeys(out))
