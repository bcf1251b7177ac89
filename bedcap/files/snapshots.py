"""Daily snapshots as Parquet: the exact Arrow schema, the version metadata, atomic writes."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bedcap.contract.columns import KOLOMMEN, arrow_type, is_text
from bedcap.contract.patterns import COUNT_COLUMNS, SCHEMA_VERSION, SNAPSHOT_COLUMNS
from bedcap.files.regular import os_reden
from bedcap.files.yamlio import atomic_write

if TYPE_CHECKING:
    import pyarrow as pa

METADATA_KEY = b"bedcap.schema_version"
COLUMNS: tuple[str, ...] = SNAPSHOT_COLUMNS
# Readable names of the Arrow types, for messages ("verwacht: int32").
TYPE_NAMES: dict[str, str] = {k.naam: k.typenaam for k in KOLOMMEN}
__all__ = ["COUNT_COLUMNS", "COLUMNS", "TYPE_NAMES"]  # rules.snapshots reads them from here


def arrow_schema() -> pa.Schema:
    """The one Arrow schema of contract v1; imported lazily because pyarrow is slow to load."""
    import pyarrow as pa

    fields = [pa.field(k.naam, arrow_type(k), nullable=k.leeg_mag) for k in KOLOMMEN]
    return pa.schema(fields, metadata={METADATA_KEY: str(SCHEMA_VERSION).encode()})


def to_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts with every column) as a table with exactly the contract's schema."""
    import pyarrow as pa

    rows = list(rows)
    schema = arrow_schema()
    columns = {name: [row[name] for row in rows] for name in COLUMNS}
    return pa.Table.from_pydict(columns, schema=schema)


def to_bytes(table: pa.Table) -> bytes:
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    # Snappy without dictionaries: a 10-row file decodes in 0.13 ms against 0.66 ms with
    # zstd (a zstd context per column chunk), and is smaller too (bench/RESULTS.md).
    pq.write_table(
        table, buffer, compression="snappy", use_dictionary=False, write_statistics=False
    )
    return buffer.getvalue()


def write_snapshot(
    path: Path, rows: Iterable[Mapping[str, Any]], tmp_dir: Path | None = None
) -> None:
    """Write one provider-day atomically: a reader sees the old file or the new, never half."""
    atomic_write(path, to_bytes(to_table(rows)), tmp_dir)


MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
"""A snapshot larger than this is not read: one provider-day is a few kB (a hundred wards
would be about 20 kB), and reading a file of many gigabytes took all memory."""


def read_snapshot(path: Path) -> pa.Table:
    """The table as stored, schema and metadata untouched, for validation to judge.

    Reading the bytes first and decoding on this thread is twice as fast as
    `pq.read_table` for files this small (measured: 0.5 ms against 1.1 ms). Decoded by
    `decode`, the many-file validation's reader, so both see the same types: with
    `ParquetFile`, a text column marked as JSON in Parquet was an extension type here
    ("kolom-type") and plain text there (issue 18 review).
    """
    from bedcap.files.regular import read_regular

    data = read_regular(path, MAX_SNAPSHOT_BYTES)  # never a FIFO, never all memory
    return decode(data)


def decode(data: bytes) -> pa.Table:
    """A whole Parquet file's table from its bytes, as `ParquetFile(...).read()` gives it.

    The low-level reader skips what `ParquetFile` builds per file for column selection by
    name (a fifth of the CPU of a 10-row file); cold builds and cold validation decode
    150,000 of them (issue 18). Without pre-buffering: the buffer already holds the file.
    """
    import pyarrow as pa
    from pyarrow._parquet import ParquetReader

    reader = ParquetReader()
    reader.open(pa.BufferReader(data), pre_buffer=False)
    return reader.read_all(use_threads=False)


PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
"""Counts of each Arrow timestamp unit in a second."""
MICROS_RANGE = (-62_135_596_800_000_000, 253_402_300_799_999_999)
"""The years 1–9999 in microseconds since 1970: what a Python `datetime` holds."""


