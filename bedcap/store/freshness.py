"""One judgement of a day: which working day is due, and whether counts are stale.

`available`, `history`, the report, the dashboard and `bedcap check` all ask the same two
questions: "which is the last working day whose counts must be in by now?" and "is a
snapshot of day X stale at moment T?". Before today's deadline today is not yet due, so
yesterday's counts are fresh; after it, they are stale. One answer here, so a
coordinator, the LCBB and the gate never disagree about the same provider. Days and
deadlines are the repository's `tijdzone` (`zone`; Amsterdam unless `bedcap.toml` says
otherwise): 07:00 in Kralendijk is before the 12:00 deadline there, whatever the hour in
Amsterdam.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bedcap import calendar

GEEN_AANLEVERING = "geen aanlevering"


Zone = dt.tzinfo


def _lokaal(nu: dt.datetime, zone: Zone) -> dt.datetime:
    """`nu` on the repository's clock (a naive moment is taken to be on it already)."""
    return nu.astimezone(zone) if nu.tzinfo else nu


def laatste_verplichte_dag(nu: dt.datetime, deadline: dt.time, zone: Zone) -> dt.date:
    """The last working day whose counts are due at `nu` (in `zone`).

    Today once its deadline has passed (when today is a working day), otherwise the
    working day before today.
    """
    lokaal = _lokaal(nu, zone)
    today = lokaal.date()
    if calendar.is_werkdag(today) and lokaal.time().replace(tzinfo=None) >= deadline:
        return today
    return calendar.vorige_werkdag(today)


def einde_dag(dag: dt.date, zone: Zone) -> dt.datetime:
    """The last moment of `dag` in `zone`: how a past day is judged, after its deadline."""
    return dt.datetime.combine(dag, dt.time(23, 59, 59), zone)


def moment_van(dag: dt.date, nu: dt.datetime, zone: Zone) -> dt.datetime:
    """The moment a question about `dag` is judged at: `nu` for today, the end of a past day."""
    lokaal = _lokaal(nu, zone)
    return lokaal if dag >= lokaal.date() else einde_dag(dag, zone)


@dataclass(frozen=True)
class Versheid:
    """How old a provider's counts are at a moment, and whether they count as stale."""

    werkdagen_oud: int | None  # working days after the peildatum up to the moment's day
    verouderd: bool
    tekst: str  # Dutch, as every channel shows it


def beoordeel(
    peildatum: dt.date | None, nu: dt.datetime, deadline: dt.time, zone: Zone
) -> Versheid:
    """Judge counts of `peildatum` at `nu`: stale when older than the last due working day.

    `None` (a ward or provider that never submitted) is stale and says "geen aanlevering".
    """
    if peildatum is None:
        return Versheid(None, True, GEEN_AANLEVERING)
    lokaal = _lokaal(nu, zone)
    today = lokaal.date()
    oud = calendar.werkdagen_na(peildatum, today)
    verouderd = peildatum < laatste_verplichte_dag(lokaal, deadline, zone)
    if peildatum == today:
        tekst = "vandaag"
    elif oud == 0:
        tekst = "laatste werkdag"
    else:
        tekst = f"{oud} werkdag{'' if oud == 1 else 'en'} oud"
    return Versheid(oud, verouderd, f"{tekst} (verouderd)" if verouderd else tekst)


@dataclass(frozen=True)
class Afgekapt:
    """A period's last day as counted: never past the last day that has passed or is due."""

    tot: dt.date
    gevraagd: dt.date
    lopend: bool  # the asked period runs past what is known: say so in the header

    @property
    def melding(self) -> str:
        """The header line of a running period (empty for a closed one)."""
        if not self.lopend:
            return ""
        return (
            f"Lopende periode: geteld t/m {calendar.datum_tekst(self.tot)}, de laatste dag die "
            f"voorbij of verplicht is (gevraagd t/m {calendar.datum_tekst(self.gevraagd)})."
        )


def afkappen(tot: dt.date, nu: dt.datetime, deadline: dt.time, zone: Zone) -> Afgekapt:
    """Stop a period at the last day that has passed or is due at `nu`, never later.

    Today counts only after its deadline; a weekend day after the last due working day
    counts (its counts are carried from the Friday before, which is known).
    """
    due = laatste_verplichte_dag(nu, deadline, zone)
    lokaal = _lokaal(nu, zone)
    # Calendar days after the last due working day up to yesterday have passed.
    laatste = max(due, lokaal.date() - dt.timedelta(days=1))
    return Afgekapt(min(tot, laatste), tot, tot > laatste)
