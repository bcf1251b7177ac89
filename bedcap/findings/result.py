"""One command's result: all its findings plus what was looked at, and its own JSON.

The result serialises itself (`as_dict`, `to_json`, `to_github`) because `findings` sits
below `cli` in the layers; `bedcap/cli/render.py` is the one module that prints it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from bedcap.findings.finding import Ernst, Finding


@dataclass
class Result:
    """All findings of one run plus what was looked at, for the summary line."""

    problems: list[Finding] = field(default_factory=list)
    bestanden: int = 0

    def extend(self, found: Iterable[Finding]) -> None:
        self.problems.extend(found)

    @property
    def fouten(self) -> list[Finding]:
        return sorted((p for p in self.problems if p.ernst is Ernst.FOUT), key=Finding.sort_key)

    @property
    def waarschuwingen(self) -> list[Finding]:
        return sorted(
            (p for p in self.problems if p.ernst is Ernst.WAARSCHUWING), key=Finding.sort_key
        )

    @property
    def geldig(self) -> bool:
        return not self.fouten

    def ordered(self) -> list[Finding]:
        """Errors first, then warnings, each by file and place."""
        return self.fouten + self.waarschuwingen

    def summary(self) -> str:
        return (
            f"Klaar. FOUT={len(self.fouten)} WAARSCHUWING={len(self.waarschuwingen)} "
            f"BESTANDEN={self.bestanden}"
        )

    def as_dict(self) -> dict[str, Any]:
        """Stable keys: `geldig`, `bestanden`, `fouten`, `waarschuwingen`, `bevindingen`."""
        return {
            "geldig": self.geldig,
            "bestanden": self.bestanden,
            "fouten": len(self.fouten),
            "waarschuwingen": len(self.waarschuwingen),
            "bevindingen": [asdict(p) for p in self.ordered()],
        }


def dumps(data: dict[str, Any]) -> str:
    """The one JSON style of bedcap's output: UTF-8 as is, indented by two."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_json(result: Result) -> str:
    """The result as JSON (`Result.as_dict`)."""
    return dumps(result.as_dict())


def _escape_github(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def to_github(result: Result) -> str:
    """GitHub Actions workflow commands, so findings show as annotations on the diff."""
    lines = []
    for p in result.ordered():
        kind = "error" if p.ernst is Ernst.FOUT else "warning"
        props = [f"file={_escape_github(p.bestand, prop=True)}"]
        if p.regel is not None:
            props.append(f"line={p.regel}")
        props.append(f"title={_escape_github(p.code, prop=True)}")
        where = f"rij {p.rij}, " if p.rij is not None else ""
        field_ = f"veld {p.veld}: " if p.veld else ""
        if p.commit:
            where = f"commit {p.commit}, {where}"
        lines.append(f"::{kind} {','.join(props)}::{_escape_github(where + field_ + p.melding)}")
    lines.append(result.summary())
    return "\n".join(lines)
