"""Issue 13: more attacks of the same classes, found by asking "what else of this kind".

Each runs both ways, as in `test_gate_attacks`: `bedcap check --base/--head` and a real
push to the bare remote with the installed hook.
"""

from __future__ import annotations

import subprocess

import pytest
from typer.testing import CliRunner

from tests import test_gate
from tests.conftest import PROVIDER, git
from tests.test_gate import OTHER, Gate, add_snapshot, edit_location, location
from tests.test_gate_attacks import (
    MAIN,
    assert_refused,
    check_range,
    errors,
    merge_commit,
    push,
    refs_of,
    revoke_provider_key,
    signed,
    tree_with,
)

gate = test_gate.gate


@pytest.mark.parametrize(
    "rel",
    [
        ".gitattributes",
        "schemas/locatie.schema.json",
        "data/bedcap.toml",
        ".github/workflows/stil.yml",
        "README.md",
        f"data/Snapshots/{PROVIDER}/2021/2021-07-01.parquet",
        f"data/snapshots/{PROVIDER}/2021/2021-07-01.PARQUET",
        "data/snapshots/voorbeeld-ggz-noorderzand\u200b/2021/2021-07-01.parquet",
    ],
)
def test_a_provider_cannot_write_outside_its_own_paths(
    gate: Gate, runner: CliRunner, rel: str
) -> None:
    path = gate.work / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_bytes() if path.exists() else b""
    path.write_bytes(old + b"\n# stil erbij\n")
    sha = gate.commit("buiten het eigen pad")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1, report
    before = refs_of(gate.remote)
    pushed = gate.push()
    assert_refused(pushed, before, gate.remote, sha[:12])


def test_one_bad_ref_in_a_push_refuses_the_whole_push(gate: Gate) -> None:
    edit_location(gate.work, PROVIDER)
    gate.commit("eigen, geldig")
    before = refs_of(gate.remote)
    pushed = push(gate.work, "HEAD:main", "HEAD:refs/replace/" + gate.base)
    assert_refused(pushed, before, gate.remote, "refs/replace/")


def test_a_tag_object_on_main_is_refused(gate: Gate) -> None:
    edit_location(gate.work, PROVIDER)
    sha = gate.commit("eigen")
    tag = git(gate.work, *signed(gate, PROVIDER), "tag", "-a", "-m", "t", "t1", sha)
    del tag
    before = refs_of(gate.remote)
    pushed = push(gate.work, "t1:" + MAIN)
    assert pushed.returncode != 0 or git(gate.remote, "cat-file", "-t", "main").strip() == "commit"
    if pushed.returncode != 0:
        assert refs_of(gate.remote) == before


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("99999999999999999999999", "ongeldige-waarde"),  # no bound: the snapshot's is moot
        ("1001", "ongeldige-waarde"),
        ("1_5", "ongeldig-type"),
        ("'15'", "ongeldig-type"),
        ("15.0", "ongeldig-type"),
        ("true", "ongeldig-type"),
        ("0x0F", "ongeldig-type"),  # YAML 1.2 hex and octal: read as text, refused
        ("0o17", "ongeldig-type"),
    ],
)
def test_a_wards_nominal_capacity_is_a_plain_bounded_number(
    gate: Gate, runner: CliRunner, value: str, code: str
) -> None:
    rel = location(PROVIDER)
    path = gate.work / rel
    text = path.read_text(encoding="utf-8")
    old = next(ln for ln in text.splitlines() if ln.strip().startswith("capaciteit:"))
    path.write_text(text.replace(old, old.split(":")[0] + f": {value}", 1), encoding="utf-8")
    sha = gate.commit("nominale capaciteit")
    status, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert status == 1
    found = [p for p in report["bevindingen"] if p["code"] == code and p["bestand"] == rel]
    assert found and found[0]["veld"].endswith(".capaciteit"), report["bevindingen"]
    before = refs_of(gate.remote)
    pushed = gate.push()
    assert_refused(pushed, before, gate.remote, code, sha[:12], rel)


