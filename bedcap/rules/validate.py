"""Validate the repository: read what is asked, apply the rules, collect every finding.

`validate_repo` reads what is asked (the whole `data/`, or some paths plus what they
touch), applies the rule registries of `statics.py` and the snapshot rules of
`snapshots.py`, and returns one `Result`. Today's date is a parameter: the window of
correctable days depends on it, and only the CLI reads the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Container
from typing import TYPE_CHECKING, Any

from bedcap import calendar
from bedcap.files.repo import (
    CONTRA_INDICATIES,
    DEELNEMERS,
    EXPECTED_PATHS,
    LOCATIES,
    NOT_IN_CONTRACT,
    REGIOS,
    SETTINGS,
    SNAPSHOTS,
    VERTROUWELIJK,
    Bestandsoort,
    DataRepo,
    Pad,
    classify,
)
from bedcap.files.tomltaal import TomlFoutError, read_toml
from bedcap.files.yamlio import Loaded, load_yaml, read_repo_file
from bedcap.findings.catalogue import Finding, Result, finding
from bedcap.rules.confidential import file_form_findings
from bedcap.rules.modes import mode_findings
from bedcap.rules.snapshots import SnapshotContext, check_snapshots

if TYPE_CHECKING:  # the models import pydantic (0.27 s): only when static files are read
    from bedcap.contract.model import Instellingen
    from bedcap.rules.formcache import Forms
    from bedcap.rules.statics import Bestand, Statics

Progress = Callable[[int], None]
REGISTRIES = (
    (DEELNEMERS, "deelnemers"),
    (REGIOS, "regios"),
    (CONTRA_INDICATIES, "contra_indicaties"),
)
REGISTRY_KINDS = frozenset(
    {
        Bestandsoort.DEELNEMERS,
        Bestandsoort.REGIOS,
        Bestandsoort.CONTRA_INDICATIES,
        Bestandsoort.INSTELLINGEN,
    }
)


def load_settings(repo: DataRepo) -> tuple[Instellingen, list[Finding]]:
    """Settings for the rules; defaults (with findings) when the file is broken."""
    from pydantic import ValidationError

    from bedcap.contract.model import Instellingen
    from bedcap.rules.modelcheck import model_problems

    raw = read_repo_file(repo.root, SETTINGS)
    if isinstance(raw, Finding):
        return Instellingen(), [raw]
    try:
        data = read_toml(raw)
    except TomlFoutError as exc:
        fout = finding("toml-syntaxfout", SETTINGS, regel=exc.regel, reden=exc.reden)
        return Instellingen(), [fout]
    try:
        return Instellingen.model_validate(data), []
    except ValidationError as exc:
        return Instellingen(), model_problems(exc, Loaded(SETTINGS, data), Instellingen)


def _load(repo: DataRepo, pad: Pad) -> tuple[Bestand | None, list[Finding]]:
    from bedcap.rules.modelcheck import load_model
    from bedcap.rules.statics import MODELLEN, Bestand

    loaded = load_yaml(repo.root, pad.pad)
    model, found = load_model(loaded, MODELLEN[pad.soort])
    return (Bestand(pad, loaded, model) if model is not None else None), found


def _in_scope(rel: str, targets: list[str] | None) -> bool:
    return targets is None or any(
        rel == t or rel.startswith(t.rstrip("/") + "/") or t in ("", ".") for t in targets
    )


def correctable_from(settings: Instellingen, today: dt.date) -> dt.date:
    """The oldest peildatum that may still be corrected (the correction window)."""
    return calendar.correctievenster_begin(today, settings.correctievenster_werkdagen)


def seed_holidays(repo: DataRepo, today: dt.date) -> None:
    """Days off around `today` (`files.daysoff`): one new day never imports `holidays`."""
    repo.days_off(today.year)


def _files(
    repo: DataRepo, targets: list[str] | None, skip: Container[str] = frozenset()
) -> list[Pad]:
    """The files in scope, walking only the targets (a whole-tree walk costs 1 s at scale)
    and never into the folders in `skip` (answered by `foldercache`)."""
    if targets is None:
        return [classify(rel) for rel in repo.iter_data_files(skip=skip)]
    seen: dict[str, Pad] = {}
    for target in targets:
        if target == "." or target == "":
            return [classify(rel) for rel in repo.iter_data_files()]
        for rel in repo.iter_data_files(target):
            seen.setdefault(rel, classify(rel))
    return list(seen.values())


def _recent_snapshots(repo: DataRepo, aanbieder: str, since: dt.date, today: dt.date) -> list[Pad]:
    """A provider's snapshots on or after `since`, reading only the year folders needed."""
    found = []
    for year in range(since.year, today.year + 2):
        folder = f"{SNAPSHOTS}/{aanbieder}/{year}"
        if repo.path(folder).is_dir():
            found += [
                p
                for p in map(classify, repo.iter_data_files(folder))
                if p.peildatum is not None and p.peildatum >= since
            ]
    return found


