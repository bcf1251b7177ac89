"""The report's tables from the logbook exports: admissions once, reasons apart (issue 14).

Each export counts a provider's admissions of one month once, per outcome and per level
× specialism × civil/forensic, with the reasons as a breakdown of their own; the cells
under the small-cell threshold are already merged at the provider (`submission.logcounts`).
Here they are summed over providers and months; the merged cells sum into one row
`onderdrukt (samen)`, so every table still adds up to the national number of admissions.
Exports of the first version only hold outcome × reason counts: their reasons are summed,
and the admissions tables say how many such exports they miss.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from bedcap import calendar
from bedcap.files.repo import LOGBOEK, DataRepo
from bedcap.outputs.report import Tabel

if TYPE_CHECKING:
    from bedcap.outputs.confidential import Lezer

SAMEN = "onderdrukt (samen)"
TOTAAL = "totaal"
Key = tuple[Any, ...]


def _exports(repo: DataRepo, van: dt.date, tot: dt.date, lezer: Lezer) -> list[dict[str, Any]]:
    months = sorted({d.strftime("%Y-%m") for d in calendar.dagen(van, tot)})
    return [
        data
        for maand in months
        for data in lezer.files(repo, f"{LOGBOEK}/{maand}").values()
        if isinstance(data, dict)
    ]


def _add(
    tally: Counter[Key], rows: Any, velden: tuple[str, ...], wie: dict[Key, set[str]], bron: str
) -> None:
    for row in rows or []:
        if isinstance(row, dict) and isinstance(row.get("aantal"), int):
            key = (SAMEN,) if row.get("onderdrukt") else tuple(row.get(v) for v in velden)
            tally[key] += row["aantal"]
            wie.setdefault(key, set()).add(bron)


def sums(exports: list[dict[str, Any]]) -> dict[str, Any]:
    """National sums of every breakdown, and the exports that count no admissions."""
    out: dict[str, Any] = {
        "opnames": 0,
        "uitkomst": Counter(),
        "groep": Counter(),
        "reden": Counter(),
        "zonder": 0,
        "aanbieders": {"uitkomst": {}, "groep": {}, "reden": {}},  # who is in each cell
    }
    wie = out["aanbieders"]
    for data in exports:
        bron = str(data.get("aanbieder"))
        if isinstance(data.get("opnames"), int):
            out["opnames"] += data["opnames"]
            _add(out["uitkomst"], data.get("per_uitkomst"), ("uitkomst",), wie["uitkomst"], bron)
            groep = ("niveau", "specialisme", "kader")
            _add(out["groep"], data.get("per_groep"), groep, wie["groep"], bron)
            _add(out["reden"], data.get("redenen"), ("reden",), wie["reden"], bron)
        else:  # version 1: outcome × reason, an admission counted per reason
            out["zonder"] += 1
            _add(out["reden"], data.get("aantallen"), ("reden",), wie["reden"], bron)
    return out


def _few_providers(
    tally: Counter[Key], wie: dict[Key, set[str]], drempel: int | None
) -> Counter[Key]:
    """`beleid` (issue 13): cells from fewer providers than `drempel` (an export names no
    location) go into the `onderdrukt (samen)` cell, with more (smallest first) until the
    cells added are at least two and together from at least `drempel` providers."""
    if drempel is None:
        return tally
    keys = [k for k in tally if k != (SAMEN,)]
    picked = {k for k in keys if len(wie.get(k, ())) < drempel}
    if not picked:
        return tally
    rest = sorted((k for k in keys if k not in picked), key=lambda k: len(wie.get(k, ())))

    def providers() -> set[str]:
        return set().union(*(wie.get(k, set()) for k in picked))

    while rest and (len(picked) < 2 or len(providers()) < drempel):
        picked.add(rest.pop(0))
    out = Counter(tally)
    for k in picked:
        out[(SAMEN,)] += out.pop(k)
    return out


def _rows(tally: Counter[Key], velden: tuple[str, ...], kolom: str) -> list[dict[str, Any]]:
    """Largest first, the merged small cells last (named in the last key column)."""
    keys = sorted((k for k in tally if k != (SAMEN,)), key=lambda k: (-tally[k], str(k)))
    rows = [{**dict(zip(velden, k, strict=True)), kolom: tally[k]} for k in keys]
    if (SAMEN,) in tally:
        rows.append({**dict.fromkeys(velden), velden[-1]: SAMEN, kolom: tally[(SAMEN,)]})
    return rows


def logbook_tables(
    repo: DataRepo, van: dt.date, tot: dt.date, lezer: Lezer, drempel: int | None = None
) -> list[Tabel]:
    """Admissions per outcome and per group, then the reasons (`knelpunten`); with
    `drempel` (`beleid`) no cell shows fewer providers (`_few_providers`)."""
    exports = _exports(repo, van, tot, lezer)
    s = sums(exports)
    for soort in ("uitkomst", "groep", "reden"):
        s[soort] = _few_providers(s[soort], s["aanbieders"][soort], drempel)
    tables = _tables(s, any(rel.startswith(f"{LOGBOEK}/") for rel in lezer.onleesbaar))
    if drempel is not None and len({str(d.get("aanbieder")) for d in exports}) < drempel:
        from bedcap.outputs.suppression import per_row

        for tabel in tables:  # too few providers for any figure, totals included
            per_row(tabel, lambda r: 0, drempel)
            tabel.toelichting = (
                f"Logboekexports van minder dan {drempel} aanbieders: voor deze doelgroep "
                "worden geen aantallen getoond, zodat geen aanbieder herkenbaar is."
            )
    return tables


def _tables(s: dict[str, Any], unread: bool) -> list[Tabel]:
    leeg = (
        "Logboekexports niet gelezen (versleuteld); zie niet_leesbaar."
        if unread
        else "Geen logboekexports in deze periode."
    )
    oud = (
        f" {s['zonder']} export(s) van de eerste versie tellen geen opnames, alleen redenen."
        if s["zonder"]
        else ""
    )
    opnames = _rows(s["uitkomst"], ("uitkomst",), "opnames")
    if opnames:
        opnames.append({"uitkomst": TOTAAL, "opnames": s["opnames"]})
    groep = ("beveiligingsniveau", "specialisme", "kader")
    redenen = _rows(s["reden"], ("reden",), "aantal")
    keer = sum(s["reden"].values())
    return [
        Tabel(
            "logboek_opnames",
            "Opnames uit de logboeken per uitkomst (elke opname één keer)",
            ["uitkomst", "opnames"],
            opnames,
            (f"Kleine aantallen zijn per aanbieder samengenomen.{oud}" if opnames else leeg + oud),
        ),
        Tabel(
            "logboek_groepen",
            "Opnames uit de logboeken per niveau, specialisme en civiel of forensisch",
            [*groep, "opnames"],
            _rows(s["groep"], groep, "opnames"),
            "Civiel of forensisch volgt het gevraagde rechtskader (Wfz: forensisch)."
            if opnames
            else leeg,
        ),
        Tabel(
            "knelpunten",
            "Knelpunten uit de logboeken: redenen",
            ["reden", "aantal"],
            redenen,
            f"Een opname met meer redenen telt bij elke reden: samen {keer} keer een reden "
            f"bij {s['opnames']} opnames.{oud}"
            if redenen
            else leeg,
        ),
    ]
