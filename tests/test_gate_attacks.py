"""Issue 13: the gate holds against rewrites, merges, foreign refs, odd file modes and
forged records.

Every attack runs both ways: `bedcap check --base --head` in the clone, and a real
`git push` to a bare remote with the installed hook and keys made by `ssh-keygen`. After a
refused push the remote's refs are exactly as before, and the refusal names the ref, the
commit and the path.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests import test_gate
from tests.conftest import ENV, PROVIDER, gate_moment, git, invoke
from tests.test_gate import OTHER, Gate, add_snapshot, edit_location, location

gate = test_gate.gate  # the fixture: a remote with the hook, keys, a provider's clone

MAIN = "refs/heads/main"


def refs_of(remote: Path) -> str:
    return git(remote, "for-each-ref", "--format=%(refname) %(objectname)")


def check_range(runner: CliRunner, work: Path, base: str, head: str) -> tuple[int, dict]:
    result = invoke(runner, "check", "--base", base, "--head", head, "--format", "json", cwd=work)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


def errors(report: dict) -> set[tuple[str, str | None, str]]:
    return {
        (p["code"], p["commit"], p["bestand"])
        for p in report["bevindingen"]
        if p["ernst"] == "fout"
    }


def push(work: Path, *refspecs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "push", "origin", *refspecs],
        cwd=work,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
    )


def git_alone(remote: Path) -> None:
    """Take the hook away, so git's own guards (set by `hook install`) are tested alone."""
    (remote / "hooks/pre-receive").rename(remote / "hooks/pre-receive.uit")


def hook_alone(remote: Path) -> None:
    """Take away git's own guards, so the hook alone is tested."""
    git(remote, "config", "receive.denyNonFastForwards", "false")
    git(remote, "config", "receive.denyDeletes", "false")


def assert_refused(
    pushed: subprocess.CompletedProcess[str], before: str, remote: Path, *names: str
) -> None:
    assert pushed.returncode != 0, pushed.stderr
    assert "Traceback" not in pushed.stderr
    for name in names:
        assert name in pushed.stderr, (name, pushed.stderr)
    assert refs_of(remote) == before


def signed(gate: Gate, org: str) -> list[str]:
    return [
        "-c",
        f"user.email={test_gate.email_of(org)}",
        "-c",
        f"user.name={org}",
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={gate.keys[org]}",
    ]


def merge_commit(gate: Gate, tree: str, parents: list[str], org: str = PROVIDER) -> str:
    """A signed merge with a hand-made tree (what `git merge -s ours` and friends can make)."""
    args = [arg for p in parents for arg in ("-p", p)]
    sha = git(gate.work, *signed(gate, org), "commit-tree", "-S", *args, "-m", "merge", tree)
    sha = sha.strip()
    git(gate.work, "reset", "-q", "--hard", sha)
    return sha


def tree_with(gate: Gate, rev: str, *, drop: str | None = None, put: tuple | None = None) -> str:
    """The tree of `rev` with one path dropped or one (mode, blob, path) entry put."""
    index = gate.work.parent / "tmp-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}

    def run(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=gate.work, env=env, check=True, capture_output=True, text=True
        ).stdout

    run("read-tree", rev)
    if drop:
        run("rm", "-q", "--cached", drop)
    if put:
        run("update-index", "--add", "--cacheinfo", ",".join(put))
    tree = run("write-tree").strip()
    index.unlink()
    return tree


def set_setting(work: Path, key: str, value: str) -> None:
    """Set one key of data/bedcap.toml, whether or not the file has it yet."""
    path = work / "data/bedcap.toml"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith(key)]
    path.write_text("\n".join([*lines, f"{key} = {value}"]) + "\n", encoding="utf-8")


def accepted_push(gate: Gate) -> str:
    pushed = gate.push()
    assert pushed.returncode == 0, pushed.stderr
    return git(gate.remote, "rev-parse", "main").strip()


# ---- 1. ref updates -------------------------------------------------------------------


