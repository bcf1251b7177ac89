"""How many cores this process may use: the decoding pools of a cold validation and a
cold cache build size themselves by it (issue 18)."""

from __future__ import annotations

import os
from pathlib import Path

CGROUPS = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")


def usable(cgroups: Path = CGROUPS, proc_cgroup: Path = PROC_CGROUP) -> int:
    """The cores this process may run on: its affinity mask (`taskset`, a container's
    cpuset) and the CPU quota of its control group, where the system has them; else the
    machine's count. `os.cpu_count()` gives every core of the host: in a container
    limited to two of 64 cores, a pool of eight workers would share two cores' time, not
    go faster."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    quotas = [q for q in _quotas(cgroups, proc_cgroup) if q is not None]
    return max(1, min([cores, *quotas]))


def _quotas(cgroups: Path, proc_cgroup: Path) -> list[int | None]:
    """The CPU quota, in whole cores rounded up, of this process's group and of each group
    above it, in cgroup v2 (`cpu.max`) and v1 (`cpu.cfs_quota_us`). Inside a container the
    group's path from `/proc/self/cgroup` may not exist under the mount (its own group is
    mounted as the root), so the search walks up to the root."""
    try:
        lines = proc_cgroup.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:  # not on Linux
        return []
    found: list[int | None] = []
    for line in lines:
        hierarchy, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if hierarchy == "0" and not controllers:  # cgroup v2
            for folder in _upwards(cgroups, path):
                found.append(_v2(folder / "cpu.max"))
        elif "cpu" in controllers.split(","):  # cgroup v1, mounted as "cpu,cpuacct" or "cpu"
            for mount in (cgroups / controllers, cgroups / "cpu"):
                for folder in _upwards(mount, path):
                    found.append(_v1(folder))
    return found


def _upwards(mount: Path, path: str) -> list[Path]:
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    return [mount.joinpath(*parts[:n]) for n in range(len(parts), -1, -1)]


def _whole(quota: int, period: int) -> int | None:
    """A quota of `quota` µs per `period` µs as cores, rounded up; None for no limit."""
    return -(-quota // period) if quota > 0 and period > 0 else None


def _v2(cpu_max: Path) -> int | None:
    """`cpu.max`: "max 100000" (no limit) or "200000 100000" (two cores' worth)."""
    try:
        quota, period = cpu_max.read_text(encoding="ascii").split()[:2]
        return None if quota == "max" else _whole(int(quota), int(period))
    except (OSError, ValueError, UnicodeDecodeError):  # absent, or a line we do not know
        return None


def _v1(folder: Path) -> int | None:
    """`cpu.cfs_quota_us` (-1: no limit) over `cpu.cfs_period_us`."""
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="ascii"))
        period = int((folder / "cpu.cfs_period_us").read_text(encoding="ascii"))
        return _whole(quota, period)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
