"""The vectorised pass over many snapshots gives exactly the file-by-file findings (issue 18).

Every case of the bad-input corpus is applied to the example, and all its snapshots are
checked both ways, once with today's correction window and once as old history (where
the vectorised pass clears files without `check_snapshot`).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedcap.files.regular import changed_ns
from bedcap.files.repo import Bestandsoort, DataRepo, Pad, classify
from bedcap.rules.bulk import blob_id, check_chunk, check_many
from bedcap.rules.snapshots import check_snapshot
from bedcap.rules.validate import whole_context
from tests.conftest import EXAMPLE_TODAY
from tests.test_bad_inputs import CASES, Case

LATER = dt.date(2031, 1, 6)  # every day of the example is history then


def _snapshots(repo: DataRepo) -> list[Pad]:
    pads = [classify(rel) for rel in repo.iter_data_files("data/snapshots")]
    return [p for p in pads if p.soort is Bestandsoort.SNAPSHOT]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_same_findings_as_file_by_file(case: Case, example: Path) -> None:
    case.mutate(example)
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    for today in (dt.date.fromisoformat(EXAMPLE_TODAY), LATER):
        ctx = whole_context(repo, today)
        one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
        assert check_chunk(repo.root, pads, ctx).findings == one_by_one


def test_the_vectorised_pass_clears_history_and_hashes_as_git(example: Path) -> None:
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    chunk = check_chunk(repo.root, pads, whole_context(repo, LATER))
    assert chunk.findings == []
    assert chunk.clean == len(pads) > 100
    rel = pads[0].pad
    st = (example / rel).stat()
    blob = (blob_id((example / rel).read_bytes()), st.st_size, st.st_mtime_ns, changed_ns(st))
    assert chunk.blobs[rel] == blob
    git = subprocess.run(
        ["git", "hash-object", rel], cwd=example, capture_output=True, text=True, check=True
    )
    assert chunk.blobs[rel].id == git.stdout.strip()
    # Inside the correction window every file goes to the full rules.
    ctx = whole_context(repo, dt.date.fromisoformat(EXAMPLE_TODAY))
    assert check_chunk(repo.root, pads, ctx).clean < len(pads)


def test_bad_rows_in_history_are_not_cleared(example: Path) -> None:
    """A broken row, a duplicate, a missing ward or a wrong day each send their file to
    the full rules; a note only meets the privacy guard. In worker processes, as at
    national scale."""
    import pyarrow.parquet as pq

    from bedcap.files.snapshots import to_bytes

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    changed = {}
    for n, change in enumerate(("som", "dubbel", "weg", "noot", "dag")):
        rel = pads[10 + n].pad
        table = pq.read_table(example / rel)
        rows = table.to_pylist()
        if change == "som":
            rows[0]["bezet"] += 1
        elif change == "dubbel":
            rows.append(dict(rows[0]))
        elif change == "weg":
            rows.pop()
        elif change == "noot":
            rows[0]["toelichting"] = "Bel 06-12345678 voor overleg"
        else:
            rows[0]["peildatum"] = rows[0]["peildatum"] - dt.timedelta(days=1)
        (example / rel).write_bytes(to_bytes(table.from_pylist(rows, schema=table.schema)))
        changed[rel] = change
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    many = check_many(repo.root, pads, ctx, chunk=len(pads) // 3)
    assert many.findings == one_by_one
    assert {f.bestand for f in one_by_one} == set(changed)
    assert many.clean == len(pads) - len(changed) + 1  # the note's file is cleared
    assert [f.code for f in one_by_one if changed[f.bestand] == "noot"] == ["privacy-telefoon"]


def _offsetting_counts(example: Path, pads: list[Pad]) -> tuple[str, str]:
    """File A gets a duplicate row and a footer that says one row fewer; file B, clean,
    a footer that says one row more: the batch's total is right, each file's is not."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bedcap.files.snapshots import to_bytes
    from tests.parquetfooter import with_num_rows

    a, b = pads[0].pad, pads[1].pad
    table = pq.read_table(example / a)
    doubled = pa.concat_tables([table, table.slice(0, 1)])
    (example / a).write_bytes(with_num_rows(bytes(to_bytes(doubled)), doubled.num_rows - 1))
    rows_b = pq.ParquetFile(example / b).metadata.num_rows
    (example / b).write_bytes(with_num_rows((example / b).read_bytes(), rows_b + 1))
    return a, b


