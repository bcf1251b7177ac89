"""An installable, pinned gate: the wheel and sdist, `init --pakket`, the lean CI install.

The slow test builds the wheel, writes it into the templates with `bedcap init --pakket`,
and runs the `run:` steps of the generated pull-request job in a fresh clone with a fresh
virtual environment (no system site packages): pip installs bedcap from that wheel and its
dependencies from the index, then the gate accepts a valid change and refuses an invalid one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bedcap.errors import UsageError
from bedcap.scaffold import pakket
from tests.conftest import ENV, PROJECT, git, invoke
from tests.test_gate import OTHER, PROVIDER, Gate, edit_location, gate  # noqa: F401

PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text())
REPORT_ONLY = ("weasyprint", "matplotlib", "openpyxl", "xlsxwriter")


@pytest.mark.parametrize(
    "spec",
    [
        "bedcap==0.1.0",
        "bedcap===0.1.0",
        "git+https://git.example.org/lcbb/bedcap.git@v0.1.0",
        "bedcap @ git+https://git.example.org/lcbb/bedcap.git@v0.1.0",
        "dist/bedcap-0.1.0-py3-none-any.whl",
        "https://files.example.org/bedcap-0.1.0-py3-none-any.whl",
        "bedcap @ https://files.example.org/bedcap-0.1.0-py3-none-any.whl",
    ],
)
def test_pinned_requirements_are_accepted(spec: str) -> None:
    assert pakket.controleer(spec) == spec


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("bedcap", "zet de versie niet vast"),
        ("bedcap>=0.1", "zet de versie niet vast"),
        ("bedcap==0.*", "zet de versie niet vast"),
        ("git+https://git.example.org/lcbb/bedcap.git", "zet de versie niet vast"),
        ('bedcap==0.1.0" && curl x', "geen enkele pip-vereiste"),
        ("bedcap==$(id)", "geen enkele pip-vereiste"),
        ("bedcap==0.1.0\nevil: 1", "geen enkele pip-vereiste"),
        ("", "geen enkele pip-vereiste"),
    ],
)
def test_unpinned_or_unsafe_requirements_are_refused(spec: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        pakket.controleer(spec)


def test_report_only_packages_are_an_extra() -> None:
    base = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    extra = " ".join(PYPROJECT["project"]["optional-dependencies"]["rapport"]).lower()
    for name in REPORT_ONLY:
        assert name not in base and name in extra


def test_every_subpackage_is_packaged() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(PROJECT).parts)
        for p in (PROJECT / "bedcap").rglob("__init__.py")
    }
    assert found <= listed, found - listed


def test_init_writes_the_running_version_by_default(runner: CliRunner, tmp_path: Path) -> None:
    from bedcap.cli import versie

    result = invoke(runner, "init", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    for rel in (".github/workflows/bedcap.yml", ".gitlab-ci.yml"):
        text = (tmp_path / "r" / rel).read_text()
        assert f'BEDCAP_PAKKET: "bedcap=={versie()}"' in text
        assert text.count("BEDCAP_PAKKET:") == 1


def test_init_refuses_an_unpinned_package(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "init", "--pakket", "bedcap", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert "zet de versie niet vast" in result.stderr
    assert not (tmp_path / "r").exists()


# ---- the slow part: build, then the lean install in a fresh virtual environment ------------


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(PROJECT)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, out.iterdir())],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("PASSED") == 2
    return out


def wheel_in(dist: Path) -> Path:
    (wheel,) = dist.glob("bedcap-*.whl")
    return wheel


def test_wheel_and_sdist_carry_one_version(dist: Path) -> None:
    version = PYPROJECT["project"]["version"]
    assert wheel_in(dist).name == f"bedcap-{version}-py3-none-any.whl"
    assert (dist / f"bedcap-{version}.tar.gz").is_file()


def expand(text: str, values: dict[str, str]) -> str:
    """Replace the workflow's `${{ … }}` expressions as the runner would."""
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: values[m.group(1)], text)


