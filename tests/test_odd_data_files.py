"""A file under `data/` that is no regular file, or is far too large, never hangs a command
or ends it in a traceback (issue 18 review).

`validate` opened a FIFO named like a snapshot or a location with `open()` and waited for
a writer for ever, and read a sparse snapshot of many gigabytes into memory. Every reader
of the data now goes through `files.regular`: what is no regular file, or larger than the
reader allows, is a finding (or the settings' Dutch line) naming the file and what it is.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from bedcap.files import regular
from bedcap.files.snapshots import MAX_SNAPSHOT_BYTES
from tests.test_derived_files import run

SNAP = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-04-26.parquet"
LOC = "data/locaties/voorbeeld-ggz-noorderzand"


def _replace(path: Path, kind: str, limit: int = MAX_SNAPSHOT_BYTES) -> None:
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "map":
        path.mkdir()
    elif kind == "socket":
        server, cwd = socket.socket(socket.AF_UNIX), os.getcwd()
        os.chdir(path.parent)  # a socket's path is limited to 108 bytes: bind by name
        try:
            server.bind(path.name)
        finally:
            os.chdir(cwd)
            server.close()
    else:  # "groot": a sparse file just over the limit
        with path.open("wb") as handle:
            handle.truncate(limit + 1)


@pytest.mark.parametrize("kind", ["fifo", "socket", "groot", "map"])
@pytest.mark.parametrize("cached", [True, False])
def test_an_odd_snapshot_is_a_finding_in_both_validations(
    example: Path, kind: str, cached: bool
) -> None:
    _replace(example / SNAP, kind)
    args = ["validate"] if cached else ["validate", "data/snapshots"]
    done = run(example, args)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith(SNAP))
    expected = {
        "fifo": "geen gewoon bestand maar een FIFO (named pipe)",
        "socket": "geen gewoon bestand maar een socket",
        "groot": "groter dan 67.108.864 bytes",
        "map": "geen gewoon bestand maar een map",  # an empty one: validate passed it
    }[kind]
    assert expected in line, line
    if kind == "map":  # named alone, as a provider's staff would after `available` warned
        alone = run(example, ["validate", SNAP])
        assert alone.returncode == 1 and expected in alone.stdout, alone.stdout


def test_many_snapshots_with_odd_ones_among_them_go_through_the_workers(example: Path) -> None:
    """More files than the in-process limit: the forked vectorised pass meets the FIFO."""
    from bedcap.files.repo import DataRepo, classify
    from bedcap.rules.bulk import check_many
    from bedcap.rules.snapshots import check_snapshot
    from bedcap.rules.validate import whole_context

    _replace(example / SNAP, "fifo")
    repo = DataRepo.find(example)
    pads = [classify(rel) for rel in repo.iter_data_files("data/snapshots")]
    ctx = whole_context(repo, __import__("datetime").date(2031, 1, 6))
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert [f.bestand for f in one_by_one] == [SNAP]
    assert check_many(repo.root, pads, ctx, chunk=len(pads) // 3).findings == one_by_one


@pytest.mark.parametrize("kind", ["fifo", "map", "groot"])
def test_an_odd_location_file_is_a_finding(example: Path, kind: str) -> None:
    location = sorted((example / LOC).iterdir())[0]
    rel = location.relative_to(example).as_posix()
    _replace(location, kind, limit=regular.MAX_TEXT_BYTES)
    done = run(example, ["validate"])
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    expected = {
        "fifo": "geen gewoon bestand maar een FIFO",
        "groot": "groter dan 5.000.000 bytes",
        "map": "geen gewoon bestand maar een map",
    }
    assert any(
        line.startswith(rel) and expected[kind] in line for line in done.stdout.splitlines()
    ), done.stdout


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("fifo", "geen gewoon bestand maar een FIFO (named pipe)"),
        ("socket", "geen gewoon bestand maar een socket"),
        ("map", "geen gewoon bestand maar een map"),
        ("symlink", "geen gewoon bestand maar een symlink"),
        ("symlink-naar-niets", "geen gewoon bestand maar een symlink"),
    ],
)
def test_odd_settings_say_what_they_are(example: Path, kind: str, said: str) -> None:
    """Not "no repository here": the settings file is there, and it is not a file."""
    settings = example / "data/bedcap.toml"
    if kind == "symlink":
        settings.rename(example / "bedcap.toml")
        settings.symlink_to(example / "bedcap.toml")
    elif kind == "symlink-naar-niets":
        settings.unlink()
        settings.symlink_to(example / "bestaat-niet.toml")
    else:
        _replace(settings, kind)
    checked = run(example, ["validate"])  # a finding of the file, the other files checked
    assert "Traceback" not in checked.stderr, checked.stderr
    assert checked.returncode == 1, checked.stdout + checked.stderr
    link = "bestand-symlink: bestand is een symbolische link"
    finding = {"symlink": link, "symlink-naar-niets": link}.get(
        kind, f"bestand-onleesbaar: kan bestand niet lezen: {said}"
    )
    assert f"data/bedcap.toml: {finding}" in checked.stdout, checked.stdout
    asked = run(example, ["available"])  # no question is answered without the settings
    assert "Traceback" not in asked.stderr, asked.stderr
    assert asked.returncode == 3, asked.stdout + asked.stderr
    assert f"data/bedcap.toml is onleesbaar: {said}" in asked.stderr, asked.stderr


def test_read_regular_reads_on_after_a_short_read() -> None:
    """One `read` may return less than asked (at most 2 GiB on Linux): a pipe stands in
    for such a file here, written in two parts."""
    rfd, wfd = os.pipe()
    os.write(wfd, b"abcde")
    writer = os.fork()
    if writer == 0:  # the second part once the reader waits
        os.close(rfd)
        import time

        time.sleep(0.2)
        os.write(wfd, b"fghij")
        os._exit(0)
    os.close(wfd)
    try:
        assert regular.read_fd(rfd, 10) == b"abcdefghij"
    finally:
        os.close(rfd)
        os.waitpid(writer, 0)


def test_a_file_that_outgrows_the_limit_while_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "groeit"
    path.write_bytes(b"x" * 10)
    fd = os.open(path, os.O_RDONLY)
    size = os.fstat(fd).st_size
    path.write_bytes(b"x" * 100)
    try:
        with pytest.raises(regular.NietLeesbaarError, match="groter dan 50 bytes"):
            regular.read_fd(fd, size, limit=50)
    finally:
        os.close(fd)
