"""schemas/ is generated from the models, checked for drift, and fits every example file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from bedcap.contract.model import SCHEMA_MODELLEN
from bedcap.files.repo import SCHEMA_VAN, classify
from tests.conftest import PROJECT, invoke


def test_committed_schemas_are_current(runner) -> None:  # noqa: ANN001
    result = invoke(runner, "schema", "--check", cwd=PROJECT)
    assert result.exit_code == 0, result.output
    assert "schemas/ is bij." in result.stdout
    assert sorted(p.name for p in (PROJECT / "schemas").iterdir()) == sorted(
        f"{name}.schema.json" for name in SCHEMA_MODELLEN
    )


def test_drift_is_reported_and_fixed(runner, tmp_path: Path) -> None:  # noqa: ANN001
    shutil.copytree(PROJECT / "schemas", tmp_path / "schemas")
    target = tmp_path / "schemas/locatie.schema.json"
    target.write_text(target.read_text().replace("beveiligingsniveau", "niveau"))
    (tmp_path / "schemas/oud.schema.json").write_text("{}")
    result = invoke(runner, "schema", "--check", "--pad", str(tmp_path))
    assert result.exit_code == 1
    assert "verouderd of ontbrekend: schemas/locatie.schema.json" in result.stdout
    assert "verouderd of ontbrekend: schemas/oud.schema.json" in result.stdout
    fixed = invoke(runner, "schema", "--pad", str(tmp_path))
    assert fixed.exit_code == 0
    assert "geschreven: schemas/locatie.schema.json" in fixed.stdout
    assert target.read_bytes() == (PROJECT / "schemas/locatie.schema.json").read_bytes()


YAML_FILES = sorted(str(p.relative_to(PROJECT)) for p in (PROJECT / "data").rglob("*.yaml"))


@pytest.mark.parametrize("rel", YAML_FILES[:40])
def test_example_yaml_matches_its_schema_and_points_to_it(rel: str) -> None:
    text = (PROJECT / rel).read_text()
    schema_name = SCHEMA_VAN[classify(rel).soort]
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    pointed = (PROJECT / rel).parent / first.split("=", 1)[1]
    assert pointed.resolve() == (PROJECT / "schemas" / f"{schema_name}.schema.json")
    schema = json.loads(pointed.read_text())
    data = YAML(typ="safe").load(text)
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_schema_rejects_what_the_model_rejects() -> None:
    schema = json.loads((PROJECT / "schemas/locatie.schema.json").read_text())
    afdeling = schema["$defs"]["Afdeling"]["properties"]["beveiligingsniveau"]
    level = schema["$defs"][afdeling["$ref"].split("/")[-1]]
    assert level["enum"] == [2, 3, 4]
    assert schema["additionalProperties"] is False


def test_snapshot_columns_constant_matches_the_model() -> None:
    """The read commands use the light constant; the contract model must agree with it."""
    from bedcap.contract.model import SnapshotRij
    from bedcap.contract.patterns import SNAPSHOT_COLUMNS

    assert tuple(SnapshotRij.model_fields) == SNAPSHOT_COLUMNS


def test_the_column_table_is_the_model_the_arrow_schema_and_the_cache() -> None:
    """One column table: the pydantic model, the written Arrow schema, the DuckDB cache and
    the type check all agree with it, column by column."""
    import typing

    import duckdb
    import pyarrow as pa

    from bedcap.contract.columns import KOLOMMEN, accepts
    from bedcap.contract.model import SnapshotRij
    from bedcap.files.snapshots import TYPE_NAMES, arrow_schema
    from bedcap.store.cache import in_memory

    fields = SnapshotRij.model_fields
    assert [k.naam for k in KOLOMMEN] == list(fields)
    for kolom in KOLOMMEN:
        annotation = fields[kolom.naam].annotation
        optional = type(None) in typing.get_args(annotation)
        assert optional == kolom.leeg_mag, kolom.naam
    schema = arrow_schema()
    assert schema.names == [k.naam for k in KOLOMMEN]
    assert schema.field("beveiligingsniveau").type == pa.int8()
    assert schema.field("ingediend_op").type == pa.timestamp("us", tz="UTC")
    assert [schema.field(k.naam).nullable for k in KOLOMMEN] == [k.leeg_mag for k in KOLOMMEN]
    assert TYPE_NAMES["toelichting"] == "string (mag leeg)"
    assert all(accepts(k, schema.field(k.naam).type) for k in KOLOMMEN)
    assert not accepts(KOLOMMEN[0], pa.string())  # peildatum as text is refused
    con = in_memory()
    try:
        described = con.execute("DESCRIBE snapshots").fetchall()
    finally:
        con.close()
    numbers = [("bestand_nr", "INTEGER"), ("afdeling_nr", "INTEGER")]  # the cache's own
    assert [(row[0], row[1]) for row in described] == [
        ("pad", "VARCHAR"),
        *((k.naam, k.duckdb) for k in KOLOMMEN),
        *numbers,
    ]
    assert duckdb.__version__  # the cache above is real DuckDB
