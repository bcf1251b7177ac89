"""`--zoals-bekend-op` answers exactly what a checkout of that commit answers (issue 18).

The fast path reuses the cache of the working tree and reads from git only the files that
differ since the moment; these tests pit it against `--geen-cache` (both whole trees
listed) and against a fresh clone checked out at the commit, on a history with a
correction, a deleted file, a changed location and a provider that joined later, with
and without uncommitted changes in the working tree.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bedcap.files import gittrees
from bedcap.files.repo import DataRepo
from bedcap.store import sources
from tests.conftest import IDENTITY, git, invoke

SNAP = "data/snapshots"
LATE = "voorbeeldzorg-westerduin"  # joins only with the second commit
HEIDEWIJK = "data/locaties/fictief-forensisch-centrum-oosterveld/kliniek-heidewijk.yaml"
FIRST = "2021-06-30T18:00:00+02:00"
SECOND = "2021-07-01T10:00:00+02:00"
BETWEEN = "2021-07-01T09:30"  # the repository's zone: after FIRST, before SECOND
AFTER = "2021-07-01T11:00"
HISTORIES = [
    ("--van", "2021-04-01", "--tot", "2021-06-30", "--per", "dag", "--naar", "aanbieder"),
    ("--van", "2021-04-01", "--tot", "2021-06-30", "--per", "maand", "--naar", "rechtskader"),
]


def shift(path: Path, n: int, target: Path | None = None) -> None:
    """The file's rows with `n` beds moved from occupied to free on the first row."""
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["bezet"] -= n
    rows[0]["beschikbaar"] += n
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), target or path)


def commit_all(repo: Path, message: str, when: str) -> str:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(["git", *IDENTITY, "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", *IDENTITY, "commit", "-qm", message], cwd=repo, check=True, env=env)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def history(example: Path, tmp_path: Path) -> tuple[Path, str, str]:
    """Two commits: the first without one provider; the second corrects a snapshot,
    deletes one, closes a ward of a location and brings the late provider."""
    aside = tmp_path / "aside"
    aside.mkdir()
    for top in (SNAP, "data/locaties"):
        shutil.move(example / top / LATE, aside / top.split("/")[1])
    git(example, "init", "-q", "-b", "main")
    first = commit_all(example, "eerste", FIRST)
    shift(example / SNAP / "voorbeeld-ggz-noorderzand/2021/2021-06-29.parquet", 1)
    (example / SNAP / "fictieve-zorggroep-zuiderhof/2021/2021-06-15.parquet").unlink()
    text = (example / HEIDEWIJK).read_text(encoding="utf-8")
    text = text.replace("naam: Kliniek Heidewijk\n", "naam: Kliniek Heidewijk-Oost\n")
    text = text.replace("    capaciteit: 18\n", "    capaciteit: 18\n    actief_tot: 2021-06-20\n")
    (example / HEIDEWIJK).write_text(text, encoding="utf-8")
    for top in (SNAP, "data/locaties"):
        shutil.move(aside / top.split("/")[1], example / top / LATE)
    second = commit_all(example, "tweede", SECOND)
    return example, first, second


def make_dirty(repo: Path) -> None:
    """Uncommitted changes of every kind: modified, deleted, untracked (also in a
    provider folder git never saw), and a changed location file."""
    shift(repo / SNAP / "voorbeeld-ggz-noorderzand/2021/2021-06-28.parquet", 2)
    (repo / SNAP / "fictief-forensisch-centrum-oosterveld/2021/2021-06-18.parquet").unlink()
    source = repo / SNAP / "fictieve-zorggroep-zuiderhof/2021/2021-06-14.parquet"
    shift(source, 3, source.with_name("2021-06-15.parquet"))
    stranger = repo / SNAP / "nieuwe-aanbieder/2021"
    stranger.mkdir(parents=True)
    shutil.copy(source, stranger / "2021-06-15.parquet")
    text = (repo / HEIDEWIJK).read_text(encoding="utf-8")
    (repo / HEIDEWIJK).write_text(text.replace("Heidewijk-Oost", "Heidewijk-West"), "utf-8")


