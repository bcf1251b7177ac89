"""`validate` remembers the form of encrypted files (`rules/formcache.py`, issue 18)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import time
from pathlib import Path

import pytest

from bedcap.files.repo import DataRepo
from bedcap.findings.finding import Finding
from bedcap.rules import formcache
from bedcap.rules.validate import validate_repo
from tests.conftest import ENV, EXAMPLE_TODAY
from tests.test_readonly_checkout import readonly

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
FIN = "data/financiering/2021Q2/voorbeeld-ggz-noorderzand.yaml.age"
BROKEN = b"age-encryption.org/v1\nrommel\n"


def run(repo: Path, cache: bool = True) -> list[Finding]:
    result = validate_repo(DataRepo(repo), today=TODAY, cache=cache)
    return sorted(result.problems, key=lambda f: (f.sort_key(), f.melding))


def stored(repo: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((repo / ".bedcap" / formcache.CACHE_NAME).read_text("utf-8"))


def plant(repo: Path) -> Finding:
    """A finding no rule gives, stored for `FIN` under its current stat data."""
    planted = Finding(FIN, None, None, None, "geplant", "alleen in de cache")
    data = stored(repo)
    data["bestanden"][FIN][1] = json.dumps([dataclasses.asdict(planted)])
    (repo / ".bedcap" / formcache.CACHE_NAME).write_text(json.dumps(data), "utf-8")
    return planted


@pytest.fixture
def aged(example: Path) -> Path:
    """The example, its files an hour old (outside the racy window)."""
    assert (example / FIN).is_file()
    when = time.time() - 3600
    for path in (example / "data").rglob("*"):
        os.utime(path, (when, when), follow_symlinks=False)
    return example


def test_unchanged_files_are_not_read_again(aged: Path) -> None:
    expected = run(aged, cache=False)
    assert run(aged) == expected
    assert FIN in stored(aged)["bestanden"]
    planted = plant(aged)
    assert planted in run(aged)  # its stat data unchanged: the stored answer stands


def test_a_file_replaced_in_place_is_read_again(aged: Path) -> None:
    run(aged)
    planted = plant(aged)
    before = (aged / FIN).stat()
    data = (aged / FIN).read_bytes()
    broken = data.replace(b"age-encryption.org/v1", b"age-encryption.org/v9", 1)
    assert len(broken) == len(data) != 0 and broken != data
    # In place, same size, the old mtime put back: only the ctime tells.
    (aged / FIN).write_bytes(broken)
    os.utime(aged / FIN, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (aged / FIN).stat().st_mtime_ns == before.st_mtime_ns
    found = run(aged)
    assert planted not in found
    assert ("vertrouwelijk-ongeldig", FIN) in {(f.code, f.bestand) for f in found}
    assert found == run(aged, cache=False)


def test_a_version_bump_reads_every_file(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(aged)
    planted = plant(aged)
    monkeypatch.setattr(formcache, "VERSIE", formcache.VERSIE + 1)
    assert planted not in run(aged)
    assert stored(aged)["sleutel"].startswith(f"{formcache.VERSIE}:")


@pytest.mark.parametrize("broken", ["{", "[]", '{"sleutel": "SLEUTEL", "bestanden": 3}', "BESTAND"])
def test_a_broken_cache_is_rebuilt(aged: Path, broken: str) -> None:
    expected = run(aged, cache=False)
    run(aged)
    data = stored(aged)
    if broken == "BESTAND":  # one entry of the wrong shape
        data["bestanden"][FIN] = [data["bestanden"][FIN][0], "geen json"]
        broken = json.dumps(data)
    path = aged / ".bedcap" / formcache.CACHE_NAME
    path.write_text(broken.replace("SLEUTEL", data["sleutel"]), "utf-8")
    assert run(aged) == expected
    assert FIN in stored(aged)["bestanden"]


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")
def test_a_read_only_checkout_still_sees_a_broken_file(aged: Path) -> None:
    run(aged)
    memory = (aged / ".bedcap" / formcache.CACHE_NAME).read_bytes()
    (aged / FIN).write_bytes(BROKEN)
    done = readonly(aged, "validate", env={**os.environ, **ENV})
    assert done.returncode == 1, done.stdout + done.stderr
    assert FIN in done.stdout and "Traceback" not in done.stderr
    assert (aged / ".bedcap" / formcache.CACHE_NAME).read_bytes() == memory
