"""Reminders for late providers: Markdown messages, and mail through a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from tests.conftest import PROVIDER, invoke

OTHER = "voorbeeldzorg-westerduin"


class Inbox:
    """An aiosmtpd handler keeping every message with its envelope recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def late(example: Path) -> Path:
    """OTHER missed its last two working days of June 2021."""
    for day in ("2021-06-29", "2021-06-30"):
        (example / f"data/snapshots/{OTHER}/2021/{day}.parquet").unlink()
    return example


def test_one_markdown_message_per_late_provider(
    runner: CliRunner, late: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "herinneringen"
    result = invoke(
        runner, "check", "--peildatum", "2021-06-30", "--herinneringen", str(folder), cwd=late
    )
    assert result.exit_code == 1  # the state still has findings
    files = sorted(p.name for p in folder.glob("*.md"))
    assert files == [f"2021-06-30-{OTHER}.md"]
    text = (folder / files[0]).read_text(encoding="utf-8")
    assert text.startswith("# Herinnering: aanlevering ")
    assert "- dinsdag 29 juni 2021 (2021-06-29)\n- woensdag 30 juni 2021 (2021-06-30)\n" in text
    assert "De nieuwste snapshot is van maandag 28 juni 2021" in text
    assert "bedcap submit --ongewijzigd" in text
    assert f"Herinneringen: 1 in {folder}" in result.stdout


def test_mail_goes_to_the_maintainers_once_a_day(
    runner: CliRunner, late: Path, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    folder = tmp_path / "herinneringen"
    args = ["check", "--peildatum", "2021-06-30", "--herinneringen", str(folder)]
    args += ["--smtp", f"127.0.0.1:{port}", "--afzender", "lcbb@lcbb.example"]
    first = invoke(runner, *args, cwd=late)
    assert first.exit_code == 1, first.output
    assert len(inbox.received) == 1
    recipients, mail = inbox.received[0]
    assert recipients == [f"beheer@{OTHER}.example"]
    assert mail["To"] == f"beheer@{OTHER}.example" and mail["From"] == "lcbb@lcbb.example"
    assert "Herinnering bedcap: aanlevering" in mail["Subject"] and "2021-06-30" in mail["Subject"]
    body = mail.get_payload(decode=True).decode("utf-8")
    assert "woensdag 30 juni 2021" in body
    assert f"Verzonden: 1 ({OTHER})" in first.stdout
    assert PROVIDER not in first.stdout.split("Verzonden:")[1]

    again = invoke(runner, *args, cwd=late)
    assert again.exit_code == 1
    assert len(inbox.received) == 1  # nothing sent twice for the same day
    assert f"Al verzonden op 2021-06-30: 1 ({OTHER})" in again.stdout

    # The next day is a new day: the reminder goes out again (and every provider now
    # misses 1 July, the day after the example data ends).
    nextday = [a if a != "2021-06-30" else "2021-07-01" for a in args]
    third = invoke(runner, *nextday, cwd=late)
    assert third.exit_code == 1
    to_other = [m for rcpt, m in inbox.received if rcpt == [f"beheer@{OTHER}.example"]]
    assert len(to_other) == 2 and "2021-07-01" in to_other[1]["Subject"]
    assert len(inbox.received) == 1 + len(list(folder.glob("2021-07-01-*.md")))


def test_an_unreachable_mail_server_cannot_run(
    runner: CliRunner, late: Path, tmp_path: Path
) -> None:
    port = free_port()  # nobody listens here
    result = invoke(
        runner,
        "check",
        "--peildatum",
        "2021-06-30",
        "--herinneringen",
        str(tmp_path / "h"),
        "--smtp",
        f"127.0.0.1:{port}",
        cwd=late,
    )
    assert result.exit_code == 3
    assert f"mailserver 127.0.0.1:{port}" in result.stderr


def test_smtp_needs_a_folder(runner: CliRunner, late: Path) -> None:
    result = invoke(runner, "check", "--smtp", "localhost", cwd=late)
    assert result.exit_code == 2
    assert "--smtp vraagt ook --herinneringen MAP" in result.stderr
