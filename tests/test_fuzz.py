"""Arbitrary bytes and arbitrary YAML documents never crash the validator, and are refused.

Each property can fail: the broken file itself must be named in an error (not only its
neighbours), the result must be invalid, and no finding may leak the machine's absolute
path or name a code outside the catalogue.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from bedcap import calendar
from bedcap.files.repo import DataRepo
from bedcap.findings.catalogue import CATALOGUE, Result
from bedcap.rules.validate import validate_repo
from tests.conftest import PROJECT

TARGETS = [
    "data/locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.yaml",
    "data/deelnemers.yaml",
    "data/financiering/2021Q2/voorbeeld-ggz-noorderzand.yaml",
    "data/logboek/2021-04/voorbeeld-ggz-noorderzand.yaml",
    "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-30.parquet",
]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(),
)
keys = st.one_of(
    st.sampled_from(
        [
            "id",
            "naam",
            "aanbieder",
            "afdelingen",
            "capaciteit",
            "deelnemers",
            "locaties",
            "ligdagen",
            "aantallen",
            "regio",
        ]
    ),
    st.text(max_size=10),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=20,
)


SCHEMAS = {"locaties": "locatie", "deelnemers.yaml": "deelnemers"}
SCHEMAS |= {"financiering": "financiering", "logboek": "logboek"}


def _schema_accepts(rel: str, data: bytes) -> bool:
    """What `schemas/` (generated from the models) says of the document, independently."""
    import json

    import jsonschema

    kind = SCHEMAS.get(rel.split("/")[1])
    if kind is None:
        return False
    schema = json.loads((PROJECT / "schemas" / f"{kind}.schema.json").read_text())
    try:
        jsonschema.validate(YAML(typ="safe").load(data), schema)
    except Exception:  # noqa: BLE001 - any refusal, or a document YAML cannot load
        return False
    return True


def _check(root: Path, rel: str, data: bytes) -> Result:
    """Validate the repository with `rel` replaced by `data`, and the properties every
    broken file must have."""
    (root / rel).write_bytes(data)
    result = validate_repo(DataRepo(root), [rel], today=calendar.vandaag())
    if result.geldig:  # only a document the contract's own JSON Schema accepts may pass
        assert _schema_accepts(rel, data), "bedcap accepted what its JSON Schema refuses"
        return result
    assert any(p.bestand == rel for p in result.fouten), [p.bestand for p in result.fouten]
    for p in result.problems:
        assert not Path(p.bestand).is_absolute() and str(root) not in p.melding, p
        assert p.code in CATALOGUE and p.melding, p
    return result


@SETTINGS
@given(data=st.binary(max_size=600), target=st.sampled_from(TARGETS))
def test_arbitrary_bytes(
    example_template: Path,
    tmp_path_factory,
    data: bytes,  # noqa: ANN001
    target: str,
) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(example_template, root)
    _check(root, target, data)


@SETTINGS
@given(doc=documents, target=st.sampled_from(TARGETS[:4]))
def test_arbitrary_yaml(
    example_template: Path,
    tmp_path_factory,
    doc: object,  # noqa: ANN001
    target: str,
) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(example_template, root)
    buffer = io.StringIO()
    YAML(typ="safe").dump(doc, buffer)
    _check(root, target, buffer.getvalue().encode())
