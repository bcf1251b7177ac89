"""Time bedcap's commands against the national-scale repository; write bench/RESULTS.md.

    python bench/generate.py bench/national     # once, about 2 minutes
    python bench/run.py bench/national          # the timings, medians of several runs

Every figure is wall-clock time of a whole command as a user runs it (interpreter start,
imports and all), measured on this machine in one run, so the ratios compare like with like.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The console script next to this interpreter, not a version manager's shim (a pyenv shim
# adds 50-100 ms of bash to every run, and the import floor is timed without one).
_BESIDE = Path(sys.executable).with_name("bedcap")
BEDCAP = str(_BESIDE) if _BESIDE.exists() else "bedcap"


@dataclass
class Timing:
    naam: str
    opdracht: str
    runs: list[float]
    doel: str = ""
    floor_runs: list[float] | None = None
    """The import floor timed alternately with this command, so load drift hits both."""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def timed(cmd: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
        out.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} faalde ({proc.returncode}): {proc.stderr[-500:]!r}")
    return out


FLOOR = [sys.executable, "-c", "import duckdb, pyarrow.parquet"]


def paired(
    naam: str, cmd: list[str], cwd: Path, runs: int, env: dict[str, str], doel: str
) -> Timing:
    """The command and the import floor, alternately.

    On a shared machine the load moves by ±20 % within minutes; a ratio from runs taken
    side by side compares like with like."""
    mine: list[float] = []
    floor: list[float] = []
    for _ in range(runs):
        floor += timed(FLOOR, cwd, 1, env)
        mine += timed(cmd, cwd, 1, env)
    shown = "bedcap " + " ".join(cmd[1:])
    return Timing(naam, shown, mine, doel, floor_runs=floor)


def newest_snapshot(repo: Path) -> str:
    provider = sorted((repo / "data/snapshots").iterdir())[0]
    return str(max(provider.rglob("*.parquet")).relative_to(repo))


def submit_runs(repo: Path, runs: int, env: dict[str, str]) -> list[float]:
    """`bedcap submit --no-push` of one provider-day, undone after each run."""
    import pyarrow.parquet as pq

    provider = sorted((repo / "data/snapshots").iterdir())[0]
    newest = max(provider.rglob("*.parquet"))
    rows = pq.read_table(newest).to_pylist()
    columns = (
        "locatie",
        "afdeling",
        "zorgtype",
        "bezet",
        "beschikbaar",
        "gereserveerd",
        "buiten_gebruik",
        "capaciteit",
    )
    csv = repo.parent / "bench-submit.csv"
    csv.write_text(
        ";".join(columns)
        + "\n"
        + "".join(";".join(str(r[c]) for c in columns) + "\n" for r in rows)
    )
    from bedcap import calendar

    nxt = dt.date.fromisoformat(newest.stem) + dt.timedelta(days=1)
    while not calendar.is_werkdag(nxt):
        nxt += dt.timedelta(days=1)
    env = {
        **env,
        "BEDCAP_VANDAAG": nxt.isoformat(),
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    out = []
    for _ in range(runs):
        out += timed(
            [BEDCAP, "submit", str(csv), "--no-push", "--aanbieder", provider.name], repo, 1, env
        )
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=repo, check=True)
    return out


NAIVE = (
    "import duckdb; duckdb.sql(\"SELECT strftime(peildatum, '%Y-%m') m, sum(capaciteit), "
    "sum(beschikbaar) FROM read_parquet('data/snapshots/*/*/*.parquet') GROUP BY m\").fetchall()"
)
REFRESH = """
import datetime as dt, os, shutil, sys, time
from pathlib import Path
from bedcap.files.repo import DataRepo
from bedcap.store.cache import open_store
repo = DataRepo.find(Path.cwd())
with open_store(repo, vandaag=dt.date.today()):
    pass
added = []
for folder in sorted(Path('data/snapshots').glob('*/2026')):
    newest = max(folder.iterdir())
    target = folder / '2026-12-31.parquet'
    shutil.copy(newest, target)
    added.append(target)
time.sleep(2.2)  # out of the racy window, as a day later would be
start = time.perf_counter()
with open_store(repo, vandaag=dt.date.today()) as con:
    took = time.perf_counter() - start
for path in added:
    path.unlink()
time.sleep(2.2)
with open_store(repo, vandaag=dt.date.today()):
    pass
