"""The columns of a daily snapshot: one table, from which every other form is derived.

The Arrow schema of the files (`files.snapshots`), the DuckDB cast and table definition
of the cache (`store.rows`, `store.cache`), the type check of `bedcap validate` and the
column lists of the queries all read `KOLOMMEN`; a test holds the pydantic model
`SnapshotRij` to it. Kept free of pyarrow and pydantic so the read commands stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Familie = Literal["datum", "tekst", "geheel", "tijdstip"]
"""What a column holds, as the type check accepts it (any integer width, any string)."""


@dataclass(frozen=True)
class Kolom:
    """One snapshot column: its name, its types in each place, and what it means."""

    naam: str
    familie: Familie
    arrow: str
    """The exact Arrow type written (`arrow_type`), also the name shown in findings."""
    duckdb: str
    """The column's type in the cache's `snapshots` table."""
    omschrijving: str
    leeg_mag: bool = False

    @property
    def typenaam(self) -> str:
        """The expected type as a finding names it."""
        return f"{self.arrow} (mag leeg)" if self.leeg_mag else self.arrow

    @property
    def duckdb_lezen(self) -> str:
        """The SELECT expression that reads this column from Parquet into the cache."""
        if self.familie == "tijdstip":
            # UTC as a plain TIMESTAMP, so reading the cache needs no pytz.
            return f"CAST({self.naam} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS {self.naam}"
        return f"CAST({self.naam} AS {self.duckdb}) AS {self.naam}"


def _tekst(naam: str, omschrijving: str) -> Kolom:
    return Kolom(naam, "tekst", "string", "VARCHAR", omschrijving)


def _telling(naam: str, omschrijving: str) -> Kolom:
    return Kolom(naam, "geheel", "int32", "BIGINT", omschrijving)


KOLOMMEN: tuple[Kolom, ...] = (
    Kolom("peildatum", "datum", "date32", "DATE", "de werkdag waarover de stand gaat"),
    _tekst("aanbieder", "aanbieder-id uit deelnemers.yaml"),
    _tekst("locatie", "locatie-id van de aanbieder"),
    _tekst("afdeling", "afdeling-id binnen de locatie"),
    _tekst("zorgtype", "zorgtype van de afdeling"),
    _tekst("regio", "regio-id uit regios.yaml"),
    _tekst("specialisme", "specialisme van de afdeling"),
    _tekst("voorziening", "voorziening van de afdeling"),
    Kolom("beveiligingsniveau", "geheel", "int8", "INTEGER", "beveiligingsniveau 2, 3 of 4"),
    _telling("capaciteit", "bedden in gebruik te nemen"),
    _telling("bezet", "bedden bezet"),
    _telling("beschikbaar", "bedden vrij voor een opname"),
    _telling("gereserveerd", "bedden toegezegd aan een opname"),
    _telling("buiten_gebruik", "bedden tijdelijk niet te gebruiken"),
    Kolom("toelichting", "tekst", "string", "VARCHAR", "vrije toelichting", leeg_mag=True),
    Kolom(
        "ingediend_op",
        "tijdstip",
        "timestamp[us, tz=UTC]",
        "TIMESTAMP",
        "moment van aanleveren (UTC)",
    ),
)

PER_NAAM: dict[str, Kolom] = {k.naam: k for k in KOLOMMEN}


def namen(familie: Familie | None = None, *, behalve: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Column names in file order, optionally of one family only."""
    return tuple(
        k.naam
        for k in KOLOMMEN
        if (familie is None or k.familie == familie) and k.naam not in behalve
    )


def arrow_type(kolom: Kolom) -> Any:
    """The pyarrow type written for `kolom` (pyarrow imported here, only when asked)."""
    import pyarrow as pa

    return {
        "date32": pa.date32(),
        "string": pa.string(),
        "int8": pa.int8(),
        "int32": pa.int32(),
        "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC"),
    }[kolom.arrow]


def accepts(kolom: Kolom, kind: Any) -> bool:
    """Whether a file's Arrow type `kind` is readable as `kolom` (widths may differ)."""
    import pyarrow as pa

    if kolom.familie == "datum":
        return bool(pa.types.is_date32(kind))
    if kolom.familie == "geheel":
        return bool(pa.types.is_integer(kind))
    if kolom.familie == "tijdstip":
        return bool(pa.types.is_timestamp(kind) and kind.tz in ("UTC", "+00:00", "Etc/UTC"))
    return is_text(kind)


def is_text(kind: Any) -> bool:
    """Whether an Arrow type holds text: string, large string (polars writes it) or
    string view (pyarrow 16 and newer; polars 1.38 wrote it)."""
    import pyarrow as pa

    is_view = getattr(pa.types, "is_string_view", None)  # not in pyarrow 15
    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or (is_view is not None and is_view(kind))
    )


def duckdb_select() -> str:
    """The cast of every column, for `INSERT … SELECT` from `read_parquet`."""
    return ",\n    ".join(k.duckdb_lezen for k in KOLOMMEN)


def duckdb_definitie() -> str:
    """The columns of the cache's snapshot tables, for `CREATE TABLE`."""
    return ", ".join(f"{k.naam} {k.duckdb}" for k in KOLOMMEN)
