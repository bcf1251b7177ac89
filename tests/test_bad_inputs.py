"""The corpus of bad inputs: each gets its exact finding, exit 1, no traceback, no write.

Grow this list whenever a new way to get data wrong turns up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bedcap.contract.model import Instellingen
from bedcap.files.snapshots import to_bytes, to_table
from bedcap.rules.validate import EXPECTED_PATHS
from tests.conftest import invoke, tree_digest

LOC = "data/locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.yaml"
LOC2 = "data/locaties/voorbeeld-ggz-noorderzand/kliniek-eikenburg-2.yaml"
SNAP = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-30.parquet"
OLD_SNAP = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-04-26.parquet"
FIN = "data/financiering/2021Q2/voorbeeld-ggz-noorderzand.yaml"
LOG = "data/logboek/2021-04/voorbeeld-ggz-noorderzand.yaml"
DEELNEMERS = "data/deelnemers.yaml"
TOML = "data/bedcap.toml"

Mutation = Callable[[Path], None]


SETTINGS_KEYS = list(Instellingen.model_fields)


@dataclass
class Case:
    id: str
    mutate: Mutation
    code: str
    bestand: str
    veld: str | None = None
    rij: int | None = None
    regel_bij: str | None = None  # the finding's line is the first line containing this
    extra: dict[str, Any] = field(default_factory=dict)
    melding: str = ""  # the exact message; every case names it


def _plaintext(root: Path, rel: str) -> None:
    """A confidential file of the example (stored `.yaml.age`) decrypted to `rel`, so a
    mutation can change its content; validate then also refuses the plaintext (issue 15)."""
    import tempfile

    from bedcap.files.agefile import decrypt, load_identities
    from tests.conftest import example_identities

    sealed = root / f"{rel}.age"
    if (root / rel).exists() or not sealed.exists():
        return
    keys = example_identities(Path(tempfile.mkdtemp(prefix="voorbeeldsleutels-")))
    plain = decrypt(sealed.read_bytes(), load_identities([keys["lcbb"]]))
    assert plain is not None
    (root / rel).write_bytes(plain)
    sealed.unlink()


def replace(rel: str, old: str, new: str) -> Mutation:
    def mutate(root: Path) -> None:
        _plaintext(root, rel)
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def write_bytes(rel: str, data: bytes) -> Mutation:
    def mutate(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)

    return mutate


def replace_bytes(rel: str, old: bytes, new: bytes) -> Mutation:
    """Replace bytes in a file as stored (text that is no UTF-8, a damaged name)."""

    def mutate(root: Path) -> None:
        (root / rel).write_bytes((root / rel).read_bytes().replace(old, new))

    return mutate


def rows(rel: str, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> Mutation:
    """Rewrite a snapshot's rows with the contract's exact schema."""

    def mutate(root: Path) -> None:
        table = pq.read_table(root / rel)
        (root / rel).write_bytes(to_bytes(to_table(change(table.to_pylist()))))

    return mutate


def table(rel: str, change: Callable[[pa.Table], pa.Table]) -> Mutation:
    """Rewrite a snapshot's Arrow table as is (schema changes, metadata)."""

    def mutate(root: Path) -> None:
        t = pq.read_table(root / rel)
        pq.write_table(change(t), root / rel)

    return mutate