def as_json(runner: CliRunner, repo: Path, *args: str) -> list[dict[str, Any]]:
    result = invoke(runner, *args, "--format", "json", cwd=repo)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def checkout(repo: Path, commit: str, target: Path) -> Path:
    """A fresh clone of `repo` at `commit`: the truth as it was."""
    subprocess.run(["git", "clone", "-q", str(repo), str(target)], check=True)
    git(target, "checkout", "-q", commit)
    return target


def answers(runner: CliRunner, repo: Path, known: tuple[str, ...], *extra: str) -> list[Any]:
    """The histories and `available` of the moment (`known`: the option, or nothing for
    a checkout, asked for the moment's day); `extra` only for history."""
    found: list[Any] = [
        as_json(runner, repo, "history", *args, *known, *extra) for args in HISTORIES
    ]
    found.append(as_json(runner, repo, "available", *(known or ("--op", "2021-07-01"))))
    return found


@pytest.mark.parametrize("dirty", [False, True], ids=["schoon", "gewijzigd"])
@pytest.mark.parametrize(("moment", "which"), [(BETWEEN, 0), (AFTER, 1)], ids=["tussen", "na"])
def test_as_known_at_equals_a_checkout_and_the_uncached_answer(
    runner: CliRunner,
    history: tuple[Path, str, str],
    tmp_path: Path,
    moment: str,
    which: int,
    dirty: bool,
) -> None:
    repo, *commits = history
    truth = answers(runner, checkout(repo, commits[which], tmp_path / "toen"), ())
    if dirty:
        make_dirty(repo)
    known = ("--zoals-bekend-op", moment)
    assert answers(runner, repo, known) == truth
    assert answers(runner, repo, known, "--geen-cache") == truth
    assert answers(runner, repo, known) == truth  # the cache now warm
    now = answers(runner, repo, ())
    # Not vacuous: the tree today answers otherwise (the late provider, the correction,
    # the closed ward, the uncommitted edits); a clean tree after the last commit alike.
    assert (now != truth) == (which == 0 or dirty)
    if which == 0:
        assert LATE not in {r["aanbieder"] for r in truth[2]}
        assert LATE in {r["aanbieder"] for r in now[2]}
        names = {r["naam"] for r in truth[2]}
        assert "Kliniek Heidewijk" in names
        assert "Kliniek Heidewijk-Oost" not in names


def test_unchanged_statics_come_from_the_warm_cache_and_changed_ones_from_git(
    history: tuple[Path, str, str],
) -> None:
    repo, first, second = history
    data = DataRepo(repo)
    at_first = sources._statics_at(data, first, set())
    at_second = sources._statics_at(data, second, set())
    key = "fictief-forensisch-centrum-oosterveld/kliniek-heidewijk"
    assert at_first.locaties[key]["naam"] == "Kliniek Heidewijk"
    assert at_second.locaties[key]["naam"] == "Kliniek Heidewijk-Oost"
    assert LATE not in {k.split("/")[0] for k in at_first.locaties}
    # An uncommitted edit of a location never leaks into the past.
    make_dirty(repo)
    assert sources._statics_at(data, second, set()).locaties[key]["naam"] == (
        "Kliniek Heidewijk-Oost"
    )


def test_the_blob_id_is_gits(history: tuple[Path, str, str]) -> None:
    repo, _, _ = history
    for rel in (HEIDEWIJK, "data/deelnemers.yaml"):
        expected = git(repo, "hash-object", rel).strip()
        assert gittrees.blob_id(repo / rel) == expected
    assert gittrees.blob_id(repo / "data") is None
    assert gittrees.blob_id(repo / "geen-bestand") is None