def micros(count: int, unit: str) -> int:
    """A timestamp's count of `unit` as microseconds since 1970 (finer units cut off);
    Python's integers, so no unit overflows on the way."""
    return count * 1_000_000 // PER_SECOND[unit]


def times_in_range(column: Any) -> bool:
    """Whether every value of a timestamp column lies in the years 1–9999.

    Asked of `ingediend_op`, which the rules otherwise only need to be present: a time
    past the year 9999 passed validation and then ended `available` and the dashboard in
    a traceback (DuckDB hands it to Python as text). Worked out on the column's own
    counts, so no unit can overflow on the way."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ends = pc.min_max(column.cast(pa.int64())).as_py()
    if ends["min"] is None:
        return True
    low, high = (micros(n, column.type.unit) for n in (ends["min"], ends["max"]))
    return MICROS_RANGE[0] <= low and high <= MICROS_RANGE[1]


PYTHON_ONLEESBAAR = (UnicodeDecodeError, OverflowError)
"""What turning a decoded table into Python values raises for bytes Parquet readers accept
unchecked: text that is no UTF-8, a date or time outside the years 1–9999."""


def python_onleesbaar(table: pa.Table) -> str:
    """Why `table` cannot be read as Python values, in Dutch, naming the column.

    Asked only after a conversion failed (`PYTHON_ONLEESBAAR`): checking every file first
    would cost every file of a cold validation."""
    import pyarrow as pa

    try:
        names = table.column_names
    except UnicodeDecodeError:
        return "een kolomnaam is geen geldige UTF-8"
    for name, column in zip(names, table.columns, strict=True):
        kind = column.type
        if is_text(kind):
            try:
                column.validate(full=True)
            except pa.ArrowInvalid:
                return f"kolom {name} bevat tekst die geen geldige UTF-8 is"
        elif pa.types.is_timestamp(kind):
            try:
                _ = kind.tz
            except UnicodeDecodeError:
                return f"kolom {name} heeft een tijdzone die geen geldige UTF-8 is"
            if not times_in_range(column):  # not as Python values: nanoseconds fail there
                return f"kolom {name} bevat een datum of tijdstip buiten de jaren 1–9999"
        elif pa.types.is_temporal(kind):
            try:
                column.to_pylist()
            except OverflowError:
                return f"kolom {name} bevat een datum of tijdstip buiten de jaren 1–9999"
            except ValueError:  # a unit Python cannot hold: not a date out of range
                continue
    return "een waarde is niet als tekst, getal of datum te lezen"


_REDENEN = (
    ("Parquet file size is 0 bytes", "het bestand is leeg (0 bytes)"),
    (
        "Parquet magic bytes not found in footer",
        "het bestand eindigt niet op de kenmerkende bytes van Parquet (PAR1): het is "
        "afgekapt, beschadigd of geen Parquet-bestand",
    ),
    (
        "smaller than the size reported by footer",
        "het bestand is korter dan zijn eigen inhoudsopgave (footer) zegt: het is afgekapt "
        "of beschadigd",
    ),
    (
        "encrypted",
        "het bestand is met Parquet-encryptie versleuteld; verwacht: een onversleuteld "
        "snapshot (vertrouwelijk is alleen financiering en logboek, met age)",
    ),
    ("deserialize thrift", "de inhoudsopgave (footer) van het bestand is beschadigd"),
)
"""Readers' messages for the damages a coordinator or a provider's staff meets most (an
empty file, a file cut short or of another kind), said in Dutch; rarer ones are said to be
damaged, in Dutch, with the reader's own first line after it."""