def run_job(
    workflow: dict, job: str, cwd: Path, venv: Path, values: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    """Every `run:` step of a job, in bash, with the venv first on PATH; stops at a failure."""
    env = {
        **os.environ,
        **ENV,
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
    }
    env.pop("PYTHONPATH", None)
    env.update({k: expand(str(v), values) for k, v in (workflow.get("env") or {}).items()})
    env.update(
        {k: expand(str(v), values) for k, v in (workflow["jobs"][job].get("env") or {}).items()}
    )
    done = []
    for step in workflow["jobs"][job]["steps"]:
        if "run" not in step:
            continue
        step_env = {
            **env,
            **{k: expand(str(v), values) for k, v in (step.get("env") or {}).items()},
        }
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env=step_env,
            capture_output=True,
            text=True,
        )
        done.append(result)
        if result.returncode != 0:
            break
    return done


def test_the_generated_job_installs_the_wheel_and_runs_the_gate(
    dist: Path,
    gate: Gate,  # noqa: F811
    runner: CliRunner,
    tmp_path: Path,
) -> None:
    wheel = wheel_in(dist)
    templates = tmp_path / "templates"
    made = invoke(runner, "init", "--pakket", str(wheel), str(templates))
    assert made.exit_code == 0, made.output
    workflow = yaml.safe_load((templates / ".github/workflows/bedcap.yml").read_text())
    assert workflow["env"]["BEDCAP_PAKKET"] == str(wheel)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    cfg = (venv / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in cfg

    # The provider's change, pushed for review; CI checks it out in a fresh clone.
    edit_location(gate.work, PROVIDER)
    gate.commit("eigen wijziging")
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", str(gate.work), str(clone)], check=True)
    values = {
        "github.event.pull_request.base.sha": gate.base,
        "github.event.pull_request.head.sha": git(clone, "rev-parse", "HEAD").strip(),
    }
    good = run_job(workflow, "wijziging", clone, venv, values)
    assert [d.returncode for d in good] == [0] * len(good), [d.stdout + d.stderr for d in good]
    assert len(good) >= 2, "an install step and a check step"
    assert "Klaar. FOUT=0" in good[-1].stdout

    # The lean install: bedcap from the wheel, nothing of the report extra.
    python = venv / "bin/python"
    shown = subprocess.run(
        [python, "-m", "pip", "list", "--format", "freeze"], capture_output=True, text=True
    )
    installed = shown.stdout.lower()
    assert "bedcap==" in installed
    for name in REPORT_ONLY:
        assert f"\n{name}==" not in f"\n{installed}", name
    version = subprocess.run([venv / "bin/bedcap", "--version"], capture_output=True, text=True)
    assert version.stdout == f"bedcap {PYPROJECT['project']['version']}\n"

    # An invalid change: a file of another provider.
    edit_location(gate.work, OTHER)
    bad_sha = gate.commit("van een ander")
    git(clone, "pull", "-q", "--ff-only")
    values["github.event.pull_request.head.sha"] = bad_sha
    bad = run_job(workflow, "wijziging", clone, venv, values)
    assert bad[-1].returncode == 1
    assert "pad-van-ander" in bad[-1].stdout and bad_sha[:12] in bad[-1].stdout

    # A report-only format says which extra to install, in Dutch, exit 3.
    pdf = subprocess.run(
        [
            venv / "bin/bedcap",
            "report",
            "--kwartaal",
            "2021Q2",
            "--format",
            "pdf",
            "--uit",
            str(tmp_path / "r.pdf"),
        ],
        cwd=clone,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
    )
    assert pdf.returncode == 3, pdf.stderr
    assert "Traceback" not in pdf.stderr
    assert "pakket 'matplotlib' nodig" in pdf.stderr
    assert "pip install 'bedcap[rapport]'" in pdf.stderr


def test_a_missing_extra_is_one_dutch_line() -> None:
    from bedcap.distribution import MissingExtraError, require

    assert require("json").dumps([]) == "[]"
    with pytest.raises(MissingExtraError) as caught:
        require("bestaat_niet_pakket.sub", waarvoor="een rapport in pdf")
    assert str(caught.value) == (
        "voor een rapport in pdf is het pakket 'bestaat_niet_pakket' nodig, maar dat is niet "
        "geïnstalleerd; installeer bedcap met het extra 'rapport': pip install 'bedcap[rapport]'"
    )
