"""Every command reads today in the repository's `tijdzone`, not only the read commands.

Two zones 25 hours apart (UTC+14 and UTC−11) never share a date, so whichever clock a
command read shows: the report's `gemaakt_op` must be today in the configured zone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke


def test_a_report_is_made_on_today_in_the_repositorys_zone(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BEDCAP_VANDAAG", raising=False)  # the real clock, read in the zone
    settings = example / "data/bedcap.toml"
    text = settings.read_text(encoding="utf-8")
    made = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        settings.write_text(text.replace("Europe/Amsterdam", zone), encoding="utf-8")
        before = dt.datetime.now(ZoneInfo(zone)).date()
        target = example.parent / "rapport.json"
        args = ("report", "--kwartaal", "2021Q2", "--format", "json", "--uit", str(target))
        result = invoke(runner, *args, cwd=example)
        after = dt.datetime.now(ZoneInfo(zone)).date()
        assert result.exit_code == 0, result.stderr
        doc = json.loads(target.read_text(encoding="utf-8"))
        made[zone] = dt.date.fromisoformat(doc["gemaakt_op"])
        assert made[zone] in {before, after}, zone
    assert made["Pacific/Kiritimati"] > made["Pacific/Pago_Pago"]  # a day or two apart
