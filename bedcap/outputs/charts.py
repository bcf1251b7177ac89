"""The report's charts: matplotlib SVG inline, deterministic so reports can be compared."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bedcap.outputs.report import Rapport


def charts(rapport: Rapport) -> dict[str, str]:
    """Inline SVG charts by name: free beds per working day, capacity per level."""
    from bedcap.distribution import require

    matplotlib = require("matplotlib", waarvoor="de grafieken van het rapport")
    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "bedcap"
    plt.rcParams["font.size"] = 9
    out: dict[str, str] = {}
    days = rapport.tabel("per_werkdag").rijen
    if days:
        fig, ax = plt.subplots(figsize=(7.5, 2.6))
        xs: list[Any] = [dt.date.fromisoformat(r["periode"]) for r in days]
        ax.plot(xs, [r["beschikbaar_gem"] for r in days], color="#1d6b2f", label="vrij")
        ax.plot(xs, [r["gereserveerd_gem"] for r in days], color="#8a5a00", label="gereserveerd")
        ax.set_ylabel("bedden")
        ax.legend(loc="upper right", frameon=False)
        ax.grid(axis="y", color="#dddddd")
        fig.autofmt_xdate()
        fig.tight_layout()
        out["vrij_per_werkdag"] = _svg(fig, "vrij")
        plt.close(fig)
    levels = rapport.tabel("capaciteit_niveau").rijen
    if levels:
        fig, ax = plt.subplots(figsize=(7.5, 2.2))
        names = [f"niveau {r['groep']}" for r in levels]
        ax.barh(names, [r["capaciteit_gem"] for r in levels], color="#c8d6e5", label="capaciteit")
        ax.barh(names, [r["beschikbaar_gem"] for r in levels], color="#1d6b2f", label="vrij")
        ax.legend(loc="lower right", frameon=False)
        ax.set_xlabel("bedden (gemiddeld per werkdag)")
        fig.tight_layout()
        out["capaciteit_per_niveau"] = _svg(fig, "niveau")
        plt.close(fig)
    return out


def _svg(fig: Any, prefix: str) -> str:
    """The figure as inline SVG, its ids prefixed: two charts in one page share none."""
    import io

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # The RDF metadata block names vocabularies by URL; a self-contained page needs none.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\bid="', f'id="{prefix}-', text)
    text = re.sub(r'(xlink:href|href)="#', rf'\1="#{prefix}-', text)
    return re.sub(r"url\(#", f"url(#{prefix}-", text)
