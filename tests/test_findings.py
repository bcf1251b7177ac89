"""The catalogue of findings: typed codes, families, placeholders that cannot drift."""

from __future__ import annotations

import pytest

from bedcap.findings import catalogue
from bedcap.findings.catalogue import CATALOGUE, FAMILIES, Code, Finding, finding
from bedcap.findings.finding import placeholders


def test_every_code_has_exactly_one_type_in_one_family() -> None:
    codes = [t.code for types in FAMILIES.values() for t in types]
    assert sorted(codes) == sorted(Code)
    assert len(codes) == len(set(codes)) == len(CATALOGUE)


def test_each_type_names_the_placeholders_of_its_template() -> None:
    wrong = {
        t.code.value: (t.velden, placeholders(t.sjabloon))
        for t in CATALOGUE.values()
        if t.velden != placeholders(t.sjabloon)
    }
    assert wrong == {}


def test_enum_and_string_build_the_same_finding() -> None:
    kwargs = {"gevonden": "'atlantis'", "verwacht": "noord-nederland"}
    by_enum = finding(Code.ONBEKENDE_REGIO, "data/x.yaml", regel=5, veld="regio", **kwargs)
    by_text = catalogue.finding("onbekende-regio", "data/x.yaml", regel=5, veld="regio", **kwargs)
    assert by_enum == by_text
    assert isinstance(by_enum, Finding) and catalogue.Finding is Finding
    assert type(by_enum.code) is str and by_enum.code == "onbekende-regio"
    assert by_enum.plek == "data/x.yaml:5"


def test_a_missing_placeholder_fails_loudly() -> None:
    with pytest.raises(TypeError, match=r"onbekende-regio: placeholders missing \['verwacht'\]"):
        finding(Code.ONBEKENDE_REGIO, "data/x.yaml", gevonden="'atlantis'")


def test_an_extra_placeholder_fails_loudly() -> None:
    with pytest.raises(TypeError, match=r"unexpected \['reden'\]"):
        finding(Code.ONBEKEND_BESTAND, "data/x.txt", verwacht="iets", reden="typo")


def test_veld_is_filled_from_the_location() -> None:
    found = finding(Code.ONBEKEND_VELD, "data/x.yaml", veld="toelichting", verwacht="naam")
    assert found.melding == "onbekend veld 'toelichting'; verwacht een van: naam"


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError):
        Code("bestaat-niet")
    with pytest.raises(KeyError):
        finding("bestaat-niet", "data/x.yaml")
