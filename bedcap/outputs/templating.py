"""The one Jinja environment: autoescaped, strict, data repository templates first."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bedcap import calendar
from bedcap.contract.vocab import Rapportformaat
from bedcap.files.repo import DataRepo
from bedcap.outputs import dutch, labels
from bedcap.outputs.cells import cell

TEMPLATES = "reports/templates"


def packaged_templates() -> Path:
    return Path(str(files("bedcap.templates")))


def _heel(value: object) -> object:
    """Every printed text keeps a quarter whole ("Q3 2026" never ends a line at "Q3");
    markup already made safe (the charts' SVG) is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return calendar.kwartalen_heel(value)
    return value


def environment(repo: DataRepo | None = None) -> Environment:
    """`repo/reports/templates` overrides the packaged templates one file at a time."""
    folders = [packaged_templates()]
    if repo is not None and (repo.root / TEMPLATES).is_dir():
        folders.insert(0, repo.root / TEMPLATES)
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders]),
        autoescape=select_autoescape(["html", "html.j2", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_heel,
    )
    env.filters["getal"] = dutch.getal
    env.filters["procent"] = dutch.procent
    env.filters["datum"] = dutch.datum
    env.filters["cel"] = lambda value: cell(value, Rapportformaat.HTML)  # report table cells
    env.filters["rechtskader"] = lambda v: labels.WAARDEN["rechtskader"].get(v, v)
    env.globals["toon"] = labels.toon  # a report cell as people read it (names, Dutch numbers)
    env.globals["koppen"] = labels.koppen  # grouped two-row headers
    env.globals["kop"] = labels.kop  # one column's full label
    env.globals["is_getal"] = labels.is_getal
    env.globals["getalkolommen"] = labels.getalkolommen
    return env
