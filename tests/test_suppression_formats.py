"""Issue 13, class 9, as a class: no figure of the `beleid` report, in any table of any
format, comes from fewer locations than the threshold.

The location count behind every row is computed here from the repository's own files
(snapshot Parquet read with pyarrow, location, financing and logbook YAML decrypted with
the example's keys), not with bedcap's query code. The example has regions with one or
two locations; thresholds 3 and 6 make levels, specialisms and frameworks small too, and
11 (more than the country's ten locations) hides every figure.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pyarrow.parquet as pq
import pytest
import yaml

from bedcap.files import agefile

QUARTER = [dt.date(2021, 4, 1), dt.date(2021, 6, 30)]
ALWAYS_SHOWN = {"werkdagen"}  # the number of working days says nothing about a provider
SAMEN = "onderdrukt (samen)"
LABELS = {"groep", "regio", "beveiligingsniveau", "specialisme", "zorgtype", "grondslag",
          "kwartaal", "periode", "maat", "kerncijfer", "eenheid", "uitkomst", "reden", "soort",
          "onderdrukt", "kader"}  # fmt: skip


class Facts:
    """Who stands behind each group, read from the files themselves."""

    def __init__(self, root: Path, key: Path) -> None:
        ids = agefile.load_identities([key])
        self.rows: list[dict[str, Any]] = []
        for path in (root / "data/snapshots").glob("*/2021/2021-0[456]-*.parquet"):
            self.rows += pq.read_table(path).to_pylist()
        self.kaders: dict[tuple[str, str, str], list[str]] = {}
        self.regio: dict[tuple[str, str], str] = {}
        for path in (root / "data/locaties").glob("*/*.yaml"):
            loc = yaml.safe_load(path.read_text(encoding="utf-8"))
            self.regio[(loc["aanbieder"], loc["id"])] = loc["regio"]
            for afd in loc["afdelingen"]:
                kaders = afd.get("rechtskaders") or loc["rechtskaders"]
                self.kaders[(loc["aanbieder"], loc["id"], afd["id"])] = kaders

        def read(path: Path) -> dict[str, Any]:
            plain = agefile.decrypt(path.read_bytes(), ids)
            assert plain is not None, path
            return yaml.safe_load(plain)

        self.financed = {
            (data["aanbieder"], loc["locatie"])
            for path in (root / "data/financiering/2021Q2").glob("*.yaml.age")
            for data in [read(path)]
            for loc in data["locaties"]
        }
        # providers per logbook cell: (table, key) -> providers; a merged cell is no key
        self.logbook: dict[tuple[str, tuple], set[str]] = defaultdict(set)
        parts = {
            "logboek_opnames": ("per_uitkomst", ("uitkomst",)),
            "logboek_groepen": ("per_groep", ("niveau", "specialisme", "kader")),
            "knelpunten": ("redenen", ("reden",)),
        }
        for path in (root / "data/logboek").glob("2021-0[456]/*.yaml.age"):
            data = read(path)
            self.logbook[("logboek_opnames", ("totaal",))].add(data["aanbieder"])
            for table, (part, keys) in parts.items():
                for item in data.get(part) or data.get("aantallen") * (table == "knelpunten"):
                    if not item.get("onderdrukt"):
                        key = tuple(item.get(k) for k in keys)
                        self.logbook[(table, key)].add(data["aanbieder"])

    def locations(self, keep: Callable[[dict[str, Any]], bool]) -> int:
        return len({(r["aanbieder"], r["locatie"]) for r in self.rows if keep(r)})

    def size(self, table: str, row: dict[str, Any]) -> int:
        """How many locations (providers, for the logbook) a row of `table` comes from."""
        g = str(row.get("groep"))
        if table in ("capaciteit_regio", "capaciteit_niveau", "capaciteit_specialisme",
                     "capaciteit_zorgtype"):  # fmt: skip
            column = {"niveau": "beveiligingsniveau"}.get(table[11:], table[11:])
            return self.locations(lambda r: str(r[column]) == g)
        if table == "capaciteit_rechtskader":
            return self.locations(
                lambda r: g in self.kaders[(r["aanbieder"], r["locatie"], r["afdeling"])]
            )
        if table == "dagen_zonder_vrij_bed":
            cols = ("beveiligingsniveau", "specialisme", "regio")
            return self.locations(lambda r: all(str(r[c]) == str(row[c]) for c in cols))
        if table == "financiering_per_regio":
            return sum(1 for k in self.financed if self.regio[k] == row["regio"])
        if table == "financiering_per_niveau":
            level = row["beveiligingsniveau"]
            return self.locations(
                lambda r: (
                    (r["aanbieder"], r["locatie"]) in self.financed
                    and r["beveiligingsniveau"] == level
                )
            )
        if table == "afstemming_per_regio":
            implied = {(r["aanbieder"], r["locatie"]) for r in self.rows}
            return sum(1 for k in self.financed | implied if self.regio[k] == row["regio"])
        if table in ("financiering_landelijk", "civiel_forensisch"):
            return len(self.financed)
        if table in ("logboek_opnames", "knelpunten"):
            return len(self.logbook[(table, (row.get("uitkomst", row.get("reden")),))])
        if table == "logboek_groepen":
            key = (row["beveiligingsniveau"], row["specialisme"], row["kader"])
            return len(self.logbook[(table, key)])
        return self.locations(lambda r: True)  # national: every location


def _build(root: Path, key: Path, drempel: int) -> Any:
    from bedcap.contract.vocab import Doelgroep
    from bedcap.files.repo import DataRepo
    from bedcap.outputs.report import build, periode

    settings = root / "data/bedcap.toml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"onderdrukking_drempel_locaties = \d+", f"onderdrukking_drempel_locaties = "
                  f"{drempel}", text)  # fmt: skip
    settings.write_text(text, encoding="utf-8")
    per = periode("2021Q2", None, None, None)
    return build(DataRepo(root), per, Doelgroep.BELEID, dt.date(2021, 7, 15), identiteit=key)


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in LABELS and k not in ALWAYS_SHOWN}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.skip += tag in ("style", "script", "svg")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script", "svg")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _shown(value: Any) -> str:
    from bedcap.outputs.dutch import getal

    return getal(value) if isinstance(value, int) else getal(value, 1)


@pytest.mark.parametrize("drempel", [3, 6, 11])
def test_no_beleid_figure_comes_from_too_few_locations(
    drempel: int, example: Path, example_keys: dict[str, Path], tmp_path: Path
) -> None:
    from bedcap.contract.vocab import Rapportformaat
    from bedcap.files.repo import DataRepo
    from bedcap.outputs.render import write

    key = example_keys["lcbb"]
    facts = Facts(example, key)
    open_report = _build(example, key, 1).data()  # nothing suppressed: what must stay hidden
    rapport = _build(example, key, drempel)
    data = rapport.data()
    tables = {t.naam: t for t in rapport.tabellen}
    assert {"financiering_per_regio", "afstemming_per_regio", "knelpunten"} <= set(tables)
    secrets: set[str] = set()
    suppressed = 0
    for naam, rows in data.items():
        if not isinstance(rows, list) or naam == "niet_leesbaar":
            continue
        hidden = [r for r in rows if r.get("onderdrukt")]
        for r in rows:
            if SAMEN in r.values():  # the suppressed rows together: checked below
                continue
            small = drempel > 10 or facts.size(naam, r) < drempel
            if small or r.get("onderdrukt"):
                assert r.get("onderdrukt") is True, (naam, r)
                assert all(v is None for v in _figures(r).values()), (naam, r)
                suppressed += 1
                same = [o for o in open_report[naam] if all(o.get(k) == v for k, v in r.items()
                        if k in LABELS and k != "onderdrukt")]  # fmt: skip
                for o in same:
                    numbers = [v for v in _figures(o).values() if isinstance(v, int | float)]
                    secrets |= {_shown(v) for v in numbers if not isinstance(v, bool)}
        samen = [r for r in hidden if SAMEN in r.values()]
        if samen and drempel <= 10 and len(hidden) < len(rows):  # never one row alone
            parts = [r for r in hidden if SAMEN not in r.values()]
            assert len(parts) >= 2, naam
            assert sum(facts.size(naam, r) for r in parts) >= drempel, naam
    assert suppressed, "the example has small groups: the test must see one"
    # a region's reported bed-days stand in two tables: shown in both or hidden in both
    fin = {r["regio"]: r["onderdrukt"] for r in data["financiering_per_regio"]}
    for r in data["afstemming_per_regio"]:
        if r["regio"] in fin:
            assert r["onderdrukt"] == fin[r["regio"]], r
    if drempel > 10:
        assert rapport.grafieken == {} and len(rapport.zinnen) == 1
    # what a reader sees elsewhere is no secret (the same figure shown for a large group)
    for rows in data.values():
        if isinstance(rows, list):
            for r in rows:
                secrets -= {_shown(v) for v in r.values()
                            if isinstance(v, int | float) and not isinstance(v, bool)}  # fmt: skip
    secrets = {s for s in secrets if len(re.sub(r"\D", "", s)) >= 3}
    if drempel <= 10:
        assert secrets, "no hidden figure to look for"

    repo = DataRepo(example)
    out = tmp_path / "uit"
    out.mkdir()
    # CSV and XLSX: every row cell for cell as in the checked data, suppressed ones empty
    write(rapport, Rapportformaat.CSV, out / "csv", repo)
    write(rapport, Rapportformaat.XLSX, out / "r.xlsx", repo)
    book = openpyxl.load_workbook(out / "r.xlsx", read_only=True)
    for naam, t in tables.items():
        with (out / "csv" / f"{naam}.csv").open(encoding="utf-8") as fh:
            lines = list(csv.DictReader(fh))
        assert len(lines) == len(t.rijen), naam
        for line, r in zip(lines, data[naam], strict=True):
            for k, v in _figures(r).items():
                assert (line[k] == "") == (v is None), (naam, k, line, r)
        sheet = list(book[naam[:31]].iter_rows(values_only=True))
        body = sheet[2 : 2 + len(t.rijen)]  # a title row, a header row, then the records
        assert len(body) == len(t.rijen), naam
        for cells, r in zip(body, data[naam], strict=True):
            for k, v in _figures(r).items():
                assert (cells[t.kolommen.index(k)] is None) == (v is None), (naam, k, cells)
    # HTML, Markdown, PDF: no hidden figure appears anywhere in the text
    write(rapport, Rapportformaat.HTML, out / "r.html", repo)
    write(rapport, Rapportformaat.MD, out / "r.md", repo)
    write(rapport, Rapportformaat.PDF, out / "r.pdf", repo)
    parser = _Text()
    parser.feed((out / "r.html").read_text(encoding="utf-8"))
    with pdfplumber.open(out / "r.pdf") as pdf:
        pdf_text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    texts = {
        "html": " ".join(parser.parts),
        "md": (out / "r.md").read_text(encoding="utf-8"),
        "pdf": pdf_text,
        "json": json.dumps(data),
    }
    for fmt, text in texts.items():
        for secret in secrets:
            found = re.search(rf"(?<![\d.,]){re.escape(secret)}(?![\d]|[.,]\d)", text)
            assert found is None, (fmt, secret, text[max(0, found.start() - 80) : found.end() + 20])
