"""A submission checked completely before anything is written: rows, findings, what it replaces.

`plan()` turns the input (or the previous day, for `--ongewijzigd`) into snapshot rows
and applies the snapshot rules of `validate`, the plausibility checks against the
previous day and the date rules (correction window, working day). Today's date and the
submission time are parameters: only the CLI reads the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bedcap import calendar
from bedcap.files.repo import Bestandsoort, DataRepo, Pad
from bedcap.files.snapshots import COLUMNS
from bedcap.findings.catalogue import Ernst, Result, finding
from bedcap.rules.snapshots import SnapshotContext, Ward, row_rules, static_rules
from bedcap.rules.validate import load_provider, snapshot_context
from bedcap.submission.invoer import INPUT_COLUMNS, Invoer, InvoerRij, read_input


@dataclass
class Plan:
    """A checked submission, ready to write: rows, findings, and what it replaces."""

    aanbieder: str
    peildatum: dt.date
    pad: str
    rows: list[dict[str, Any]]
    result: Result
    correctie: str | None = None
    vorige: dt.date | None = None


def _snapshot_rows(
    inv: Invoer,
    wards: dict[tuple[str, str], Ward],
    aanbieder: str,
    peildatum: dt.date,
    now: dt.datetime,
) -> tuple[list[dict[str, Any]], list[int]]:
    """Input rows plus the static columns; returns the rows and, per row, its input row."""
    rows, origin = [], []
    known = ", ".join(f"{loc}/{afd}" for loc, afd in sorted(wards)) or "-"
    for index, item in enumerate(inv.rijen):
        v = item.waarden
        ward = wards.get((v["locatie"], v["afdeling"]))
        if ward is None:
            inv.problems.append(
                finding(
                    "onbekende-afdeling",
                    inv.bestand,
                    rij=item.rij,
                    regel=item.regel,
                    veld="afdeling",
                    gevonden=f"{v['locatie']}/{v['afdeling']}",
                    verwacht=known,
                )
            )
            continue
        capaciteit = v["capaciteit"]
        if capaciteit is None:
            if len(ward.zorgtypen) > 1:
                inv.problems.append(
                    finding(
                        "capaciteit-ontbreekt",
                        inv.bestand,
                        rij=item.rij,
                        regel=item.regel,
                        veld="capaciteit",
                        gevonden=f"{ward.locatie}/{ward.afdeling}",
                        verwacht=", ".join(ward.zorgtypen),
                    )
                )
                continue
            capaciteit = ward.capaciteit
        counts = {name: v[name] for name in ("bezet", "beschikbaar", "gereserveerd")}
        if None in counts.values():
            continue
        rows.append(
            {
                "peildatum": peildatum,
                "aanbieder": aanbieder,
                "locatie": ward.locatie,
                "afdeling": ward.afdeling,
                "zorgtype": v["zorgtype"],
                "regio": ward.regio,
                "specialisme": ward.specialisme,
                "voorziening": ward.voorziening,
                "beveiligingsniveau": ward.niveau,
                "capaciteit": capaciteit,
                **counts,
                "buiten_gebruik": v["buiten_gebruik"] or 0,
                "toelichting": v["toelichting"],
                "ingediend_op": now.astimezone(dt.UTC).replace(microsecond=0),
            }
        )
        origin.append(index)
    return rows, origin


def _plausibility(
    inv: Invoer,
    rows: list[dict[str, Any]],
    origin: list[int],
    previous: list[dict[str, Any]],
    vorige: dt.date,
    pct: float,
) -> None:
    before = {(r["locatie"], r["afdeling"], r["zorgtype"]): r for r in previous}
    for row, index in zip(rows, origin, strict=True):
        item = inv.rijen[index]
        old = before.get((row["locatie"], row["afdeling"], row["zorgtype"]))
        if old is None:
            continue
        if (
            old["capaciteit"]
            and abs(row["capaciteit"] - old["capaciteit"]) * 100 > pct * old["capaciteit"]
        ):
            inv.problems.append(
                finding(
                    "capaciteit-sterk-veranderd",
                    inv.bestand,
                    rij=item.rij,
                    regel=item.regel,
                    veld="capaciteit",
                    gevonden=row["capaciteit"],
                    verwacht=old["capaciteit"],
                    datum=vorige,
                    pct=100 * (row["capaciteit"] - old["capaciteit"]) / old["capaciteit"],
                )
            )
        if (
            old["beschikbaar"] == 0
            and old["bezet"] > 0
            and row["bezet"] == 0
            and row["beschikbaar"] > 0
        ):
            inv.problems.append(
                finding(
                    "van-vol-naar-leeg",
                    inv.bestand,
                    rij=item.rij,
                    regel=item.regel,
                    veld="bezet",
                    datum=vorige,
                    gevonden=row["beschikbaar"],
                )
            )


def _domain_rules(
    inv: Invoer,
    rows: list[dict[str, Any]],
    origin: list[int],
    ctx: SnapshotContext,
    aanbieder: str,
    peildatum: dt.date,
) -> None:
    """The snapshot rules of `validate`, reported at the input's rows and lines."""
    pad = Pad(inv.bestand, Bestandsoort.SNAPSHOT, aanbieder=aanbieder, peildatum=peildatum)
    cols = {name: [row[name] for row in rows] for name in COLUMNS}
    found = [p for i in range(len(rows)) for p in row_rules(inv.bestand, pad, cols, i)]
    found += list(static_rules(inv.bestand, pad, cols, ctx, Ernst.FOUT))
    for p in found:
        if p.rij is not None:
            item = inv.rijen[origin[p.rij - 1]]
            p = replace(p, rij=item.rij, regel=item.regel)
        inv.problems.append(p)


