"""Submissions under pressure: 60 providers at once, and a submit killed at any moment."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bedcap.scaffold.demo import Opzet, generate
from tests.conftest import ENV, PROVIDER, git

PROVIDERS = 60


def _env() -> dict[str, str]:
    return {**os.environ, **ENV}


def _csv_from(snapshot: Path) -> str:
    lines = ["locatie;afdeling;zorgtype;bezet;beschikbaar;gereserveerd;buiten_gebruik;capaciteit"]
    for r in pq.read_table(snapshot).to_pylist():
        lines.append(
            ";".join(
                str(r[c])
                for c in (
                    "locatie",
                    "afdeling",
                    "zorgtype",
                    "bezet",
                    "beschikbaar",
                    "gereserveerd",
                    "buiten_gebruik",
                    "capaciteit",
                )
            )
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("landelijk")
    opzet = Opzet(
        tot=dt.date(2021, 6, 30),
        van=dt.date(2021, 6, 24),
        aanbieders=PROVIDERS,
        locaties=PROVIDERS,
        afdelingen=90,
        seed=5,
        stille_aanbieder=False,
        nieuwe_afdeling=False,
        financiering=False,
        logboek=False,
    )
    result = generate(base / "bron", opzet)
    remote = base / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(result.root), str(remote)], check=True)
    providers = sorted(p.name for p in (result.root / "data/locaties").iterdir())
    assert len(providers) == PROVIDERS
    return remote, providers


def test_sixty_providers_push_at_the_same_moment(national, tmp_path: Path) -> None:  # noqa: ANN001
    remote, providers = national
    before = git(remote, "rev-parse", "main").strip()
    procs = []
    for i, provider in enumerate(providers):
        work = tmp_path / f"w{i}"
        subprocess.run(["git", "clone", "-q", str(remote), str(work)], check=True)
        for key, value in (
            ("user.name", f"Beheer {provider}"),
            ("user.email", f"beheer@{provider}.example"),
            ("bedcap.aanbieder", provider),
        ):
            git(work, "config", key, value)
        csv = tmp_path / f"{provider}.csv"
        csv.write_text(_csv_from(work / f"data/snapshots/{provider}/2021/2021-06-30.parquet"))
        procs.append((provider, work, csv))
    running = [
        (
            provider,
            subprocess.Popen(
                ["bedcap", "submit", str(csv)],
                cwd=work,
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for provider, work, csv in procs
    ]
    outcomes = {
        provider: (p.wait(timeout=600), p.stdout.read(), p.stderr.read()) for provider, p in running
    }
    failed = {k: v for k, v in outcomes.items() if v[0] != 0}
    assert failed == {}
    assert all("gepusht naar origin/main" in out for _, out, _ in outcomes.values())
    log = git(remote, "log", "--format=@@%s", "--name-only", f"{before}..main").split("@@")[1:]
    assert len(log) == PROVIDERS  # each landed exactly once
    touched = sorted(line for entry in log for line in entry.splitlines()[1:] if line)
    assert touched == sorted(f"data/snapshots/{p}/2021/2021-07-01.parquet" for p in providers)
    tree = git(remote, "ls-tree", "-r", "--name-only", "main", "data/snapshots")
    assert sum(line.endswith("2021-07-01.parquet") for line in tree.splitlines()) == PROVIDERS


def _leftovers(work: Path) -> list[str]:
    return [
        str(p.relative_to(work))
        for p in (work / "data").rglob("*")
        if p.name.endswith(".tmp") or p.name.startswith(".")
    ]


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1.1, 1.3, 1.6])
def test_sigkill_never_leaves_a_partial_snapshot(provider, tmp_path, delay) -> None:  # noqa: ANN001
    work, _ = provider
    csv = tmp_path / "vandaag.csv"
    csv.write_text(_csv_from(work / f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"))
    proc = subprocess.Popen(
        ["bedcap", "submit", str(csv), "--no-push"],
        cwd=work,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _leftovers(work) == []
    for path in (work / f"data/snapshots/{PROVIDER}").rglob("*.parquet"):
        assert pq.read_table(path).num_rows == 4, path
    check = subprocess.run(
        ["bedcap", "validate"], cwd=work, env=_env(), capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    # Whatever the moment, the provider can simply submit again afterwards.
    lock = work / ".git/index.lock"
    if lock.exists():  # git itself was killed mid-commit; git's own advice is to remove it
        lock.unlink()
    again = subprocess.run(
        ["bedcap", "submit", str(csv), "--no-push", "--correctie", "opnieuw na afbreken"],
        cwd=work,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert git(work, "status", "--porcelain") == ""
    shutil.rmtree(work / ".bedcap", ignore_errors=True)


def test_submit_after_a_kill_between_staging_and_commit(provider, tmp_path) -> None:  # noqa: ANN001
    """The window SIGKILL can hit: the snapshot staged, HEAD not yet moved."""
    work, _ = provider
    csv = tmp_path / "vandaag.csv"
    csv.write_text(_csv_from(work / f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"))
    rel = f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
    target = work / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((work / f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet").read_bytes())
    git(work, "update-index", "--add", rel)  # what commit_path had done when it was killed
    assert git(work, "diff", "--cached", "--name-only").split() == [rel]
    head = git(work, "rev-parse", "HEAD")
    again = subprocess.run(
        ["bedcap", "submit", str(csv), "--no-push"],
        cwd=work,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert git(work, "rev-parse", "HEAD~1") == head
    assert git(work, "show", "--name-only", "--format=", "HEAD").split() == [rel]
    assert git(work, "status", "--porcelain") == ""
    # Something else staged is still refused.
    (work / "README.extra").write_text("x")
    git(work, "add", "README.extra")
    refused = subprocess.run(
        ["bedcap", "submit", "--ongewijzigd", "--no-push", "--correctie", "nogmaals"],
        cwd=work,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 3 and "git-index" in refused.stderr
