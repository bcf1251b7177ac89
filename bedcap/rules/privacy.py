"""The privacy guard on free text: the dashboard holds capacity, never people.

Checked before anything is written and again by `validate`. What counts as a hit:
- a BSN: 9 digits passing the eleven-test, also grouped in 2 to 4 groups of 2-4 digits by
  dots, spaces or dashes as people write them (`123.456.782`, `1234.56.782`, `1112 22 333`);
- a date of birth: a full date right after a birth word ("geboren (op)", "geb.",
  "geboortedatum", "dob"), or any full date more than 12 years before the peildatum —
  operational notes are about this week, not about 1985. Dates are read the Dutch ways:
  `3-4-1985`, `03-03-85` (a two-digit year is the latest year not after the peildatum),
  `1985/03/03`, `3 maart 1985` and eight digits `03031985` or `19850303` (only when they
  are a real date) — issue 13;
- an e-mail address; a phone number (Dutch or international, as `phonenumbers` finds it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum.nl import bsn

_BSN = re.compile(r"(?<![\d.,-])(\d{9}|\d{2,4}(?:[ .-]\d{2,4}){1,3})(?![\d]|[.,-]\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    "december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = re.compile(
    r"(?<![\d.,-])(?:(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})"
    r"|(\d{4})([-/.])(\d{1,2})\6(\d{1,2})"
    rf"|(\d{{1,2}})\s+({_MONTHS})\.?\s+(\d{{4}})"
    r"|(\d{8}))(?![\d]|[.,-]\d)",
    re.IGNORECASE,
)
_BIRTH_WORD = re.compile(
    r"(geboren(\s+op)?|geb\.?(\s+op)?|geboortedatum|dob)\s*:?\s*$", re.IGNORECASE
)
_MONTH_NUMBER = {
    name: i
    for i, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
BIRTH_YEARS_BACK = 12


@dataclass(frozen=True)
class PrivacyHit:
    code: str  # privacy-bsn | privacy-geboortedatum | privacy-email | privacy-telefoon
    gevonden: str


def _year(text: str, peildatum: dt.date) -> int:
    """A year as written; two digits: the latest such year not after the peildatum."""
    year = int(text)
    if len(text) == 2:
        year += 100 * (peildatum.year // 100)
        if year > peildatum.year:
            year -= 100
    return year


def _compact(digits: str) -> dt.date | None:
    """Eight digits as ddmmyyyy or yyyymmdd, when one of them is a real date."""
    for day, month, year in (
        (digits[:2], digits[2:4], digits[4:]),
        (digits[6:], digits[4:6], digits[:4]),
    ):
        try:
            found = dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        if found.year >= 1900:
            return found
    return None


def _dates(text: str, peildatum: dt.date) -> Iterator[tuple[re.Match[str], dt.date | None]]:
    for match in _DATE.finditer(text):
        g = match.groups()
        day: dt.date | None
        try:
            if g[0]:
                day = dt.date(_year(g[3], peildatum), int(g[2]), int(g[0]))
            elif g[4]:
                day = dt.date(int(g[4]), int(g[6]), int(g[7]))
            elif g[8]:
                day = dt.date(int(g[10]), _MONTH_NUMBER[g[9].lower()], int(g[8]))
            else:
                day = _compact(g[11])
                if day is None:
                    continue  # eight digits that are no date: a number, not a birth date
        except (ValueError, KeyError):
            day = None
        yield match, day


def scan(text: str | None, peildatum: dt.date) -> list[PrivacyHit]:
    """Every privacy hit in `text`; empty when the text may be stored.

    `peildatum` is the day the note is about: a date far enough before it reads as a
    birth date. It is a parameter, never the machine's clock, so a check gives the same
    answer in a hook, a test and on the provider's laptop.
    """
    if not text:
        return []
    hits: list[PrivacyHit] = []
    for match in _BSN.finditer(text):
        digits = re.sub(r"[ .-]", "", match.group(0))
        if len(digits) == 9 and bsn.is_valid(digits):
            hits.append(PrivacyHit("privacy-bsn", match.group(0)))
    reference = peildatum
    for match, day in _dates(text, peildatum):
        after_birth_word = bool(_BIRTH_WORD.search(text[: match.start()]))
        long_ago = day is not None and day.year <= reference.year - BIRTH_YEARS_BACK
        if after_birth_word or long_ago:
            hits.append(PrivacyHit("privacy-geboortedatum", match.group(0)))
    for match in _EMAIL.finditer(text):
        hits.append(PrivacyHit("privacy-email", match.group(0)))
    import phonenumbers  # 20 ms to load: only once there is a note to scan

    without_mail = _EMAIL.sub(" ", text)
    for number in phonenumbers.PhoneNumberMatcher(without_mail, "NL"):
        if not any(
            hit.gevonden in number.raw_string or number.raw_string in hit.gevonden for hit in hits
        ):
            hits.append(PrivacyHit("privacy-telefoon", number.raw_string))
    return hits
