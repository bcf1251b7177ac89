"""The quarterly report against figures computed here from the files themselves."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import defaultdict
from pathlib import Path
from statistics import mean
from typing import Any

import holidays
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from bedcap.outputs import dutch
from tests.conftest import invoke, unseal_all
from tests.test_dashboard import browser, severe_console  # noqa: F401 - the fixture
from tests.test_query import daily_totals, files_of

GOLDEN = Path(__file__).parent / "golden"
Q2 = (dt.date(2021, 4, 1), dt.date(2021, 6, 30))
PLANTED = ("voorbeeldzorg-westerduin", "kliniek-wilgenoord")  # 6 % too many bed-days


def report(runner: CliRunner, repo: Path, fmt: str, *args: str) -> Path:
    target = repo.parent / f"rapport.{fmt}"
    result = invoke(
        runner,
        "report",
        "--kwartaal",
        "2021Q2",
        "--format",
        fmt,
        "--uit",
        str(target),
        *args,
        cwd=repo,
    )
    assert result.exit_code == 0, result.stderr
    assert "geschreven" in result.stdout
    return target


@pytest.fixture(autouse=True)
def lcbb_identity(monkeypatch: pytest.MonkeyPatch, example_keys: dict[str, Path]) -> Path:
    """The LCBB reports with its key: the example's financing and logbooks are encrypted."""
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(example_keys["lcbb"]))
    return example_keys["lcbb"]


@pytest.fixture
def data(runner: CliRunner, example: Path) -> dict[str, Any]:
    return json.loads(report(runner, example, "json").read_text(encoding="utf-8"))


def days_off(year: int) -> set[dt.date]:
    """The Algemene termijnenwet's days off, from the holidays package directly: without
    Goede Vrijdag, with Bevrijdingsdag every year (bedcap's default, issue 14)."""
    from dateutil.easter import easter

    nl = set(holidays.country_holidays("NL", years=[year]))
    return (nl - {easter(year) - dt.timedelta(days=2)}) | {dt.date(year, 5, 5)}


def covering(day: dt.date) -> dt.date:
    """The working day whose counts stand for `day`, from the holidays package directly."""
    nl = days_off(2021)
    while day.weekday() >= 5 or day in nl:
        day -= dt.timedelta(days=1)
    return day


def snapshots(repo: Path) -> dict[str, list[tuple[dt.date, list[dict[str, Any]]]]]:
    return {
        a: [(dt.date.fromisoformat(p.stem), pq.read_table(p).to_pylist()) for p in paths]
        for a, paths in files_of(repo).items()
    }


def rows_on(series: list[tuple[dt.date, list[dict[str, Any]]]], day: dt.date) -> list[dict]:
    eligible = [rows for d, rows in series if d <= day]
    return eligible[-1] if eligible else []


def test_national_averages_match(data: dict[str, Any], example: Path) -> None:
    totals = daily_totals(example, *Q2)
    national = data["capaciteit_landelijk"][0]
    assert national["werkdagen"] == len(totals) == 60
    for m in ("capaciteit", "beschikbaar", "gereserveerd"):
        values = [t[m] for t in totals.values()]
        assert national[f"{m}_gem"] == pytest.approx(round(mean(values), 1))
        assert national[f"{m}_min"] == min(values)
        assert national[f"{m}_max"] == max(values)
    weeks = {r["periode"]: r for r in data["per_week"]}
    june_7 = [t["beschikbaar"] for d, t in totals.items() if d.isocalendar()[1] == 23]
    assert weeks["2021-W23"]["beschikbaar_gem"] == pytest.approx(round(mean(june_7), 1))
    per_day = {r["periode"]: r for r in data["per_werkdag"]}
    assert per_day["2021-06-15"]["beschikbaar_gem"] == totals[dt.date(2021, 6, 15)]["beschikbaar"]