def previous_snapshot(
    repo: DataRepo, aanbieder: str, before: dt.date
) -> tuple[dt.date | None, list[dict[str, Any]]]:
    """The newest snapshot strictly before `before`, found from the paths (no history scan)."""
    from bedcap.files.snapshots import read_snapshot

    days = [d for d in repo.snapshot_dates(aanbieder) if d < before]
    if not days:
        return None, []
    try:
        table = read_snapshot(repo.path(repo.snapshot_path(aanbieder, days[-1])))
    except Exception:  # noqa: BLE001 - an unreadable file is validate's to report
        return days[-1], []
    return days[-1], table.to_pylist()


def unchanged_input(
    ctx: SnapshotContext,
    aanbieder: str,
    peildatum: dt.date,
    vorige: dt.date | None,
    previous: list[dict[str, Any]],
) -> Invoer:
    """`--ongewijzigd`: the previous snapshot's counts as input, if the wards are the same."""
    inv = Invoer(f"--ongewijzigd ({vorige})" if vorige else "--ongewijzigd")
    if vorige is None or not previous:
        inv.problems.append(finding("geen-vorig-snapshot", inv.bestand, gevonden=peildatum))
        return inv
    wards = ctx.wards.get(aanbieder, {})
    now_keys = {
        (w.locatie, w.afdeling, z)
        for w in wards.values()
        if w.is_active(peildatum)
        for z in w.zorgtypen
    }
    then_keys = {(r["locatie"], r["afdeling"], r["zorgtype"]) for r in previous}
    changed = [f"{k[0]}/{k[1]}" for k in sorted(now_keys ^ then_keys)]
    for r in previous:
        ward = wards.get((r["locatie"], r["afdeling"]))
        if ward is not None and (ward.regio, ward.specialisme, ward.voorziening, ward.niveau) != (
            r["regio"],
            r["specialisme"],
            r["voorziening"],
            r["beveiligingsniveau"],
        ):
            changed.append(f"{r['locatie']}/{r['afdeling']}")
    if changed:
        inv.problems.append(
            finding(
                "statisch-gewijzigd",
                inv.bestand,
                gevonden=f"afdelingen gewijzigd sinds {vorige}: {', '.join(sorted(set(changed)))}",
            )
        )
        return inv
    for number, r in enumerate(previous, start=1):
        inv.rijen.append(InvoerRij(number, None, {name: r.get(name) for name in INPUT_COLUMNS}))
    last_working = calendar.vorige_werkdag(peildatum)
    if vorige < last_working:  # carried counts older than the day before: say which day
        inv.problems.append(
            finding("ongewijzigd-oud", inv.bestand, gevonden=vorige, verwacht=last_working)
        )
    return inv


