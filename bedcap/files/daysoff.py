"""Days off remembered in `.bedcap/feestdagen.json`, so a warm run never imports `holidays`.

Importing the package costs 0.08–0.14 s, more than a warm `available` may spend on the
whole question. The table is keyed by the working-day rule in force (`bedcap.toml`) and is
derived and disposable, like the other caches; every command seeds the calendar from this
one file before it asks its first working-day question.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from bedcap import calendar
from bedcap.files.derived import read_derived

CACHE_NAME = "feestdagen.json"


def seed(cache_dir: Path, tmp_dir: Path, jaren: Iterable[int]) -> None:
    """Seed the calendar's days off for `jaren` from the cache, computing (and remembering)
    only the years it lacks. A read-only checkout still answers, only slower."""
    wanted = set(jaren)
    path = cache_dir / CACHE_NAME
    regel = calendar.werkdagregeling().sleutel()
    try:
        cached = json.loads(read_derived(path))
        known = cached.get(regel, {}) if isinstance(cached, dict) else {}
        calendar.feestdagen_laden(known)
    except (OSError, ValueError, TypeError, AttributeError):
        known = {}
    missing = {jaar for jaar in wanted if str(jaar) not in known}
    if not missing:
        return
    known = {**known, **{str(j): days for j, days in calendar.feestdagen(sorted(missing)).items()}}
    from bedcap.errors import WriteError
    from bedcap.files.yamlio import atomic_write

    try:
        tmp_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps({regel: known}).encode("utf-8"), tmp_dir)
    except (OSError, WriteError):
        pass