def test_the_tree_diff_gives_the_old_blob_or_nothing(history: tuple[Path, str, str]) -> None:
    repo, first, second = history
    found = gittrees.diff_blobs(repo, first, second, [SNAP])
    corrected = f"{SNAP}/voorbeeld-ggz-noorderzand/2021/2021-06-29.parquet"
    deleted = f"{SNAP}/fictieve-zorggroep-zuiderhof/2021/2021-06-15.parquet"
    assert found[corrected] == git(repo, "rev-parse", f"{first}:{corrected}").strip()
    assert found[deleted] == git(repo, "rev-parse", f"{first}:{deleted}").strip()
    added = [rel for rel, blob in found.items() if rel.startswith(f"{SNAP}/{LATE}/")]
    assert added
    assert all(found[rel] == "" for rel in added)
    assert len(found) == 2 + len(added)


def test_newest_at_picks_per_provider_from_folders_alone(
    history: tuple[Path, str, str],
) -> None:
    repo, first, second = history
    day = dt.date(2021, 6, 15)
    then = sources._newest_at(repo, first, day)
    now = sources._newest_at(repo, second, day)
    assert f"{SNAP}/fictieve-zorggroep-zuiderhof/2021/2021-06-15.parquet" in then
    assert f"{SNAP}/fictieve-zorggroep-zuiderhof/2021/2021-06-14.parquet" in now
    assert len(then) == 3
    assert len(now) == 4
    for rel, blob in now.items():
        assert git(repo, "rev-parse", f"{second}:{rel}").strip() == blob
    # Before any file: nothing; a later year is looked up in the newest year before it.
    assert sources._newest_at(repo, second, dt.date(2021, 3, 1)) == {}
    assert sources._newest_at(repo, second, dt.date(2022, 1, 3)) == sources._newest_at(
        repo, second, dt.date(2021, 12, 31)
    )
    assert len(sources._newest_at(repo, second, dt.date(2022, 1, 3))) == 4


def _newest_by_listing(
    repo: Path, rev: str, folders: list[str], upto: str
) -> dict[str, tuple[str, str]]:
    """The plain way: every entry of each folder as `list_dirs` gives it, newest first."""
    listed = gittrees.list_dirs(repo, rev, folders)
    found: dict[str, tuple[str, str]] = {}
    for folder in folders:
        names = sorted(
            (rel for rel, (kind, _) in listed.items() if kind == "blob"),
            key=lambda rel: rel.encode("utf-8", "surrogateescape"),
            reverse=True,
        )
        for rel in names:
            parent, name = rel.rsplit("/", 1)
            if parent == folder and name <= upto and sources_usable(rel):
                found[folder] = (rel, listed[rel][1])
                break
    return found


def sources_usable(rel: str) -> bool:
    from bedcap.files.repo import Bestandsoort, classify

    return classify(rel).soort is Bestandsoort.SNAPSHOT


