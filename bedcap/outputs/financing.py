"""The financing tables of the report: basis per region and level, reconciliation, share.

Financing files are per location, so a location's reported bed-days are split over its
levels in proportion to its implied bed-days per level. A location with snapshots but no
financing line has `ligdagen_gemeld` null and is outside the tolerance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bedcap import calendar
from bedcap.files.repo import FINANCIERING, DataRepo
from bedcap.outputs.dutch import procent
from bedcap.outputs.report import Tabel, pct

if TYPE_CHECKING:
    from bedcap.outputs.confidential import Lezer

GRONDSLAGEN = ("wlz", "zvw", "wfz", "overig")
KWARTALEN_TERUG = 8  # quarters shown in the civil/forensic share
Locatiesleutel = tuple[str, str]  # (aanbieder, locatie)


def financing_files(repo: DataRepo, kwartaal: str, lezer: Lezer) -> dict[str, Any]:
    """Financing files of one quarter as read (decrypted when `lezer` can), by provider."""
    found = lezer.files(repo, f"{FINANCIERING}/{kwartaal}")
    return {a: d for a, d in found.items() if isinstance(d.get("locaties"), list)}


def reported(files: dict[str, Any]) -> dict[Locatiesleutel, dict[str, int]]:
    """Reported bed-days per financing basis, per location."""
    out: dict[Locatiesleutel, dict[str, int]] = {}
    for aanbieder, data in files.items():
        for loc in data["locaties"]:
            if isinstance(loc, dict) and isinstance(loc.get("ligdagen"), dict):
                out[(aanbieder, str(loc.get("locatie")))] = {
                    g: int(loc["ligdagen"].get(g) or 0) for g in GRONDSLAGEN
                }
    return out


@dataclass
class Ligdagen:
    """One quarter's bed-days: reported per basis, implied per location and level."""

    gemeld: dict[Locatiesleutel, dict[str, int]]
    berekend: dict[Locatiesleutel, int]
    per_niveau: dict[Locatiesleutel, dict[int, int]]
    regio: dict[Locatiesleutel, str]


