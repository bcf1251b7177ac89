"""The cache keeps each file's next day (`bestanden.volgende`) through every change.

A question picks, per provider and day, the file that stands from its own day until the
provider's next file. The cache stores that next day instead of working it out in every
query, so it must follow files that come, go and come back, whole year folders and
providers, and a refresh cut off halfway. The expected values come from the file names
in the tree alone; the answers are compared with `--geen-cache`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from bedcap.store.cache import RESCAN_DAYS
from tests.conftest import ENV, EXAMPLE_TODAY
from tests.test_query import history_json

NAME = re.compile(r"^(\d{4})-\d{2}-\d{2}\.parquet$")
NONE_YET = dt.date(9999, 12, 31)
TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
ARGS = ("--van", "2021-04-01", "--tot", "2021-07-01", "--per", "dag", "--naar", "aanbieder")


def expected_next_days(root: Path) -> dict[str, dt.date]:
    """Per snapshot file, the day of its provider's next file, from the tree's names."""
    per_provider: dict[str, list[tuple[dt.date, str]]] = {}
    for path in (root / "data/snapshots").glob("*/*/*"):
        match = NAME.match(path.name)
        if not match or match.group(1) != path.parent.name:
            continue
        rel = path.relative_to(root).as_posix()
        per_provider.setdefault(path.parent.parent.name, []).append(
            (dt.date.fromisoformat(path.name[:10]), rel)
        )
    found = {}
    for files in per_provider.values():
        files.sort()
        for (_, rel), following in zip(files, [*files[1:], (NONE_YET, "")], strict=True):
            found[rel] = following[0]
    return found


def stored_next_days(root: Path) -> dict[str, dt.date]:
    with duckdb.connect(str(root / ".bedcap/cache.duckdb"), read_only=True) as con:
        return dict(con.execute("SELECT pad, volgende FROM bestanden").fetchall())


def numbers_hold(root: Path) -> None:
    """Every cached row carries its file record's number and its ward's; numbers and
    wards are one to one (the statistics join on them, not on the ids)."""
    with duckdb.connect(str(root / ".bedcap/cache.duckdb"), read_only=True) as con:
        wrong = con.execute(
            "SELECT count(*) FROM snapshots s LEFT JOIN bestanden b ON b.nr = s.bestand_nr "
            "LEFT JOIN afdelingen a ON a.nr = s.afdeling_nr "
            "WHERE b.pad IS DISTINCT FROM s.pad OR a.aanbieder IS DISTINCT FROM s.aanbieder "
            "OR a.locatie IS DISTINCT FROM s.locatie OR a.afdeling IS DISTINCT FROM s.afdeling"
        ).fetchone()
        assert wrong == (0,)
        for table, key in (("bestanden", "nr"), ("afdelingen", "nr"), ("bestanden", "pad")):
            twice = con.execute(
                f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
            ).fetchone()
            assert twice == (0,), (table, key)
        wards = con.execute(
            "SELECT count(*) FROM (SELECT aanbieder, locatie, afdeling FROM afdelingen "
            "GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()
        assert wards == (0,)


def ward_numbers(root: Path, location: str) -> dict[str, int]:
    """The cache's number of each ward of `location`."""
    with duckdb.connect(str(root / ".bedcap/cache.duckdb"), read_only=True) as con:
        found = con.execute("SELECT afdeling, nr FROM afdelingen WHERE locatie = ?", [location])
        return dict(found.fetchall())


def refreshed(runner: CliRunner, root: Path) -> None:
    """A question through the cache, the same through none, the same answer; then the
    stored next days are exactly the tree's. Files are aged first, so the cache reads
    only what came and relinks from the changed folders (as on a server, not a fresh copy
    whose every file is too young to trust)."""
    age(root, folders=False)
    answer = history_json(runner, root, *ARGS)
    assert answer == history_json(runner, root, *ARGS, "--geen-cache")
    assert stored_next_days(root) == expected_next_days(root)
    numbers_hold(root)


