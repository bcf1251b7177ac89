"""YAML and TOML: whether a file parses, before any rule looks at it."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import FindingType

TYPES = [
    FindingType(
        Code.YAML_GEEN_UTF8,
        "Geen UTF-8",
        "YAML-bestanden zijn in UTF-8 gecodeerd.",
        "byte {positie} is geen geldige UTF-8; verwacht: UTF-8-tekst",
        velden=("positie",),
    ),
    FindingType(
        Code.YAML_SYNTAXFOUT,
        "YAML-syntaxfout",
        "Het bestand is geen geldige YAML.",
        "{reden}",
        velden=("reden",),
    ),
    FindingType(
        Code.YAML_ANKER,
        "YAML-anker of -alias",
        "Ankers (&) en aliassen (*) maken een bestand moeilijk te controleren en zijn verboden.",
        "gevonden: {gevonden}; verwacht: geen ankers of aliassen",
        velden=("gevonden",),
    ),
    FindingType(
        Code.YAML_DUBBELE_SLEUTEL,
        "Dubbele sleutel",
        "Elke sleutel komt in een mapping één keer voor.",
        "sleutel {sleutel!r} staat er meer dan eens",
        velden=("sleutel",),
    ),
    FindingType(
        Code.YAML_GEEN_MAPPING,
        "Geen mapping",
        "Het bestand begint met sleutels (een mapping).",
        "gevonden: {gevonden}; verwacht: een mapping met sleutels",
        velden=("gevonden",),
    ),
    FindingType(
        Code.TOML_SYNTAXFOUT,
        "TOML-syntaxfout",
        "data/bedcap.toml is geen geldige TOML.",
        "{reden}",
        velden=("reden",),
    ),
]