def test_hook_install_sets_gits_own_guards(gate: Gate) -> None:
    assert git(gate.remote, "config", "receive.denyNonFastForwards").strip() == "true"
    assert git(gate.remote, "config", "receive.denyDeletes").strip() == "true"


@pytest.mark.parametrize("guards", ["hook", "git"])
def test_force_push_that_rewinds_main_is_refused(
    gate: Gate, runner: CliRunner, guards: str
) -> None:
    edit_location(gate.work, OTHER)
    gate.commit("van westerduin", as_=OTHER)
    tip = accepted_push(gate)
    git(gate.work, "reset", "-q", "--hard", gate.base)
    code, report = check_range(runner, gate.work, tip, "HEAD")
    assert code == 1
    assert ("geen-fast-forward", gate.base[:12], "HEAD") in errors(report)
    (hook_alone if guards == "hook" else git_alone)(gate.remote)
    before = refs_of(gate.remote)
    pushed = push(gate.work, "--force", "HEAD:main")
    if guards == "hook":
        assert_refused(pushed, before, gate.remote, "geen-fast-forward", MAIN, gate.base[:12])
    else:
        assert_refused(pushed, before, gate.remote, "non-fast-forward")


def test_force_push_that_rewrites_main_with_own_valid_commits_is_refused(
    gate: Gate, runner: CliRunner
) -> None:
    rel = add_snapshot(gate.work, OTHER, "2021-07-01")
    gate.commit("westerduin", as_=OTHER)
    tip = accepted_push(gate)
    git(gate.work, "reset", "-q", "--hard", gate.base)
    edit_location(gate.work, PROVIDER)
    own = gate.commit("eigen, op een oude basis")
    code, report = check_range(runner, gate.work, tip, "HEAD")
    assert code == 1 and ("geen-fast-forward", own[:12], "HEAD") in errors(report)
    hook_alone(gate.remote)
    before = refs_of(gate.remote)
    pushed = push(gate.work, "--force", "HEAD:main")
    assert_refused(pushed, before, gate.remote, "geen-fast-forward", MAIN, own[:12])
    assert rel in git(gate.remote, "ls-tree", "-r", "--name-only", "main")


@pytest.mark.parametrize("guards", ["hook", "git"])
def test_deleting_main_is_refused(gate: Gate, guards: str) -> None:
    (hook_alone if guards == "hook" else git_alone)(gate.remote)
    before = refs_of(gate.remote)
    pushed = push(gate.work, ":main")
    names = ("ref-verwijderd", MAIN) if guards == "hook" else ("deletion",)
    assert_refused(pushed, before, gate.remote, *names)


def test_protected_branch_is_configurable(gate: Gate, runner: CliRunner) -> None:
    set_setting(gate.work, "hoofdtak", '"productie"')
    gate.commit("hoofdtak productie", as_="lcbb")
    assert accepted_push(gate)
    before = refs_of(gate.remote)
    pushed = push(gate.work, "HEAD:refs/heads/productie")
    assert pushed.returncode == 0, pushed.stderr  # the protected branch may be created
    hook_alone(gate.remote)
    before = refs_of(gate.remote)
    pushed = push(gate.work, "--force", f"{gate.base}:refs/heads/productie")
    assert_refused(pushed, before, gate.remote, "geen-fast-forward", "refs/heads/productie")


# ---- 2. merges -------------------------------------------------------------------------


def test_merge_that_drops_another_providers_file_is_refused(gate: Gate, runner: CliRunner) -> None:
    rel = add_snapshot(gate.work, OTHER, "2021-07-01")
    gate.commit("westerduin 1 juli", as_=OTHER)
    tip = accepted_push(gate)
    merge = merge_commit(gate, tree_with(gate, tip, drop=rel), [tip, gate.base])
    # git's combined diff hides the path: it equals the second parent.
    cc = git(gate.work, "diff-tree", "-r", "--cc", "--name-only", merge)
    assert rel not in cc
    code, report = check_range(runner, gate.work, tip, "HEAD")
    assert code == 1 and ("pad-van-ander", merge[:12], rel) in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "pad-van-ander", merge[:12], rel, MAIN)


