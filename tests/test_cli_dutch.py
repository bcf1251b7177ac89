"""Dutch to the last word: every help page and usage error, the framework's own words too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from bedcap.cli import app, versie
from tests.conftest import ENV, invoke

BEDCAP = str(Path(sys.executable).parent / "bedcap")  # the console script, as installed

# Words the CLI framework prints in English when left alone.
ENGLISH = re.compile(
    r"Usage|Options\b|Arguments\b|Commands\b|Show this message|\bError\b|\bTry\b|for help"
    r"|No such|Missing|Invalid value|Did you mean|Possible options|is not one of"
    r"|is not a valid|OPTIONS|COMMAND\b|ARGS|\bdefault:|\brequired\b|<path>|<text>"
    r"|<integer>|<int>|<float>|requires an|does not take|Got unexpected|Aborted|Choose from"
)


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand of the app, as the words typed after `bedcap`."""
    found: list[tuple[str, ...]] = [()]

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            found.append((*path, name))
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "bedcap")
def test_every_help_page_is_dutch(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = invoke(runner, *path, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Gebruik: bedcap {' '.join(path)}".rstrip() + " ")
    assert "Toon deze hulp en stop." in result.stdout
    assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)


def test_the_app_has_the_new_commands() -> None:
    paths = command_paths()
    assert ("setup",) in paths and ("completion",) in paths
    assert len(paths) > 20


USAGE_ERRORS = [
    (["validate", "--foo"], "Onbekende optie: --foo (mogelijke opties: --format)"),
    (["valdate"], "Onbekend commando 'valdate'. Bedoel je 'validate'"),
    (["validate", "--format", "xml"], "Ongeldige waarde voor '--format' / '-f': 'xml' is niet"),
    (["available", "--repo"], "Optie '--repo' vraagt een waarde."),
    (["history", "--per", "jaar"], "Ongeldige waarde voor '--per': 'jaar' is niet een van"),
    (["completion"], "Argument 'bash|zsh|fish' ontbreekt. Kies uit:"),
    (["completion", "tcsh"], "'tcsh' is niet een van 'bash', 'zsh', 'fish'."),
    (["access"], "Gebruik: bedcap access [OPTIES] COMMANDO [ARGUMENTEN]..."),
    (["logbook", "add", "--datum"], "Optie '--datum' vraagt een waarde."),
    (["textconv", "a", "b"], "Onverwachte extra argumenten (b)"),
    (["setup", "--sleutel"], "Optie '--sleutel' vraagt een waarde."),
]


@pytest.mark.parametrize(("args", "expected"), USAGE_ERRORS, ids=lambda a: str(a))
def test_usage_errors_are_dutch(runner: CliRunner, args: list[str], expected: str) -> None:
    result = invoke(runner, *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert not ENGLISH.search(result.output), result.output
    if "Gebruik:" not in expected and "Optie" not in expected:
        assert "Probeer 'bedcap" in result.output and "voor hulp." in result.output
        assert "Fout: " in result.output


def test_the_installed_command_is_dutch_too() -> None:
    """The console script builds only the asked command's module: same words there."""
    env = {**os.environ, **ENV}
    done = subprocess.run(
        [BEDCAP, "check", "--basis", "x"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2
    assert "Fout: Onbekende optie: --basis" in done.stderr
    assert "Gebruik: bedcap check [OPTIES]" in done.stderr
    assert not ENGLISH.search(done.stderr), done.stderr


def test_version_has_one_source(runner: CliRunner) -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert versie() == pyproject["project"]["version"]
    done = subprocess.run(
        [sys.executable, "-m", "bedcap", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == f"bedcap {versie()}\n"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(runner: CliRunner, shell: str) -> None:
    result = invoke(runner, "completion", shell)
    assert result.exit_code == 0
    assert "_BEDCAP_COMPLETE" in result.stdout and "bedcap" in result.stdout
    assert f"complete_{shell}" in result.stdout


def test_bash_completion_completes_commands_and_options() -> None:
    """The bash script, sourced in a real bash, asks bedcap and gets Dutch options back."""
    script = subprocess.run(
        [BEDCAP, "completion", "bash"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bindir = Path(BEDCAP).parent

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        program = (
            f"{script}\nCOMP_WORDS=({line})\nCOMP_CWORD={len(words) - 1}\n"
            f"_bedcap_completion bedcap\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
        )
        env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}"}
        done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert "validate" in complete("bedcap val")
    assert "--aanbieder" in complete("bedcap setup --")
    assert set(complete("bedcap history --per ")) >= {"dag", "week", "maand"}


ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ENGLISH_NUMBER = re.compile(r"\b\d+\.\d\b|\d,\d{3}\b(?!,)")  # 1649.5, 1,913 (not 1.913)


@pytest.mark.parametrize(
    "args",
    [
        ["available"],
        ["history", "--per", "maand", "--van", "2021-04-01", "--tot", "2021-06-30"],
        ["history", "--per", "dag", "--van", "2021-06-28", "--tot", "2021-06-30"],
        ["history", "--per", "week", "--van", "2021-06-01", "--tot", "2021-06-30"],
        ["check", "--peildatum", "2021-06-30"],
    ],
)
def test_the_tables_people_read_write_dates_and_numbers_the_dutch_way(
    runner: CliRunner, example_git: Path, args: list[str]
) -> None:
    """`30 juni 2021`, `1.649,5`, `87,5%`: no ISO day, no decimal point in a table (JSON
    and CSV keep ISO and points for scripts)."""
    result = invoke(runner, *args, cwd=example_git)
    assert result.exit_code in (0, 1), result.stderr
    text = " ".join(result.stdout.split())
    if args[0] == "check":  # the table; the findings after it name files by their paths
        text = text[: text.rindex("┘") + 1]
    assert not ISO_DAY.findall(text), ISO_DAY.findall(text)
    assert not ENGLISH_NUMBER.findall(text.replace("8.30–17.00", "")), text[:400]
    if args[0] == "history":
        assert re.search(r"\d,\d \(\d", text)  # a Dutch mean with its range
        assert "Verloop 1 " in text or "Verloop 28 juni 2021" in text


@pytest.mark.parametrize(
    ("naar", "kop", "waarden"),
    [
        ("landelijk", "Gebied", {"Landelijk"}),
        ("niveau", "Niveau", {"Niveau 2", "Niveau 3", "Niveau 4"}),
        ("regio", "Regio", {"Noord-Nederland", "Noord-Holland", "Midden-Nederland"}),
        ("zorgtype", "Zorgtype", {"Crisis", "Behandeling"}),
        ("kwartaal", "Gebied", {"Q2 2021"}),
    ],
)
def test_the_history_table_names_its_groups_and_periods(
    runner: CliRunner, example: Path, naar: str, kop: str, waarden: set[str]
) -> None:
    """The group column as the workbook writes it: headed by what it holds, each value
    by name ("noord-holland" and "2" were the keys); a quarter as "Q2 2021"."""
    per = "kwartaal" if naar == "kwartaal" else "maand"
    naar = "landelijk" if naar == "kwartaal" else naar
    args = ("--van", "2021-04-01", "--tot", "2021-06-30", "--per", per, "--naar", naar)
    result = invoke(runner, "history", *args, cwd=example)
    assert result.exit_code == 0, result.stderr
    cells = {c.strip() for line in result.stdout.splitlines() for c in line.split("│")}
    heads = {c.strip() for line in result.stdout.splitlines() for c in line.split("┃")}
    assert kop in heads and "Groep" not in heads
    assert waarden <= cells, (waarden, sorted(cells)[:40])
    assert not {"noord-holland", "noord-nederland", "2", "landelijk", "crisis"} & cells


def test_the_available_table_names_the_region(runner: CliRunner, example: Path) -> None:
    """Each location's heading names its region as `regios.yaml` does ("Noord-Holland"),
    from the static facts (`store.statics`), not its id."""
    result = invoke(runner, "available", "--op", "2021-06-30", cwd=example)
    assert result.exit_code == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if " · " in line]
    assert any(" · Noord-Holland · " in line for line in headings), headings[:3]
    assert not any("noord-holland" in line for line in headings)
