"""`bedcap init`: a new, empty, valid data repository."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bedcap.contract.model import Instellingen
from tests.conftest import git, invoke


def test_init_makes_a_valid_empty_repository(runner, tmp_path: Path) -> None:  # noqa: ANN001
    target = tmp_path / "nieuw"
    result = invoke(runner, "init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / ".git").is_dir()
    assert git(target, "config", "feature.manyFiles").strip() == "true"
    assert git(target, "config", "diff.bedcap-parquet.textconv").strip() == "bedcap textconv"
    settings = tomllib.loads((target / "data/bedcap.toml").read_text())
    assert Instellingen.model_validate(settings) == Instellingen()
    assert "*.parquet binary diff=bedcap-parquet" in (target / ".gitattributes").read_text()
    assert ".bedcap/" in (target / ".gitignore").read_text()
    assert (
        (target / "data/deelnemers.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../schemas/deelnemers.schema.json\n")
    )
    assert (target / "schemas/locatie.schema.json").is_file()
    check = invoke(runner, "validate", cwd=target)
    assert check.exit_code == 0, check.output
    assert "Klaar. FOUT=0 WAARSCHUWING=0 BESTANDEN=4" in check.stdout


def test_init_refuses_a_non_empty_folder(runner, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "iets.txt").write_text("x")
    result = invoke(runner, "init", str(tmp_path))
    assert result.exit_code == 3
    assert "is niet leeg" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["iets.txt"]
