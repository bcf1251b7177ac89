"""Quarterly management information: report data as plain tables, then rendered.

Every figure comes from the query layer (`query`), so the report, `bedcap history` and the
dashboard give the same number for the same question. The report is a list of `Tabel`s
plus charts; each output format renders that same list, and JSON is the data itself.
For the `beleid` audience no table names a provider or a location.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bedcap import calendar
from bedcap.contract.vocab import Doelgroep
from bedcap.files.repo import FINANCIERING, LOGBOEK, DataRepo
from bedcap.store import sources
from bedcap.store.query import Naar, Per, dagen_zonder_vrij_bed, geschiedenis, ligdagen

GRONDSLAGEN = ("wlz", "zvw", "wfz", "overig")
KWARTALEN_TERUG = 8  # quarters shown in the civil/forensic share


@dataclass
class Tabel:
    """One table: a stable key (JSON key, sheet and CSV name), a Dutch title, records."""

    naam: str
    titel: str
    kolommen: list[str]
    rijen: list[dict[str, Any]]
    toelichting: str = ""


@dataclass
class Rapport:
    titel: str
    periode: str
    van: dt.date
    tot: dt.date
    doelgroep: Doelgroep
    gemaakt_op: str
    tabellen: list[Tabel] = field(default_factory=list)
    grafieken: dict[str, str] = field(default_factory=dict)  # name → inline SVG

    def tabel(self, naam: str) -> Tabel:
        return next(t for t in self.tabellen if t.naam == naam)

    def data(self) -> dict[str, Any]:
        """The JSON document: metadata, then every table's records under its key."""
        doc: dict[str, Any] = {
            "titel": self.titel,
            "periode": self.periode,
            "van": self.van.isoformat(),
            "tot": self.tot.isoformat(),
            "doelgroep": str(self.doelgroep),
            "gemaakt_op": self.gemaakt_op,
        }
        for t in self.tabellen:
            doc[t.naam] = [{k: _plain(r.get(k)) for k in t.kolommen} for r in t.rijen]
        return doc


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    return value


@dataclass(frozen=True)
class Periode:
    naam: str
    van: dt.date
    tot: dt.date
    vorige: tuple[dt.date, dt.date] | None  # the previous quarter, for the comparison
    kwartaal: calendar.Kwartaal | None


def periode(kwartaal: str | None, maand: str | None, van: str | None, tot: str | None) -> Periode:
    """The report period from exactly one of --kwartaal, --maand or --van/--tot."""
    from bedcap.errors import UsageError

    given = [x for x in (kwartaal, maand, van or tot) if x]
    if len(given) != 1:
        raise UsageError("kies één periode: --kwartaal, --maand of --van met --tot")
    if kwartaal:
        k = calendar.Kwartaal.parse(kwartaal)
        return Periode(str(k), k.begin, k.eind, (k.vorige.begin, k.vorige.eind), k)
    if maand:
        try:
            first = dt.date.fromisoformat(f"{maand}-01")
        except ValueError as exc:
            raise calendar.InvalidDateError(
                f"{maand!r} is geen maand; verwacht: JJJJ-MM, zoals 2021-05"
            ) from exc
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return Periode(maand, first, nxt - dt.timedelta(days=1), None, None)
    if not (van and tot):
        raise UsageError("--van en --tot horen samen")
    begin, eind = calendar.parse_datum(van), calendar.parse_datum(tot)
    if begin > eind:
        raise UsageError(f"--van {begin} ligt na --tot {eind}")
    return Periode(f"{begin} t/m {eind}", begin, eind, None, None)