def folder(root: Path, provider: str, year: str = "2021") -> Path:
    return root / "data/snapshots" / provider / year


OLD = 1_625_000_000_000_000_000  # June 2021


def age(root: Path, folders: bool = True) -> None:
    """Every file as if written in June 2021, and every folder (or only those changed since
    the last call) a moment later than before: the cache trusts what it saw and looks
    again only at what changed (anything younger than 2 s it always looks at again)."""
    stamp = OLD + time.monotonic_ns()
    for path in (root / "data/snapshots").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD, OLD))
        elif folders or path.stat().st_mtime_ns > stamp + 10**15:
            os.utime(path, ns=(stamp, stamp))


def test_the_next_day_follows_files_that_come_and_go(runner: CliRunner, example: Path) -> None:
    age(example)
    refreshed(runner, example)  # the cold build
    providers = sorted(p.name for p in (example / "data/snapshots").iterdir())
    first, second = providers[0], providers[1]
    days = sorted(folder(example, first).glob("*.parquet"))
    # A new day after the newest: the newest gets a next day.
    shutil.copy(days[-1], folder(example, first) / "2021-07-01.parquet")
    refreshed(runner, example)
    # A gap in the middle: the file before it now stands until the one after.
    days[10].unlink()
    days[11].unlink()
    refreshed(runner, example)
    # A day filled in later (a provider sends a missed day): it splits the gap again.
    shutil.copy(days[12], days[11])
    refreshed(runner, example)
    # An older year appears, then goes again as a whole folder.
    older = folder(example, second, "2020")
    older.mkdir()
    shutil.copy(next(folder(example, second).glob("*.parquet")), older / "2020-12-31.parquet")
    refreshed(runner, example)
    # Its next file goes: the last file of the year before now stands until the one after.
    sorted(folder(example, second).glob("*.parquet"))[0].unlink()
    refreshed(runner, example)
    shutil.rmtree(older)
    refreshed(runner, example)
    # A provider joins (a copy of another's folder) and one leaves entirely.
    shutil.copytree(example / "data/snapshots" / second, example / "data/snapshots/nieuwkomer")
    refreshed(runner, example)
    shutil.rmtree(example / "data/snapshots" / first)
    refreshed(runner, example)
    # Every file gone: nothing is left to point anywhere.
    for provider in (example / "data/snapshots").iterdir():
        shutil.rmtree(provider)
    history_json(runner, example, *ARGS)
    assert stored_next_days(example) == {}