def revoke_provider_key(gate: Gate) -> tuple[str, str]:
    """The LCBB replaces the provider's revoked key and pushes: the new tip, and the blob
    of the registry before (the one that names the old key)."""
    new_key = gate.keys["nieuw"].with_suffix(".pub").read_text().strip()
    test_gate.set_keys(gate.work, {PROVIDER: new_key})
    gate.commit("sleutel vervangen", as_="lcbb")
    tip = accepted_push(gate)
    return tip, git(gate.work, "rev-parse", f"{gate.base}:data/deelnemers.yaml").strip()


def test_merge_that_reverts_the_registry_is_refused(gate: Gate, runner: CliRunner) -> None:
    tip, old = revoke_provider_key(gate)
    tree = tree_with(gate, tip, put=("100644", old, "data/deelnemers.yaml"))
    merge = merge_commit(gate, tree, [tip, gate.base], org=PROVIDER)
    git(gate.work, *signed(gate, PROVIDER), "commit", "--amend", "-q", "-S", "--no-edit")
    merge = git(gate.work, "rev-parse", "HEAD").strip()
    code, report = check_range(runner, gate.work, tip, "HEAD")
    assert code == 1
    found = errors(report)
    assert ("pad-van-ander", merge[:12], "data/deelnemers.yaml") in found or (
        "commit-onbekende-sleutel",
        merge[:12],
        "(commit)",
    ) in found
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, merge[:12], MAIN)


def test_merge_of_own_branch_is_accepted(gate: Gate, runner: CliRunner) -> None:
    git(gate.work, "checkout", "-q", "-b", "eigen")
    edit_location(gate.work, PROVIDER)
    gate.commit("eigen wijziging op een zijtak")
    git(gate.work, "checkout", "-q", "main")
    add_snapshot(gate.work, OTHER, "2021-07-01")
    gate.commit("westerduin", as_=OTHER)
    tip = accepted_push(gate)
    git(gate.work, *signed(gate, PROVIDER), "merge", "-q", "--no-ff", "-S", "-m", "samen", "eigen")
    code, report = check_range(runner, gate.work, tip, "HEAD")
    assert code == 0, report["bevindingen"]
    assert gate.push().returncode == 0


# ---- 3. only the refs we mean ---------------------------------------------------------


def bad_and_good(gate: Gate) -> tuple[str, str]:
    """A commit that edits another provider's file, and an innocent one to stand in for it."""
    edit_location(gate.work, OTHER)
    bad = gate.commit("stiekem")
    git(gate.work, "reset", "-q", "--hard", gate.base)
    edit_location(gate.work, PROVIDER)
    good = gate.commit("onschuldig")
    return bad, good


def test_replace_refs_are_refused_and_never_honoured(gate: Gate, runner: CliRunner) -> None:
    bad, good = bad_and_good(gate)
    git(gate.work, "replace", bad, good)  # the clone now reads `good` wherever `bad` stands
    assert git(gate.work, "rev-parse", f"{bad}^{{tree}}") == git(
        gate.work, "rev-parse", f"{good}^{{tree}}"
    )
    code, report = check_range(runner, gate.work, gate.base, bad)
    assert code == 1 and ("pad-van-ander", bad[:12], location(OTHER)) in errors(report)
    before = refs_of(gate.remote)
    pushed = push(gate.work, f"{bad}:refs/heads/main", f"refs/replace/{bad}")
    assert_refused(pushed, before, gate.remote, "ref-niet-toegestaan", f"refs/replace/{bad}")
    assert "refs/replace" not in refs_of(gate.remote)


def test_replace_refs_already_on_the_server_are_ignored(gate: Gate) -> None:
    bad, good = bad_and_good(gate)
    # A replace ref that reached the server before the hook did: `bad` would read as `good`.
    git(gate.remote, "fetch", "-q", str(gate.work), f"{good}:refs/tmp/good")
    git(gate.remote, "update-ref", f"refs/replace/{bad}", good)
    git(gate.remote, "update-ref", "-d", "refs/tmp/good")
    before = refs_of(gate.remote)
    pushed = push(gate.work, f"{bad}:refs/heads/main")
    assert_refused(pushed, before, gate.remote, "pad-van-ander", bad[:12], location(OTHER), MAIN)


