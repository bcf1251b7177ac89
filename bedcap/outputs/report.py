"""Quarterly management information: the report as data (`Rapport`) and `build`.

Every figure comes from the query layer (`store.query`), so the report, `bedcap history`
and the dashboard give the same number for the same question. The report is a list of
`Tabel`s plus charts; each output format renders that same list (`outputs.render`), and
JSON is the data itself. For the `beleid` audience no table names a provider or a
location. The tables are made by subject: `capacity`, `financing`, `completeness`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedcap import calendar
from bedcap.contract.vocab import Doelgroep, Rapportformaat
from bedcap.errors import UsageError
from bedcap.files.repo import DataRepo
from bedcap.outputs import dutch
from bedcap.outputs.labels import Namen, load_namen

Voortgang = Callable[[int], Callable[[int], None]]  # total → tick, for the cache build


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
    """The whole report: metadata, the tables in order and the charts."""

    titel: str
    periode: str
    van: dt.date
    tot: dt.date
    doelgroep: Doelgroep
    gemaakt_op: str
    tabellen: list[Tabel] = field(default_factory=list)
    grafieken: dict[str, str] = field(default_factory=dict)  # name → inline SVG
    lopend: str = ""  # a running period: the day counting stopped at (issue 14)
    werkdagen: dict[str, str] = field(default_factory=dict)  # the working-day rule in force
    niet_gelezen: int = 0  # confidential files that could not be decrypted (issue 15)
    namen: Namen = field(default_factory=Namen)  # slugs → names, for the formats people read
    vorige: str | None = None  # the previous period as people read it
    periode_tekst: str = ""  # the period as people read it (`periode` is the JSON's code)
    gegevensversie: str = ""  # the data repository's commit, or "" outside git
    zinnen: list[str] = field(default_factory=list)  # the key figures in words

    def tabel(self, naam: str) -> Tabel:
        return next(t for t in self.tabellen if t.naam == naam)

    def data(self) -> dict[str, Any]:
        """The JSON document: metadata, then every table's records under its key."""
        from bedcap.outputs.cells import cell

        doc: dict[str, Any] = {
            "titel": self.titel,
            "periode": self.periode,
            "van": self.van.isoformat(),
            "tot": self.tot.isoformat(),
            "doelgroep": str(self.doelgroep),
            "gemaakt_op": self.gemaakt_op,
            "lopend": self.lopend,
            "werkdagen": self.werkdagen,
        }
        for t in self.tabellen:
            doc[t.naam] = [
                {k: cell(r.get(k), Rapportformaat.JSON) for k in t.kolommen} for r in t.rijen
            ]
        return doc


def pct(part: float, whole: float) -> float:
    """`part` as a percentage of `whole`, one decimal; 0 when there is no whole."""
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class Periode:
    naam: str
    van: dt.date
    tot: dt.date
    vorige: tuple[dt.date, dt.date] | None  # the previous period of equal kind
    kwartaal: calendar.Kwartaal | None
    vorige_naam: str | None = None  # how the previous period is written
    soort: str = "periode"  # kwartaal, jaar, maand or periode: the comparison's words
    tekst: str = ""  # as people read it (`september 2026`); `naam` names files and JSON
    vorige_tekst: str | None = None

    @property
    def leesbaar(self) -> str:
        return self.tekst or self.naam

    @property
    def vorige_leesbaar(self) -> str | None:
        return self.vorige_tekst or self.vorige_naam


