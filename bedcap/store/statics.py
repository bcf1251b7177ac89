"""Static facts the read commands show next to the counts, cached between runs.

`available` must answer in about the time it takes to import DuckDB; parsing 150
location files and importing pydantic and the holiday calendar would take longer than
the whole question. So the parsed facts live in `.bedcap/statisch.json`, keyed by each
source file's size and change time (the later of mtime and ctime): a warm run stats ~150
files and parses none.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bedcap.files import daysoff, regular
from bedcap.files.derived import read_derived
from bedcap.files.regular import MAX_TEXT_BYTES, changed_ns, os_reden, read_regular
from bedcap.files.repo import DEELNEMERS, LOCATIES, REGIOS, Bestandsoort, DataRepo, classify

if TYPE_CHECKING:
    from bedcap.files.yamlio import Loaded

CACHE_NAME = "statisch.json"
CACHE_VERSION = 6


@dataclass
class Statisch:
    """Locations' contact details and wards' admission facts, by (aanbieder, locatie)."""

    locaties: dict[str, dict[str, Any]] = field(default_factory=dict)
    aanbieders: dict[str, str] = field(default_factory=dict)
    fouten: dict[str, str] = field(default_factory=dict)
    # Participation dates per provider (`deelname_vanaf`/`deelname_tot`, ISO strings).
    deelname: dict[str, dict[str, str | None]] = field(default_factory=dict)
    regios: dict[str, str] = field(default_factory=dict)  # region names by id

    def locatie(self, aanbieder: str, locatie: str) -> dict[str, Any] | None:
        return self.locaties.get(f"{aanbieder}/{locatie}")

    def afdeling(self, aanbieder: str, locatie: str, afdeling: str) -> dict[str, Any] | None:
        loc = self.locatie(aanbieder, locatie)
        return None if loc is None else loc["afdelingen"].get(afdeling)


def _location_entry(loaded: Loaded, rel: str) -> dict[str, Any]:
    """One location file's facts, validated by the contract model (only on a cache miss).
    A file the model refuses is named with the first finding `validate` gives, in Dutch
    with its line and field (pydantic's own English was shown before)."""
    from pydantic import ValidationError

    from bedcap.contract.model import Locatie
    from bedcap.rules.modelcheck import model_problems

    try:
        loc = Locatie.model_validate(loaded.data)
    except ValidationError as exc:
        first = model_problems(exc, loaded, Locatie)[0]
        regel = f"regel {first.regel}, " if first.regel else ""
        veld = f"veld {first.veld}: " if first.veld else ""
        return {"fout": f"{rel}: {regel}{veld}{first.melding} (draai 'bedcap validate')"}
    return {
        "naam": loc.naam,
        "regio": loc.regio,
        "telefoon": loc.telefoon,
        "email": str(loc.email),
        "bereikbaarheid": loc.bereikbaarheid,
        "adres": f"{loc.adres.straat} {loc.adres.huisnummer}, {loc.adres.postcode} "
        f"{loc.adres.plaats}",
        "rechtskaders": [str(r) for r in loc.rechtskaders],
        "contra_indicaties": list(loc.contra_indicaties),
        "afdelingen": {
            a.id: {
                "naam": a.naam,
                "rechtskaders": [str(r) for r in loc.rechtskaders_van(a)],
                "contra_indicaties": loc.contra_indicaties_van(a),
                # What a row without counts shows, and when the ward counts (issue 14).
                "beveiligingsniveau": int(a.beveiligingsniveau),
                "specialisme": str(a.specialisme),
                "voorziening": str(a.voorziening),
                "zorgtypen": [str(z) for z in a.zorgtypen],
                "actief_vanaf": a.actief_vanaf.isoformat() if a.actief_vanaf else None,
                "actief_tot": a.actief_tot.isoformat() if a.actief_tot else None,
            }
            for a in loc.afdelingen
        },
    }


def _parse(raw: bytes, rel: str) -> tuple[Loaded | None, str | None]:
    from bedcap.files.yamlio import parse_yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, f"{rel}: geen UTF-8 (draai 'bedcap validate')"
    loaded = parse_yaml(text, rel)
    if loaded.problems or loaded.data is None:
        melding = loaded.problems[0].melding if loaded.problems else "leeg bestand"
        return None, f"{rel}: {melding}"
    return loaded, None


def _entry(raw: bytes, rel: str) -> dict[str, Any]:
    loaded, fout = _parse(raw, rel)
    if fout or loaded is None:
        return {"fout": fout or f"{rel}: leeg bestand"}
    return _location_entry(loaded, rel)


def _items(raw: bytes | None, rel: str, key: str) -> list[dict[str, Any]]:
    """The entries with an id under `key` of a registry (`deelnemers`, `regios`); none
    when the file is absent or unreadable (`validate` says why)."""
    if raw is None:
        return []
    loaded, fout = _parse(raw, rel)
    data = loaded.data if loaded is not None else None
    if fout or not isinstance(data, dict) or not isinstance(data.get(key), list):
        return []
    return [d for d in data[key] if isinstance(d, dict) and isinstance(d.get("id"), str)]


def _registry(raw: bytes | None) -> dict[str, Any]:
    """Participants' names and participation dates (ISO strings) from `deelnemers.yaml`."""
    people = _items(raw, DEELNEMERS, "deelnemers")
    if not people:
        return {}
    return {
        "namen": {d["id"]: str(d["naam"]) for d in people if isinstance(d.get("naam"), str)},
        "deelname": {
            d["id"]: {k: _iso(d.get(k)) for k in ("deelname_vanaf", "deelname_tot")}
            for d in people
            if d.get("deelname_vanaf") or d.get("deelname_tot")
        },
    }


def _regios(raw: bytes | None) -> dict[str, Any]:
    """Region names by id from `regios.yaml` (a person reads "Brabant en Zeeland")."""
    regios = _items(raw, REGIOS, "regios")
    return {"namen": {r["id"]: str(r.get("naam") or r["id"]) for r in regios}} if regios else {}


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else (str(value) if value else None)


def _statisch(registry: Mapping[str, Any], regios: Mapping[str, Any]) -> Statisch:
    return Statisch(
        aanbieders=dict(registry.get("namen") or {}),
        deelname=dict(registry.get("deelname") or {}),
        regios=dict(regios.get("namen") or {}),
    )


def from_files(files: Mapping[str, bytes], known: Mapping[str, Any] | None = None) -> Statisch:
    """Facts from file contents by path (e.g. as they were in a past commit). `known`
    holds entries already parsed (`load_entries`) of files not in `files`: a commit's
    files that are the same now are not parsed again (pydantic alone costs 0.3 s)."""
    known = known or {}
    result = _statisch(
        known[DEELNEMERS] if DEELNEMERS in known else _registry(files.get(DEELNEMERS)),
        known[REGIOS] if REGIOS in known else _regios(files.get(REGIOS)),
    )
    for rel in sorted({*files, *known}):
        pad = classify(rel)
        if pad.soort is not Bestandsoort.LOCATIE:
            continue
        _store(result, rel, known[rel] if rel in known else _entry(files[rel], rel))
    return result


def _store(result: Statisch, rel: str, entry: dict[str, Any]) -> None:
    pad = classify(rel)
    if "fout" in entry:
        result.fouten[rel] = entry["fout"]
    else:
        result.locaties[f"{pad.aanbieder}/{pad.id}"] = entry


def _sources(repo: DataRepo) -> dict[str, tuple[int, int, int]]:
    """Every location file and the registries of names, with size, change time
    (`regular.changed_ns`) and mtime (which decides whether it is too recent to trust)."""
    found: dict[str, tuple[int, int, int]] = {}
    for registry in (DEELNEMERS, REGIOS):
        try:
            st = os.stat(repo.path(registry))
            found[registry] = (st.st_size, changed_ns(st), st.st_mtime_ns)
        except OSError:
            pass
    base = repo.path(LOCATIES)
    if not base.is_dir():
        return found
    for owner in repo.owner_folders(LOCATIES):
        for entry in os.scandir(owner.path):
            if entry.name.endswith(".yaml") and entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                found[f"{LOCATIES}/{owner.name}/{entry.name}"] = (
                    st.st_size,
                    changed_ns(st),
                    st.st_mtime_ns,
                )
    return found


def source_paths(repo: DataRepo) -> list[str]:
    """The files `load` reads: the registries of names and every location file."""
    return list(_sources(repo))


def _read_cache(path: os.PathLike[str]) -> dict[str, Any]:
    try:
        cached = json.loads(read_derived(path))
    except (OSError, ValueError):
        return {}
    return cached if isinstance(cached, dict) and cached.get("versie") == CACHE_VERSION else {}


def load(repo: DataRepo, jaren: Iterable[int] = ()) -> Statisch:
    """The working tree's facts; re-parses only files whose size or change time changed.

    Also seeds the holiday calendar for `jaren` (`files.daysoff`), so a warm run never
    imports the `holidays` package.
    """
    return load_entries(repo, jaren)[0]


def load_entries(repo: DataRepo, jaren: Iterable[int] = ()) -> tuple[Statisch, dict[str, Any]]:
    """`load`, and the parsed entry of each source file by path (for `from_files`)."""
    daysoff.seed(repo.cache_dir, repo.tmp_dir, jaren)
    cache_path = repo.cache_dir / CACHE_NAME
    cached = _read_cache(cache_path)
    sources = _sources(repo)
    old_stats: dict[str, list[int]] = cached.get("bronnen", {})
    old_entries: dict[str, Any] = cached.get("bestanden", {})
    entries: dict[str, Any] = {}
    changed = set(sources) != set(old_stats)
    for rel, stat in sources.items():
        if old_stats.get(rel) == list(stat[:2]) and rel in old_entries:
            entries[rel] = old_entries[rel]
            continue
        changed = True
        try:
            raw = read_regular(repo.path(rel), MAX_TEXT_BYTES)  # never a FIFO
        except OSError as exc:
            entries[rel] = {"fout": f"{rel}: onleesbaar ({os_reden(exc)})"}
            continue
        entries[rel] = (
            _registry(raw)
            if rel == DEELNEMERS
            else _regios(raw)
            if rel == REGIOS
            else _entry(raw, rel)
        )
    result = _statisch(entries.get(DEELNEMERS) or {}, entries.get(REGIOS) or {})
    for rel, entry in entries.items():
        if rel not in (DEELNEMERS, REGIOS):
            _store(result, rel, entry)
    if changed:
        _write_cache(repo, cache_path, sources, entries)
    return result, entries


def _write_cache(
    repo: DataRepo,
    cache_path: os.PathLike[str],
    sources: dict[str, tuple[int, int, int]],
    entries: dict[str, Any],
) -> None:
    from bedcap.errors import WriteError
    from bedcap.files.yamlio import atomic_write

    racy_from = regular.racy_from()
    stats = {rel: list(stat[:2]) for rel, stat in sources.items() if stat[2] < racy_from}
    payload = {
        "versie": CACHE_VERSION,
        "bronnen": stats,
        "bestanden": entries,
    }
    try:
        repo.cache_dir.mkdir(exist_ok=True)
        atomic_write(repo.cache_dir / CACHE_NAME, json.dumps(payload).encode("utf-8"), repo.tmp_dir)
    except (OSError, WriteError):
        pass  # a read-only checkout still answers, only slower next time
