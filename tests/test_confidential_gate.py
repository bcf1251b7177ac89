"""The gate on confidential files (issue 15): real keys, signed commits, a bare remote with
the hook. Every refusal is seen by `bedcap check --base --head` and by `git push`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedcap.files import agefile
from tests.conftest import PROVIDER, date_commits, git, invoke, ssh_keygen
from tests.test_confidential import FIN, FIN_AGE, OTHER, Keyed, make_keyed
from tests.test_gate import LCBB_EMAIL, Gate, email_of, refused

LCBB_GIT = ["-c", f"user.email={LCBB_EMAIL}", "-c", "user.name=LCBB", "-c", "gpg.format=ssh"]


@pytest.fixture
def sealed_gate(
    example: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> tuple[Gate, Keyed]:
    """The keyed example committed by the LCBB, a bare remote with the hook, a clone."""
    date_commits(monkeypatch)  # commits dated at the gate's "now" (BEDCAP_VANDAAG)
    keyed = make_keyed(example, tmp_path)
    git(example, "init", "-q", "-b", "main")
    lcbb = [*LCBB_GIT, "-c", f"user.signingkey={keyed.keys['lcbb']}"]
    git(example, *lcbb, "add", "-A")
    git(example, *lcbb, "commit", "-q", "-S", "-m", "beginstand")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(example), str(remote)], check=True)
    assert invoke(runner, "hook", "install", str(remote)).exit_code == 0
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(remote), str(work)], check=True)
    base = git(work, "rev-parse", "HEAD").strip()
    return Gate(work, remote, keyed.keys, base), keyed


def act_as(work: Path, org: str, key: Path) -> None:
    """Configure the clone as `org`'s maintainer, signing with `key`."""
    for name, value in (
        ("user.email", email_of(org)),
        ("user.name", org),
        ("gpg.format", "ssh"),
        ("user.signingkey", str(key)),
        ("bedcap.aanbieder", org),
    ):
        git(work, "config", name, value)


def plaintext(gate: Gate, rel: str, org: str = PROVIDER) -> bytes:
    plain = agefile.decrypt(
        (gate.work / rel).read_bytes(), agefile.load_identities([gate.keys[org]])
    )
    assert plain is not None
    return plain


def test_financiering_submit_is_one_signed_path_the_hook_accepts(
    sealed_gate: tuple[Gate, Keyed], runner: CliRunner, tmp_path: Path
) -> None:
    gate, keyed = sealed_gate
    act_as(gate.work, PROVIDER, gate.keys[PROVIDER])
    source = tmp_path / "mijn-financiering.yaml"
    source.write_bytes(plaintext(gate, FIN_AGE).replace(b"zvw: 599", b"zvw: 600"))
    result = invoke(runner, "financiering", "submit", str(source), cwd=gate.work)
    assert result.exit_code == 0, result.stderr
    head = git(gate.work, "rev-parse", "HEAD").strip()
    assert git(gate.remote, "rev-parse", "main").strip() == head  # through the hook
    assert git(gate.work, "show", "--name-only", "--format=", "HEAD").split() == [FIN_AGE]
    assert "gpgsig -----BEGIN SSH SIGNATURE" in git(gate.work, "cat-file", "commit", "HEAD")
    assert b"zvw: 600" in plaintext(gate, FIN_AGE, "lcbb")
    exit_code, report = gate.check(runner)
    assert exit_code == 0, report["bevindingen"]


def test_plaintext_confidential_file_is_refused(
    sealed_gate: tuple[Gate, Keyed], runner: CliRunner
) -> None:
    gate, _ = sealed_gate
    (gate.work / FIN).write_bytes(plaintext(gate, FIN_AGE))
    (gate.work / FIN_AGE).unlink()
    gate.commit("financiering in klaartekst")
    refused(gate, runner, "vertrouwelijk-onversleuteld", None, FIN)


def test_file_encrypted_to_the_wrong_recipients_is_refused(
    sealed_gate: tuple[Gate, Keyed], runner: CliRunner
) -> None:
    gate, keyed = sealed_gate
    to = [keyed.public[PROVIDER], keyed.public[OTHER]]  # a competitor instead of the LCBB
    (gate.work / FIN_AGE).write_bytes(agefile.encrypt(plaintext(gate, FIN_AGE), to))
    gate.commit("financiering naar de verkeerde sleutels")
    refused(gate, runner, "ontvangers-wijken-af", None, FIN_AGE)
    exit_code, report = gate.check(runner)
    melding = next(p["melding"] for p in report["bevindingen"] if p["bestand"] == FIN_AGE)
    assert email_of(OTHER) in melding and LCBB_EMAIL in melding


