"""Issue 13, class 10: a read-only checkout, for real.

The checkout is bind-mounted onto itself read-only in a private mount namespace
(`unshare -m`, then `mount --bind` and `mount -o remount,ro,bind`), so every write bedcap
tries fails with EROFS, as on a mounted snapshot or a shared read-only folder. Questions
are still answered (without the cache); what must write ends in one Dutch line, exit 3,
no traceback, nothing changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ENV, PROVIDER, git, tree_digest

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")


def readonly(
    root: Path, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`bedcap ARGS` in `cwd` (default `root`) while `root` is mounted read-only."""
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && cd "$1" && shift && '
    script += 'exec "$@"'
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(root), str(cwd or root),
         sys.executable, "-m", "bedcap", *args],
        capture_output=True, text=True, env=env or {**os.environ, **ENV},
    )  # fmt: skip
    assert "mount:" not in done.stderr and "unshare:" not in done.stderr, done.stderr
    return done


def one_dutch_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Fout:")]
    assert len(errors) == 1, done.stderr
    for word in words:
        assert word in " ".join(done.stderr.split()), (word, done.stderr)


def test_the_mount_is_really_read_only(example: Path) -> None:
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c",
         'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && touch "$0/x"', str(example)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert probe.returncode != 0 and "Read-only file system" in probe.stderr, probe.stderr
    assert not (example / "x").exists()


@pytest.mark.parametrize("cache", ["none", "warm"])
def test_questions_are_answered_without_the_cache(example_git: Path, cache: str) -> None:
    root = example_git
    if cache == "warm":  # a cache from before the checkout became read-only
        question = ["history", "--van", "2021-06-30", "--tot", "2021-06-30", "--naar", "regio"]
        for args in (["validate"], question):
            warm = subprocess.run(
                [sys.executable, "-m", "bedcap", *args], cwd=root, capture_output=True,
                text=True, env={**os.environ, **ENV},
            )  # fmt: skip
            assert warm.returncode == 0, warm.stderr
            stale = warm.stdout
        # a snapshot the cache has seen is gone: the answer must come from the files
        (root / f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet").unlink()
    before = tree_digest(root, exclude=())
    for args in (
        ["validate"],
        ["available"],
        ["history", "--van", "2021-05-01", "--tot", "2021-05-31"],
    ):
        done = readonly(root, *args)
        assert done.returncode == 0, (args, done.stdout + done.stderr)
        assert "Traceback" not in done.stderr and done.stdout.strip(), args
    assert tree_digest(root, exclude=()) == before
    assert (root / ".bedcap").exists() == (cache == "warm")
    question = ["history", "--van", "2021-06-30", "--tot", "2021-06-30", "--naar", "regio"]
    answer = readonly(root, *question).stdout
    fresh = subprocess.run(
        [sys.executable, "-m", "bedcap", *question, "--geen-cache"], cwd=root,
        capture_output=True, text=True, env={**os.environ, **ENV},
    )  # fmt: skip
    assert answer == fresh.stdout != ""
    if cache == "warm":
        assert answer != stale  # the file the cache still holds is gone from the answer


def test_report_and_dashboard_write_outside_but_not_inside(example: Path, tmp_path: Path) -> None:
    before = tree_digest(example, exclude=())
    inside = readonly(example, "report", "--kwartaal", "2021Q2", "--format", "md",
                      "--uit", str(example / "r.md"))  # fmt: skip
    one_dutch_line(inside, "r.md", "alleen-lezen", "niets half geschreven")
    inside = readonly(example, "dashboard", "--uit", str(example / "site"))
    one_dutch_line(inside, "site", "alleen-lezen")
    inside = readonly(example, "report", "--kwartaal", "2021Q2", "--format", "csv",
                      "--uit", str(example / "csv"))  # fmt: skip
    one_dutch_line(inside, "csv", "alleen-lezen")
    assert tree_digest(example, exclude=()) == before
    outside = readonly(example, "report", "--kwartaal", "2021Q2", "--format", "md",
                       "--uit", str(tmp_path / "r.md"))  # fmt: skip
    assert outside.returncode == 0, outside.stderr
    assert "Kerncijfers" in (tmp_path / "r.md").read_text(encoding="utf-8")
    site = readonly(example, "dashboard", "--uit", str(tmp_path / "site"))
    assert site.returncode == 0, site.stderr
    assert (tmp_path / "site/index.html").is_file()
    assert tree_digest(example, exclude=()) == before


def test_init_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "leeg"
    folder.mkdir()
    for target in (folder, folder / "sub/nieuw"):
        done = readonly(folder, "init", str(target), cwd=tmp_path)
        one_dutch_line(done)
        assert "alleen-lezen" in done.stderr or "Read-only" in done.stderr, done.stderr
    assert list(folder.iterdir()) == []


def test_init_under_a_file_size_limit_leaves_nothing(tmp_path: Path) -> None:
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))  # git init fits, a schema not

    for target in (tmp_path / "nieuw", tmp_path / "leeg"):
        if target.name == "leeg":
            target.mkdir()
        done = subprocess.run(
            [sys.executable, "-m", "bedcap", "init", str(target)], capture_output=True,
            text=True, env={**os.environ, **ENV}, preexec_fn=cap,  # noqa: PLW1509
        )  # fmt: skip
        one_dutch_line(done, "schema.json", "groter dan toegestaan", "niets half geschreven")
        assert target.exists() == (target.name == "leeg")
        assert not target.exists() or list(target.iterdir()) == []


