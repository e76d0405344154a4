"""The red-line records: a declared threshold, each statement of it, and its crossings.

A *statement* is one sentence in which a declarer warns that an act (the trigger) would bring
a response (the consequence). Statements of the same declarer about the same trigger pattern
merge into one *red line* in the ledger; events that match its trigger are its *crossings*, and
events of the consequence's class by the declarer after a crossing are its *enforcement*.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..schema import Actor

SEVERITIES = ("nuclear", "military", "economic", "diplomatic", "unspecified")
STANCES = ("declared", "softened", "redefined")        # what the statement does to the red line
CROSSING_STATUSES = ("confirmed", "claimed", "announced")
REDLINE_STATUSES = ("open", "crossed", "enforced")
_NAME = re.compile(r"^[A-Z]{2,}$")  # an actor code (RUS, FRAMIL, IGOWSTNAT) or a group name (NATO, EU)


@dataclass
class Trigger:
    """The act warned against, as a pattern events can match.

    ``actors``: country codes, code prefixes (``FRAMIL``) or group names of the watch rules
    (``NATO``, ``EU``, ``WST``); empty means anyone. ``exclude``: codes the pattern leaves out
    ("foreign troops" declared by Russia: anyone but ``RUS``). ``sector``: the actors' sector
    where the text says (``MIL`` for troops). ``types`` are PLOVER types, ``cameo`` CAMEO code
    prefixes; ``places`` are countries where the act would happen ("in Ukraine" -> ``UKR``),
    ``targets`` whom it would be done to ("strikes on Russian territory" -> ``RUS``).
    ``text`` is the words the pattern came from.
    """

    text: str
    actors: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    sector: str | None = None
    types: list[str] = field(default_factory=list)
    cameo: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)

    def key(self) -> str:
        """What makes two triggers the same red line: the pattern, not its wording."""
        parts = [",".join(sorted(self.actors)), ",".join(sorted(self.exclude)), self.sector or "",
                 ",".join(sorted(self.types)), ",".join(sorted(self.places)), ",".join(sorted(self.targets))]
        return "|".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "actors": list(self.actors), "exclude": list(self.exclude),
                "sector": self.sector, "types": list(self.types), "cameo": list(self.cameo),
                "places": list(self.places), "targets": list(self.targets)}


@dataclass
class Consequence:
    """The threatened response: a PLOVER type and CAMEO code where the text names one
    (``ASSAULT``/``19``; ``COERCE``/``163`` for sanctions; ``SANCTION``/``166`` for expulsions),
    else ``None`` for "serious consequences"; ``severity`` is one of ``SEVERITIES``."""

    text: str
    type: str | None = None
    cameo: str | None = None
    severity: str = "unspecified"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "type": self.type, "cameo": self.cameo, "severity": self.severity}


@dataclass
class Statement:
    """One declaration of a red line in one sentence of one document."""

    doc_id: str
    sentence_index: int
    span: tuple[int, int]           # character offsets of the sentence in the document
    evidence: str
    date: str | None                # when it was declared (the THREATEN event's date)
    declarer: Actor
    addressee: Actor | None
    trigger: Trigger
    consequence: Consequence
    stance: str = "declared"        # one of STANCES
    event_id: str | None = None     # the THREATEN (13x / 12x) event it belongs to
    explanation: str = ""
    date_precision: str | None = None  # the THREATEN event's: day, month, year, or document (the
                                       # article's date: declared on or before it); None: unknown

    @property
    def statement_id(self) -> str:
        key = f"{self.doc_id}|{self.sentence_index}|{self.span[0]}:{self.span[1]}|{self.trigger.key()}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    @property
    def redline_key(self) -> str:
        """Statements with the same key are one red line: same declarer, same trigger pattern."""
        declarer = self.declarer.country or self.declarer.code or self.declarer.text.lower()
        return hashlib.sha256(f"{declarer}|{self.trigger.key()}".encode("utf-8")).hexdigest()[:24]

    def to_dict(self) -> dict[str, Any]:
        return {"statement_id": self.statement_id, "redline_id": self.redline_key,
                "doc_id": self.doc_id, "sentence_index": self.sentence_index,
                "span": list(self.span), "evidence": self.evidence, "date": self.date,
                "declarer": self.declarer.to_dict(),
                "addressee": self.addressee.to_dict() if self.addressee else None,
                "trigger": self.trigger.to_dict(), "consequence": self.consequence.to_dict(),
                "stance": self.stance, "event_id": self.event_id, "explanation": self.explanation,
                "date_precision": self.date_precision}

    def check(self) -> None:
        """Refuse a statement the ledger cannot use (ValueError naming the field): an unknown
        stance, severity or PLOVER type, a CAMEO prefix that is not digits, an actor that is not
        an upper-case code or group name, a date that is not YYYY-MM-DD, a declarer with neither
        code, country nor words."""
        from .. import ontology
        from ..actors.groups import members

        def bad(name: str, problem: str) -> ValueError:
            return ValueError(f"field '{name}': {problem}")

        if self.stance not in STANCES:
            raise bad("stance", f"{self.stance!r} is not one of {', '.join(STANCES)}")
        if self.consequence.severity not in SEVERITIES:
            raise bad("consequence.severity",
                      f"{self.consequence.severity!r} is not one of {', '.join(SEVERITIES)}")
        if self.date_precision not in (None, "day", "month", "year", "document"):
            raise bad("date_precision", f"{self.date_precision!r} is not day, month, year or document")
        if self.date is not None:
            try:
                date.fromisoformat(str(self.date))
            except ValueError:
                raise bad("date", f"{self.date!r} is not a YYYY-MM-DD date") from None
        if not (self.declarer.code or self.declarer.country or (self.declarer.text or "").strip()):
            raise bad("declarer", "no code, country or words")
        t = self.trigger
        for name in ("actors", "exclude", "places", "targets"):
            for value in getattr(t, name):
                if not isinstance(value, str) or not _NAME.match(value):
                    raise bad(f"trigger.{name}", f"{value!r} is not an actor code or group name (RUS, FRAMIL, NATO)")
                try:
                    members([value])
                except ValueError as e:
                    raise bad(f"trigger.{name}", str(e)) from None
        if t.sector is not None and not _NAME.match(t.sector):
            raise bad("trigger.sector", f"{t.sector!r} is not a sector code (MIL, GOV)")
        named_type = [self.consequence.type] if self.consequence.type else []
        named_cameo = [self.consequence.cameo] if self.consequence.cameo else []
        for name, values in (("trigger.types", t.types), ("consequence.type", named_type)):
            for value in values:
                try:
                    ontology.plover(value)
                except KeyError:
                    raise bad(name, f"{value!r} is not a PLOVER type") from None
        for name, values in (("trigger.cameo", t.cameo), ("consequence.cameo", named_cameo)):
            for value in values:
                if not isinstance(value, str) or not value.isdigit():
                    raise bad(name, f"{value!r} is not a CAMEO code or prefix")
