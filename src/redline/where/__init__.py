"""The "where" stage: a place gazetteer (cities, capitals, countries -> country and coordinates).

``lookup("Kharkiv")`` gives the :class:`Place` (country ``UKR``, kind ``city``, lat/lon);
``locate(name, country_hint)`` prefers a city (of the hinted country, if any) and falls back to
a country by name; ``country_point("FRA")`` is a country's representative point (its capital).
The data is ``where/data/places.csv``, built by ``tools/build_place_table.py``.
"""
from .gazetteer import Place, country_point, locate, lookup, normalize, places

__all__ = ["Place", "country_point", "locate", "lookup", "normalize", "places"]
