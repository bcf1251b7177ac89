"""The rules of the data contract on the static YAML files, per file and across files.

Each rule is a small function over the loaded registries (`Statics`) and one file
(`Bestand`) that yields findings; `RULES` maps each kind of file to its rules and
`validate.py` runs them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

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
    Bestandsoort,
    Pad,
)
from bedcap.files.yamlio import Loaded
from bedcap.findings.catalogue import Finding, finding


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


Rule = Callable[[Statics, Bestand], Iterator[Finding]]


def _duplicates(ids: Iterable[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def _first_index(items: list[Any], wanted: str, attr: str = "id") -> int:
    return next(i for i, item in enumerate(items) if getattr(item, attr) == wanted)


# --- registries ------------------------------------------------------------------------


def rule_unique_registry_ids(st: Statics, f: Bestand) -> Iterator[Finding]:
    key = {
        "deelnemers": "deelnemers",
        "regios": "regios",
        "contra-indicaties": "contra_indicaties",
    }[f.pad.soort.value]
    items = getattr(f.model, key)
    for dup in _duplicates(item.id for item in items):
        index = [i for i, item in enumerate(items) if item.id == dup][1]
        yield finding(
            "dubbele-id",
            f.pad.pad,
            regel=f.line(key, index, "id"),
            veld=f"{key}.{index}.id",
            gevonden=dup,
        )


def rule_keys_single_owner(st: Statics, f: Bestand) -> Iterator[Finding]:
    if f.pad.soort is not Bestandsoort.DEELNEMERS:
        return
    owner: dict[str, str] = {}
    for i, d in enumerate(f.model.deelnemers):
        for j, b in enumerate(d.beheerders):
            key = " ".join(b.signing_key.split()[:2])
            if key in owner and owner[key] != d.id:
                yield finding(
                    "sleutel-dubbel",
                    f.pad.pad,
                    regel=f.line("deelnemers", i, "beheerders", j, "signing_key"),
                    veld=f"deelnemers.{i}.beheerders.{j}.signing_key",
                    verwacht=owner[key],
                )
            owner.setdefault(key, d.id)


REGISTRY_RULES: list[Rule] = [rule_unique_registry_ids, rule_keys_single_owner]


# --- locations -------------------------------------------------------------------------


def rule_locatie_path(st: Statics, f: Bestand) -> Iterator[Finding]:
    loc: Locatie = f.model
    if loc.id != f.pad.id:
        yield finding(
            "bestandsnaam-wijkt-af",
            f.pad.pad,
            regel=f.line("id"),
            veld="id",
            gevonden=loc.id,
            verwacht=f.pad.id,
        )
    if loc.aanbieder != f.pad.aanbieder:
        yield finding(
            "map-wijkt-af",
            f.pad.pad,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=loc.aanbieder,
            verwacht=f.pad.aanbieder,
        )


def rule_locatie_references(st: Statics, f: Bestand) -> Iterator[Finding]:
    loc: Locatie = f.model
    rel = f.pad.pad
    if st.deelnemers is not None and loc.aanbieder not in st.aanbieders:
        yield finding(
            "onbekende-aanbieder",
            rel,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=loc.aanbieder,
        )
    if st.regios is not None and loc.regio not in st.regio_ids:
        yield finding(
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
            yield finding(
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
                yield finding(
                    "onbekende-contra-indicatie",
                    rel,
                    regel=f.line("afdelingen", a, "contra_indicaties", i),
                    veld=f"afdelingen.{a}.contra_indicaties.{i}",
                    gevonden=ci,
                    verwacht=known,
                )


def rule_afdelingen(st: Statics, f: Bestand) -> Iterator[Finding]:
    loc: Locatie = f.model
    rel = f.pad.pad
    for dup in _duplicates(a.id for a in loc.afdelingen):
        index = [i for i, a in enumerate(loc.afdelingen) if a.id == dup][1]
        yield finding(
            "dubbele-id",
            rel,
            regel=f.line("afdelingen", index, "id"),
            veld=f"afdelingen.{index}.id",
            gevonden=dup,
        )
    for a, afd in enumerate(loc.afdelingen):
        allowed = VOORZIENINGEN[afd.specialisme]
        if afd.voorziening not in allowed:
            yield finding(
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
                yield finding(
                    "rechtskader-niet-bij-locatie",
                    rel,
                    regel=f.line("afdelingen", a, "rechtskaders", i),
                    veld=f"afdelingen.{a}.rechtskaders.{i}",
                    gevonden=rk.value,
                    verwacht=", ".join(r.value for r in loc.rechtskaders),
                )
        if afd.actief_vanaf and afd.actief_tot and afd.actief_vanaf > afd.actief_tot:
            yield finding(
                "actief-periode-omgekeerd",
                rel,
                regel=f.line("afdelingen", a, "actief_tot"),
                veld=f"afdelingen.{a}.actief_tot",
                gevonden=afd.actief_vanaf,
                verwacht=afd.actief_tot,
            )


LOCATIE_RULES: list[Rule] = [rule_locatie_path, rule_locatie_references, rule_afdelingen]


# --- financing and logbook exports ------------------------------------------------------


def rule_owner_file(st: Statics, f: Bestand) -> Iterator[Finding]:
    """Financing and logbook files are named after their provider, in a period folder."""
    rel = f.pad.pad
    if f.model.aanbieder != f.pad.aanbieder:
        yield finding(
            "bestandsnaam-wijkt-af",
            rel,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=f.model.aanbieder,
            verwacht=f.pad.aanbieder,
        )
    if st.deelnemers is not None and f.model.aanbieder not in st.aanbieders:
        yield finding(
            "onbekende-aanbieder",
            rel,
            regel=f.line("aanbieder"),
            veld="aanbieder",
            gevonden=f.model.aanbieder,
        )
    if f.pad.soort is Bestandsoort.FINANCIERING and f.model.kwartaal != f.pad.kwartaal:
        yield finding(
            "kwartaal-wijkt-af",
            rel,
            regel=f.line("kwartaal"),
            veld="kwartaal",
            gevonden=f.model.kwartaal,
            verwacht=f.pad.kwartaal,
        )
    if f.pad.soort is Bestandsoort.LOGBOEK and f.model.maand != f.pad.maand:
        yield finding(
            "maand-wijkt-af",
            rel,
            regel=f.line("maand"),
            veld="maand",
            gevonden=f.model.maand,
            verwacht=f.pad.maand,
        )


def rule_financiering_locaties(st: Statics, f: Bestand) -> Iterator[Finding]:
    if f.pad.soort is not Bestandsoort.FINANCIERING:
        return
    fin: Financiering = f.model
    own = st.locaties.get(fin.aanbieder, {})
    for dup in _duplicates(item.locatie for item in fin.locaties):
        index = [i for i, item in enumerate(fin.locaties) if item.locatie == dup][1]
        yield finding(
            "dubbele-id",
            f.pad.pad,
            regel=f.line("locaties", index, "locatie"),
            veld=f"locaties.{index}.locatie",
            gevonden=dup,
        )
    for i, item in enumerate(fin.locaties):
        if item.locatie not in own:
            yield finding(
                "onbekende-locatie",
                f.pad.pad,
                regel=f.line("locaties", i, "locatie"),
                veld=f"locaties.{i}.locatie",
                gevonden=item.locatie,
                aanbieder=fin.aanbieder,
                verwacht=", ".join(sorted(own)) or "-",
            )


def rule_logboek_unique(st: Statics, f: Bestand) -> Iterator[Finding]:
    if f.pad.soort is not Bestandsoort.LOGBOEK:
        return
    pairs = [f"{a.uitkomst.value}/{a.reden.value}" for a in f.model.aantallen or []]
    for dup in _duplicates(pairs):
        index = [i for i, p in enumerate(pairs) if p == dup][1]
        yield finding(
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
