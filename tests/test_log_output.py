"""Findings for logs and forges: one line each off a terminal, GitLab Code Quality, JUnit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from tests.conftest import ENV, invoke
from tests.test_gate import gate  # noqa: F401

BEDCAP = str(Path(sys.executable).parent / "bedcap")
LOCATION = "data/locaties/voorbeeld-ggz-noorderzand/kliniek-eikenburg-2.yaml"
LINE = re.compile(
    r"^(data/[^\s:]+\.(yaml|parquet)(:\d+)?( rij \d+)?): ([a-z0-9-]+)( \(waarschuwing\))?: .+$"
)


@pytest.fixture
def broken(example: Path) -> Path:
    """The example with two findings in one location file (line 24 and 32)."""
    path = example / LOCATION
    text = path.read_text(encoding="utf-8").replace(
        "beveiligingsniveau: 3", "beveiligingsniveau: 9"
    )
    path.write_text(
        text.replace("beveiligingsniveau: 2", "beveiligingsniveau: 7"), encoding="utf-8"
    )
    return example


def test_off_a_terminal_each_finding_is_one_whole_line(broken: Path) -> None:
    """A pipe at 40 columns: every finding one line, path never broken."""
    done = subprocess.run(
        [BEDCAP, "validate"],
        cwd=broken,
        env={**os.environ, **ENV, "COLUMNS": "40"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    out = done.stdout.splitlines()
    assert out[-1].startswith("Klaar. FOUT=")
    findings = out[:-1]
    assert len(findings) >= 2
    for text in findings:
        assert LINE.match(text), text
    assert any(text.startswith(f"{LOCATION}:24: ") for text in findings), findings
    assert any(text.startswith(f"{LOCATION}:32: ") for text in findings), findings
    assert max(len(text) for text in findings) > 40  # longer than the terminal, not wrapped


def test_the_runner_is_not_a_terminal_either(runner: CliRunner, broken: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("COLUMNS", "40")
    result = invoke(runner, "validate", cwd=broken)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(LINE.match(text) for text in lines[:-1]), lines
    assert "┃" not in result.stdout and "│" not in result.stdout


def test_gitlab_code_quality(runner: CliRunner, broken: Path) -> None:
    result = invoke(runner, "validate", "--format", "gitlab", cwd=broken)
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert len(issues) >= 2
    ours = [i for i in issues if i["location"]["path"] == LOCATION]
    assert {i["location"]["lines"]["begin"] for i in ours} >= {24, 32}
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"major", "minor"}
        assert issue["description"].startswith(issue["check_name"] + ": ")
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit(runner: CliRunner, broken: Path) -> None:
    result = invoke(runner, "validate", "--format", "junit", cwd=broken)
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "bedcap validate"
    failures = suite.findall("testcase/failure")
    assert int(suite.get("failures") or 0) == len(failures) >= 2
    assert any(f.text and f.text.startswith(f"{LOCATION}:24: ") for f in failures)


def test_clean_data_gives_empty_reports(runner: CliRunner, example: Path) -> None:
    quality = invoke(runner, "validate", "--format", "gitlab", cwd=example)
    assert quality.exit_code == 0 and json.loads(quality.stdout) == []
    report = invoke(runner, "validate", "--format", "junit", cwd=example)
    suite = ET.fromstring(report.stdout.split("\n", 1)[1]).find("testsuite")
    assert suite is not None and suite.get("failures") == "0" and suite.get("tests") == "1"


def test_check_state_has_the_formats_too(runner: CliRunner, example: Path) -> None:
    quality = invoke(
        runner, "check", "--peildatum", "2021-06-30", "--format", "gitlab", cwd=example
    )
    assert quality.exit_code == 0, quality.output
    issues = json.loads(quality.stdout)
    assert issues and {i["severity"] for i in issues} == {"minor"}  # late, not refused
    assert {i["check_name"] for i in issues} == {"aanlevering-te-laat"}
    junit = invoke(runner, "check", "--peildatum", "2021-06-30", "--format", "junit", cwd=example)
    assert junit.exit_code == 0 and "bedcap check" in junit.stdout


def test_the_gitlab_job_writes_its_reports(gate, tmp_path: Path) -> None:  # noqa: ANN001, F811
    """The merge-request job of the generated .gitlab-ci.yml, script and after_script."""
    import yaml

    from bedcap.scaffold.init import init_repo
    from tests.test_gate import OTHER, edit_location

    made = init_repo(tmp_path / "init", git=False, pakket="bedcap==0.1.0").root
    job = yaml.safe_load((made / ".gitlab-ci.yml").read_text())["wijziging"]
    assert job["artifacts"]["reports"] == {
        "codequality": "gl-code-quality.json",
        "junit": "bedcap-junit.xml",
    }
    edit_location(gate.work, OTHER)
    bad = gate.commit("van een ander")
    env = {**os.environ, **ENV, "CI_MERGE_REQUEST_DIFF_BASE_SHA": gate.base, "CI_COMMIT_SHA": bad}
    run = [
        subprocess.run(
            ["bash", "-ec", line], cwd=gate.work, env=env, capture_output=True, text=True
        )
        for line in job["script"] + job["after_script"]
    ]
    assert [r.returncode for r in run] == [1, 0, 0]
    log = run[0].stdout.splitlines()
    assert any(LINE.match(text) and "pad-van-ander" in text for text in log), log
    quality = json.loads((gate.work / "gl-code-quality.json").read_text())
    assert [i["check_name"] for i in quality] == ["pad-van-ander"]
    assert quality[0]["location"]["path"].startswith(f"data/locaties/{OTHER}/")
    suite = ET.parse(gate.work / "bedcap-junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
