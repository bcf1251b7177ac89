"""The covenant's closed vocabularies, as enums.

Apart from `model` so that the read commands can offer them as choices without loading
pydantic.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Rol(StrEnum):
    AANBIEDER = "aanbieder"
    OPNAMEFUNCTIE = "opnamefunctie"
    FPL = "fpl"
    LCBB = "lcbb"
    ZORGKANTOOR = "zorgkantoor"
    ZORGVERZEKERAAR = "zorgverzekeraar"
    DJI = "dji"
    MINISTERIE = "ministerie"


class Beveiligingsniveau(IntEnum):
    NIVEAU_2 = 2
    NIVEAU_3 = 3
    NIVEAU_4 = 4


class Specialisme(StrEnum):
    PSYCHIATRIE = "psychiatrie"
    VERSLAVING = "verslaving"
    SGLVG = "sglvg"
    ONTWRICHTING = "ontwrichting"


class Voorziening(StrEnum):
    FPA = "fpa"
    FPK = "fpk"
    FPC = "fpc"
    BORG = "borg"
    KIB = "kib"
    LIZ = "liz"
    FVA = "fva"
    FVK = "fvk"


VOORZIENINGEN: dict[Specialisme, tuple[Voorziening, ...]] = {
    Specialisme.PSYCHIATRIE: (Voorziening.FPA, Voorziening.FPK, Voorziening.FPC),
    Specialisme.SGLVG: (Voorziening.BORG,),
    Specialisme.ONTWRICHTING: (Voorziening.KIB, Voorziening.LIZ),
    Specialisme.VERSLAVING: (Voorziening.FVA, Voorziening.FVK),
}


class Zorgtype(StrEnum):
    CRISIS = "crisis"
    BEHANDELING = "behandeling"
    LANGDURIG = "langdurig"


class Rechtskader(StrEnum):
    WFZ = "wfz"
    WVGGZ = "wvggz"
    WZD = "wzd"
    VRIJWILLIG = "vrijwillig"


class Financieringsgrondslag(StrEnum):
    WLZ = "wlz"
    ZVW = "zvw"
    WFZ = "wfz"
    OVERIG = "overig"


class Uitkomst(StrEnum):
    GEWEIGERD = "geweigerd"
    MOEIZAAM = "moeizaam"
    OPGESCHAALD_REGIO = "opgeschaald_regio"
    OPGESCHAALD_LCBB = "opgeschaald_lcbb"
    ALSNOG_OPGENOMEN = "alsnog_opgenomen"


class Reden(StrEnum):
    GEEN_BED = "geen_bed"
    FINANCIERING = "financiering"
    GEEN_PASSEND_AANBOD = "geen_passend_aanbod"
    TEN_KOSTE_VAN_ANDEREN = "ten_koste_van_anderen"
    CONTRA_INDICATIE = "contra_indicatie"
    RECHTSKADER = "rechtskader"
    REGIOGEBONDEN = "regiogebonden"
    PERSONEEL = "personeel"
    OVERIG = "overig"


class Doelgroep(StrEnum):
    """Who a report is for: the LCBB sees everything, policy only aggregates."""

    LCBB = "lcbb"
    BELEID = "beleid"


class Rapportformaat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    MD = "md"
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"
