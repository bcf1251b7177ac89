"""References and structure across files: ids, owners, folders."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import FindingType

TYPES = [
    FindingType(
        Code.BESTANDSNAAM_WIJKT_AF,
        "Bestandsnaam wijkt af van id",
        "Een bestand heet naar zijn id.",
        "id is {gevonden!r}, bestandsnaam {verwacht!r}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.MAP_WIJKT_AF,
        "Map wijkt af van eigenaar",
        "Een bestand staat in de map van zijn eigenaar.",
        "gevonden: {gevonden!r}; verwacht: {verwacht!r} (de map)",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.DUBBELE_ID,
        "Dubbele id",
        "Een id komt binnen zijn lijst één keer voor.",
        "id {gevonden!r} komt meer dan eens voor",
        velden=("gevonden",),
    ),
    FindingType(
        Code.ONBEKENDE_AANBIEDER,
        "Onbekende aanbieder",
        "Een aanbieder staat in deelnemers.yaml met de rol 'aanbieder'.",
        "gevonden: {gevonden!r}; verwacht: een deelnemer met rol 'aanbieder'",
        velden=("gevonden",),
    ),
    FindingType(
        Code.ONBEKENDE_REGIO,
        "Onbekende regio",
        "Een regio staat in regios.yaml.",
        "gevonden: {gevonden!r}; verwacht een van: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONBEKENDE_CONTRA_INDICATIE,
        "Onbekende contra-indicatie",
        "Een contra-indicatie staat in contra-indicaties.yaml.",
        "gevonden: {gevonden!r}; verwacht een van: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONBEKENDE_LOCATIE,
        "Onbekende locatie",
        "De locatie bestaat in data/locaties/<aanbieder>/.",
        "gevonden: {gevonden!r}; verwacht een locatie van {aanbieder}: {verwacht}",
        velden=("gevonden", "aanbieder", "verwacht"),
    ),
    FindingType(
        Code.VOORZIENING_PAST_NIET,
        "Voorziening past niet bij specialisme",
        "Elke voorziening hoort bij één specialisme (psychiatrie: fpa/fpk/fpc; sglvg: borg; "
        "ontwrichting: kib/liz; verslaving: fva/fvk).",
        "voorziening {gevonden!r} hoort niet bij specialisme {specialisme!r}; "
        "verwacht een van: {verwacht}",
        velden=("gevonden", "specialisme", "verwacht"),
    ),
    FindingType(
        Code.RECHTSKADER_NIET_BIJ_LOCATIE,
        "Rechtskader niet bij locatie",
        "Een afdeling kan de rechtskaders van de locatie alleen beperken.",
        "gevonden: {gevonden!r}; verwacht een van de locatie: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ACTIEF_PERIODE_OMGEKEERD,
        "Actieve periode omgekeerd",
        "actief_vanaf ligt op of vóór actief_tot.",
        "actief_vanaf {gevonden} ligt na actief_tot {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
]
