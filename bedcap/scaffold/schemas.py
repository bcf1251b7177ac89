"""`schemas/`: JSON Schemas generated from the models, committed, and checked for drift."""

from __future__ import annotations

import json
from pathlib import Path

from bedcap.contract.model import SCHEMA_MODELLEN, json_schema
from bedcap.files.repo import SCHEMAS
from bedcap.files.yamlio import atomic_write


def rendered() -> dict[str, bytes]:
    """File name -> the exact bytes `bedcap schema` writes."""
    return {
        f"{name}.schema.json": (
            json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
        ).encode()
        for name in SCHEMA_MODELLEN
    }


def write_schemas(root: Path) -> list[str]:
    """(Re)write `schemas/` under `root`; returns the files that changed."""
    changed = []
    for name, data in rendered().items():
        path = root / SCHEMAS / name
        if not path.is_file() or path.read_bytes() != data:
            atomic_write(path, data)
            changed.append(f"{SCHEMAS}/{name}")
    return changed


def drifted(root: Path) -> list[str]:
    """Schema files that are missing, stale or unknown: what `bedcap schema --check` reports."""
    expected = rendered()
    folder = root / SCHEMAS
    out = [
        f"{SCHEMAS}/{name}"
        for name, data in expected.items()
        if not (folder / name).is_file() or (folder / name).read_bytes() != data
    ]
    if folder.is_dir():
        out += [
            f"{SCHEMAS}/{p.name}"
            for p in sorted(folder.glob("*.schema.json"))
            if p.name not in expected
        ]
    return out