def test_days_without_a_free_bed_match(data: dict[str, Any], example: Path) -> None:
    series = snapshots(example)
    nl = days_off(2021)
    expected: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    day = Q2[0]
    while day <= Q2[1]:
        if day.weekday() < 5 and day not in nl:
            free: dict[tuple[int, str, str], int] = defaultdict(int)
            for s in series.values():
                for r in rows_on(s, day):
                    free[(r["beveiligingsniveau"], r["specialisme"], r["regio"])] += r[
                        "beschikbaar"
                    ]
            for key, n in free.items():
                expected[key][0] += 1
                expected[key][1] += n == 0
        day += dt.timedelta(days=1)
    got = {
        (r["beveiligingsniveau"], r["specialisme"], r["regio"]): [
            r["werkdagen"],
            r["dagen_zonder_vrij_bed"],
        ]
        for r in data["dagen_zonder_vrij_bed"]
    }
    assert got == {k: v for k, v in expected.items()}
    assert any(v[1] > 0 for v in got.values())  # the bottleneck exists in the example


def test_implied_bed_days_and_the_planted_deviation(
    data: dict[str, Any], example: Path, lcbb_identity: Path
) -> None:
    series = snapshots(example)
    implied: dict[tuple[str, str], int] = defaultdict(int)
    day = Q2[0]
    while day <= Q2[1]:
        for aanbieder, s in series.items():
            for r in rows_on(s, covering(day)):
                implied[(aanbieder, r["locatie"])] += r["bezet"]
        day += dt.timedelta(days=1)
    reported = {}
    unseal_all(example, [lcbb_identity])
    for path in (example / "data/financiering/2021Q2").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for loc in doc["locaties"]:
            reported[(doc["aanbieder"], loc["locatie"])] = sum(loc["ligdagen"].values())
    records = {(r["aanbieder"], r["locatie"]): r for r in data["afstemming"]}
    assert set(records) == set(implied) | set(reported)
    for key, record in records.items():
        assert record["ligdagen_berekend"] == implied[key], key
        assert record["ligdagen_gemeld"] == reported[key], key
        pct = round(100 * (reported[key] - implied[key]) / implied[key], 2)
        assert record["afwijking_pct"] == pytest.approx(pct)
        assert record["buiten_tolerantie"] is (abs(pct) > 2.0)
    assert records[PLANTED]["buiten_tolerantie"] is True
    assert [(r["aanbieder"], r["locatie"]) for r in data["afstemming_afwijkingen"]] == [PLANTED]
    national = {r["grondslag"]: r["ligdagen"] for r in data["financiering_landelijk"]}
    assert national["totaal"] == sum(reported.values())
    assert set(data["afstemming"][0]) == {
        "aanbieder",
        "locatie",
        "ligdagen_gemeld",
        "ligdagen_berekend",
        "afwijking_pct",
        "buiten_tolerantie",
    }


def test_a_new_deviation_is_listed(runner: CliRunner, example: Path, lcbb_identity: Path) -> None:
    unseal_all(example, [lcbb_identity])
    path = example / "data/financiering/2021Q2/voorbeeld-ggz-noorderzand.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["locaties"][0]["ligdagen"]["overig"] += 500
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    data = json.loads(report(runner, example, "json").read_text(encoding="utf-8"))
    listed = {(r["aanbieder"], r["locatie"]) for r in data["afstemming_afwijkingen"]}
    assert ("voorbeeld-ggz-noorderzand", doc["locaties"][0]["locatie"]) in listed
    assert PLANTED in listed


