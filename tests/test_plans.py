"""Every question of `store/query.py` keeps its plan shape whatever DuckDB estimates.

A nested-loop join on a hot path (the as-of choice of files, the joins on `pad`) turns a
0.1 s question into a minute on national data (issue 18). These tests capture the SQL each
query function runs on a real cache of the example repository, ask DuckDB to `EXPLAIN` it
with the same parameters, and fail on any nested-loop, blockwise or piecewise-merge join.
CI runs this file on the lowest and the newest DuckDB of the pinned range (`.ci/run`).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from bedcap import calendar
from bedcap.files.repo import DataRepo
from bedcap.store import cache, query, sources
from tests.conftest import EXAMPLE_TODAY

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
FORBIDDEN = ("NESTED_LOOP_JOIN", "BLOCKWISE_NL_JOIN", "PIECEWISE_MERGE_JOIN")
# The shape that triggered the cliff: a parameter list of days crossed with the providers,
# short (a week: the estimate is tiny) and long (a quarter).
RANGES = [(dt.date(2021, 6, 24), dt.date(2021, 6, 30)), (dt.date(2021, 4, 1), TODAY)]
FILTERS = [query.Filter(), query.Filter(niveau=[4], specialisme=["verslaving"], alleen_vrij=True)]


class Recorder:
    """The real connection, remembering every statement with its parameters."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.statements: list[tuple[str, Any]] = []

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        self.statements.append((sql, params))
        return self.con.execute(sql, params)

    def executemany(self, sql: str, params: Any) -> duckdb.DuckDBPyConnection:
        """Loading rows (no question asked): run, not planned."""
        return self.con.executemany(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)


def plan_of(con: duckdb.DuckDBPyConnection, sql: str, params: Any) -> str:
    """The physical plan, its operator names normalised (`Nested Loop Join`, 2.x's
    rendering, and `NESTED_LOOP_JOIN`, 1.x's, both become the latter)."""
    text = "\n".join(row[1] for row in con.execute(f"EXPLAIN {sql}", params).fetchall())
    return re.sub(r"[\s_]+", "_", text.upper())


def questions() -> list[Callable[..., Any]]:
    """Every public function of query.py that asks a `Bron` something."""
    found = []
    for name, func in inspect.getmembers(query, inspect.isfunction):
        if name.startswith("_") or func.__module__ != query.__name__:
            continue
        params = list(inspect.signature(func).parameters.values())
        if params and params[0].annotation in ("Bron", query.Bron):
            found.append(func)
    return found


def calls(func: Callable[..., Any]) -> Iterator[dict[str, Any]]:
    """Keyword arguments for `func`: each range and filter; a new parameter needs a value here."""
    for van, tot in RANGES:
        for filt in FILTERS:
            values = {
                "op": tot,
                "van": van,
                "tot": tot,
                "referentie": TODAY,
                "filt": filt,
                "per": query.Per.MAAND,
                "naar": query.Naar.AANBIEDER,
                "deadline": dt.time(12, 0),
                "zone": calendar.TIJDZONE,
                "kolommen": ("regio", "beveiligingsniveau"),
            }
            kwargs = {}
            for param in list(inspect.signature(func).parameters)[1:]:
                if param not in values:
                    pytest.fail(f"{func.__name__}({param}=...): give the plan test a value for it")
                kwargs[param] = values[param]
            yield kwargs


def assert_plans(bron: query.Bron) -> list[str]:
    """Run every question on `bron`, EXPLAIN what it ran; returns the plans checked."""
    con = bron.con
    recorder = Recorder(con)
    bron.con = recorder  # type: ignore[assignment]
    plans = []
    try:
        for func in questions():
            for kwargs in calls(func):
                start = len(recorder.statements)
                func(bron, **kwargs)
                ran = recorder.statements[start:]
                assert ran, f"{func.__name__} ran no SQL"
                for sql, params in ran:
                    plan = plan_of(con, sql, params)
                    bad = [op for op in FORBIDDEN if op in plan]
                    assert not bad, f"{func.__name__}{kwargs}: {bad} in\n{plan}"
                    if "ASOF JOIN" in sql:
                        assert "ASOF_JOIN" in plan, f"{func.__name__}: the as-of join was rewritten"
                    plans.append(plan)
    finally:
        bron.con = con
    return plans


def test_every_question_is_covered() -> None:
    names = {func.__name__ for func in questions()}
    assert {"beschikbaar", "geschiedenis", "ligdagen", "dagen_zonder_vrij_bed"} <= names