def test_the_newest_blob_per_folder_is_the_listings_whatever_the_names(tmp_path: Path) -> None:
    """Owners whose names sort around each other ("zorg-a", "zorg-a-b" before it in git's
    order, "zorg-ab"), gaps, names that
    are no snapshot just below a day, a folder named like a snapshot, a symlink, a name
    with a tab and the words of a blob record in it: for every day of a month the fast
    search answers what reading each folder's entries gives."""
    repo = tmp_path / "r"
    days = {"zorg-a": [1, 2, 5, 9, 10], "zorg-a-b": [3, 4, 20], "zorg-ab": [30], "zorg-b": []}
    for owner, numbers in days.items():
        folder = repo / SNAP / owner / "2021"
        folder.mkdir(parents=True)
        for n in numbers:
            (folder / f"2021-06-{n:02d}.parquet").write_bytes(f"{owner}{n}".encode())
        (folder / "leeg").write_text("")  # keeps "zorg-b" in git with no snapshot
    odd = repo / SNAP / "zorg-a" / "2021"
    (odd / "2021-06-11 kopie.parquet").write_bytes(b"kopie")
    (odd / "2021-06-12.parquet.bak").write_bytes(b"bak")
    (odd / "2021-06-14.parquet").mkdir()
    (odd / "2021-06-14.parquet" / "2021-06-14.parquet").write_bytes(b"dieper")
    (odd / "2021-06-16.parquet").symlink_to("2021-06-10.parquet")
    fake = "x\t100644 blob " + "0" * 40 + "\t2021-06-18.parquet"
    (odd / fake).write_bytes(b"nep")
    git(repo, "init", "-q", "-b", "main")
    git(repo, *IDENTITY, "add", "-A")
    git(repo, *IDENTITY, "commit", "-qm", "mappen")
    folders = [f"{SNAP}/{owner}/2021" for owner in days]
    for day in range(1, 31):
        upto = f"2021-06-{day:02d}.parquet"
        fast = gittrees.newest_blobs(repo, "HEAD", folders, upto, sources_usable)
        assert fast == _newest_by_listing(repo, "HEAD", folders, upto), upto
    on_16 = gittrees.newest_blobs(repo, "HEAD", folders, "2021-06-16.parquet", sources_usable)
    a = f"{SNAP}/zorg-a/2021"
    assert on_16[a][0] == f"{a}/2021-06-16.parquet"  # the symlink, a blob in git
    on_13 = gittrees.newest_blobs(repo, "HEAD", folders, "2021-06-13.parquet", sources_usable)
    assert on_13[a] == (
        f"{a}/2021-06-10.parquet",
        git(repo, "rev-parse", f"HEAD:{a}/2021-06-10.parquet").strip(),
    )
    assert on_13[f"{SNAP}/zorg-a-b/2021"][0] == f"{SNAP}/zorg-a-b/2021/2021-06-04.parquet"
    assert f"{SNAP}/zorg-b/2021" not in on_13 and f"{SNAP}/zorg-ab/2021" not in on_13


def test_a_write_that_fails_is_one_dutch_line_and_leaves_nothing(
    history: tuple[Path, str, str],
) -> None:
    """A disk that is full (here: a file-size limit, so every file written fails) while
    the files of the moment are written from git: exit 3, one line naming the folder,
    and the temporary folder gone."""
    import resource

    repo, _, _ = history
    cmd = ["bedcap", "available", "--zoals-bekend-op", AFTER, "--op", "2021-06-15"]
    assert subprocess.run(cmd, cwd=repo, capture_output=True).returncode == 0  # caches warm

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    run = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, preexec_fn=small_files)
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    text = " ".join(run.stderr.split())
    assert "kan de bestanden uit git niet tijdelijk wegschrijven in" in text
    assert ".bedcap/tmp/zoals-bekend-op-" in text.replace(" ", "")
    assert list((repo / ".bedcap" / "tmp").iterdir()) == []


