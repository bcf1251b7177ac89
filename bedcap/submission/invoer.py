"""A provider's typed counts as read: a CSV (comma or semicolon, as Excel writes) or YAML.

Reading never raises: every problem in the file is a finding with its row or line, so
the provider sees all of them at once. The checks against the data contract are in
`plan.py`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedcap.files import textsafe
from bedcap.files.regular import os_reden
from bedcap.files.yamlio import parse_yaml
from bedcap.findings.catalogue import Finding, finding

MAX_INPUT_BYTES = 5_000_000
REQUIRED = ("locatie", "afdeling", "zorgtype", "bezet", "beschikbaar", "gereserveerd")
OPTIONAL = ("buiten_gebruik", "capaciteit", "toelichting")
INPUT_COLUMNS = REQUIRED + OPTIONAL
INT_COLUMNS = ("bezet", "beschikbaar", "gereserveerd", "buiten_gebruik", "capaciteit")


@dataclass(frozen=True)
class InvoerRij:
    """One row as typed by the provider, with the row (CSV) or line (YAML) it came from."""

    rij: int | None
    regel: int | None
    waarden: dict[str, Any]


@dataclass
class Invoer:
    bestand: str
    rijen: list[InvoerRij] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def _decode(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252 as Dutch Excel writes 'CSV'."""
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return None
    return text


