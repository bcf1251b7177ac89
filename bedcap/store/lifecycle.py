"""Wards and providers coming and going: closed is closed, new is visible.

A ward past its `actief_tot` leaves every figure from the day after, even when its
provider's last snapshot (carried forward) still lists it; a provider all of whose wards
closed leaves with them. A ward that is active but has no counts in its provider's
snapshot (a new provider, a ward opened after its provider's last file) is shown as a
row without counts, "geen aanlevering", so a coordinator sees it exists and knows to
call. The facts come from the static data (`Statisch`), as of the question's source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bedcap.contract.patterns import COUNT_COLUMNS
from bedcap.store.rows import insert_columns

if TYPE_CHECKING:
    from bedcap.store.query import Bron, Filter
    from bedcap.store.statics import Statisch

AFDELING_TABEL = "levensloop_afdeling"
AANBIEDER_TABEL = "levensloop_aanbieder"
KADER_TABEL = "levensloop_kader"


def _datum(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def in_bedrijf(feiten: Mapping[str, Any], dag: dt.date, veld: str = "actief") -> bool:
    """Whether `dag` lies within `<veld>_vanaf` … `<veld>_tot` (both inclusive, optional)."""
    vanaf, tot = _datum(feiten.get(f"{veld}_vanaf")), _datum(feiten.get(f"{veld}_tot"))
    return (vanaf is None or dag >= vanaf) and (tot is None or dag <= tot)


def neemt_deel(statisch: Statisch, aanbieder: str, dag: dt.date) -> bool:
    """A provider takes part on `dag` per `deelnemers.yaml` (unlisted: always)."""
    return in_bedrijf(statisch.deelname.get(aanbieder, {}), dag, "deelname")


def telt_mee(statisch: Statisch, row: Mapping[str, Any], dag: dt.date) -> bool:
    """A snapshot row counts on `dag` unless its ward closed (or had not opened) by then.

    A ward no longer in the location files keeps its history: only known dates exclude.
    """
    if not neemt_deel(statisch, row["aanbieder"], dag):
        return False
    afd = statisch.afdeling(row["aanbieder"], row["locatie"], row["afdeling"])
    return afd is None or in_bedrijf(afd, dag)


def registreer(bron: Bron) -> None:
    """The static activity dates as two small tables, for the history SQL to join."""
    if bron.levensloop is not None:
        return
    con = bron.con
    # Made if missing rather than looked up: DuckDB's first catalogue listing on a cache
    # file (`duckdb_tables()`) costs 5–7 ms, a history command's startup budget.
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {AFDELING_TABEL} (aanbieder VARCHAR, "
        "locatie VARCHAR, afdeling VARCHAR, vanaf DATE, tot DATE)"
    )
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {AANBIEDER_TABEL} (aanbieder VARCHAR, vanaf DATE, "
        "tot DATE)"
    )
    found = con.execute(
        f"SELECT EXISTS (FROM {AFDELING_TABEL}), EXISTS (FROM {AANBIEDER_TABEL})"
    ).fetchone()
    if found and any(found):  # filled for another question on this connection
        bron.levensloop = (bool(found[0]), bool(found[1]))
        return
    wards: list[tuple[str, str, str, dt.date | None, dt.date | None]] = []
    for key, loc in bron.statisch.locaties.items():
        aanbieder, locatie = key.split("/", 1)
        for afd_id, afd in loc["afdelingen"].items():
            vanaf, tot = _datum(afd.get("actief_vanaf")), _datum(afd.get("actief_tot"))
            if vanaf or tot:
                wards.append((aanbieder, locatie, afd_id, vanaf, tot))
    providers = [
        (a, _datum(d.get("deelname_vanaf")), _datum(d.get("deelname_tot")))
        for a, d in bron.statisch.deelname.items()
        if d.get("deelname_vanaf") or d.get("deelname_tot")
    ]
    bron.levensloop = (bool(wards), bool(providers))
    if wards:
        insert_columns(con, AFDELING_TABEL, wards)
    if providers:
        insert_columns(con, AANBIEDER_TABEL, providers)


def _registreer_kaders(bron: Bron) -> None:
    """The wards' legal frameworks as a table, made when a question first asks for them
    (a thousand national rows cost 3 ms to insert, which most histories never join)."""
    con = bron.con
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {KADER_TABEL} (aanbieder VARCHAR, locatie VARCHAR, "
        "afdeling VARCHAR, rechtskader VARCHAR)"
    )
    found = con.execute(f"SELECT EXISTS (FROM {KADER_TABEL})").fetchone()
    if found and found[0]:
        return
    kaders = [
        (*key.split("/", 1), afd_id, kader)
        for key, loc in bron.statisch.locaties.items()
        for afd_id, afd in loc["afdelingen"].items()
        for kader in afd.get("rechtskaders", [])
    ]
    if kaders:
        insert_columns(con, KADER_TABEL, kaders)


def sql_joins(bron: Bron, rij: str = "s") -> str:
    """LEFT JOINs that bring a row's ward and provider dates (NULL when none are set).

    Only the tables that hold dates are joined: most repositories have none, and each join
    probes every snapshot row of the period (1.2 million over ten national years)."""
    wards, providers = bron.levensloop or (True, True)
    joins = ""
    if wards and bron.genummerd:
        # The cache numbers its wards (`cache.TABLES`): one integer per row to probe.
        joins += (
            f" LEFT JOIN (SELECT a.nr, l.vanaf, l.tot FROM {AFDELING_TABEL} l "
            "JOIN afdelingen a USING (aanbieder, locatie, afdeling)) la "
            f"ON la.nr = {rij}.afdeling_nr"
        )
    elif wards:
        joins += (
            f" LEFT JOIN {AFDELING_TABEL} la ON la.aanbieder = {rij}.aanbieder "
            f"AND la.locatie = {rij}.locatie AND la.afdeling = {rij}.afdeling"
        )
    if providers:
        joins += f" LEFT JOIN {AANBIEDER_TABEL} lp ON lp.aanbieder = {rij}.aanbieder"
    return joins


_OPEN = "DATE '0001-01-01'", "DATE '9999-12-31'"
"""A date the joins leave empty stands for no bound: every `dag` (a Python date) lies
within these. Constant bounds, not `coalesce(la.vanaf, dag)`, which evaluates per row:
a BETWEEN on them took the ten-year national history from 104 ms to 85 ms."""


def sql_actief(bron: Bron, dag: str = "k.dag") -> str:
    """The WHERE condition: the row's ward is active and its provider takes part on `dag`."""
    wards, providers = bron.levensloop or (True, True)
    parts = ["TRUE"]
    for present, alias in ((wards, "la"), (providers, "lp")):
        if present:
            parts.append(
                f"{dag} BETWEEN coalesce({alias}.vanaf, {_OPEN[0]}) "
                f"AND coalesce({alias}.tot, {_OPEN[1]})"
            )
    return "(" + " AND ".join(parts) + ")"


