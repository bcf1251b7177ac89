"""A provider's daily counts: from an export (CSV/YAML) or the previous day to snapshot rows.

Everything here is checked before anything is written; the git side is in `gitops.py`
and the order of both is in `submit()` at the bottom.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bedcap import calendar
from bedcap.files.repo import Bestandsoort, DataRepo, Pad
from bedcap.files.snapshots import COLUMNS
from bedcap.files.yamlio import parse_yaml
from bedcap.findings.catalogue import Ernst, Problem, Result, problem
from bedcap.rules.snapshots import SnapshotContext, Ward, row_rules, static_rules
from bedcap.rules.validate import load_provider, snapshot_context

MAX_INPUT_BYTES = 5_000_000
REQUIRED = ("locatie", "afdeling", "zorgtype", "bezet", "beschikbaar", "gereserveerd")
OPTIONAL = ("buiten_gebruik", "capaciteit", "toelichting")
INPUT_COLUMNS = REQUIRED + OPTIONAL
INT_COLUMNS = ("bezet", "beschikbaar", "gereserveerd", "buiten_gebruik", "capaciteit")


@dataclass(frozen=True)
class InvoerRij:
    """One row as typed by the provider, with the row (CSV) or line (YAML) it came from."""

    rij: int | None
    regel: int | None
    waarden: dict[str, Any]


@dataclass
class Invoer:
    bestand: str
    rijen: list[InvoerRij] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _decode(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252 as Dutch Excel writes 'CSV'."""
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return None
    return text


