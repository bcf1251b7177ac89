"""Issue 13, class 7: hostile values never get through and never crash.

Each case of the corpus asserts the exact finding code, row (or line) and field, exit 1,
no traceback and nothing written. On output, text is neutralised: control characters
never reach a terminal, and a spreadsheet cell never starts a formula.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.conftest import PROVIDER, invoke, tree_digest
from tests.test_cli_submit import HEADER, NEW, csv_text, previous_rows, state

ESC = "\x1b"
OSC8 = f"{ESC}]8;;https://aanval.example/{ESC}\\klik hier{ESC}]8;;{ESC}\\"


def _set(i: int, **values: object) -> Callable[[list[dict]], str]:
    def make(rows: list[dict]) -> str:
        rows[i].update(values)
        return csv_text(rows)

    return make


def _with_capacity(rows: list[dict]) -> str:
    """A `capaciteit` column; the first row claims 1,600,000 beds (and adds up)."""
    header = HEADER + ",capaciteit"
    rows[0]["beschikbaar"] = 1_600_000 - rows[0]["bezet"] - rows[0]["gereserveerd"]
    rows[0]["beschikbaar"] -= rows[0]["buiten_gebruik"]
    lines = csv_text(rows, header=header).splitlines()
    capacities = [1_600_000] + [r["capaciteit"] for r in rows[1:]]
    return (
        "\n".join([lines[0]] + [f"{ln},{c}" for ln, c in zip(lines[1:], capacities, strict=True)])
        + "\n"
    )


def _duplicate_header(rows: list[dict]) -> str:
    lines = csv_text(rows, header=HEADER + ",bezet").splitlines()
    return "\n".join([lines[0]] + [f"{ln},0" for ln in lines[1:]]) + "\n"


def _stray_byte(rows: list[dict]) -> bytes:
    rows[0]["toelichting"] = "één bed dicht wegens verbouwing"
    rows[1]["toelichting"] = "X"
    return csv_text(rows).encode("utf-8").replace(b",X\n", b",caf\xe9\n", 1)


SUBMISSIONS: list[tuple[str, Callable[[list[dict]], str | bytes], str, int | None, str]] = [
    ("int32-overflow", _set(0, bezet=2**31), "getal-te-groot", 2, "bezet"),
    ("huge-negative", _set(1, gereserveerd=-(2**40)), "getal-te-groot", 3, "gereserveerd"),
    ("full-width-digits", _set(0, bezet="１５"), "ongeldig-getal", 2, "bezet"),
    ("arabic-indic-digits", _set(1, beschikbaar="٣"), "ongeldig-getal", 3, "beschikbaar"),
    ("underscore-digits", _set(2, bezet="1_5"), "ongeldig-getal", 4, "bezet"),
    ("superscript-digit", _set(0, buiten_gebruik="²"), "ongeldig-getal", 2, "buiten_gebruik"),
    ("duplicated-header", _duplicate_header, "kolom-dubbel", 1, "bezet"),
    ("utf8-stray-byte", _stray_byte, "invoer-geen-utf8", 3, "toelichting"),
    ("esc-in-note", _set(0, toelichting=f"{ESC}[31mrood{ESC}[0m"), "stuurteken", 2, "toelichting"),
    ("osc8-in-location", _set(1, locatie=f"kliniek{OSC8}"), "stuurteken", 3, "locatie"),
    ("bidi-override", _set(2, toelichting="bed \u202evrij"), "stuurteken", 4, "toelichting"),
    ("bell-in-ward", _set(3, afdeling="fpa\x07"), "stuurteken", 5, "afdeling"),
]


@pytest.mark.parametrize(
    ("name", "make", "code", "rij", "veld"), SUBMISSIONS, ids=[s[0] for s in SUBMISSIONS]
)
def test_hostile_submission(
    provider: tuple[Path, Path],
    runner: CliRunner,
    tmp_path: Path,
    name: str,
    make: Callable[[list[dict]], str | bytes],
    code: str,
    rij: int | None,
    veld: str,
) -> None:
    work, remote = provider
    data = make(previous_rows(work))
    path = tmp_path / "in.csv"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    before = state(work, remote)
    result = invoke(runner, "submit", str(path), "--format", "json", cwd=work)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    found = json.loads(result.stdout)["bevindingen"]
    assert any(
        f["code"] == code and f["rij"] == rij and f["veld"] == veld and f["bestand"] == "in.csv"
        for f in found
    ), found
    assert state(work, remote) == before
    assert not (work / NEW).exists()


def test_capacity_has_a_hard_bound_in_a_submission(
    provider: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    work, remote = provider
    (tmp_path / "in.csv").write_text(_with_capacity(previous_rows(work)), encoding="utf-8")
    before = state(work, remote)
    result = invoke(runner, "submit", str(tmp_path / "in.csv"), "--format", "json", cwd=work)
    assert result.exit_code == 1 and "Traceback" not in result.output
    found = json.loads(result.stdout)["bevindingen"]
    ward = next(f for f in found if f["code"] == "capaciteit-boven-grens")
    assert ward["ernst"] == "fout" and ward["veld"].count("/") == 1 and "1600000" in ward["melding"]
    assert state(work, remote) == before


# ---- validate: the same values in the repository's own files ---------------------------

LOC = f"data/locaties/{PROVIDER}/kliniek-kroonstede.yaml"
SNAP = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"


def _yaml_value(key: str, value: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        text = (root / LOC).read_text(encoding="utf-8")
        old = next(ln for ln in text.splitlines() if ln.startswith(f"{key}:"))
        (root / LOC).write_text(text.replace(old, f"{key}: {value}", 1), encoding="utf-8")

    return mutate


def _snapshot(i: int, **values: object) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        table = pq.read_table(root / SNAP)
        rows = table.to_pylist()
        rows[i].update(values)
        pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), root / SNAP)

    return mutate


def _submitted_raw(count: int, unit: str) -> Callable[[Path], None]:
    """Every row's `ingediend_op` as a raw count of `unit`, typed UTC."""
    from tests.test_gate_attacks import snapshot_submitted_raw

    return lambda root: snapshot_submitted_raw(root, SNAP, count, unit)