def _read_registries(
    repo: DataRepo, statics: Statics, targets: list[str] | None, result: Result
) -> None:
    """Settings and the three registries into `statics`; findings of those in scope."""
    from bedcap.contract.model import Instellingen
    from bedcap.rules.statics import RULES

    statics.settings, found = (
        load_settings(repo)
        if os.path.lexists(repo.path(SETTINGS))  # a dangling symlink is there, not missing
        else (Instellingen(), [finding("register-ontbreekt", SETTINGS, verwacht=EXPECTED_PATHS)])
    )
    if _in_scope(SETTINGS, targets):
        result.extend(found)
    for rel, attr in REGISTRIES:
        if not os.path.lexists(repo.path(rel)):
            if _in_scope(rel, targets):
                result.extend([finding("register-ontbreekt", rel, verwacht=EXPECTED_PATHS)])
            continue
        bestand, found = _load(repo, classify(rel))
        if bestand is not None:
            setattr(statics, attr, bestand.model)
            found += [p for rule in RULES[bestand.pad.soort] for p in rule(statics, bestand)]
        if _in_scope(rel, targets):
            result.extend(found)


def _read_locations(
    repo: DataRepo, statics: Statics, wanted: Callable[[Pad], bool], folder: str = LOCATIES
) -> list[tuple[Pad, list[Finding]]]:
    """The wanted location files under `folder` into `statics`, each with its findings."""
    from bedcap.rules.statics import LOCATIE_RULES

    out = []
    for pad in map(classify, repo.iter_data_files(folder)):
        if pad.soort is not Bestandsoort.LOCATIE or not wanted(pad):
            continue
        bestand, found = _load(repo, pad)
        if bestand is not None:
            assert pad.aanbieder is not None and pad.id is not None
            statics.locaties.setdefault(pad.aanbieder, {})[pad.id] = bestand.model
            found += [p for rule in LOCATIE_RULES for p in rule(statics, bestand)]
        out.append((pad, found))
    return out


