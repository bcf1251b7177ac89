"""Time and size of the gate's CI install: the wheel alone, and with the `rapport` extra.

    python bench/lean_install.py            # prints a Markdown table for bench/RESULTS.md

Each install runs in a fresh virtual environment (no system site packages) without pip's
cache, as a CI runner's first job does: `pip install <wheel>` and `pip install <wheel>[rapport]`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def install(wheel: Path, extra: str, where: Path) -> tuple[float, float, int]:
    """Seconds, MB of site-packages and number of distributions for one fresh install."""
    venv = where / f"venv{extra or '-lean'}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin/python"
    before = size_mb(venv / "lib")
    start = time.perf_counter()
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-cache-dir", f"{wheel}{extra}"], check=True
    )
    seconds = time.perf_counter() - start
    frozen = subprocess.run(
        [python, "-m", "pip", "list", "--format", "freeze"], capture_output=True, text=True
    ).stdout.split()
    return seconds, size_mb(venv / "lib") - before, len(frozen)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "build", "-q", "--wheel", "--outdir", str(where), str(PROJECT)],
            check=True,
            capture_output=True,
        )
        (wheel,) = where.glob("bedcap-*.whl")
        print("| install | seconds | MB installed | distributions |")
        print("|---|---|---|---|")
        for label, extra in (("gate: `pip install bedcap`", ""), ("with `[rapport]`", "[rapport]")):
            seconds, mb, count = install(wheel, extra, where)
            print(f"| {label} | {seconds:.1f} | {mb:.0f} | {count} |")


if __name__ == "__main__":
    main()