@pytest.mark.parametrize(
    "rel",
    [
        ".bedcap/hoofdlijn.bin",
        ".bedcap/cache.duckdb",
        ".bedcap",  # a file where every clone keeps its caches
        ".BEDCAP/hoofdlijn.bin",  # the same folder where case folds (macOS, Windows)
        ".bed\u200ccap/hoofdlijn.bin",  # HFS+ ignores the zero-width non-joiner
        "BEDCAP~1/hoofdlijn.bin",  # Windows' short name of .bedcap
        ".bedcap./hoofdlijn.bin",  # Windows drops trailing dots
    ],
)
def test_a_derived_file_is_refused_even_from_the_lcbb(
    gate: Gate, runner: CliRunner, rel: str
) -> None:
    """`.bedcap/` holds one clone's caches: a tracked copy would be checked out in every
    clone and answer for it (a forged first-parent line gave another moment's figures).
    Refused whoever signs; removing one is allowed."""
    path = gate.work / rel
    if path.is_dir():
        path = path / "x"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"vervalst\n")
    git(gate.work, "add", "-f", str(path.relative_to(gate.work)))
    sha = gate.commit("afgeleid bestand erbij", as_="lcbb")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1, report
    assert errors(report) == {
        ("afgeleid-bestand", sha[:12], path.relative_to(gate.work).as_posix())
    }
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, sha[:12])
    git(gate.work, "rm", "-q", str(path.relative_to(gate.work)))
    gate.commit("weer weg", as_="lcbb")
    code, report = check_range(runner, gate.work, sha, "HEAD")
    assert code == 0, report


@pytest.mark.parametrize("first", ["oud", "nieuw"], ids=["oude-eerste-ouder", "oude-tweede-ouder"])
def test_a_merge_that_brings_back_old_content_is_refused_whichever_parent_is_old(
    gate: Gate, runner: CliRunner, first: str
) -> None:
    """A merge with an old ancestor as a parent, first or second, and a tree that brings
    back the old registry (the revoked key) and drops another provider's snapshot: the
    brought-back and the dropped path each differ from one parent only."""
    rel = add_snapshot(gate.work, OTHER, "2021-07-01")
    gate.commit("westerduin 1 juli", as_=OTHER)
    tip, old = revoke_provider_key(gate)
    tree = tree_with(gate, tip, put=("100644", old, "data/deelnemers.yaml"))
    git(gate.work, "read-tree", tree)
    git(gate.work, "rm", "-q", "--cached", rel)
    tree = git(gate.work, "write-tree").strip()
    parents = [gate.base, tip] if first == "oud" else [tip, gate.base]
    gate.keys[PROVIDER] = gate.keys["nieuw"]  # signed with the provider's current key
    merge = merge_commit(gate, tree, parents, org=PROVIDER)
    code, report = check_range(runner, gate.work, tip, "HEAD")
    assert code == 1, report
    found = errors(report)
    assert ("pad-van-ander", merge[:12], "data/deelnemers.yaml") in found
    assert ("pad-van-ander", merge[:12], rel) in found
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, merge[:12], MAIN)


@pytest.mark.parametrize("part", [".", ".git", ".GIT"])
def test_a_tree_git_would_not_check_out_is_refused(
    gate: Gate, runner: CliRunner, part: str
) -> None:
    """A hand-made tree with an entry `.` or `.git` at the top: git takes the push, but
    every fresh clone fails to check it out (or would write into its own `.git`)."""

    def run(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            ["git", *args], cwd=gate.work, input=stdin, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    blob = run("hash-object", "-w", "--stdin", stdin="vervalst\n")
    inner = run("mktree", stdin=f"100644 blob {blob}\thoofdlijn.bin\n")
    top = run("ls-tree", "HEAD") + f"\n040000 tree {inner}\t{part}\n"
    tree = run("mktree", stdin=top)
    sha = run(*signed(gate, "lcbb"), "commit-tree", "-S", "-p", gate.base, "-m", "punt", tree)
    run("update-ref", "HEAD", sha)
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1, report
    assert ("ongeldig-pad", sha[:12], f"{part}/hoofdlijn.bin") in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, sha[:12])