def _other_files(
    repo: DataRepo,
    statics: Callable[[], Statics],
    in_scope: list[Pad],
    result: Result,
    forms: Forms | None = None,
) -> list[Pad]:
    """Findings of invalid paths, financing and logbook files; returns the snapshots.
    `statics` is asked only for a plaintext financing or logbook file (rare: they are
    encrypted), so a run answered by `staticcache` does not read the static files; an
    encrypted file's form may be answered by `forms` (`formcache`)."""
    snapshot_pads: list[Pad] = []
    for pad in in_scope:
        if pad.soort is Bestandsoort.ONGELDIG and os.path.islink(repo.path(pad.pad)):
            # a linked provider or year folder: what it is, as the gate says of it
            result.extend([finding("bestand-symlink", pad.pad)])
        elif pad.soort is Bestandsoort.ONGELDIG:
            code = "onbekend-bestand" if pad.reden == NOT_IN_CONTRACT else "ongeldig-pad"
            reden: dict[str, Any] = {"reden": pad.reden} if code == "ongeldig-pad" else {}
            result.extend([finding(code, pad.pad, verwacht=EXPECTED_PATHS, **reden)])
        elif pad.soort in VERTROUWELIJK:
            check = functools.partial(file_form_findings, repo.root, pad)  # issue 15
            found = forms.check(pad, check) if forms and pad.versleuteld else check()
            if pad.versleuteld:  # the content is checked before encryption, by its owner
                result.extend(found)
                continue
            from bedcap.rules.statics import PERIODE_RULES

            bestand, more = _load(repo, pad)
            found += more
            if bestand is not None:
                found += [p for rule in PERIODE_RULES for p in rule(statics(), bestand)]
            result.extend(found)
        elif pad.soort is Bestandsoort.SNAPSHOT:
            snapshot_pads.append(pad)
    return snapshot_pads


def validate_repo(
    repo: DataRepo,
    targets: list[str] | None = None,
    progress: Callable[[int], Progress] | None = None,
    *,
    today: dt.date,
    cache: bool = False,
    herbekeken: list[str] | None = None,
) -> Result:
    """Validate the whole `data/` (targets None) or some repository paths and what they touch.

    What a target touches: a registry, every location (references); a location, its
    provider's snapshots inside the correction window (completeness). `progress(total)`
    may return a callback that is told how many snapshot files were done. With `cache`,
    unchanged snapshots are answered from `.bedcap/` (`resultcache`); the snapshots the
    rules did read are added to `herbekeken`.
    """
    result = Result()
    if cache:
        seed_holidays(repo, today)
    folders = None
    if targets is None:  # every location; then the walk, skipping remembered folders
        loaded, ctx = _whole_statics(repo, result, today, cache=cache)
        if cache:
            from bedcap.rules import foldercache

            folders = foldercache.recall(repo, ctx, today)
        in_scope = _files(repo, None, folders.skip if folders else {})
        touched: set[str] = set()
    else:
        from bedcap.rules.statics import Statics

        statics = loaded = Statics()
        _read_registries(repo, statics, targets, result)
        in_scope = _files(repo, targets)
        touched = _touched_locations(repo, statics, targets, in_scope, result)
        ctx = snapshot_context(statics, today)
    from bedcap.rules.formcache import Forms

    forms = Forms(repo) if cache and targets is None else None
    snapshot_pads = _other_files(repo, _lazy(repo, loaded), in_scope, result, forms)
    if forms:
        forms.save()
    if targets is not None:
        assert loaded is not None
        window_start = correctable_from(loaded.settings, today)
        chosen = {p.pad for p in snapshot_pads}
        for aanbieder in sorted(touched):
            recent = _recent_snapshots(repo, aanbieder, window_start, today)
            snapshot_pads += [p for p in recent if p.pad not in chosen]
    result.extend(
        mode_findings(  # issue 13: only regular files in data/
            repo.root, ["data"] if targets is None else targets
        )
    )
    tick = progress(len(snapshot_pads)) if progress else None
    if cache:
        from bedcap.rules.resultcache import check_cached

        found = check_cached(repo, snapshot_pads, ctx, tick, herbekeken=herbekeken)
        if folders is not None:
            foldercache.remember(repo, folders, in_scope, found)
    else:
        found = check_snapshots(repo.root, snapshot_pads, ctx, tick)
    result.extend(found)
    remembered = folders.skip.values() if folders else []
    result.extend(p for _, items in remembered for p in items)
    result.bestanden = len({p.pad for p in in_scope} | {p.pad for p in snapshot_pads}) + sum(
        n for n, _ in remembered
    )
    return result


def _all(pad: Pad) -> bool:
    return True