def test_ward_numbers_follow_wards_that_come_and_close(runner: CliRunner, example: Path) -> None:
    """A ward closed in the static data and a ward first seen in a later file: the cache
    gives the new one a number of its own on the refresh that reads it, keeps the closed
    one's, and a refresh cut off before it numbered its rows is numbered by the next. The
    figures stay those of `--geen-cache`, which joins on the ids."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    provider = "fictief-forensisch-centrum-oosterveld"
    location = example / f"data/locaties/{provider}/kliniek-heidewijk.yaml"
    text = location.read_text("utf-8")
    location.write_text(
        text.replace("  - id: fpc-1\n", "  - id: fpc-1\n    actief_tot: 2021-06-15\n", 1)
    )
    age(example)
    refreshed(runner, example)
    before = ward_numbers(example, "kliniek-heidewijk")
    newest = folder(example, provider) / "2021-06-30.parquet"
    table = pq.read_table(newest)
    wards = [("fpc-nieuw" if w == "fva-2" else w) for w in table.column("afdeling").to_pylist()]
    index = table.schema.get_field_index("afdeling")
    table = table.set_column(index, table.schema.field(index), pa.array(wards, pa.string()))
    added = folder(example, provider) / "2021-07-01.parquet"
    pq.write_table(table, added)
    refreshed(runner, example)
    after = ward_numbers(example, "kliniek-heidewijk")
    assert {k: v for k, v in after.items() if k != "fpc-nieuw"} == before
    assert after["fpc-nieuw"] not in before.values()
    # Cut off after reading, before numbering: the rows without a ward number, their
    # record without a next day, as the last transaction would have left them.
    rel = added.relative_to(example).as_posix()
    with duckdb.connect(str(example / ".bedcap/cache.duckdb")) as con:
        con.execute("UPDATE snapshots SET afdeling_nr = NULL WHERE pad = ?", [rel])
        con.execute("UPDATE bestanden SET volgende = NULL WHERE pad = ?", [rel])
    refreshed(runner, example)
    # The closed ward left the figures the day after its last, through its number too.
    days = history_json(
        runner, example, "--van", "2021-06-15", "--tot", "2021-06-16", "--per", "dag",
        "--naar", "aanbieder", "--aanbieder", provider,
    )  # fmt: skip
    for record in days:
        rows = pq.read_table(folder(example, provider) / f"{record['periode']}.parquet")
        total = sum(
            r["capaciteit"]
            for r in rows.to_pylist()
            if record["periode"] <= "2021-06-15" or r["afdeling"] != "fpc-1"
        )
        assert record["capaciteit_gem"] == total
    assert len(days) == 2


def test_a_refresh_cut_off_after_forgetting_a_changed_file_reads_it_next_time(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed in place is forgotten (its record and rows dropped, committed) and
    then read again. Cut off in between, the next refresh must still read it, also when
    a day has passed and the file is no longer among the days compared in every folder:
    its folder was marked changed with the forgetting (it was lost for good before)."""
    from bedcap.files.repo import DataRepo
    from bedcap.store import cache

    age(example)
    repo = DataRepo(example)
    with cache.open_store(repo, vandaag=TODAY):
        pass
    since = (TODAY - dt.timedelta(days=RESCAN_DAYS)).isoformat()
    target = min(p for p in folder(example, "voorbeeld-ggz-noorderzand").glob("*.parquet")
                 if p.name >= since)  # fmt: skip
    target.write_bytes(target.read_bytes())  # in place: the folder's mtime stays
    os.utime(target, ns=(OLD + 10**9, OLD + 10**9))
    forget = cache._forget

    def cut_off(*args: object) -> None:
        forget(*args)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # the command killed right after the forgetting

    monkeypatch.setattr(cache, "_forget", cut_off)
    with pytest.raises(KeyboardInterrupt), cache.open_store(repo, vandaag=TODAY):
        pass
    monkeypatch.undo()
    rel = target.relative_to(example).as_posix()
    assert rel not in stored_next_days(example)  # forgotten, not yet read again
    later = dt.date.fromisoformat(target.name[:10]) + dt.timedelta(days=RESCAN_DAYS + 1)
    with cache.open_store(repo, vandaag=later):
        pass
    assert stored_next_days(example) == expected_next_days(example)
    numbers_hold(example)


def test_a_refresh_cut_off_before_its_end_is_linked_by_the_next(
    runner: CliRunner, example: Path
) -> None:
    """What a refresh killed between reading its files and its last transaction leaves:
    the new records without a next day, the older ones pointing past a file that came,
    and their folders still marked changed. The next refresh puts all of it right."""
    provider = sorted(p.name for p in (example / "data/snapshots").iterdir())[0]
    target = folder(example, provider)
    shutil.copy(sorted(target.glob("*.parquet"))[-1], target / "2021-07-01.parquet")
    age(example)
    refreshed(runner, example)
    with duckdb.connect(str(example / ".bedcap/cache.duckdb")) as con:
        con.execute("UPDATE bestanden SET volgende = NULL WHERE aanbieder = ?", [provider])
        con.execute(
            "UPDATE bestanden SET volgende = DATE '9999-12-31' WHERE aanbieder <> ? "
            "AND peildatum = DATE '2021-06-30'",
            [provider],
        )
        con.execute("UPDATE mappen SET mtime_ns = -1")  # every folder still to look at
    refreshed(runner, example)
    with duckdb.connect(str(example / ".bedcap/cache.duckdb"), read_only=True) as con:
        trusted = con.execute("SELECT count(*) FROM bestanden WHERE mtime_ns > 0").fetchone()
    assert trusted == (len(expected_next_days(example)),)  # linked without reading again


