"""The rules of the data contract, per file and across files; every finding is collected.

`validate_repo` reads what is asked (the whole `data/`, or some paths plus what they
touch), applies the rule registries below, and returns one `Result`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bedcap import calendar
from bedcap.contract.model import (
    VOORZIENINGEN,
    ContraIndicatiesBestand,
    DeelnemersBestand,
    Financiering,
    Instellingen,
    Locatie,
    LogboekExport,
    RegiosBestand,
    Rol,
)
from bedcap.files.repo import (
    CONTRA_INDICATIES,
    DEELNEMERS,
    EXPECTED_PATHS,
    LOCATIES,
    NOT_IN_CONTRACT,
    REGIOS,
    SETTINGS,
    SNAPSHOTS,
    Bestandsoort,
    DataRepo,
    Pad,
    classify,
)
from bedcap.files.yamlio import Loaded, load_yaml, read_repo_file
from bedcap.findings.catalogue import Problem, Result, problem
from bedcap.rules.modelcheck import load_model, model_problems
from bedcap.rules.snapshots import SnapshotContext, check_snapshots

Progress = Callable[[int], None]


@dataclass
class Statics:
    """The registries and locations as read, for rules that look across files."""

    settings: Instellingen = field(default_factory=Instellingen)
    deelnemers: DeelnemersBestand | None = None
    regios: RegiosBestand | None = None
    contra_indicaties: ContraIndicatiesBestand | None = None
    locaties: dict[str, dict[str, Locatie]] = field(default_factory=dict)

    @property
    def aanbieders(self) -> frozenset[str]:
        if self.deelnemers is None:
            return frozenset()
        return frozenset(d.id for d in self.deelnemers.deelnemers if d.has_rol(Rol.AANBIEDER))

    @property
    def regio_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.regios.regios) if self.regios else frozenset()

    @property
    def contra_ids(self) -> frozenset[str]:
        ci = self.contra_indicaties
        return frozenset(c.id for c in ci.contra_indicaties) if ci else frozenset()


@dataclass(frozen=True)
class Bestand:
    """A YAML file as loaded and (if it parsed) as its model, for the rules to inspect."""

    pad: Pad
    loaded: Loaded
    model: Any

    def line(self, *loc: str | int) -> int | None:
        return self.loaded.line_of(loc)


Rule = Callable[[Statics, Bestand], Iterator[Problem]]


def _duplicates(ids: Iterable[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def _first_index(items: list[Any], wanted: str, attr: str = "id") -> int:
    return next(i for i, item in enumerate(items) if getattr(item, attr) == wanted)


# --- registries ------------------------------------------------------------------------


def rule_unique_registry_ids(st: Statics, f: Bestand) -> Iterator[Problem]:
    key = {
        "deelnemers": "deelnemers",
        "regios": "regios",
        "contra-indicaties": "contra_indicaties",
    }[f.pad.soort.value]
    items = getattr(f.model, key)
    for dup in _duplicates(item.id for item in items):
        index = [i for i, item in enumerate(items) if item.id == dup][1]
        yield problem(
            "dubbele-id",
            f.pad.pad,
            regel=f.line(key, index, "id"),
            veld=f"{key}.{index}.id",
            gevonden=dup,
        )


def rule_keys_single_owner(st: Statics, f: Bestand) -> Iterator[Problem]:
    if f.pad.soort is not Bestandsoort.DEELNEMERS:
        return
    owner: dict[str, str] = {}
    for i, d in enumerate(f.model.deelnemers):
        for j, b in enumerate(d.beheerders):
            key = " ".join(b.signing_key.split()[:2])
            if key in owner and owner[key] != d.id:
                yield problem(
                    "sleutel-dubbel",
                    f.pad.pad,
                    regel=f.line("deelnemers", i, "beheerders", j, "signing_key"),
                    veld=f"deelnemers.{i}.beheerders.{j}.signing_key",
                    verwacht=owner[key],
                )
            owner.setdefault(key, d.id)


REGISTRY_RULES: list[Rule] = [rule_unique_registry_ids, rule_keys_single_owner]


# --- locations -------------------------------------------------------------------------


def rule_locatie_path(st: Statics, f: Bestand) -> Iterator[Problem]:
    loc: Locatie = f.model
    if loc.id != f.pad.id:
        yield problem(
            "bestandsnaam-wijkt-af",
            f.pad.pad,
            regel=f.line("id"),
            veld="id",
            gevonden=loc.id,
            verwacht=f.pad.id,
        )
    if loc.aanbieder != f.pad.aanbieder:
        yield problem(
            "map-wijkt-af",
            f.pad.pad,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=loc.aanbieder,
            verwacht=f.pad.aanbieder,
        )


def rule_locatie_references(st: Statics, f: Bestand) -> Iterator[Problem]:
    loc: Locatie = f.model
    rel = f.pad.pad
    if st.deelnemers is not None and loc.aanbieder not in st.aanbieders:
        yield problem(
            "onbekende-aanbieder",
            rel,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=loc.aanbieder,
        )
    if st.regios is not None and loc.regio not in st.regio_ids:
        yield problem(
            "onbekende-regio",
            rel,
            regel=f.line("regio"),
            veld="regio",
            gevonden=loc.regio,
            verwacht=", ".join(sorted(st.regio_ids)),
        )
    if st.contra_indicaties is None:
        return
    known = ", ".join(sorted(st.contra_ids))
    for i, ci in enumerate(loc.contra_indicaties):
        if ci not in st.contra_ids:
            yield problem(
                "onbekende-contra-indicatie",
                rel,
                regel=f.line("contra_indicaties", i),
                veld=f"contra_indicaties.{i}",
                gevonden=ci,
                verwacht=known,
            )
    for a, afd in enumerate(loc.afdelingen):
        for i, ci in enumerate(afd.contra_indicaties or []):
            if ci not in st.contra_ids:
                yield problem(
                    "onbekende-contra-indicatie",
                    rel,
                    regel=f.line("afdelingen", a, "contra_indicaties", i),
                    veld=f"afdelingen.{a}.contra_indicaties.{i}",
                    gevonden=ci,
                    verwacht=known,
                )


def rule_afdelingen(st: Statics, f: Bestand) -> Iterator[Problem]:
    loc: Locatie = f.model
    rel = f.pad.pad
    for dup in _duplicates(a.id for a in loc.afdelingen):
        index = [i for i, a in enumerate(loc.afdelingen) if a.id == dup][1]
        yield problem(
            "dubbele-id",
            rel,
            regel=f.line("afdelingen", index, "id"),
            veld=f"afdelingen.{index}.id",
            gevonden=dup,
        )
    for a, afd in enumerate(loc.afdelingen):
        allowed = VOORZIENINGEN[afd.specialisme]
        if afd.voorziening not in allowed:
            yield problem(
                "voorziening-past-niet",
                rel,
                regel=f.line("afdelingen", a, "voorziening"),
                veld=f"afdelingen.{a}.voorziening",
                gevonden=afd.voorziening.value,
                specialisme=afd.specialisme.value,
                verwacht=", ".join(v.value for v in allowed),
            )
        for i, rk in enumerate(afd.rechtskaders or []):
            if rk not in loc.rechtskaders:
                yield problem(
                    "rechtskader-niet-bij-locatie",
                    rel,
                    regel=f.line("afdelingen", a, "rechtskaders", i),
                    veld=f"afdelingen.{a}.rechtskaders.{i}",
                    gevonden=rk.value,
                    verwacht=", ".join(r.value for r in loc.rechtskaders),
                )
        if afd.actief_vanaf and afd.actief_tot and afd.actief_vanaf > afd.actief_tot:
            yield problem(
                "actief-periode-omgekeerd",
                rel,
                regel=f.line("afdelingen", a, "actief_tot"),
                veld=f"afdelingen.{a}.actief_tot",
                gevonden=afd.actief_vanaf,
                verwacht=afd.actief_tot,
            )


LOCATIE_RULES: list[Rule] = [rule_locatie_path, rule_locatie_references, rule_afdelingen]


# --- financing and logbook exports ------------------------------------------------------


def rule_owner_file(st: Statics, f: Bestand) -> Iterator[Problem]:
    """Financing and logbook files are named after their provider, in a period folder."""
    rel = f.pad.pad
    if f.model.aanbieder != f.pad.aanbieder:
        yield problem(
            "bestandsnaam-wijkt-af",
            rel,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=f.model.aanbieder,
            verwacht=f.pad.aanbieder,
        )
    if st.deelnemers is not None and f.model.aanbieder not in st.aanbieders:
        yield problem(
            "onbekende-aanbieder",
            rel,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=f.model.aanbieder,
        )
    if f.pad.soort is Bestandsoort.FINANCIERING and f.model.kwartaal != f.pad.kwartaal:
        yield problem(
            "kwartaal-wijkt-af",
            rel,
            regel=f.line("kwartaal"),
            veld="kwartaal",
            gevonden=f.model.kwartaal,
            verwacht=f.pad.kwartaal,
        )
    if f.pad.soort is Bestandsoort.LOGBOEK and f.model.maand != f.pad.maand:
        yield problem(
            "maand-wijkt-af",
            rel,
            regel=f.line("maand"),
            veld="maand",
            gevonden=f.model.maand,
            verwacht=f.pad.maand,
        )


def rule_financiering_locaties(st: Statics, f: Bestand) -> Iterator[Problem]:
    if f.pad.soort is not Bestandsoort.FINANCIERING:
        return
    fin: Financiering = f.model
    own = st.locaties.get(fin.aanbieder, {})
    for dup in _duplicates(item.locatie for item in fin.locaties):
        index = [i for i, item in enumerate(fin.locaties) if item.locatie == dup][1]
        yield problem(
            "dubbele-id",
            f.pad.pad,
            regel=f.line("locaties", index, "locatie"),
            veld=f"locaties.{index}.locatie",
            gevonden=dup,
        )
    for i, item in enumerate(fin.locaties):
        if item.locatie not in own:
            yield problem(
                "onbekende-locatie",
                f.pad.pad,
                regel=f.line("locaties", i, "locatie"),
                veld=f"locaties.{i}.locatie",
                gevonden=item.locatie,
                aanbieder=fin.aanbieder,
                verwacht=", ".join(sorted(own)) or "-",
            )


def rule_logboek_unique(st: Statics, f: Bestand) -> Iterator[Problem]:
    if f.pad.soort is not Bestandsoort.LOGBOEK:
        return
    pairs = [f"{a.uitkomst.value}/{a.reden.value}" for a in f.model.aantallen]
    for dup in _duplicates(pairs):
        index = [i for i, p in enumerate(pairs) if p == dup][1]
        yield problem(
            "dubbele-id",
            f.pad.pad,
            regel=f.line("aantallen", index),
            veld=f"aantallen.{index}",
            gevonden=dup,
        )


PERIODE_RULES: list[Rule] = [rule_owner_file, rule_financiering_locaties, rule_logboek_unique]

MODELLEN: dict[Bestandsoort, type[Any]] = {
    Bestandsoort.DEELNEMERS: DeelnemersBestand,
    Bestandsoort.REGIOS: RegiosBestand,
    Bestandsoort.CONTRA_INDICATIES: ContraIndicatiesBestand,
    Bestandsoort.LOCATIE: Locatie,
    Bestandsoort.FINANCIERING: Financiering,
    Bestandsoort.LOGBOEK: LogboekExport,
}
RULES: dict[Bestandsoort, list[Rule]] = {
    Bestandsoort.DEELNEMERS: REGISTRY_RULES,
    Bestandsoort.REGIOS: REGISTRY_RULES,
    Bestandsoort.CONTRA_INDICATIES: REGISTRY_RULES,
    Bestandsoort.LOCATIE: LOCATIE_RULES,
    Bestandsoort.FINANCIERING: PERIODE_RULES,
    Bestandsoort.LOGBOEK: PERIODE_RULES,
}


# --- the run ---------------------------------------------------------------------------


def load_settings(repo: DataRepo) -> tuple[Instellingen, list[Problem]]:
    """Settings for the rules; defaults (with findings) when the file is broken."""
    raw = read_repo_file(repo.root, SETTINGS)
    if isinstance(raw, Problem):
        return Instellingen(), [raw]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Instellingen(), [problem("toml-syntaxfout", SETTINGS, reden=f"TOML-fout: {exc}")]
    try:
        return Instellingen.model_validate(data), []
    except ValidationError as exc:
        return Instellingen(), model_problems(exc, Loaded(SETTINGS, data), Instellingen)


def _load(repo: DataRepo, pad: Pad) -> tuple[Bestand | None, list[Problem]]:
    loaded = load_yaml(repo.root, pad.pad)
    model, found = load_model(loaded, MODELLEN[pad.soort])
    return (Bestand(pad, loaded, model) if model is not None else None), found


def _in_scope(rel: str, targets: list[str] | None) -> bool:
    return targets is None or any(
        rel == t or rel.startswith(t.rstrip("/") + "/") or t in ("", ".") for t in targets
    )


def correctable_from(settings: Instellingen, today: dt.date) -> dt.date:
    """The oldest peildatum that may still be corrected (the correction window)."""
    return calendar.werkdagen_terug(today, settings.correctievenster_werkdagen)


def _files(repo: DataRepo, targets: list[str] | None) -> list[Pad]:
    """The files in scope, walking only the targets (a whole-tree walk costs 1 s at scale)."""
    if targets is None:
        return [classify(rel) for rel in repo.iter_data_files()]
    seen: dict[str, Pad] = {}
    for target in targets:
        if target == "." or target == "":
            return [classify(rel) for rel in repo.iter_data_files()]
        for rel in repo.iter_data_files(target):
            seen.setdefault(rel, classify(rel))
    return list(seen.values())


def _recent_snapshots(repo: DataRepo, aanbieder: str, since: dt.date) -> list[Pad]:
    """A provider's snapshots on or after `since`, reading only the year folders needed."""
    found = []
    for year in range(since.year, calendar.vandaag().year + 2):
        folder = f"{SNAPSHOTS}/{aanbieder}/{year}"
        if repo.path(folder).is_dir():
            found += [
                p
                for p in map(classify, repo.iter_data_files(folder))
                if p.peildatum is not None and p.peildatum >= since
            ]
    return found


