"""The report's charts: matplotlib SVG inline, deterministic so reports can be compared.

Every chart has a title, labelled axes with Dutch dates and numbers, and its legend
outside the plotting area, so no legend covers a line. Text stays text in the SVG
(`svg.fonttype = none`): searchable, selectable and read by screen readers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bedcap.outputs import dutch
from bedcap.outputs.report import Rapport

TITELS = {
    "vrij_per_werkdag": "Vrije en gereserveerde bedden per werkdag, landelijk",
    "capaciteit_per_niveau": "Capaciteit en vrije bedden per beveiligingsniveau "
    "(gemiddeld per werkdag)",
}


def figures(rapport: Rapport) -> dict[str, Any]:
    """The matplotlib figures by name (callers close them); none for an empty table."""
    from bedcap.distribution import require

    matplotlib = require("matplotlib", waarvoor="de grafieken van het rapport")
    matplotlib.use("svg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    plt.rcParams.update({"svg.hashsalt": "bedcap", "svg.fonttype": "none", "font.size": 9})
    getal = FuncFormatter(lambda v, _pos: dutch.getal(int(v)) if float(v).is_integer() else "")
    out: dict[str, Any] = {}
    days = rapport.tabel("per_werkdag").rijen
    if days:
        fig, ax = plt.subplots(figsize=(7.5, 3.0), layout="constrained")
        xs: list[Any] = [dt.date.fromisoformat(r["periode"]) for r in days]
        ax.plot(xs, [r["beschikbaar_gem"] for r in days], color="#1d6b2f", label="Vrij")
        ax.plot(xs, [r["gereserveerd_gem"] for r in days], color="#8a5a00", label="Gereserveerd")
        ax.set_title(TITELS["vrij_per_werkdag"], loc="left")
        ax.set_ylabel("Bedden")
        ax.set_xlabel("Werkdag")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(getal)
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _pos: dutch.kort(mdates.num2date(v).date()))
        )
        ax.grid(axis="y", color="#dddddd")
        fig.legend(loc="outside right upper", frameon=False)
        out["vrij_per_werkdag"] = fig
    # A suppressed level (`beleid`) has no figures: only the levels shown and their sum.
    levels = [
        r for r in rapport.tabel("capaciteit_niveau").rijen if r["capaciteit_gem"] is not None
    ]
    if levels:
        fig, ax = plt.subplots(figsize=(7.5, 2.4), layout="constrained")
        names = [
            "Onderdrukt (samen)" if r.get("onderdrukt") else f"Niveau {r['groep']}" for r in levels
        ]
        ax.barh(names, [r["capaciteit_gem"] for r in levels], color="#c8d6e5", label="Capaciteit")
        ax.barh(names, [r["beschikbaar_gem"] for r in levels], color="#1d6b2f", label="Vrij")
        ax.set_title(TITELS["capaciteit_per_niveau"], loc="left")
        ax.set_xlabel("Bedden (gemiddeld per werkdag)")
        ax.set_ylabel("Beveiligingsniveau")
        ax.xaxis.set_major_formatter(getal)
        # Beside the bars, low: the title, wider than this short chart's axes, runs above.
        fig.legend(loc="outside right lower", frameon=False)
        out["capaciteit_per_niveau"] = fig
    return out


def charts(rapport: Rapport) -> dict[str, str]:
    """Inline SVG charts by name: free beds per working day, capacity per level."""
    figs = figures(rapport)  # first: it says in Dutch when the `rapport` extra is missing
    import matplotlib.pyplot as plt

    out = {}
    for name, fig in figs.items():
        out[name] = _svg(fig, name.split("_")[0])
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