def test_footer_row_counts_are_never_trusted(example: Path) -> None:
    """Review of issue 18's polars path: it sliced a batch by the footers' row counts, so a
    duplicate row of A was checked as B's and A's finding was lost. Whatever the footers
    say, the many-file pass finds what the file-by-file rules find, in workers too."""
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    a, _ = _offsetting_counts(example, pads)
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert [(f.code, f.bestand) for f in one_by_one] == [("dubbele-rij", a)]
    assert check_chunk(repo.root, pads, ctx).findings == one_by_one
    assert check_many(repo.root, pads, ctx, chunk=len(pads) // 2).findings == one_by_one


@pytest.mark.parametrize("damage", ["byte-12", "first-page-header"])
def test_a_file_pyarrow_refuses_is_never_cleared(damage: str, example: Path) -> None:
    """Damaged page bytes under an intact footer: the many-file pass reports the file as
    the file-by-file rules do (unreadable), never as clean. Byte 12 of the first example
    file set to 23 is a damage polars read without complaint (issue 18 review)."""
    from bedcap.files.snapshots import decode

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    target = example / pads[0].pad
    data = bytearray(target.read_bytes())
    if damage == "byte-12":
        data[12] = 23
    else:
        data[4:40] = bytes(36)
    target.write_bytes(bytes(data))
    with pytest.raises(Exception):  # noqa: B017 - whatever pyarrow raises, it refuses
        decode(bytes(data))
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert [f.bestand for f in one_by_one] == [pads[0].pad]
    chunk = check_chunk(repo.root, pads, ctx)
    assert chunk.findings == one_by_one
    assert chunk.clean == len(pads) - 1


@pytest.mark.parametrize("join", [1, 4, 50, 10_000])
def test_notes_of_cleared_files_are_found_wherever_the_rows_are_joined(
    join: int, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18, eighth pass: decoded files are joined into one table a few at a time, and
    a cleared file's notes are read back from its own rows. Notes the privacy guard flags
    sit in the first file, files around a join's border and the last; each is reported
    for its own file and row, at every join size, as file by file."""
    from bedcap.rules import bulk
    from tests.test_bad_inputs import rows, set_row

    monkeypatch.setattr(bulk, "_COMBINE", join)
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    marked = sorted({0, 3, 4, 5, 49, 50, len(pads) // 2, len(pads) - 1})
    for n, index in enumerate(marked):
        note = "client 111222333 wacht" if n % 2 else "opname geb. 03-04-1985"
        rows(pads[index].pad, set_row(n % 3, toelichting=note))(example)
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert sorted({f.bestand for f in one_by_one}) == sorted(pads[i].pad for i in marked)
    chunk = check_chunk(repo.root, pads, ctx)
    assert chunk.findings == one_by_one
    assert chunk.clean == len(pads)  # every marked file cleared, its notes read back


def _as_written_by(example: Path, pads: list[Pad], writer: str) -> None:
    """Every snapshot rewritten as another tool writes the same rows: the types the
    contract lets readers accept, pyarrow's default encoding (dictionaries, statistics)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def other(field: pa.Field) -> pa.Field:
        kind = field.type
        if writer == "pandas":  # int64, nanoseconds, every field nullable, its own metadata
            if pa.types.is_integer(kind):
                kind = pa.int64()
            elif pa.types.is_timestamp(kind):
                kind = pa.timestamp("ns", tz="UTC")
            return pa.field(field.name, kind, nullable=True)
        if writer == "view":  # strings as views (polars 1.38), the rest as bedcap's
            return field.with_type(pa.string_view()) if pa.types.is_string(kind) else field
        if pa.types.is_integer(kind):  # "smal": the narrowest widths, unsigned counts
            kind = pa.int16() if field.name == "beveiligingsniveau" else pa.uint16()
        elif pa.types.is_timestamp(kind):
            kind = pa.timestamp("ms", tz="+00:00")
        elif pa.types.is_string(kind):
            kind = pa.large_string()
        return field.with_type(kind)

    if writer == "duckdb":
        _as_duckdb_writes(example, pads)
        return
    for pad in pads:
        try:
            table = pq.read_table(example / pad.pad)
        except Exception:  # noqa: BLE001 - a damaged file stays as it is
            continue
        if writer == "rijgroepen":  # a row group of one row each
            pq.write_table(table, example / pad.pad, row_group_size=1)
            continue
        meta = dict(table.schema.metadata or {})
        if writer == "pandas":
            meta[b"pandas"] = b'{"index_columns": []}'
        try:
            table = table.cast(pa.schema([other(f) for f in table.schema], metadata=meta))
        except (pa.ArrowException, ValueError):  # a column twice, a value out of range
            continue
        if writer == "smal":  # another column order too
            table = table.select(list(reversed(table.column_names)))
        pq.write_table(table, example / pad.pad)


def _as_duckdb_writes(example: Path, pads: list[Pad]) -> None:
    """Every readable snapshot as DuckDB's `COPY … TO` writes it, with the schema version
    as key-value metadata: no Arrow schema in the footer, every field optional, DuckDB's
    own encodings. A generator written in SQL makes this shape."""
    import duckdb

    from bedcap.store.decode import _arrow

    con = duckdb.connect()
    for pad in pads:
        path = str(example / pad.pad)
        try:
            table = _arrow(con.sql(f"SELECT * FROM read_parquet('{path}')"))
        except duckdb.Error:  # a damaged file stays as it is
            continue
        con.register("bron", table)
        con.execute(
            f"COPY bron TO '{path}.nieuw' "
            "(FORMAT parquet, KV_METADATA {'bedcap.schema_version': '1'})"
        )
        con.unregister("bron")
        os.replace(f"{path}.nieuw", path)
    con.close()


@pytest.mark.parametrize("writer", ["pandas", "smal", "view", "duckdb", "rijgroepen"])
def test_files_of_another_writer_are_cleared_too(writer: str, example: Path) -> None:
    """Issue 18, twelfth pass: a file whose types differ from bedcap's only where the
    contract lets readers accept them (int64 or unsigned counts, nullable fields, another
    timestamp unit or column order, strings as views) is cleared by the vectorised pass,
    not sent file by file to the slow rules (a whole national repository written by
    pandas took twice as long to validate); the findings are those of the file-by-file
    rules either way."""
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    _as_written_by(example, pads, writer)
    for today in (dt.date.fromisoformat(EXAMPLE_TODAY), LATER):
        ctx = whole_context(repo, today)
        one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
        assert check_chunk(repo.root, pads, ctx).findings == one_by_one
    assert one_by_one == []
    assert check_chunk(repo.root, pads, whole_context(repo, LATER)).clean == len(pads)


def test_a_value_the_cast_would_change_goes_file_by_file(example: Path) -> None:
    """An int64 count beyond int32, a level beyond int8, a time finer than a microsecond
    (alone, and with a wrong sum), a null in a required column and a file without schema
    version: each file is judged by the file-by-file rules, with their findings, and
    never cleared."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    _as_written_by(example, pads, "pandas")
    changes = ("groot", "niveau", "nanoseconde", "leeg", "versie", "nanoseconde-en-som")
    for n, change in enumerate(changes):
        path = example / pads[20 + n].pad
        table = pq.read_table(path)
        columns = table.to_pydict()
        if change == "groot":
            columns["capaciteit"][0] += 2**32
            columns["buiten_gebruik"][0] += 2**32
        elif change == "niveau":
            columns["beveiligingsniveau"][0] = 300
        elif change.startswith("nanoseconde"):  # with a wrong sum: a traceback before
            submitted = table.schema.field("ingediend_op").type
            columns["ingediend_op"][0] = pa.scalar(1_700_000_000_000_000_001, submitted)
            columns["bezet"][0] += change.endswith("som")
        elif change == "leeg":
            columns["regio"][0] = None
        meta = None if change == "versie" else table.schema.metadata
        schema = pa.schema(list(table.schema), metadata=meta)
        pq.write_table(pa.Table.from_pydict(columns, schema=schema), path)
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    chunk = check_chunk(repo.root, pads, ctx)
    assert chunk.findings == one_by_one
    assert chunk.clean == len(pads) - len(changes)
    # A count beyond int32 that still adds up, and a time in nanoseconds, are accepted.
    assert {f.bestand: f.code for f in one_by_one} == {
        pads[21].pad: "onbekend-beveiligingsniveau",
        pads[23].pad: "waarde-ontbreekt",
        pads[24].pad: "parquet-schemaversie",
        pads[25].pad: "som-klopt-niet",
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_same_findings_as_file_by_file_as_another_writer_writes(case: Case, example: Path) -> None:
    """The bad-input corpus in a repository written as pandas writes it: every readable
    snapshot rewritten after the mutation (int64, nullable, its metadata), so the cast
    of `conformed` meets every bad value and schema of the corpus."""
    case.mutate(example)
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    _as_written_by(example, pads, "pandas")
    for today in (dt.date.fromisoformat(EXAMPLE_TODAY), LATER):
        ctx = whole_context(repo, today)
        one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
        assert check_chunk(repo.root, pads, ctx).findings == one_by_one


def test_a_text_column_marked_as_json_is_read_alike_both_ways(example: Path) -> None:
    """Review of the twelfth pass: `check_snapshot` read with `ParquetFile` (Parquet's JSON
    annotation becomes an extension type: "kolom-type"), the vectorised pass with the
    low-level reader (plain text: cleared). Both decode alike now: the same findings,
    none, as DuckDB reads such a column as text too."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    path = example / pads[0].pad
    table = pq.read_table(path)
    index = table.schema.get_field_index("regio")
    field = table.schema.field("regio")
    marked = table.column("regio").cast(pa.json_(pa.string()))
    table = table.set_column(index, pa.field("regio", marked.type, field.nullable), marked)
    with pq.ParquetWriter(path, table.schema, store_schema=False) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata({"bedcap.schema_version": "1"})
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert check_chunk(repo.root, pads, ctx).findings == one_by_one == []


def test_an_unreadable_note_in_reordered_columns_is_named_as_file_by_file(
    example: Path,
) -> None:
    """Review of the twelfth pass: columns in reverse order, a note that is no UTF-8 and a
    submission time past the year 9999. The file-by-file rules name the first column
    they cannot read in the file's own order; the vectorised pass, reading the cast
    table in the contract's order, named another. It asks the file-by-file rules now."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    path = example / pads[0].pad
    table = pq.read_table(path)
    columns = {name: table.column(name).combine_chunks() for name in table.column_names}
    notes = [b"\xff"] + [None] * (table.num_rows - 1)
    columns["toelichting"] = pa.array(notes, pa.binary()).view(pa.string())
    late = columns["ingediend_op"].cast(pa.int64()).to_numpy().copy()
    late[0] = 320_000_000_000_000_000
    columns["ingediend_op"] = pa.array(late, pa.timestamp("us", tz="UTC"))
    order = list(reversed(table.column_names))
    schema = pa.schema([table.schema.field(n) for n in order], metadata=table.schema.metadata)
    pq.write_table(pa.table([columns[n] for n in order], schema=schema), path)
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert [f.code for f in one_by_one] == ["parquet-onleesbaar"]
    assert check_chunk(repo.root, pads, ctx).findings == one_by_one


def test_a_submission_time_past_9999_is_never_cleared(example: Path) -> None:
    """Twelfth pass: the rules asked only that `ingediend_op` is there, so a history file
    with a time past the year 9999 was cleared, and `available` then stopped on it. Both
    paths now call the file unreadable, with the column named."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    path = example / pads[7].pad
    table = pq.read_table(path)
    index = table.schema.get_field_index("ingediend_op")
    late = pa.array([320_000_000_000_000_000] * table.num_rows, pa.int64())
    table = table.set_column(index, table.schema.field(index), late.cast(pa.timestamp("us", "UTC")))
    pq.write_table(table, path)
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert [(f.code, f.bestand) for f in one_by_one] == [("parquet-onleesbaar", pads[7].pad)]
    assert "kolom ingediend_op" in one_by_one[0].melding
    chunk = check_chunk(repo.root, pads, ctx)
    assert (chunk.findings, chunk.clean) == (one_by_one, len(pads) - 1)


def test_an_unreadable_note_beside_nanoseconds_is_a_finding_not_a_traceback(
    example: Path,
) -> None:
    """Review of the twelfth pass: looking for the column that cannot be read, the rules
    turned every timestamp into Python values, and a time in nanoseconds that is not a
    whole microsecond raised there: a traceback on both paths (older)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    path = example / pads[0].pad
    table = pq.read_table(path)
    ns = pa.timestamp("ns", tz="UTC")
    times = table.column("ingediend_op").cast(ns).cast(pa.int64()).to_numpy().copy()
    times[0] += 1
    index = table.schema.get_field_index("ingediend_op")
    table = table.set_column(index, pa.field("ingediend_op", ns), pa.array(times).cast(ns))
    notes = pa.array([b"\xff"] + [None] * (table.num_rows - 1), pa.binary()).view(pa.string())
    index = table.schema.get_field_index("toelichting")
    table = table.set_column(index, table.schema.field(index), notes)
    pq.write_table(table.select(list(reversed(table.column_names))), path)
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    assert [f.melding for f in one_by_one] == [
        "kan Parquet niet lezen: kolom toelichting bevat tekst die geen geldige UTF-8 is"
    ]
    assert check_chunk(repo.root, pads, ctx).findings == one_by_one


def _answers(runner: CliRunner, root: Path) -> list[str]:
    """What the commands a coordinator runs print for `root`, through the cache (built
    cold) and without it."""
    from tests.conftest import invoke

    out = []
    for args in (
        ("available", "--format", "csv"),
        ("history", "--per", "maand", "--format", "csv"),
        ("history", "--per", "week", "--naar", "niveau", "--format", "csv"),
        ("history", "--per", "maand", "--geen-cache", "--format", "csv"),
        ("validate", "--format", "json"),
    ):
        result = invoke(runner, *args, cwd=root)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        out.append(result.stdout)
    return out


@pytest.mark.parametrize("writer", ["pandas", "smal", "view", "duckdb", "rijgroepen"])
def test_another_writers_repository_answers_the_same(
    writer: str, example: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """Issue 18: an independently generated repository holds the same rows in another
    writer's Parquet. Every command a coordinator or CI runs answers it exactly as it
    answers bedcap's own files: availability, history through the cache and without it,
    and the validation's findings."""
    import shutil

    other = tmp_path / writer
    shutil.copytree(example, other, symlinks=True)
    _as_written_by(other, _snapshots(DataRepo.find(other)), writer)
    ours = _answers(runner, example)
    assert [len(answer.splitlines()) > 3 for answer in ours[:4]] == [True] * 4
    assert _answers(runner, other) == ours


class _ReplacedWhileChecked(list):  # type: ignore[type-arg]
    """The pads of a chunk; the third walk over them (the findings, after every file was
    read) first replaces one file's bytes, as a `git checkout` beside a validation would."""

    def __init__(self, pads: list[Pad], target: Path, new: bytes) -> None:
        super().__init__(pads)
        self.walks, self.target, self.new = 0, target, new

    def __iter__(self):  # noqa: ANN204
        self.walks += 1
        if self.walks == 3:
            self.target.write_bytes(self.new)
        return super().__iter__()


def test_findings_are_of_the_bytes_filed_under_their_blob_id(example: Path) -> None:
    """A file replaced after it was read is judged by the bytes read, whose blob id the
    result cache files the findings under: read again, garbage would be filed as the
    valid bytes' verdict (or the reverse) and served as theirs on a later run."""
    repo = DataRepo.find(example)
    ctx = whole_context(repo, dt.date.fromisoformat(EXAMPLE_TODAY))
    # Days inside the correction window: the vectorised pass leaves them to the full rules.
    pads = [p for p in _snapshots(repo) if p.peildatum and p.peildatum >= ctx.correctable_from]
    assert len(pads) > 5
    target = example / pads[5].pad
    original = target.read_bytes()
    walking = _ReplacedWhileChecked(pads, target, b"PAR1 not a Parquet file PAR1")
    chunk = check_chunk(repo.root, walking, ctx)
    assert target.read_bytes() != original and walking.walks == 3
    assert chunk.blobs[pads[5].pad].id == blob_id(original)
    others = [pad for pad in pads if pad != pads[5]]
    assert chunk.findings == [f for pad in others for f in check_snapshot(repo.root, pad, ctx)]
    # The file as it is now is unreadable; the bytes it held are judged as they were.
    assert check_snapshot(repo.root, pads[5], ctx)[0].code == "parquet-onleesbaar"
    assert check_snapshot(repo.root, pads[5], ctx, original) == []
