"""Issue 13, class 9: no provider recognisable in the `beleid` audience.

The location counts per group are computed here from the Parquet files themselves
(pyarrow and plain Python), not with bedcap's query code.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.conftest import invoke

GROUPS = {
    "capaciteit_regio": ("regio",),
    "capaciteit_niveau": ("beveiligingsniveau",),
    "capaciteit_specialisme": ("specialisme",),
    "capaciteit_zorgtype": ("zorgtype",),
}
NO_FREE_BED = ("beveiligingsniveau", "specialisme", "regio")


def locations(root: Path, columns: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    """Distinct locations per group in the snapshots of 2021Q2."""
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for path in (root / "data/snapshots").glob("*/2021/2021-0[456]-*.parquet"):
        for row in pq.read_table(path).to_pylist():
            key = tuple(str(row[c]) for c in columns)
            found[key].add(f"{row['aanbieder']}/{row['locatie']}")
    return {k: len(v) for k, v in found.items()}


def written(runner: CliRunner, root: Path, doelgroep: str, tmp: Path, formaat: str) -> Path:
    """The 2021Q2 report for `doelgroep` in `formaat`, written to `tmp`."""
    out = tmp / f"{doelgroep}.{formaat}"
    result = invoke(
        runner, "report", "--kwartaal", "2021Q2", "--doelgroep", doelgroep,
        "--format", formaat, "--uit", str(out), cwd=root,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def report(runner: CliRunner, root: Path, doelgroep: str, tmp: Path) -> dict:
    return json.loads(written(runner, root, doelgroep, tmp, "json").read_text(encoding="utf-8"))


def test_small_cells_are_suppressed_and_totals_still_add_up(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    data = report(runner, example, "beleid", tmp_path)
    national = data["capaciteit_landelijk"][0]
    suppressed_somewhere = False
    for table, columns in GROUPS.items():
        counts = locations(example, columns)
        rows = [r for r in data[table] if r["groep"] != "onderdrukt (samen)"]
        hidden = [r for r in rows if r["onderdrukt"]]
        for r in rows:
            if counts[(str(r["groep"]),)] < 3:
                assert r["onderdrukt"] is True, (table, r)
            if r["onderdrukt"]:
                assert r["capaciteit_gem"] is None and r["beschikbaar_min"] is None
            else:
                assert counts[(str(r["groep"]),)] >= 3 and r["capaciteit_gem"] is not None
        if hidden:
            suppressed_somewhere = True
            assert len(hidden) >= 2  # complementary suppression: never one cell alone
            assert sum(counts[(str(r["groep"]),)] for r in hidden) >= 3
            samen = [r for r in data[table] if r["groep"] == "onderdrukt (samen)"]
            assert len(samen) == 1 and samen[0]["onderdrukt"] is True
            visible = [r for r in rows if not r["onderdrukt"]] + samen
            for m in ("capaciteit_gem", "beschikbaar_gem", "bezet_gem"):
                assert sum(r[m] for r in visible) == pytest.approx(national[m], abs=0.2)
    assert suppressed_somewhere, "the example has small groups: the test must see one"
    counts = locations(example, NO_FREE_BED)
    rows = data["dagen_zonder_vrij_bed"]
    small = [r for r in rows if counts[tuple(str(r[c]) for c in NO_FREE_BED)] < 3]
    assert small and all(r["onderdrukt"] and r["dagen_zonder_vrij_bed"] is None for r in small)
    assert all(r["dagen_zonder_vrij_bed"] is not None for r in rows if not r["onderdrukt"])


def test_threshold_comes_from_bedcap_toml(example: Path, runner: CliRunner, tmp_path: Path) -> None:
    settings = example / "data/bedcap.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("onderdrukking_drempel_locaties = 3", "onderdrukking_drempel_locaties = 1"),
        encoding="utf-8",
    )
    data = report(runner, example, "beleid", tmp_path)
    for table in GROUPS:
        assert not any(r["onderdrukt"] for r in data[table])
    assert not any(r["onderdrukt"] for r in data["dagen_zonder_vrij_bed"])


def test_the_lcbb_sees_every_cell(example: Path, runner: CliRunner, tmp_path: Path) -> None:
    data = report(runner, example, "lcbb", tmp_path)
    for table in (*GROUPS, "dagen_zonder_vrij_bed"):
        assert all("onderdrukt" not in r for r in data[table])
        assert all(r.get("groep") != "onderdrukt (samen)" for r in data[table])


def test_the_policy_reports_key_figure_says_it_leaves_small_groups_out(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """Days without a free bed are summed over the groups the policy report shows: its
    figure is smaller than the LCBB's, and the sentence says why (it read as a
    contradiction); the LCBB's, over every group, says nothing of the kind."""
    from bedcap.outputs.summary import DEELS

    said = {}
    for doelgroep in ("beleid", "lcbb"):
        text = written(runner, example, doelgroep, tmp_path, "md").read_text(encoding="utf-8")
        said[doelgroep] = next(s for s in text.splitlines() if "groepsdagen" in s)
    assert said["beleid"].endswith(DEELS) and DEELS not in said["lcbb"]
    policy, lcbb = (report(runner, example, d, tmp_path) for d in ("beleid", "lcbb"))
    shown = sum(r["dagen_zonder_vrij_bed"] or 0 for r in policy["dagen_zonder_vrij_bed"])
    assert shown < sum(r["dagen_zonder_vrij_bed"] for r in lcbb["dagen_zonder_vrij_bed"])
