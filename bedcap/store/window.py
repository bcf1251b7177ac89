"""A bron narrowed to the files a period's questions can choose, for reports.

Every query of `store.query` picks, per provider and day, the newest file on or before
that day (`_keuze`) and joins its rows (by number in the cache, else by path). On the
whole cache (ten national years, about a million rows) each such query scans every row
again: the quarterly report asks about ten of them, about 0.1 s each. For days from
`van` to `tot` only the files dated in that range and each provider's newest file before
`van` can be chosen, so copying those into two temporary tables once gives every later
question the same answer from a few percent of the rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from bedcap.store.query import Bron

BESTANDEN, SNAPSHOTS = "bestanden_venster", "snapshots_venster"


def narrow(bron: Bron, van: dt.date, tot: dt.date) -> Bron:
    """The same bron for questions about days from `van` to `tot` only.

    Rows dated in the range stay too, whatever their file (`ingediend_op` by `peildatum`).
    """
    con = bron.con
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {BESTANDEN} AS
        SELECT * FROM {bron.bestanden} WHERE peildatum BETWEEN $van AND $tot
        UNION ALL
        SELECT b.* FROM {bron.bestanden} b
        JOIN (SELECT aanbieder, max(peildatum) AS peildatum FROM {bron.bestanden}
              WHERE peildatum < $van GROUP BY aanbieder) m
          ON b.aanbieder = m.aanbieder AND b.peildatum = m.peildatum
        """,
        {"van": van, "tot": tot},
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {SNAPSHOTS} AS
        SELECT * FROM {bron.snapshots}
        WHERE pad IN (SELECT pad FROM {BESTANDEN}) OR peildatum BETWEEN $van AND $tot
        """,
        {"van": van, "tot": tot},
    )
    return dataclasses.replace(bron, bestanden=BESTANDEN, snapshots=SNAPSHOTS)
