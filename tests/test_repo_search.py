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

import pytest

from tests.conftest import ENV
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


@pytest.mark.parametrize("into", ["elders", "eigen", "ander"])
def test_a_path_through_a_linked_provider_folder_is_the_link(
    example: Path, tmp_path: Path, into: str
) -> None:
    """The provider folder links out of the repository, to another provider's folder in
    it, or into another repository: a file under it is judged as the link (whole
    validation's `bestand-symlink`, as the gate says), never as the file it leads to (that
    passed as valid)."""
    folder = example / PROVIDER_DIR
    if into == "eigen":  # the files it leads to are the repository's own, and valid
        target = example / "data/snapshots/andere-naam"
        shutil.move(folder, target)
    elif into == "ander":
        shutil.copytree(example, tmp_path / "ander", symlinks=True)
        target = tmp_path / "ander" / PROVIDER_DIR
        shutil.rmtree(folder)
    else:
        target = tmp_path / "elders"
        shutil.move(folder, target)
    folder.symlink_to(target)
    for asked in (SNAP, PROVIDER_DIR, f"{PROVIDER_DIR}/2021"):
        done = run(example, ["validate", asked])
        _ok(done)
        assert done.returncode == 1, done.stdout + done.stderr
        assert done.stdout.startswith(f"{PROVIDER_DIR}: bestand-symlink"), done.stdout


