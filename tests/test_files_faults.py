"""Issue 13, class 10: files and faults.

Every file bedcap writes has the mode the umask gives (0644/0755 under 022), except the
private logbook (0600 in 0700). Faults are injected for real (a file size limit with
RLIMIT_FSIZE; links and files where a folder is expected), never mocked: one Dutch line,
exit 3 (or 2 for a wrong target), nothing half-written. The dashboard is swapped in so
that `index.html` never goes missing.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ENV, PROVIDER, invoke, tree_digest


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def modes(root: Path) -> dict[str, int]:
    """Permission bits of every file and folder below `root` (and of `root`)."""
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        if ".git" in path.relative_to(root).parts:
            continue
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def assert_shared(root: Path) -> None:
    for rel, mode in modes(root).items():
        is_dir = (root / rel).is_dir()
        expected = 0o755 if is_dir else 0o644
        if rel.endswith("hooks/pre-receive"):
            expected = 0o755
        assert mode == expected, (rel, oct(mode))


def test_init_files_follow_the_umask(umask_022: None, runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "init", str(tmp_path / "nieuw"))
    assert result.exit_code == 0, result.output
    assert_shared(tmp_path / "nieuw")


def test_reports_follow_the_umask(
    umask_022: None, runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    for fmt, target in (
        ("md", tmp_path / "r.md"),
        ("csv", tmp_path / "csv"),
        ("xlsx", tmp_path / "r.xlsx"),
    ):
        result = invoke(
            runner, "report", "--kwartaal", "2021Q2", "--format", fmt, "--uit", str(target),
            cwd=example,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    for name in ("r.md", "r.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
    assert_shared(tmp_path / "csv")


def test_dashboard_follows_the_umask_and_is_swapped_in(
    umask_022: None, runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    for _ in range(2):  # a first build, then a rebuild over it
        result = invoke(runner, "dashboard", "--uit", str(site), cwd=example)
        assert result.exit_code == 0, result.output
        assert_shared(site)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dashboard-")]


def test_a_rebuild_never_leaves_the_site_without_index(tmp_path: Path) -> None:
    """A reader polling index.html during 200 swaps never misses it."""
    from bedcap.outputs.sitefiles import _swap

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0")
    missing: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            if not (site / "index.html").exists():
                missing.append(1)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(1, 201):
            new = tmp_path / f".dashboard-{i}"
            new.mkdir()
            (new / "index.html").write_text(str(i))
            _swap(new, site)
            if new.exists():
                import shutil

                shutil.rmtree(new)
    finally:
        stop.set()
        thread.join()
    assert (site / "index.html").read_text() == "200"
    assert missing == []


def test_submitted_snapshot_and_generated_files_follow_the_umask(
    umask_022: None, provider: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    work, _ = provider
    result = invoke(
        runner, "submit", "--ongewijzigd", "--datum", "2021-07-01", "--no-push", cwd=work
    )
    assert result.exit_code == 0, result.output
    snapshot = work / f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o644
    signers = tmp_path / "allowed_signers"
    assert invoke(runner, "access", "signers", "--uit", str(signers), cwd=work).exit_code == 0
    assert stat.S_IMODE(signers.stat().st_mode) == 0o644


def test_logbook_is_private(umask_022: None, runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "prive" / "map" / "logboek.sqlite"
    result = invoke(
        runner, "logbook", "add", "--logboek", str(book), "--locatie", "kliniek-kroonstede",
        "--uitkomst", "geweigerd", "--reden", "geen_bed", "--datum", "2021-06-30",
        "--aanbieder", PROVIDER,
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    assert stat.S_IMODE(book.stat().st_mode) == 0o600
    assert stat.S_IMODE(book.parent.stat().st_mode) == 0o700


def test_logbook_refuses_a_link_into_a_repository(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    inside = example / "logboek.sqlite"
    link = tmp_path / "logboek.sqlite"
    link.symlink_to(inside)
    before = tree_digest(example)
    result = invoke(runner, "logbook", "list", "--logboek", str(link))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "datarepository" in result.stderr
    assert tree_digest(example) == before and not inside.exists()


@pytest.mark.parametrize("kind", ["file", "symlink", "dotdot-into-data"])
def test_unsafe_output_targets_are_refused(
    runner: CliRunner, example: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "file":
        target = tmp_path / "bestaat.txt"
        target.write_text("niet overschrijven")
    elif kind == "symlink":
        target = tmp_path / "link"
        target.symlink_to(example / "data")
    else:
        target = tmp_path / ".." / tmp_path.name / "repo" / "elders" / ".." / "data" / "site"
    before = tree_digest(example)
    for args in (
        ("dashboard", "--uit", str(target)),
        ("report", "--kwartaal", "2021Q2", "--format", "csv", "--uit", str(target)),
    ):
        result = invoke(runner, *args, cwd=example)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and result.stderr.strip()
    assert tree_digest(example) == before
    if kind == "file":
        assert target.read_text() == "niet overschrijven"


def _run_limited(args: list[str], cwd: Path, limit: int) -> subprocess.CompletedProcess[str]:
    """bedcap in a child process whose files may not grow beyond `limit` bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "bedcap", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        preexec_fn=cap,  # noqa: PLW1509 - the fault must be real, in the child only
    )


def test_a_file_size_limit_gives_a_dutch_error_and_leaves_nothing(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    done = _run_limited(["access", "signers", "--uit", str(out / "allowed_signers")], example, 64)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "kan " in done.stderr and "niet schrijven" in done.stderr
    assert "groter dan toegestaan" in done.stderr
    assert list(out.iterdir()) == []  # no file, no temporary file


def test_a_file_size_limit_during_a_report_leaves_nothing(example: Path, tmp_path: Path) -> None:
    warm = subprocess.run(
        [sys.executable, "-m", "bedcap", "report", "--kwartaal", "2021Q2", "--format", "json",
         "--uit", str(tmp_path / "warm.json")],
        cwd=example, capture_output=True, text=True, env={**os.environ, **ENV},
    )  # fmt: skip
    assert warm.returncode == 0, warm.stderr
    out = tmp_path / "uit"
    out.mkdir()
    done = _run_limited(
        ["report", "--kwartaal", "2021Q2", "--format", "html", "--uit", str(out / "r.html")],
        example,
        4096,
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "niet schrijven" in done.stderr
    assert list(out.iterdir()) == []
