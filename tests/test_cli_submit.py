"""`bedcap submit` with real git: a bare remote in tmp_path and a provider's clone."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import PROVIDER, git, invoke

LAST = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"
NEW = f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
HEADER = "locatie,afdeling,zorgtype,bezet,beschikbaar,gereserveerd,buiten_gebruik,toelichting"


def previous_rows(work: Path) -> list[dict]:
    return pq.read_table(work / LAST).to_pylist()


def csv_text(rows: list[dict], sep: str = ",", header: str = HEADER) -> str:
    lines = [header.replace(",", sep)]
    for r in rows:
        cells = [
            r["locatie"],
            r["afdeling"],
            r["zorgtype"],
            r["bezet"],
            r["beschikbaar"],
            r["gereserveerd"],
            r["buiten_gebruik"],
            r.get("toelichting") or "",
        ]
        lines.append(sep.join(str(c) for c in cells))
    return "\n".join(lines) + "\n"


def state(work: Path, remote: Path) -> tuple[str, str, str, str]:
    """Work tree, index, local and remote branch: what a failed submit must not change."""
    return (
        git(work, "status", "--porcelain", "--untracked-files=all"),
        git(work, "diff", "--cached"),
        git(work, "rev-parse", "HEAD"),
        git(remote, "rev-parse", "main"),
    )


def test_csv_lands_as_one_commit_touching_one_path(provider, runner, tmp_path) -> None:  # noqa: ANN001
    work, remote = provider
    rows = previous_rows(work)
    rows[0].update(bezet=rows[0]["bezet"] - 1, beschikbaar=rows[0]["beschikbaar"] + 1)
    (tmp_path / "vandaag.csv").write_text(csv_text(rows))
    result = invoke(runner, "submit", str(tmp_path / "vandaag.csv"), cwd=work)
    assert result.exit_code == 0, result.output
    assert f"Ingediend: {NEW} (4 rijen" in result.stdout
    assert "gepusht naar origin/main (1 poging)" in result.stdout
    assert git(remote, "rev-parse", "main") == git(work, "rev-parse", "HEAD")
    changed = git(remote, "show", "--name-only", "--format=%ae|%s", "main").split()
    assert changed == [f"beheer@{PROVIDER}.example|Snapshot", "2021-07-01", PROVIDER, NEW]
    body = git(remote, "log", "-1", "--format=%B", "main")
    assert f"Bedcap-Aanbieder: {PROVIDER}\nBedcap-Peildatum: 2021-07-01" in body
    written = pq.read_table(work / NEW).to_pylist()
    assert [(r["afdeling"], r["bezet"], r["beschikbaar"], r["capaciteit"]) for r in written] == [
        (r["afdeling"], r["bezet"], r["beschikbaar"], r["capaciteit"]) for r in rows
    ]
    assert {r["peildatum"] for r in written} == {dt.date(2021, 7, 1)}
    assert git(work, "status", "--porcelain") == ""
    check = invoke(runner, "validate", cwd=work)
    assert check.exit_code == 0, check.output


def test_excel_semicolon_bom_and_yaml(provider, runner, tmp_path) -> None:  # noqa: ANN001
    work, _ = provider
    rows = previous_rows(work)
    (tmp_path / "excel.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_text(rows, ";").replace("\n", "\r\n").encode()
    )
    result = invoke(runner, "submit", str(tmp_path / "excel.csv"), "--no-push", cwd=work)
    assert result.exit_code == 0, result.output
    assert "alleen lokaal (--no-push)" in result.stdout
    items = "\n".join(
        f"  - {{locatie: {r['locatie']}, afdeling: {r['afdeling']}, zorgtype: {r['zorgtype']}, "
        f"bezet: {r['bezet']}, beschikbaar: {r['beschikbaar']}, gereserveerd: "
        f"{r['gereserveerd']}, buiten_gebruik: {r['buiten_gebruik']}}}"
        for r in rows
    )
    (tmp_path / "dag.yaml").write_text(f"rijen:\n{items}\n")
    result = invoke(
        runner,
        "submit",
        str(tmp_path / "dag.yaml"),
        "--datum",
        "2021-06-30",
        "--correctie",
        "tikfout in fpa-1",
        "--no-push",
        cwd=work,
    )
    assert result.exit_code == 0, result.output
    body = git(work, "log", "-1", "--format=%B")
    assert "Correctie: tikfout in fpa-1" in body and "Bedcap-Correctie: tikfout in fpa-1" in body


def _mutate(rows: list[dict], i: int, **values: object) -> list[dict]:
    rows[i].update(values)
    return rows


BAD = [
    ("ward-missing", lambda r: csv_text(r[1:]), "snapshot-onvolledig", None, "afdeling"),
    (
        "unknown-ward",
        lambda r: csv_text(_mutate(r, 1, afdeling="fpx-9")),
        "onbekende-afdeling",
        3,
        "afdeling",
    ),
    (
        "unknown-care-type",
        lambda r: csv_text(_mutate(r, 0, zorgtype="dagbesteding")),
        "onbekende-waarde",
        2,
        "zorgtype",
    ),
    (
        "negative",
        lambda r: csv_text(
            _mutate(r, 2, bezet=-1, beschikbaar=r[2]["beschikbaar"] + r[2]["bezet"] + 1)
        ),
        "negatief-aantal",
        4,
        "bezet",
    ),
    (
        "sum-wrong",
        lambda r: csv_text(_mutate(r, 3, bezet=r[3]["bezet"] + 5)),
        "som-klopt-niet",
        5,
        "capaciteit",
    ),
    (
        "privacy",
        lambda r: csv_text(_mutate(r, 0, toelichting="cliënt 111222333 wacht")),
        "privacy-bsn",
        2,
        "toelichting",
    ),
    (
        "decimal-comma",
        lambda r: csv_text(r, ";").replace(f";{r[1]['bezet']};", ';"3,5";', 1),
        "ongeldig-getal",
        3,
        "bezet",
    ),
    (
        "unknown-column",
        lambda r: csv_text(r, header=HEADER + ",patient")[:-1] + ",x\n",
        "onbekende-kolom",
        1,
        "patient",
    ),
    (
        "missing-column",
        lambda r: "\n".join(",".join(line.split(",")[:5]) for line in csv_text(r).splitlines()),
        "kolom-ontbreekt",
        1,
        "gereserveerd",
    ),
    ("empty", lambda r: "", "invoer-leeg", None, None),
    ("header-only", lambda r: HEADER + "\n", "invoer-leeg", None, None),
]


@pytest.mark.parametrize(("name", "make", "code", "rij", "veld"), BAD, ids=[b[0] for b in BAD])
def test_bad_submission_changes_nothing(
    provider,
    runner,
    tmp_path,
    name,
    make,
    code,
    rij,  # noqa: ANN001, PLR0913
    veld,
) -> None:
    work, remote = provider
    (tmp_path / "in.csv").write_text(make(previous_rows(work)), encoding="utf-8")
    before = state(work, remote)
    result = invoke(runner, "submit", str(tmp_path / "in.csv"), "--format", "json", cwd=work)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    found = json.loads(result.stdout)["bevindingen"]
    assert any(
        f["code"] == code and f["rij"] == rij and f["veld"] == veld and f["bestand"] == "in.csv"
        for f in found
    ), found
    assert state(work, remote) == before
    assert not (work / NEW).exists()


UNREADABLE = [
    ("binary", lambda: bytes(range(256)) * 4, "invoer-onleesbaar"),
    ("fifty-megabytes", lambda: b"locatie,afdeling\n" + b"x" * 50_000_000, "invoer-te-groot"),
    ("yaml-no-rows", lambda: b"tellingen: []\n", "ongeldig-type"),
]


@pytest.mark.parametrize(("name", "make", "code"), UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_unreadable_input_changes_nothing(
    provider,
    runner,
    tmp_path,
    name,
    make,  # noqa: ANN001
    code,
) -> None:
    work, remote = provider
    data = make()
    suffix = ".yaml" if name.startswith("yaml") else ".csv"
    (tmp_path / f"in{suffix}").write_bytes(data)
    before = state(work, remote)
    result = invoke(runner, "submit", str(tmp_path / f"in{suffix}"), "--format", "json", cwd=work)
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)["bevindingen"]] == [code]
    assert state(work, remote) == before


def test_unchanged_copies_the_previous_day(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    result = invoke(runner, "submit", "--ongewijzigd", cwd=work)
    assert result.exit_code == 0, result.output
    old, new = previous_rows(work), pq.read_table(work / NEW).to_pylist()
    strip = ("peildatum", "ingediend_op")
    assert [{k: v for k, v in r.items() if k not in strip} for r in new] == [
        {k: v for k, v in r.items() if k not in strip} for r in old
    ]
    assert git(remote, "rev-parse", "main") == git(work, "rev-parse", "HEAD")


def test_unchanged_is_refused_after_a_ward_change(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    loc = work / f"data/locaties/{PROVIDER}/kliniek-kroonstede.yaml"
    loc.write_text(
        loc.read_text().replace("      - crisis\n", "      - crisis\n      - behandeling\n", 1)
    )
    git(work, "commit", "-qam", "fpa-1 biedt ook behandeling")
    before = state(work, remote)
    result = invoke(runner, "submit", "--ongewijzigd", "--format", "json", cwd=work)
    assert result.exit_code == 1
    found = json.loads(result.stdout)["bevindingen"]
    assert [f["code"] for f in found] == ["statisch-gewijzigd"]
    assert "kliniek-kroonstede/fpa-1" in found[0]["melding"]
    assert state(work, remote) == before


def test_resubmitting_a_day_needs_a_reason_and_the_window(provider, runner) -> None:  # noqa: ANN001
    work, _ = provider
    result = invoke(
        runner, "submit", "--ongewijzigd", "--datum", "2021-06-30", "--format", "json", cwd=work
    )
    assert result.exit_code == 1
    assert "peildatum-bestaat" in {f["code"] for f in json.loads(result.stdout)["bevindingen"]}
    old = invoke(
        runner,
        "submit",
        "--ongewijzigd",
        "--datum",
        "2021-05-03",
        "--correctie",
        "late correctie",
        "--format",
        "json",
        cwd=work,
    )
    assert old.exit_code == 1
    found = json.loads(old.stdout)["bevindingen"]
    assert [f["melding"] for f in found if f["code"] == "buiten-correctievenster"] == [
        "peildatum 2021-05-03 ligt vóór 2021-06-17 (correctievenster)"
    ]


def test_dates(provider, runner) -> None:  # noqa: ANN001
    work, _ = provider
    future = invoke(runner, "submit", "--ongewijzigd", "--datum", "2021-07-02", cwd=work)
    assert future.exit_code == 2
    assert "ligt in de toekomst" in future.stderr
    bad = invoke(runner, "submit", "--ongewijzigd", "--datum", "1-7-2021", cwd=work)
    assert bad.exit_code == 2
    weekend = invoke(
        runner, "submit", "--ongewijzigd", "--datum", "2021-06-27", "--no-push", cwd=work
    )
    assert weekend.exit_code == 0, weekend.output
    assert "niet-op-werkdag" in weekend.stdout and "2021-06-27 is geen werkdag" in weekend.stdout


def test_plausibility_warning_does_not_block(provider, runner, tmp_path) -> None:  # noqa: ANN001
    work, _ = provider
    rows = previous_rows(work)
    (tmp_path / "in.csv").write_text(
        "locatie,afdeling,zorgtype,bezet,beschikbaar,gereserveerd,capaciteit\n"
        + "".join(
            f"{r['locatie']},{r['afdeling']},{r['zorgtype']},{r['bezet']},"
            f"{r['beschikbaar'] + (10 if i == 0 else 0) + r['buiten_gebruik']},"
            f"{r['gereserveerd']},{r['capaciteit'] + (10 if i == 0 else 0)}\n"
            for i, r in enumerate(rows)
        )
    )
    result = invoke(
        runner, "submit", str(tmp_path / "in.csv"), "--format", "json", "--no-push", cwd=work
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout.split("\n}\n")[0] + "\n}")["bevindingen"]
    assert sorted((f["code"], f["rij"], f["ernst"]) for f in found) == [
        ("capaciteit-boven-nominaal", None, "waarschuwing"),
        ("capaciteit-sterk-veranderd", 2, "waarschuwing"),
    ]


def test_usage_errors(provider, runner, tmp_path) -> None:  # noqa: ANN001
    work, _ = provider
    both = invoke(runner, "submit", "--ongewijzigd", "--interactief", cwd=work)
    assert both.exit_code == 2 and "precies één" in both.stderr
    git(work, "config", "--unset", "bedcap.aanbieder")
    who = invoke(runner, "submit", "--ongewijzigd", cwd=work)
    assert who.exit_code == 2 and "git config bedcap.aanbieder" in who.stderr


def test_staged_changes_are_never_swept_in(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    (work / "data/regios.yaml").write_text((work / "data/regios.yaml").read_text() + "\n")
    git(work, "add", "data/regios.yaml")
    before = state(work, remote)
    result = invoke(runner, "submit", "--ongewijzigd", cwd=work)
    assert result.exit_code == 3
    assert "wijzigingen klaar in de git-index (data/regios.yaml)" in result.stderr
    assert state(work, remote) == before


def test_refused_push_keeps_the_commit_and_says_how_to_retry(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'onderhoud: even geen pushes' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = invoke(runner, "submit", "--ongewijzigd", cwd=work)
    assert result.exit_code == 3
    assert "push geweigerd: onderhoud: even geen pushes" in result.stderr
    assert "git pull --rebase && git push" in result.stderr
    assert git(work, "log", "-1", "--format=%s").strip() == f"Snapshot 2021-07-01 {PROVIDER}"
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == "voorbeelddata"


def test_no_upstream_changes_nothing_and_no_push_then_works(provider, runner) -> None:  # noqa: ANN001
    """A clone without an upstream: submit committed, then stopped on the push, and the
    `--no-push` it advised was refused as a second snapshot of the day."""
    work, remote = provider
    git(work, "branch", "--unset-upstream")
    before = state(work, remote)
    result = invoke(runner, "submit", "--ongewijzigd", cwd=work)
    assert result.exit_code == 3, result.output
    assert "geen upstream, er is niets vastgelegd" in " ".join(result.stderr.split())
    assert state(work, remote) == before
    again = invoke(runner, "submit", "--ongewijzigd", "--no-push", cwd=work)
    assert again.exit_code == 0, again.output
    assert git(work, "log", "-1", "--format=%s").strip() == f"Snapshot 2021-07-01 {PROVIDER}"


def test_interactive_uses_previous_values_and_confirms(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    rows = sorted(previous_rows(work), key=lambda r: (r["locatie"], r["afdeling"]))
    first = next(i for i, r in enumerate(rows) if r["beschikbaar"] > 0)
    answers: list[str] = []
    for i, r in enumerate(rows):  # bezet, beschikbaar, gereserveerd, buiten_gebruik, toelichting
        change = i == first
        answers += [
            str(r["bezet"] + 1) if change else "",
            str(r["beschikbaar"] - 1) if change else "",
            "",
            "",
            "",
        ]
    result = invoke_input(runner, work, [*answers, "j"])
    assert result.exit_code == 0, result.output
    assert "Indienen?" in result.stdout
    written = {(r["locatie"], r["afdeling"]): r for r in pq.read_table(work / NEW).to_pylist()}
    for i, r in enumerate(rows):
        assert written[(r["locatie"], r["afdeling"])]["bezet"] == r["bezet"] + (i == first)
    assert git(remote, "rev-parse", "main") == git(work, "rev-parse", "HEAD")


def test_interactive_can_be_declined(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    before = state(work, remote)
    result = invoke_input(runner, work, [""] * 5 * 4 + ["n"])
    assert result.exit_code == 1
    assert "Niet ingediend." in result.stdout
    assert state(work, remote) == before


def invoke_input(runner, cwd: Path, answers: list[str]):  # noqa: ANN001, ANN201
    import os

    from bedcap.cli import app

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(
            app,
            ["submit", "--interactief"],
            input="\n".join(answers) + "\n",
            catch_exceptions=False,
        )
    finally:
        os.chdir(old)


def test_commit_is_signed_with_the_users_ssh_key(provider, runner, tmp_path) -> None:  # noqa: ANN001
    work, remote = provider
    key = tmp_path / "beheer"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "beheer", "-f", str(key)], check=True
    )
    git(work, "config", "gpg.format", "ssh")
    git(work, "config", "user.signingkey", str(key) + ".pub")
    result = invoke(runner, "submit", "--ongewijzigd", cwd=work)
    assert result.exit_code == 0, result.output
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"beheer@{PROVIDER}.example {(key.with_suffix('.pub')).read_text()}")
    verify = subprocess.run(
        ["git", "-c", f"gpg.ssh.allowedSignersFile={signers}", "verify-commit", "HEAD"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
    assert f'Good "git" signature for beheer@{PROVIDER}.example' in verify.stderr
    assert git(remote, "rev-parse", "main") == git(work, "rev-parse", "HEAD")


def test_sign_without_a_key_cannot_run(provider, runner) -> None:  # noqa: ANN001
    work, remote = provider
    before = state(work, remote)
    result = invoke(runner, "submit", "--ongewijzigd", "--sign", cwd=work)
    assert result.exit_code == 3
    assert "git kent geen user.signingkey" in result.stderr
    assert state(work, remote) == before


def test_windows_excel_csv_in_cp1252(provider, runner, tmp_path) -> None:  # noqa: ANN001
    work, _ = provider
    rows = previous_rows(work)
    rows[0]["toelichting"] = "één bed gereserveerd voor overplaatsing"
    (tmp_path / "excel.csv").write_bytes(csv_text(rows, ";").encode("cp1252"))
    result = invoke(runner, "submit", str(tmp_path / "excel.csv"), "--no-push", cwd=work)
    assert result.exit_code == 0, result.output
    assert pq.read_table(work / NEW).to_pylist()[0]["toelichting"] == rows[0]["toelichting"]


def test_a_correction_writes_trailers_the_report_reads_back(provider, runner) -> None:  # noqa: ANN001
    from bedcap.files import trailers

    work, _ = provider
    result = invoke(
        runner,
        "submit",
        "--ongewijzigd",
        "--datum",
        "2021-06-30",
        "--correctie",
        "typefout\nin bezet",
        "--no-push",
        cwd=work,
    )
    assert result.exit_code == 0, result.output
    body = git(work, "log", "-1", "--format=%B")
    assert body.startswith(f"Snapshot 2021-06-30 {PROVIDER}\n\nCorrectie: typefout\nin bezet\n\n")
    log = git(work, "log", "-1", f"--format={trailers.LOG_FORMAT}")
    assert trailers.parse_log(log) == [
        trailers.Trailers(PROVIDER, dt.date(2021, 6, 30), correctie="typefout in bezet")
    ]
