"""Privacy: free text that may hold personal data; the dashboard never does."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import FindingType

TYPES = [
    FindingType(
        Code.PRIVACY_BSN,
        "Mogelijk BSN in vrije tekst",
        "Het dashboard bevat nooit persoonsgegevens. Een getal van 9 cijfers dat de elfproef "
        "doorstaat kan een burgerservicenummer zijn.",
        "{gevonden!r} lijkt een BSN; haal het weg, het dashboard bevat nooit persoonsgegevens",
        velden=("gevonden",),
    ),
    FindingType(
        Code.PRIVACY_GEBOORTEDATUM,
        "Mogelijke geboortedatum in vrije tekst",
        "Een datum bij 'geboren'/'geb.' of een datum van meer dan 12 jaar geleden kan een "
        "geboortedatum zijn.",
        "{gevonden!r} lijkt een geboortedatum; haal het weg, het dashboard bevat nooit "
        "persoonsgegevens",
        velden=("gevonden",),
    ),
    FindingType(
        Code.PRIVACY_EMAIL,
        "E-mailadres in vrije tekst",
        "Contactgegevens staan in de locatiegegevens, niet in een toelichting.",
        "{gevonden!r} is een e-mailadres; contactgegevens horen in de locatiegegevens",
        velden=("gevonden",),
    ),
    FindingType(
        Code.PRIVACY_TELEFOON,
        "Telefoonnummer in vrije tekst",
        "Contactgegevens staan in de locatiegegevens, niet in een toelichting.",
        "{gevonden!r} is een telefoonnummer; contactgegevens horen in de locatiegegevens",
        velden=("gevonden",),
    ),
]
