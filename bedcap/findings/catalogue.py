"""Findings: data problems are collected, never raised, and printed in one of three ways.

Every finding has a stable kebab-case code from `CATALOGUE`; `docs/bevindingen.md` is
generated from it, so no code can go undocumented.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Ernst(StrEnum):
    FOUT = "fout"
    WAARSCHUWING = "waarschuwing"


@dataclass(frozen=True)
class Soort:
    """One entry of the catalogue: what a code means and how its message reads."""

    code: str
    titel: str
    uitleg: str
    sjabloon: str
    ernst: Ernst = Ernst.FOUT


def _s(code: str, titel: str, uitleg: str, sjabloon: str, ernst: Ernst = Ernst.FOUT) -> Soort:
    return Soort(code, titel, uitleg, sjabloon, ernst)


_SOORTEN = [
    # Files and paths
    _s(
        "ongeldig-pad",
        "Pad past niet in de indeling",
        "Elk bestand staat op de plek die het datacontract voorschrijft.",
        "{reden}; verwacht: {verwacht}",
    ),
    _s(
        "onbekend-bestand",
        "Onbekend bestand in data/",
        "In data/ staan alleen bestanden uit het datacontract.",
        "bestand hoort niet bij het datacontract; verwacht: {verwacht}",
    ),
    _s(
        "bestand-symlink",
        "Symbolische link",
        "Een symbolische link kan buiten de repository wijzen en wordt niet gevolgd.",
        "bestand is een symbolische link; verwacht: een gewoon bestand",
    ),
    _s(
        "pad-buiten-repository",
        "Pad buiten de repository",
        "Alleen bestanden binnen de datarepository worden gelezen.",
        "pad {pad} ligt buiten de repository {root}",
    ),
    _s(
        "bestand-onleesbaar",
        "Bestand onleesbaar",
        "Het bestand kon niet worden gelezen.",
        "kan bestand niet lezen: {reden}",
    ),
    _s(
        "register-ontbreekt",
        "Register ontbreekt",
        "De registers van de LCBB horen in elke datarepository.",
        "verplicht bestand ontbreekt; verwacht: {verwacht}",
    ),
    # YAML and TOML
    _s(
        "yaml-geen-utf8",
        "Geen UTF-8",
        "YAML-bestanden zijn in UTF-8 gecodeerd.",
        "byte {positie} is geen geldige UTF-8; verwacht: UTF-8-tekst",
    ),
    _s("yaml-syntaxfout", "YAML-syntaxfout", "Het bestand is geen geldige YAML.", "{reden}"),
    _s(
        "yaml-anker",
        "YAML-anker of -alias",
        "Ankers (&) en aliassen (*) maken een bestand moeilijk te controleren en zijn verboden.",
        "gevonden: {gevonden}; verwacht: geen ankers of aliassen",
    ),
    _s(
        "yaml-dubbele-sleutel",
        "Dubbele sleutel",
        "Elke sleutel komt in een mapping één keer voor.",
        "sleutel {sleutel!r} staat er meer dan eens",
    ),
    _s(
        "yaml-geen-mapping",
        "Geen mapping",
        "Het bestand begint met sleutels (een mapping).",
        "gevonden: {gevonden}; verwacht: een mapping met sleutels",
    ),
    _s("toml-syntaxfout", "TOML-syntaxfout", "data/bedcap.toml is geen geldige TOML.", "{reden}"),
    # Values
    _s(
        "veld-ontbreekt",
        "Veld ontbreekt",
        "Een verplicht veld ontbreekt.",
        "verplicht veld ontbreekt",
    ),
    _s(
        "onbekend-veld",
        "Onbekend veld",
        "Onbekende velden worden geweigerd, zodat tikfouten niet stil verdwijnen.",
        "onbekend veld {veld!r}; verwacht een van: {verwacht}",
    ),
    _s(
        "ongeldig-type",
        "Verkeerd type",
        "De waarde heeft het verkeerde type.",
        "gevonden: {gevonden}; verwacht: {verwacht}",
    ),
    _s(
        "ongeldige-waarde",
        "Ongeldige waarde",
        "De waarde voldoet niet aan het contract.",
        "gevonden: {gevonden}; verwacht: {verwacht}",
    ),
    _s(
        "onbekende-waarde",
        "Onbekende waarde",
        "De waarde komt niet voor in de vaste woordenlijst van het convenant.",
        "gevonden: {gevonden}; verwacht een van: {verwacht}",
    ),
    _s(
        "onbekend-beveiligingsniveau",
        "Onbekend beveiligingsniveau",
        "Het dashboard kent alleen beveiligingsniveau 2, 3 en 4.",
        "gevonden: {gevonden}; verwacht: 2, 3 of 4",
    ),
    _s(
        "ongeldige-id",
        "Ongeldige id",
        "Een id is een slug: kleine letters, cijfers en koppeltekens, 2 tot 40 tekens.",
        "gevonden: {gevonden}; verwacht: een slug als 'de-voorbeeldhoeve'",
    ),
    _s(
        "ongeldige-postcode",
        "Ongeldige postcode",
        "Een postcode is als '9401 AB'.",
        "gevonden: {gevonden}; verwacht: een Nederlandse postcode als '9401 AB'",
    ),
    _s(
        "ongeldig-telefoonnummer",
        "Ongeldig telefoonnummer",
        "Een telefoonnummer is een geldig (Nederlands) nummer.",
        "gevonden: {gevonden}; verwacht: een nummer als '+31 592 000000'",
    ),
    _s(
        "ongeldig-email",
        "Ongeldig e-mailadres",
        "Een e-mailadres is als 'naam@domein.nl'.",
        "gevonden: {gevonden}; verwacht: een e-mailadres",
    ),
    _s(
        "ongeldige-sleutel",
        "Ongeldige ondertekensleutel",
        "signing_key is één regel van een SSH-publieke sleutel.",
        "gevonden: {gevonden}; verwacht: 'ssh-ed25519 AAAA…'",
    ),
    # References and structure across files
    _s(
        "bestandsnaam-wijkt-af",
        "Bestandsnaam wijkt af van id",
        "Een bestand heet naar zijn id.",
        "id is {gevonden!r}, bestandsnaam {verwacht!r}",
    ),
    _s(
        "map-wijkt-af",
        "Map wijkt af van eigenaar",
        "Een bestand staat in de map van zijn eigenaar.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
    ),
    _s(
        "dubbele-id",
        "Dubbele id",
        "Een id komt binnen zijn lijst één keer voor.",
        "id {gevonden!r} komt meer dan eens voor",
    ),
    _s(
        "onbekende-aanbieder",
        "Onbekende aanbieder",
        "Een aanbieder staat in deelnemers.yaml met de rol 'aanbieder'.",
        "gevonden: {gevonden!r}; verwacht: een deelnemer met rol 'aanbieder'",
    ),
    _s(
        "onbekende-regio",
        "Onbekende regio",
        "Een regio staat in regios.yaml.",
        "gevonden: {gevonden!r}; verwacht een van: {verwacht}",
    ),
    _s(
        "onbekende-contra-indicatie",
        "Onbekende contra-indicatie",
        "Een contra-indicatie staat in contra-indicaties.yaml.",
        "gevonden: {gevonden!r}; verwacht een van: {verwacht}",
    ),
    _s(
        "onbekende-locatie",
        "Onbekende locatie",
        "De locatie bestaat in data/locaties/<aanbieder>/.",
        "gevonden: {gevonden!r}; verwacht een locatie van {aanbieder}: {verwacht}",
    ),
    _s(
        "voorziening-past-niet",
        "Voorziening past niet bij specialisme",
        "Elke voorziening hoort bij één specialisme (psychiatrie: fpa/fpk/fpc; sglvg: borg; "
        "ontwrichting: kib/liz; verslaving: fva/fvk).",
        "voorziening {gevonden!r} hoort niet bij specialisme {specialisme!r}; "
        "verwacht een van: {verwacht}",
    ),
    _s(
        "rechtskader-niet-bij-locatie",
        "Rechtskader niet bij locatie",
        "Een afdeling kan de rechtskaders van de locatie alleen beperken.",
        "gevonden: {gevonden!r}; verwacht een van de locatie: {verwacht}",
    ),
    _s(
        "actief-periode-omgekeerd",
        "Actieve periode omgekeerd",
        "actief_vanaf ligt op of vóór actief_tot.",
        "actief_vanaf {gevonden} ligt na actief_tot {verwacht}",
    ),
    # Submissions (bedcap submit)
    _s(
        "invoer-leeg",
        "Leeg invoerbestand",
        "Een inzending heeft een kopregel en rijen.",
        "het bestand is leeg; verwacht: een CSV- of YAML-bestand met rijen",
    ),
    _s(
        "invoer-onleesbaar",
        "Invoer onleesbaar",
        "Een inzending is tekst: CSV (UTF-8 of Windows-1252, zoals Excel schrijft) of YAML.",
        "{reden}; verwacht: een CSV- of YAML-bestand",
    ),
    _s(
        "invoer-te-groot",
        "Invoerbestand te groot",
        "Een dagelijkse inzending is hooguit een paar honderd rijen.",
        "{gevonden} bytes; verwacht: hooguit {verwacht} bytes",
    ),
    _s(
        "onbekende-kolom",
        "Onbekende kolom",
        "Een inzending heeft alleen de kolommen van het datacontract.",
        "kolom {gevonden!r}; verwacht een van: {verwacht}",
    ),
    _s(
        "ongeldig-getal",
        "Geen geheel getal",
        "Aantallen bedden zijn hele getallen.",
        "gevonden: {gevonden!r}; verwacht: een geheel getal zoals 3",
    ),
    _s(
        "capaciteit-ontbreekt",
        "Capaciteit ontbreekt",
        "Een afdeling met meer zorgtypen verdeelt haar bedden: geef per rij de capaciteit.",
        "afdeling {gevonden!r} heeft zorgtypen {verwacht}; vul de kolom capaciteit",
    ),
    _s(
        "peildatum-bestaat",
        "Peildatum al ingediend",
        "Een tweede inzending voor dezelfde dag is een correctie en heeft een reden nodig.",
        'er is al een snapshot voor {gevonden}; gebruik --correctie "reden"',
    ),
    _s(
        "buiten-correctievenster",
        "Buiten het correctievenster",
        "Een snapshot mag alleen binnen het correctievenster van bedcap.toml worden ingediend "
        "of gecorrigeerd.",
        "peildatum {gevonden} ligt vóór {verwacht} (correctievenster)",
    ),
    _s(
        "niet-op-werkdag",
        "Geen werkdag",
        "Snapshots horen bij werkdagen; een inzending op een andere dag mag, maar telt niet mee.",
        "{gevonden} is geen werkdag{reden}",
        Ernst.WAARSCHUWING,
    ),
    _s(
        "geen-vorig-snapshot",
        "Geen vorig snapshot",
        "--ongewijzigd kopieert het laatste snapshot; dat is er nog niet.",
        "geen snapshot vóór {gevonden} gevonden; dien de tellingen in met een bestand",
    ),
    _s(
        "statisch-gewijzigd",
        "Locatiegegevens gewijzigd",
        "--ongewijzigd mag alleen als de afdelingen sinds het vorige snapshot gelijk bleven.",
        "{gevonden}; dien de tellingen opnieuw in met een bestand",
    ),
    _s(
        "capaciteit-sterk-veranderd",
        "Capaciteit sterk veranderd",
        "Een grote verandering van de capaciteit is vaak een tikfout.",
        "capaciteit {gevonden} was {verwacht} op {datum} ({pct:+.0f}%)",
        Ernst.WAARSCHUWING,
    ),
    _s(
        "van-vol-naar-leeg",
        "Van vol naar leeg",
        "Een afdeling die gisteren vol was en nu helemaal leeg is, is vaak een tikfout.",
        "op {datum} geen bed vrij, nu {gevonden} bedden vrij en geen bezet",
        Ernst.WAARSCHUWING,
    ),
    _s(
        "sleutel-dubbel",
        "Sleutel bij meer deelnemers",
        "Een ondertekensleutel hoort bij één deelnemer; anders kan de een voor de ander tekenen.",
        "sleutel staat ook bij deelnemer {verwacht!r}",
    ),
    _s(
        "kwartaal-wijkt-af",
        "Kwartaal wijkt af van map",
        "Een financieringsbestand staat in de map van zijn kwartaal.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
    ),
    _s(
        "maand-wijkt-af",
        "Maand wijkt af van map",
        "Een logboekexport staat in de map van zijn maand.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
    ),
    # Snapshots
    _s(
        "parquet-onleesbaar",
        "Parquet onleesbaar",
        "Het snapshotbestand is geen leesbaar Parquet-bestand.",
        "kan Parquet niet lezen: {reden}",
    ),
    _s(
        "parquet-schemaversie",
        "Schemaversie ontbreekt of onbekend",
        "Elk snapshot draagt de metadata bedcap.schema_version.",
        "bedcap.schema_version is {gevonden}; verwacht: {verwacht}",
    ),
    _s(
        "kolom-ontbreekt",
        "Kolom ontbreekt",
        "Een snapshot heeft alle kolommen van het contract.",
        "kolom ontbreekt; verwacht type: {verwacht}",
    ),
    _s(
        "kolom-onbekend",
        "Onbekende kolom",
        "Een snapshot heeft alleen de kolommen van het contract.",
        "onbekende kolom {gevonden!r}",
    ),
    _s(
        "kolom-type",
        "Verkeerd kolomtype",
        "Elke kolom heeft het Arrow-type van het contract.",
        "gevonden: {gevonden}; verwacht: {verwacht}",
    ),
    _s(
        "waarde-ontbreekt",
        "Waarde ontbreekt",
        "Alleen toelichting mag leeg zijn.",
        "lege waarde; verwacht: {verwacht}",
    ),
    _s(
        "negatief-aantal",
        "Negatief aantal",
        "Aantallen bedden zijn nooit negatief.",
        "gevonden: {gevonden}; verwacht: 0 of meer",
    ),
    _s(
        "som-klopt-niet",
        "Som klopt niet",
        "Per rij geldt: bezet + beschikbaar + gereserveerd + buiten_gebruik = capaciteit.",
        "bezet {bezet} + beschikbaar {beschikbaar} + gereserveerd {gereserveerd} + "
        "buiten_gebruik {buiten_gebruik} = {gevonden}; verwacht: capaciteit {verwacht}",
    ),
    _s(
        "toelichting-te-lang",
        "Toelichting te lang",
        "Een toelichting is hooguit 280 tekens.",
        "{gevonden} tekens; verwacht: hooguit {verwacht}",
    ),
    _s(
        "privacy-bsn",
        "Mogelijk BSN in vrije tekst",
        "Het dashboard bevat nooit persoonsgegevens. Een getal van 9 cijfers dat de elfproef "
        "doorstaat kan een burgerservicenummer zijn.",
        "{gevonden!r} lijkt een BSN; haal het weg, het dashboard bevat nooit persoonsgegevens",
    ),
    _s(
        "privacy-geboortedatum",
        "Mogelijke geboortedatum in vrije tekst",
        "Een datum bij 'geboren'/'geb.' of een datum van meer dan 12 jaar geleden kan een "
        "geboortedatum zijn.",
        "{gevonden!r} lijkt een geboortedatum; haal het weg, het dashboard bevat nooit "
        "persoonsgegevens",
    ),
    _s(
        "privacy-email",
        "E-mailadres in vrije tekst",
        "Contactgegevens staan in de locatiegegevens, niet in een toelichting.",
        "{gevonden!r} is een e-mailadres; contactgegevens horen in de locatiegegevens",
    ),
    _s(
        "privacy-telefoon",
        "Telefoonnummer in vrije tekst",
        "Contactgegevens staan in de locatiegegevens, niet in een toelichting.",
        "{gevonden!r} is een telefoonnummer; contactgegevens horen in de locatiegegevens",
    ),
    _s(
        "peildatum-wijkt-af",
        "Peildatum wijkt af van pad",
        "De peildatum in elke rij is de datum in de bestandsnaam.",
        "gevonden: {gevonden}; verwacht: {verwacht} (uit de bestandsnaam)",
    ),
    _s(
        "aanbieder-wijkt-af",
        "Aanbieder wijkt af van map",
        "De kolom aanbieder is de map van het snapshot.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
    ),
    _s(
        "onbekende-afdeling",
        "Onbekende afdeling",
        "Elke rij hoort bij een afdeling uit de locatiegegevens van de aanbieder.",
        "afdeling {gevonden!r} bestaat niet; verwacht een van: {verwacht}",
    ),
    _s(
        "afdeling-niet-actief",
        "Afdeling niet actief",
        "Een afdeling telt alleen mee tussen actief_vanaf en actief_tot.",
        "afdeling {gevonden!r} is op {datum} niet actief ({periode})",
    ),
    _s(
        "zorgtype-niet-aangeboden",
        "Zorgtype niet aangeboden",
        "Een rij hoort bij een zorgtype dat de afdeling aanbiedt.",
        "gevonden: {gevonden!r}; verwacht een van: {verwacht}",
    ),
    _s(
        "dubbele-rij",
        "Dubbele rij",
        "Per (locatie, afdeling, zorgtype) is er één rij.",
        "{gevonden} staat er ook in rij {verwacht}",
    ),
    _s(
        "snapshot-onvolledig",
        "Snapshot onvolledig",
        "Een snapshot heeft een rij voor elke afdeling en elk zorgtype dat op de peildatum "
        "actief is.",
        "rij ontbreekt voor {gevonden}",
    ),
    _s(
        "statisch-wijkt-af",
        "Gekopieerde waarde wijkt af van de locatiegegevens",
        "Een snapshot kopieert regio, specialisme, voorziening en niveau uit de locatiegegevens; "
        "een verschil kan een latere wijziging zijn, of een fout.",
        "gevonden: {gevonden!r}; de locatiegegevens zeggen nu {verwacht!r}",
        Ernst.WAARSCHUWING,
    ),
    _s(
        "capaciteit-boven-nominaal",
        "Capaciteit boven nominaal",
        "De capaciteit van de rijen van een afdeling is samen hoger dan haar nominale capaciteit.",
        "samen {gevonden} bedden; nominaal {verwacht}",
        Ernst.WAARSCHUWING,
    ),
    # The gate: commits of a change, and the state of submissions
    _s(
        "commit-niet-ondertekend",
        "Commit niet ondertekend",
        "Elke commit in een wijziging is ondertekend met een sleutel uit deelnemers.yaml "
        "(zoals die in de basisrevisie staat).",
        "commit is niet ondertekend; verwacht: een handtekening met een sleutel uit "
        "deelnemers.yaml",
    ),
    _s(
        "commit-onbekende-sleutel",
        "Onbekende of ongeldige handtekening",
        "De sleutel van de handtekening staat niet in deelnemers.yaml van de basisrevisie, of "
        "de handtekening klopt niet. Een sleutel die in dezelfde wijziging wordt toegevoegd, "
        "telt nog niet.",
        "handtekening niet te controleren met deelnemers.yaml van de basis (git-status "
        "{gevonden}); verwacht: een bekende sleutel",
    ),
    _s(
        "committer-wijkt-af",
        "Committer is niet de ondertekenaar",
        "Het e-mailadres van de committer is dat van de beheerder bij wie de sleutel hoort.",
        "committer {gevonden}; verwacht: {verwacht} (de ondertekenaar)",
    ),
    _s(
        "commit-meerdere-eigenaren",
        "Commit raakt meerdere eigenaren",
        "Een commit wijzigt alleen paden van één eigenaar (een aanbieder of de LCBB).",
        "commit raakt paden van {gevonden}; verwacht: één eigenaar per commit",
    ),
    _s(
        "pad-van-ander",
        "Pad van een ander",
        "Een aanbieder schrijft alleen zijn eigen deel; registers en projectbestanden zijn "
        "van de LCBB.",
        "ondertekend door {gevonden}, maar dit pad is van {verwacht}",
    ),
    _s(
        "snapshot-in-toekomst",
        "Snapshot in de toekomst",
        "Een snapshot gaat over vandaag of eerder.",
        "peildatum {gevonden}; verwacht: {verwacht}",
    ),
    _s(
        "aanlevering-ontbreekt",
        "Aanlevering ontbreekt",
        "Een aanbieder levert elke werkdag een snapshot aan waarop minstens één afdeling "
        "actief is; weekenden en feestdagen tellen niet.",
        "{aanbieder} heeft geen snapshot voor werkdag {gevonden}",
    ),
    _s(
        "aanbieder-verouderd",
        "Aanbieder verouderd",
        "De nieuwste snapshot is ouder dan de vorige werkdag (of dan vandaag, na de deadline).",
        "nieuwste snapshot van {aanbieder} is van {gevonden}",
    ),
    _s(
        "aanlevering-te-laat",
        "Te laat aangeleverd",
        "Op tijd is vóór de deadline van bedcap.toml op de peildatum zelf (volgens ingediend_op).",
        "snapshot van {gevonden} kwam na de deadline",
        Ernst.WAARSCHUWING,
    ),
]

CATALOGUE: dict[str, Soort] = {s.code: s for s in _SOORTEN}


@dataclass(frozen=True)
class Problem:
    """A finding with its location: file, line (YAML) or row (CSV/Parquet), field."""

    bestand: str
    regel: int | None
    rij: int | None
    veld: str | None
    code: str
    melding: str
    ernst: Ernst = Ernst.FOUT
    commit: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.bestand, self.regel or 0, self.rij or 0, self.veld or "", self.code)

    @property
    def plek(self) -> str:
        """`bestand:regel`, `bestand rij 3`, or just the file, as people read it."""
        where = self.bestand if self.commit is None else f"commit {self.commit}: {self.bestand}"
        if self.regel is not None:
            where += f":{self.regel}"
        if self.rij is not None:
            where += f" rij {self.rij}"
        return where


def problem(
    code: str,
    bestand: str,
    *,
    regel: int | None = None,
    rij: int | None = None,
    veld: str | None = None,
    commit: str | None = None,
    ernst: Ernst | None = None,
    **waarden: Any,
) -> Problem:
    """Build a finding from the catalogue, so every message of a code reads alike.

    `ernst` overrides the catalogue's severity, e.g. for history that can no longer be
    corrected.
    """
    soort = CATALOGUE[code]
    melding = soort.sjabloon.format(veld=veld, **waarden)
    return Problem(bestand, regel, rij, veld, code, melding, ernst or soort.ernst, commit)


@dataclass
class Result:
    """All findings of one run plus what was looked at, for the summary line."""

    problems: list[Problem] = field(default_factory=list)
    bestanden: int = 0

    def extend(self, found: Iterable[Problem]) -> None:
        self.problems.extend(found)

    @property
    def fouten(self) -> list[Problem]:
        return sorted((p for p in self.problems if p.ernst is Ernst.FOUT), key=Problem.sort_key)

    @property
    def waarschuwingen(self) -> list[Problem]:
        return sorted(
            (p for p in self.problems if p.ernst is Ernst.WAARSCHUWING), key=Problem.sort_key
        )

    @property
    def geldig(self) -> bool:
        return not self.fouten

    def ordered(self) -> list[Problem]:
        """Errors first, then warnings, each by file and place."""
        return self.fouten + self.waarschuwingen

    def summary(self) -> str:
        return (
            f"Klaar. FOUT={len(self.fouten)} WAARSCHUWING={len(self.waarschuwingen)} "
            f"BESTANDEN={self.bestanden}"
        )


def to_json(result: Result) -> str:
    """Stable keys for scripts: `geldig`, `bestanden`, `fouten`, `waarschuwingen`, `bevindingen`."""
    return json.dumps(
        {
            "geldig": result.geldig,
            "bestanden": result.bestanden,
            "fouten": len(result.fouten),
            "waarschuwingen": len(result.waarschuwingen),
            "bevindingen": [asdict(p) for p in result.ordered()],
        },
        ensure_ascii=False,
        indent=2,
    )


def _escape_github(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def to_github(result: Result) -> str:
    """GitHub Actions workflow commands, so findings show as annotations on the diff."""
    lines = []
    for p in result.ordered():
        kind = "error" if p.ernst is Ernst.FOUT else "warning"
        props = [f"file={_escape_github(p.bestand, prop=True)}"]
        if p.regel is not None:
            props.append(f"line={p.regel}")
        props.append(f"title={_escape_github(p.code, prop=True)}")
        where = f"rij {p.rij}, " if p.rij is not None else ""
        field_ = f"veld {p.veld}: " if p.veld else ""
        if p.commit:
            where = f"commit {p.commit}, {where}"
        lines.append(f"::{kind} {','.join(props)}::{_escape_github(where + field_ + p.melding)}")
    lines.append(result.summary())
    return "\n".join(lines)
