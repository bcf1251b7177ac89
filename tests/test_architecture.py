"""The subsystem layering of docs/architecture.md, enforced with import-linter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"


def test_import_contracts_are_kept() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LINT, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "2 kept, 0 broken" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 0


def test_every_subsystem_of_the_map_exists_and_the_map_names_every_subsystem() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    packages = {p.parent.name for p in (ROOT / "bedcap").glob("*/__init__.py")}
    packages.discard("templates")
    named = {name for name in packages if f"`bedcap/{name}/`" in text}
    assert named == packages
