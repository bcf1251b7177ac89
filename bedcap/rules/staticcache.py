"""The static data's part of a whole-repository validation, remembered between runs.

Parsing and checking the settings, the registries and every location file (153 YAML
files nationally) and importing the pydantic models that check them cost about 0.45 s of
each `bedcap validate`, although these files rarely change. Their findings and what the
snapshot rules compare with (`SnapshotContext` without its date) depend only on those
files' bytes, on the code that reads them and on the libraries it uses, so they are
stored under a key made of exactly that (`.bedcap/validatie-statisch.json`, derived and
disposable like the other caches). A run whose key matches never imports pydantic.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

from bedcap.errors import WriteError
from bedcap.files.derived import read_derived
from bedcap.files.regular import read_regular
from bedcap.files.repo import LOCATIES, DataRepo
from bedcap.files.yamlio import MAX_YAML_BYTES, atomic_write, read_repo_file
from bedcap.findings.catalogue import Finding
from bedcap.rules.resultcache import from_json, to_json
from bedcap.rules.snapshots import Ward

CACHE_NAME = "validatie-statisch.json"
VERSIE = 1
"""Bump when what is stored changes shape."""

_PACKAGE = Path(__file__).resolve().parent.parent
_SOURCES = (
    "contract",
    "findings",
    "rules",
    "files/yamlio.py",
    "files/yamltaal.py",
    "files/tomltaal.py",
    "files/regular.py",
    "files/repo.py",
    "calendar.py",
)
"""The code whose behaviour the stored findings depend on (hashed, so an edit counts)."""
_LIBRARIES = (
    "pydantic",
    "pydantic_core",
    "phonenumbers",
    "email_validator",
    "stdnum",
    "ruamel",
    "yaml",
)
"""Libraries the models validate with: the installed versions count too."""


@dataclass(frozen=True)
class Remembered:
    """What a whole-repository run learns from the static files, without today's date."""

    findings: list[Finding]
    aanbieders: frozenset[str]
    regios: frozenset[str]
    wards: dict[str, dict[tuple[str, str], Ward]]
    correctievenster_werkdagen: int


def code_digest(sources: Sequence[str] = (), libraries: Sequence[str] = ()) -> bytes:
    """The bedcap sources (paths relative to the package) and the installed versions of
    the libraries a cached result was computed with; by default the static rules'."""
    h = hashlib.sha1(usedforsecurity=False)
    files: list[Path] = []
    for name in sources or _SOURCES:
        path = _PACKAGE / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    for path in files:
        h.update(os.path.relpath(path, _PACKAGE).encode() + b"\0" + path.read_bytes())
    sites = set()
    for name in libraries if sources else _LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            sites.add(os.path.dirname(os.path.dirname(spec.origin)))
    for site in sorted(sites):
        h.update(repr(sorted(n for n in os.listdir(site) if n.endswith(".dist-info"))).encode())
    return h.digest()


def key(repo: DataRepo, registries: Sequence[str]) -> str:
    """The fingerprint of everything the static part of a run reads: each file's bytes (or
    the finding that says why it cannot be read) and the code (`code_digest`)."""
    h = hashlib.sha1(usedforsecurity=False)
    h.update(b"%d\0" % VERSIE + code_digest())
    plain = _Plain(repo)
    for rel in [*registries, *repo.iter_data_files(LOCATIES)]:
        raw = plain.read(rel)
        body = raw if isinstance(raw, bytes) else repr(raw).encode("utf-8", "backslashreplace")
        name = rel.encode("utf-8", "surrogateescape")  # a name that is no UTF-8 is a finding
        h.update(b"%s\0%d\0%d\0" % (name, isinstance(raw, bytes), len(body)) + body)
    return h.hexdigest()


class _Plain:
    """`read_repo_file` with fewer system calls: a regular file whose folders are no
    symlinks, below a root that is its own real path, is read directly (resolving each
    of 157 paths cost 0.02-0.03 s); anything else is left to `read_repo_file`."""

    def __init__(self, repo: DataRepo) -> None:
        self.root = os.fspath(repo.root)
        self.real = os.path.realpath(self.root) == self.root
        self.folders: dict[str, bool] = {"": self.real}

    def _plain_folder(self, rel: str) -> bool:
        if rel not in self.folders:
            parent, _, _ = rel.rpartition("/")
            try:
                st = os.lstat(os.path.join(self.root, rel))
                ok = self._plain_folder(parent) and stat.S_ISDIR(st.st_mode)
            except OSError:
                ok = False
            self.folders[rel] = ok
        return self.folders[rel]

    def read(self, rel: str) -> bytes | Finding:
        if self._plain_folder(rel.rpartition("/")[0]):
            path = os.path.join(self.root, rel)
            try:
                return read_regular(path, MAX_YAML_BYTES)
            except OSError:
                pass  # read_repo_file says why
        return read_repo_file(Path(self.root), rel)


def _ward(fields: list[Any]) -> Ward:
    loc, afd, zorgtypen, vanaf, tot, *rest = fields
    when = [dt.date.fromisoformat(d) if d else None for d in (vanaf, tot)]
    return Ward(loc, afd, tuple(zorgtypen), when[0], when[1], *rest)


def recall(repo: DataRepo, sleutel: str) -> Remembered | None:
    """The stored outcome for `sleutel`; None when there is none (or it cannot be read)."""
    try:
        stored = json.loads(read_derived(repo.cache_dir / CACHE_NAME))
        if not isinstance(stored, dict) or stored.get("sleutel") != sleutel:
            return None
        return Remembered(
            findings=from_json(stored["bevindingen"]),
            aanbieders=frozenset(stored["aanbieders"]),
            regios=frozenset(stored["regios"]),
            wards={
                a: {(w[0], w[1]): _ward(w) for w in wards} for a, wards in stored["wards"].items()
            },
            correctievenster_werkdagen=int(stored["correctievenster_werkdagen"]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # missing, broken or of another shape: the static files are read anew


def remember(repo: DataRepo, sleutel: str, found: Remembered) -> None:
    """Store the outcome for `sleutel`, replacing any other."""

    def plain(ward: Ward) -> list[Any]:
        return [v.isoformat() if isinstance(v, dt.date) else v for v in astuple(ward)]

    data = {
        "sleutel": sleutel,
        "bevindingen": to_json(found.findings),
        "aanbieders": sorted(found.aanbieders),
        "regios": sorted(found.regios),
        "wards": {a: [plain(w) for w in ws.values()] for a, ws in found.wards.items()},
        "correctievenster_werkdagen": found.correctievenster_werkdagen,
    }
    with contextlib.suppress(OSError, WriteError):  # read-only: the next run reads again
        atomic_write(repo.cache_dir / CACHE_NAME, json.dumps(data).encode(), repo.tmp_dir)
