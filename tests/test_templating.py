"""One Jinja environment: autoescape, StrictUndefined, data repository templates first."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError

from bedcap.files.repo import DataRepo
from bedcap.outputs.templating import environment

CHILD = (
    '{% extends "base.html.j2" %}{% block inhoud %}<p>{{ tekst }} {{ n|getal }}</p>{% endblock %}'
)
PAGINA = {"titel": "Kwartaal <2021Q2>", "gemaakt_op": "2021-07-01", "bron": "data/"}


def test_base_layout_escapes_and_is_self_contained() -> None:
    html = environment().from_string(CHILD).render(pagina=PAGINA, tekst="<script>", n=1700)
    assert "<h1>Kwartaal &lt;2021Q2&gt;</h1>" in html
    assert "<p>&lt;script&gt; 1.700</p>" in html
    assert '<html lang="nl">' in html and "@media print" in html
    assert "http://" not in html and "https://" not in html
    assert "geen plaatsingsinstrument" in html


def test_missing_context_fails_loudly() -> None:
    with pytest.raises(UndefinedError):
        environment().from_string(CHILD).render(pagina=PAGINA, n=1)


def test_data_repository_overrides_packaged_template(example: Path) -> None:
    folder = example / "reports/templates"
    folder.mkdir(parents=True)
    (folder / "base.css.j2").write_text("body { color: #000; } /* eigen huisstijl */")
    html = environment(DataRepo(example)).from_string(CHILD).render(pagina=PAGINA, tekst="x", n=1)
    assert "eigen huisstijl" in html
    assert "Naar de inhoud" in html  # base.html.j2 itself still comes from the package
