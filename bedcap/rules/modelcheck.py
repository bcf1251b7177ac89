"""Pydantic's ValidationError as Dutch findings: one per error, at the value's YAML line."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bedcap.contract.patterns import KWARTAAL_PATTERN, MAAND_PATTERN, SLUG_PATTERN
from bedcap.files.yamlio import Loaded, Loc
from bedcap.findings.catalogue import CATALOGUE, Finding, finding

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "tekst",
    "int_type": "een geheel getal",
    "int_parsing": "een geheel getal",
    "int_from_float": "een geheel getal",
    "float_type": "een getal",
    "float_parsing": "een getal",
    "bool_type": "ja/nee (true/false)",
    "bool_parsing": "ja/nee (true/false)",
    "date_type": "een datum JJJJ-MM-DD",
    "date_parsing": "een datum JJJJ-MM-DD",
    "date_from_datetime_parsing": "een datum JJJJ-MM-DD",
    "date_from_datetime_inexact": "een datum JJJJ-MM-DD",
    "datetime_type": "een tijdstip",
    "datetime_parsing": "een tijdstip",
    "list_type": "een lijst",
    "dict_type": "een mapping met sleutels",
    "model_type": "een mapping met sleutels",
    "model_attributes_type": "een mapping met sleutels",
}
_PATTERNS = {
    KWARTAAL_PATTERN: "een kwartaal als 2021Q2",
    MAAND_PATTERN: "een maand als 2021-06",
}
_BOUNDS = {
    "greater_than": "groter dan {gt}",
    "greater_than_equal": "{ge} of meer",
    "less_than": "kleiner dan {lt}",
    "less_than_equal": "hooguit {le}",
    "too_short": "minstens {min_length} element(en)",
    "too_long": "hooguit {max_length} elementen",
    "string_too_short": "minstens {min_length} teken(s)",
    "string_too_long": "hooguit {max_length} tekens",
}
_YAML_TYPES = {
    str: "tekst",
    int: "een geheel getal",
    float: "een getal",
    bool: "ja/nee",
    list: "een lijst",
    dict: "een mapping",
    dt.date: "een datum",
    dt.datetime: "een tijdstip",
    type(None): "leeg",
}


def shown(value: Any, limit: int = 60) -> str:
    """A found value as a message shows it: short, with its kind."""
    kind = _YAML_TYPES.get(type(value), type(value).__name__)
    if isinstance(value, dict | list):
        return kind
    text = repr(value.isoformat() if isinstance(value, dt.date) else value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{text} ({kind})"


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete classes inside Optional/list/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return [c for arg in typing.get_args(annotation) for c in _unwrap(arg)]
    return [annotation]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the field at `loc`, for listing its allowed fields."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        nested = [
            c for c in _unwrap(field.annotation) if isinstance(c, type) and issubclass(c, BaseModel)
        ]
        current = nested[0] if nested else None
    return current


def _describe(err: Any, model: type[BaseModel]) -> tuple[str, dict[str, Any]]:
    kind: str = err["type"]
    loc: Loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    value = err.get("input")
    last = str(loc[-1]) if loc else ""
    if kind in CATALOGUE:
        return kind, {"gevonden": shown(ctx.get("waarde", value))}
    if kind == "missing":
        return "veld-ontbreekt", {}
    if kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        allowed = ", ".join(holder.model_fields) if holder else "de velden uit het schema"
        return "onbekend-veld", {"verwacht": allowed}
    if kind in ("enum", "literal_error"):
        if last == "beveiligingsniveau":
            return "onbekend-beveiligingsniveau", {"gevonden": shown(value)}
        # pydantic lists the choices in English ("'a', 'b' or 'c'"); the others, as here, by comma
        expected = ", ".join(str(ctx.get("expected", "")).rsplit(" or ", 1))
        return "onbekende-waarde", {"gevonden": shown(value), "verwacht": expected}
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern == SLUG_PATTERN:
            return "ongeldige-id", {"gevonden": shown(value)}
        return "ongeldige-waarde", {
            "gevonden": shown(value),
            "verwacht": _PATTERNS.get(pattern, f"patroon {pattern}"),
        }
    if kind == "value_error" and last == "email":
        return "ongeldig-email", {"gevonden": shown(value)}
    if kind in _TYPE_NAMES:
        expected = _TYPE_NAMES[kind]
        if kind == "string_type" and isinstance(value, int | float):
            expected += f' (zet de waarde tussen aanhalingstekens: "{value}")'
        return "ongeldig-type", {"gevonden": shown(value), "verwacht": expected}
    if kind in _BOUNDS:
        return "ongeldige-waarde", {
            "gevonden": shown(value),
            "verwacht": _BOUNDS[kind].format(**ctx),
        }
    return "ongeldige-waarde", {"gevonden": shown(value), "verwacht": str(err.get("msg", ""))}


def model_problems(exc: ValidationError, loaded: Loaded, model: type[BaseModel]) -> list[Finding]:
    """Every error of `exc` as a finding with field path (`afdelingen.0.capaciteit`) and line."""
    found = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        code, values = _describe(err, model)
        found.append(
            finding(
                code,
                loaded.bestand,
                regel=loaded.line_of(loc),
                veld=".".join(str(p) for p in loc) or None,
                **values,
            )
        )
    return found


def load_model(loaded: Loaded, model: type[M]) -> tuple[M | None, list[Finding]]:
    """The model for a loaded YAML file, or None and the findings that say why not."""
    if loaded.data is None:
        return None, list(loaded.problems)
    try:
        return model.model_validate(loaded.data), list(loaded.problems)
    except ValidationError as exc:
        return None, list(loaded.problems) + model_problems(exc, loaded, model)
