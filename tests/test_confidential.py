"""Confidential files (issue 15) with real keys made by `ssh-keygen`: who can read them,
what `validate`, `financiering` and the report do with them, key rotation and migration."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest
from typer.testing import CliRunner

from bedcap.files import agefile
from tests.conftest import (
    PROVIDER,
    example_identities,
    invoke,
    seal_all,
    ssh_keygen,
    tree_digest,
    unseal_all,
)

OTHER = "voorbeeldzorg-westerduin"
ZORGKANTOOR = "zorgkantoor-voorbeeld"
FIN = f"data/financiering/2021Q2/{PROVIDER}.yaml"
FIN_AGE = FIN + ".age"
LOG_AGE = f"data/logboek/2021-04/{PROVIDER}.yaml.age"


@dataclass
class Keyed:
    root: Path
    keys: dict[str, Path]  # org → private key made by ssh-keygen
    public: dict[str, str]


def set_registry_keys(root: Path, public: dict[str, str]) -> None:
    """Replace the keys of lcbb, PROVIDER and OTHER; give the zorgkantoor a maintainer."""
    import yaml

    path = root / "data/deelnemers.yaml"
    text = path.read_text(encoding="utf-8")
    for d in yaml.safe_load(text)["deelnemers"]:
        if d["id"] in public and d["beheerders"]:
            text = text.replace(d["beheerders"][0]["signing_key"], public[d["id"]])
    block = "      - zorgkantoor\n    beheerders: []"
    assert block in text
    text = text.replace(
        block,
        "      - zorgkantoor\n    beheerders:\n"
        f"      - email: beheer@{ZORGKANTOOR}.example\n        signing_key: {public[ZORGKANTOOR]}",
    )
    path.write_text(text, encoding="utf-8")


def make_keyed(example: Path, tmp_path: Path) -> Keyed:
    unseal_all(example, list(example_identities(tmp_path / "voorbeeld").values()))
    keys, public = {}, {}
    for org in ("lcbb", PROVIDER, OTHER, ZORGKANTOOR, "vreemd"):
        keys[org], public[org] = ssh_keygen(tmp_path / "keys", org)
    set_registry_keys(example, public)
    seal_all(example)
    return Keyed(example, keys, public)


@pytest.fixture
def keyed(example: Path, tmp_path: Path) -> Keyed:
    """The example, its maintainers' keys replaced by real ones, sealed to those keys."""
    return make_keyed(example, tmp_path)


def ids(*paths: Path) -> list[object]:
    return agefile.load_identities(paths)


def test_owner_and_lcbb_decrypt_others_cannot(keyed: Keyed) -> None:
    for rel in (FIN_AGE, LOG_AGE):
        data = (keyed.root / rel).read_bytes()
        assert b"aanbieder" not in data and b"ligdagen" not in data and b"aantallen" not in data
        for org in (PROVIDER, "lcbb"):
            plain = agefile.decrypt(data, ids(keyed.keys[org]))
            assert plain is not None and f"aanbieder: {PROVIDER}".encode() in plain
        for org in (OTHER, ZORGKANTOOR, "vreemd"):
            assert agefile.decrypt(data, ids(keyed.keys[org])) is None
            with pytest.raises(pyrage.DecryptError):
                pyrage.decrypt(data, ids(keyed.keys[org]))
        assert agefile.decrypt(data, []) is None  # a reader without keys


def test_header_names_exactly_the_owner_and_the_lcbb(keyed: Keyed) -> None:
    kop = agefile.read_header((keyed.root / FIN_AGE).read_bytes())
    want = sorted(agefile.ssh_key_tag(keyed.public[org]) for org in (PROVIDER, "lcbb"))
    assert kop.ontvangers() == want
    assert agefile.ssh_key_tag(keyed.public[OTHER]) not in kop.ontvangers()


GOOD_MAC = "A" * 43


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"aanbieder: x\nkwartaal: 2021Q2\n",
        b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n",
        b"age-encryption.org/v1\n-> X25519 abc\n" + b"B" * 43 + b"\n",  # no mac line
        b"age-encryption.org/v1\n--- " + GOOD_MAC.encode() + b"\n" + b"\0" * 40,  # no recipient
        b"age-encryption.org/v1\n-> ssh-ed25519 tag share\n"
        + b"C" * 70
        + b"\n--- "
        + GOOD_MAC.encode()
        + b"\n"
        + b"\0" * 40,  # body line too long
        b"age-encryption.org/v1\n-> ssh-ed25519 tag share\n"
        + b"C" * 43
        + b"\n--- "
        + GOOD_MAC.encode()
        + b"\n"
        + b"\0" * 5,  # no payload
    ],
    ids=["leeg", "yaml", "armored", "geen-mac", "geen-ontvanger", "lange-regel", "geen-inhoud"],
)
def test_header_reader_refuses_what_is_not_age(data: bytes) -> None:
    with pytest.raises(agefile.AgeFormatError):
        agefile.read_header(data)


def validate(runner: CliRunner, root: Path) -> tuple[int, list[dict]]:
    result = invoke(runner, "validate", "--format", "json", cwd=root)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)["bevindingen"]


def test_sealed_example_validates(runner: CliRunner, keyed: Keyed) -> None:
    code, found = validate(runner, keyed.root)
    assert code == 0, found