def _ligdagen(gemeld: dict, implied: list[dict[str, Any]], statisch: Any) -> Ligdagen:
    by_loc: dict[Locatiesleutel, int] = defaultdict(int)
    by_level: dict[Locatiesleutel, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    regio_of: dict[Locatiesleutel, str] = {}
    for r in implied:
        key = (r["aanbieder"], r["locatie"])
        by_loc[key] += int(r["ligdagen"])
        by_level[key][int(r["beveiligingsniveau"])] += int(r["ligdagen"])
        regio_of[key] = r["regio"]
    for key in gemeld:
        if key not in regio_of:
            loc = statisch.locatie(*key)
            regio_of[key] = loc["regio"] if loc else "onbekend"
    return Ligdagen(gemeld, by_loc, by_level, regio_of)


def financing_tables(
    repo: DataRepo,
    kwartalen: list[calendar.Kwartaal],
    implied: list[dict[str, Any]],
    statisch: Any,
    tolerantie: float,
    lcbb: bool,
    lezer: Lezer,
    drempel: int | None = None,
) -> list[Tabel]:
    """Every financing table of `kwartalen` together; without providers or locations for
    `beleid`. A report over a year or any period (issue 14) sums its whole quarters.

    A provider whose file `lezer` could not decrypt is left out of the reconciliation (not
    shown as "nothing reported"); when nothing could be read there are no tables at all.
    `drempel` (`beleid`): cells from fewer locations are suppressed (`suppression`).
    """
    gemeld: dict[Locatiesleutel, dict[str, int]] = {}
    unread: set[str] = set()
    for q in kwartalen:
        files = financing_files(repo, str(q), lezer)  # reading marks what was unreadable
        unread |= lezer.unread_in(f"{FINANCIERING}/{q}")
        for key, parts in reported(files).items():
            som = gemeld.setdefault(key, dict.fromkeys(GRONDSLAGEN, 0))
            for g in GRONDSLAGEN:
                som[g] += parts[g]
    if unread and not gemeld:
        return []
    gemeld = {k: v for k, v in gemeld.items() if k[0] not in unread}
    implied = [r for r in implied if r["aanbieder"] not in unread]
    dagen = _ligdagen(gemeld, implied, statisch)
    rows = reconciliation(dagen, tolerantie)
    naam = kwartalen[0].tekst + (f" t/m {kwartalen[-1].tekst}" if len(kwartalen) > 1 else "")
    tables = [
        _national(dagen, naam),
        *_per_region_and_level(dagen),
        *(_reconciliation_lcbb(rows, tolerantie) if lcbb else [_reconciliation_regions(rows)]),
        civil_forensic(repo, kwartalen[-1], lezer, drempel),
    ]
    if drempel is not None:
        _suppress(tables, dagen, rows, drempel)
    return tables


def _suppress(tables: list[Tabel], dagen: Ligdagen, rows: list[dict], drempel: int) -> None:
    """Small cells of the `beleid` financing tables: each row counts the locations with a
    financing line (per level: those whose snapshots imply bed-days at that level)."""
    from bedcap.outputs import suppression

    regio = Counter(dagen.regio[k] for k in dagen.gemeld)
    niveau = Counter(n for k in dagen.gemeld for n, d in dagen.per_niveau.get(k, {}).items() if d)
    afstemming = Counter(r["regio"] for r in rows)
    size = {
        "financiering_landelijk": lambda r: len(dagen.gemeld),
        "financiering_per_regio": lambda r: regio[r["regio"]],
        "financiering_per_niveau": lambda r: niveau[r["beveiligingsniveau"]],
        "afstemming_per_regio": lambda r: afstemming[r["regio"]],
    }
    hidden = _shared_regions(tables, size, drempel)
    for tabel in tables:
        if tabel.naam == "financiering_landelijk":
            suppression.per_row(tabel, size[tabel.naam], drempel)
        elif tabel.naam in size:
            also = (lambda r: r.get("regio") in hidden) if "regio" in tabel.kolommen else None
            suppression.additive(tabel, size[tabel.naam], drempel, also or (lambda r: False))


def _shared_regions(tables: list[Tabel], size: dict[str, Any], drempel: int) -> set[str]:
    """The regions to hide in both region tables: a region's reported bed-days stand in
    both, so one hidden there is hidden here too, until neither table adds a region (else
    one table's visible row and the other's `samen` row would give it by subtraction)."""
    from bedcap.rules.smallcells import chosen

    regional = [t for t in tables if t.naam in ("financiering_per_regio", "afstemming_per_regio")]
    hidden: set[str] = set()

    def known(r: dict[str, Any]) -> bool:
        return r["regio"] in hidden

    while True:
        found = {
            t.rijen[i]["regio"]
            for t in regional
            for i in chosen(t.rijen, size[t.naam], drempel, known)
        }
        if found <= hidden:
            return hidden
        hidden |= found


def _national(dagen: Ligdagen, kwartaal: str) -> Tabel:
    national = {g: sum(v[g] for v in dagen.gemeld.values()) for g in GRONDSLAGEN}
    total = sum(national.values())
    return Tabel(
        "financiering_landelijk",
        f"Financieringsgrondslag van bezette ligdagen, {kwartaal}",
        ["grondslag", "ligdagen", "aandeel_pct"],
        [
            {"grondslag": g, "ligdagen": national[g], "aandeel_pct": pct(national[g], total)}
            for g in GRONDSLAGEN
        ]
        + [{"grondslag": "totaal", "ligdagen": total, "aandeel_pct": 100.0 if total else 0.0}],
    )


def _per_region_and_level(dagen: Ligdagen) -> list[Tabel]:
    per_regio: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(GRONDSLAGEN, 0.0))
    per_niveau: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(GRONDSLAGEN, 0.0))
    for key, parts in dagen.gemeld.items():
        for g in GRONDSLAGEN:
            per_regio[dagen.regio[key]][g] += parts[g]
        levels = dagen.per_niveau.get(key, {})
        spread = sum(levels.values())
        for level, days in levels.items():
            for g in GRONDSLAGEN:
                per_niveau[level][g] += parts[g] * days / spread if spread else 0

    def records(kolom: str, groups: dict[Any, dict[str, float]]) -> list[dict[str, Any]]:
        return [
            {kolom: k, **{g: round(v[g]) for g in GRONDSLAGEN}, "totaal": round(sum(v.values()))}
            for k, v in sorted(groups.items())
        ]

    return [
        Tabel(
            "financiering_per_regio",
            "Financieringsgrondslag per regio",
            ["regio", *GRONDSLAGEN, "totaal"],
            records("regio", per_regio),
        ),
        Tabel(
            "financiering_per_niveau",
            "Financieringsgrondslag per beveiligingsniveau (een locatie verdeeld naar de "
            "berekende ligdagen per niveau)",
            ["beveiligingsniveau", *GRONDSLAGEN, "totaal"],
            records("beveiligingsniveau", per_niveau),
        ),
    ]