def _huge_capacity(root: Path) -> None:
    table = pq.read_table(root / SNAP)
    rows = table.to_pylist()
    extra = 1_600_000 - rows[0]["capaciteit"]
    rows[0]["capaciteit"] += extra
    rows[0]["beschikbaar"] += extra
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), root / SNAP)


FILES: list[tuple[str, Callable[[Path], None], str, str, str | None, int | None]] = [
    (
        "yaml-escape-in-name",
        _yaml_value("naam", '"Kliniek \\e[2J"'),
        "stuurteken",
        LOC,
        "naam",
        None,
    ),
    (
        "yaml-osc8-in-reachability",
        _yaml_value("bereikbaarheid", '"bel \\e]8;;https://x.example/\\a hier"'),
        "stuurteken",
        LOC,
        "bereikbaarheid",
        None,
    ),
    (
        "parquet-esc-in-note",
        _snapshot(1, toelichting=f"{ESC}[5m!"),
        "stuurteken",
        SNAP,
        "toelichting",
        2,
    ),
    ("parquet-capacity-bound", _huge_capacity, "capaciteit-boven-grens", SNAP, None, None),
    # a submission time past the year 9999 passed validation and ended `available` and
    # the dashboard in a traceback; one before the year 1, in milliseconds, the same
    (
        "parquet-submitted-after-9999",
        _submitted_raw(320_000_000_000_000_000, "us"),
        "parquet-onleesbaar",
        SNAP,
        None,
        None,
    ),
    (
        "parquet-submitted-before-1",
        _submitted_raw(-(2**62), "ms"),
        "parquet-onleesbaar",
        SNAP,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "mutate", "code", "bestand", "veld", "rij"), FILES, ids=[f[0] for f in FILES]
)
def test_hostile_value_in_the_repository(
    example: Path,
    runner: CliRunner,
    name: str,
    mutate: Callable[[Path], None],
    code: str,
    bestand: str,
    veld: str | None,
    rij: int | None,
) -> None:
    mutate(example)
    before = tree_digest(example)
    result = invoke(runner, "validate", "--format", "json", cwd=example)
    assert result.exit_code == 1 and "Traceback" not in result.output
    found = [
        f
        for f in json.loads(result.stdout)["bevindingen"]
        if f["code"] == code and f["bestand"] == bestand
    ]
    assert found, result.stdout[:2000]
    if veld is not None:
        assert any(f["veld"] == veld for f in found), found
    if rij is not None:
        assert any(f["rij"] == rij for f in found), found
    if name.startswith("yaml"):
        key = veld or ""
        lines = (example / bestand).read_text(encoding="utf-8").splitlines()
        line = next(i for i, t in enumerate(lines, 1) if t.startswith(f"{key}:"))
        assert any(f["regel"] == line for f in found), found
    assert found[0]["ernst"] == "fout"
    text = invoke(runner, "validate", cwd=example)
    assert ESC not in text.stdout and "\x07" not in text.stdout  # the terminal stays clean
    assert tree_digest(example) == before
    if name.startswith("parquet-submitted"):  # the figures still read the day, time unknown
        assert "ingediend_op bevat een datum of tijdstip buiten de jaren 1–9999" in text.stdout
        shown = invoke(runner, "available", "--op", "2021-06-30", "--format", "json", cwd=example)
        assert "Traceback" not in shown.output
        mine = [r for r in json.loads(shown.stdout) if r["aanbieder"] == PROVIDER]
        if name.endswith("after-9999"):  # DuckDB reads it: the counts, the time unknown
            assert shown.exit_code == 0 and mine
            assert all(r["ingediend_op"] is None for r in mine)
        else:  # DuckDB refuses it: named as unreadable, left out
            assert shown.exit_code == 1 and not mine
            assert f"{SNAP} is onleesbaar en telt niet mee" in shown.stderr
        assert invoke(runner, "dashboard", "--uit", "site", cwd=example).exit_code == 0


# ---- output: neutralised for terminals and spreadsheets --------------------------------

FORMULA = '=HYPERLINK("https://aanval.example/","klik")'