def test_validate_refuses_plaintext_and_broken_age(runner: CliRunner, keyed: Keyed) -> None:
    plain = agefile.decrypt((keyed.root / FIN_AGE).read_bytes(), ids(keyed.keys[PROVIDER]))
    assert plain is not None
    (keyed.root / FIN_AGE).unlink()
    (keyed.root / FIN).write_bytes(plain)
    broken = f"data/logboek/2021-05/{OTHER}.yaml.age"
    (keyed.root / broken).write_bytes(b"age-encryption.org/v1\nrommel\n")
    code, found = validate(runner, keyed.root)
    assert code == 1
    got = {(f["code"], f["bestand"]) for f in found if f["ernst"] == "fout"}
    assert got == {("vertrouwelijk-onversleuteld", FIN), ("vertrouwelijk-ongeldig", broken)}
    melding = next(f["melding"] for f in found if f["bestand"] == FIN)
    assert FIN_AGE in melding and "klaartekst" in melding


def test_financiering_toon_reads_own_file_back(runner: CliRunner, keyed: Keyed) -> None:
    args = ["financiering", "toon", "--kwartaal", "2021Q2", "--aanbieder", PROVIDER]
    own = invoke(runner, *args, "--identiteit", str(keyed.keys[PROVIDER]), cwd=keyed.root)
    assert own.exit_code == 0, own.stderr
    assert f"aanbieder: {PROVIDER}" in own.stdout and "ligdagen" in own.stdout
    other = invoke(runner, *args, "--identiteit", str(keyed.keys[OTHER]), cwd=keyed.root)
    assert other.exit_code == 3
    assert FIN_AGE in other.stderr and "niet te ontsleutelen" in other.stderr
    public = invoke(runner, *args, "--identiteit", str(keyed.keys[PROVIDER]) + ".pub")
    assert public.exit_code == 2 and "publieke sleutel" in public.stderr


def report_json(runner: CliRunner, root: Path, *args: str) -> tuple[dict, str]:
    target = root.parent / f"rapport-{len(args)}.json"
    result = invoke(
        runner,
        "report",
        "--kwartaal",
        "2021Q2",
        "--format",
        "json",
        "--uit",
        str(target),
        *args,
        cwd=root,
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(target.read_text(encoding="utf-8")), result.stdout + result.stderr


def test_report_gives_the_same_figures_through_decryption(
    runner: CliRunner, keyed: Keyed, tmp_path: Path
) -> None:
    plain = tmp_path / "klaartekst" / "repo"
    shutil.copytree(keyed.root, plain)
    assert unseal_all(plain, [keyed.keys["lcbb"]])
    before, _ = report_json(runner, plain)
    after, _ = report_json(runner, keyed.root, "--identiteit", str(keyed.keys["lcbb"]))
    assert after == before
    afstemming = after["afstemming"]
    assert afstemming and all(r["ligdagen_gemeld"] is not None for r in afstemming)
    assert after["knelpunten"] and "niet_leesbaar" not in after


def test_report_without_identity_names_what_it_could_not_read(
    runner: CliRunner, keyed: Keyed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BEDCAP_IDENTITEIT", raising=False)
    full, _ = report_json(runner, keyed.root, "--identiteit", str(keyed.keys["lcbb"]))
    blind, said = report_json(runner, keyed.root)
    unread = {r["bestand"] for r in blind["niet_leesbaar"]}
    assert FIN_AGE in unread and LOG_AGE in unread and len(unread) == 4 + 12
    assert "niet gelezen" in said
    assert blind["capaciteit_landelijk"] == full["capaciteit_landelijk"]
    assert blind["volledigheid"] == full["volledigheid"]
    assert "afstemming" not in blind and blind["knelpunten"] == []
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(keyed.keys["lcbb"]))
    by_env, _ = report_json(runner, keyed.root)
    assert by_env == full


def test_policy_report_needs_no_identity_and_names_no_provider(
    runner: CliRunner, keyed: Keyed
) -> None:
    blind, said = report_json(runner, keyed.root, "--doelgroep", "beleid")
    text = json.dumps(blind)
    assert PROVIDER not in text and "niet gelezen" in said
    assert blind["niet_leesbaar"] == [
        {"soort": "financiering", "bestanden": 4},
        {"soort": "logboek", "bestanden": 12},
    ]


def test_financiering_submit_refuses_bad_plaintext_and_writes_nothing(
    runner: CliRunner, keyed: Keyed, tmp_path: Path
) -> None:
    source = tmp_path / "financiering.yaml"
    plain = agefile.decrypt((keyed.root / FIN_AGE).read_bytes(), ids(keyed.keys[PROVIDER]))
    assert plain is not None
    source.write_bytes(plain.replace(b"locatie: kliniek-kroonstede", b"locatie: kliniek-nergens"))
    before = tree_digest(keyed.root)
    result = invoke(
        runner,
        "financiering",
        "submit",
        str(source),
        "--aanbieder",
        PROVIDER,
        "--no-push",
        "--format",
        "json",
        cwd=keyed.root,
    )
    assert result.exit_code == 1
    found = json.loads(result.stdout)["bevindingen"]
    assert [(f["code"], f["bestand"], f["veld"]) for f in found] == [
        ("onbekende-locatie", str(source), "locaties.0.locatie")
    ]
    assert tree_digest(keyed.root) == before


def test_financiering_submit_refuses_a_plaintext_inside_data(
    runner: CliRunner, keyed: Keyed
) -> None:
    (keyed.root / FIN).write_bytes(b"aanbieder: x\n")
    result = invoke(
        runner, "financiering", "submit", FIN, "--aanbieder", PROVIDER, "--no-push", cwd=keyed.root
    )
    assert result.exit_code == 2 and "buiten data/" in result.stderr
