"""A warm `validate` after one new day: no holiday package, a short index listing (issue 18)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from bedcap import calendar
from bedcap.files import githistory
from bedcap.files.daysoff import CACHE_NAME as HOLIDAYS_CACHE
from bedcap.files.repo import DataRepo
from bedcap.findings.finding import Finding
from bedcap.rules.validate import validate_repo
from tests.conftest import EXAMPLE_TODAY, git

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)

PROBE = """
import datetime as dt, sys
from pathlib import Path
from bedcap.files.repo import DataRepo
from bedcap.rules.validate import validate_repo
result = validate_repo(DataRepo(Path(sys.argv[1])), today=dt.date.fromisoformat(sys.argv[2]),
                       cache=True)
print(len(result.problems), result.bestanden, "holidays" in sys.modules)
"""


def probe(repo: Path) -> list[str]:
    """A fresh process validates `repo` warm; its findings count, files, holidays imported."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(repo), EXAMPLE_TODAY],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout.split()


def findings(repo: Path, cache: bool) -> list[Finding]:
    result = validate_repo(DataRepo(repo), today=TODAY, cache=cache)
    return sorted(result.problems, key=lambda f: (f.sort_key(), f.melding))


def test_a_warm_run_takes_the_days_off_from_the_cache(example: Path) -> None:
    first = probe(example)
    assert first[2] == "True"  # cold: the holidays package computed the table
    table = json.loads((example / ".bedcap" / HOLIDAYS_CACHE).read_text("utf-8"))
    (rule,) = table  # one working-day rule: the example's
    assert set(table[rule]) == {"2020", "2021", "2022"}
    assert "2021-12-25" in table[rule]["2021"]
    second = probe(example)
    assert second == [*first[:2], "False"]  # the same answer without the import


def test_a_broken_holiday_cache_is_rewritten_and_changes_nothing(example: Path) -> None:
    expected = findings(example, cache=False)
    path = example / ".bedcap" / HOLIDAYS_CACHE
    path.parent.mkdir(exist_ok=True)
    for broken in ("{", '{"algemene-termijnenwet||": {"2021": [1, 2]}}', "[]"):
        path.write_text(broken, encoding="utf-8")
        assert findings(example, cache=True) == expected
    assert "2021" in json.loads(path.read_text("utf-8"))[calendar.werkdagregeling().sleutel()]


def test_the_index_listing_still_finds_an_executable(example_git: Path) -> None:
    assert githistory.index_modes(example_git, ["data"], everything=False) == {}
    target = next((example_git / "data/snapshots").rglob("*.parquet"))
    rel = target.relative_to(example_git).as_posix()
    target.chmod(0o755)
    git(example_git, "add", rel)
    assert githistory.index_modes(example_git, ["data"], everything=False) == {rel: "100755"}
