"""The read-ahead hint of the cold passes (issue 18): it never blocks or fails, whatever
sits at a path, and both cold passes give it their files before reading them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
        """Stops the validation's chunk once it has announced its files."""

    def record_and_stop(paths: object) -> None:
        seen.append(list(paths))  # type: ignore[call-overload]
        raise AnnouncedError

    monkeypatch.setattr(decode, "will_need", record)
    monkeypatch.setattr(bulk, "will_need", record_and_stop)
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