def _int(value: Any, name: str, inv: Invoer, rij: int | None, regel: int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        value = str(value)
    text = str(value).strip()
    number = value if isinstance(value, int) else textsafe.ascii_int(text)
    if number is None:  # also full-width or Arabic-Indic digits and `1_5` (issue 13)
        inv.problems.append(
            finding("ongeldig-getal", inv.bestand, rij=rij, regel=regel, veld=name, gevonden=text)
        )
        return None
    if abs(number) > textsafe.INT32_MAX:
        inv.problems.append(
            finding(
                "getal-te-groot",
                inv.bestand,
                rij=rij,
                regel=regel,
                veld=name,
                gevonden=number,
                verwacht=textsafe.INT32_MAX,
            )
        )
        return None
    return number


def _row(inv: Invoer, values: dict[str, Any], rij: int | None, regel: int | None) -> None:
    out: dict[str, Any] = {}
    for name in INPUT_COLUMNS:
        value = values.get(name)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if blank and name in REQUIRED:
            inv.problems.append(
                finding("veld-ontbreekt", inv.bestand, rij=rij, regel=regel, veld=name)
            )
        if name in INT_COLUMNS:
            out[name] = None if blank else _int(value, name, inv, rij, regel)
        else:
            out[name] = None if blank else str(value).strip()
            if not blank and name != "toelichting":  # notes: the note rules say it
                teken = textsafe.control_character(str(value))
                if teken is not None:
                    inv.problems.append(
                        finding(
                            "stuurteken",
                            inv.bestand,
                            rij=rij,
                            regel=regel,
                            veld=name,
                            gevonden=teken,
                        )
                    )
    inv.rijen.append(InvoerRij(rij, regel, out))


def _columns_ok(inv: Invoer, header: list[str], regel: int | None = None) -> bool:
    known = ", ".join(INPUT_COLUMNS)
    for name in header:
        if name and name not in INPUT_COLUMNS:
            inv.problems.append(
                finding(
                    "onbekende-kolom",
                    inv.bestand,
                    rij=1 if regel is None else None,
                    regel=regel,
                    veld=name,
                    gevonden=name,
                    verwacht=known,
                )
            )
    doubles = sorted({h for h in header if h and header.count(h) > 1}) if regel is None else []
    for name in doubles:  # a CSV header (YAML refuses duplicate keys itself)
        inv.problems.append(
            finding(
                "kolom-dubbel",
                inv.bestand,
                rij=1,
                veld=name,
                gevonden=name,
                aantal=header.count(name),
            )
        )
    missing = [c for c in REQUIRED if c not in header]
    for name in missing:
        inv.problems.append(
            finding(
                "kolom-ontbreekt",
                inv.bestand,
                rij=1 if regel is None else None,
                regel=regel,
                veld=name,
                verwacht="een kolom",
            )
        )
    return not missing and not doubles


def _read_csv(inv: Invoer, text: str) -> None:
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        inv.problems.append(finding("invoer-onleesbaar", inv.bestand, reden=f"CSV-fout: {exc}"))
        return
    header = [h.strip().lower().lstrip("\ufeff") for h in rows[0]]
    if not _columns_ok(inv, header):
        return
    for number, cells in enumerate(rows[1:], start=2):  # row numbers as Excel shows them
        if not any(c.strip() for c in cells):
            continue
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:  # an unquoted delimiter in a note: refuse, never cut it off silently
            inv.problems.append(
                finding(
                    "te-veel-velden",
                    inv.bestand,
                    rij=number,
                    gevonden=len(header) + len(extra),
                    verwacht=len(header),
                    teken=delimiter,
                )
            )
            continue
        _row(inv, dict(zip(header, cells, strict=False)), number, None)


def _read_yaml(inv: Invoer, text: str) -> None:
    loaded = parse_yaml(text, inv.bestand)
    inv.problems += loaded.problems
    if loaded.data is None:
        return
    rijen = loaded.data.get("rijen")
    if set(loaded.data) != {"rijen"} or not isinstance(rijen, list):
        inv.problems.append(
            finding(
                "ongeldig-type",
                inv.bestand,
                regel=1,
                veld="rijen",
                gevonden=", ".join(map(str, loaded.data)) or "-",
                verwacht="een mapping met alleen 'rijen: [...]'",
            )
        )
        return
    for i, item in enumerate(rijen):
        line = loaded.line_of(("rijen", i))
        if not isinstance(item, dict):
            inv.problems.append(
                finding(
                    "ongeldig-type",
                    inv.bestand,
                    regel=line,
                    veld=f"rijen.{i}",
                    gevonden=type(item).__name__,
                    verwacht="een mapping per rij",
                )
            )
            continue
        if _columns_ok(inv, [str(k) for k in item] + [c for c in REQUIRED if c in item], line):
            _row(inv, item, None, line)


def _stray_finding(bestand: str, raw: bytes, pos: int, suffix: str) -> Finding:
    """`invoer-geen-utf8` at the row (CSV, with its column) or line (YAML) of the byte."""
    line = raw.count(b"\n", 0, pos) + 1
    where: dict[str, Any] = {"regel": line} if suffix in (".yaml", ".yml") else {"rij": line}
    if "rij" in where:
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace")
        sep = ";" if header.count(";") > header.count(",") else ","
        column = raw[raw.rfind(b"\n", 0, pos) + 1 : pos].count(sep.encode())
        names = [h.strip().lower().lstrip("\ufeff") for h in header.split(sep)]
        where["veld"] = names[column] if column < len(names) else None
    return finding(
        "invoer-geen-utf8", bestand, gevonden=f"0x{raw[pos]:02X}", positie=pos + 1, **where
    )


def read_input(path: Path) -> Invoer:
    """Parse a submission file; every problem is a finding, nothing is raised."""
    inv = Invoer(path.name)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            inv.problems.append(
                finding("invoer-te-groot", inv.bestand, gevonden=size, verwacht=MAX_INPUT_BYTES)
            )
            return inv
        raw = path.read_bytes()
    except OSError as exc:
        inv.problems.append(finding("invoer-onleesbaar", inv.bestand, reden=os_reden(exc)))
        return inv
    stray = textsafe.stray_byte(raw)
    if stray is not None:
        inv.problems.append(_stray_finding(inv.bestand, raw, stray, path.suffix.lower()))
        return inv
    text = _decode(raw)
    if text is None:
        inv.problems.append(
            finding("invoer-onleesbaar", inv.bestand, reden="binaire inhoud, geen tekst")
        )
        return inv
    if not text.strip():
        inv.problems.append(finding("invoer-leeg", inv.bestand))
        return inv
    if path.suffix.lower() in (".yaml", ".yml"):
        _read_yaml(inv, text)
    else:
        _read_csv(inv, text)
    if not inv.rijen and not inv.problems:
        inv.problems.append(finding("invoer-leeg", inv.bestand))
    return inv