def periode(
    kwartaal: str | None,
    maand: str | None,
    van: str | None,
    tot: str | None,
    jaar: str | None = None,
) -> Periode:
    """The report period from exactly one of --kwartaal, --maand, --jaar or --van/--tot.

    Each is compared with the previous period of its kind: a quarter with the quarter
    before, a year with the year before, a month with the month before, and a range with
    as many days directly before it (issue 14)."""
    given = [x for x in (kwartaal, maand, van or tot, jaar) if x]
    if len(given) != 1:
        raise UsageError("kies één periode: --kwartaal, --maand, --jaar of --van met --tot")
    if jaar:
        if not (jaar.isdigit() and len(jaar) == 4):
            raise calendar.InvalidDateError(f"{jaar!r} is geen jaar; verwacht: JJJJ, zoals 2026")
        j = int(jaar)
        vorig = (dt.date(j - 1, 1, 1), dt.date(j - 1, 12, 31))
        return Periode(jaar, dt.date(j, 1, 1), dt.date(j, 12, 31), vorig, None, str(j - 1), "jaar")
    if kwartaal:
        k = calendar.Kwartaal.parse(kwartaal)
        vorige = (k.vorige.begin, k.vorige.eind)
        return Periode(
            str(k), k.begin, k.eind, vorige, k, str(k.vorige), "kwartaal", k.tekst, k.vorige.tekst
        )
    if maand:
        try:
            first = dt.date.fromisoformat(f"{maand}-01")
        except ValueError as exc:
            raise calendar.InvalidDateError(
                f"{maand!r} is geen maand; verwacht: JJJJ-MM, zoals 2021-05"
            ) from exc
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = first - dt.timedelta(days=1)
        vorig = (last.replace(day=1), last)
        return Periode(
            maand,
            first,
            nxt - dt.timedelta(days=1),
            vorig,
            None,
            f"{last:%Y-%m}",
            "maand",
            dutch.maand(first),
            dutch.maand(last),
        )
    if not (van and tot):
        raise UsageError("--van en --tot horen samen")
    begin, eind = calendar.parse_datum(van), calendar.parse_datum(tot)
    if begin > eind:
        raise UsageError(f"--van {begin} ligt na --tot {eind}")
    dagen = dt.timedelta(days=(eind - begin).days + 1)
    vorig = (begin - dagen, begin - dt.timedelta(days=1))
    naam = f"{vorig[0]} t/m {vorig[1]}"
    return Periode(
        f"{begin} t/m {eind}",
        begin,
        eind,
        vorig,
        None,
        naam,
        "periode",
        f"{dutch.datum(begin)} t/m {dutch.datum(eind)}",
        f"{dutch.datum(vorig[0])} t/m {dutch.datum(vorig[1])}",
    )


def build(
    repo: DataRepo,
    per: Periode,
    doelgroep: Doelgroep,
    vandaag: dt.date,
    *,
    nu: dt.datetime | None = None,
    progress: Voortgang | None = None,
    step: Callable[[str], None] | None = None,
    identiteit: Path | None = None,
) -> Rapport:
    """Every table of the report for `per`, counting no day after `vandaag`.

    With `nu`, a period that runs into today stops at the last day that has passed or is
    due (`freshness.afkappen`) and says so. `progress` follows the cache build; `step` is
    told the name of each part as it starts. `identiteit`: a private key to decrypt the
    confidential files with; without one (or one that cannot read them) their figures are
    left out and `niet_leesbaar` says so.
    """
    from bedcap.outputs import capacity, completeness, logbook
    from bedcap.outputs.charts import charts
    from bedcap.outputs.confidential import Lezer
    from bedcap.store import freshness
    from bedcap.store.query import ligdagen

    def say(what: str) -> None:
        if step:
            step(what)

    settings = repo.settings()
    lcbb = doelgroep is Doelgroep.LCBB
    tot, lopend = min(per.tot, vandaag), ""
    if nu is not None:
        cut = freshness.afkappen(per.tot, nu, settings.deadline_tijd, repo.tijdzone())
        tot, lopend = cut.tot, cut.melding
    titel = f"Managementinformatie beveiligde bedden {per.leesbaar}"
    rapport = Rapport(titel, per.naam, per.van, tot, doelgroep, vandaag.isoformat())
    rapport.periode_tekst = per.leesbaar
    rapport.lopend = lopend
    regeling = calendar.werkdagregeling()
    rapport.werkdagen = {"regeling": regeling.naam, "omschrijving": regeling.omschrijving}
    lezer = Lezer.met(identiteit)
    add = rapport.tabellen.append
    with _bron(repo, per, vandaag, progress) as bron:
        say("capaciteit")
        rapport.tabellen += capacity.capacity_tables(bron, per.van, tot, lcbb)
        if per.vorige is not None:
            say("vergelijking")
            now = rapport.tabel("capaciteit_landelijk").rijen
            add(capacity.comparison_table(bron, per.vorige, now, per.soort))
        say("knelpunten")
        add(capacity.no_free_bed_table(bron, per.van, tot))
        # issue 13: no provider recognisable in the `beleid` audience (None: the LCBB)
        drempel = None if lcbb else int(settings.onderdrukking_drempel_locaties)
        landelijk = _suppress(rapport, bron, per.van, tot, drempel)
        say("financiering")
        kwartalen = whole_quarters(per, tot)
        implied = ligdagen(bron, kwartalen[0].begin, kwartalen[-1].eind) if kwartalen else []
        submitted = _first_submissions(bron, per.van, tot)
        statisch = bron.statisch
        eerder = _previous(repo, bron, per, settings, vandaag, drempel)
    tolerantie = float(settings.afstemming_tolerantie_pct)
    rapport.tabellen += _financing(
        repo, kwartalen, implied, statisch, tolerantie, lcbb, lezer, tot, drempel
    )
    say("volledigheid")
    add(completeness.completeness_table(repo, per.van, tot, settings, vandaag, submitted, lcbb))
    rapport.tabellen += logbook.logbook_tables(repo, per.van, per.tot, lezer, drempel)
    if lezer.onleesbaar:
        add(lezer.table(lcbb))
        rapport.niet_gelezen = len(lezer.onleesbaar)
    say("kerncijfers")
    _first_page(rapport, repo, per, eerder, statisch)
    say("grafieken")
    rapport.grafieken = charts(rapport)
    if drempel is not None and landelijk < drempel:
        from bedcap.outputs.suppression import hide_all

        hide_all(rapport, drempel)
    return rapport