def test_cached_plans_have_no_nested_loop_join(example: Path) -> None:
    with sources.cached(DataRepo(example), vandaag=TODAY, geen_cache=False) as bron:
        setting = bron.con.execute("SELECT current_setting('asof_loop_join_threshold')")
        assert setting.fetchone() == (0,)
        plans = assert_plans(bron)
    assert len(plans) >= 4 * len(RANGES) * len(FILTERS)
    # The choice of files: the days each file covers joined on the working day by hash.
    # The cache keeps each file's next day, so no window is left.
    choices = [plan for plan in plans if "WERKDAG_=_WERKDAG" in plan]
    assert len(choices) >= 3 * len(RANGES) * len(FILTERS)
    assert all("HASH_JOIN" in plan and "WINDOW" not in plan for plan in choices)
    # The rows of the chosen files by their record's number, not by path.
    assert all("BESTAND_NR_=_BESTAND" in plan and "PAD_=_BESTAND" not in plan for plan in choices)


def test_sources_without_the_cache_work_out_the_next_day(example: Path) -> None:
    """Without the cache (`--geen-cache` still keeps it; the newest files, time travel) the
    next day comes from a window over the files: same plan rules."""
    with sources.current(DataRepo(example), TODAY, {2021}) as bron:
        assert not bron.volgende
        plans = assert_plans(bron)
    choices = [plan for plan in plans if "WERKDAG_=_WERKDAG" in plan]
    assert choices and all("WINDOW" in plan and "HASH_JOIN" in plan for plan in choices)
    assert all("PAD_=_BESTAND" in plan for plan in choices)  # no numbers outside the cache


def test_newest_files_plans_have_no_nested_loop_join(example: Path) -> None:
    with sources.current(DataRepo(example), TODAY, {2021}) as bron:
        assert_plans(bron)


def test_as_known_at_plans_have_no_nested_loop_join(example_git: Path) -> None:
    repo = DataRepo(example_git)
    moment = dt.datetime.now(dt.UTC)
    known: list[AbstractContextManager[query.Bron]] = [
        sources.history_known_at(repo, moment, TODAY, vandaag=TODAY, geen_cache=False),
        sources.history_known_at(repo, moment, TODAY, vandaag=TODAY, geen_cache=True),
        sources.current_known_at(repo, moment, TODAY),
    ]
    for manager in known:
        with manager as bron:
            assert bron.bestanden == "bestanden_k"
            assert_plans(bron)


AS_OF_CHOICE = """
    WITH dagen AS (SELECT unnest(?::DATE[]) AS dag),
    raster AS (SELECT a.aanbieder, d.dag FROM (SELECT DISTINCT aanbieder FROM bestanden) a
        CROSS JOIN dagen d)
    SELECT r.dag, b.pad FROM raster r ASOF JOIN bestanden b
        ON r.aanbieder = b.aanbieder AND r.dag >= b.peildatum"""
"""The choice of files as it was first written: the shape that fell off the cliff."""


def test_the_check_sees_the_rewrite_it_guards_against(example: Path) -> None:
    """With the rewrite allowed for any size, the old as-of shape becomes a nested-loop join
    and the check names it (it is not vacuous on this DuckDB version); the questions as
    they are keep their plans even then, since no as-of join is left to rewrite."""
    days = [dt.date(2021, 6, 28), dt.date(2021, 6, 29)]
    with sources.cached(DataRepo(example), vandaag=TODAY, geen_cache=False) as bron:
        assert "ASOF_JOIN" in plan_of(bron.con, AS_OF_CHOICE, [days])
        bron.con.execute("SET asof_loop_join_threshold = 1000000000")
        try:
            assert "NESTED_LOOP_JOIN" in plan_of(bron.con, AS_OF_CHOICE, [days])
            assert_plans(bron)
        finally:
            cache.tuned(bron.con)


def test_every_store_connection_is_tuned(example: Path, tmp_path: Path) -> None:
    """In-memory stores and the cache file, fresh and reopened, all run with the setting."""
    con = cache.in_memory()
    assert con.execute("SELECT current_setting('asof_loop_join_threshold')").fetchone() == (0,)
    con.close()
    repo = DataRepo(example)
    for _ in range(2):  # built, then reopened
        with cache.open_store(repo, vandaag=TODAY) as con:
            got = con.execute("SELECT current_setting('asof_loop_join_threshold')").fetchone()
            assert got == (0,)


