"""Docs generated from code stay current, and no finding code goes undocumented."""

from __future__ import annotations

import re
import subprocess
import sys

from bedcap.findings.catalogue import CATALOGUE
from tests.conftest import PROJECT

USED = re.compile(r"""problem\(\s*"([a-z0-9-]+)"|"(privacy-[a-z]+)"|return "([a-z-]+)", \{""")


def test_every_code_used_in_the_source_is_in_the_catalogue() -> None:
    used = set()
    for path in (PROJECT / "bedcap").rglob("*.py"):
        for match in USED.finditer(path.read_text()):
            used.add(next(g for g in match.groups() if g))
    used.discard("code")
    assert used, "the pattern must find the codes"
    assert used - set(CATALOGUE) == set()


def test_every_catalogue_code_is_documented() -> None:
    page = (PROJECT / "docs/bevindingen.md").read_text()
    missing = [code for code in CATALOGUE if f"| `{code}` |" not in page]
    assert missing == []


def test_generated_docs_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md", "docs/bevindingen.md"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_catalogue_entries_are_complete() -> None:
    for code, soort in CATALOGUE.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert soort.titel and soort.uitleg and soort.sjabloon
