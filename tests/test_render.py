"""One renderer for findings: text, JSON, GitHub and the hook's lines; submit's own JSON."""

from __future__ import annotations

import json

from bedcap.cli import render
from bedcap.findings.catalogue import Code, Ernst, Result, finding
from tests.conftest import PROVIDER, git, invoke


def _result() -> Result:
    result = Result(bestanden=3)
    result.extend(
        [
            finding(
                Code.CAPACITEIT_STERK_VERANDERD,
                "data/x.parquet",
                rij=2,
                veld="capaciteit",
                **{k: 1 for k in _velden(Code.CAPACITEIT_STERK_VERANDERD)},
            ),
            finding(
                Code.ONBEKENDE_REGIO,
                "data/l.yaml",
                regel=5,
                veld="regio",
                gevonden="atlantis",
                verwacht="noord",
            ),
        ]
    )
    return result


def _velden(code: Code) -> list[str]:
    from bedcap.findings.catalogue import CATALOGUE

    return [v for v in CATALOGUE[code].velden if v != "veld"]


def test_hook_lines_list_errors_first_then_the_summary() -> None:
    lines = render.hook_lines(_result(), "refs/heads/main")
    assert lines[0] == (
        "bedcap FOUT data/l.yaml:5 [regio]: gevonden: 'atlantis'; verwacht een van: noord "
        "(onbekende-regio)"
    )
    assert lines[1].startswith("bedcap WAARSCHUWING data/x.parquet rij 2 [capaciteit]: ")
    assert lines[2] == "bedcap refs/heads/main: Klaar. FOUT=1 WAARSCHUWING=1 BESTANDEN=3"


def test_json_keeps_its_keys() -> None:
    data = json.loads(render.json_text(_result()))
    assert list(data) == ["geldig", "bestanden", "fouten", "waarschuwingen", "bevindingen"]
    assert data["bevindingen"][0] == {
        "bestand": "data/l.yaml",
        "regel": 5,
        "rij": None,
        "veld": "regio",
        "code": "onbekende-regio",
        "melding": "gevonden: 'atlantis'; verwacht een van: noord",
        "ernst": Ernst.FOUT.value,
        "commit": None,
    }


def test_submit_json_on_success_says_what_was_written(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    result = invoke(runner, "submit", "--ongewijzigd", "--format", "json", cwd=work)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["geldig"] is True and data["bevindingen"] == []
    assert data["ingediend"] == {
        "snapshot": f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet",
        "peildatum": "2021-07-01",
        "commit": git(work, "rev-parse", "HEAD").strip(),
        "gepusht": True,
        "upstream": "origin/main",
        "rijen": 4,
        "beschikbaar": data["ingediend"]["beschikbaar"],
    }
    assert data["ingediend"]["beschikbaar"] >= 0


def test_submit_json_without_push(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    before = git(remote, "rev-parse", "main")
    result = invoke(runner, "submit", "--ongewijzigd", "--no-push", "--format", "json", cwd=work)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ingediend"]["gepusht"] is False and data["ingediend"]["upstream"] is None
    assert git(remote, "rev-parse", "main") == before
