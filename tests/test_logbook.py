"""The private logbook: outside the repository, private text never exported."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import PROVIDER, git, invoke, tree_digest

BASE = ["--aanbieder", PROVIDER, "--locatie", "kliniek-kroonstede"]


@pytest.fixture
def logbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "prive" / "logboek.sqlite"
    monkeypatch.setenv("BEDCAP_LOGBOEK", str(path))
    return path


def add(runner: CliRunner, *args: str, cwd: Path | None = None):  # noqa: ANN201
    return invoke(runner, "logbook", "add", *BASE, *args, cwd=cwd)


def test_add_list_and_export_counts_only(
    runner: CliRunner, example: Path, logbook: Path, example_keys: dict[str, Path]
) -> None:
    from bedcap.files.agefile import decrypt, load_identities

    secret = "Geen plek op afdeling, patiënt uit regio Drenthe"
    entries = [
        ("2021-06-03", "geweigerd", ["geen_bed", "personeel"]),
        ("2021-06-10", "geweigerd", ["geen_bed"]),
        ("2021-06-21", "opgeschaald_lcbb", ["contra_indicatie"]),
        ("2021-05-28", "moeizaam", ["financiering"]),  # another month
    ]
    for datum, uitkomst, redenen in entries:
        reasons = [x for r in redenen for x in ("--reden", r)]
        result = add(
            runner,
            "--datum",
            datum,
            "--uitkomst",
            uitkomst,
            *reasons,
            "--niveau",
            "3",
            "--toelichting",
            secret,
        )
        assert result.exit_code == 0, result.stderr
        assert "Vastgelegd als regel" in result.stdout
    listed = invoke(runner, "logbook", "list", "--maand", "2021-06", "--format", "json")
    records = json.loads(listed.stdout)
    assert [r["datum"] for r in records] == ["2021-06-03", "2021-06-10", "2021-06-21"]
    assert records[0]["redenen"] == ["geen_bed", "personeel"]
    assert records[0]["toelichting"] == secret  # the provider's own view keeps the text
    csv = invoke(runner, "logbook", "list", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("id,aanbieder,datum,locatie,uitkomst,redenen") and len(csv) == 5

    exported = invoke(
        runner, "logbook", "export", "--maand", "2021-06", "--aanbieder", PROVIDER, cwd=example
    )
    assert exported.exit_code == 0, exported.stderr
    target = example / f"data/logboek/2021-06/{PROVIDER}.yaml.age"
    # Encrypted for the provider and the LCBB (issue 15): the example's LCBB key reads it.
    plain = decrypt(target.read_bytes(), load_identities([example_keys["lcbb"]]))
    assert plain is not None and b"opnames" not in target.read_bytes()
    text = plain.decode("utf-8")
    data = yaml.safe_load(text)
    # Three admissions once each; every cell under the small-cell threshold (3) is
    # suppressed, so no row shows one admission (issue 14).
    assert data == {
        "aanbieder": PROVIDER,
        "maand": "2021-06",
        "opnames": 3,
        "per_uitkomst": [{"aantal": 3, "onderdrukt": True}],
        "per_groep": [{"niveau": 3, "specialisme": None, "kader": None, "aantal": 3}],
        "redenen": [{"aantal": 4, "onderdrukt": True}],
    }
    assert "Drenthe" not in text and "plek" not in text and "2021-06-03" not in text
    assert not any(word in text for word in secret.split() if len(word) > 3)
    valid = invoke(runner, "validate", str(target), cwd=example)
    assert valid.exit_code == 0, valid.stdout


def test_export_with_commit_touches_exactly_that_file(
    runner: CliRunner, example_git: Path, logbook: Path
) -> None:
    assert (
        add(
            runner, "--datum", "2021-06-03", "--uitkomst", "geweigerd", "--reden", "geen_bed"
        ).exit_code
        == 0
    )
    result = invoke(
        runner,
        "logbook",
        "export",
        "--maand",
        "2021-06",
        "--aanbieder",
        PROVIDER,
        "--commit",
        cwd=example_git,
    )
    assert result.exit_code == 0, result.stderr
    changed = git(example_git, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == [f"data/logboek/2021-06/{PROVIDER}.yaml.age"]
    assert git(example_git, "log", "-1", "--format=%B").strip() == (
        f"Logboek 2021-06 {PROVIDER}\n\nBedcap-Aanbieder: {PROVIDER}\nBedcap-Maand: 2021-06"
    )


def test_logbook_inside_a_data_repository_is_refused(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(example)
    for where in (example / "logboek.sqlite", example / "data" / "x" / "logboek.sqlite"):
        monkeypatch.setenv("BEDCAP_LOGBOEK", str(where))
        result = add(runner, "--uitkomst", "geweigerd", "--reden", "geen_bed")
        assert result.exit_code == 2
        assert "ligt in de datarepository" in result.stderr and "privé" in result.stderr
        flag = invoke(runner, "logbook", "list", "--logboek", str(where))
        assert flag.exit_code == 2
    assert tree_digest(example) == before


BAD = [
    (["--uitkomst", "weg", "--reden", "geen_bed"], "uitkomst", "onbekende-waarde"),
    (["--uitkomst", "geweigerd", "--reden", "pech"], "reden", "onbekende-waarde"),
    (["--uitkomst", "geweigerd"], "reden", "veld-ontbreekt"),
    (
        ["--uitkomst", "geweigerd", "--reden", "geen_bed", "--niveau", "7"],
        "niveau",
        "onbekende-waarde",
    ),
    (
        ["--uitkomst", "geweigerd", "--reden", "geen_bed", "--specialisme", "chirurgie"],
        "specialisme",
        "onbekende-waarde",
    ),
    (
        ["--uitkomst", "geweigerd", "--reden", "geen_bed", "--rechtskader", "wet"],
        "rechtskader",
        "onbekende-waarde",
    ),
    (
        ["--uitkomst", "geweigerd", "--reden", "geen_bed", "--datum", "2099-01-01"],
        "datum",
        "ongeldige-waarde",
    ),
    (
        ["--uitkomst", "geweigerd", "--reden", "geen_bed", "--toelichting", "BSN 111222333"],
        "toelichting",
        "privacy-bsn",
    ),
    (
        ["--uitkomst", "geweigerd", "--reden", "geen_bed", "--toelichting", "geboren 03-04-1961"],
        "toelichting",
        "privacy-geboortedatum",
    ),
    (
        ["--uitkomst", "geweigerd", "--reden", "geen_bed", "--toelichting", "mail j@x.nl"],
        "toelichting",
        "privacy-email",
    ),
]


@pytest.mark.parametrize(("args", "veld", "code"), BAD, ids=[f"{b[1]}-{b[2]}" for b in BAD])
def test_bad_input_gets_a_dutch_finding_and_writes_nothing(
    runner: CliRunner, logbook: Path, args: list[str], veld: str, code: str
) -> None:
    result = add(runner, *args)
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if code in line)
    assert veld in line
    assert "Traceback" not in result.stdout + result.stderr
    if logbook.exists():
        assert sqlite3.connect(logbook).execute("SELECT count(*) FROM regels").fetchone() == (0,)


def test_usage_errors(runner: CliRunner, logbook: Path, example: Path) -> None:
    missing = invoke(runner, "logbook", "add", "--aanbieder", PROVIDER)
    assert missing.exit_code == 2 and "--locatie en --uitkomst" in missing.stderr
    month = invoke(
        runner, "logbook", "export", "--maand", "juni", "--aanbieder", PROVIDER, cwd=example
    )
    assert month.exit_code == 2 and "geen maand" in month.stderr
    empty = invoke(
        runner, "logbook", "export", "--maand", "2021-01", "--aanbieder", PROVIDER, cwd=example
    )
    assert empty.exit_code == 1 and "geen regels" in empty.stderr
    logbook.parent.mkdir(parents=True, exist_ok=True)
    logbook.write_bytes(b"dit is geen sqlite" * 100)
    broken = invoke(runner, "logbook", "list")
    assert broken.exit_code == 2 and "geen logboek" in broken.stderr
