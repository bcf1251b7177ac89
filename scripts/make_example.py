"""Regenerate this project's example `data/` (fictitious, 2021Q2): `python scripts/make_example.py`.

2021Q2 holds Koningsdag (27 April), Hemelvaart (13 May) and Pinkstermaandag (24 May), so
the example shows that holidays are never required.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from bedcap.scaffold.demo import Opzet, generate

EXAMPLE = Opzet(
    tot=dt.date(2021, 6, 30),
    van=dt.date(2021, 4, 1),
    aanbieders=4,
    locaties=8,
    afdelingen=24,
    seed=42,
    stille_aanbieder=False,
)


def main() -> int:
    target = Path(__file__).resolve().parent.parent / "data"
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "repo", EXAMPLE, git=False)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(Path(tmp) / "repo" / "data", target)
    print(f"voorbeelddata geschreven naar {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
