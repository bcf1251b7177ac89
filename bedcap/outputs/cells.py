"""One value → cell converter for every report format.

A report value (int, float, bool, date, list, None) becomes a JSON value, an XLSX cell,
a CSV field or the text of an HTML/Markdown cell here and nowhere else, so a `True`
cannot read "ja" in one format and "1" in another by accident.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bedcap.contract.vocab import Rapportformaat
from bedcap.files.textsafe import csv_cell

LEEG = "–"  # an empty cell in the text formats


def cell(value: Any, formaat: Rapportformaat) -> Any:
    """`value` as `formaat` shows it in a table cell (the template filter `cel` for text)."""
    if formaat is Rapportformaat.JSON:
        if isinstance(value, dt.date):
            return value.isoformat()
        return round(value, 2) if isinstance(value, float) else value
    if formaat in (Rapportformaat.HTML, Rapportformaat.MD, Rapportformaat.PDF):
        if isinstance(value, bool):
            return "ja" if value else "nee"
        return LEEG if value is None else value
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    if isinstance(value, str):  # a spreadsheet reads it: no control, no formula (issue 13)
        value = csv_cell(value)
    if formaat is Rapportformaat.CSV:
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else value
    return value