def validate_repo(
    repo: DataRepo,
    targets: list[str] | None = None,
    progress: Callable[[int], Progress] | None = None,
    today: dt.date | None = None,
) -> Result:
    """Validate the whole `data/` (targets None) or some repository paths and what they touch.

    What a target touches: a registry, every location (references); a location, its
    provider's snapshots inside the correction window (completeness). `progress(total)`
    may return a callback that is told how many snapshot files were done.
    """
    result = Result()
    today = today or calendar.vandaag()
    in_scope = _files(repo, targets)
    kinds = {p.soort for p in in_scope}
    registries_touched = targets is None or bool(
        kinds
        & {
            Bestandsoort.DEELNEMERS,
            Bestandsoort.REGIOS,
            Bestandsoort.CONTRA_INDICATIES,
            Bestandsoort.INSTELLINGEN,
        }
    )

    statics = Statics()
    statics.settings, found = (
        load_settings(repo)
        if repo.path(SETTINGS).exists()
        else (Instellingen(), [problem("register-ontbreekt", SETTINGS, verwacht=EXPECTED_PATHS)])
    )
    if _in_scope(SETTINGS, targets):
        result.extend(found)
    for rel, attr in (
        (DEELNEMERS, "deelnemers"),
        (REGIOS, "regios"),
        (CONTRA_INDICATIES, "contra_indicaties"),
    ):
        if not repo.path(rel).exists() and not repo.path(rel).is_symlink():
            if _in_scope(rel, targets):
                result.extend([problem("register-ontbreekt", rel, verwacht=EXPECTED_PATHS)])
            continue
        bestand, found = _load(repo, classify(rel))
        if bestand is not None:
            setattr(statics, attr, bestand.model)
            found += [p for rule in RULES[bestand.pad.soort] for p in rule(statics, bestand)]
        if _in_scope(rel, targets):
            result.extend(found)

    # Locations: all of them when a registry is in scope, else those of providers in scope.
    providers = {p.aanbieder for p in in_scope if p.aanbieder}
    touched: set[str] = set()
    for pad in map(classify, repo.iter_data_files(LOCATIES)):
        if pad.soort is not Bestandsoort.LOCATIE or not (
            registries_touched or pad.aanbieder in providers
        ):
            continue
        bestand, found = _load(repo, pad)
        if bestand is not None:
            assert pad.aanbieder is not None and pad.id is not None
            statics.locaties.setdefault(pad.aanbieder, {})[pad.id] = bestand.model
            found += [p for rule in LOCATIE_RULES for p in rule(statics, bestand)]
        if _in_scope(pad.pad, targets):
            result.extend(found)
            touched.add(pad.eigenaar)

    window_start = correctable_from(statics.settings, today)
    snapshot_pads: list[Pad] = []
    for pad in in_scope:
        if pad.soort is Bestandsoort.ONGELDIG:
            code = "onbekend-bestand" if pad.reden == NOT_IN_CONTRACT else "ongeldig-pad"
            reden: dict[str, Any] = {"reden": pad.reden} if code == "ongeldig-pad" else {}
            result.extend([problem(code, pad.pad, verwacht=EXPECTED_PATHS, **reden)])
        elif pad.soort in (Bestandsoort.FINANCIERING, Bestandsoort.LOGBOEK):
            bestand, found = _load(repo, pad)
            if bestand is not None:
                found += [p for rule in PERIODE_RULES for p in rule(statics, bestand)]
            result.extend(found)
        elif pad.soort is Bestandsoort.SNAPSHOT:
            snapshot_pads.append(pad)
    if targets is not None:
        chosen = {p.pad for p in snapshot_pads}
        for aanbieder in sorted(touched):
            snapshot_pads += [
                p for p in _recent_snapshots(repo, aanbieder, window_start) if p.pad not in chosen
            ]

    ctx = snapshot_context(statics, today)
    tick = progress(len(snapshot_pads)) if progress else None
    result.extend(check_snapshots(repo.root, snapshot_pads, ctx, tick))
    result.bestanden = len({p.pad for p in in_scope} | {p.pad for p in snapshot_pads})
    return result


