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

BEDCAP = str(Path(sys.executable).parent / "bedcap")
LOCATION = "data/locaties/voorbeeld-ggz-noorderzand/kliniek-eikenburg-2.yaml"
LINE = re.compile(r"^(data/[^\s:]+\.(yaml|parquet)(:\d+)?): ([a-z0-9-]+)( \(waarschuwing\))?: .+$")


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
    assert json.loads(quality.stdout) == []
    junit = invoke(runner, "check", "--peildatum", "2021-06-30", "--format", "junit", cwd=example)
    assert junit.exit_code == 0 and "bedcap check" in junit.stdout
