"""Regenerate this project's example `data/` (fictitious, 2021Q2): `python scripts/make_example.py`.

The settings live in `bedcap/scaffold/example.py`, where the tests find them too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bedcap.scaffold.example import make_example


def main() -> int:
    target = Path(__file__).resolve().parent.parent / "data"
    make_example(target)
    print(f"voorbeelddata geschreven naar {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
