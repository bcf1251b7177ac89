"""The data contract, version 1, as pydantic models: the one source of `schemas/`.

Structure and vocabularies live here; rules that need another file (references,
ownership, counts against static data) live in `validate.py`.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Annotated, Any, Literal

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    NonNegativeInt,
    PositiveInt,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.nl import postcode as nl_postcode

from bedcap.contract import patterns
from bedcap.contract.patterns import KWARTAAL_PATTERN, MAAND_PATTERN, SCHEMA_VERSION, SLUG_PATTERN
from bedcap.contract.vocab import (
    VOORZIENINGEN,
    Beveiligingsniveau,
    Financieringsgrondslag,
    Rechtskader,
    Reden,
    Rol,
    Specialisme,
    Uitkomst,
    Voorziening,
    Zorgtype,
)

# The vocabularies belong to the contract's names; they live in `vocab` to load fast.
__all__ = [
    "SCHEMA_VERSION",
    "VOORZIENINGEN",
    "Beveiligingsniveau",
    "Financieringsgrondslag",
    "Reden",
    "Rechtskader",
    "Rol",
    "Specialisme",
    "Uitkomst",
    "Voorziening",
    "Zorgtype",
]

SNAPSHOT_TOELICHTING_MAX = patterns.SNAPSHOT_TOELICHTING_MAX  # in `patterns`: no pydantic there

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Tekst = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


def _postcode(value: str) -> str:
    if not nl_postcode.is_valid(value):
        raise PydanticCustomError(
            "ongeldige-postcode",
            "postcode '{waarde}' is geen Nederlandse postcode",
            {"waarde": value},
        )
    return str(nl_postcode.validate(value))


def _telefoon(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PydanticCustomError(
            "ongeldig-telefoonnummer",
            "telefoonnummer '{waarde}' is geen geldig nummer",
            {"waarde": value},
        )
    return value


_SSH_KEY = re.compile(
    r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com)"
    r" ([A-Za-z0-9+/]+={0,2})( .*)?$"
)


def _signing_key(value: str) -> str:
    match = _SSH_KEY.match(value.strip())
    ok = match is not None
    if match:
        try:
            blob = base64.b64decode(match.group(3), validate=True)
            ok = match.group(1).encode() in blob[:64]
        except ValueError:
            ok = False
    if not ok:
        raise PydanticCustomError(
            "ongeldige-sleutel",
            "signing_key is geen SSH-publieke sleutel ('ssh-ed25519 AAAA…'): '{waarde}'",
            {"waarde": value[:60]},
        )
    return value.strip()


Postcode = Annotated[str, AfterValidator(_postcode)]
Telefoon = Annotated[str, AfterValidator(_telefoon)]
SigningKey = Annotated[str, AfterValidator(_signing_key)]


# issue 13: a count in a YAML file is a plain whole number: not '1_5', "15", 15.0 or true
Geheel = Annotated[int, Strict()]
AFDELING_MAX_BEDDEN = 1000
"""No secured ward has more beds: a higher nominal capacity is a typo or an attack."""


class Contract(BaseModel):
    """Every file of the contract: unknown keys refused, values immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Regio(Contract):
    id: Slug
    naam: Tekst


class RegiosBestand(Contract):
    regios: list[Regio]


class ContraIndicatie(Contract):
    id: Slug
    naam: Tekst
    omschrijving: str | None = None


class ContraIndicatiesBestand(Contract):
    contra_indicaties: list[ContraIndicatie]


class Beheerder(Contract):
    email: EmailStr
    signing_key: SigningKey


class Deelnemer(Contract):
    id: Slug
    naam: Tekst
    rollen: Annotated[list[Rol], Field(min_length=1)]
    beheerders: list[Beheerder] = []
    # Participation (issue 14): no day outside it counts as expected of this participant.
    deelname_vanaf: dt.date | None = None
    deelname_tot: dt.date | None = None

    @field_validator("deelname_tot")
    @classmethod
    def _tot_na_vanaf(cls, tot: dt.date | None, info: ValidationInfo) -> dt.date | None:
        vanaf = info.data.get("deelname_vanaf")
        if tot is not None and vanaf is not None and tot < vanaf:
            raise PydanticCustomError(
                "deelname_volgorde",
                "een datum op of na deelname_vanaf {vanaf}",
                {"vanaf": vanaf.isoformat()},
            )
        return tot

    def has_rol(self, rol: Rol) -> bool:
        return rol in self.rollen

    def neemt_deel(self, dag: dt.date) -> bool:
        """Participating on `dag`: from `deelname_vanaf` up to and including `deelname_tot`."""
        if self.deelname_vanaf is not None and dag < self.deelname_vanaf:
            return False
        return self.deelname_tot is None or dag <= self.deelname_tot