def _suppress(rapport: Rapport, bron: Any, van: dt.date, tot: dt.date, drempel: int | None) -> int:
    """Suppress the small cells so far (`beleid`); the country's number of locations."""
    if drempel is None:
        return 0
    from bedcap.outputs import suppression
    from bedcap.store.query import locaties_per_groep

    suppression.apply(rapport, bron, van, tot, drempel)
    suppression.apply_rest(rapport, bron, van, tot, drempel)
    return locaties_per_groep(bron, van, tot, ()).get((), 0)


@contextmanager
def _bron(
    repo: DataRepo, per: Periode, vandaag: dt.date, progress: Voortgang | None
) -> Iterator[Any]:
    """The cache, narrowed to the files the period and the one before can choose
    (`store.window`): ten years of rows are not scanned again for every table."""
    from bedcap.store import sources
    from bedcap.store.window import narrow

    eerst = min(per.vorige[0].year if per.vorige else per.van.year, per.van.year - 1)
    jaren = set(range(eerst, per.tot.year + 1))
    with sources.cached(
        repo, vandaag=vandaag, geen_cache=False, progress=progress, jaren=jaren
    ) as alles:
        yield narrow(alles, per.vorige[0] if per.vorige else per.van, per.tot)


def _financing(
    repo: DataRepo,
    kwartalen: list[calendar.Kwartaal],
    implied: list[dict[str, Any]],
    statisch: Any,
    tolerantie: float,
    lcbb: bool,
    lezer: Any,
    tot: dt.date,
    drempel: int | None = None,
) -> list[Tabel]:
    """The financing tables of the whole quarters; for a month or a short range, which
    has none, the civil/forensic signal up to its quarter all the same (issue 14)."""
    from bedcap.outputs import financing

    if kwartalen:
        return financing.financing_tables(
            repo, kwartalen, implied, statisch, tolerantie, lcbb, lezer, drempel
        )
    return [financing.civil_forensic(repo, calendar.Kwartaal.van(tot), lezer, drempel)]


def whole_quarters(per: Periode, tot: dt.date) -> list[calendar.Kwartaal]:
    """The quarters whose financing a report sums: its own quarter, or for any other period
    every quarter wholly inside it that has passed by `tot` (a running one is not due)."""
    return [per.kwartaal] if per.kwartaal is not None else quarters_within(per.van, tot)


def quarters_within(van: dt.date, tot: dt.date) -> list[calendar.Kwartaal]:
    out, q = [], calendar.Kwartaal.van(van)
    while q.eind <= tot:
        if q.begin >= van:
            out.append(q)
        q = q.volgende
    return out


