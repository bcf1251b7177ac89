"""A bron narrowed to a period (`store.window.narrow`) answers every report question as
the whole cache does, carried-forward files from before the period included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bedcap.files.repo import DataRepo
from bedcap.store import sources
from bedcap.store.query import (
    Bron,
    Naar,
    Per,
    dagen_zonder_vrij_bed,
    geschiedenis,
    ligdagen,
    locaties_per_groep,
)
from bedcap.store.window import narrow

TODAY = dt.date(2021, 7, 1)
PROVIDER = "voorbeeldzorg-westerduin"


def _questions(bron: Bron, van: dt.date, tot: dt.date) -> list:
    return [
        *(geschiedenis(bron, van, tot, Per.DAG, naar) for naar in Naar),
        geschiedenis(bron, van, tot, Per.WEEK, Naar.LANDELIJK),
        dagen_zonder_vrij_bed(bron, van, tot),
        ligdagen(bron, van, tot),
        locaties_per_groep(bron, van, tot, ("regio", "beveiligingsniveau")),
    ]


def test_a_narrowed_bron_answers_as_the_whole_cache(example: Path) -> None:
    # One provider silent from June 10: its June 9 file carries forward into the period.
    for day in (example / "data/snapshots" / PROVIDER / "2021").glob("2021-06-*.parquet"):
        if day.name >= "2021-06-10":
            day.unlink()
    van, tot = dt.date(2021, 6, 14), dt.date(2021, 6, 30)
    with sources.cached(DataRepo(example), vandaag=TODAY, geen_cache=False) as bron:
        whole = _questions(bron, van, tot)
        small = narrow(bron, van, tot)
        assert _questions(small, van, tot) == whole
        rows = bron.con.execute(f"SELECT count(*) FROM {small.snapshots}").fetchone()
        everything = bron.con.execute(f"SELECT count(*) FROM {bron.snapshots}").fetchone()
        assert rows and everything and 0 < rows[0] < everything[0] / 3
        carried = bron.con.execute(
            f"SELECT max(peildatum) FROM {small.bestanden} WHERE aanbieder = ?", [PROVIDER]
        ).fetchone()
    assert carried == (dt.date(2021, 6, 9),)
    assert any(r["aanbieder"] == PROVIDER for r in whole[-2])  # counted through the carry
