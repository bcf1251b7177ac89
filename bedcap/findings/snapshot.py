"""Snapshots: one Parquet file against the schema and the static facts."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import Ernst, FindingType

TYPES = [
    FindingType(
        Code.PARQUET_ONLEESBAAR,
        "Parquet onleesbaar",
        "Het snapshotbestand is geen leesbaar Parquet-bestand.",
        "kan Parquet niet lezen: {reden}",
        velden=("reden",),
    ),
    FindingType(
        Code.PARQUET_SCHEMAVERSIE,
        "Schemaversie ontbreekt of onbekend",
        "Elk snapshot draagt de metadata bedcap.schema_version.",
        "bedcap.schema_version is {gevonden}; verwacht: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.KOLOM_ONTBREEKT,
        "Kolom ontbreekt",
        "Een snapshot heeft alle kolommen van het contract.",
        "kolom ontbreekt; verwacht type: {verwacht}",
        velden=("verwacht",),
    ),
    FindingType(
        Code.KOLOM_ONBEKEND,
        "Onbekende kolom",
        "Een snapshot heeft alleen de kolommen van het contract.",
        "onbekende kolom {gevonden!r}",
        velden=("gevonden",),
    ),
    FindingType(
        Code.KOLOM_TYPE,
        "Verkeerd kolomtype",
        "Elke kolom heeft het Arrow-type van het contract.",
        "gevonden: {gevonden}; verwacht: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.WAARDE_ONTBREEKT,
        "Waarde ontbreekt",
        "Alleen toelichting mag leeg zijn.",
        "lege waarde; verwacht: {verwacht}",
        velden=("verwacht",),
    ),
    FindingType(
        Code.NEGATIEF_AANTAL,
        "Negatief aantal",
        "Aantallen bedden zijn nooit negatief.",
        "gevonden: {gevonden}; verwacht: 0 of meer",
        velden=("gevonden",),
    ),
    FindingType(
        Code.SOM_KLOPT_NIET,
        "Som klopt niet",
        "Per rij geldt: bezet + beschikbaar + gereserveerd + buiten_gebruik = capaciteit.",
        "bezet {bezet} + beschikbaar {beschikbaar} + gereserveerd {gereserveerd} + "
        "buiten_gebruik {buiten_gebruik} = {gevonden}; verwacht: capaciteit {verwacht}",
        velden=("bezet", "beschikbaar", "gereserveerd", "buiten_gebruik", "gevonden", "verwacht"),
    ),
    FindingType(
        Code.TOELICHTING_TE_LANG,
        "Toelichting te lang",
        "Een toelichting is hooguit 280 tekens.",
        "{gevonden} tekens; verwacht: hooguit {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.PEILDATUM_WIJKT_AF,
        "Peildatum wijkt af van pad",
        "De peildatum in elke rij is de datum in de bestandsnaam.",
        "gevonden: {gevonden}; verwacht: {verwacht} (uit de bestandsnaam)",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.AANBIEDER_WIJKT_AF,
        "Aanbieder wijkt af van map",
        "De kolom aanbieder is de map van het snapshot.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONBEKENDE_AFDELING,
        "Onbekende afdeling",
        "Elke rij hoort bij een afdeling uit de locatiegegevens van de aanbieder.",
        "afdeling {gevonden!r} bestaat niet; verwacht een van: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.AFDELING_NIET_ACTIEF,
        "Afdeling niet actief",
        "Een afdeling telt alleen mee tussen actief_vanaf en actief_tot.",
        "afdeling {gevonden!r} is op {datum} niet actief ({periode})",
        velden=("gevonden", "datum", "periode"),
    ),
    FindingType(
        Code.ZORGTYPE_NIET_AANGEBODEN,
        "Zorgtype niet aangeboden",
        "Een rij hoort bij een zorgtype dat de afdeling aanbiedt.",
        "gevonden: {gevonden!r}; verwacht een van: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.DUBBELE_RIJ,
        "Dubbele rij",
        "Per (locatie, afdeling, zorgtype) is er één rij.",
        "{gevonden} staat er ook in rij {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.SNAPSHOT_ONVOLLEDIG,
        "Snapshot onvolledig",
        "Een snapshot heeft een rij voor elke afdeling en elk zorgtype dat op de peildatum "
        "actief is.",
        "rij ontbreekt voor {gevonden}",
        velden=("gevonden",),
    ),
    FindingType(
        Code.STATISCH_WIJKT_AF,
        "Gekopieerde waarde wijkt af van de locatiegegevens",
        "Een snapshot kopieert regio, specialisme, voorziening en niveau uit de locatiegegevens; "
        "een verschil kan een latere wijziging zijn, of een fout.",
        "gevonden: {gevonden!r}; de locatiegegevens zeggen nu {verwacht!r}",
        ernst=Ernst.WAARSCHUWING,
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.CAPACITEIT_BOVEN_NOMINAAL,
        "Capaciteit boven nominaal",
        "De capaciteit van de rijen van een afdeling is samen hoger dan haar nominale capaciteit.",
        "samen {gevonden} bedden; nominaal {verwacht}",
        ernst=Ernst.WAARSCHUWING,
        velden=("gevonden", "verwacht"),
    ),
    # issue 13: a hard bound on capacity
    FindingType(
        Code.CAPACITEIT_BOVEN_GRENS,
        "Capaciteit onmogelijk hoog",
        "De capaciteit van de rijen van een afdeling is samen hoogstens twee keer haar "
        "nominale capaciteit plus 10 bedden; meer is een tikfout, geen tijdelijke uitbreiding.",
        "samen {gevonden} bedden; verwacht: hoogstens {verwacht} (nominaal {nominaal})",
        velden=("gevonden", "verwacht", "nominaal"),
    ),
]