def test_completeness_and_civil_forensic_share(
    data: dict[str, Any], example: Path, lcbb_identity: Path
) -> None:
    by = {r["aanbieder"]: r for r in data["volledigheid"]}
    assert set(by) == set(files_of(example))
    for aanbieder, paths in files_of(example).items():
        received = [
            p
            for p in paths
            if Q2[0] <= dt.date.fromisoformat(p.stem) <= Q2[1]
            and covering(dt.date.fromisoformat(p.stem)) == dt.date.fromisoformat(p.stem)
        ]
        assert by[aanbieder]["ontvangen"] == len(received)
        assert by[aanbieder]["verwacht"] == 60
        assert by[aanbieder]["op_tijd"] + by[aanbieder]["te_laat"] == len(received)
    assert set(data["volledigheid"][0]) >= {"aanbieder", "verwacht", "ontvangen", "op_tijd"}
    share = data["civiel_forensisch"]
    wfz = next(r for r in data["financiering_landelijk"] if r["grondslag"] == "wfz")["ligdagen"]
    assert share[-1]["kwartaal"] == "2021Q2" and share[-1]["forensisch_wfz"] == wfz
    # Issue 14: admissions once per outcome, reasons apart; computed from the YAML here.
    reasons: dict[str, int] = defaultdict(int)
    outcomes: dict[str, int] = defaultdict(int)
    unseal_all(example, [lcbb_identity])
    for path in (example / "data/logboek").glob("2021-0[456]/*.yaml"):
        export = yaml.safe_load(path.read_text(encoding="utf-8"))
        outcomes["totaal"] += export["opnames"]
        for item in export["redenen"]:
            reasons["onderdrukt (samen)" if item.get("onderdrukt") else item["reden"]] += item[
                "aantal"
            ]
        for item in export["per_uitkomst"]:
            key = "onderdrukt (samen)" if item.get("onderdrukt") else item["uitkomst"]
            outcomes[key] += item["aantal"]
    assert {r["reden"]: r["aantal"] for r in data["knelpunten"]} == dict(reasons)
    assert {r["uitkomst"]: r["opnames"] for r in data["logboek_opnames"]} == dict(outcomes)
    assert sum(r["opnames"] for r in data["logboek_groepen"]) == outcomes["totaal"] > 0


def names(repo: Path) -> set[str]:
    found = set()
    for path in (repo / "data/locaties").glob("*/*.yaml"):
        loc = yaml.safe_load(path.read_text(encoding="utf-8"))
        found |= {loc["id"], loc["naam"], loc["aanbieder"], path.stem}
    for d in yaml.safe_load((repo / "data/deelnemers.yaml").read_text(encoding="utf-8"))[
        "deelnemers"
    ]:
        if "aanbieder" in d["rollen"]:
            found |= {d["id"], d["naam"]}
    return found


def test_policy_report_names_no_provider_or_location(runner: CliRunner, example: Path) -> None:
    secret = names(example)
    assert len(secret) > 10
    for fmt in ("md", "html", "json", "csv", "xlsx"):
        target = report(runner, example, fmt, "--doelgroep", "beleid")
        if fmt == "csv":
            text = "".join(p.read_text(encoding="utf-8") for p in target.glob("*.csv"))
        elif fmt == "xlsx":
            from openpyxl import load_workbook

            book = load_workbook(target)
            text = " ".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
        else:
            text = target.read_text(encoding="utf-8")
        leaked = sorted(n for n in secret if n in text)
        assert leaked == [], (fmt, leaked)
    data = json.loads((example.parent / "rapport.json").read_text(encoding="utf-8"))
    assert "afstemming" not in data and "volledigheid" not in data
    assert data["afstemming_per_regio"] and data["volledigheid_landelijk"]


def normalised(text: str) -> str:
    return re.sub(r"<svg.*?</svg>", "<svg/>", text, flags=re.S)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_files(runner: CliRunner, example: Path, fmt: str) -> None:
    text = normalised(report(runner, example, fmt).read_text(encoding="utf-8"))
    golden = GOLDEN / f"rapport-2021Q2-lcbb.{fmt}"
    if os.environ.get("BEDCAP_GOLDEN_BIJWERKEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_html_opens_in_chromium_without_errors(
    runner: CliRunner,
    example: Path,
    browser,  # noqa: F811 - the fixture
) -> None:
    target = report(runner, example, "html")
    html = target.read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert html.count("<svg") == 2
    browser.get(target.as_uri())
    assert severe_console(browser) == []
    assert (
        "Afstemming gemelde en berekende ligdagen" in browser.find_element("tag name", "body").text
    )
    assert len(browser.find_elements("css selector", "figure svg")) == 2


