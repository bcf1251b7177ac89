"""Issue 14, item 8: care with carried data, on a provider's real clone and bare remote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import IDENTITY, PROVIDER, git, invoke
from tests.test_cli_submit import HEADER, previous_rows, state


def test_a_row_with_more_fields_than_the_header_is_refused(
    provider: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    work, remote = provider
    rows = previous_rows(work)
    lines = [HEADER.replace(",", ";")]
    for i, r in enumerate(rows):
        note = "kamer 3; 2 bedden dicht" if i == 1 else ""  # the unquoted ';' of a note
        cells = [r["locatie"], r["afdeling"], r["zorgtype"], r["bezet"], r["beschikbaar"]]
        cells += [r["gereserveerd"], r["buiten_gebruik"], note]
        lines.append(";".join(str(c) for c in cells))
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = state(work, remote)
    result = invoke(runner, "submit", str(tmp_path / "in.csv"), "--format", "json", cwd=work)
    assert result.exit_code == 1, result.output
    found = [f for f in json.loads(result.stdout)["bevindingen"] if f["code"] == "te-veel-velden"]
    assert [(f["rij"], f["melding"]) for f in found] == [
        (3, "9 velden, de kopregel heeft er 8; zet een toelichting met ; tussen aanhalingstekens")
    ]
    assert state(work, remote) == before


def test_unchanged_from_an_old_snapshot_warns_and_names_the_day(
    provider: tuple[Path, Path], runner: CliRunner
) -> None:
    work, _ = provider
    for day in ("2021-06-29", "2021-06-30"):
        git(work, "rm", "-q", f"data/snapshots/{PROVIDER}/2021/{day}.parquet")
    git(work, *IDENTITY, "commit", "-qm", "twee dagen terug")
    result = invoke(runner, "submit", "--ongewijzigd", "--no-push", "--format", "json", cwd=work)
    assert result.exit_code == 0, result.output
    warned = [f for f in json.loads(result.stdout)["bevindingen"] if f["code"] == "ongewijzigd-oud"]
    assert [f["melding"] for f in warned] == [
        "--ongewijzigd kopieert de stand van 2021-06-28, ouder dan de vorige werkdag "
        "2021-06-30; klopt dat nog?"
    ]


def test_submit_works_in_a_clone_copied_with_cp_a(
    provider: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    work, _ = provider
    copy = tmp_path / "kopie"
    subprocess.run(["cp", "-a", str(work), str(copy)], check=True)
    result = invoke(runner, "submit", "--ongewijzigd", "--no-push", cwd=copy)
    assert result.exit_code == 0, result.output
    assert git(copy, "status", "--porcelain") == ""
    assert git(copy, "log", "-1", "--format=%s").startswith("Snapshot 2021-07-01")