def load_provider(repo: DataRepo, aanbieder: str) -> tuple[Statics, list[Problem]]:
    """Settings, registries and one provider's locations, with their findings (for submit)."""
    statics = Statics()
    statics.settings, problems = load_settings(repo)
    for rel, attr in (
        (DEELNEMERS, "deelnemers"),
        (REGIOS, "regios"),
        (CONTRA_INDICATIES, "contra_indicaties"),
    ):
        bestand, found = _load(repo, classify(rel))
        if bestand is not None:
            setattr(statics, attr, bestand.model)
        problems += found
    for pad in map(classify, repo.iter_data_files(f"{LOCATIES}/{aanbieder}")):
        if pad.soort is not Bestandsoort.LOCATIE:
            continue
        bestand, found = _load(repo, pad)
        if bestand is not None:
            assert pad.id is not None
            statics.locaties.setdefault(aanbieder, {})[pad.id] = bestand.model
            found += [p for rule in LOCATIE_RULES for p in rule(statics, bestand)]
        problems += found
    return statics, problems


def snapshot_context(statics: Statics, today: dt.date) -> SnapshotContext:
    """What the snapshot rules compare with, from loaded static data."""
    return SnapshotContext(
        aanbieders=statics.aanbieders,
        regios=statics.regio_ids,
        wards={a: SnapshotContext.wards_of(locs) for a, locs in statics.locaties.items()},
        correctable_from=correctable_from(statics.settings, today),
    )
