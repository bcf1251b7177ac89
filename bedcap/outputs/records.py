"""Records for other systems: one JSON and one CSV form of a list of records.

`bedcap available|history --format json|csv` print these and the dashboard publishes
`beschikbaar.json` and `beschikbaar.csv` beside `index.html`, so a script reads the same
bytes from either (comma, point, UTF-8, ISO dates; no control characters, no formulas).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bedcap.files.textsafe import csv_cell


def plain(value: Any) -> Any:
    """JSON value of a record field: ISO dates, floats for decimals, lists as lists."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def as_json(records: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    """A JSON array of the records, with exactly `fields` in that order, one record a line.

    A line per record keeps it readable and diffable, and lets the C encoder write each
    (an indented dump goes through the pure-Python encoder: 0.03 s for `available`)."""
    rows = [json.dumps({f: plain(r.get(f)) for f in fields}, ensure_ascii=False) for r in records]
    return "[\n" + ",\n".join(rows) + "\n]\n" if rows else "[]\n"


def _csv_value(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, list):
        value = ";".join(map(str, value))
    elif isinstance(value, bool):
        value = "true" if value else "false"
    if isinstance(value, str):  # a terminal or a spreadsheet reads this (issue 13)
        value = csv_cell(value)
    return "" if value is None else value


def as_csv(records: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    """CSV with a header of `fields`; lists as `a;b`, booleans as true/false."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for r in records:
        writer.writerow([_csv_value(r.get(f)) for f in fields])
    return buffer.getvalue()
