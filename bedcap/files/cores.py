"""How many cores this process may use: the decoding pools of a cold validation and a
cold cache build size themselves by it (issue 18)."""

from __future__ import annotations

import os
from pathlib import Path

CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
"""cgroup v2's CPU quota of this process's group: "max 100000", or "200000 100000" for
two cores' worth of time."""


def usable(cpu_max: Path = CPU_MAX) -> int:
    """The cores this process may run on: its affinity mask (`taskset`, a container's
    cpuset) and its group's CPU quota, where the system has them; else the machine's
    count. `os.cpu_count()` gives every core of the host: in a container limited to two
    of 64 cores, a pool of eight workers would share two cores' time, not go faster."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text(encoding="ascii").split()[:2]
        if quota != "max" and int(period) > 0:
            cores = min(cores, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):  # no cgroup v2 here, or a line we do not know
        pass
    return max(1, cores)
