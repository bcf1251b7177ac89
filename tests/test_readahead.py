"""The read-ahead hint of the cold passes (issue 18): it never blocks or fails, whatever
sits at a path, and both cold passes give it their files before reading them; the
validation's reader opens each file once and announces a batch before reading it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bedcap.files import readahead
from bedcap.files.readahead import will_need


def test_odd_paths_are_skipped_and_a_fifo_does_not_block(tmp_path: Path) -> None:
    plain = tmp_path / "a.parquet"
    plain.write_bytes(b"PAR1" * 100)
    fifo = tmp_path / "pijp.parquet"
    os.mkfifo(fifo)
    (tmp_path / "map.parquet").mkdir()
    locked = tmp_path / "dicht.parquet"
    locked.write_bytes(b"x")
    locked.chmod(0)
    paths = [str(p) for p in (plain, fifo, tmp_path / "map.parquet", locked)]
    paths.append(str(tmp_path / "weg.parquet"))
    # In a child process: a FIFO opened without O_NONBLOCK would wait for a writer forever.
    code = "import sys; from bedcap.files.readahead import will_need; will_need(sys.argv[1:])"
    done = subprocess.run([sys.executable, "-c", code, *paths], timeout=30, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert plain.read_bytes() == b"PAR1" * 100  # a hint, nothing written


def test_a_writer_waiting_on_a_fifo_is_not_let_through(tmp_path: Path) -> None:
    """Review of issue 18: opening a FIFO, even through a `*.parquet` symlink, let a writer
    blocked on it go on (and fail). The hint opens only regular files, never via a link."""
    fifo = tmp_path / "pijp"
    os.mkfifo(fifo)
    link = tmp_path / "2026-11-20.parquet"
    link.symlink_to(fifo)
    writer = subprocess.Popen([sys.executable, "-c", f"open({str(fifo)!r}, 'wb').write(b'x')"])
    try:
        time.sleep(1.0)  # the writer is started and waits in its open() of the FIFO
        assert writer.poll() is None
        will_need([str(fifo), str(link)])
        assert list(readahead.read_many([str(fifo), str(link)])) == [None, None]
        with pytest.raises(subprocess.TimeoutExpired):
            writer.wait(timeout=1.0)
    finally:
        writer.kill()
        writer.wait()


def test_both_cold_passes_announce_their_files(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedcap.rules import bulk
    from bedcap.store import decode

    seen: list[list[str]] = []

    def record(paths: object) -> None:
        seen.append(list(paths))  # type: ignore[call-overload]
        will_need(seen[-1])

    class AnnouncedError(Exception):
        """Stops the validation's chunk once it has handed over its files."""

    def record_and_stop(paths: object, **_: object) -> None:
        seen.append(list(paths))  # type: ignore[call-overload]
        raise AnnouncedError

    monkeypatch.setattr(decode, "will_need", record)
    monkeypatch.setattr(bulk, "read_many", record_and_stop)
    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )[:10]
    table, bad = decode.decode_batch(str(example), rels)
    assert bad == [] and table.num_rows > 10
    assert seen == [[os.path.join(str(example), rel) for rel in rels]]
    from bedcap.files.repo import classify

    with pytest.raises(AnnouncedError):
        bulk.check_chunk(example, [classify(rel) for rel in rels], None)
    assert seen[1] == [os.path.join(example, rel) for rel in rels]


def test_read_many_opens_a_batch_and_announces_it_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18, eighth pass: each file is opened once; the kernel hears of a whole batch
    before the first of it is read, and what is no regular file is None, unopened."""
    plain = []
    for i in range(7):
        path = tmp_path / f"{i}.parquet"
        path.write_bytes(b"PAR1" * (i + 1))
        plain.append(path)
    fifo = tmp_path / "pijp.parquet"
    os.mkfifo(fifo)
    link = tmp_path / "link.parquet"
    link.symlink_to(plain[0])
    (tmp_path / "map.parquet").mkdir()
    odd = [fifo, link, tmp_path / "map.parquet", tmp_path / "weg.parquet"]
    paths = [str(p) for p in [*plain[:2], *odd, *plain[2:]]]
    events: list[str] = []
    advise, read = os.posix_fadvise, os.read

    def advising(fd: int, offset: int, length: int, how: int) -> None:
        events.append("advise")
        advise(fd, offset, length, how)

    def reading(fd: int, size: int) -> bytes:
        events.append("read")
        return read(fd, size)

    monkeypatch.setattr(readahead.os, "posix_fadvise", advising)
    monkeypatch.setattr(readahead.os, "read", reading)
    got = list(readahead.read_many(paths, batch=4))
    monkeypatch.undo()
    assert [g if g is None else g.data for g in got] == [
        b"PAR1",
        b"PAR1" * 2,
        None,
        None,
        None,
        None,
        *(b"PAR1" * (i + 1) for i in range(2, 7)),
    ]
    assert got[0] is not None and (got[0].grootte, got[0].mtime_ns) == (
        plain[0].stat().st_size,
        plain[0].stat().st_mtime_ns,
    )
    # batches of four paths: [0, 1, fifo, link], [map, weg, 2, 3], [4, 5, 6]
    assert events == ["advise"] * 2 + ["read"] * 2 + ["advise"] * 2 + ["read"] * 2 + (
        ["advise"] * 3 + ["read"] * 3
    )


def test_read_many_closes_what_it_opened_when_stopped_early(tmp_path: Path) -> None:
    paths = []
    for i in range(10):
        (tmp_path / f"{i}").write_bytes(b"x")
        paths.append(str(tmp_path / f"{i}"))
    before = len(os.listdir("/proc/self/fd"))
    reader = readahead.read_many(paths, batch=8)
    assert next(reader) is not None
    assert len(os.listdir("/proc/self/fd")) == before + 7  # the rest of the batch, open
    reader.close()
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_file_that_grew_after_its_stat_is_read_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "groeit.parquet"
    path.write_bytes(b"a" * 100)
    fd = os.open(path, os.O_RDONLY)
    st = os.fstat(fd)
    with path.open("ab") as handle:
        handle.write(b"b" * 3_000_000)
    got = readahead._read((fd, st), None)
    assert got is not None and got.data == b"a" * 100 + b"b" * 3_000_000
    with pytest.raises(OSError):
        os.fstat(fd)  # closed


def test_a_failing_hint_does_not_lose_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: a file system that refuses `fadvise` made every file unreadable (and so
    never remembered by the result cache). The hint is only a hint."""
    path = tmp_path / "a.parquet"
    path.write_bytes(b"PAR1")

    def refuse(*_: object) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(readahead.os, "posix_fadvise", refuse)
    got = list(readahead.read_many([str(path)]))
    assert got[0] is not None and got[0].data == b"PAR1"


def test_out_of_descriptors_the_rest_of_a_batch_is_read_one_by_one(tmp_path: Path) -> None:
    """Review: with few descriptors a batch could not be opened whole, and its rest came
    back as unreadable. Here a child may hold 40 descriptors and reads 300 files."""
    for i in range(300):
        (tmp_path / f"{i}").write_bytes(b"%d" % i)
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40));"
        "from bedcap.files.readahead import read_many;"
        "paths = [f'{sys.argv[1]}/{i}' for i in range(300)];"
        "got = list(read_many(paths));"
        "assert [g.data for g in got] == [b'%d' % i for i in range(300)], got;"
        "print('ok')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "ok", done.stderr
