"""Issue 13, class 8: the privacy guard reads Dutch notations.

Two corpora: notations that must be caught (each with its code and the exact text found),
and ordinary operational notes that must pass (dates of admission, ward and room numbers,
numbers that are no phone number), so the guard stays useful.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bedcap.rules.privacy import scan

PEILDATUM = dt.date(2021, 7, 1)

CAUGHT = [
    # BSN in the groupings people write (all pass the eleven-test)
    ("bsn 1234.56.782", "privacy-bsn", "1234.56.782"),
    ("cliënt 1112 22 333 wacht op plek", "privacy-bsn", "1112 22 333"),
    ("bsn: 123.456.782", "privacy-bsn", "123.456.782"),
    ("nr 123-456-782", "privacy-bsn", "123-456-782"),
    ("123456782", "privacy-bsn", "123456782"),
    ("id 12 34 56 782", "privacy-bsn", "12 34 56 782"),
    ("BSN 111 222 333.", "privacy-bsn", "111 222 333"),
    # dates of birth
    ("geb. 03-03-85", "privacy-geboortedatum", "03-03-85"),
    ("geboren 1985/03/03", "privacy-geboortedatum", "1985/03/03"),
    ("geb 03031985", "privacy-geboortedatum", "03031985"),
    ("geboren op 3 maart 1985", "privacy-geboortedatum", "3 maart 1985"),
    ("geboren op 12-11-2004, wacht", "privacy-geboortedatum", "12-11-2004"),
    ("geb. op 1.2.1990", "privacy-geboortedatum", "1.2.1990"),
    ("dob 19850303", "privacy-geboortedatum", "19850303"),
    ("patiënt van 3-3-85 komt", "privacy-geboortedatum", "3-3-85"),
    ("sinds 1985.03.03", "privacy-geboortedatum", "1985.03.03"),
    ("geboortedatum: 7 okt 1999", "privacy-geboortedatum", "7 okt 1999"),
]

PASS = [
    "opname 12-06-2021 gepland",
    "opgenomen op 30-06-21, ontslag volgt",
    "verbouwing tot 2021/07/15",
    "kamer 12, 3 bedden",
    "afdeling 3B en 4A dicht",
    "2 van de 16 bedden buiten gebruik",
    "bezoektijden 8.30-17.00 en 19.00-20.00",
    "280 meter verderop, ingang 2",
    "bestelnummer 12345678 (geen datum)",
    "123456789 faalt de elfproef",
    "kamers 101 102 103 vrij",
    "1.234 ligdagen dit kwartaal",
    "versie 2.1.3 van het protocol",
    "opname per 01072021",
    "",
]


@pytest.mark.parametrize(("text", "code", "found"), CAUGHT, ids=[c[0] for c in CAUGHT])
def test_dutch_notation_is_caught(text: str, code: str, found: str) -> None:
    assert [(h.code, h.gevonden) for h in scan(text, PEILDATUM)] == [(code, found)]


@pytest.mark.parametrize("text", PASS)
def test_operational_note_passes(text: str) -> None:
    assert scan(text, PEILDATUM) == []


def test_two_digit_years_are_read_against_the_peildatum() -> None:
    """`30-06-21` is last week in 2021 but 1921 for a note about 2010: a birth date then."""
    assert scan("opname 30-06-21", dt.date(2021, 7, 1)) == []
    assert [h.code for h in scan("opname 30-06-21", dt.date(2010, 7, 1))] == [
        "privacy-geboortedatum"
    ]


def test_a_submission_with_a_dutch_bsn_is_refused(provider, runner, tmp_path) -> None:  # noqa: ANN001
    """End to end: the CSV row and field are named, exit 1, nothing written."""
    import json

    from tests.conftest import invoke
    from tests.test_cli_submit import NEW, csv_text, previous_rows, state

    work, remote = provider
    rows = previous_rows(work)
    rows[1]["toelichting"] = "cliënt 1112 22 333 (geb. 03-03-85)"
    (tmp_path / "in.csv").write_text(csv_text(rows), encoding="utf-8")
    before = state(work, remote)
    result = invoke(runner, "submit", str(tmp_path / "in.csv"), "--format", "json", cwd=work)
    assert result.exit_code == 1 and "Traceback" not in result.output
    found = {(f["code"], f["rij"], f["veld"]) for f in json.loads(result.stdout)["bevindingen"]}
    assert ("privacy-bsn", 3, "toelichting") in found
    assert ("privacy-geboortedatum", 3, "toelichting") in found
    assert state(work, remote) == before and not (work / NEW).exists()
