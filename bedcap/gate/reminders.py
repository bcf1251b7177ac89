"""Reminders for late providers (issue 17): one Markdown message each, written or mailed.

The scheduled state check knows who is stale or missing days; `bedcap check
--herinneringen MAP` turns each such provider into one Markdown message (for an issue or
a mail merge) and `--smtp HOST[:POORT]` mails it to the provider's maintainers as
`data/deelnemers.yaml` lists them. Nothing is sent twice for the same day: what was sent
is recorded in `MAP/verzonden.json`, outside the data repository's tracked files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from bedcap import calendar
from bedcap.errors import BedcapError
from bedcap.files.repo import DEELNEMERS
from bedcap.files.yamlio import atomic_write, load_yaml

RECORD = "verzonden.json"


class SmtpError(BedcapError):
    """The mail server cannot be reached or refused a message (exit 3)."""


class Stand(Protocol):
    """What the state check knows of one provider (gate/state.py's `Stand` fits)."""

    aanbieder: str
    nieuwste: dt.date | None
    verouderd: bool

    @property
    def ontbrekend(self) -> Sequence[dt.date]: ...


@dataclass(frozen=True)
class Herinnering:
    """One message to one provider's maintainers."""

    aanbieder: str
    aan: tuple[str, ...]
    onderwerp: str
    tekst: str

    def bestandsnaam(self, peildatum: dt.date) -> str:
        return f"{peildatum.isoformat()}-{self.aanbieder}.md"


@dataclass(frozen=True)
class Verzending:
    """What `send` did: sent now, skipped (sent earlier that day), no address to send to."""

    verzonden: list[Herinnering]
    overgeslagen: list[Herinnering]
    zonder_adres: list[Herinnering]


def datum_nl(day: dt.date) -> str:
    """`maandag 28 juni 2021`."""
    return f"{calendar.DAGEN[day.weekday()]} {calendar.datum_tekst(day)}"


def _text(stand: Stand, naam: str, peildatum: dt.date) -> str:
    lines = [
        f"# Herinnering: aanlevering {naam} ({stand.aanbieder})",
        "",
        f"Stand van de aanlevering op {datum_nl(peildatum)}.",
        "",
    ]
    if stand.ontbrekend:
        lines += ["Er ontbreken snapshots voor deze werkdagen:", ""]
        lines += [f"- {datum_nl(day)} ({day.isoformat()})" for day in stand.ontbrekend]
        lines.append("")
    if stand.nieuwste is None:
        lines.append("Er is nog geen enkele snapshot aangeleverd.")
    elif stand.verouderd:
        lines.append(
            f"De nieuwste snapshot is van {datum_nl(stand.nieuwste)}: dat is ouder dan de "
            "vorige werkdag, dus het dashboard toont jullie bedden als verouderd."
        )
    lines += [
        "",
        "Lever aan met `bedcap submit BESTAND` (of `bedcap submit --ongewijzigd` als er "
        "niets veranderde); een gemiste dag met `--datum JJJJ-MM-DD`, zolang die binnen het "
        "correctievenster valt.",
        "",
        "Dit bericht is gemaakt door `bedcap check --herinneringen`.",
    ]
    return "\n".join(lines) + "\n"


def messages(
    stands: Iterable[Stand], registry: Mapping[str, Any] | None, peildatum: dt.date
) -> list[Herinnering]:
    """One message per stale or incomplete provider, to its maintainers in the registry."""
    names: dict[str, str] = {}
    emails: dict[str, list[str]] = {}
    for d in (registry or {}).get("deelnemers") or []:
        if isinstance(d, dict) and isinstance(d.get("id"), str):
            names[d["id"]] = str(d.get("naam") or d["id"])
            emails[d["id"]] = [
                b["email"]
                for b in d.get("beheerders") or []
                if isinstance(b, dict) and "email" in b
            ]
    found = []
    for stand in stands:
        if not (stand.verouderd or stand.ontbrekend):
            continue
        naam = names.get(stand.aanbieder, stand.aanbieder)
        found.append(
            Herinnering(
                stand.aanbieder,
                tuple(sorted(emails.get(stand.aanbieder, []))),
                f"Herinnering bedcap: aanlevering {naam} ({peildatum.isoformat()})",
                _text(stand, naam, peildatum),
            )
        )
    return found


def write(folder: Path, found: Sequence[Herinnering], peildatum: dt.date) -> list[Path]:
    """Each message as `MAP/<peildatum>-<aanbieder>.md` (rewritten: same day, same text)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for h in found:
        path = folder / h.bestandsnaam(peildatum)
        atomic_write(path, h.tekst.encode("utf-8"))
        written.append(path)
    return written


def _record(folder: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise BedcapError(
            f"{folder / RECORD} is onleesbaar ({exc}); herstel of verwijder het"
        ) from exc
    return {str(k): [str(a) for a in v] for k, v in data.items()} if isinstance(data, dict) else {}


def send(
    folder: Path,
    found: Sequence[Herinnering],
    peildatum: dt.date,
    *,
    host: str,
    port: int,
    afzender: str,
) -> Verzending:
    """Mail each message not yet sent for `peildatum`; the record is kept in `folder`."""
    import smtplib

    record = _record(folder)
    done = set(record.get(peildatum.isoformat(), []))
    todo = [h for h in found if h.aanbieder not in done and h.aan]
    skipped = [h for h in found if h.aanbieder in done]
    nobody = [h for h in found if h.aanbieder not in done and not h.aan]
    sent: list[Herinnering] = []
    if not todo:
        return Verzending(sent, skipped, nobody)
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            for h in todo:
                mail = EmailMessage()
                mail["From"], mail["To"], mail["Subject"] = afzender, ", ".join(h.aan), h.onderwerp
                mail.set_content(h.tekst)
                smtp.send_message(mail)
                sent.append(h)
                record.setdefault(peildatum.isoformat(), []).append(h.aanbieder)
                atomic_write(folder / RECORD, json.dumps(record, indent=2).encode("utf-8"))
    except (OSError, smtplib.SMTPException) as exc:
        raise SmtpError(
            f"mailserver {host}:{port}: {exc}; verzonden: {len(sent)} van {len(todo)} "
            f"(bijgehouden in {folder / RECORD}, een nieuwe poging slaat die over)"
        ) from exc
    return Verzending(sent, skipped, nobody)


@dataclass(frozen=True)
class Herinnerd:
    """What `remind` did: the messages written to the folder, and the mail if asked."""

    map: Path
    herinneringen: list[Herinnering]
    bestanden: list[Path]
    verzending: Verzending | None


def remind(
    root: Path,
    stands: Iterable[Stand],
    peildatum: dt.date,
    folder: Path,
    *,
    smtp: tuple[str, int] | None = None,
    afzender: str = "bedcap@localhost",
) -> Herinnerd:
    """Write a message per late provider to `folder`; with `smtp` (host, port) mail them too.

    root: the data repository (its `deelnemers.yaml` names the maintainers).
    peildatum: the day of the state check; a message goes out once per provider per day.
    """
    found = messages(stands, load_yaml(root, DEELNEMERS).data, peildatum)
    written = write(folder, found, peildatum)
    sent = None
    if smtp is not None:
        sent = send(folder, found, peildatum, host=smtp[0], port=smtp[1], afzender=afzender)
    return Herinnerd(folder, found, written, sent)
