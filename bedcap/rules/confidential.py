"""The rule on confidential files that needs no key: stored as age, never as plaintext.

Which recipients a file must have is the gate's question (it needs the registry of the
base revision); here only the form: a confidential kind in plaintext is refused, and a
`.age` file must be a well-formed age v1 file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from bedcap.files import agefile
from bedcap.files.regular import read_head
from bedcap.files.repo import VERTROUWELIJK, Pad
from bedcap.findings.catalogue import Finding, finding


def form_findings(pad: Pad, data: bytes, commit: str | None = None) -> list[Finding]:
    """Findings about how a confidential file is stored; `data` is (at least) its header."""
    if pad.soort not in VERTROUWELIJK:
        return []
    if not pad.versleuteld:
        return [
            finding(
                "vertrouwelijk-onversleuteld",
                pad.pad,
                commit=commit,
                soort=pad.soort.value,
                gevonden="klaartekst",
                verwacht=f"{pad.pad}{agefile.SUFFIX}",
            )
        ]
    try:
        agefile.read_header(data)
    except agefile.AgeFormatError as exc:
        return [finding("vertrouwelijk-ongeldig", pad.pad, commit=commit, reden=str(exc))]
    return []


def file_form_findings(root: Path, pad: Pad) -> list[Finding]:
    """`form_findings` of a file in the working tree, reading only its header."""
    data = b""
    if pad.versleuteld:
        with contextlib.suppress(OSError):  # never a FIFO: `regular.read_head`
            data = read_head(root / pad.pad, agefile.HEADER_MAX)
    return form_findings(pad, data)