print(took)
"""


def refresh_runs(repo: Path, runs: int, env: dict[str, str]) -> list[float]:
    """The cache refresh alone after one new day of 60 files, timed inside the process."""
    out = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", REFRESH], cwd=repo, env=env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-800:])
        out.append(float(proc.stdout.strip().splitlines()[-1]))
    return out


def query_timings(repo: Path, runs: int, full_runs: int, env: dict[str, str]) -> list[Timing]:
    """available / history / a quarter against the naive glob; cold build first."""
    cache = repo / ".bedcap" / "cache.duckdb"
    for leftover in (cache, cache.with_name("cache.duckdb.wal")):
        leftover.unlink(missing_ok=True)
    cold = timed([BEDCAP, "history", "--per", "maand"], repo, 1, env)
    all_years = ["--van", "2016-11-21", "--tot", "2026-11-20"]
    quarter = ["--van", "2026-07-01", "--tot", "2026-09-30", "--per", "kwartaal"]
    return [
        Timing("cache: cold build (152k files)", "bedcap history (no cache yet)", cold, "reported"),
        paired(
            "available (warm, table)", [BEDCAP, "available"], repo, runs * 2, env, "≤ 1.5 × floor"
        ),
        paired(
            "available (warm, json)",
            [BEDCAP, "available", "--format", "json"],
            repo,
            runs * 2,
            env,
            "≤ 1.5 × floor",
        ),
        paired(
            "history per month, 10 years (warm)",
            [BEDCAP, "history", "--per", "maand", *all_years],
            repo,
            runs,
            env,
            "≤ 1 s, ≥ 25 × faster than naive",
        ),
        Timing(
            "quarter per level (warm)",
            "bedcap history " + " ".join(quarter) + " --naar niveau",
            timed([BEDCAP, "history", *quarter, "--naar", "niveau"], repo, runs, env),
        ),
        Timing(
            "naive: one read_parquet glob over all files",
            "python -c \"duckdb.sql(... read_parquet('data/snapshots/*/*/*.parquet') ...)\"",
            timed([sys.executable, "-c", NAIVE], repo, max(full_runs, 3), env),
            "baseline",
        ),
        Timing(
            "cache refresh after one new day (60 files)",
            "open_store() after adding 60 files (in-process)",
            refresh_runs(repo, runs, env),
            "≤ 0.5 s",
        ),
    ]


def run(repo: Path, runs: int, full_runs: int) -> list[Timing]:
    env = {**os.environ, "COLUMNS": "120"}
    # An installed package has bytecode (pip compiles at install); an editable checkout in
    # an environment with PYTHONDONTWRITEBYTECODE=1 would compile bedcap on every run.
    import compileall

    compileall.compile_dir(str(HERE.parent / "bedcap"), quiet=1)
    snap = newest_snapshot(repo)
    location = str(sorted((repo / "data/locaties").rglob("*.yaml"))[0].relative_to(repo))
    py = sys.executable
    timings = [
        Timing(
            "import floor",
            'python -c "import duckdb, pyarrow.parquet"',
            timed([py, "-c", "import duckdb, pyarrow.parquet"], repo, runs, env),
        ),
        Timing(
            "validate: one snapshot",
            f"bedcap validate {snap}",
            timed([BEDCAP, "validate", snap], repo, runs, env),
            "≤ 1 s",
        ),
        Timing(
            "validate: one location (+ its recent snapshots)",
            f"bedcap validate {location}",
            timed([BEDCAP, "validate", location], repo, runs, env),
            "≤ 1 s",
        ),
        Timing(
            "submit --no-push: one provider-day",
            "bedcap submit dag.csv --no-push",
            submit_runs(repo, runs, env),
            "≤ 1 s",
        ),
        *query_timings(repo, runs, full_runs, env),
        Timing(
            "quarterly report, HTML (warm cache)",
            "bedcap report --kwartaal 2026Q3",
            timed(
                [BEDCAP, "report", "--kwartaal", "2026Q3", "--uit", str(repo.parent / "q.html")],
                repo,
                runs,
                env,
            ),
            "≤ 3 s",
        ),
        Timing(
            "dashboard (warm cache)",
            "bedcap dashboard --uit site",
            timed([BEDCAP, "dashboard", "--uit", str(repo.parent / "bench-site")], repo, runs, env),
            "≤ 5 s",
        ),
        Timing(
            "check: the newest commit (one provider-day)",
            "bedcap check --base HEAD~1 --head HEAD",
            timed([BEDCAP, "check", "--base", "HEAD~1", "--head", "HEAD"], repo, runs, env),
            "≤ 3 s",
        ),
        Timing(
            "check: the state over 20 working days",
            "bedcap check",
            timed([BEDCAP, "check"], repo, runs, env),
            "≤ 3 s",
        ),
        Timing(
            "validate: whole repository",
            "bedcap validate",
            timed([BEDCAP, "validate"], repo, full_runs, env),
            "≤ 60 s",
        ),
    ]
    return timings


def files_and_size(repo: Path) -> tuple[int, float]:
    files = list((repo / "data/snapshots").rglob("*.parquet"))
    return len(files), sum(f.stat().st_size for f in files) / 1e6


def write_results(repo: Path, timings: list[Timing], target: Path) -> str:
    count, size = files_and_size(repo)
    floor = timings[0].median
    lines = [
        "# Benchmark results",
        "",
        f"Repository: `bench/generate.py` defaults — {count:,} snapshot files "
        f"({size:,.0f} MB of Parquet). Machine: {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}. Measured {time.strftime('%Y-%m-%d')} by `python bench/run.py`.",
        "",
        "| what | command | runs | median s | min s | max s | × import floor | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_name = {t.naam: t for t in timings}
    for t in timings:
        ratio = f"{t.median / floor:.1f}"
        if t.floor_runs:
            ratio = f"{t.median / statistics.median(t.floor_runs):.2f} (paired)"
        lines.append(
            f"| {t.naam} | `{t.opdracht}` | {len(t.runs)} | {t.median:.2f} | "
            f"{min(t.runs):.2f} | {max(t.runs):.2f} | {ratio} | {t.doel} |"
        )
    naive = by_name.get("naive: one read_parquet glob over all files")
    history = by_name.get("history per month, 10 years (warm)")
    if naive and history:
        lines += [
            "",
            f"History per month over 10 years (warm) is {naive.median / history.median:.0f} × "
            "faster than the naive glob, measured in this run.",
        ]
    text = "\n".join(lines) + "\n"
    notes = HERE / "NOTES.md"
    if notes.exists():
        text += "\n" + notes.read_text()
    target.write_text(text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full-runs", type=int, default=1)
    parser.add_argument("--uit", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    timings = run(args.repo.resolve(), args.runs, args.full_runs)
    print(write_results(args.repo.resolve(), timings, args.uit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
