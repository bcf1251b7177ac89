"""Time bedcap's commands against the national-scale repository; write bench/RESULTS.md.

    python bench/generate.py /work/bench-data/nationaal      # once (a shape: --vorm)
    nice python bench/run.py /work/bench-data/nationaal      # medians of several runs
    python bench/run.py --groei 1x.json 3x.json 10x.json     # the growth table

The dates (the span, the quarter, "today") are read from the repository, so every shape
and span of `bench/generate.py` runs. Each command's peak memory (the largest resident
set of its processes) is measured with it.

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
from typing import Any

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

    @property
    def peak_mb(self) -> float:
        return getattr(self.runs, "peak_mb", 0.0)


class Runs(list[float]):
    """Wall-clock seconds of each run, and the peak memory (MB) seen over them."""

    peak_mb: float = 0.0


def timed(cmd: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> Runs:
    import tempfile

    out = Runs()
    for _ in range(runs):
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            out.append(time.perf_counter() - start)
            proc.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss: KB, the largest of the process and the children it waited for
            out.peak_mb = max(out.peak_mb, usage.ru_maxrss / 1024)
            if proc.returncode not in (0, 1):
                err.seek(0)
                tail = err.read()[-500:]
                raise SystemExit(f"{' '.join(cmd)} faalde ({proc.returncode}): {tail!r}")
    return out


FLOOR = [sys.executable, "-c", "import duckdb, pyarrow.parquet"]


def paired(
    naam: str, cmd: list[str], cwd: Path, runs: int, env: dict[str, str], doel: str
) -> Timing:
    """The command and the import floor, alternately.

    On a shared machine the load moves by ±20 % within minutes; a ratio from runs taken
    side by side compares like with like."""
    mine, floor = Runs(), Runs()
    for _ in range(runs):
        floor += timed(FLOOR, cwd, 1, env)
        one = timed(cmd, cwd, 1, env)
        mine += one
        mine.peak_mb = max(mine.peak_mb, one.peak_mb)
    shown = "bedcap " + " ".join(cmd[1:])
    return Timing(naam, shown, mine, doel, floor_runs=floor)


def current_provider(repo: Path) -> Path:
    """The first provider (by name) whose newest snapshot is the newest day: a provider that
    stopped or fell silent would make submit and one-file timings about old data."""
    newest = {
        owner: max(owner.rglob("*.parquet")).name
        for owner in sorted((repo / "data/snapshots").iterdir())
    }
    last = max(newest.values())
    return next(owner for owner, name in newest.items() if name == last)


def newest_snapshot(repo: Path) -> str:
    return str(max(current_provider(repo).rglob("*.parquet")).relative_to(repo))


def _head(repo: Path) -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True)
    return out.stdout.strip()


def submit_runs(repo: Path, runs: int, env: dict[str, str]) -> list[float]:
    """`bedcap submit --no-push` of one provider-day, undone after each run."""
    import pyarrow.parquet as pq

    provider = current_provider(repo)
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
    csv = repo.parent / f"{repo.name}-submit.csv"
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
    out = Runs()
    before = _head(repo)
    for _ in range(runs):
        one = timed(
            [BEDCAP, "submit", str(csv), "--no-push", "--aanbieder", provider.name], repo, 1, env
        )
        out += one
        out.peak_mb = max(out.peak_mb, one.peak_mb)
        if _head(repo) != before:  # undo the submission, never a commit it did not make
            subprocess.run(["git", "reset", "-q", "--hard", before], cwd=repo, check=True)
    return out


NAIVE = (
    "import duckdb; duckdb.sql(\"SELECT strftime(peildatum, '%Y-%m') m, sum(capaciteit), "
    "sum(beschikbaar) FROM read_parquet('data/snapshots/*/*/*.parquet') GROUP BY m\").fetchall()"
)
FULL_READ_SQL = (
    "SELECT count(*), max(peildatum), max(aanbieder), max(locatie), max(afdeling), "
    "max(zorgtype), max(regio), max(specialisme), max(voorziening), max(beveiligingsniveau), "
    "sum(capaciteit), sum(bezet), sum(beschikbaar), sum(gereserveerd), sum(buiten_gebruik), "
    "max(toelichting), max(ingediend_op) FROM read_parquet('data/snapshots/*/*/*.parquet')"
)
FULL_READ = (
    "import duckdb; duckdb.execute('SET enable_progress_bar = false'); "
    f"duckdb.sql({FULL_READ_SQL!r}).fetchall()"
)
"""DuckDB reading every column of every snapshot: what a cold build or a cold validation
cannot do with less (each must read every file whole), on this machine at this moment."""
FULL_READ_NAME = "floor of the cold work: DuckDB reads every column of every file, beside the "
"""Followed by the cold measurement it was timed next to ("cold build again", "cold validation")."""
FULL_READ_COMMAND = (
    "python -c \"duckdb.sql(... every column ... read_parquet('data/snapshots/*/*/*.parquet'))\""
)
REFRESH = """
import datetime as dt, shutil, sys, time
from pathlib import Path
from bedcap.files.repo import DataRepo
from bedcap.store.cache import open_store
repo = DataRepo.find(Path.cwd())
year, day = sys.argv[1], sys.argv[2]
with open_store(repo, vandaag=dt.date.today()):
    pass