@pytest.mark.parametrize(
    "ref", ["refs/notes/commits", "refs/heads/zijtak", "refs/tags/v1", "refs/pull/1/head"]
)
def test_refs_outside_the_allow_list_are_refused(gate: Gate, ref: str) -> None:
    edit_location(gate.work, PROVIDER)
    sha = gate.commit("eigen")
    before = refs_of(gate.remote)
    pushed = push(gate.work, f"HEAD:{ref}")
    assert_refused(pushed, before, gate.remote, "ref-niet-toegestaan", ref, sha[:12])


def allow_proposals_and_revoke(gate: Gate) -> str:
    """The LCBB allows `refs/heads/voorstel/*` and replaces the provider's key."""
    set_setting(gate.work, "toegestane_refs", '["refs/heads/voorstel/*"]')
    new_key = gate.keys["nieuw"].with_suffix(".pub").read_text().strip()
    test_gate.set_keys(gate.work, {PROVIDER: new_key})
    gate.commit("voorstellen toegestaan; sleutel vervangen", as_="lcbb")
    return accepted_push(gate)


def test_new_ref_is_judged_against_the_registry_at_the_tip(gate: Gate) -> None:
    allow_proposals_and_revoke(gate)
    git(gate.work, "checkout", "-q", "-b", "oud", gate.base)  # forked before the revocation
    edit_location(gate.work, PROVIDER)
    sha = gate.commit("met de ingetrokken sleutel")
    before = refs_of(gate.remote)
    pushed = push(gate.work, "HEAD:refs/heads/voorstel/oud")
    assert_refused(
        pushed, before, gate.remote, "commit-onbekende-sleutel", sha[:12], "refs/heads/voorstel/oud"
    )


def test_allowed_new_ref_with_a_current_key_is_accepted(gate: Gate) -> None:
    allow_proposals_and_revoke(gate)
    edit_location(gate.work, PROVIDER)
    gate.commit("met de nieuwe sleutel", key="nieuw")
    pushed = push(gate.work, "HEAD:refs/heads/voorstel/nieuw")
    assert pushed.returncode == 0, pushed.stderr
    assert "refs/heads/voorstel/nieuw" in refs_of(gate.remote)


# ---- 4. only plain files in the data --------------------------------------------------


def test_gitlink_under_data_is_refused(gate: Gate, runner: CliRunner) -> None:
    rel = f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
    git(gate.work, "update-index", "--add", "--cacheinfo", f"160000,{gate.base},{rel}")
    git(gate.work, *signed(gate, PROVIDER), "commit", "-q", "-S", "-m", "submodule als snapshot")
    sha = git(gate.work, "rev-parse", "HEAD").strip()
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1 and ("geen-gewoon-bestand", sha[:12], rel) in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "geen-gewoon-bestand", sha[:12], rel)


def test_executable_file_under_data_is_refused(gate: Gate, runner: CliRunner) -> None:
    (gate.work / location(PROVIDER)).chmod(0o755)
    sha = gate.commit("uitvoerbaar")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1 and ("geen-gewoon-bestand", sha[:12], location(PROVIDER)) in errors(report)
    before = refs_of(gate.remote)
    assert_refused(
        gate.push(), before, gate.remote, "geen-gewoon-bestand", sha[:12], location(PROVIDER)
    )


def test_symlink_brought_in_by_a_merge_is_refused(gate: Gate, runner: CliRunner) -> None:
    rel = f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=gate.work,
        input="2021-06-30.parquet",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    edit_location(gate.work, OTHER)
    gate.commit("westerduin", as_=OTHER)
    tip = accepted_push(gate)
    merge = merge_commit(gate, tree_with(gate, tip, put=("120000", blob, rel)), [tip, gate.base])
    code, report = check_range(runner, gate.work, tip, "HEAD")
    assert code == 1 and ("bestand-symlink", merge[:12], rel) in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "bestand-symlink", merge[:12], rel)