def _whole_statics(
    repo: DataRepo, result: Result, today: dt.date, *, cache: bool
) -> tuple[Statics | None, SnapshotContext]:
    """Settings, registries and every location: their findings into `result`, and the
    snapshot rules' context. With `cache`, answered by `staticcache` when the files and
    the code are those of the last run; the statics are then None (`_lazy` reads them)."""
    from bedcap.rules import staticcache

    registries = [SETTINGS, *(rel for rel, _ in REGISTRIES)]
    sleutel = staticcache.key(repo, registries) if cache else None
    found = staticcache.recall(repo, sleutel) if sleutel else None
    if found is not None:
        result.extend(found.findings)
        window = calendar.correctievenster_begin(today, found.correctievenster_werkdagen)
        return None, SnapshotContext(found.aanbieders, found.regios, found.wards, window)
    from bedcap.rules.statics import Statics

    statics, part = Statics(), Result()
    _read_registries(repo, statics, None, part)
    part.extend(p for _, found in _read_locations(repo, statics, _all) for p in found)
    ctx = snapshot_context(statics, today)
    if sleutel and staticcache.key(repo, registries) == sleutel:  # unchanged while read
        werkdagen = statics.settings.correctievenster_werkdagen
        remembered = staticcache.Remembered(
            part.problems, ctx.aanbieders, ctx.regios, ctx.wards, werkdagen
        )
        staticcache.remember(repo, sleutel, remembered)
    result.extend(part.problems)
    return statics, ctx


def _lazy(repo: DataRepo, statics: Statics | None) -> Callable[[], Statics]:
    """`statics`, or the static files read on first use (their findings are known)."""
    box: list[Statics] = [] if statics is None else [statics]

    def get() -> Statics:
        if not box:
            from bedcap.rules.statics import Statics

            box.append(Statics())
            _read_registries(repo, box[0], None, Result())
            _read_locations(repo, box[0], _all)
        return box[0]

    return get


def _touched_locations(
    repo: DataRepo, statics: Statics, targets: list[str], in_scope: list[Pad], result: Result
) -> set[str]:
    """Locations for some targets: all when a registry is in scope, else those of the
    providers in scope; returns the owners of locations in scope (their windows)."""
    registries_touched = bool({p.soort for p in in_scope} & REGISTRY_KINDS)
    providers = {p.aanbieder for p in in_scope if p.aanbieder}
    touched: set[str] = set()
    for pad, found in _read_locations(
        repo, statics, lambda pad: registries_touched or pad.aanbieder in providers
    ):
        if _in_scope(pad.pad, targets):
            result.extend(found)
            touched.add(pad.eigenaar)
    return touched


def load_provider(repo: DataRepo, aanbieder: str) -> tuple[Statics, list[Finding]]:
    """Settings, registries and one provider's locations, with their findings (for submit)."""
    from bedcap.rules.statics import Statics

    statics = Statics()
    statics.settings, problems = load_settings(repo)
    for rel, attr in REGISTRIES:
        bestand, found = _load(repo, classify(rel))
        if bestand is not None:
            setattr(statics, attr, bestand.model)
        problems += found
    for _, found in _read_locations(
        repo, statics, lambda pad: True, repo.owner_folder(LOCATIES, aanbieder)
    ):
        problems += found
    return statics, problems


def whole_context(repo: DataRepo, today: dt.date) -> SnapshotContext:
    """The snapshot rules' context from all static data (for the bench and the tests)."""
    from bedcap.rules.statics import Statics

    statics = Statics()
    _read_registries(repo, statics, None, Result())
    _read_locations(repo, statics, lambda pad: True)
    return snapshot_context(statics, today)


def snapshot_context(statics: Statics, today: dt.date) -> SnapshotContext:
    """What the snapshot rules compare with, from loaded static data."""
    return SnapshotContext(
        aanbieders=statics.aanbieders,
        regios=statics.regio_ids,
        wards={a: SnapshotContext.wards_of(locs) for a, locs in statics.locaties.items()},
        correctable_from=correctable_from(statics.settings, today),
    )