def set_row(i: int, **values: Any) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    def change(rs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rs[i].update(values)
        return rs

    return change


def symlink(rel: str, target: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / rel).unlink()
        os.symlink(target, root / rel)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(root: Path) -> None:
        for m in mutations:
            m(root)

    return mutate


def _drop_column(name: str) -> Callable[[pa.Table], pa.Table]:
    return lambda t: t.drop_columns([name])


def _string_column(name: str) -> Callable[[pa.Table], pa.Table]:
    def change(t: pa.Table) -> pa.Table:
        i = t.schema.get_field_index(name)
        return t.set_column(i, name, t.column(name).cast(pa.string()))

    return change


def _null_at(name: str, i: int) -> Callable[[pa.Table], pa.Table]:
    def change(t: pa.Table) -> pa.Table:
        values = t.column(name).to_pylist()
        values[i] = None
        index = t.schema.get_field_index(name)
        return t.set_column(
            index, pa.field(name, pa.int32(), nullable=True), pa.array(values, pa.int32())
        )

    return change


def _raw_at(name: str, i: int, raw: object) -> Callable[[pa.Table], pa.Table]:
    """Element `i` of column `name` set to `raw` bytes or a raw number, reinterpreted as the
    column's type unchecked: text that is no UTF-8, a date in the year 275,000. Parquet
    readers pass such values through; turning them into Python values fails."""

    def change(t: pa.Table) -> pa.Table:
        index = t.schema.get_field_index(name)
        kind = t.schema.field(name).type
        if pa.types.is_string(kind):
            values = [None if v is None else v.encode() for v in t.column(name).to_pylist()]
            values[i] = raw
            column = pa.array(values, pa.binary()).view(kind)
        else:
            storage = pa.int32() if pa.types.is_date32(kind) else pa.int64()
            values = t.column(name).cast(storage).to_pylist()
            values[i] = raw
            column = pa.array(values, storage).view(kind)
        return t.set_column(index, t.schema.field(name), column)

    return change


CASES = [
    # YAML syntax and safety
    Case(
        "yaml-syntax",
        replace(LOC, "naam: Kliniek Kroonstede", "naam: [Kliniek"),
        "yaml-syntaxfout",
        LOC,
        melding="YAML-fout: in een lijst tussen [ ]: verwacht: ',' of ']'",
    ),
    Case(
        "yaml-anchor",
        replace(LOC, "rechtskaders:\n  - wfz", "rechtskaders: &rk\n  - wfz"),
        "yaml-anker",
        LOC,
        regel_bij="rechtskaders: &rk",
        melding="gevonden: anker &rk; verwacht: geen ankers of aliassen",
    ),
    Case(
        "yaml-alias",
        both(
            replace(LOC, "contra_indicaties:\n  - brandstichting", "contra_indicaties: *x"),
        ),
        "yaml-anker",
        LOC,
        regel_bij="contra_indicaties: *x",
        melding="gevonden: alias *x; verwacht: geen ankers of aliassen",
    ),
    Case(
        "yaml-duplicate-key",
        replace(LOC, "regio: noord-nederland", "regio: noord-nederland\nregio: limburg"),
        "yaml-dubbele-sleutel",
        LOC,
        regel_bij="regio: limburg",
        melding="sleutel 'regio' staat er meer dan eens",
    ),
    Case(
        "yaml-not-utf8",
        replace_bytes(LOC, b"Kliniek Kroonstede", b"Kliniek Kr\xf6onstede"),
        "yaml-geen-utf8",
        LOC,
        regel_bij="naam: Kliniek",
        melding="byte 145 is geen geldige UTF-8; verwacht: UTF-8-tekst",
    ),
    Case(
        "yaml-top-list",
        write_bytes(LOC, b"- id: kliniek-kroonstede\n"),
        "yaml-geen-mapping",
        LOC,
        melding="gevonden: een lijst; verwacht: een mapping met sleutels",
    ),
    Case(
        "yaml-empty",
        write_bytes(LOC, b""),
        "yaml-geen-mapping",
        LOC,
        melding="gevonden: een leeg bestand; verwacht: een mapping met sleutels",
    ),
    Case(
        "yaml-nul-byte",
        write_bytes(LOC, b"id: kliniek\x00kroonstede\n"),
        "yaml-syntaxfout",
        LOC,
        melding="NUL-teken in tekstbestand",
    ),
    Case(
        "yaml-two-documents",
        write_bytes(LOC, b"id: a\n---\nid: b\n"),
        "yaml-syntaxfout",
        LOC,
        melding=(
            "YAML-fout: het bestand mag één document bevatten: er staat een tweede document ('---')"
        ),
    ),
    # Types and vocabularies
    Case(
        "missing-field",
        replace(LOC, "telefoon: +31 20 5550000\n", ""),
        "veld-ontbreekt",
        LOC,
        veld="telefoon",
        melding="verplicht veld ontbreekt",
    ),
    Case(
        "unknown-key",
        replace(LOC, "    capaciteit: 16", "    capacitiet: 16"),
        "onbekend-veld",
        LOC,
        veld="afdelingen.0.capacitiet",
        regel_bij="capacitiet",
        melding=(
            "onbekend veld 'afdelingen.0.capacitiet'; verwacht een van: id, naam, "
            "beveiligingsniveau, specialisme, voorziening, zorgtypen, capaciteit, "
            "rechtskaders, contra_indicaties, actief_vanaf, actief_tot"
        ),
    ),
    Case(
        "wrong-type",
        replace(LOC, "capaciteit: 16", "capaciteit: twaalf"),
        "ongeldig-type",
        LOC,
        veld="afdelingen.0.capaciteit",
        regel_bij="capaciteit: twaalf",
        melding="gevonden: 'twaalf' (tekst); verwacht: een geheel getal",
    ),
    Case(
        "huisnummer-int",
        replace(LOC, "huisnummer: '10'", "huisnummer: 10"),
        "ongeldig-type",
        LOC,
        veld="adres.huisnummer",
        regel_bij="huisnummer: 10",
        melding=(
            "gevonden: 10 (een geheel getal); verwacht: tekst (zet de waarde tussen "
            'aanhalingstekens: "10")'
        ),
    ),
    Case(
        "capacity-zero",
        replace(LOC, "capaciteit: 16", "capaciteit: 0"),
        "ongeldige-waarde",
        LOC,
        veld="afdelingen.0.capaciteit",
        regel_bij="capaciteit: 0",
        melding="gevonden: 0 (een geheel getal); verwacht: groter dan 0",
    ),
    Case(
        "level-5",
        replace(LOC, "beveiligingsniveau: 2", "beveiligingsniveau: 5"),
        "onbekend-beveiligingsniveau",
        LOC,
        veld="afdelingen.0.beveiligingsniveau",
        regel_bij="beveiligingsniveau: 5",
        melding="gevonden: 5 (een geheel getal); verwacht: 2, 3 of 4",
    ),
    Case(
        "unknown-specialisme",
        replace(LOC, "specialisme: psychiatrie", "specialisme: forensisch"),
        "onbekende-waarde",
        LOC,
        veld="afdelingen.0.specialisme",
        regel_bij="forensisch",
        melding=(
            "gevonden: 'forensisch' (tekst); verwacht een van: 'psychiatrie', "
            "'verslaving', 'sglvg', 'ontwrichting'"
        ),
    ),
    Case(
        "unknown-zorgtype",
        replace(LOC, "      - crisis", "      - dagbehandeling"),
        "onbekende-waarde",
        LOC,
        veld="afdelingen.0.zorgtypen.0",
        regel_bij="dagbehandeling",
        melding=(
            "gevonden: 'dagbehandeling' (tekst); verwacht een van: 'crisis', "
            "'behandeling', 'langdurig'"
        ),
    ),
    Case(
        "bad-slug",
        replace(LOC, "  - id: fpa-1", "  - id: FPA_1"),
        "ongeldige-id",
        LOC,
        veld="afdelingen.0.id",
        regel_bij="FPA_1",
        melding="gevonden: 'FPA_1' (tekst); verwacht: een slug als 'de-voorbeeldhoeve'",
    ),
    Case(
        "bad-postcode",
        replace(LOC, "postcode: 1000 AB", "postcode: 0123 XY"),
        "ongeldige-postcode",
        LOC,
        veld="adres.postcode",
        regel_bij="0123 XY",
        melding="gevonden: '0123 XY' (tekst); verwacht: een Nederlandse postcode als '9401 AB'",
    ),
    Case(
        "bad-phone",
        replace(LOC, "telefoon: +31 20 5550000", "telefoon: '12'"),
        "ongeldig-telefoonnummer",
        LOC,
        veld="telefoon",
        regel_bij="telefoon: '12'",
        melding="gevonden: '12' (tekst); verwacht: een nummer als '+31 592 000000'",
    ),
    Case(
        "bad-email",
        replace(LOC, "email: opname@", "email: opname-at-"),
        "ongeldig-email",
        LOC,
        veld="email",
        regel_bij="opname-at-",
        melding=(
            "gevonden: 'opname-at-voorbeeld-ggz-noorderzand.example' (tekst); "
            "verwacht: een e-mailadres"
        ),
    ),
    # Cross-file rules for locations
    Case(
        "id-not-filename",
        replace(LOC, "id: kliniek-kroonstede", "id: kliniek-elders"),
        "bestandsnaam-wijkt-af",
        LOC,
        veld="id",
        regel_bij="id: kliniek-elders",
        melding="id is 'kliniek-elders', bestandsnaam 'kliniek-kroonstede'",
    ),
    Case(
        "aanbieder-not-folder",
        replace(LOC, "aanbieder: voorbeeld-ggz-noorderzand", "aanbieder: voorbeeldzorg-westerduin"),
        "map-wijkt-af",
        LOC,
        veld="aanbieder",
        regel_bij="aanbieder: voorbeeldzorg",
        melding=(
            "gevonden: 'voorbeeldzorg-westerduin'; verwacht: 'voorbeeld-ggz-noorderzand' (de map)"
        ),
    ),
    Case(
        "unknown-regio",
        replace(LOC, "regio: noord-nederland", "regio: atlantis"),
        "onbekende-regio",
        LOC,
        veld="regio",
        regel_bij="atlantis",
        melding=(
            "gevonden: 'atlantis'; verwacht een van: brabant-zeeland, "
            "gelderland-zuid, limburg, midden-nederland, noord-holland, "
            "noord-nederland, oost-nederland, zuid-holland"
        ),
    ),
    Case(
        "unknown-contra",
        replace(LOC, "  - brandstichting", "  - vliegangst"),
        "onbekende-contra-indicatie",
        LOC,
        veld="contra_indicaties.0",
        regel_bij="vliegangst",
        melding=(
            "gevonden: 'vliegangst'; verwacht een van: actief-middelengebruik, "
            "brandstichting, ernstig-geweld, somatische-zorg, zedendelict"
        ),
    ),
    Case(
        "voorziening-wrong",
        replace(LOC, "voorziening: fpa", "voorziening: fvk"),
        "voorziening-past-niet",
        LOC,
        veld="afdelingen.0.voorziening",
        regel_bij="fvk",
        melding=(
            "voorziening 'fvk' hoort niet bij specialisme 'psychiatrie'; verwacht "
            "een van: fpa, fpk, fpc"
        ),
    ),
    Case(
        "ward-rechtskader",
        replace(
            LOC,
            "    rechtskaders:\n      - wfz\n      - wvggz",
            "    rechtskaders:\n      - wfz\n      - strafrecht",
        ),
        "onbekende-waarde",
        LOC,
        veld="afdelingen.1.rechtskaders.1",
        regel_bij="strafrecht",
        melding=(
            "gevonden: 'strafrecht' (tekst); verwacht een van: 'wfz', 'wvggz', 'wzd', 'vrijwillig'"
        ),
    ),
    Case(
        "ward-rechtskader-not-location",
        both(
            replace(LOC, "  - wzd\n  - vrijwillig\n", "  - vrijwillig\n"),
            replace(
                LOC,
                "    rechtskaders:\n      - wfz\n      - wvggz",
                "    rechtskaders:\n      - wfz\n      - wzd",
            ),
        ),
        "rechtskader-niet-bij-locatie",
        LOC,
        veld="afdelingen.1.rechtskaders.1",
        regel_bij="      - wzd",
        melding="gevonden: 'wzd'; verwacht een van de locatie: wfz, wvggz, vrijwillig",
    ),
    Case(
        "period-reversed",
        replace(
            LOC,
            "    capaciteit: 16",
            "    capaciteit: 16\n    actief_vanaf: 2021-05-01\n    actief_tot: 2021-04-01",
        ),
        "actief-periode-omgekeerd",
        LOC,
        veld="afdelingen.0.actief_tot",
        regel_bij="actief_tot",
        melding="actief_vanaf 2021-05-01 ligt na actief_tot 2021-04-01",
    ),
    Case(
        "duplicate-ward",
        replace(LOC, "  - id: fpc-2", "  - id: fpa-1"),
        "dubbele-id",
        LOC,
        veld="afdelingen.1.id",
        melding="id 'fpa-1' komt meer dan eens voor",
    ),
    Case(
        "unknown-provider-folder",
        lambda r: (
            (r / "data/locaties/onbekend-zorg").mkdir()
            or (r / "data/locaties/onbekend-zorg/kliniek-kroonstede.yaml").write_text(
                (r / LOC)
                .read_text()
                .replace("aanbieder: voorbeeld-ggz-noorderzand", "aanbieder: onbekend-zorg")
            )
        ),
        "onbekende-aanbieder",
        "data/locaties/onbekend-zorg/kliniek-kroonstede.yaml",
        veld="aanbieder",
        melding="gevonden: 'onbekend-zorg'; verwacht: een deelnemer met rol 'aanbieder'",
    ),
    # Registries and settings
    Case(
        "duplicate-deelnemer",
        replace(DEELNEMERS, "  - id: fpl", "  - id: lcbb"),
        "dubbele-id",
        DEELNEMERS,
        veld="deelnemers.5.id",
        melding="id 'lcbb' komt meer dan eens voor",
    ),
    Case(
        "bad-signing-key",
        replace(DEELNEMERS, "signing_key: ssh-ed25519 AAAA", "signing_key: ssh-ed25519 !!!!"),
        "ongeldige-sleutel",
        DEELNEMERS,
        veld="deelnemers.0.beheerders.0.signing_key",
        regel_bij="!!!!",
        melding=(
            "gevonden: 'ssh-ed25519 !!!!C3NzaC1lZDI1NTE5AAAAIKF0VXr6KmokmGFKdplYdf… "
            "(tekst); verwacht: 'ssh-ed25519 AAAA…'"
        ),
    ),
    Case(
        "unknown-rol",
        replace(DEELNEMERS, "      - fpl", "      - inspectie"),
        "onbekende-waarde",
        DEELNEMERS,
        regel_bij="inspectie",
        melding=(
            "gevonden: 'inspectie' (tekst); verwacht een van: 'aanbieder', "
            "'opnamefunctie', 'fpl', 'lcbb', 'zorgkantoor', 'zorgverzekeraar', 'dji', "
            "'ministerie'"
        ),
    ),
    Case(
        "missing-regios",
        lambda r: (r / "data/regios.yaml").unlink(),
        "register-ontbreekt",
        "data/regios.yaml",
        melding="verplicht bestand ontbreekt; verwacht: " + EXPECTED_PATHS,
    ),
    Case(
        "toml-syntax",
        write_bytes(TOML, b"deadline = \n"),
        "toml-syntaxfout",
        TOML,
        regel_bij="deadline",
        melding="TOML-fout op regel 1, kolom 12: ongeldige of ontbrekende waarde",
    ),
    Case(
        "toml-deadline",
        write_bytes(TOML, b'deadline = "25:00"\n'),
        "ongeldige-waarde",
        TOML,
        veld="deadline",
        melding="gevonden: '25:00' (tekst); verwacht: patroon ^([01][0-9]|2[0-3]):[0-5][0-9]$",
    ),
    Case(
        "toml-unknown",
        write_bytes(TOML, b"termijn = 3\n"),
        "onbekend-veld",
        TOML,
        veld="termijn",
        # The keys in the model's order: every setting added later is named too.
        melding="onbekend veld 'termijn'; verwacht een van: " + ", ".join(SETTINGS_KEYS),
    ),
    # Paths
    Case(
        "symlink",
        symlink(LOC2, "/etc/hostname"),
        "bestand-symlink",
        LOC2,
        melding="bestand is een symbolische link; verwacht: een gewoon bestand",
    ),
    Case(
        "stray-file",
        write_bytes("data/notities.txt", b"hallo"),
        "onbekend-bestand",
        "data/notities.txt",
        melding="bestand hoort niet bij het datacontract; verwacht: " + EXPECTED_PATHS,
    ),
    Case(
        "bad-date-in-path",
        write_bytes("data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-13-01.parquet", b"x"),
        "ongeldig-pad",
        "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-13-01.parquet",
        melding="'2021-13-01' is geen bestaande datum; verwacht: " + EXPECTED_PATHS,
    ),
    Case(
        "wrong-year-folder",
        write_bytes("data/snapshots/voorbeeld-ggz-noorderzand/2020/2021-06-01.parquet", b"x"),
        "ongeldig-pad",
        "data/snapshots/voorbeeld-ggz-noorderzand/2020/2021-06-01.parquet",
        melding="jaarmap 2020 past niet bij peildatum 2021-06-01; verwacht: " + EXPECTED_PATHS,
    ),
    Case(
        "location-too-deep",
        write_bytes("data/locaties/voorbeeld-ggz-noorderzand/oud/kliniek.yaml", b"id: x\n"),
        "ongeldig-pad",
        "data/locaties/voorbeeld-ggz-noorderzand/oud/kliniek.yaml",
        melding="locaties hoort op data/locaties/<aanbieder>/<locatie>.yaml; verwacht: "
        + EXPECTED_PATHS,
    ),
    # Parquet files
    Case(
        "parquet-toelichting-geen-utf8",
        table(OLD_SNAP, _raw_at("toelichting", 0, b"Bel \xff\xfe terug")),
        "parquet-onleesbaar",
        OLD_SNAP,
        melding="kan Parquet niet lezen: kolom toelichting bevat tekst die geen geldige UTF-8 is",
    ),
    Case(
        "parquet-locatie-geen-utf8",
        table(SNAP, _raw_at("locatie", 1, b"kliniek-\xc3")),
        "parquet-onleesbaar",
        SNAP,
        melding="kan Parquet niet lezen: kolom locatie bevat tekst die geen geldige UTF-8 is",
    ),
    Case(
        "parquet-peildatum-buiten-bereik",
        table(SNAP, _raw_at("peildatum", 0, 10**8)),
        "parquet-onleesbaar",
        SNAP,
        melding=(
            "kan Parquet niet lezen: kolom peildatum bevat een datum of tijdstip buiten de "
            "jaren 1–9999"
        ),
    ),
    Case(
        "parquet-garbage",
        write_bytes(SNAP, b"PAR1 dit is geen parquet"),
        "parquet-onleesbaar",
        SNAP,
        melding=(
            "kan Parquet niet lezen: het bestand eindigt niet op de kenmerkende bytes van "
            "Parquet (PAR1): het is afgekapt, beschadigd of geen Parquet-bestand"
        ),
    ),
    Case(
        "parquet-truncated",
        lambda r: (r / SNAP).write_bytes((r / SNAP).read_bytes()[:200]),
        "parquet-onleesbaar",
        SNAP,
        melding=(
            "kan Parquet niet lezen: het bestand eindigt niet op de kenmerkende bytes van "
            "Parquet (PAR1): het is afgekapt, beschadigd of geen Parquet-bestand"
        ),
    ),
    Case(
        "parquet-leeg",
        write_bytes(SNAP, b""),
        "parquet-onleesbaar",
        SNAP,
        melding="kan Parquet niet lezen: het bestand is leeg (0 bytes)",
    ),
    Case(
        "parquet-kolomnaam-geen-utf8",
        replace_bytes(SNAP, b"toelichting", b"toelichtin\xff"),
        "parquet-onleesbaar",
        SNAP,
        melding="kan Parquet niet lezen: een kolomnaam is geen geldige UTF-8",
    ),
    Case(
        "parquet-no-version",
        table(SNAP, lambda t: t.replace_schema_metadata({})),
        "parquet-schemaversie",
        SNAP,
        melding="bedcap.schema_version is afwezig; verwacht: '1'",
    ),
    Case(
        "parquet-missing-column",
        table(SNAP, _drop_column("gereserveerd")),
        "kolom-ontbreekt",
        SNAP,
        veld="gereserveerd",
        melding="kolom ontbreekt; verwacht type: int32",
    ),
    Case(
        "parquet-wrong-type",
        table(SNAP, _string_column("bezet")),
        "kolom-type",
        SNAP,
        veld="bezet",
        melding="gevonden: string; verwacht: int32",
    ),
    Case(
        "parquet-extra-column",
        table(SNAP, lambda t: t.append_column("patient", pa.array(["x"] * t.num_rows))),
        "kolom-onbekend",
        SNAP,
        veld="patient",
        melding="onbekende kolom 'patient'",
    ),
    Case(
        "parquet-duplicate-column",  # a traceback in validate and in the gate's check before
        table(SNAP, lambda t: t.append_column("bezet", t.column("bezet"))),
        "kolom-dubbel",
        SNAP,
        veld="bezet",
        melding="kolom 'bezet' staat er 2 keer in; verwacht: één keer",
    ),
    Case(
        "negative-count",
        rows(SNAP, set_row(1, bezet=-1, beschikbaar=7)),
        "negatief-aantal",
        SNAP,
        veld="bezet",
        rij=2,
        melding="gevonden: -1; verwacht: 0 of meer",
    ),
    Case(
        "sum-wrong",
        rows(SNAP, set_row(0, bezet=3)),
        "som-klopt-niet",
        SNAP,
        veld="capaciteit",
        rij=1,
        melding=(
            "bezet 3 + beschikbaar 0 + gereserveerd 1 + buiten_gebruik 0 = 4; "
            "verwacht: capaciteit 16"
        ),
    ),
    Case(
        "null-count",
        table(SNAP, _null_at("bezet", 2)),
        "waarde-ontbreekt",
        SNAP,
        veld="bezet",
        rij=3,
        melding="lege waarde; verwacht: int32",
    ),
    Case(
        "peildatum-not-path",
        rows(SNAP, set_row(0, peildatum=__import__("datetime").date(2021, 6, 29))),
        "peildatum-wijkt-af",
        SNAP,
        veld="peildatum",
        rij=1,
        melding="gevonden: 2021-06-29; verwacht: 2021-06-30 (uit de bestandsnaam)",
    ),
    Case(
        "aanbieder-not-folder-parquet",
        rows(SNAP, set_row(3, aanbieder="iemand-anders")),
        "aanbieder-wijkt-af",
        SNAP,
        veld="aanbieder",
        rij=4,
        melding="gevonden: 'iemand-anders'; verwacht: 'voorbeeld-ggz-noorderzand' (de map)",
    ),
    Case(
        "level-5-parquet",
        rows(SNAP, set_row(0, beveiligingsniveau=5)),
        "onbekend-beveiligingsniveau",
        SNAP,
        veld="beveiligingsniveau",
        rij=1,
        melding="gevonden: 5; verwacht: 2, 3 of 4",
    ),
    Case(
        "unknown-zorgtype-parquet",
        rows(SNAP, set_row(0, zorgtype="dagbesteding")),
        "onbekende-waarde",
        SNAP,
        veld="zorgtype",
        rij=1,
        melding="gevonden: 'dagbesteding'; verwacht een van: behandeling, crisis, langdurig",
    ),
    Case(
        "unknown-ward",
        rows(SNAP, set_row(0, afdeling="fpa-9")),
        "onbekende-afdeling",
        SNAP,
        veld="afdeling",
        rij=1,
        melding=(
            "afdeling 'kliniek-kroonstede/fpa-9' bestaat niet; verwacht een van: "
            "kliniek-eikenburg-2/fpk-1, kliniek-eikenburg-2/fva-2, "
            "kliniek-kroonstede/fpa-1, kliniek-kroonstede/fpc-2"
        ),
    ),
    Case(
        "zorgtype-not-offered",
        rows(SNAP, set_row(0, zorgtype="langdurig")),
        "zorgtype-niet-aangeboden",
        SNAP,
        veld="zorgtype",
        rij=1,
        melding="gevonden: 'langdurig'; verwacht een van: crisis",
    ),
    Case(
        "incomplete",
        rows(SNAP, lambda rs: rs[1:]),
        "snapshot-onvolledig",
        SNAP,
        veld="afdeling",
        melding="rij ontbreekt voor locatie kliniek-kroonstede, afdeling fpa-1, zorgtype crisis",
    ),
    Case(
        "duplicate-row",
        rows(SNAP, lambda rs: [*rs, dict(rs[0])]),
        "dubbele-rij",
        SNAP,
        veld="afdeling",
        rij=5,
        melding="kliniek-kroonstede/fpa-1/crisis staat er ook in rij 1",
    ),
    Case(
        "empty-snapshot",
        rows(SNAP, lambda rs: []),
        "snapshot-onvolledig",
        SNAP,
        melding=(
            "rij ontbreekt voor locatie kliniek-eikenburg-2, afdeling fpk-1, zorgtype behandeling"
        ),
    ),
    Case(
        "privacy-bsn",
        rows(SNAP, set_row(0, toelichting="client 111222333 wacht")),
        "privacy-bsn",
        SNAP,
        veld="toelichting",
        rij=1,
        melding=(
            "'111222333' lijkt een BSN; haal het weg, het dashboard bevat nooit persoonsgegevens"
        ),
    ),
    Case(
        "privacy-birth",
        rows(SNAP, set_row(1, toelichting="opname geb. 03-04-1985")),
        "privacy-geboortedatum",
        SNAP,
        veld="toelichting",
        rij=2,
        melding=(
            "'03-04-1985' lijkt een geboortedatum; haal het weg, het dashboard bevat "
            "nooit persoonsgegevens"
        ),
    ),
    Case(
        "privacy-email",
        rows(SNAP, set_row(0, toelichting="mail j.jansen@ggz.nl")),
        "privacy-email",
        SNAP,
        veld="toelichting",
        rij=1,
        melding="'j.jansen@ggz.nl' is een e-mailadres; contactgegevens horen in de locatiegegevens",
    ),
    Case(
        "privacy-phone",
        rows(SNAP, set_row(0, toelichting="bel 06-12345678")),
        "privacy-telefoon",
        SNAP,
        veld="toelichting",
        rij=1,
        melding="'06-12345678' is een telefoonnummer; contactgegevens horen in de locatiegegevens",
    ),
    Case(
        "note-too-long",
        rows(SNAP, set_row(0, toelichting="x" * 281)),
        "toelichting-te-lang",
        SNAP,
        veld="toelichting",
        rij=1,
        melding="281 tekens; verwacht: hooguit 280",
    ),
    Case(
        "unknown-provider-snapshot",
        write_bytes("data/snapshots/niemand/2021/2021-06-30.parquet", b"x"),
        "onbekende-aanbieder",
        "data/snapshots/niemand/2021/2021-06-30.parquet",
        melding="gevonden: 'niemand'; verwacht: een deelnemer met rol 'aanbieder'",
    ),
    Case(
        "ward-not-yet-open",
        rows(
            "data/snapshots/fictief-forensisch-centrum-oosterveld/2021/2021-04-26.parquet",
            lambda rs: [
                *rs,
                {
                    **rs[0],
                    "locatie": _NEW[0],
                    "afdeling": _NEW[1],
                    "zorgtype": "behandeling",
                    "specialisme": "psychiatrie",
                    "voorziening": "fpk",
                    "beveiligingsniveau": 3,
                },
            ],
        ),
        "afdeling-niet-actief",
        "data/snapshots/fictief-forensisch-centrum-oosterveld/2021/2021-04-26.parquet",
        veld="afdeling",
        extra={"ernst": "waarschuwing"},
        melding=(
            "afdeling 'kliniek-heidewijk/fpk-nieuw' is op 2021-04-26 niet actief "
            "(actief van 2021-05-03 tot nu)"
        ),
    ),
    # Financing and logbook exports
    Case(
        "financing-unknown-location",
        replace(FIN, "locatie: kliniek-kroonstede", "locatie: kliniek-nergens"),
        "onbekende-locatie",
        FIN,
        veld="locaties.0.locatie",
        regel_bij="kliniek-nergens",
        melding=(
            "gevonden: 'kliniek-nergens'; verwacht een locatie van "
            "voorbeeld-ggz-noorderzand: kliniek-eikenburg-2, kliniek-kroonstede"
        ),
    ),
    Case(
        "financing-quarter",
        replace(FIN, "kwartaal: 2021Q2", "kwartaal: 2021Q3"),
        "kwartaal-wijkt-af",
        FIN,
        veld="kwartaal",
        regel_bij="2021Q3",
        melding="gevonden: '2021Q3'; verwacht: '2021Q2' (de map)",
    ),
    Case(
        "financing-negative",
        replace(FIN, "wlz: 0", "wlz: -5"),
        "ongeldige-waarde",
        FIN,
        veld="locaties.0.ligdagen.wlz",
        regel_bij="wlz: -5",
        melding="gevonden: -5 (een geheel getal); verwacht: 0 of meer",
    ),
    # Confidential files (issue 15)
    Case(
        "financing-in-plaintext",
        replace(FIN, "wlz: 0", "wlz: 0"),
        "vertrouwelijk-onversleuteld",
        FIN,
        melding=f"financiering in klaartekst; verwacht: versleuteld als {FIN}.age (bedcap "
        "financiering submit, of bedcap herversleutel --migreer)",
    ),
    Case(
        "financing-not-age",
        write_bytes(f"{FIN}.age", b"age-encryption.org/v1\n-> X25519 abc\nrommel\n"),
        "vertrouwelijk-ongeldig",
        f"{FIN}.age",
        melding="age-kop zonder afsluitende '--- <mac>'-regel; verwacht: een age-bestand "
        "(age-encryption.org/v1)",
    ),
    Case(
        "financing-bad-quarter-folder",
        write_bytes("data/financiering/2021Q5/voorbeeld-ggz-noorderzand.yaml", b"x: 1\n"),
        "ongeldig-pad",
        "data/financiering/2021Q5/voorbeeld-ggz-noorderzand.yaml",
        melding="financiering hoort op data/financiering/<jaar>Q<n>/<aanbieder>.yaml.age; "
        "verwacht: " + EXPECTED_PATHS,
    ),
    Case(
        "financing-file-not-owner",
        replace(FIN, "aanbieder: voorbeeld-ggz-noorderzand", "aanbieder: voorbeeldzorg-westerduin"),
        "bestandsnaam-wijkt-af",
        FIN,
        veld="aanbieder",
        melding="id is 'voorbeeldzorg-westerduin', bestandsnaam 'voorbeeld-ggz-noorderzand'",
    ),
    Case(
        "logbook-free-text",
        replace(LOG, "opnames:", "toelichting: client X\nopnames:"),
        "onbekend-veld",
        LOG,
        veld="toelichting",
        regel_bij="toelichting",
        melding="onbekend veld 'toelichting'; verwacht een van: aanbieder, maand, opnames, "
        "per_uitkomst, per_groep, redenen, aantallen",
    ),
    Case(
        "logbook-month",
        replace(LOG, "maand: 2021-04", "maand: 2021-05"),
        "maand-wijkt-af",
        LOG,
        veld="maand",
        regel_bij="maand: 2021-05",
        melding="gevonden: '2021-05'; verwacht: '2021-04' (de map)",
    ),
    Case(
        "logbook-reden",
        replace(LOG, "reden: ", "reden: pech_"),
        "onbekende-waarde",
        LOG,
        melding=(
            "gevonden: 'pech_geen_bed' (tekst); verwacht een van: 'geen_bed', "
            "'financiering', 'geen_passend_aanbod', 'ten_koste_van_anderen', "
            "'contra_indicatie', 'rechtskader', 'regiogebonden', 'personeel', "
            "'overig'"
        ),
    ),
]

# The ward that opens mid-period in the example (see scripts/make_example.py).
_NEW = ("kliniek-heidewijk", "fpk-nieuw")


def test_corpus_is_large() -> None:
    assert len(CASES) >= 40
    assert [c.id for c in CASES if not c.melding] == [], "every case asserts its exact message"
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, example: Path, runner) -> None:  # noqa: ANN001
    case.mutate(example)
    before = tree_digest(example, exclude=(".bedcap",))
    result = invoke(runner, "validate", "--format", "json", cwd=example)
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    matches = [
        f for f in report["bevindingen"] if f["code"] == case.code and f["bestand"] == case.bestand
    ]
    assert matches, f"no {case.code} in {case.bestand}: {report['bevindingen'][:5]}"
    found = matches[0]
    if case.veld is not None:
        assert any(f["veld"] == case.veld for f in matches), matches
    if case.rij is not None:
        assert any(f["rij"] == case.rij for f in matches), matches
    if case.regel_bij is not None:
        text = (example / case.bestand).read_bytes().decode("utf-8", "replace").splitlines()
        line = next(i for i, t in enumerate(text, 1) if case.regel_bij in t)
        assert any(f["regel"] == line for f in matches), (line, matches)
    for key, value in case.extra.items():
        assert found[key] == value
    assert case.melding in [f["melding"] for f in matches], [f["melding"] for f in matches]
    if found["ernst"] == "fout":
        assert result.exit_code == 1
        assert report["geldig"] is False
    # Nothing but its derived result cache (.bedcap/validatie.sqlite, issue 18).
    assert tree_digest(example, exclude=(".bedcap",)) == before, "validate must never write"