def test_validate_reads_file_modes_from_git(runner: CliRunner, example_git: Path) -> None:
    rel = f"data/locaties/{PROVIDER}/kliniek-kroonstede.yaml"
    (example_git / rel).chmod(0o755)
    git(example_git, "add", rel)
    link = f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
    head = git(example_git, "rev-parse", "HEAD").strip()
    git(example_git, "update-index", "--add", "--cacheinfo", f"160000,{head},{link}")
    result = invoke(runner, "validate", "--format", "json", cwd=example_git)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    found = {(p["code"], p["bestand"]) for p in json.loads(result.stdout)["bevindingen"]}
    assert ("geen-gewoon-bestand", rel) in found
    assert ("geen-gewoon-bestand", link) in found


# ---- 5. records that cannot be forged -------------------------------------------------


moment = gate_moment


def snapshot_submitted_at(work: Path, rel: str, when: dt.datetime) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = pq.read_table(work / rel).to_pylist()
    for row in rows:
        row["ingediend_op"] = when.astimezone(dt.UTC)
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(work / rel)), work / rel)


@pytest.mark.parametrize(("shift", "label"), [(-5, "terug"), (+5, "vooruit")])
def test_ingediend_op_must_agree_with_the_commit(
    gate: Gate, runner: CliRunner, shift: float, label: str
) -> None:
    rel = add_snapshot(gate.work, PROVIDER, "2021-07-01")
    snapshot_submitted_at(gate.work, rel, moment(shift))
    sha = gate.commit(f"ingediend_op {label}gezet")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1 and ("ingediend-op-wijkt-af", sha[:12], rel) in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "ingediend-op-wijkt-af", sha[:12], rel)