def test_pdf_xlsx_and_csv(runner: CliRunner, example: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    data = json.loads(report(runner, example, "json").read_text(encoding="utf-8"))
    pdf = PdfReader(report(runner, example, "pdf"))
    assert len(pdf.pages) >= 4
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for title in (
        "Managementinformatie beveiligde bedden Q2 2021",
        "Afwijkingen buiten de tolerantie",
        "Knelpunten uit de logboeken",
    ):
        assert title in text
    assert pdf.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    book = load_workbook(report(runner, example, "xlsx"))
    keys = [k for k, v in data.items() if isinstance(v, list)]
    assert book.sheetnames == ["Over dit bestand", *(k[:31] for k in keys)]
    sheet = book["afstemming"]
    header = [c.value for c in sheet[2]]  # row 1 is the table's title
    assert header[:4] == ["Aanbieder", "Locatie", "Ligdagen gemeld", "Ligdagen berekend"]
    assert sheet.max_row == len(data["afstemming"]) + 2
    folder = report(runner, example, "csv")
    assert sorted(p.stem for p in folder.glob("*.csv")) == sorted(keys)


def test_month_and_range_and_usage(runner: CliRunner, example: Path) -> None:
    month = example.parent / "mei.json"
    done = invoke(
        runner, "report", "--maand", "2021-05", "-f", "json", "--uit", str(month), cwd=example
    )
    assert done.exit_code == 0, done.stderr
    data = json.loads(month.read_text(encoding="utf-8"))
    # 21 weekdays in May 2021 minus Bevrijdingsdag, Hemelvaart and Pinkstermaandag
    assert data["van"] == "2021-05-01" and data["capaciteit_landelijk"][0]["werkdagen"] == 18
    both = invoke(runner, "report", "--kwartaal", "2021Q2", "--maand", "2021-05", cwd=example)
    assert both.exit_code == 2 and "kies één periode" in both.stderr
    bad = invoke(runner, "report", "--kwartaal", "2021Q5", cwd=example)
    assert bad.exit_code == 2 and "geen kwartaal" in bad.stderr


def test_one_cell_converter_for_every_format() -> None:
    """A value reads the same way in a format wherever that format is written."""
    import datetime as dt

    from bedcap.contract.vocab import Rapportformaat as F
    from bedcap.outputs.cells import cell

    day = dt.date(2021, 4, 1)
    assert [cell(v, F.JSON) for v in (1.234, day, None, True)] == [1.23, "2021-04-01", None, True]
    assert [cell(v, F.CSV) for v in (True, False, None, ["a", "b"], day)] == [
        "true",
        "false",
        "",
        "a, b",
        "2021-04-01",
    ]
    assert [cell(v, F.XLSX) for v in (True, None, 1.234)] == [True, None, 1.234]
    assert [cell(v, F.HTML) for v in (True, False, None, 3)] == ["ja", "nee", "–", 3]
    assert [cell(v, F.MD) for v in (True, None)] == ["ja", "–"]


def test_default_target_per_format() -> None:
    """The file name follows the period and audience; CSV is a folder without suffix."""
    from bedcap.contract.vocab import Doelgroep, Rapportformaat
    from bedcap.outputs.render import RENDERERS, default_target
    from bedcap.outputs.report import periode

    per = periode(None, None, "2021-04-01", "2021-04-30")
    assert str(default_target(per, Doelgroep.BELEID, Rapportformaat.CSV)) == (
        "rapport-2021-04-01_t-m_2021-04-30-beleid"
    )
    assert str(default_target(per, Doelgroep.LCBB, Rapportformaat.XLSX)).endswith("-lcbb.xlsx")
    assert set(RENDERERS) | {Rapportformaat.CSV} == set(Rapportformaat)


@pytest.mark.parametrize(
    ("periode", "leesbaar", "vorige"),
    [
        (["--maand", "2021-05"], "mei 2021", "april 2021"),
        (
            ["--van", "2021-05-16", "--tot", "2021-06-15"],
            "16 mei 2021 t/m 15 juni 2021",
            "15 april 2021 t/m 15 mei 2021",
        ),
    ],
)
def test_a_month_or_range_is_named_the_dutch_way(
    runner: CliRunner, example: Path, periode: list[str], leesbaar: str, vorige: str
) -> None:
    """Title, key-figure headers, sentences and footer say `mei 2021`, never `2021-05`;
    the file name and the JSON's `periode` keep the ISO code for scripts."""
    target = example.parent / "rapport.html"
    result = invoke(runner, "report", *periode, "--uit", str(target), cwd=example)
    assert result.exit_code == 0, result.stderr
    assert f"Rapport {leesbaar} (LCBB) geschreven" in " ".join(result.stdout.split())
    text = re.sub(r"<[^>]+>", " ", target.read_text(encoding="utf-8"))
    text = " ".join(text.split())
    assert f"Managementinformatie beveiligde bedden {leesbaar}" in text
    assert f"Kerncijfers tegenover {vorige}" in text
    waar = f"de periode {vorige}" if " t/m " in vorige else vorige  # a range of days
    assert re.search(rf"(evenveel als in|dan in) {re.escape(waar)} \(", text)
    shown = re.sub(r"data/\S+", "", text)  # file paths in the list of sources stay paths
    assert not re.findall(r"\b\d{4}-\d{2}(-\d{2})?\b", shown)
    data = example.parent / "rapport.json"
    assert (
        invoke(
            runner, "report", *periode, "--format", "json", "--uit", str(data), cwd=example
        ).exit_code
        == 0
    )
    assert json.loads(data.read_text(encoding="utf-8"))["periode"] == (
        periode[1] if len(periode) == 2 else f"{periode[1]} t/m {periode[3]}"
    )


@pytest.mark.parametrize(
    "periode",
    [
        ["--maand", "2021-05"],
        ["--van", "2021-05-16", "--tot", "2021-06-15"],
        ["--kwartaal", "2021Q2"],
    ],
)
def test_the_key_figures_show_both_periods_whatever_the_period(
    runner: CliRunner, example: Path, periode: list[str]
) -> None:
    """The key figures' columns are named by the kind of period (`deze_maand`, …): the
    HTML and Markdown tables show the numbers the JSON has, not "–" outside quarters."""
    data = example.parent / "kern.json"
    done = invoke(runner, "report", *periode, "-f", "json", "--uit", str(data), cwd=example)
    assert done.exit_code == 0, done.stderr
    kern = json.loads(data.read_text(encoding="utf-8"))["kerncijfers"]
    capacity = next(r for r in kern if r["kerncijfer"] == "capaciteit")
    now, before = (v for k, v in capacity.items() if k not in ("kerncijfer", "eenheid", "verschil"))
    assert now is not None  # the example has no quarter before 2021Q2: that one is empty
    expected = [dutch.getal(v) if v is not None else dutch.LEEG for v in (now, before)]
    for fmt in ("html", "md"):
        target = example.parent / f"kern.{fmt}"
        done = invoke(runner, "report", *periode, "-f", fmt, "--uit", str(target), cwd=example)
        assert done.exit_code == 0, done.stderr
        text = " ".join(re.sub(r"<[^>]+>", " ", target.read_text(encoding="utf-8")).split())
        row = re.search(r"Bedden \(capaciteit\), gemiddeld[ |]+(\S+)[ |]+(\S+)", text)
        assert row is not None, (fmt, text[:2000])
        assert [row.group(1), row.group(2)] == expected, fmt