def sql_rechtskaders(
    bron: Bron, per_kader: bool, alleen: Sequence[str], rij: str = "s"
) -> tuple[str, list[Any]]:
    """A JOIN on the wards' legal frameworks (from the static data), with its parameters.

    `per_kader`: one row per framework a ward takes, as `lk.rechtskader` (a ward taking
    three frameworks counts under each); `alleen`: only wards taking one of these.
    """
    if per_kader or alleen:
        _registreer_kaders(bron)
    on = (
        f"lk.aanbieder = {rij}.aanbieder AND lk.locatie = {rij}.locatie "
        f"AND lk.afdeling = {rij}.afdeling"
    )
    if per_kader:
        if alleen:
            return f" JOIN {KADER_TABEL} lk ON {on} AND list_contains(?, lk.rechtskader)", [
                list(alleen)
            ]
        return f" JOIN {KADER_TABEL} lk ON {on}", []
    if alleen:
        return (
            f" SEMI JOIN (SELECT * FROM {KADER_TABEL} WHERE list_contains(?, rechtskader)) lk"
            f" ON {on}",
            [list(alleen)],
        )
    return "", []


def geen_aanlevering(
    statisch: Statisch,
    records: list[dict[str, Any]],
    dag: dt.date,
    filt: Filter,
) -> list[dict[str, Any]]:
    """A row without counts for every active ward × care type the records do not have."""
    have = {(r["aanbieder"], r["locatie"], r["afdeling"], r["zorgtype"]) for r in records}
    found: list[dict[str, Any]] = []
    for key, loc in sorted(statisch.locaties.items()):
        aanbieder, locatie = key.split("/", 1)
        if not neemt_deel(statisch, aanbieder, dag):
            continue
        for afd_id, afd in loc["afdelingen"].items():
            if not in_bedrijf(afd, dag):
                continue
            for zorgtype in afd.get("zorgtypen", []):
                if (aanbieder, locatie, afd_id, zorgtype) in have:
                    continue
                row = _lege_rij(aanbieder, locatie, loc, afd_id, afd, zorgtype)
                if _past(filt, row, afd):
                    found.append(row)
    return found


def _lege_rij(
    aanbieder: str,
    locatie: str,
    loc: Mapping[str, Any],
    afd_id: str,
    afd: Mapping[str, Any],
    zorgtype: str,
) -> dict[str, Any]:
    return {
        "peildatum": None,
        "aanbieder": aanbieder,
        "locatie": locatie,
        "afdeling": afd_id,
        "zorgtype": zorgtype,
        "regio": loc.get("regio"),
        "specialisme": afd.get("specialisme"),
        "voorziening": afd.get("voorziening"),
        "beveiligingsniveau": afd.get("beveiligingsniveau"),
        **dict.fromkeys(COUNT_COLUMNS),
        "toelichting": None,
        "ingediend_op": None,
    }


def _past(filt: Filter, row: Mapping[str, Any], afd: Mapping[str, Any]) -> bool:
    """The row facets of `Filter.sql`, in Python (`alleen_vrij` never passes: no counts)."""
    if filt.alleen_vrij:
        return False
    for values, value in (
        ([int(v) for v in filt.niveau], row["beveiligingsniveau"]),
        (filt.specialisme, row["specialisme"]),
        (filt.voorziening, row["voorziening"]),
        (filt.zorgtype, row["zorgtype"]),
        (filt.regio, row["regio"]),
        (filt.aanbieder, row["aanbieder"]),
    ):
        if values and value not in values:
            return False
    return filt.accepts(afd.get("rechtskaders", []), afd.get("contra_indicaties", []))
