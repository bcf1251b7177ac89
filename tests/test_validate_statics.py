"""`validate` remembers what the static files say (`rules/staticcache.py`, issue 18)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bedcap.files.repo import SETTINGS, DataRepo
from bedcap.findings.finding import Finding
from bedcap.rules import staticcache
from bedcap.rules.validate import REGISTRIES, validate_repo, whole_context
from tests.conftest import ENV, EXAMPLE_TODAY
from tests.test_readonly_checkout import readonly

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
LOCATION = "data/locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.yaml"
PLANTED = Finding(LOCATION, 1, None, None, "geplant", "alleen in de cache")
"""A finding no rule gives: seen in a run's output only if the cache answered."""

PROBE = """
import datetime as dt, sys
from pathlib import Path
from bedcap.files.repo import DataRepo
from bedcap.rules.validate import validate_repo
result = validate_repo(DataRepo(Path(sys.argv[1])), today=dt.date.fromisoformat(sys.argv[2]),
                       cache=True)
print(len(result.problems), result.bestanden, "pydantic" in sys.modules)
"""


def run(repo: Path, cache: bool = True, today: dt.date = TODAY) -> list[Finding]:
    result = validate_repo(DataRepo(repo), today=today, cache=cache)
    return sorted(result.problems, key=lambda f: (f.sort_key(), f.melding))


def stored(repo: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((repo / ".bedcap" / staticcache.CACHE_NAME).read_text("utf-8"))


def plant(repo: Path) -> None:
    """Add `PLANTED` to the stored findings, under the stored key."""
    data = stored(repo)
    found = json.loads(data["bevindingen"])
    data["bevindingen"] = json.dumps([*found, dataclasses.asdict(PLANTED)])
    (repo / ".bedcap" / staticcache.CACHE_NAME).write_text(json.dumps(data), "utf-8")


@pytest.fixture
def flawed(example: Path) -> Path:
    """The example with a location finding (an unknown field) to remember."""
    path = example / LOCATION
    path.write_text(path.read_text("utf-8") + "onbekend_veld: 1\n", "utf-8")
    return example


def test_a_warm_run_gives_the_same_findings_without_pydantic(flawed: Path) -> None:
    expected = run(flawed, cache=False)
    assert any(f.bestand == LOCATION for f in expected)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    probes = [
        subprocess.run(
            [sys.executable, "-c", PROBE, str(flawed), EXAMPLE_TODAY],
            capture_output=True, text=True, check=True, env=env,
        ).stdout.split()
        for _ in range(2)
    ]  # fmt: skip
    assert probes[0][2] == "True" and probes[1][2] == "False"
    assert probes[0][:2] == probes[1][:2] == [str(len(expected)), probes[0][1]]
    assert run(flawed) == expected


def test_the_context_read_back_is_the_one_computed(flawed: Path) -> None:
    run(flawed)
    repo = DataRepo(flawed)
    sleutel = staticcache.key(repo, [SETTINGS, *(rel for rel, _ in REGISTRIES)])
    back = staticcache.recall(repo, sleutel)
    fresh = whole_context(repo, TODAY)
    assert back is not None and back.wards == fresh.wards
    assert repr(back.wards) == repr(fresh.wards)  # the result cache hashes the repr
    assert (back.aanbieders, back.regios) == (fresh.aanbieders, fresh.regios)


def test_the_cache_answers_until_a_static_file_changes(flawed: Path) -> None:
    expected = run(flawed, cache=False)
    run(flawed)
    plant(flawed)
    assert PLANTED in run(flawed)  # unchanged files: the stored answer is used
    path = flawed / LOCATION
    path.write_text(path.read_text("utf-8").replace("onbekend_veld: 1\n", ""), "utf-8")
    found = run(flawed)
    assert PLANTED not in found and found == run(flawed, cache=False) != expected
    assert not any(f.bestand == LOCATION for f in found)


def test_a_settings_change_moves_the_window(flawed: Path) -> None:
    run(flawed)
    settings = flawed / SETTINGS
    text = settings.read_text("utf-8")
    assert "correctievenster_werkdagen" in text
    changed = "\n".join(
        "correctievenster_werkdagen = 2" if line.startswith("correctievenster_werkdagen") else line
        for line in text.splitlines()
    )
    settings.write_text(changed + "\n", "utf-8")
    assert run(flawed) == run(flawed, cache=False)
    assert stored(flawed)["correctievenster_werkdagen"] == 2


def test_a_code_or_version_change_reads_the_files_again(
    flawed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(flawed)
    plant(flawed)
    before = stored(flawed)["sleutel"]
    monkeypatch.setattr(staticcache, "VERSIE", staticcache.VERSIE + 1)
    assert PLANTED not in run(flawed)
    assert stored(flawed)["sleutel"] != before
    plant(flawed)
    source = flawed.parent / "extra_rules.py"
    source.write_text("# een regel erbij\n", "utf-8")
    monkeypatch.setattr(staticcache, "_SOURCES", (*staticcache._SOURCES, str(source)))
    assert PLANTED not in run(flawed)  # another source file counts as other code


@pytest.mark.parametrize(
    "broken",
    ["{", "[]", "null", '{"sleutel": "SLEUTEL", "wards": 3}', '{"sleutel": "SLEUTEL"}'],
)
def test_a_broken_cache_is_rebuilt(flawed: Path, broken: str) -> None:
    expected = run(flawed, cache=False)
    run(flawed)
    path = flawed / ".bedcap" / staticcache.CACHE_NAME
    path.write_text(broken.replace("SLEUTEL", stored(flawed)["sleutel"]), "utf-8")
    assert run(flawed) == expected
    assert json.loads(stored(flawed)["bevindingen"])  # rewritten whole
    assert run(flawed) == expected


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")
def test_a_read_only_checkout_validates_without_the_cache(flawed: Path) -> None:
    env = {**os.environ, **ENV, "BEDCAP_VANDAAG": EXAMPLE_TODAY}
    fresh = subprocess.run(
        [sys.executable, "-m", "bedcap", "validate"], cwd=flawed, capture_output=True,
        text=True, env=env,
    )  # fmt: skip
    assert fresh.returncode == 1 and LOCATION in fresh.stdout, fresh.stdout + fresh.stderr
    before = stored(flawed)
    path = flawed / LOCATION  # a changed file: the stored answer no longer fits
    path.write_text(path.read_text("utf-8").replace("onbekend_veld: 1\n", ""), "utf-8")
    done = readonly(flawed, "validate", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert LOCATION not in done.stdout and "Traceback" not in done.stderr
    assert stored(flawed) == before  # nothing could be written, and nothing broke


def test_a_symlinked_location_is_what_it_is_with_the_cache(flawed: Path) -> None:
    run(flawed)
    path = flawed / LOCATION
    target = flawed / "elders.yaml"
    target.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(target)  # the same bytes, through a link: no longer the same answer
    found = run(flawed)
    assert found == run(flawed, cache=False)
    assert ("bestand-symlink", LOCATION) in {(f.code, f.bestand) for f in found}


def test_a_plaintext_financing_file_reads_the_statics_it_needs(
    example: Path, tmp_path: Path
) -> None:
    from tests.conftest import example_identities, unseal_all

    opened = unseal_all(example, list(example_identities(tmp_path / "sleutels").values()))
    assert any(rel.startswith("data/financiering/") for rel in opened)
    expected = run(example, cache=False)
    assert any(f.code == "vertrouwelijk-onversleuteld" for f in expected)
    assert run(example) == expected  # the static files read and remembered
    assert run(example) == expected  # remembered: read again only for the plaintext's rules
