"""The report's reader of confidential files: it decrypts what it can and keeps count.

Financing files and logbook exports are age-encrypted (issue 15). The LCBB reports with
`--identiteit` (or `BEDCAP_IDENTITEIT`); without a key that can read them the report is
still made, leaves those figures out, and says which files it could not read: by path for
the LCBB, only counted per kind for `beleid`, whose report names no provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedcap.errors import UsageError
from bedcap.files import agefile
from bedcap.files.repo import VERTROUWELIJK, DataRepo, classify
from bedcap.outputs.report import Tabel


@dataclass
class Lezer:
    """Decrypts confidential files with `identities`; `onleesbaar`: path → kind, unread."""

    identities: list[Any] = field(default_factory=list)
    onleesbaar: dict[str, str] = field(default_factory=dict)
    _gelezen: dict[str, dict[str, Any]] = field(default_factory=dict)  # folder → files

    @classmethod
    def met(cls, identiteit: Path | None) -> Lezer:
        """A reader with the key file `identiteit` (none: reads plaintext files only)."""
        if identiteit is None:
            return cls()
        try:
            return cls(agefile.load_identities([identiteit]))
        except agefile.IdentityError as exc:
            raise UsageError(f"--identiteit {exc}") from exc

    def files(self, repo: DataRepo, folder: str) -> dict[str, Any]:
        """The parsed confidential files in `folder` (one period), by provider; each folder
        is decrypted once (about 1 ms a file: the quarter is read for two tables)."""
        from bedcap.files.yamlio import load_bytes

        if folder in self._gelezen:
            return self._gelezen[folder]
        found: dict[str, Any] = self._gelezen.setdefault(folder, {})
        top = repo.path(folder)
        if not top.is_dir():
            return found
        for path in sorted(top.iterdir()):  # `x.yaml` sorts before `x.yaml.age`: age wins
            pad = classify(f"{folder}/{path.name}")
            if pad.soort not in VERTROUWELIJK or pad.aanbieder is None:
                continue
            raw = agefile.read_confidential(path, self.identities)
            if raw is None:
                self.onleesbaar[pad.pad] = pad.soort.value
                continue
            self.onleesbaar.pop(pad.pad.removesuffix(agefile.SUFFIX), None)
            data = load_bytes(raw, pad.pad).data
            if isinstance(data, dict):
                found[pad.aanbieder] = data
        return found

    def unread_in(self, folder: str) -> set[str]:
        """Providers whose file in `folder` could not be read."""
        return {
            aanbieder
            for rel in self.onleesbaar
            if rel.startswith(folder + "/") and (aanbieder := classify(rel).aanbieder)
        }

    def table(self, lcbb: bool) -> Tabel:
        """What could not be read: every path (LCBB), or only counts per kind (beleid)."""
        note = (
            "Deze vertrouwelijke bestanden zijn niet gelezen: geef een sleutel van de LCBB met "
            "--identiteit of BEDCAP_IDENTITEIT. De cijfers erover ontbreken in dit rapport."
        )
        if lcbb:
            rows = [
                {"bestand": rel, "soort": soort} for rel, soort in sorted(self.onleesbaar.items())
            ]
            return Tabel(
                "niet_leesbaar", "Niet gelezen (versleuteld)", ["bestand", "soort"], rows, note
            )
        counts: dict[str, int] = {}
        for soort in self.onleesbaar.values():
            counts[soort] = counts.get(soort, 0) + 1
        totals: list[dict[str, Any]] = [
            {"soort": s, "bestanden": n} for s, n in sorted(counts.items())
        ]
        return Tabel(
            "niet_leesbaar", "Niet gelezen (versleuteld)", ["soort", "bestanden"], totals, note
        )