def test_files_from_git_never_go_inside_the_working_tree(
    history: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where `.bedcap/tmp` cannot be made, the system's temporary folder is used; where
    that is the working tree itself (Python's last resort when no temporary folder can
    be written), the command stops with one Dutch line and writes nothing there."""
    import tempfile

    from bedcap.errors import BedcapError

    repo, _, _ = history
    data = DataRepo.find(repo)
    shutil.rmtree(repo / ".bedcap", ignore_errors=True)
    (repo / ".bedcap").write_text("geen map")  # .bedcap/tmp cannot be made
    elders = tmp_path / "elders"
    elders.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(elders))
    with sources._scratch(data) as folder:
        assert folder.parent == elders
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert list(elders.iterdir()) == []
    before = sorted(p.name for p in (repo / "data").iterdir())
    monkeypatch.setattr(tempfile, "tempdir", str(repo / "data"))
    with pytest.raises(BedcapError, match="TMPDIR"), sources._scratch(data):
        pass
    assert sorted(p.name for p in (repo / "data").iterdir()) == before


def test_a_later_year_is_left_out_and_the_range_ends_at_the_moment(
    runner: CliRunner,
    history: tuple[Path, str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A commit after the moment that corrects a file of the asked year and adds a later
    year: the later year folder is not compared (its days are after `--tot`), the
    correction is; without `--tot` the range ends at the moment's day, as `available`
    takes that day."""
    repo, _, second = history
    source = repo / SNAP / "voorbeeld-ggz-noorderzand/2021/2021-06-29.parquet"
    table = pq.read_table(source)
    later = repo / SNAP / "voorbeeld-ggz-noorderzand/2022/2022-01-03.parquet"
    later.parent.mkdir()
    days = pa.array([dt.date(2022, 1, 3)] * table.num_rows, table.schema.field("peildatum").type)
    pq.write_table(table.set_column(0, table.schema.field("peildatum"), days), later)
    shift(source, 2)
    commit_all(repo, "derde", "2022-01-04T10:00:00+01:00")
    truth = answers(runner, checkout(repo, second, tmp_path / "toen"), ())
    known = ("--zoals-bekend-op", AFTER)
    assert answers(runner, repo, known) == truth
    assert answers(runner, repo, known, "--geen-cache") == truth
    assert answers(runner, repo, ()) != truth  # the correction and the new year count now
    monkeypatch.setenv("BEDCAP_VANDAAG", "2022-01-10T09:00")  # half a year after the moment
    afternoon = ("--zoals-bekend-op", "2021-07-01T13:00")  # after the day's deadline
    default = as_json(runner, repo, "history", "--per", "dag", *afternoon)
    until = as_json(runner, repo, "history", "--per", "dag", "--tot", "2021-07-01", *afternoon)
    assert default == until
    assert default[-1]["tot"] == "2021-07-01"  # not half a year of carried-over counts
    # Before that day's deadline the dashboard counted up to the day before, as then.
    early = ("--zoals-bekend-op", "2021-07-01T09:00")
    assert as_json(runner, repo, "history", "--per", "dag", *early)[-1]["tot"] == "2021-06-30"
    late = invoke(runner, "history", "--van", "2021-08-01", *known, cwd=repo)
    assert late.exit_code == 2
    assert "ligt na de dag van --zoals-bekend-op 2021-07-01" in late.stderr
    # Freshness as the dashboard judged it then: before the deadline of 1 July the
    # counts of 30 June were due and fresh, after it they were stale.
    fresh = {
        hour: {
            r["aanbieder"]: r["verouderd"]
            for r in as_json(runner, repo, "available", "--zoals-bekend-op", f"2021-07-01T{hour}")
            if r["peildatum"] == "2021-06-30"
        }
        for hour in ("09:00", "13:00")
    }
    assert fresh["09:00"] and not any(fresh["09:00"].values())
    assert fresh["13:00"] and all(fresh["13:00"].values())
    for command in ("history", "available"):  # a moment after today: refused alike
        future = invoke(runner, command, "--zoals-bekend-op", "2022-02-01T10:00", cwd=repo)
        assert future.exit_code == 2, future.stderr
        assert "de dag van --zoals-bekend-op 2022-02-01 ligt in de toekomst" in future.stderr


def test_a_workbook_as_known_at_names_the_moment_its_zone_and_commit(
    runner: CliRunner, history: tuple[Path, str, str], tmp_path: Path
) -> None:
    """Handed on, a workbook must say what it shows: the moment on the repository's clock
    (given here in UTC), its zone, and the commit the figures came from."""
    import openpyxl

    repo, first, _ = history
    given = "2021-07-01T07:30+00:00"  # 09:30 in Amsterdam: after FIRST, before SECOND
    for command in ("available", "history"):
        target = tmp_path / f"{command}.xlsx"
        args = (command, "--zoals-bekend-op", given, "--format", "xlsx", "--uit", str(target))
        result = invoke(runner, *args, cwd=repo)
        assert result.exit_code == 0, result.stderr
        book = openpyxl.load_workbook(target)
        sheet = book["Over dit bestand"]
        info = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
        assert info["Zoals bekend op"] == dt.datetime(2021, 7, 1, 9, 30)
        assert info["Tijdzone"] == "Europe/Amsterdam (UTC+02:00)"
        assert info["Commit"] == first
        assert "zoals bekend op 1 juli 2021" in str(sheet["A1"].value)
    table = invoke(runner, "available", "--zoals-bekend-op", given, cwd=repo)
    assert "zoals bekend op 1 juli 2021 09:30" in " ".join(table.stdout.split())
