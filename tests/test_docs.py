"""Docs generated from code stay current, and no finding code goes undocumented."""

from __future__ import annotations

import re
import subprocess
import sys

from bedcap.findings.catalogue import CATALOGUE
from tests.conftest import PROJECT

USED = re.compile(
    r"""(?:problem|finding)\(\s*"([a-z0-9-]+)"|"(privacy-[a-z]+)"|return "([a-z-]+)", \{"""
)


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


def _docgen():  # noqa: ANN202 - scripts/ is not a package
    sys.path.insert(0, str(PROJECT / "scripts"))
    try:
        import docgen
    finally:
        sys.path.pop(0)
    return docgen


def test_reference_walks_every_command_of_the_app() -> None:
    names = [name for name, _ in _docgen().commands()]
    # The groups and their subcommands come from the app, not from a hand-kept list.
    assert {"report", "dashboard", "logbook", "access signers", "hook install"} <= set(names)
    assert {"logbook add", "logbook list", "logbook export"} <= set(names)
    assert len(names) == len(set(names))


def test_every_command_has_help_text_and_a_readme_section() -> None:
    readme = (PROJECT / "README.md").read_text()
    no_help = [name for name, text in _docgen().commands() if not text]
    no_section = [
        name for name, _ in _docgen().commands() if f"### `bedcap {name}`\n" not in readme
    ]
    assert no_help == []
    assert no_section == []


def test_findings_page_has_a_section_per_family() -> None:
    from bedcap.findings.catalogue import FAMILIES

    page = (PROJECT / "docs/bevindingen.md").read_text()
    for family, types in FAMILIES.items():
        section = page.split(f"## {family}\n", 1)[1].split("\n## ", 1)[0]
        assert all(f"| `{t.code.value}` |" in section for t in types), family