@pytest.mark.parametrize(
    ("pad", "soort"),
    [
        ("data/snapshots/a-b/2021/2021-06-30.parquet", "snapshot"),
        ("data//snapshots/a-b/2021/2021-06-30.parquet", "snapshot"),  # as pathlib reads it
        ("data/./snapshots/a-b/2021/2021-06-30.parquet", "snapshot"),
        ("data/snapshots/a-b/2021/2021-06-30.parquet/", "snapshot"),
        ("/data/snapshots/a-b/2021/2021-06-30.parquet", "ongeldig"),
        ("data/snapshots/a-b/../a-b/2021/2021-06-30.parquet", "ongeldig"),
        ("", "buiten-data"),
        (".", "buiten-data"),
    ],
)
def test_classify_reads_paths_as_pathlib_does(pad: str, soort: str) -> None:
    """`classify`'s fast split gives the parts PurePosixPath gives, odd paths included."""
    from bedcap.files.repo import classify

    assert classify(pad).soort.value == soort


def test_plans_with_wards_and_providers_that_come_and_go(example: Path) -> None:
    """With activity dates in the static data every question joins the ward's and the
    provider's dates (hash joins like the rest, on the lowest DuckDB of the range too) and
    drops the rows of days they were not active, the count of locations included."""
    location = (
        example / "data/locaties/fictief-forensisch-centrum-oosterveld/kliniek-heidewijk.yaml"
    )
    text = location.read_text("utf-8")
    location.write_text(
        text.replace("  - id: fpc-1\n", "  - id: fpc-1\n    actief_tot: 2021-05-31\n", 1), "utf-8"
    )
    registry = example / "data/deelnemers.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(
        text.replace(
            "  - id: voorbeeldzorg-westerduin\n",
            "  - id: voorbeeldzorg-westerduin\n    deelname_vanaf: 2021-05-03\n",
            1,
        ),
        "utf-8",
    )
    with sources.cached(DataRepo(example), vandaag=TODAY, geen_cache=False) as bron:
        plans = assert_plans(bron)
        assert bron.levensloop == (True, True)
        choices = [plan for plan in plans if "WERKDAG_=_WERKDAG" in plan]
        joined = ("LEVENSLOOP_AFDELING", "LEVENSLOOP_AANBIEDER")
        assert choices and all(all(t in plan for t in joined) for plan in choices)
        # A ward's dates by its number in the cache: one integer per row to probe.
        by_number = ("NR_=_AFDELING_NR", "AFDELING_NR_=_NR")  # either side may build
        assert all(any(j in plan for j in by_number) for plan in choices)
        late = query.geschiedenis(
            bron, dt.date(2021, 6, 1), dt.date(2021, 6, 30), query.Per.MAAND,
            query.Naar.AANBIEDER,
        )  # fmt: skip
        early = query.geschiedenis(
            bron, dt.date(2021, 4, 1), dt.date(2021, 4, 30), query.Per.MAAND,
            query.Naar.AANBIEDER,
        )  # fmt: skip
        june = query.locaties_per_groep(
            bron, dt.date(2021, 6, 1), dt.date(2021, 6, 30), ("beveiligingsniveau",)
        )
    assert "voorbeeldzorg-westerduin" not in {r["groep"] for r in early}
    assert "voorbeeldzorg-westerduin" in {r["groep"] for r in late}
    # The closed ward was its location's only one of level 4: that location no longer
    # counts towards level 4 in June (read from the June files themselves).
    level_four = {
        f"{row['aanbieder']}/{row['locatie']}"
        for path in (example / "data/snapshots").glob("*/2021/2021-06-*.parquet")
        for row in pq.read_table(path).to_pylist()
        if row["beveiligingsniveau"] == 4
    }
    assert "fictief-forensisch-centrum-oosterveld/kliniek-heidewijk" in level_four
    assert june[("4",)] == len(level_four) - 1


def test_the_cache_links_next_days_without_a_nested_loop(example: Path) -> None:
    """The refresh's link (`cache._link`, run after every change the cache reads) finds
    each provider's last file before its first changed day with an equality on the
    provider and a `<` on the day: a hash join with a residual condition, not a nested
    loop over providers × files, on both ends of the DuckDB range."""
    repo = DataRepo(example)
    with cache.open_store(repo, vandaag=TODAY) as con:
        owners = [r[0] for r in con.execute("SELECT DISTINCT aanbieder FROM bestanden").fetchall()]
        assert len(owners) >= 3
        recorder = Recorder(con)
        cache._link(recorder, {owner: dt.date(2021, 6, 20) for owner in owners})  # type: ignore[arg-type]
        assert len(recorder.statements) >= 2
        for sql, params in recorder.statements:
            plan = plan_of(con, sql, params)
            bad = [op for op in FORBIDDEN if op in plan]
            assert not bad, f"{bad} in\n{plan}"
        assert "HASH_JOIN" in plan_of(con, *recorder.statements[0])
