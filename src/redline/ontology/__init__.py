"""Event ontologies: CAMEO codes, PLOVER types and the mapping between them.

>>> cameo("190").plover, cameo("190").goldstein
('ASSAULT', -10.0)
>>> plover("FIGHT").name, plover_score("CONSULT", "visit")
('ASSAULT', 4.0)

See :mod:`redline.ontology.tables` for the data sources and the choices made in them.
"""
from redline.ontology.tables import (
    CameoCode,
    PloverType,
    cameo,
    cameo_codes,
    cameo_roots,
    load_extra_cameo,
    normalize_plover,
    pentaclass,
    plover,
    plover_score,
    plover_types,
    quad_class,
)

__all__ = [
    "CameoCode",
    "PloverType",
    "cameo",
    "cameo_codes",
    "cameo_roots",
    "load_extra_cameo",
    "normalize_plover",
    "pentaclass",
    "plover",
    "plover_score",
    "plover_types",
    "quad_class",
]