def plan(
    repo: DataRepo,
    aanbieder: str,
    peildatum: dt.date,
    invoer: Path | Invoer | None,
    *,
    ongewijzigd: bool = False,
    correctie: str | None = None,
    exists_at_head: bool = False,
    today: dt.date,
    now: dt.datetime,
) -> Plan:
    """Check a submission completely; the plan is writable only when `result.geldig`."""
    statics, static_problems = load_provider(repo, aanbieder)
    rel = repo.snapshot_path(aanbieder, peildatum)
    result = Result(bestanden=1)
    result.extend(p for p in static_problems if p.ernst is Ernst.FOUT)
    ctx = snapshot_context(statics, today)
    vorige, previous = previous_snapshot(repo, aanbieder, peildatum)
    if ongewijzigd:
        inv = unchanged_input(ctx, aanbieder, peildatum, vorige, previous)
    elif isinstance(invoer, Invoer):
        inv = invoer
    else:
        assert invoer is not None
        inv = read_input(invoer)
    rows, origin = _snapshot_rows(inv, ctx.wards.get(aanbieder, {}), aanbieder, peildatum, now)
    if not any(p.ernst is Ernst.FOUT for p in inv.problems):
        _domain_rules(inv, rows, origin, ctx, aanbieder, peildatum)
    if previous and not ongewijzigd:
        _plausibility(
            inv,
            rows,
            origin,
            previous,
            vorige or peildatum,
            statics.settings.plausibiliteit_capaciteit_pct,
        )
    window = ctx.correctable_from
    if peildatum < window:
        inv.problems.append(
            finding("buiten-correctievenster", inv.bestand, gevonden=peildatum, verwacht=window)
        )
    if exists_at_head and not correctie:
        inv.problems.append(finding("peildatum-bestaat", inv.bestand, gevonden=peildatum))
    if not calendar.is_werkdag(peildatum):
        naam = calendar.feestdag_naam(peildatum)
        inv.problems.append(
            finding(
                "niet-op-werkdag",
                inv.bestand,
                gevonden=peildatum,
                reden=f" ({naam})" if naam else " (weekend)",
            )
        )
    result.extend(inv.problems)
    return Plan(
        aanbieder, peildatum, rel, rows, result, correctie if exists_at_head else None, vorige
    )


def active_rows(repo: DataRepo, aanbieder: str, peildatum: dt.date) -> list[dict[str, Any]]:
    """Every (ward, care type) to report on `peildatum`, with the previous counts as defaults."""
    statics, _ = load_provider(repo, aanbieder)
    wards = snapshot_context(statics, peildatum).wards.get(aanbieder, {})
    _, previous = previous_snapshot(repo, aanbieder, peildatum)
    before = {(r["locatie"], r["afdeling"], r["zorgtype"]): r for r in previous}
    out = []
    for (loc, afd), ward in sorted(wards.items()):
        if not ward.is_active(peildatum):
            continue
        for zorgtype in ward.zorgtypen:
            old = before.get((loc, afd, zorgtype), {})
            cap = old.get("capaciteit", ward.capaciteit if len(ward.zorgtypen) == 1 else None)
            counts = {
                k: old.get(k, 0) for k in ("bezet", "beschikbaar", "gereserveerd", "buiten_gebruik")
            }
            out.append(
                {
                    "locatie": loc,
                    "afdeling": afd,
                    "zorgtype": zorgtype,
                    "capaciteit": cap,
                    **counts,
                    "toelichting": old.get("toelichting"),
                }
            )
    return out