def reconciliation(dagen: Ligdagen, tolerantie: float) -> list[dict[str, Any]]:
    """Reported against implied bed-days per location, with the deviation in percent."""
    rows: list[dict[str, Any]] = []
    for key in sorted(set(dagen.gemeld) | set(dagen.berekend)):
        gemeld = sum(dagen.gemeld[key].values()) if key in dagen.gemeld else None
        berekend = dagen.berekend.get(key, 0)
        if gemeld is None:
            afwijking = None
        elif berekend:
            afwijking = round(100.0 * (gemeld - berekend) / berekend, 2)
        else:
            afwijking = 100.0 if gemeld else 0.0
        rows.append(
            {
                "aanbieder": key[0],
                "locatie": key[1],
                "regio": dagen.regio.get(key, "onbekend"),
                "ligdagen_gemeld": gemeld,
                "ligdagen_berekend": berekend,
                "afwijking_pct": afwijking,
                "buiten_tolerantie": afwijking is None or abs(afwijking) > tolerantie,
            }
        )
    return rows


def _reconciliation_lcbb(rows: list[dict[str, Any]], tolerantie: float) -> list[Tabel]:
    kolommen = ["aanbieder", "locatie", "ligdagen_gemeld", "ligdagen_berekend", "afwijking_pct"]
    buiten = [r for r in rows if r["buiten_tolerantie"]]
    return [
        Tabel(
            "afstemming",
            "Afstemming gemelde en berekende ligdagen per locatie "
            f"(tolerantie {procent(tolerantie)})",
            [*kolommen, "buiten_tolerantie"],
            rows,
        ),
        Tabel(
            "afstemming_afwijkingen",
            "Afwijkingen buiten de tolerantie",
            kolommen,
            buiten,
            "" if buiten else "Geen afwijkingen buiten de tolerantie.",
        ),
    ]


def _reconciliation_regions(rows: list[dict[str, Any]]) -> Tabel:
    regions: dict[str, dict[str, Any]] = {}
    for r in rows:
        agg = regions.setdefault(
            r["regio"],
            {
                "regio": r["regio"],
                "ligdagen_gemeld": 0,
                "ligdagen_berekend": 0,
                "buiten_tolerantie": 0,
            },
        )
        agg["ligdagen_gemeld"] += r["ligdagen_gemeld"] or 0
        agg["ligdagen_berekend"] += r["ligdagen_berekend"]
        agg["buiten_tolerantie"] += int(r["buiten_tolerantie"])
    return Tabel(
        "afstemming_per_regio",
        "Afstemming van ligdagen per regio",
        ["regio", "ligdagen_gemeld", "ligdagen_berekend", "buiten_tolerantie"],
        [regions[k] for k in sorted(regions)],
    )


def civil_forensic(
    repo: DataRepo, kwartaal: calendar.Kwartaal, lezer: Lezer, drempel: int | None = None
) -> Tabel:
    """Wfz against Wlz + Zvw + overig for the quarters up to `kwartaal` with financing;
    with `drempel`, a quarter with fewer locations reporting is suppressed."""
    quarters = [kwartaal]
    while len(quarters) < KWARTALEN_TERUG:
        quarters.append(quarters[-1].vorige)
    share = []
    locaties: dict[str, int] = {}
    for q in reversed(quarters):
        rep = reported(financing_files(repo, str(q), lezer))
        if not rep:
            continue
        wfz = sum(v["wfz"] for v in rep.values())
        rest = sum(v[g] for v in rep.values() for g in ("wlz", "zvw", "overig"))
        share.append(
            {
                "kwartaal": str(q),
                "forensisch_wfz": wfz,
                "civiel": rest,
                "aandeel_forensisch_pct": pct(wfz, wfz + rest),
            }
        )
        locaties[str(q)] = len(rep)
    tabel = Tabel(
        "civiel_forensisch",
        "Civiel en forensisch (Wfz) per kwartaal",
        ["kwartaal", "forensisch_wfz", "civiel", "aandeel_forensisch_pct"],
        share,
    )
    if drempel is not None:
        from bedcap.outputs.suppression import per_row

        per_row(tabel, lambda r: locaties[r["kwartaal"]], drempel)
    return tabel