class DeelnemersBestand(Contract):
    deelnemers: list[Deelnemer]


class Adres(Contract):
    straat: Tekst
    huisnummer: Annotated[str, StringConstraints(min_length=1, max_length=12)]
    postcode: Postcode
    plaats: Tekst


class Afdeling(Contract):
    id: Slug
    naam: Tekst
    beveiligingsniveau: Beveiligingsniveau
    specialisme: Specialisme
    voorziening: Voorziening
    zorgtypen: Annotated[list[Zorgtype], Field(min_length=1)]
    # issue 13: bounded, or a snapshot's hard bound (twice this plus 10) bounds nothing
    capaciteit: Annotated[Geheel, Field(gt=0, le=AFDELING_MAX_BEDDEN)]
    rechtskaders: list[Rechtskader] | None = None
    contra_indicaties: list[Slug] | None = None
    actief_vanaf: dt.date | None = None
    actief_tot: dt.date | None = None

    def is_active(self, peildatum: dt.date) -> bool:
        """Active from `actief_vanaf` up to and including `actief_tot`."""
        if self.actief_vanaf is not None and peildatum < self.actief_vanaf:
            return False
        return self.actief_tot is None or peildatum <= self.actief_tot


class Locatie(Contract):
    id: Slug
    aanbieder: Slug
    naam: Tekst
    regio: Slug
    adres: Adres
    postadres: Adres | None = None
    telefoon: Telefoon
    email: EmailStr
    bereikbaarheid: Tekst
    rechtskaders: Annotated[list[Rechtskader], Field(min_length=1)]
    contra_indicaties: list[Slug] = []
    afdelingen: Annotated[list[Afdeling], Field(min_length=1)]

    def rechtskaders_van(self, afdeling: Afdeling) -> list[Rechtskader]:
        """A ward accepts its own frameworks, or else the location's."""
        return list(afdeling.rechtskaders or self.rechtskaders)

    def contra_indicaties_van(self, afdeling: Afdeling) -> list[str]:
        """A ward's contra-indications add to the location's."""
        return sorted(set(self.contra_indicaties) | set(afdeling.contra_indicaties or []))


class Ligdagen(Contract):
    wlz: Annotated[Geheel, Field(ge=0)]
    zvw: Annotated[Geheel, Field(ge=0)]
    wfz: Annotated[Geheel, Field(ge=0)]
    overig: Annotated[Geheel, Field(ge=0)]

    @property
    def totaal(self) -> int:
        return self.wlz + self.zvw + self.wfz + self.overig


class FinancieringLocatie(Contract):
    locatie: Slug
    ligdagen: Ligdagen


class Financiering(Contract):
    aanbieder: Slug
    kwartaal: Annotated[str, StringConstraints(pattern=KWARTAAL_PATTERN)]
    locaties: list[FinancieringLocatie]


class LogboekAantal(Contract):
    uitkomst: Uitkomst
    reden: Reden
    aantal: Annotated[Geheel, Field(gt=0)]


class LogboekUitkomst(Contract):
    """Admissions of one outcome; `onderdrukt`: the small cells together (issue 14)."""

    uitkomst: Uitkomst | None = None
    aantal: PositiveInt
    onderdrukt: bool = False


class LogboekGroep(Contract):
    """Admissions asked for one level × specialism × civil/forensic (from the framework)."""

    niveau: Beveiligingsniveau | None = None
    specialisme: Specialisme | None = None
    kader: Literal["civiel", "forensisch"] | None = None
    aantal: PositiveInt
    onderdrukt: bool = False


