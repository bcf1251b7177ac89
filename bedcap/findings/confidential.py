"""Confidential files (issue 15): financing and logbook exports, stored only age-encrypted."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import FindingType

TYPES = [
    FindingType(
        Code.VERTROUWELIJK_ONVERSLEUTELD,
        "Vertrouwelijk bestand in klaartekst",
        "Financieringsbestanden en logboekexports staan alleen versleuteld (age) in de gedeelde "
        "repository, leesbaar voor de aanbieder zelf en de LCBB. Dien ze in met 'bedcap "
        "financiering submit' of 'bedcap logbook export'; een bestaande repository zet de LCBB "
        "eenmalig om met 'bedcap herversleutel --migreer'.",
        "{soort} in {gevonden}; verwacht: versleuteld als {verwacht} (bedcap financiering "
        "submit, of bedcap herversleutel --migreer)",
        velden=("soort", "gevonden", "verwacht"),
    ),
    FindingType(
        Code.VERTROUWELIJK_ONGELDIG,
        "Geen geldig age-bestand",
        "Een .age-bestand begint met de regel 'age-encryption.org/v1', noemt per ontvanger een "
        "stanza en sluit de kop af met '--- ' en een MAC.",
        "{reden}; verwacht: een age-bestand (age-encryption.org/v1)",
        velden=("reden",),
    ),
    FindingType(
        Code.ONTVANGERS_WIJKEN_AF,
        "Versleuteld voor de verkeerde ontvangers",
        "Een vertrouwelijk bestand is versleuteld voor precies de sleutels van de beheerders "
        "van de eigenaar en van de LCBB, zoals deelnemers.yaml van de basisrevisie ze noemt: "
        "niemand meer, niemand minder. Een sleutel die in dezelfde wijziging wordt "
        "toegevoegd, telt nog niet.",
        "versleuteld voor {gevonden}; verwacht: precies {verwacht} (de beheerders van "
        "{aanbieder} en van de LCBB)",
        velden=("gevonden", "verwacht", "aanbieder"),
    ),
    FindingType(
        Code.ONTVANGERS_VEROUDERD,
        "Ontvangers verouderd",
        "Na een sleutelwissel in deelnemers.yaml is een vertrouwelijk bestand nog versleuteld "
        "voor de oude sleutels; de LCBB herversleutelt met 'bedcap herversleutel'.",
        "versleuteld voor {gevonden}; deelnemers.yaml noemt nu {verwacht} (de beheerders van "
        "{aanbieder} en van de LCBB); herversleutel met 'bedcap herversleutel'",
        velden=("gevonden", "verwacht", "aanbieder"),
    ),
    FindingType(
        Code.NIET_TE_ONTSLEUTELEN,
        "Niet te ontsleutelen",
        "Herversleutelen kan alleen wie het bestand kan lezen: een beheerder van de LCBB.",
        "geen van de gegeven sleutels kan dit lezen ({gevonden}); verwacht: de sleutel van "
        "een beheerder van de LCBB (--identiteit)",
        velden=("gevonden",),
    ),
]