def _stats(daily: list[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> list[dict]:
    """Average, minimum and maximum of the daily totals per group, over working days."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in daily:
        groups[key(r)].append(r)
    out = []
    for groep, rows in sorted(groups.items()):
        rec: dict[str, Any] = {"groep": groep, "werkdagen": len(rows)}
        for m in ("capaciteit", "beschikbaar", "gereserveerd", "bezet"):
            values = [r[f"{m}_gem"] for r in rows]
            rec[f"{m}_gem"] = round(sum(values) / len(values), 1)
            rec[f"{m}_min"] = int(min(values))
            rec[f"{m}_max"] = int(max(values))
        out.append(rec)
    return out


STAT_KOLOMMEN = [
    "groep",
    "werkdagen",
    *(
        f"{m}_{s}"
        for m in ("capaciteit", "beschikbaar", "gereserveerd")
        for s in ("gem", "min", "max")
    ),
    "bezet_gem",
]


def _financing_files(repo: DataRepo, kwartaal: str) -> dict[str, Any]:
    """Parsed financing files of one quarter, by provider (unreadable ones skipped)."""
    from bedcap.files.yamlio import load_yaml

    found: dict[str, Any] = {}
    folder = repo.path(f"{FINANCIERING}/{kwartaal}")
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.yaml")):
        loaded = load_yaml(repo.root, f"{FINANCIERING}/{kwartaal}/{path.name}")
        if isinstance(loaded.data, dict) and isinstance(loaded.data.get("locaties"), list):
            found[path.stem] = loaded.data
    return found


def _reported(files: dict[str, Any]) -> dict[tuple[str, str], dict[str, int]]:
    out: dict[tuple[str, str], dict[str, int]] = {}
    for aanbieder, data in files.items():
        for loc in data["locaties"]:
            if isinstance(loc, dict) and isinstance(loc.get("ligdagen"), dict):
                out[(aanbieder, str(loc.get("locatie")))] = {
                    g: int(loc["ligdagen"].get(g) or 0) for g in GRONDSLAGEN
                }
    return out


def _logbook_counts(repo: DataRepo, van: dt.date, tot: dt.date) -> list[dict[str, Any]]:
    from bedcap.files.yamlio import load_yaml

    tally: dict[tuple[str, str], int] = defaultdict(int)
    base = repo.path(LOGBOEK)
    months = sorted({d.strftime("%Y-%m") for d in calendar.dagen(van, tot)})
    for maand in months:
        folder = base / maand
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            data = load_yaml(repo.root, f"{LOGBOEK}/{maand}/{path.name}").data
            for item in (data or {}).get("aantallen") or []:
                if isinstance(item, dict) and isinstance(item.get("aantal"), int):
                    tally[(str(item.get("uitkomst")), str(item.get("reden")))] += item["aantal"]
    return [
        {"uitkomst": u, "reden": r, "aantal": n}
        for (u, r), n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _corrections(repo: DataRepo, van: dt.date, tot: dt.date) -> dict[str, int]:
    """Corrections per provider: commits with a `Bedcap-Correctie` trailer for a day in range."""
    fmt = (
        "%(trailers:key=Bedcap-Aanbieder,valueonly,separator=)%x1f"
        "%(trailers:key=Bedcap-Peildatum,valueonly,separator=)%x1f"
        "%(trailers:key=Bedcap-Correctie,valueonly,separator=)%x1e"
    )
    try:
        out = subprocess.run(
            ["git", "-C", str(repo.root), "log", f"--format={fmt}", "HEAD", "--", "data/snapshots"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    counts: dict[str, int] = defaultdict(int)
    for record in out.split("\x1e"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) != 3 or not parts[2].strip():
            continue
        try:
            day = dt.date.fromisoformat(parts[1].strip())
        except ValueError:
            continue
        if van <= day <= tot:
            counts[parts[0].strip()] += 1
    return counts


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def build(
    repo: DataRepo,
    per: Periode,
    doelgroep: Doelgroep,
    *,
    progress: Callable[[int], Callable[[int], None]] | None = None,
    step: Callable[[str], None] | None = None,
) -> Rapport:
    """Every table of the report for `per`, from the query layer and the shared files."""
    from bedcap.gate.state import stands

    def say(what: str) -> None:
        if step:
            step(what)

    settings = repo.settings()
    lcbb = doelgroep is Doelgroep.LCBB
    today = calendar.vandaag()
    tot = min(per.tot, today)
    jaren = set(range(per.van.year - 1, per.tot.year + 1))
    rapport = Rapport(
        titel=f"Managementinformatie beveiligde bedden {per.naam}",
        periode=per.naam,
        van=per.van,
        tot=tot,
        doelgroep=doelgroep,
        gemaakt_op=today.isoformat(),
    )
    add = rapport.tabellen.append
    with sources.cached(
        repo, vandaag=today, geen_cache=False, progress=progress, jaren=jaren
    ) as bron:
        say("capaciteit")
        statisch = bron.statisch
        dims = [
            ("landelijk", Naar.LANDELIJK, "Landelijk"),
            ("regio", Naar.REGIO, "Per regio"),
            ("niveau", Naar.NIVEAU, "Per beveiligingsniveau"),
            ("specialisme", Naar.SPECIALISME, "Per specialisme"),
            ("zorgtype", Naar.ZORGTYPE, "Per zorgtype"),
        ]
        if lcbb:
            dims.append(("locatie", Naar.LOCATIE, "Per locatie"))
        for naam, naar, titel in dims:
            daily = geschiedenis(bron, per.van, tot, Per.DAG, naar)
            add(
                Tabel(
                    f"capaciteit_{naam}",
                    f"Bedden {titel.lower()}: gemiddelde, minimum en maximum over werkdagen",
                    STAT_KOLOMMEN,
                    _stats(daily, lambda r: str(r["groep"])),
                )
            )
        weekly = geschiedenis(bron, per.van, tot, Per.WEEK, Naar.LANDELIJK)
        add(
            Tabel(
                "per_week",
                "Landelijk per week",
                [
                    "periode",
                    "werkdagen",
                    "capaciteit_gem",
                    "beschikbaar_gem",
                    "beschikbaar_min",
                    "beschikbaar_max",
                    "gereserveerd_gem",
                ],
                weekly,
            )
        )
        daily_nl = geschiedenis(bron, per.van, tot, Per.DAG, Naar.LANDELIJK)
        add(
            Tabel(
                "per_werkdag",
                "Landelijk per werkdag",
                ["periode", "capaciteit_gem", "bezet_gem", "beschikbaar_gem", "gereserveerd_gem"],
                daily_nl,
            )
        )
        if per.vorige is not None:
            say("vergelijking")
            prev = _stats(geschiedenis(bron, *per.vorige, Per.DAG, Naar.LANDELIJK), lambda r: "x")
            now = rapport.tabel("capaciteit_landelijk").rijen
            rows = []
            for m in ("capaciteit_gem", "beschikbaar_gem", "gereserveerd_gem", "bezet_gem"):
                a: float | None = now[0][m] if now else None
                b: float | None = prev[0][m] if prev else None
                rows.append(
                    {
                        "maat": m,
                        "dit_kwartaal": a,
                        "vorig_kwartaal": b,
                        "verschil": None if a is None or b is None else round(a - b, 1),
                        "verschil_pct": None if a is None or b is None else _pct(a - b, b),
                    }
                )
            add(
                Tabel(
                    "vergelijking",
                    "Vergelijking met het vorige kwartaal (landelijk)",
                    ["maat", "dit_kwartaal", "vorig_kwartaal", "verschil", "verschil_pct"],
                    rows,
                )
            )
        say("knelpunten")
        zonder = dagen_zonder_vrij_bed(bron, per.van, tot)
        for r in zonder:
            r["aandeel_pct"] = _pct(r["dagen_zonder_vrij_bed"], r["werkdagen"])
        add(
            Tabel(
                "dagen_zonder_vrij_bed",
                "Werkdagen zonder één vrij bed, per niveau × specialisme × regio",
                [
                    "beveiligingsniveau",
                    "specialisme",
                    "regio",
                    "werkdagen",
                    "dagen_zonder_vrij_bed",
                    "aandeel_pct",
                ],
                zonder,
            )
        )
        say("financiering")
        implied = ligdagen(bron, per.van, per.tot) if per.kwartaal else []
        submitted = {
            pad: float(t)
            for pad, t in bron.con.execute(
                f"SELECT pad, epoch(min(ingediend_op)) FROM {bron.snapshots} "
                "WHERE peildatum BETWEEN ? AND ? GROUP BY pad",
                [per.van, tot],
            ).fetchall()
            if t is not None
        }
    if per.kwartaal is not None:
        _financing_tables(repo, rapport, per.kwartaal, implied, statisch, settings, lcbb)
    say("volledigheid")
    days = calendar.werkdagen(per.van, tot)
    found = stands(repo, days, settings, today, submitted)
    corrections = _corrections(repo, per.van, tot)
    vol: list[dict[str, Any]] = [
        {
            "aanbieder": s.aanbieder,
            "verwacht": len(s.verwacht),
            "ontvangen": len(s.ontvangen),
            "op_tijd": len(s.op_tijd),
            "te_laat": len(s.te_laat),
            "ontbrekend": len(s.ontbrekend),
            "correcties": corrections.get(s.aanbieder, 0),
        }
        for s in found
    ]
    if lcbb:
        add(
            Tabel(
                "volledigheid",
                "Volledigheid en tijdigheid per aanbieder",
                [
                    "aanbieder",
                    "verwacht",
                    "ontvangen",
                    "op_tijd",
                    "te_laat",
                    "ontbrekend",
                    "correcties",
                ],
                vol,
            )
        )
    else:
        totals = {
            k: sum(r[k] for r in vol)
            for k in ("verwacht", "ontvangen", "op_tijd", "te_laat", "ontbrekend", "correcties")
        }
        add(
            Tabel(
                "volledigheid_landelijk",
                "Volledigheid en tijdigheid, landelijk",
                list(totals),
                [totals],
            )
        )
    logbook = _logbook_counts(repo, per.van, per.tot)
    add(
        Tabel(
            "knelpunten",
            "Knelpunten uit de logboeken: uitkomst × reden",
            ["uitkomst", "reden", "aantal"],
            logbook,
            "" if logbook else "Geen logboekexports in deze periode.",
        )
    )
    say("grafieken")
    rapport.grafieken = _charts(rapport)
    return rapport


def _financing_tables(
    repo: DataRepo,
    rapport: Rapport,
    kwartaal: calendar.Kwartaal,
    implied: list[dict[str, Any]],
    statisch: Any,
    settings: Any,
    lcbb: bool,
) -> None:
    add = rapport.tabellen.append
    reported = _reported(_financing_files(repo, str(kwartaal)))
    by_loc: dict[tuple[str, str], int] = defaultdict(int)
    by_loc_level: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    regio_of: dict[tuple[str, str], str] = {}
    for r in implied:
        key = (r["aanbieder"], r["locatie"])
        by_loc[key] += int(r["ligdagen"])
        by_loc_level[key][int(r["beveiligingsniveau"])] += int(r["ligdagen"])
        regio_of[key] = r["regio"]
    for key in reported:
        if key not in regio_of:
            loc = statisch.locatie(*key)
            regio_of[key] = loc["regio"] if loc else "onbekend"
    national = {g: sum(v[g] for v in reported.values()) for g in GRONDSLAGEN}
    total = sum(national.values())
    add(
        Tabel(
            "financiering_landelijk",
            f"Financieringsgrondslag van bezette ligdagen, {kwartaal}",
            ["grondslag", "ligdagen", "aandeel_pct"],
            [
                {"grondslag": g, "ligdagen": national[g], "aandeel_pct": _pct(national[g], total)}
                for g in GRONDSLAGEN
            ]
            + [{"grondslag": "totaal", "ligdagen": total, "aandeel_pct": 100.0 if total else 0.0}],
        )
    )
    per_regio: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(GRONDSLAGEN, 0.0))
    per_niveau: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(GRONDSLAGEN, 0.0))
    for key, parts in reported.items():
        for g in GRONDSLAGEN:
            per_regio[regio_of[key]][g] += parts[g]
        levels = by_loc_level.get(key, {})
        spread = sum(levels.values())
        for level, days in levels.items():
            for g in GRONDSLAGEN:
                per_niveau[level][g] += parts[g] * days / spread if spread else 0
    add(
        Tabel(
            "financiering_per_regio",
            "Financieringsgrondslag per regio",
            ["regio", *GRONDSLAGEN, "totaal"],
            [
                {
                    "regio": r,
                    **{g: round(v[g]) for g in GRONDSLAGEN},
                    "totaal": round(sum(v.values())),
                }
                for r, v in sorted(per_regio.items())
            ],
        )
    )
    add(
        Tabel(
            "financiering_per_niveau",
            "Financieringsgrondslag per beveiligingsniveau (een locatie verdeeld naar de "
            "berekende ligdagen per niveau)",
            ["beveiligingsniveau", *GRONDSLAGEN, "totaal"],
            [
                {
                    "beveiligingsniveau": n,
                    **{g: round(v[g]) for g in GRONDSLAGEN},
                    "totaal": round(sum(v.values())),
                }
                for n, v in sorted(per_niveau.items())
            ],
        )
    )
    tolerance = float(settings.afstemming_tolerantie_pct)
    rows: list[dict[str, Any]] = []
    for key in sorted(set(reported) | set(by_loc)):
        gemeld = sum(reported[key].values()) if key in reported else None
        berekend = by_loc.get(key, 0)
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
                "regio": regio_of.get(key, "onbekend"),
                "ligdagen_gemeld": gemeld,
                "ligdagen_berekend": berekend,
                "afwijking_pct": afwijking,
                "buiten_tolerantie": afwijking is None or abs(afwijking) > tolerance,
            }
        )
    if lcbb:
        add(
            Tabel(
                "afstemming",
                f"Afstemming gemelde en berekende ligdagen per locatie (tolerantie {tolerance}%)",
                [
                    "aanbieder",
                    "locatie",
                    "ligdagen_gemeld",
                    "ligdagen_berekend",
                    "afwijking_pct",
                    "buiten_tolerantie",
                ],
                rows,
            )
        )
        add(
            Tabel(
                "afstemming_afwijkingen",
                "Afwijkingen buiten de tolerantie",
                ["aanbieder", "locatie", "ligdagen_gemeld", "ligdagen_berekend", "afwijking_pct"],
                [r for r in rows if r["buiten_tolerantie"]],
                "Geen afwijkingen buiten de tolerantie."
                if not any(r["buiten_tolerantie"] for r in rows)
                else "",
            )
        )
    else:
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
        add(
            Tabel(
                "afstemming_per_regio",
                "Afstemming van ligdagen per regio",
                ["regio", "ligdagen_gemeld", "ligdagen_berekend", "buiten_tolerantie"],
                [regions[k] for k in sorted(regions)],
            )
        )
    share = []
    k = kwartaal
    quarters = []
    for _ in range(KWARTALEN_TERUG):
        quarters.append(k)
        k = k.vorige
    for q in reversed(quarters):
        rep = _reported(_financing_files(repo, str(q)))
        if not rep:
            continue
        wfz = sum(v["wfz"] for v in rep.values())
        rest = sum(v[g] for v in rep.values() for g in ("wlz", "zvw", "overig"))
        share.append(
            {
                "kwartaal": str(q),
                "forensisch_wfz": wfz,
                "civiel": rest,
                "aandeel_forensisch_pct": _pct(wfz, wfz + rest),
            }
        )
    add(
        Tabel(
            "civiel_forensisch",
            "Civiel en forensisch (Wfz) per kwartaal",
            ["kwartaal", "forensisch_wfz", "civiel", "aandeel_forensisch_pct"],
            share,
        )
    )


def _charts(rapport: Rapport) -> dict[str, str]:
    """Inline SVG charts (matplotlib), deterministic so reports can be compared."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "bedcap"
    plt.rcParams["font.size"] = 9
    charts: dict[str, str] = {}
    days = rapport.tabel("per_werkdag").rijen
    if days:
        fig, ax = plt.subplots(figsize=(7.5, 2.6))
        xs: list[Any] = [dt.date.fromisoformat(r["periode"]) for r in days]
        ax.plot(xs, [r["beschikbaar_gem"] for r in days], color="#1d6b2f", label="vrij")
        ax.plot(xs, [r["gereserveerd_gem"] for r in days], color="#8a5a00", label="gereserveerd")
        ax.set_ylabel("bedden")
        ax.legend(loc="upper right", frameon=False)
        ax.grid(axis="y", color="#dddddd")
        fig.autofmt_xdate()
        fig.tight_layout()
        charts["vrij_per_werkdag"] = _svg(fig, "vrij")
        plt.close(fig)
    levels = rapport.tabel("capaciteit_niveau").rijen
    if levels:
        fig, ax = plt.subplots(figsize=(7.5, 2.2))
        names = [f"niveau {r['groep']}" for r in levels]
        ax.barh(names, [r["capaciteit_gem"] for r in levels], color="#c8d6e5", label="capaciteit")
        ax.barh(names, [r["beschikbaar_gem"] for r in levels], color="#1d6b2f", label="vrij")
        ax.legend(loc="lower right", frameon=False)
        ax.set_xlabel("bedden (gemiddeld per werkdag)")
        fig.tight_layout()
        charts["capaciteit_per_niveau"] = _svg(fig, "niveau")
        plt.close(fig)
    return charts


def _svg(fig: Any, prefix: str) -> str:
    """The figure as inline SVG, its ids prefixed: two charts in one page share none."""
    import io

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # The RDF metadata block names vocabularies by URL; a self-contained page needs none.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\bid="', f'id="{prefix}-', text)
    text = re.sub(r'(xlink:href|href)="#', rf'\1="#{prefix}-', text)
    return re.sub(r"url\(#", f"url(#{prefix}-", text)