def snapshot_submitted_raw(work: Path, rel: str, count: int, unit: str) -> None:
    """`ingediend_op` as a raw count of `unit` since 1970, typed UTC, as another writer
    could store it (the contract accepts any unit)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(work / rel)
    kind = pa.timestamp(unit, tz="UTC")
    index = table.schema.get_field_index("ingediend_op")
    values = pa.array([count] * table.num_rows, pa.int64()).cast(kind)
    table = table.set_column(index, pa.field("ingediend_op", kind, nullable=False), values)
    pq.write_table(table, work / rel)


@pytest.mark.parametrize(
    ("label", "unit", "count"),
    [
        # five days back, in nanoseconds, one more than a whole microsecond: Python cannot
        # hold it, and the gate skipped the file's times (a back-dated push went through)
        ("nanoseconde", "ns", None),
        ("na-jaar-9999", "us", 320_000_000_000_000_000),  # a traceback in the hook before
        ("voor-jaar-1", "ms", -(2**62)),
    ],
)
def test_ingediend_op_that_python_cannot_hold_is_still_judged(
    gate: Gate, runner: CliRunner, label: str, unit: str, count: int | None
) -> None:
    rel = add_snapshot(gate.work, PROVIDER, "2021-07-01")
    if count is None:
        count = int(moment(-5).timestamp()) * 1_000_000_000 + 1
    snapshot_submitted_raw(gate.work, rel, count, unit)
    sha = gate.commit(f"ingediend_op {label}")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1 and ("ingediend-op-wijkt-af", sha[:12], rel) in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "ingediend-op-wijkt-af", sha[:12], rel)


def test_commit_time_in_the_future_is_refused(
    gate: Gate, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = add_snapshot(gate.work, PROVIDER, "2021-07-01")
    later = moment(+3)
    snapshot_submitted_at(gate.work, rel, later)
    monkeypatch.setenv("GIT_COMMITTER_DATE", later.isoformat())
    sha = gate.commit("uit de toekomst")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1 and ("commit-in-toekomst", sha[:12], "(commit)") in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "commit-in-toekomst", sha[:12])


def test_backdated_commit_is_refused_by_the_hook(
    gate: Gate, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = add_snapshot(gate.work, PROVIDER, "2021-07-01")
    earlier = moment(-3)
    snapshot_submitted_at(gate.work, rel, earlier)
    monkeypatch.setenv("GIT_COMMITTER_DATE", earlier.isoformat())
    monkeypatch.setenv("GIT_AUTHOR_DATE", earlier.isoformat())
    sha = gate.commit("teruggedateerd")
    code, _ = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 0  # in CI the forge's merge commit is the arrival; nothing to refuse here
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "commit-te-oud", sha[:12], MAIN)


def test_trailer_naming_another_provider_is_refused(gate: Gate, runner: CliRunner) -> None:
    add_snapshot(gate.work, PROVIDER, "2021-07-01")
    sha = gate.commit(
        "snapshot\n\nBedcap-Aanbieder: voorbeeldzorg-westerduin\n"
        "Bedcap-Peildatum: 2021-07-01\nBedcap-Correctie: tikfout\n"
    )
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1 and ("trailer-wijkt-af", sha[:12], "(commit)") in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "trailer-wijkt-af", sha[:12])


def test_first_arrival_is_the_merge_that_brought_the_file(gate: Gate) -> None:
    from bedcap.gate.timeliness import first_arrival, first_arrivals

    git(gate.work, "checkout", "-q", "-b", "zijtak")
    rel = add_snapshot(gate.work, PROVIDER, "2021-07-01")
    branch_commit = gate.commit("op een zijtak")
    git(gate.work, "checkout", "-q", "main")
    edit_location(gate.work, PROVIDER)
    gate.commit("eerst iets anders")
    git(gate.work, *signed(gate, PROVIDER), "merge", "-q", "--no-ff", "-S", "-m", "in", "zijtak")
    merge = git(gate.work, "rev-parse", "HEAD").strip()
    arrival = first_arrival(gate.work, rel, "main")
    assert arrival is not None and arrival.commit == merge != branch_commit
    stamp = int(git(gate.work, "log", "-1", "--format=%ct", merge))
    assert arrival.tijd == dt.datetime.fromtimestamp(stamp, dt.UTC)
    everything = first_arrivals(gate.work, "main")
    assert everything[rel].commit == merge
    old = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"
    assert everything[old].commit == gate.base
    assert first_arrival(gate.work, rel, "zijtak").commit == branch_commit  # type: ignore[union-attr]


# ---- 6. a change leaves main valid ----------------------------------------------------


def test_deleting_own_location_that_recent_snapshots_name_is_refused(
    gate: Gate, runner: CliRunner
) -> None:
    (gate.work / location(PROVIDER)).unlink()
    sha = gate.commit("locatie weg, snapshots verwijzen er nog naar")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1
    broken = {p["bestand"] for p in report["bevindingen"] if p["ernst"] == "fout"}
    recent = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"
    assert recent in broken, report["bevindingen"]
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, recent, MAIN)
    assert sha  # the commit itself is owned and signed: only what it leaves is wrong


def test_deleting_a_registry_is_refused(gate: Gate, runner: CliRunner) -> None:
    (gate.work / "data/regios.yaml").unlink()
    gate.commit("regio's weg", as_="lcbb")
    code, report = check_range(runner, gate.work, gate.base, "HEAD")
    assert code == 1 and ("register-ontbreekt", None, "data/regios.yaml") in errors(report)
    before = refs_of(gate.remote)
    assert_refused(gate.push(), before, gate.remote, "register-ontbreekt", MAIN)


def test_reports_book_a_correction_on_the_owner_of_the_path(gate: Gate) -> None:
    from bedcap.gate.records import corrections

    rel = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"
    snapshot_submitted_at(gate.work, rel, moment())
    gate.commit(
        "correctie\n\nBedcap-Aanbieder: voorbeeldzorg-westerduin\n"
        "Bedcap-Peildatum: 2021-06-29\nBedcap-Correctie: tikfout\n"
    )
    june = (dt.date(2021, 6, 1), dt.date(2021, 6, 30))
    assert corrections(gate.work, *june) == {PROVIDER: 1}
    assert corrections(gate.work, dt.date(2021, 7, 1), dt.date(2021, 7, 31)) == {}
    assert corrections(gate.work.parent / "keys", *june) == {}  # no repository: none known