def _int(value: Any, name: str, inv: Invoer, rij: int | None, regel: int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        inv.problems.append(
            problem("ongeldig-getal", inv.bestand, rij=rij, regel=regel, veld=name, gevonden=text)
        )
        return None


def _row(inv: Invoer, values: dict[str, Any], rij: int | None, regel: int | None) -> None:
    out: dict[str, Any] = {}
    for name in INPUT_COLUMNS:
        value = values.get(name)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if blank and name in REQUIRED:
            inv.problems.append(
                problem("veld-ontbreekt", inv.bestand, rij=rij, regel=regel, veld=name)
            )
        if name in INT_COLUMNS:
            out[name] = None if blank else _int(value, name, inv, rij, regel)
        else:
            out[name] = None if blank else str(value).strip()
    inv.rijen.append(InvoerRij(rij, regel, out))


def _columns_ok(inv: Invoer, header: list[str], regel: int | None = None) -> bool:
    known = ", ".join(INPUT_COLUMNS)
    for name in header:
        if name and name not in INPUT_COLUMNS:
            inv.problems.append(
                problem(
                    "onbekende-kolom",
                    inv.bestand,
                    rij=1 if regel is None else None,
                    regel=regel,
                    veld=name,
                    gevonden=name,
                    verwacht=known,
                )
            )
    missing = [c for c in REQUIRED if c not in header]
    for name in missing:
        inv.problems.append(
            problem(
                "kolom-ontbreekt",
                inv.bestand,
                rij=1 if regel is None else None,
                regel=regel,
                veld=name,
                verwacht="een kolom",
            )
        )
    return not missing


def _read_csv(inv: Invoer, text: str) -> None:
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        inv.problems.append(problem("invoer-onleesbaar", inv.bestand, reden=f"CSV-fout: {exc}"))
        return
    header = [h.strip().lower().lstrip("\ufeff") for h in rows[0]]
    if not _columns_ok(inv, header):
        return
    for number, cells in enumerate(rows[1:], start=2):  # row numbers as Excel shows them
        if not any(c.strip() for c in cells):
            continue
        _row(inv, dict(zip(header, cells, strict=False)), number, None)


def _read_yaml(inv: Invoer, text: str) -> None:
    loaded = parse_yaml(text, inv.bestand)
    inv.problems += loaded.problems
    if loaded.data is None:
        return
    rijen = loaded.data.get("rijen")
    if set(loaded.data) != {"rijen"} or not isinstance(rijen, list):
        inv.problems.append(
            problem(
                "ongeldig-type",
                inv.bestand,
                regel=1,
                veld="rijen",
                gevonden=", ".join(map(str, loaded.data)) or "-",
                verwacht="een mapping met alleen 'rijen: [...]'",
            )
        )
        return
    for i, item in enumerate(rijen):
        line = loaded.line_of(("rijen", i))
        if not isinstance(item, dict):
            inv.problems.append(
                problem(
                    "ongeldig-type",
                    inv.bestand,
                    regel=line,
                    veld=f"rijen.{i}",
                    gevonden=type(item).__name__,
                    verwacht="een mapping per rij",
                )
            )
            continue
        if _columns_ok(inv, [str(k) for k in item] + [c for c in REQUIRED if c in item], line):
            _row(inv, item, None, line)


def read_input(path: Path) -> Invoer:
    """Parse a submission file; every problem is a finding, nothing is raised."""
    inv = Invoer(path.name)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            inv.problems.append(
                problem("invoer-te-groot", inv.bestand, gevonden=size, verwacht=MAX_INPUT_BYTES)
            )
            return inv
        raw = path.read_bytes()
    except OSError as exc:
        inv.problems.append(
            problem("invoer-onleesbaar", inv.bestand, reden=exc.strerror or type(exc).__name__)
        )
        return inv
    text = _decode(raw)
    if text is None:
        inv.problems.append(
            problem("invoer-onleesbaar", inv.bestand, reden="binaire inhoud, geen tekst")
        )
        return inv
    if not text.strip():
        inv.problems.append(problem("invoer-leeg", inv.bestand))
        return inv
    if path.suffix.lower() in (".yaml", ".yml"):
        _read_yaml(inv, text)
    else:
        _read_csv(inv, text)
    if not inv.rijen and not inv.problems:
        inv.problems.append(problem("invoer-leeg", inv.bestand))
    return inv


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
                problem(
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
                    problem(
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
                problem(
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
                problem(
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
        inv.problems.append(problem("geen-vorig-snapshot", inv.bestand, gevonden=peildatum))
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
            problem(
                "statisch-gewijzigd",
                inv.bestand,
                gevonden=f"afdelingen gewijzigd sinds {vorige}: {', '.join(sorted(set(changed)))}",
            )
        )
        return inv
    for number, r in enumerate(previous, start=1):
        inv.rijen.append(InvoerRij(number, None, {name: r.get(name) for name in INPUT_COLUMNS}))
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
    now: dt.datetime | None = None,
) -> Plan:
    """Check a submission completely; the plan is writable only when `result.geldig`."""
    now = now or calendar.nu()
    today = calendar.vandaag()
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
            problem("buiten-correctievenster", inv.bestand, gevonden=peildatum, verwacht=window)
        )
    if exists_at_head and not correctie:
        inv.problems.append(problem("peildatum-bestaat", inv.bestand, gevonden=peildatum))
    if not calendar.is_werkdag(peildatum):
        naam = calendar.feestdag_naam(peildatum)
        inv.problems.append(
            problem(
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


@dataclass(frozen=True)
class Submitted:
    """What landed: the local commit and, unless --no-push, where it was pushed."""

    commit: str
    pushed: Any = None


def commit_message(p: Plan) -> str:
    lines = [f"Snapshot {p.peildatum} {p.aanbieder}"]
    if p.correctie:
        lines.append(f"\nCorrectie: {p.correctie}")
    lines += ["", f"Bedcap-Aanbieder: {p.aanbieder}", f"Bedcap-Peildatum: {p.peildatum}"]
    if p.correctie:
        lines.append(f"Bedcap-Correctie: {p.correctie.replace(chr(10), ' ')}")
    return "\n".join(lines) + "\n"


def submit(
    repo: DataRepo,
    aanbieder: str,
    peildatum: dt.date,
    invoer: Path | Invoer | None,
    *,
    ongewijzigd: bool = False,
    correctie: str | None = None,
    push: bool = True,
    sign: bool | None = None,
    confirm: Any = None,
) -> tuple[Plan, Submitted | None]:
    """Check, then write one snapshot and commit exactly that path, then push.

    Nothing is written when the plan has errors or `confirm(plan)` says no; a failing
    commit restores the file and the index.
    """
    from bedcap.errors import BedcapError
    from bedcap.files import gitops
    from bedcap.files.snapshots import write_snapshot

    git_repo = gitops.open_repo(repo.root)
    rel = repo.snapshot_path(aanbieder, peildatum)
    staged = gitops.staged_paths(git_repo)
    if staged == [rel]:
        # Only this day's snapshot is staged: a submit of the same day killed between
        # staging and moving HEAD. This submit writes that path anyway; start from HEAD.
        gitops.unstage(git_repo, rel)
        staged = []
    if staged:
        raise BedcapError(
            "er staan al wijzigingen klaar in de git-index ("
            f"{', '.join(staged[:3])}); commit of unstage die eerst"
        )
    dirty = gitops.dirty_paths(git_repo, f"data/locaties/{aanbieder}")
    if dirty:
        raise BedcapError(
            f"niet-gecommitte wijzigingen in je locatiegegevens ({dirty[0]}); "
            "commit die eerst, zodat het snapshot bij de gedeelde data past"
        )
    tracked = gitops.exists_at_head(git_repo, rel)
    p = plan(
        repo,
        aanbieder,
        peildatum,
        invoer,
        ongewijzigd=ongewijzigd,
        correctie=correctie,
        exists_at_head=tracked,
    )
    if not p.result.geldig or (confirm is not None and not confirm(p)):
        return p, None
    has_key = gitops.config_value(git_repo, "user.signingkey") is not None
    if sign is None:
        sign = has_key
    elif sign and not has_key:
        raise BedcapError(
            "--sign gevraagd, maar git kent geen user.signingkey; zie "
            "'git config user.signingkey' en gpg.format=ssh"
        )
    write_snapshot(repo.path(rel), p.rows, repo.tmp_dir)
    try:
        sha = gitops.commit_path(git_repo, rel, commit_message(p), sign=sign)
    except BaseException:
        gitops.restore_path(git_repo, rel, tracked=tracked)
        raise
    pushed = gitops.push_with_retry(git_repo) if push else None
    return p, Submitted(sha, pushed)


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