class LogboekReden(Contract):
    """Admissions naming one reason: one with two reasons counts for each."""

    reden: Reden | None = None
    aantal: PositiveInt
    onderdrukt: bool = False


class LogboekExport(Contract):
    """Monthly counts only: no free text and no date finer than the month, by design.

    Since issue 14 each admission counts once (`opnames`, `per_uitkomst`, `per_groep`)
    and the reasons are a breakdown of their own (`redenen`); `aantallen` (outcome ×
    reason, an admission counted per reason) is the first version's, still read."""

    aanbieder: Slug
    maand: Annotated[str, StringConstraints(pattern=MAAND_PATTERN)]
    opnames: PositiveInt | None = None
    per_uitkomst: list[LogboekUitkomst] | None = None
    per_groep: list[LogboekGroep] | None = None
    redenen: list[LogboekReden] | None = None
    aantallen: list[LogboekAantal] | None = None


class SnapshotRij(Contract):
    """One row of a daily snapshot; the Arrow types are in `snapshots.ARROW_SCHEMA`."""

    peildatum: dt.date
    aanbieder: Slug
    locatie: Slug
    afdeling: Slug
    zorgtype: Zorgtype
    regio: Slug
    specialisme: Specialisme
    voorziening: Voorziening
    beveiligingsniveau: Beveiligingsniveau
    capaciteit: NonNegativeInt
    bezet: NonNegativeInt
    beschikbaar: NonNegativeInt
    gereserveerd: NonNegativeInt
    buiten_gebruik: NonNegativeInt
    toelichting: Annotated[str, StringConstraints(max_length=SNAPSHOT_TOELICHTING_MAX)] | None = (
        None
    )
    ingediend_op: dt.datetime


class Instellingen(Contract):
    """`data/bedcap.toml`: the repository's settings, with the defaults `init` writes."""

    tijdzone: str = "Europe/Amsterdam"
    deadline: Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] = (
        "12:00"
    )
    correctievenster_werkdagen: Annotated[int, Field(ge=0, le=250)] = 10
    volledigheidsvenster_werkdagen: Annotated[int, Field(ge=1, le=250)] = 20
    afstemming_tolerantie_pct: Annotated[float, Field(ge=0, le=100)] = 2.0
    plausibiliteit_capaciteit_pct: Annotated[float, Field(ge=0, le=1000)] = 25.0
    # Which weekdays are days off (issue 14): a named rule plus the LCBB's exceptions.
    werkdagen: Literal["algemene-termijnenwet", "feestdagen-nl"] = "algemene-termijnenwet"
    extra_vrije_dagen: list[dt.date] = []
    extra_werkdagen: list[dt.date] = []
    # issue 13: the protected branch and the other refs a push may update
    hoofdtak: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")] = (
        "main"
    )
    toegestane_refs: list[
        Annotated[str, StringConstraints(pattern=r"^refs/[A-Za-z0-9._/*-]{1,200}$")]
    ] = Field(default_factory=list)
    # issue 13: a `beleid` report's cells come from at least this many locations
    onderdrukking_drempel_locaties: Annotated[int, Field(ge=1, le=100)] = 3

    @field_validator("tijdzone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """A zone the IANA database knows: every deadline and "today" is read in it."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            expected = "verwacht bijv. Europe/Amsterdam"
            raise ValueError(f"onbekende tijdzone {value!r}; {expected}") from None
        return value

    @property
    def deadline_tijd(self) -> dt.time:
        uur, minuut = self.deadline.split(":")
        return dt.time(int(uur), int(minuut))


# The file types of the contract: schema name -> model. `schemas/<name>.schema.json`.
SCHEMA_MODELLEN: dict[str, type[Contract]] = {
    "deelnemers": DeelnemersBestand,
    "regios": RegiosBestand,
    "contra-indicaties": ContraIndicatiesBestand,
    "locatie": Locatie,
    "financiering": Financiering,
    "logboek": LogboekExport,
    "snapshot-rij": SnapshotRij,
    "bedcap-toml": Instellingen,
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one file type, with a stable id and title."""
    schema = SCHEMA_MODELLEN[name].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:bedcap:schema:v{SCHEMA_VERSION}:{name}",
        **schema,
    }