def _share(rows: list[dict[str, Any]], kwartalen: list[calendar.Kwartaal]) -> float | None:
    """The Wfz share of the bed-days of `kwartalen` together, from the civil/forensic rows."""
    by = {r["kwartaal"]: r for r in rows}
    picked = [by[str(q)] for q in kwartalen if str(q) in by]
    wfz = sum(r["forensisch_wfz"] for r in picked)
    return pct(wfz, wfz + sum(r["civiel"] for r in picked)) if picked else None


def _first_submissions(bron: Any, van: dt.date, tot: dt.date) -> dict[str, float]:
    """When each snapshot file of the period was first submitted (epoch seconds), by path."""
    return {
        pad: float(t)
        for pad, t in bron.con.execute(
            f"SELECT pad, epoch(min(ingediend_op)) FROM {bron.snapshots} "
            "WHERE peildatum BETWEEN ? AND ? GROUP BY pad",
            [van, tot],
        ).fetchall()
        if t is not None
    }


def _previous(
    repo: DataRepo,
    bron: Any,
    per: Periode,
    settings: Any,
    vandaag: dt.date,
    drempel: int | None = None,
) -> dict[str, float | None]:
    """The previous quarter's figures the report's tables do not hold (none without data).

    With `drempel` (`beleid`) its days without a free bed leave out the cells that
    quarter's own table would suppress, as this quarter's key figure does."""
    from bedcap.outputs import completeness, summary
    from bedcap.store.query import dagen_zonder_vrij_bed

    if per.vorige is None:
        return {}
    van, tot = per.vorige
    zonder = dagen_zonder_vrij_bed(bron, van, tot)
    if not zonder:
        return {}
    if drempel is not None:
        from bedcap.outputs.suppression import small_no_free_bed

        hidden = small_no_free_bed(zonder, bron, van, tot, drempel)
        zonder = [r for i, r in enumerate(zonder) if i not in hidden]
    submitted = _first_submissions(bron, van, tot)
    vol = completeness.completeness_table(repo, van, tot, settings, vandaag, submitted, False)
    return {
        "dagen_zonder_vrij_bed": sum(r["dagen_zonder_vrij_bed"] for r in zonder),
        "volledigheid": summary.completeness(vol.rijen),
    }


def _first_page(
    rapport: Rapport, repo: DataRepo, per: Periode, eerder: dict[str, Any], statisch: Any
) -> None:
    """Key figures first, in numbers and words; names and the data version for the formats."""
    from bedcap.outputs import summary

    vorig: dict[str, float | None] = dict(eerder)
    by = {t.naam: t for t in rapport.tabellen}
    share = by["civiel_forensisch"].rijen if "civiel_forensisch" in by else []
    now = summary.national(rapport.tabellen)
    if per.kwartaal is None:  # a year or a range: the share over its whole quarters
        now["aandeel_forensisch"] = _share(share, whole_quarters(per, rapport.tot))
    if eerder and "vergelijking" in by:
        # The comparison's "previous" column (vorig_kwartaal, vorig_jaar, vorige_maand…).
        kolom = by["vergelijking"].kolommen[2]
        prev = {r["maat"]: r.get(kolom) for r in by["vergelijking"].rijen}
        for m in ("capaciteit", "beschikbaar", "gereserveerd"):
            vorig[m] = prev.get(f"{m}_gem")
        vorig["bezettingsgraad"] = prev.get("bezettingsgraad")
        earlier = (
            [per.kwartaal.vorige]
            if per.kwartaal
            else quarters_within(*per.vorige)
            if per.vorige
            else []
        )
        vorig["aandeel_forensisch"] = _share(share, earlier)
    tabel = summary.figures(now, vorig, per.soort)
    rapport.tabellen.insert(0, tabel)
    rapport.vorige = per.vorige_leesbaar
    deels = summary.partial(rapport.tabellen)
    rapport.zinnen = summary.sentences(tabel, per.leesbaar, rapport.vorige, deels, per.soort)
    rapport.namen = load_namen(statisch)
    rapport.gegevensversie = data_version(repo)


def data_version(repo: DataRepo) -> str:
    """The commit the data repository's HEAD is at (short), or "" outside git."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "-C", str(repo.root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out.stdout.strip()