def reden_onleesbaar(exc: BaseException) -> str:
    """Why a snapshot cannot be read, for `parquet-onleesbaar`."""
    if isinstance(exc, UnicodeDecodeError):  # the reader decodes the names it reads
        return "een kolomnaam of de metadata is geen geldige UTF-8"
    text = str(exc)
    for known, dutch in _REDENEN:
        if known in text:
            return dutch
    said = text.splitlines()[0][:160] if text.strip() else type(exc).__name__
    return f"het bestand is beschadigd of geen Parquet-bestand (de lezer meldt: {said})"


def schema_version(table: pa.Table) -> str | None:
    meta = table.schema.metadata or {}
    value = meta.get(METADATA_KEY)
    return value.decode("utf-8", "replace") if value is not None else None


# Fields every row of a day's file shares: shown once, in the header of the text.
GEDEELD = ("peildatum", "aanbieder", "ingediend_op")
WARD = ("locatie", "afdeling", "zorgtype")
STATIC = ("beveiligingsniveau", "specialisme", "voorziening", "regio")


class SnapshotOnleesbaarError(ValueError):
    """Why a snapshot cannot be shown as text, in Dutch."""


def render_text(path: Path) -> str:
    """A Parquet snapshot as text for `git diff`: shared fields once, one line per ward.

    A correction's diff then shows the ward lines whose counts changed (and the new
    `ingediend_op`), nothing else. A field that is not the same on every row stays in
    the ward lines, so no value is ever hidden. A file that cannot be read raises
    `SnapshotOnleesbaarError` with the reason `validate` gives.
    """
    try:
        table = read_snapshot(path)
    except OSError as exc:
        raise SnapshotOnleesbaarError(os_reden(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any damage is said in Dutch, never a traceback
        raise SnapshotOnleesbaarError(reden_onleesbaar(exc)) from None
    try:
        names = table.column_names
        columns = [_python_values(column) for column in table.columns]
    except PYTHON_ONLEESBAAR:
        raise SnapshotOnleesbaarError(python_onleesbaar(table)) from None
    rows = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    shared = [n for n in GEDEELD if n in names and len({str(r[n]) for r in rows}) == 1]
    lines = [f"# bedcap snapshot · schema_version={schema_version(table)} · rijen={len(rows)}"]
    lines += [f"{n}: {_text_value(rows[0][n])}" for n in shared]
    lines.append("")
    rest = [n for n in names if n not in shared and n not in WARD and n not in STATIC]
    keys = ["/".join(str(r.get(n)) for n in WARD if n in names) for r in rows]
    width = max((len(k) for k in keys), default=0)
    for key, r in sorted(zip(keys, rows, strict=True), key=lambda kr: kr[0]):
        values = " ".join(f"{n}={_text_value(r[n])}" for n in rest if r[n] is not None)
        facts = " ".join(f"{n}={_text_value(r[n])}" for n in STATIC if n in names)
        lines.append(f"{key.ljust(width)}  {values}  ({facts})")
    return "\n".join(lines) + "\n"


def _python_values(column: Any) -> list[Any]:
    """A column's values for the text; a date or time Python cannot hold (nanoseconds, a
    year past 9999) as its count since 1970 in its unit, so the diff still shows that it
    changed. Text that is no UTF-8 raises `PYTHON_ONLEESBAAR`, for the caller to name."""
    import pyarrow as pa

    try:
        return list(column.to_pylist())
    except (ValueError, OverflowError):
        if not pa.types.is_temporal(column.type):
            raise
    kind = column.type
    unit = "d" if pa.types.is_date32(kind) else "ms" if pa.types.is_date64(kind) else kind.unit
    counts = column.cast(
        pa.int32() if pa.types.is_date32(kind) or pa.types.is_time32(kind) else pa.int64()
    )
    return [None if n is None else f"{n}{unit}-sinds-1970" for n in counts.to_pylist()]


def _text_value(value: Any) -> str:
    """A value on a ward line: text with spaces quoted, so the line splits unambiguously."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f'"{text}"' if isinstance(value, str) and (" " in text or not text) else text