def _rename_location(root: Path, name: str) -> None:
    text = (root / LOC).read_text(encoding="utf-8")
    old = next(ln for ln in text.splitlines() if ln.startswith("naam:"))
    (root / LOC).write_text(text.replace(old, f"naam: {json.dumps(name)}", 1), encoding="utf-8")


def test_terminal_output_strips_control_characters(example: Path, runner: CliRunner) -> None:
    _rename_location(example, f"Kroonstede{OSC8}{ESC}[2J\x07")
    result = invoke(runner, "available", "--op", "2021-06-30", cwd=example)
    assert "Traceback" not in result.output
    assert "kliniek-kroonstede" in result.stdout  # the file is refused: its id stands in
    assert "stuurteken" in result.stderr
    assert ESC not in result.output and "\x07" not in result.output


def test_table_cells_lose_control_characters() -> None:
    """Whatever reaches the ward table is stripped, even data that bypassed validation."""
    import io

    from rich.console import Console

    from bedcap.cli.grid import BlockTable, Column

    table = BlockTable([Column("Afdeling"), Column("Vrij", "right")])
    table.add_block([[(f"Kroonstede{OSC8}", None)]], [[(f"fpa{ESC}[2J", None), ("3", None)]])
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(table)
    assert "Kroonstede" in out.getvalue() and "klik hier" in out.getvalue()
    assert ESC not in out.getvalue() and "fpa[2J" in out.getvalue()


def test_csv_output_neutralises_formulas(example: Path, runner: CliRunner) -> None:
    _rename_location(example, FORMULA)
    result = invoke(runner, "available", "--op", "2021-06-30", "--format", "csv", cwd=example)
    assert "Traceback" not in result.output
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    names = {r["naam"] for r in rows}
    assert "'" + FORMULA in names and FORMULA not in names
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_a_carriage_return_in_a_note_starts_no_row_in_csv(example: Path, runner: CliRunner) -> None:
    """A note "\\r=6+6" passes validation (a CR is no control character a person cannot
    type). It was written unquoted, and a spreadsheet starts a new row at the CR, with the
    formula unguarded at its start; as a line feed the note is quoted whole."""
    import csv
    import io

    from bedcap.files.snapshots import to_bytes, to_table

    rows = pq.read_table(example / SNAP).to_pylist()
    rows[0]["toelichting"] = "\r=6+6"
    rows[1]["toelichting"] = "bel eerst\r\n@SUM(1+1)"
    (example / SNAP).write_bytes(to_bytes(to_table(rows)))
    result = invoke(runner, "available", "--op", "2021-06-30", "--format", "csv", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "\r" not in result.stdout
    records = json.loads(
        invoke(runner, "available", "--op", "2021-06-30", "--format", "json", cwd=example).stdout
    )
    found = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(found) == len(records)
    notes = {r["toelichting"] for r in found}
    assert {"\n=6+6", "bel eerst\n@SUM(1+1)"} <= notes, notes
    assert ',"\n=6+6",' in result.stdout  # quoted whole: the break is inside one cell


def test_report_spreadsheets_neutralise_formulas(tmp_path: Path) -> None:
    """Report cells come from ids and vocabularies today; the writers neutralise anyway."""
    import datetime as dt

    from openpyxl import load_workbook

    from bedcap.contract.vocab import Doelgroep
    from bedcap.outputs.render import csv_files, xlsx
    from bedcap.outputs.report import Rapport, Tabel

    table = Tabel(
        "locaties",
        "Locaties",
        ["naam", "capaciteit", "verschil"],
        [
            {"naam": FORMULA, "capaciteit": 12, "verschil": -3},
            {"naam": "@cmd", "verschil": "-"},
        ],
    )
    day = dt.date(2021, 6, 30)
    rapport = Rapport("Rapport", "2021Q2", day, day, Doelgroep.LCBB, "2021-07-01", [table])
    (tmp_path / "r.xlsx").write_bytes(xlsx(rapport))  # type: ignore[arg-type]
    cells = [c for row in load_workbook(tmp_path / "r.xlsx")["locaties"].iter_rows() for c in row]
    values = [c.value for c in cells]
    # Text as written, stored as text and marked "quote prefix": no apostrophe in the cell
    assert FORMULA in values and "@cmd" in values and -3 in values and "-" in values
    assert not any(c.data_type == "f" for c in cells)
    marked = {c.value for c in cells if c.quotePrefix}
    assert marked == {FORMULA, "@cmd"}, marked
    text = csv_files(rapport)["locaties.csv"].decode()  # type: ignore[arg-type]
    assert text.splitlines()[1].startswith("\"'=HYPERLINK") and "'@cmd" in text


def test_neutralise_cell_rule() -> None:
    from bedcap.files.textsafe import neutralise_cell, strip_control

    for dangerous in ("=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "\r=1"):
        assert neutralise_cell(dangerous) == "'" + dangerous
    for harmless in ("Kliniek", "-", "-5", "+3", "12,5", 42, None, -3):
        assert neutralise_cell(harmless) == harmless
    assert strip_control(f"a{ESC}[31mb\u202ec\td\n") == "a[31mbc\td\n"
