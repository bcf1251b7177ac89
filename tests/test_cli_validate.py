"""`bedcap validate` on good data, on parts of it, and when used wrongly."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PROJECT, invoke


def test_example_data_is_valid(runner) -> None:  # noqa: ANN001
    result = invoke(runner, "validate", cwd=PROJECT)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "Klaar. FOUT=0 WAARSCHUWING=0 BESTANDEN=270"


def test_json_output_has_stable_keys(runner) -> None:  # noqa: ANN001
    result = invoke(runner, "validate", "--format", "json", cwd=PROJECT)
    report = json.loads(result.stdout)
    assert report == {
        "geldig": True,
        "bestanden": 270,
        "fouten": 0,
        "waarschuwingen": 0,
        "bevindingen": [],
    }


def test_one_file_is_validated_alone(runner, example: Path) -> None:  # noqa: ANN001
    snap = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-30.parquet"
    (example / "data/snapshots/voorbeeldzorg-westerduin/2021/2021-06-30.parquet").write_bytes(b"x")
    result = invoke(runner, "validate", str(example / snap), cwd=example)
    assert result.exit_code == 0, result.output
    assert "BESTANDEN=1" in result.stdout


def test_a_location_touches_its_recent_snapshots(runner, example: Path) -> None:  # noqa: ANN001
    loc = example / "data/locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.yaml"
    loc.write_text(loc.read_text().replace("id: fpa-1", "id: fpa-9"))
    result = invoke(runner, "validate", "--format", "json", str(loc), cwd=example)
    assert result.exit_code == 1
    found = json.loads(result.stdout)["bevindingen"]
    assert {f["code"] for f in found} == {"onbekende-afdeling", "snapshot-onvolledig"}
    assert all(
        f["bestand"] >= "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-17" for f in found
    )


def test_missing_path_is_usage_error(runner, example: Path) -> None:  # noqa: ANN001
    result = invoke(runner, "validate", "data/bestaat-niet.yaml", cwd=example)
    assert result.exit_code == 2
    assert "data/bestaat-niet.yaml bestaat niet" in result.stderr


def test_not_a_repository_cannot_run(runner, tmp_path: Path) -> None:  # noqa: ANN001
    result = invoke(runner, "validate", cwd=tmp_path)
    assert result.exit_code == 3
    assert "is geen bedcap-datarepository" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_is_usage_error(runner) -> None:  # noqa: ANN001
    result = invoke(runner, "validate", "--format", "xml", cwd=PROJECT)
    assert result.exit_code == 2


def test_broken_settings_are_findings(runner, example: Path) -> None:  # noqa: ANN001
    (example / "data/bedcap.toml").write_text("correctievenster_werkdagen = -1\n")
    result = invoke(runner, "validate", "--format", "json", cwd=example)
    assert result.exit_code == 1
    found = json.loads(result.stdout)["bevindingen"]
    assert [(f["code"], f["veld"]) for f in found] == [
        ("ongeldige-waarde", "correctievenster_werkdagen")
    ]
    assert "0 of meer" in found[0]["melding"]