def test_dotdot_after_a_symlink_is_the_file_the_system_reads(example: Path, tmp_path: Path) -> None:
    """`sprong/../data/…` where `sprong` (beside `data/`, or outside every repository)
    leads into another repository: that one's file, the one `cat` shows, never this
    repository's same-named file. Under `data/` the link itself is the answer."""
    other = tmp_path / "ander"
    shutil.copytree(example, other, symlinks=True)
    location = sorted((other / LOC_DIR).iterdir())[0]
    location.write_text(location.read_text() + "kapot: [\n")
    rel = location.relative_to(other).as_posix()
    (example / "sprong").symlink_to(other / "data")
    (tmp_path / "sprong").symlink_to(other / "data")
    for where in (example, tmp_path):
        done = run(where, ["validate", f"sprong/../{rel}"])
        _ok(done)
        assert done.returncode == 1, done.stdout + done.stderr
        assert any(
            line.startswith(f"{rel}:") and "yaml-syntaxfout" in line
            for line in done.stdout.splitlines()
        ), done.stdout
    assert run(example, ["validate", rel]).returncode == 0  # this repository's own is fine
    (example / "data/sprong").symlink_to(other / "data/locaties")
    done = run(example, ["validate", f"data/sprong/../{rel.removeprefix('data/')}"])
    _ok(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("data/sprong: bestand-symlink"), done.stdout  # the link


def test_a_loop_of_symlinks_is_a_finding_in_any_position(example: Path) -> None:
    (example / "data/locaties/lus").symlink_to("lus")
    for args in (["data/locaties/lus"], [LOC_DIR, "data/locaties/lus"]):
        done = run(example, ["validate", *args])
        _ok(done)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "data/locaties/lus: bestand-symlink" in done.stdout, done.stdout


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
    assert f"ligt niet in de datarepository {example}" in " ".join(done.stderr.split())


def test_a_file_outside_data_is_no_silent_pass(example: Path) -> None:
    """It was counted and never checked: `validate README.md` said FOUT=0."""
    (example / "LEESMIJ.md").write_text("# over deze data\n")
    done = run(example, ["validate", "LEESMIJ.md"])
    _ok(done)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "ligt niet in data/ van de datarepository" in " ".join(done.stderr.split())


def test_a_removed_working_folder_is_said_in_dutch(example: Path, tmp_path: Path) -> None:
    """A checkout can remove the folder the shell stands in: an absolute path still
    works, and without one the line says what happened (it was a traceback)."""
    import subprocess
    import sys

    gone = tmp_path / "weg"
    gone.mkdir()
    code = (
        "import os, sys, runpy; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
        "sys.argv = ['bedcap', *sys.argv[2:]]; runpy.run_module('bedcap', run_name='__main__')"
    )
    for args, rc, said in (
        (["available", "--repo", str(example), "--format", "csv"], 0, ""),
        (["validate", str(example / "data/regios.yaml")], 0, ""),
        (["validate"], 3, "de huidige map bestaat niet meer"),
    ):
        gone.mkdir(exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-c", code, str(gone), *args],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, **ENV},
            timeout=120,
        )
        _ok(done)
        assert done.returncode == rc, done.stdout + done.stderr
        assert said in " ".join(done.stderr.split()), done.stderr


def test_repo_through_a_link_beside_data(example: Path, tmp_path: Path) -> None:
    """A link at the repository's root (outside `data/`) leading to another repository:
    that repository, as `cd` there gives (it was the outer one)."""
    other = tmp_path / "srv/ander"
    shutil.copytree(example, other, symlinks=True)
    (other / "data/regios.yaml").write_text("kapot: [\n")
    (example / "koppelingen").symlink_to(tmp_path / "srv")
    done = run(example, ["validate", "koppelingen/ander/data/regios.yaml"])
    _ok(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("data/regios.yaml:"), done.stdout


def test_a_link_under_data_to_another_repository_is_the_link(example: Path, tmp_path: Path) -> None:
    shutil.copytree(example, tmp_path / "ander", symlinks=True)
    link = example / LOC_DIR / "ander"
    link.symlink_to(tmp_path / "ander")
    for asked in (f"{LOC_DIR}/ander", f"{LOC_DIR}/ander/."):
        done = run(example, ["validate", asked])
        _ok(done)
        assert done.returncode == 1, done.stdout + done.stderr
        assert done.stdout.startswith(f"{LOC_DIR}/ander: bestand-symlink"), done.stdout


def test_a_stray_settings_file_under_data_is_no_root(example: Path) -> None:
    """`data/locaties/<p>/data/bedcap.toml` is an odd file of this repository, not the
    root of another one (the repository's own location files were refused)."""
    stray = example / LOC_DIR / "data/bedcap.toml"
    stray.parent.mkdir()
    stray.write_bytes((example / "data/bedcap.toml").read_bytes())
    own = sorted(p for p in (example / LOC_DIR).iterdir() if p.suffix == ".yaml")[0]
    assert run(example, ["validate", str(own.relative_to(example))]).returncode == 0
    done = run(example, ["validate", f"{LOC_DIR}/data"])
    _ok(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert not (example / LOC_DIR / ".bedcap").exists()  # no cache written inside data/


def test_every_target_is_checked_after_one_for_the_whole(example: Path) -> None:
    for args in (["data", "bestaat-niet.yaml"], [".", "LEESMIJ.md"]):
        (example / "LEESMIJ.md").write_text("# over deze data\n")
        done = run(example, ["validate", *args])
        _ok(done)
        assert done.returncode == 2, done.stdout + done.stderr


def test_an_unusable_name_is_a_dutch_usage_error(example: Path) -> None:
    done = run(example, ["validate", "data/" + "x" * 300])
    _ok(done)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "is geen bruikbaar pad: de naam of het pad is te lang" in " ".join(done.stderr.split())


def test_a_name_that_is_no_utf8_is_a_finding_of_the_whole(example: Path) -> None:
    """Whole validation keyed its static cache on the name and crashed (UnicodeEncodeError)."""
    import os
    import subprocess
    import sys

    source = sorted((example / LOC_DIR).iterdir())[0]
    odd = os.path.join(os.fsencode(example / LOC_DIR), b"\xff.yaml")
    with open(odd, "wb") as handle:
        handle.write(source.read_bytes())
    for _ in range(2):  # and again, from the caches
        done = subprocess.run(
            [sys.executable, "-m", "bedcap", "validate"],
            cwd=example,
            env={**os.environ, **ENV},
            capture_output=True,
            timeout=120,
        )
        out, err = (b.decode("utf-8", "replace") for b in (done.stdout, done.stderr))
        assert "Traceback" not in err, err
        assert done.returncode == 1, out + err
        assert "\ufffd.yaml: ongeldig-pad" in out, out  # the name as stored