def test_a_record_left_without_a_next_day_in_an_unchanged_folder_is_linked(
    runner: CliRunner, example: Path
) -> None:
    """A file changed in place in the last 45 days is read again while its folder stays
    as it was. A refresh cut off after that read leaves its record without a next day and
    no folder marked changed; the next refresh must still link it (it counted up to the
    end of every range, on top of the files after it)."""
    age(example)
    refreshed(runner, example)
    target = sorted(folder(example, "voorbeeld-ggz-noorderzand").glob("*.parquet"))[-5]
    target.write_bytes(target.read_bytes())  # in place: the folder's mtime stays
    os.utime(target, ns=(OLD + 10**9, OLD + 10**9))
    history_json(runner, example, *ARGS)  # read again, the folder untouched
    rel = target.relative_to(example).as_posix()
    with duckdb.connect(str(example / ".bedcap/cache.duckdb")) as con:
        con.execute("UPDATE bestanden SET volgende = NULL WHERE pad = ?", [rel])
    answer = history_json(runner, example, *ARGS)
    assert answer == history_json(runner, example, *ARGS, "--geen-cache")
    assert stored_next_days(example) == expected_next_days(example)


@pytest.mark.parametrize("keep_one", [True, False])
def test_a_recent_file_deleted_behind_its_folders_back_is_noticed(
    runner: CliRunner, example: Path, keep_one: bool
) -> None:
    """`rsync -a --delete` or `tar x` from a copy deletes a file and sets its folder's mtime
    back to what the cache saw: within the days compared in every folder, the record
    without its file goes, also when no recent file is left in that folder."""
    age(example)
    refreshed(runner, example)
    target = folder(example, "voorbeeld-ggz-noorderzand")
    before = target.stat().st_mtime_ns
    since = (TODAY - dt.timedelta(days=RESCAN_DAYS)).isoformat()
    recent = sorted(path for path in target.glob("*.parquet") if path.name >= since)
    assert len(recent) > 2
    for path in recent[-2:] if keep_one else recent:
        path.unlink()
    os.utime(target, ns=(before, before))
    answer = history_json(runner, example, *ARGS)
    assert answer == history_json(runner, example, *ARGS, "--geen-cache")
    assert stored_next_days(example) == expected_next_days(example)


@pytest.mark.parametrize("name", ["2021²", "٢٠٢١", "0000", "20211", "jaar", "2021 "])
def test_year_folders_with_odd_names_change_no_answer(
    runner: CliRunner, example: Path, name: str
) -> None:
    """A folder under a provider that is not a plain four-digit year holds no snapshot
    the figures count, whatever its name; linking must not trip over the name either."""
    age(example)
    refreshed(runner, example)
    odd = example / "data/snapshots/voorbeeld-ggz-noorderzand" / name
    odd.mkdir()
    source = sorted(folder(example, "voorbeeld-ggz-noorderzand").glob("*.parquet"))[-1]
    shutil.copy(source, odd / "2021-07-01.parquet")
    refreshed(runner, example)
    shutil.rmtree(odd)
    refreshed(runner, example)


@pytest.mark.parametrize("delay", [0.15, 0.3, 0.5, 0.8])
def test_a_build_killed_at_any_moment_gives_the_right_next_days_after(
    runner: CliRunner, example: Path, delay: float
) -> None:
    """A real process, killed with SIGKILL while it builds the cache, at several moments."""
    env = {**os.environ, **ENV}
    build = subprocess.Popen(
        [sys.executable, "-m", "bedcap", "history", "--format", "json", *ARGS],
        cwd=example,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    refreshed(runner, example)
