"""The privacy guard: no BSN, date of birth, e-mail address or phone number in free text."""

from __future__ import annotations

import datetime as dt

import pytest

from bedcap.rules.privacy import scan

PEILDATUM = dt.date(2021, 5, 3)


@pytest.mark.parametrize(
    ("text", "code", "found"),
    [
        ("client 111222333 wacht", "privacy-bsn", "111222333"),
        ("bsn 123.456.782", "privacy-bsn", "123.456.782"),
        ("geboren 3-4-1985", "privacy-geboortedatum", "3-4-1985"),
        ("geb. 12 maart 2001", "privacy-geboortedatum", "12 maart 2001"),
        ("geboortedatum: 2009-02-01", "privacy-geboortedatum", "2009-02-01"),
        ("opname van 1 jan 1970", "privacy-geboortedatum", "1 jan 1970"),
        ("mail j.jansen@ggz.nl", "privacy-email", "j.jansen@ggz.nl"),
        ("bel 06-12345678", "privacy-telefoon", "06-12345678"),
        ("Tel 0592 123456", "privacy-telefoon", "0592 123456"),
        ("+31 20 555 0000 na 17 uur", "privacy-telefoon", "+31 20 555 0000"),
    ],
)
def test_hits(text: str, code: str, found: str) -> None:
    assert [(h.code, h.gevonden) for h in scan(text, PEILDATUM)] == [(code, found)]


@pytest.mark.parametrize(
    "text",
    [
        "2 bedden buiten gebruik wegens renovatie",
        "verbouwing tot 2021-05-10",
        "kamer 12, 3 bedden",
        "123456789 is geen BSN (elfproef faalt)",
        "12 bedden van 2019 vervangen",
        "crisisbed alleen overdag, 8.30-17.00",
        "",
        None,
    ],
)
def test_operational_notes_pass(text: str | None) -> None:
    assert scan(text, PEILDATUM) == []


def test_the_reference_day_is_the_parameter_never_the_clock() -> None:
    """A bare date reads as a birth date only when it lies 12+ years before the given day."""
    text = "opname van 1 jan 2005"
    assert [h.code for h in scan(text, dt.date(2021, 7, 1))] == ["privacy-geboortedatum"]
    assert scan(text, dt.date(2010, 7, 1)) == []
