"""The decoding pools size themselves by the cores this process may use (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bedcap.files.cores import usable


@pytest.mark.parametrize(
    ("line", "quota"),
    [("100000 100000", 1), ("150000 100000", 2), ("50000 100000", 1), ("200000 50000", 4)],
)
def test_a_cgroup_quota_caps_the_count(tmp_path: Path, line: str, quota: int) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text(line + "\n", encoding="ascii")
    assert usable(cpu_max) == min(quota, len(os.sched_getaffinity(0)))


@pytest.mark.parametrize("line", ["max 100000", "", "onzin", "0 0 0"])
def test_no_quota_or_an_unknown_line_leaves_the_affinity(tmp_path: Path, line: str) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text(line, encoding="ascii")
    assert usable(cpu_max) == len(os.sched_getaffinity(0))
    assert usable(tmp_path / "ontbreekt") == len(os.sched_getaffinity(0))


def test_an_affinity_mask_is_respected() -> None:
    """Under `taskset` to one core, where `os.cpu_count()` still says every core."""
    code = "import os; from bedcap.files.cores import usable; print(usable(), os.cpu_count())"
    out = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out[0] == "1" and int(out[1]) == os.cpu_count()
