"""The report's CSV folder is a Frictionless Data Package that `frictionless validate` accepts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_report import report


@pytest.fixture(autouse=True)
def lcbb_reads(monkeypatch: pytest.MonkeyPatch, example_keys: dict[str, Path]) -> None:
    """The LCBB's key: the report reads the example's encrypted financing files (issue 15)."""
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(example_keys["lcbb"]))


def validate(folder: Path) -> dict:
    tool = shutil.which("frictionless")
    assert tool, "frictionless is a test dependency"
    done = subprocess.run(
        [tool, "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("doelgroep", ["lcbb", "beleid"])
def test_frictionless_accepts_the_package(runner: CliRunner, example: Path, doelgroep: str) -> None:
    folder = report(runner, example, "csv", "--doelgroep", doelgroep)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    csvs = sorted(p.name for p in folder.glob("*.csv"))
    assert sorted(r["path"] for r in package["resources"]) == csvs
    outcome = validate(folder)
    assert outcome["valid"] is True, outcome
    assert len(outcome["tasks"]) == len(csvs)
    if doelgroep != "lcbb":
        return
    fields = {
        r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]
    }
    assert fields["afstemming"]["ligdagen_gemeld"]["type"] == "integer"
    assert fields["afstemming"]["afwijking_pct"]["unit"] == "procent"
    assert fields["afstemming"]["buiten_tolerantie"]["type"] == "boolean"
    assert fields["per_werkdag"]["periode"]["type"] == "date"
    assert fields["capaciteit_regio"]["capaciteit_gem"]["type"] == "number"
    assert fields["capaciteit_regio"]["capaciteit_gem"]["unit"] == "bedden"
    assert fields["capaciteit_regio"]["groep"]["title"] == "Regio"
    assert all(f["description"] for r in fields.values() for f in r.values())
    # The check can fail: a count that is not a number breaks its table's schema.
    path = folder / "afstemming.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] = "veel"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    broken = validate(folder)
    assert broken["valid"] is False
    assert "type-error" in json.dumps(broken)
