"""Files and paths: where a file may be, and whether it can be read."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import FindingType

TYPES = [
    FindingType(
        Code.ONGELDIG_PAD,
        "Pad past niet in de indeling",
        "Elk bestand staat op de plek die het datacontract voorschrijft.",
        "{reden}; verwacht: {verwacht}",
        velden=("reden", "verwacht"),
    ),
    FindingType(
        Code.ONBEKEND_BESTAND,
        "Onbekend bestand in data/",
        "In data/ staan alleen bestanden uit het datacontract.",
        "bestand hoort niet bij het datacontract; verwacht: {verwacht}",
        velden=("verwacht",),
    ),
    FindingType(
        Code.BESTAND_SYMLINK,
        "Symbolische link",
        "Een symbolische link kan buiten de repository wijzen en wordt niet gevolgd.",
        "bestand is een symbolische link; verwacht: een gewoon bestand",
        velden=(),
    ),
    FindingType(
        Code.PAD_BUITEN_REPOSITORY,
        "Pad buiten de repository",
        "Alleen bestanden binnen de datarepository worden gelezen.",
        "pad {pad} ligt buiten de repository {root}",
        velden=("pad", "root"),
    ),
    FindingType(
        Code.BESTAND_ONLEESBAAR,
        "Bestand onleesbaar",
        "Het bestand kon niet worden gelezen.",
        "kan bestand niet lezen: {reden}",
        velden=("reden",),
    ),
    FindingType(
        Code.REGISTER_ONTBREEKT,
        "Register ontbreekt",
        "De registers van de LCBB horen in elke datarepository.",
        "verplicht bestand ontbreekt; verwacht: {verwacht}",
        velden=("verwacht",),
    ),
]