added = []
try:
    for folder in sorted(Path('data/snapshots').glob('*/' + year)):
        files = sorted(folder.glob('*.parquet'))  # a provider that stopped may have none
        if not files:
            continue
        target = folder / (day + '.parquet')
        shutil.copy(files[-1], target)
        added.append(target)
    time.sleep(2.2)  # out of the racy window, as a day later would be
    start = time.perf_counter()
    with open_store(repo, vandaag=dt.date.today()) as con:
        took = time.perf_counter() - start
finally:  # never leave a day behind in the bench's repository
    for path in added:
        path.unlink(missing_ok=True)
time.sleep(2.2)
with open_store(repo, vandaag=dt.date.today()):
    pass
print(took)
"""


def next_working_day(day: dt.date) -> dt.date:
    from bedcap import calendar

    day += dt.timedelta(days=1)
    while not calendar.is_werkdag(day):
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Span:
    """The repository's history: first and last peildatum, and the "today" of the run."""

    van: dt.date
    tot: dt.date
    aanbieders: int

    @property
    def vandaag(self) -> dt.date:
        return next_working_day(self.tot)

    @property
    def kwartaal(self) -> str:
        """The last whole quarter of the span."""
        from bedcap import calendar

        q = calendar.Kwartaal.van(self.tot)
        return str(q if q.eind <= self.tot else q.vorige)


def span_of(repo: Path) -> Span:
    """From the names alone: the oldest and newest snapshot of any provider."""
    oldest, newest = dt.date.max, dt.date.min
    owners = [e for e in os.scandir(repo / "data/snapshots") if e.is_dir()]
    for owner in owners:
        names = [
            name
            for year in sorted(e.path for e in os.scandir(owner.path) if e.is_dir())
            for name in os.listdir(year)
            if name.endswith(".parquet")
        ]
        if names:  # an empty year folder (a day added and removed again) counts for nothing
            oldest = min(oldest, dt.date.fromisoformat(min(names).removesuffix(".parquet")))
            newest = max(newest, dt.date.fromisoformat(max(names).removesuffix(".parquet")))
    return Span(oldest, newest, len(owners))


def refresh_runs(repo: Path, span: Span, runs: int, env: dict[str, str]) -> Runs:
    """The cache refresh alone after one new day of files, timed inside the process."""
    out = Runs()
    day = (span.tot + dt.timedelta(days=1)).isoformat()
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", REFRESH, str(span.tot.year), day],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-800:])
        out.append(float(proc.stdout.strip().splitlines()[-1]))
    return out


