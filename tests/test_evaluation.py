"""Issue 14, item 12: a report over any period has everything a quarter report has.

On the generated repository with real git history (`tests.lifedata`), a range of two
quarters, a year and a month are reported; financing (decrypted with the LCBB's key),
the civil/forensic signal, completeness and the logbook's knelpunten are compared with
figures worked out here from the decrypted YAML files and the Parquet files.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.lifedata import counted_rows, report_json, totals, working_days

GRONDSLAGEN = ("wlz", "zvw", "wfz", "overig")


@pytest.fixture
def lcbb(life: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Path:
    key = life["root"] / ".bedcap/sleutels/lcbb"
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(key))
    return key


def plain(repo: Path, folder: str, key: Path) -> dict[str, dict[str, Any]]:
    """Every confidential file in `folder`, decrypted, by provider."""
    from bedcap.files.agefile import decrypt, load_identities

    ids = load_identities([key])
    out = {}
    for path in sorted((repo / folder).glob("*.yaml.age")):
        text = decrypt(path.read_bytes(), ids)
        assert text is not None, path
        out[path.name.removesuffix(".yaml.age")] = yaml.safe_load(text)
    return out


def financed(repo: Path, key: Path, quarter: str) -> dict[tuple[str, str], dict[str, int]]:
    """Reported bed-days per (provider, location) and basis in one quarter's files."""
    return {
        (aanbieder, loc["locatie"]): {g: int(loc["ligdagen"][g]) for g in GRONDSLAGEN}
        for aanbieder, data in plain(repo, f"data/financiering/{quarter}", key).items()
        for loc in data["locaties"]
    }


def summed(*quarters: dict[tuple[str, str], dict[str, int]]) -> dict[str, int]:
    return {g: sum(v[g] for q in quarters for v in q.values()) for g in GRONDSLAGEN}


def share(parts: dict[str, int]) -> float | None:
    total = sum(parts.values())
    return round(100.0 * parts["wfz"] / total, 1) if total else None


def admissions(repo: Path, key: Path, months: list[str]) -> int:
    return sum(
        data["opnames"] for m in months for data in plain(repo, f"data/logboek/{m}", key).values()
    )


def average_capacity(repo: Path, first: dt.date, last: dt.date) -> float:
    days = [totals(counted_rows(repo, d)) for d in working_days(first, last)]
    days = [t for t in days if t["capaciteit"]]
    return round(sum(t["capaciteit"] for t in days) / len(days), 1)


def kern(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["kerncijfer"]: r for r in doc["kerncijfers"]}


def test_a_range_of_two_quarters_has_the_financing_of_both(
    cli: CliRunner, life: dict[str, Any], lcbb: Path
) -> None:
    repo = life["root"]
    doc = report_json(cli, repo, "--van", "2025-10-01", "--tot", "2026-03-31")
    q4, q1 = financed(repo, lcbb, "2025Q4"), financed(repo, lcbb, "2026Q1")
    assert q4 and q1
    both = summed(q4, q1)
    national = {r["grondslag"]: r["ligdagen"] for r in doc["financiering_landelijk"]}
    assert national == {**both, "totaal": sum(both.values())}
    per_location: dict[tuple[str, str], int] = defaultdict(int)
    for q in (q4, q1):
        for key, parts in q.items():
            per_location[key] += sum(parts.values())
    reported = {
        (r["aanbieder"], r["locatie"]): r["ligdagen_gemeld"]
        for r in doc["afstemming"]
        if r["ligdagen_gemeld"] is not None
    }
    assert reported == dict(per_location)
    signal = {r["kwartaal"]: r for r in doc["civiel_forensisch"]}
    for name, q in (("2025Q4", q4), ("2026Q1", q1)):
        parts = summed(q)
        assert signal[name]["forensisch_wfz"] == parts["wfz"]
        assert signal[name]["civiel"] == parts["wlz"] + parts["zvw"] + parts["overig"]
    figures = kern(doc)
    assert figures["aandeel_forensisch"]["deze_periode"] == share(both)
    assert figures["aandeel_forensisch"]["vorige_periode"] is None  # no financing before
    # Completeness and knelpunten, as a quarter report has them.
    assert {r["aanbieder"] for r in doc["volledigheid"]} >= set(providers(q4))
    months = ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    total = next(r for r in doc["logboek_opnames"] if r["uitkomst"] == "totaal")
    assert total["opnames"] == admissions(repo, lcbb, months) > 0
    assert doc["knelpunten"] and sum(r["aantal"] for r in doc["knelpunten"]) >= total["opnames"]
    # Compared with as many days directly before it.
    rows = {r["maat"]: r for r in doc["vergelijking"]}
    assert set(doc["vergelijking"][0]) >= {"deze_periode", "vorige_periode"}
    assert rows["capaciteit_gem"]["deze_periode"] == average_capacity(
        repo, dt.date(2025, 10, 1), dt.date(2026, 3, 31)
    )


def providers(q: dict[tuple[str, str], Any]) -> set[str]:
    return {aanbieder for aanbieder, _ in q}


def test_a_year_has_its_whole_quarters_and_the_year_before(
    cli: CliRunner, life: dict[str, Any], lcbb: Path
) -> None:
    repo = life["root"]
    doc = report_json(cli, repo, "--jaar", "2026")
    assert doc["tot"] == "2026-05-19"  # a running year: 2026Q2 is not due, so not summed
    q1, q4 = financed(repo, lcbb, "2026Q1"), financed(repo, lcbb, "2025Q4")
    national = {r["grondslag"]: r["ligdagen"] for r in doc["financiering_landelijk"]}
    assert national == {**summed(q1), "totaal": sum(summed(q1).values())}
    assert [r["kwartaal"] for r in doc["civiel_forensisch"]] == ["2025Q4", "2026Q1"]
    figures = kern(doc)
    assert figures["aandeel_forensisch"]["dit_jaar"] == share(summed(q1))
    assert figures["aandeel_forensisch"]["vorig_jaar"] == share(summed(q4))  # 2025
    assert figures["volledigheid"]["dit_jaar"] is not None
    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    total = next(r for r in doc["logboek_opnames"] if r["uitkomst"] == "totaal")
    assert total["opnames"] == admissions(repo, lcbb, months)


def test_a_month_compares_with_the_month_before_and_keeps_the_signal(
    cli: CliRunner, life: dict[str, Any], lcbb: Path
) -> None:
    repo = life["root"]
    doc = report_json(cli, repo, "--maand", "2026-02")
    rows = {r["maat"]: r for r in doc["vergelijking"]}
    assert rows["capaciteit_gem"]["deze_maand"] == average_capacity(
        repo, dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    )
    assert rows["capaciteit_gem"]["vorige_maand"] == average_capacity(
        repo, dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    )
    figures = kern(doc)
    assert figures["capaciteit"]["vorige_maand"] == rows["capaciteit_gem"]["vorige_maand"]
    assert "financiering_landelijk" not in doc  # a month holds no whole quarter
    signal = {r["kwartaal"]: r for r in doc["civiel_forensisch"]}
    assert signal["2026Q1"]["forensisch_wfz"] == summed(financed(repo, lcbb, "2026Q1"))["wfz"]
    total = next(r for r in doc["logboek_opnames"] if r["uitkomst"] == "totaal")
    assert total["opnames"] == admissions(repo, lcbb, ["2026-02"])
