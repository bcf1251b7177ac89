"""This project's example `data/`: fictitious, 2021Q2 (`make example` regenerates it).

2021Q2 holds Koningsdag (27 April), Hemelvaart (13 May) and Pinkstermaandag (24 May), so
the example shows that holidays are never required. Its keys are derived from the seed
(scaffold/demokeys): the tests rebuild the private halves to read its confidential files;
only public keys are in `data/`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from bedcap.scaffold.demo import Opzet, generate

VOORBEELD = Opzet(
    tot=dt.date(2021, 6, 30),
    van=dt.date(2021, 4, 1),
    aanbieders=4,
    locaties=8,
    afdelingen=24,
    seed=42,
    stille_aanbieder=False,
)


def make_example(target: Path) -> None:
    """Replace the folder `target` (a project's `data/`) with freshly generated example data."""
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "repo", VOORBEELD, git=False)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(Path(tmp) / "repo" / "data", target)
