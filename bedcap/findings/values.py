"""Values: one field against the data contract's types and vocabularies."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import FindingType

TYPES = [
    FindingType(
        Code.VELD_ONTBREEKT,
        "Veld ontbreekt",
        "Een verplicht veld ontbreekt.",
        "verplicht veld ontbreekt",
        velden=(),
    ),
    FindingType(
        Code.ONBEKEND_VELD,
        "Onbekend veld",
        "Onbekende velden worden geweigerd, zodat tikfouten niet stil verdwijnen.",
        "onbekend veld {veld!r}; verwacht een van: {verwacht}",
        velden=("veld", "verwacht"),
    ),
    FindingType(
        Code.ONGELDIG_TYPE,
        "Verkeerd type",
        "De waarde heeft het verkeerde type.",
        "gevonden: {gevonden}; verwacht: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONGELDIGE_WAARDE,
        "Ongeldige waarde",
        "De waarde voldoet niet aan het contract.",
        "gevonden: {gevonden}; verwacht: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONBEKENDE_WAARDE,
        "Onbekende waarde",
        "De waarde komt niet voor in de vaste woordenlijst van het convenant.",
        "gevonden: {gevonden}; verwacht een van: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.ONBEKEND_BEVEILIGINGSNIVEAU,
        "Onbekend beveiligingsniveau",
        "Het dashboard kent alleen beveiligingsniveau 2, 3 en 4.",
        "gevonden: {gevonden}; verwacht: 2, 3 of 4",
        velden=("gevonden",),
    ),
    FindingType(
        Code.ONGELDIGE_ID,
        "Ongeldige id",
        "Een id is een slug: kleine letters, cijfers en koppeltekens, 2 tot 40 tekens.",
        "gevonden: {gevonden}; verwacht: een slug als 'de-voorbeeldhoeve'",
        velden=("gevonden",),
    ),
    FindingType(
        Code.ONGELDIGE_POSTCODE,
        "Ongeldige postcode",
        "Een postcode is als '9401 AB'.",
        "gevonden: {gevonden}; verwacht: een Nederlandse postcode als '9401 AB'",
        velden=("gevonden",),
    ),
    FindingType(
        Code.ONGELDIG_TELEFOONNUMMER,
        "Ongeldig telefoonnummer",
        "Een telefoonnummer is een geldig (Nederlands) nummer.",
        "gevonden: {gevonden}; verwacht: een nummer als '+31 592 000000'",
        velden=("gevonden",),
    ),
    FindingType(
        Code.ONGELDIG_EMAIL,
        "Ongeldig e-mailadres",
        "Een e-mailadres is als 'naam@domein.nl'.",
        "gevonden: {gevonden}; verwacht: een e-mailadres",
        velden=("gevonden",),
    ),
    FindingType(
        Code.ONGELDIGE_SLEUTEL,
        "Ongeldige ondertekensleutel",
        "signing_key is één regel van een SSH-publieke sleutel.",
        "gevonden: {gevonden}; verwacht: 'ssh-ed25519 AAAA…'",
        velden=("gevonden",),
    ),
    # issue 13: hostile values
    FindingType(
        Code.STUURTEKEN,
        "Stuurteken in tekst",
        "Tekst bevat geen stuurtekens (zoals ESC of een richtingsteken): die kunnen de "
        "terminal of het scherm van een lezer beïnvloeden.",
        "stuurteken {gevonden}; verwacht: gewone tekst",
        velden=("gevonden",),
    ),
]
