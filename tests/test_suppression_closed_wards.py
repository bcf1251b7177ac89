"""Small cells count only the locations whose figures they show (issue 13 with issue 14).

A location whose wards all closed still has rows in its provider's last snapshots, but
they leave the figures from the day after. The count that decides whether a cell is
suppressed must leave them out too, or a region with figures from two locations passes
for three and is published to the `beleid` audience.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.lifedata import _dump_yaml, _load_yaml, report_json

CLOSED_BY = dt.date(2026, 3, 31)
APRIL = ("--maand", "2026-04", "--doelgroep", "beleid")


def locations_per_region(repo: Path) -> dict[str, list[Path]]:
    """Location files per region, of locations with a ward active all of April (YAML)."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((repo / "data/locaties").glob("*/*.yaml")):
        loc = _load_yaml(path)
        active = [
            ward
            for ward in loc["afdelingen"]
            if not ward.get("actief_tot") and not ward.get("actief_vanaf")
        ]
        if active and len(active) == len(loc["afdelingen"]):
            found[loc["regio"]].append(path)
    return found


def test_a_region_left_with_too_few_locations_is_suppressed(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    threshold = tomllib.loads((repo / "data/bedcap.toml").read_text("utf-8"))[
        "onderdrukking_drempel_locaties"
    ]
    before = {r["groep"]: r for r in report_json(cli, repo, *APRIL)["capaciteit_regio"]}
    region, paths = next(
        (region, paths)
        for region, paths in sorted(locations_per_region(repo).items())
        if len(paths) == threshold and before.get(region, {}).get("onderdrukt") is False
    )
    closing = _load_yaml(paths[0])
    for ward in closing["afdelingen"]:
        ward["actief_tot"] = CLOSED_BY
    _dump_yaml(paths[0], closing)
    after = {r["groep"]: r for r in report_json(cli, repo, *APRIL)["capaciteit_regio"]}
    assert after[region]["onderdrukt"] is True, after[region]
    assert after[region]["capaciteit_gem"] is None