def test_submit_in_a_read_only_checkout(provider: tuple[Path, Path], tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    work, remote = provider
    rows = pq.read_table(work / f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet").to_pylist()
    columns = ["locatie", "afdeling", "zorgtype", "capaciteit", "bezet", "beschikbaar",
               "gereserveerd", "buiten_gebruik"]  # fmt: skip
    csv = tmp_path / "vandaag.csv"
    csv.write_text(
        "\n".join([",".join(columns)] + [",".join(str(r[c]) for c in columns) for r in rows])
        + "\n",
        encoding="utf-8",
    )
    head = git(remote, "rev-parse", "main")
    before = tree_digest(work, exclude=())
    for extra in ([], ["--no-push"]):
        done = readonly(work, "submit", str(csv), *extra)
        one_dutch_line(done, "alleen-lezen")
    assert tree_digest(work, exclude=()) == before
    assert git(remote, "rev-parse", "main") == head


def test_the_logbook_on_a_read_only_disk(tmp_path: Path) -> None:
    """Adding needs a writable logbook; listing (and so exporting) reads it as it is."""
    folder = tmp_path / "prive"
    env = {**os.environ, **ENV, "BEDCAP_LOGBOEK": str(folder / "logboek.sqlite")}
    add = ["logbook", "add", "--aanbieder", PROVIDER, "--locatie", "kliniek-kroonstede",
           "--datum", "2021-06-03", "--uitkomst", "geweigerd", "--reden", "geen_bed",
           "--niveau", "3"]  # fmt: skip
    first = subprocess.run([sys.executable, "-m", "bedcap", *add], capture_output=True,
                           text=True, env=env)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = tree_digest(folder, exclude=())
    again = readonly(folder, *add, env=env)
    one_dutch_line(again, "logboek.sqlite", "alleen-lezen")
    listed = readonly(folder, "logbook", "list", "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert [r["datum"] for r in json.loads(listed.stdout)] == ["2021-06-03"]
    env["BEDCAP_LOGBOEK"] = str(folder / "nieuw/logboek.sqlite")
    empty = readonly(folder, "logbook", "list", "--format", "json", env=env)
    assert empty.returncode == 0 and json.loads(empty.stdout) == [], empty.stderr
    assert tree_digest(folder, exclude=()) == before
    assert not (folder / "nieuw").exists()
