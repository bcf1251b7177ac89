"""Submissions (`bedcap submit`): the input file and the plausibility of a day."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import Ernst, FindingType

TYPES = [
    FindingType(
        Code.INVOER_LEEG,
        "Leeg invoerbestand",
        "Een inzending heeft een kopregel en rijen.",
        "het bestand is leeg; verwacht: een CSV- of YAML-bestand met rijen",
        velden=(),
    ),
    FindingType(
        Code.INVOER_ONLEESBAAR,
        "Invoer onleesbaar",
        "Een inzending is tekst: CSV (UTF-8 of Windows-1252, zoals Excel schrijft) of YAML.",
        "{reden}; verwacht: een CSV- of YAML-bestand",
        velden=("reden",),
    ),
    FindingType(
        Code.INVOER_TE_GROOT,
        "Invoerbestand te groot",
        "Een dagelijkse inzending is hooguit een paar honderd rijen.",
        "{gevonden} bytes; verwacht: hooguit {verwacht} bytes",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONBEKENDE_KOLOM,
        "Onbekende kolom",
        "Een inzending heeft alleen de kolommen van het datacontract.",
        "kolom {gevonden!r}; verwacht een van: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONGELDIG_GETAL,
        "Geen geheel getal",
        "Aantallen bedden zijn hele getallen.",
        "gevonden: {gevonden!r}; verwacht: een geheel getal zoals 3",
        velden=("gevonden",),
    ),
    FindingType(
        Code.CAPACITEIT_ONTBREEKT,
        "Capaciteit ontbreekt",
        "Een afdeling met meer zorgtypen verdeelt haar bedden: geef per rij de capaciteit.",
        "afdeling {gevonden!r} heeft zorgtypen {verwacht}; vul de kolom capaciteit",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.PEILDATUM_BESTAAT,
        "Peildatum al ingediend",
        "Een tweede inzending voor dezelfde dag is een correctie en heeft een reden nodig.",
        'er is al een snapshot voor {gevonden}; gebruik --correctie "reden"',
        velden=("gevonden",),
    ),
    FindingType(
        Code.BUITEN_CORRECTIEVENSTER,
        "Buiten het correctievenster",
        "Een snapshot mag alleen binnen het correctievenster van bedcap.toml worden ingediend "
        "of gecorrigeerd.",
        "peildatum {gevonden} ligt vóór {verwacht} (correctievenster)",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.NIET_OP_WERKDAG,
        "Geen werkdag",
        "Snapshots horen bij werkdagen; een inzending op een andere dag mag, maar telt niet mee.",
        "{gevonden} is geen werkdag{reden}",
        ernst=Ernst.WAARSCHUWING,
        velden=("gevonden", "reden"),
    ),
    FindingType(
        Code.GEEN_VORIG_SNAPSHOT,
        "Geen vorig snapshot",
        "--ongewijzigd kopieert het laatste snapshot; dat is er nog niet.",
        "geen snapshot vóór {gevonden} gevonden; dien de tellingen in met een bestand",
        velden=("gevonden",),
    ),
    FindingType(
        Code.STATISCH_GEWIJZIGD,
        "Locatiegegevens gewijzigd",
        "--ongewijzigd mag alleen als de afdelingen sinds het vorige snapshot gelijk bleven.",
        "{gevonden}; dien de tellingen opnieuw in met een bestand",
        velden=("gevonden",),
    ),
    FindingType(
        Code.CAPACITEIT_STERK_VERANDERD,
        "Capaciteit sterk veranderd",
        "Een grote verandering van de capaciteit is vaak een tikfout.",
        "capaciteit {gevonden} was {verwacht} op {datum} ({pct:+.0f}%)",
        ernst=Ernst.WAARSCHUWING,
        velden=("gevonden", "verwacht", "datum", "pct"),
    ),
    FindingType(
        Code.VAN_VOL_NAAR_LEEG,
        "Van vol naar leeg",
        "Een afdeling die gisteren vol was en nu helemaal leeg is, is vaak een tikfout.",
        "op {datum} geen bed vrij, nu {gevonden} bedden vrij en geen bezet",
        ernst=Ernst.WAARSCHUWING,
        velden=("datum", "gevonden"),
    ),
    FindingType(
        Code.SLEUTEL_DUBBEL,
        "Sleutel bij meer deelnemers",
        "Een ondertekensleutel hoort bij één deelnemer; anders kan de een voor de ander tekenen.",
        "sleutel staat ook bij deelnemer {verwacht!r}",
        velden=("verwacht",),
    ),
    FindingType(
        Code.KWARTAAL_WIJKT_AF,
        "Kwartaal wijkt af van map",
        "Een financieringsbestand staat in de map van zijn kwartaal.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.MAAND_WIJKT_AF,
        "Maand wijkt af van map",
        "Een logboekexport staat in de map van zijn maand.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
        velden=("gevonden", "verwacht"),
    ),
    # issue 13: hostile values
    FindingType(
        Code.GETAL_TE_GROOT,
        "Getal te groot",
        "Aantallen bedden passen in het datacontract (int32, tot 2.147.483.647); zo'n getal "
        "is een tikfout.",
        "gevonden: {gevonden}; verwacht: hoogstens {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.KOLOM_DUBBEL,
        "Kolom dubbel",
        "Elke kolom staat één keer in de kopregel van een CSV of het schema van een snapshot; "
        "anders is niet te zeggen welke waarde telt.",
        "kolom {gevonden!r} staat er {aantal} keer in; verwacht: één keer",
        velden=("gevonden", "aantal"),
    ),
    FindingType(
        Code.INVOER_GEEN_UTF8,
        "Ongeldige byte in UTF-8",
        "Een bestand in UTF-8 is in zijn geheel UTF-8: één losse byte maakt het onleesbaar "
        "(als Windows-1252 gelezen zou elke letter met accent verminkt raken).",
        "byte {gevonden} op positie {positie} is geen UTF-8; verwacht: het bestand opnieuw "
        "opslaan als UTF-8",
        velden=("gevonden", "positie"),
    ),
    # issue 14: care with carried data
    FindingType(
        Code.TE_VEEL_VELDEN,
        "Meer velden dan kolommen",
        "Een regel met meer velden dan de kopregel heeft, is bijna altijd een ';' of ',' in een "
        "toelichting zonder aanhalingstekens; bedcap knipt nooit stilzwijgend iets af.",
        "{gevonden} velden, de kopregel heeft er {verwacht}; zet een toelichting met "
        "{teken} tussen aanhalingstekens",
        velden=("gevonden", "verwacht", "teken"),
    ),
    FindingType(
        Code.ONGEWIJZIGD_OUD,
        "Oude stand gekopieerd",
        "--ongewijzigd kopieert het nieuwste eerdere snapshot; is dat ouder dan de vorige "
        "werkdag, dan worden oude aantallen als vandaag doorgegeven.",
        "--ongewijzigd kopieert de stand van {gevonden}, ouder dan de vorige werkdag "
        "{verwacht}; klopt dat nog?",
        ernst=Ernst.WAARSCHUWING,
        velden=("gevonden", "verwacht"),
    ),
]
