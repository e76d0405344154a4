"""How the ledger reads events: the choices in ``data/ledger.yaml`` (crossing modalities, what
an untyped trigger or an unnamed consequence matches, the follow-through window, how far before
a publication-dated declaration its red line stands), loaded once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


from .. import ontology
from ..data_yaml import parse_data_yaml


@dataclass(frozen=True)
class Match:
    """Events of these quad classes, PLOVER types or CAMEO prefixes."""

    quad_classes: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    cameo: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    crossing_modalities: tuple[str, ...]
    untyped_quad_classes: tuple[int, ...]
    preparatory_types: tuple[str, ...]
    home_types: tuple[str, ...]
    implicit_target: bool
    intents: dict[str, str]        # CAMEO intent prefix -> PLOVER type of the act intended

    def intent(self, cameo: str | None) -> str | None:
        """The PLOVER type of the act an expressed intent (CAMEO 03x) announces, or None."""
        found = [p for p in self.intents if cameo and cameo.startswith(p)]
        return self.intents[max(found, key=len)] if found else None

    def intent_prefixes(self, types: tuple[str, ...] | list[str]) -> list[tuple[str, list[str]]]:
        """The intent prefixes announcing acts of these types, each with the longer prefixes
        under it that announce something else (to leave out)."""
        out = []
        for prefix, act in sorted(self.intents.items()):
            if act in types:
                out.append((prefix, [q for q, other in self.intents.items()
                                     if q != prefix and q.startswith(prefix) and other not in types]))
        return out
    crossed_statuses: tuple[str, ...]
    window_days: int
    follow_modalities: tuple[str, ...]
    unnamed: dict[str, Match]
    publication_lookback_days: int


def _match(spec: Any, where: str) -> Match:
    if not isinstance(spec, dict) or not (spec.get("quad_classes") or spec.get("types") or spec.get("cameo")):
        raise ValueError(f"ledger.yaml: {where}: give quad_classes, types and/or cameo")
    types = tuple(ontology.plover(t).name for t in spec.get("types") or ())
    cameo = tuple(str(c) for c in spec.get("cameo") or ())
    return Match(tuple(int(q) for q in spec.get("quad_classes") or ()), types, cameo)


@lru_cache(maxsize=None)
def settings() -> Settings:
    """The ledger's settings from ``redline/redlines/data/ledger.yaml``."""
    data = parse_data_yaml((resources.files("redline.redlines") / "data" / "ledger.yaml").read_text("utf-8"))
    crossing, follow = data["crossing"], data["follow"]
    return Settings(
        crossing_modalities=tuple(crossing["modalities"]),
        untyped_quad_classes=tuple(int(q) for q in crossing["untyped_quad_classes"]),
        preparatory_types=tuple(ontology.plover(t).name for t in crossing["preparatory_types"]),
        home_types=tuple(ontology.plover(t).name for t in crossing["home_types"]),
        implicit_target=crossing["implicit_target"] == "declarer",
        intents={str(k): ontology.plover(v).name for k, v in crossing["intents"].items()},
        crossed_statuses=tuple(crossing["crossed_statuses"]),
        window_days=int(follow["window_days"]),
        follow_modalities=tuple(follow["modalities"]),
        unnamed={severity: _match(spec, f"follow.unnamed.{severity}") for severity, spec in follow["unnamed"].items()},
        publication_lookback_days=int(data["declaration"]["publication_lookback_days"]),
    )
