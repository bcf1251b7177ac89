"""The report's CSV folder as a Frictionless Data Package: `datapackage.json` beside the files.

Each CSV gets a Table Schema: its fields' types (from the values, with the column's
meaning when a table is empty), a Dutch title and description, and the unit. So
`frictionless validate datapackage.json` checks the files, and a script can read them
with types, without guessing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from bedcap.outputs import labels

DESCRIPTOR = "datapackage.json"
_ISO_DAG = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EENHEDEN = {
    "werkdagen": "werkdagen",
    "dagen_zonder_vrij_bed": "werkdagen",
    "ligdagen": "ligdagen",
    "ligdagen_gemeld": "ligdagen",
    "ligdagen_berekend": "ligdagen",
    "forensisch_wfz": "ligdagen",
    "civiel": "ligdagen",
    "wlz": "ligdagen",
    "zvw": "ligdagen",
    "wfz": "ligdagen",
    "overig": "ligdagen",
    "totaal": "ligdagen",
    "verwacht": "aanleveringen",
    "ontvangen": "aanleveringen",
    "op_tijd": "aanleveringen",
    "te_laat": "aanleveringen",
    "ontbrekend": "aanleveringen",
    "correcties": "correcties",
    "aantal": "redenen",  # issue 14: the logbook's reasons; an admission may name more
    "opnames": "opnames",
}


def _type(kolom: str, values: list[Any]) -> str:
    """The Table Schema type of a column, from its values (and its name when none are set)."""
    present = [v for v in values if v is not None]
    if not present:
        return "number" if labels.is_procent(kolom, {}) else "string"
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    if all(isinstance(v, dt.date) or (isinstance(v, str) and _ISO_DAG.match(v)) for v in present):
        return "date"
    return "string"


def _unit(kolom: str, soort: str) -> str | None:
    if (
        labels.is_procent(kolom, {})
        or soort in ("number", "integer")
        and kolom.startswith("aandeel")
    ):
        return "procent"
    if kolom in EENHEDEN:
        return EENHEDEN[kolom]
    if re.match(
        r"^(capaciteit|beschikbaar|gereserveerd|bezet|buiten_gebruik)_(gem|min|max)$", kolom
    ):
        return "bedden"
    return None


def field(tabel: Any, kolom: str) -> dict[str, Any]:
    """One field descriptor: name, type, Dutch title, description with the unit."""
    soort = _type(kolom, [r.get(kolom) for r in tabel.rijen])
    unit = _unit(kolom, soort)
    title = labels.kop(kolom, tabel.naam)
    descriptor: dict[str, Any] = {"name": kolom, "type": soort, "title": title}
    description = title + (f", in {unit}" if unit else "")
    if kolom.endswith("_gem"):
        description += " (gemiddelde over werkdagen)"
    descriptor["description"] = description
    if unit:
        descriptor["unit"] = unit  # not in the Table Schema spec; tools keep unknown keys
    return descriptor


def descriptor(rapport: Any, files: dict[str, str]) -> str:
    """`datapackage.json` for the report's CSV files (`files`: table key → file name)."""
    name = re.sub(
        r"[^a-z0-9._-]+", "-", f"bedcap-rapport-{rapport.periode}-{rapport.doelgroep}".lower()
    )
    resources = []
    for t in rapport.tabellen:
        if t.naam not in files:
            continue
        resources.append(
            {
                "name": t.naam,
                "path": files[t.naam],
                "title": t.titel,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": {"fields": [field(t, k) for k in t.kolommen], "missingValues": [""]},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": name.strip("-"),
        "title": rapport.titel,
        "description": (
            f"{rapport.titel}, {rapport.van.isoformat()} t/m {rapport.tot.isoformat()}, "
            f"doelgroep {labels.DOELGROEPEN[str(rapport.doelgroep)]}, "
            f"gemaakt op {rapport.gemaakt_op}. "
            "Bedden per werkdag met per aanbieder de nieuwste aanlevering op of vóór die dag."
        ),
        "version": rapport.gegevensversie or None,
        "resources": resources,
    }
    if package["version"] is None:
        del package["version"]
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
