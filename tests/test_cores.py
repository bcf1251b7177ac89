"""The decoding pools size themselves by the cores this process may use (issue 18):
the affinity mask, and the CPU quota of the process's control group in cgroup v2 or v1,
here on made-up `/sys/fs/cgroup` trees and a real `taskset`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bedcap.files.cores import usable

AFFINITY = len(os.sched_getaffinity(0))


def _tree(tmp_path: Path, proc: str, files: dict[str, str]) -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="ascii")
    root.mkdir(exist_ok=True)
    (tmp_path / "proc").write_text(proc, encoding="ascii")
    return root, tmp_path / "proc"


@pytest.mark.parametrize(
    ("line", "quota"),
    [("100000 100000", 1), ("150000 100000", 2), ("50000 100000", 1), ("200000 50000", 4)],
)
def test_a_v2_quota_caps_the_count(tmp_path: Path, line: str, quota: int) -> None:
    root, proc = _tree(tmp_path, "0::/\n", {"cpu.max": line + "\n"})
    assert usable(root, proc) == min(quota, AFFINITY)


def test_a_v2_quota_of_the_own_group_or_a_parent_counts(tmp_path: Path) -> None:
    """systemd's `CPUQuota=` or a runner's own slice: the root group has no `cpu.max`."""
    root, proc = _tree(
        tmp_path,
        "0::/ci.slice/job.scope\n",
        {"ci.slice/cpu.max": "100000 100000", "ci.slice/job.scope/cpu.max": "max 100000"},
    )
    assert usable(root, proc) == 1


def test_a_v1_quota_counts_and_minus_one_is_no_limit(tmp_path: Path) -> None:
    """Docker's `--cpus 1` on a v1 host: the container's group is mounted as the root, and
    the path `/proc/self/cgroup` names does not exist under the mount."""
    files = {"cpu,cpuacct/cpu.cfs_quota_us": "100000\n", "cpu,cpuacct/cpu.cfs_period_us": "100000"}
    root, proc = _tree(tmp_path, "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n", files)
    assert usable(root, proc) == 1
    files["cpu,cpuacct/cpu.cfs_quota_us"] = "-1\n"
    root, proc = _tree(tmp_path, "3:cpu,cpuacct:/docker/abc\n", files)
    assert usable(root, proc) == AFFINITY


@pytest.mark.parametrize("line", ["max 100000", "", "onzin", "0 0 0", "-1 100000", "max"])
def test_no_quota_or_an_unknown_line_leaves_the_affinity(tmp_path: Path, line: str) -> None:
    root, proc = _tree(tmp_path, "0::/\n", {"cpu.max": line})
    assert usable(root, proc) == AFFINITY
    assert usable(tmp_path / "geen", tmp_path / "ook-geen") == AFFINITY


def test_an_affinity_mask_is_respected() -> None:
    """Under `taskset` to one core (util-linux, on every Debian), where `os.cpu_count()`
    still says every core."""
    code = "import os; from bedcap.files.cores import usable; print(usable(), os.cpu_count())"
    out = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out[0] == "1" and int(out[1]) == os.cpu_count()