def query_timings(
    repo: Path, span: Span, runs: int, full_runs: int, env: dict[str, str]
) -> list[Timing]:
    """available / history / a quarter against the naive glob; cold build first."""
    cache = repo / ".bedcap" / "cache.duckdb"
    for leftover in (cache, cache.with_name("cache.duckdb.wal")):
        leftover.unlink(missing_ok=True)
    cold = timed([BEDCAP, "history", "--per", "maand"], repo, 1, env)
    # The floor between the two builds: after the first, so the files are in the page
    # cache for it as for the second, which it is set against (`cold_sentence`).
    beside = timed([sys.executable, "-c", FULL_READ], repo, 1, env)
    # Again at once, the files now in the page cache: the first figure depends on how much
    # of the 530 MB the kernel kept since the files were last read (this machine reclaims
    # pages it has not seen used for a while), the second one is bedcap's own work.
    for leftover in (cache, cache.with_name("cache.duckdb.wal")):
        leftover.unlink(missing_ok=True)
    cold_again = timed([BEDCAP, "history", "--per", "maand"], repo, 1, env)
    all_years = ["--van", span.van.isoformat(), "--tot", span.tot.isoformat()]
    from bedcap import calendar

    kw = calendar.Kwartaal.parse(span.kwartaal)
    quarter = ["--van", kw.begin.isoformat(), "--tot", kw.eind.isoformat(), "--per", "kwartaal"]
    moment = f"{span.tot.isoformat()}T10:00"
    # Halfway back (five years in ten): the first question walks the main line once
    # (its max), the others read it from `.bedcap/hoofdlijn.bin` (the median).
    halfway = span.van + (span.tot - span.van) / 2
    back = f"{halfway.isoformat()}T10:00"
    (repo / ".bedcap" / "hoofdlijn.bin").unlink(missing_ok=True)
    return [
        Timing(
            f"cache: cold build ({files_and_size(repo)[0]:,} files)",
            "bedcap history (no cache yet)",
            cold,
            "≤ 20 s",
        ),
        Timing(FULL_READ_NAME + "cold build again", FULL_READ_COMMAND, beside, "floor"),
        Timing(
            "cache: cold build again, the files just read",
            "bedcap history (no cache yet, page cache warm)",
            cold_again,
            "≤ 20 s",
        ),
        paired(
            "available (warm, table)", [BEDCAP, "available"], repo, runs * 2, env, "≤ 1.5 × floor"
        ),
        paired(
            "available (warm, json)",
            [BEDCAP, "available", "--format", "json"],
            repo,
            runs * 2,
            env,
            "≤ 1.2 × floor",
        ),
        paired(
            "history per month, whole span (warm)",
            [BEDCAP, "history", "--per", "maand", *all_years],
            repo,
            runs,
            env,
            "≤ 0.5 s, ≥ 50 × faster than naive",
        ),
        Timing(
            "quarter per level (warm)",
            "bedcap history " + " ".join(quarter) + " --naar niveau",
            timed([BEDCAP, "history", *quarter, "--naar", "niveau"], repo, runs, env),
        ),
        Timing(
            "available as known at (realistic history)",
            f"bedcap available --zoals-bekend-op {moment}",
            timed([BEDCAP, "available", "--zoals-bekend-op", moment], repo, runs, env),
            "≤ 1 s",
        ),
        Timing(
            "history as known at, per month, whole span",
            f"bedcap history --per maand {' '.join(all_years)} --zoals-bekend-op {moment}",
            timed(
                [BEDCAP, "history", "--per", "maand", *all_years, "--zoals-bekend-op", moment],
                repo,
                max(1, runs // 2),
                env,
            ),
            "≤ 1 s",
        ),
        Timing(
            "available as known at, halfway back",
            f"bedcap available --zoals-bekend-op {back}",
            timed([BEDCAP, "available", "--zoals-bekend-op", back], repo, runs, env),
            "≤ 1 s",
        ),
        Timing(
            "history as known at halfway back, per month, the year up to then",
            f"bedcap history --per maand --zoals-bekend-op {back}",
            timed(
                [BEDCAP, "history", "--per", "maand", "--zoals-bekend-op", back], repo, runs, env
            ),
            "≤ 1 s",
        ),
        Timing(
            "naive: one read_parquet glob over all files",
            "python -c \"duckdb.sql(... read_parquet('data/snapshots/*/*/*.parquet') ...)\"",
            timed([sys.executable, "-c", NAIVE], repo, max(full_runs, 3), env),
            "baseline",
        ),
        Timing(
            f"cache refresh after one new day ({span.aanbieders} files)",
            f"open_store() after adding {span.aanbieders} files (in-process)",
            refresh_runs(repo, span, runs, env),
            "≤ 0.5 s",
        ),
    ]


def _add_day(repo: Path, day: dt.date) -> list[Path]:
    """Every provider's newest snapshot again as `day`'s, its peildatum set to that day."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    added = []
    for owner in sorted((repo / "data/snapshots").iterdir()):
        newest = max(owner.rglob("*.parquet"))
        table = pq.read_table(newest)
        days = pa.array([day] * table.num_rows, type=table.schema.field("peildatum").type)
        table = table.set_column(table.schema.get_field_index("peildatum"), "peildatum", days)
        target = owner / str(day.year) / f"{day.isoformat()}.parquet"
        target.parent.mkdir(exist_ok=True)
        pq.write_table(table, target)
        added.append(target)
    return added


def validate_timings(repo: Path, span: Span, runs: int, env: dict[str, str]) -> list[Timing]:
    """Whole-repository validation: cold, warm, and after each of `runs` new days."""
    for name in ("validatie.sqlite", "validatie-statisch.json", "validatie-vorm.json"):
        (repo / ".bedcap" / name).unlink(missing_ok=True)  # cold: no remembered results
    beside = timed([sys.executable, "-c", FULL_READ], repo, 1, env)  # the files read minutes ago
    cold = timed([BEDCAP, "validate"], repo, 1, env)
    warm = timed([BEDCAP, "validate"], repo, runs, env)
    new_day, added = Runs(), []
    day = span.tot
    try:
        for _ in range(runs):
            day = next_working_day(day)
            added += _add_day(repo, day)
            time.sleep(2.1)  # a day later, the files are out of the racy window
            one = timed([BEDCAP, "validate"], repo, 1, {**env, "BEDCAP_VANDAAG": day.isoformat()})
            new_day += one
            new_day.peak_mb = max(new_day.peak_mb, one.peak_mb)
    finally:
        for path in added:
            path.unlink()
            if not any(path.parent.iterdir()):
                path.parent.rmdir()
    return [
        Timing(
            "validate: whole repository, cold", "bedcap validate (no result cache)", cold, "≤ 20 s"
        ),
        Timing(FULL_READ_NAME + "cold validation", FULL_READ_COMMAND, beside, "floor"),
        Timing(
            "validate: whole repository, warm", "bedcap validate (nothing changed)", warm, "≤ 3 s"
        ),
        Timing(
            f"validate: whole repository after one new day ({span.aanbieders} files)",
            "bedcap validate (the next working day)",
            new_day,
            "≤ 1 s",
        ),
    ]


def report_timings(repo: Path, span: Any, runs: int, env: dict[str, str] | None) -> list[Timing]:
    """The quarterly report as HTML and PDF, and decrypted with the LCBB's key when the
    repository has one (`bench/generate.py --vertrouwelijk`: encrypted financing files)."""
    out = repo.parent / f"{repo.name}-q"
    base = [BEDCAP, "report", "--kwartaal", span.kwartaal]
    found = [
        Timing(
            "quarterly report, HTML (warm cache)",
            f"bedcap report --kwartaal {span.kwartaal}",
            timed([*base, "--uit", f"{out}.html"], repo, runs, env),
            "≤ 3 s",
        )
    ]
    key = repo / ".bedcap" / "sleutels" / "lcbb"
    if key.is_file():
        found.append(
            Timing(
                "quarterly report, HTML, decrypting the financing files",
                f"bedcap report --kwartaal {span.kwartaal} --identiteit .bedcap/sleutels/lcbb",
                timed(
                    [*base, "--identiteit", str(key), "--uit", f"{out}-id.html"], repo, runs, env
                ),
                "≤ 3 s",
            )
        )
    found.append(
        Timing(
            "quarterly report, PDF (warm cache)",
            f"bedcap report --kwartaal {span.kwartaal} --format pdf",
            timed([*base, "--format", "pdf", "--uit", f"{out}.pdf"], repo, max(1, runs // 2), env),
            "reported",
        )
    )
    return found


def _tree_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def clone_timing(repo: Path) -> tuple[list[Timing], dict[str, float]]:
    """Clones of the whole history through git's pack protocol (a `file://` URL, as a
    provider's first clone over the network would be, minus the network): bare (the
    transfer alone: what a mirror or a CI fetch without checkout costs) and full
    (checkout of 150,000 files included). Sizes in MB of the `.git` and the work tree."""
    import shutil

    url = repo.resolve().as_uri()
    bare, full = repo.parent / f"{repo.name}-kloon.git", repo.parent / f"{repo.name}-kloon"
    sizes: dict[str, float] = {}
    try:
        shutil.rmtree(bare, ignore_errors=True)
        took_bare = timed(["git", "clone", "-q", "--bare", url, str(bare)], repo.parent, 1)
        sizes["kloon_mb"] = _tree_mb(bare)
        shutil.rmtree(bare, ignore_errors=True)
        shutil.rmtree(full, ignore_errors=True)
        took = timed(["git", "clone", "-q", url, str(full)], repo.parent, 1)
        sizes["werkboom_mb"] = _tree_mb(full) - _tree_mb(full / ".git")
    finally:
        shutil.rmtree(bare, ignore_errors=True)
        shutil.rmtree(full, ignore_errors=True)
    return [
        Timing(
            "clone of the whole history, bare",
            "git clone --bare file://…",
            took_bare,
            "reported",
        ),
        Timing("clone of the whole history", "git clone file://…", took, "reported"),
    ], sizes


def run(repo: Path, runs: int, full_runs: int, clone: bool = True) -> tuple[list[Timing], dict]:
    span = span_of(repo)
    env = {**os.environ, "COLUMNS": "120", "BEDCAP_VANDAAG": span.vandaag.isoformat()}
    # An installed package has bytecode (pip compiles at install); an editable checkout in
    # an environment with PYTHONDONTWRITEBYTECODE=1 would compile bedcap on every run.
    import compileall

    compileall.compile_dir(str(HERE.parent / "bedcap"), quiet=1)
    snap = newest_snapshot(repo)
    # The newest provider-day: with `--vertrouwelijk` HEAD is the commit of every
    # provider's financing files, not one provider's day.
    day = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "data/snapshots"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    location = str(sorted((repo / "data/locaties").rglob("*.yaml"))[0].relative_to(repo))
    py = sys.executable
    commits = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
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
        *query_timings(repo, span, runs, full_runs, env),
        *report_timings(repo, span, runs, env),
        Timing(
            "dashboard (warm cache)",
            "bedcap dashboard --uit site",
            timed(
                [BEDCAP, "dashboard", "--uit", str(repo.parent / f"{repo.name}-site")],
                repo,
                runs,
                env,
            ),
            "≤ 5 s",
        ),
        Timing(
            "check: the newest commit (one provider-day)",
            "bedcap check --base DAG~1 --head DAG",
            timed([BEDCAP, "check", "--base", f"{day}~1", "--head", day], repo, runs, env),
            "≤ 1 s",
        ),
        Timing(
            "check: the state over 20 working days",
            "bedcap check",
            timed([BEDCAP, "check"], repo, runs, env),
            "≤ 1 s",
        ),
        *validate_timings(repo, span, full_runs, env),
    ]
    info: dict[str, Any] = {"commits": commits, "span": f"{span.van} … {span.tot}"}
    if clone:
        clones, sizes = clone_timing(repo)
        timings += clones
        info.update(sizes)
    return timings, info


def files_and_size(repo: Path) -> tuple[int, float]:
    files = list((repo / "data/snapshots").rglob("*.parquet"))
    return len(files), sum(f.stat().st_size for f in files) / 1e6


def as_json(repo: Path, timings: list[Timing], info: dict[str, Any]) -> dict[str, Any]:
    count, size = files_and_size(repo)
    return {
        "repo": repo.name,
        "bestanden": count,
        "mb": size,
        "aanbieders": span_of(repo).aanbieders,
        **info,
        "timings": [
            {"naam": t.naam, "median": t.median, "peak_mb": t.peak_mb, "runs": len(t.runs)}
            for t in timings
        ],
    }


def write_results(repo: Path, timings: list[Timing], info: dict[str, Any], target: Path) -> str:
    count, size = files_and_size(repo)
    floor = timings[0].median
    lines = [
        "# Benchmark results",
        "",
        f"Repository: `bench/generate.py` shape of {span_of(repo).aanbieders} providers — "
        f"{count:,} snapshot files ({size:,.0f} MB of Parquet), {info.get('commits')} commits "
        f"(one per provider-day, corrections as later commits), {info.get('span')}. "
        f"Machine: {os.cpu_count()} cores shared with other work, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}. Measured {time.strftime('%Y-%m-%d')} by `python bench/run.py`.",
        "",
        "| what | command | runs | median s | min s | max s | × import floor | peak MB | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by_name = {t.naam: t for t in timings}
    for t in timings:
        ratio = f"{t.median / floor:.1f}"
        if t.floor_runs:
            ratio = f"{t.median / statistics.median(t.floor_runs):.2f} (paired)"
        peak = f"{t.peak_mb:.0f}" if t.peak_mb else "–"
        lines.append(
            f"| {t.naam} | `{t.opdracht}` | {len(t.runs)} | {t.median:.2f} | "
            f"{min(t.runs):.2f} | {max(t.runs):.2f} | {ratio} | {peak} | {t.doel} |"
        )
    naive = by_name.get("naive: one read_parquet glob over all files")
    history = by_name.get("history per month, whole span (warm)")
    if naive and history:
        lines += [
            "",
            f"History per month over the whole span (warm) is "
            f"{naive.median / history.median:.0f} × faster than the naive glob, measured in "
            "this run.",
        ]
    lines += cold_sentence(timings)
    if "kloon_mb" in info:
        lines += ["", f"The clone's `.git` is {info['kloon_mb']:,.0f} MB"]
        if "werkboom_mb" in info:
            lines[-1] += f"; its checked-out work tree {info['werkboom_mb']:,.0f} MB"
        lines[-1] += "."
    text = "\n".join(lines) + "\n"
    growth = HERE / "GROWTH.md"
    if growth.exists():
        text += "\n" + growth.read_text()
    notes = HERE / "NOTES.md"
    if notes.exists():
        text += "\n" + notes.read_text()
    target.write_text(text)
    return text


def cold_sentence(timings: list[Timing]) -> list[str]:
    """Each cold figure against DuckDB's own read of every file, timed next to it with the
    files in the page cache for both.

    The cold targets are seconds, and on a shared machine the same read of 150,585 files
    took 18 s one day and 50 s another; the ratio to the floor of the same minutes says
    what the code adds to what the machine can do."""
    by_name = {t.naam: t for t in timings}
    parts = []
    for what, cold in (
        ("cold build again", by_name.get("cache: cold build again, the files just read")),
        ("cold validation", by_name.get("validate: whole repository, cold")),
    ):
        floor = by_name.get(FULL_READ_NAME + what)
        if cold is not None and floor is not None:
            parts.append(
                f"the {what} {cold.median:.1f} s, {cold.median / floor.median:.2f} × DuckDB's "
                f"read of every column of every file next to it ({floor.median:.1f} s)"
            )
    if not parts:
        return []
    return ["", "Against the floor of the cold work, in this run: " + "; ".join(parts) + "."]


GROWTH_ROWS = (
    "import floor",
    "cache: cold build",
    "cache: cold build again, the files just read",
    "cache refresh after one new day",
    "naive: one read_parquet glob over all files",
    "available (warm, json)",
    "history per month, whole span (warm)",
    "available as known at (realistic history)",
    "history as known at, per month, whole span",
    "check: the newest commit (one provider-day)",
    "check: the state over 20 working days",
    "validate: whole repository, cold",
    "validate: whole repository, warm",
    "validate: whole repository after one new day",
    "quarterly report, HTML (warm cache)",
    "dashboard (warm cache)",
    "clone of the whole history, bare",
    "clone of the whole history",
)
"""Timing names, each matched whole or up to a count in parentheses ("(60 files)")."""


def growth_table(paths: list[Path]) -> str:
    """Each command at each size: median seconds and peak MB, from `run.py --json` files."""
    import json

    runs = [json.loads(p.read_text()) for p in paths]
    base = runs[0]["aanbieders"]  # the growth is in providers: 60 → 180 → 600 (issue 18)
    head = " | ".join(
        f"{r['aanbieders'] / base:.0f}× ({r['aanbieders']} providers, {r.get('span', '')})"
        for r in runs
    )
    lines = [
        "## Growth (regenerated by `python bench/run.py --groei ...`)",
        "",
        "Each cell: median seconds / peak MB of the largest process; compare each column's "
        "seconds with its own import floor (the runs were taken at different loads). Files: "
        + ", ".join(f"{r['bestanden']:,}" for r in runs)
        + "; commits: "
        + ", ".join(f"{int(r['commits']):,}" for r in runs)
        + "; a clone's `.git`: "
        + ", ".join(f"{r['kloon_mb']:.0f} MB" for r in runs if r.get("kloon_mb"))
        + ".",
        "",
        f"| command | {head} |",
        "|---|" + "---|" * len(runs),
    ]
    for row in GROWTH_ROWS:
        cells = []
        for r in runs:
            hit = next(
                (t for t in r["timings"] if t["naam"] == row or t["naam"].startswith(row + " (")),
                None,
            )
            if hit is None:
                cells.append("–")
            elif hit.get("peak_mb"):
                cells.append(f"{hit['median']:.2f} s / {hit['peak_mb']:.0f} MB")
            else:  # timed in process: no process of its own to measure
                cells.append(f"{hit['median']:.2f} s / –")
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repo", type=Path, nargs="?")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full-runs", type=int, default=3, help="runs of whole-repo validate")
    parser.add_argument("--uit", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--geen-kloon", action="store_true", help="skip timing a clone")
    parser.add_argument("--groei", type=Path, nargs="+", help="JSON files, smallest first")
    args = parser.parse_args()
    if args.groei:
        (HERE / "GROWTH.md").write_text(growth_table(args.groei))
        print((HERE / "GROWTH.md").read_text())
        return 0
    repo = args.repo.resolve()
    timings, info = run(repo, args.runs, args.full_runs, clone=not args.geen_kloon)
    if args.json:
        import json

        args.json.write_text(json.dumps(as_json(repo, timings, info), indent=1))
    print(write_results(repo, timings, info, args.uit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