def test_text_output_names_place_field_and_message(example: Path, runner) -> None:  # noqa: ANN001
    rows(SNAP, set_row(0, bezet=3))(example)
    result = invoke(runner, "validate", cwd=example)
    assert result.exit_code == 1
    # Not a terminal: one finding per line, `pad: code: rij, veld: melding`, never wrapped.
    assert result.stdout.splitlines()[0] == (
        f"{SNAP}: som-klopt-niet: rij 1, veld capaciteit: "
        "bezet 3 + beschikbaar 0 + gereserveerd 1 + buiten_gebruik 0 = 4; verwacht: "
        "capaciteit 16"
    )
    assert result.stdout.strip().splitlines()[-1] == "Klaar. FOUT=1 WAARSCHUWING=0 BESTANDEN=270"


def test_github_annotations(example: Path, runner) -> None:  # noqa: ANN001
    replace(LOC, "regio: noord-nederland", "regio: atlantis")(example)
    result = invoke(runner, "validate", "--format", "github", cwd=example)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"::error file={LOC},line=5,title=onbekende-regio::veld regio: ")
    assert "'atlantis'" in first


def test_all_problems_reported_not_just_the_first(example: Path, runner) -> None:  # noqa: ANN001
    replace(LOC, "regio: noord-nederland", "regio: atlantis")(example)
    rows(SNAP, set_row(0, bezet=3))(example)
    write_bytes("data/notities.txt", b"x")(example)
    result = invoke(runner, "validate", "--format", "json", cwd=example)
    codes = {f["code"] for f in json.loads(result.stdout)["bevindingen"]}
    assert {"onbekende-regio", "som-klopt-niet", "onbekend-bestand"} <= codes