def test_key_added_in_the_same_change_is_refused(
    sealed_gate: tuple[Gate, Keyed], runner: CliRunner, tmp_path: Path
) -> None:
    gate, keyed = sealed_gate
    _, new = ssh_keygen(tmp_path / "keys", "nieuw")
    path = gate.work / "data/deelnemers.yaml"
    text = path.read_text(encoding="utf-8")
    own = f"      - email: {email_of(PROVIDER)}\n        signing_key: {keyed.public[PROVIDER]}\n"
    assert own in text
    path.write_text(
        text.replace(
            own, own + f"      - email: nieuw@{PROVIDER}.example\n        signing_key: {new}\n"
        ),
        encoding="utf-8",
    )
    gate.commit("nieuwe sleutel", as_="lcbb")
    to = [keyed.public[PROVIDER], new, keyed.public["lcbb"]]  # as the head's registry says
    (gate.work / FIN_AGE).write_bytes(agefile.encrypt(plaintext(gate, FIN_AGE), to))
    gate.commit("financiering, ook naar de nieuwe sleutel")
    refused(gate, runner, "ontvangers-wijken-af", None, FIN_AGE)


def state(runner: CliRunner, root: Path) -> tuple[int, list[dict]]:
    result = invoke(runner, "check", "--peildatum", "2021-06-30", "--format", "json", cwd=root)
    assert "Traceback" not in result.output
    found = json.loads(result.stdout)["bevindingen"]
    return result.exit_code, [p for p in found if p["ernst"] == "fout"]


def test_key_rotation_lists_then_rekeys_in_one_signed_commit(
    sealed_gate: tuple[Gate, Keyed], runner: CliRunner, tmp_path: Path
) -> None:
    gate, keyed = sealed_gate
    code, found = state(runner, gate.work)
    assert code == 0, found
    new_key, new = ssh_keygen(tmp_path / "keys", "nieuw")
    path = gate.work / "data/deelnemers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(keyed.public[PROVIDER], new))
    gate.commit("sleutel van noorderzand vervangen", as_="lcbb")
    assert gate.push().returncode == 0
    code, found = state(runner, gate.work)
    stale = sorted(p["bestand"] for p in found if p["code"] == "ontvangers-verouderd")
    assert code == 1 and stale == [
        FIN_AGE,
        *(f"data/logboek/2021-0{m}/{PROVIDER}.yaml.age" for m in (4, 5, 6)),
    ]
    act_as(gate.work, "lcbb", gate.keys["lcbb"])
    git(gate.work, "config", "user.email", LCBB_EMAIL)
    before = git(gate.work, "rev-parse", "HEAD").strip()
    result = invoke(runner, "herversleutel", "--identiteit", str(gate.keys["lcbb"]), cwd=gate.work)
    assert result.exit_code == 0, result.stderr
    assert git(gate.work, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    changed = git(gate.work, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == stale
    assert (
        git(gate.remote, "rev-parse", "main").strip() == git(gate.work, "rev-parse", "HEAD").strip()
    )
    assert state(runner, gate.work) == (0, [])
    ids = agefile.load_identities([new_key])
    assert agefile.decrypt((gate.work / FIN_AGE).read_bytes(), ids) is not None
    old = agefile.load_identities([gate.keys[PROVIDER]])
    assert agefile.decrypt((gate.work / FIN_AGE).read_bytes(), old) is None


def test_a_provider_cannot_use_the_lcbbs_rekeying_right(
    sealed_gate: tuple[Gate, Keyed], runner: CliRunner
) -> None:
    gate, keyed = sealed_gate
    rel = f"data/financiering/2021Q2/{OTHER}.yaml.age"
    forged = agefile.encrypt(b"aanbieder: x\n", [keyed.public[OTHER], keyed.public["lcbb"]])
    (gate.work / rel).write_bytes(forged)
    sha = gate.commit("financiering van een ander overschrijven")
    refused(gate, runner, "pad-van-ander", sha, rel)


def test_migration_turns_plaintext_into_age_in_one_commit(
    example: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import unseal_all

    date_commits(monkeypatch)  # commits dated at the gate's "now" (BEDCAP_VANDAAG)

    keyed = make_keyed(example, tmp_path)
    plain = unseal_all(example, [keyed.keys["lcbb"]])
    assert len(plain) == 16
    git(example, "init", "-q", "-b", "main")
    lcbb = [*LCBB_GIT, "-c", f"user.signingkey={keyed.keys['lcbb']}"]
    git(example, *lcbb, "add", "-A")
    git(example, *lcbb, "commit", "-q", "-S", "-m", "oude stand, klaartekst")
    act_as(example, "lcbb", keyed.keys["lcbb"])
    git(example, "config", "user.email", LCBB_EMAIL)
    code, found = state(runner, example)
    assert code == 1 and {p["code"] for p in found} == {"vertrouwelijk-onversleuteld"}
    result = invoke(runner, "herversleutel", "--migreer", "--no-push", cwd=example)
    assert result.exit_code == 0, result.stderr
    changed = git(example, "show", "--name-status", "--format=", "HEAD").splitlines()
    assert sorted(changed) == sorted(
        [f"D\t{rel}" for rel in plain] + [f"A\t{rel}.age" for rel in plain]
    )
    assert git(example, "status", "--porcelain").strip() == ""
    assert not [p for p in plain if (example / p).exists()]
    check = invoke(runner, "check", "--base", "HEAD~1", "--head", "HEAD", cwd=example)
    assert check.exit_code == 0, check.stdout
    assert state(runner, example) == (0, [])
