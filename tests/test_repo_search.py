"""Which repository a path names, and which file in it (`DataRepo.find`, `DataRepo.rel`).

A path is read as the system reads it: `..` after a symlink goes where `cat` would go,
and a folder reached through a symlinked folder is the real one. Only a symlink the path
ends in is not followed: a file or folder linked inside a repository is judged there, as
a link. Reviews of the ninth pass of issue 18 found a file outside the repository judged
valid, a silent pass on a path through `..`, a traceback on a loop of links and a nested
repository's file counted but never checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.test_derived_files import run

SNAP = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-04-26.parquet"
PROVIDER_DIR = "data/snapshots/voorbeeld-ggz-noorderzand"
LOC_DIR = "data/locaties/voorbeeld-ggz-noorderzand"


def _ok(done) -> None:  # noqa: ANN001
    assert "Traceback" not in done.stderr, done.stderr


def test_a_path_through_a_symlink_is_judged_in_the_repository_it_names(
    example: Path, tmp_path: Path
) -> None:
    """The repository is found up from the path as given, not from where a symlink leads:
    a snapshot that links out of the repository is a finding of this repository."""
    elders = tmp_path / "elders.parquet"
    elders.write_bytes((example / SNAP).read_bytes())
    (example / SNAP).unlink()
    (example / SNAP).symlink_to(elders)
    done = run(example, ["validate", SNAP])
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{SNAP}: bestand-symlink" in done.stdout, done.stdout


def test_a_repository_reached_through_a_symlinked_folder(example: Path, tmp_path: Path) -> None:
    """`bedcap validate link/data/…`, where `link` leads to the repository: its file, not
    "ligt niet in de datarepository" (the root is the real folder)."""
    (tmp_path / "link").symlink_to(example)
    for target, files in ((f"link/{SNAP}", "BESTANDEN=1"), ("link", "BESTANDEN=")):
        done = run(tmp_path, ["validate", target])
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 0, done.stdout + done.stderr
        assert files in done.stdout.splitlines()[-1], done.stdout


def test_a_path_through_a_symlinked_folder_out_of_the_repository_is_refused(
    example: Path, tmp_path: Path
) -> None:
    """The file read is outside: it is not judged as the repository's (it was, as valid)."""
    shutil.move(example / PROVIDER_DIR, tmp_path / "elders")
    (example / PROVIDER_DIR).symlink_to(tmp_path / "elders")
    done = run(example, ["validate", SNAP])
    _ok(done)
    assert done.returncode == 3, done.stdout + done.stderr
    said = " ".join(done.stderr.split())  # rich wraps the line
    assert f"via een symlink buiten de datarepository {example}" in said, done.stderr
    whole = run(example, ["validate", PROVIDER_DIR])  # the link itself is a finding
    _ok(whole)
    assert whole.returncode == 1, whole.stdout
    assert whole.stdout.startswith(f"{PROVIDER_DIR}: ongeldig-pad"), whole.stdout


def test_dotdot_after_a_symlink_is_the_file_the_system_reads(example: Path, tmp_path: Path) -> None:
    """`sprong/../data/…` where `sprong` leads into another repository: that one's file,
    the one `cat` shows, not this repository's same-named file."""
    other = tmp_path / "ander"
    shutil.copytree(example, other, symlinks=True)
    location = sorted((other / LOC_DIR).iterdir())[0]
    location.write_text(location.read_text() + "kapot: [\n")
    (example / "sprong").symlink_to(other / "data")
    rel = location.relative_to(other).as_posix()
    done = run(example, ["validate", f"sprong/../{rel}"])
    _ok(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert any(
        line.startswith(f"{rel}:") and "yaml-syntaxfout" in line
        for line in done.stdout.splitlines()
    ), done.stdout
    assert run(example, ["validate", rel]).returncode == 0  # this repository's own is fine


def test_a_loop_of_symlinks_is_a_finding_in_any_position(example: Path) -> None:
    (example / "data/locaties/lus").symlink_to("lus")
    for args in (["data/locaties/lus"], [LOC_DIR, "data/locaties/lus"]):
        done = run(example, ["validate", *args])
        _ok(done)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "data/locaties/lus: ongeldig-pad" in done.stdout, done.stdout


def test_repo_as_a_link_to_the_data_folder(example: Path, tmp_path: Path) -> None:
    (tmp_path / "mijn-data").symlink_to(example / "data")
    done = run(tmp_path, ["available", "--repo", "mijn-data", "--format", "csv"])
    _ok(done)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("peildatum,aanbieder"), done.stdout


def test_a_file_of_a_nested_repository_is_no_silent_pass(example: Path, tmp_path: Path) -> None:
    """A target outside `data/` was counted and never checked (FOUT=0)."""
    inner = example / "vendor/binnen"
    shutil.copytree(example / "data", inner / "data", symlinks=True)
    location = sorted((inner / LOC_DIR).iterdir())[0]
    location.write_text("kapot: [\n")
    rel = location.relative_to(example).as_posix()
    done = run(example, ["validate", "data/deelnemers.yaml", rel])
    _ok(done)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "ligt niet in data/ van de datarepository" in done.stderr, done.stderr
