"""Safe YAML: every value keeps its line number; anything unsafe becomes a finding.

Reading refuses symlinks, paths outside the repository, non-UTF-8, anchors and aliases,
duplicate keys and a top level that is not a mapping. Writing goes through a temporary
file and a rename, and starts with the `yaml-language-server` schema line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from bedcap.problems import Problem, problem

Loc = tuple[str | int, ...]
MAX_YAML_BYTES = 5_000_000


@dataclass
class Loaded:
    """A YAML file as plain Python values, with the line of every value by its path."""

    bestand: str
    data: dict[str, Any] | None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest parent that exists (a missing key)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


def _plain(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    """ruamel's round-trip types to plain Python, recording lines on the way."""
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*loc, key)
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.key(key)[0] + 1
            out[_plain_scalar(key)] = _plain(value, child, lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            with contextlib.suppress(KeyError, TypeError, IndexError):
                lines[child] = node.lc.item(index)[0] + 1
            items.append(_plain(value, child, lines))
        return items
    return _plain_scalar(node)


def _plain_scalar(value: Any) -> Any:
    if value is None or type(value) in (str, int, float, bool, dt.date):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime):
        return dt.datetime.fromisoformat(value.isoformat())
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return str(getattr(value, "value", value))


def _new_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _mark_line(exc: YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def parse_yaml(text: str, bestand: str) -> Loaded:
    """Parse YAML text already known to be in the repository and decoded."""
    yaml = _new_yaml()
    try:
        # An anchor needs '&' and an alias '*': without either, skip the event pass.
        events = yaml.parse(io.StringIO(text)) if ("&" in text or "*" in text) else ()
        for event in events:
            anchor = getattr(event, "anchor", None)
            if isinstance(event, AliasEvent) or anchor:
                what = f"alias *{anchor}" if isinstance(event, AliasEvent) else f"anker &{anchor}"
                line = event.start_mark.line + 1 if event.start_mark else None
                return Loaded(
                    bestand,
                    None,
                    problems=[problem("yaml-anker", bestand, regel=line, gevonden=what)],
                )
        document = yaml.load(text)
    except DuplicateKeyError as exc:
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else str(exc.problem)
        return Loaded(
            bestand,
            None,
            problems=[problem("yaml-dubbele-sleutel", bestand, regel=_mark_line(exc), sleutel=key)],
        )
    except MarkedYAMLError as exc:
        reden = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return Loaded(
            bestand,
            None,
            problems=[
                problem(
                    "yaml-syntaxfout", bestand, regel=_mark_line(exc), reden=f"YAML-fout: {reden}"
                )
            ],
        )
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        return Loaded(
            bestand,
            None,
            problems=[
                problem("yaml-syntaxfout", bestand, reden=f"YAML-fout: {type(exc).__name__}")
            ],
        )
    if not isinstance(document, CommentedMap):
        found = "een leeg bestand" if document is None else f"een {type(document).__name__}"
        if isinstance(document, CommentedSeq):
            found = "een lijst"
        return Loaded(
            bestand, None, problems=[problem("yaml-geen-mapping", bestand, regel=1, gevonden=found)]
        )
    lines: dict[Loc, int] = {(): 1}
    data = _plain(document, (), lines)
    return Loaded(bestand, data, lines)


def read_repo_file(root: Path, rel: str, max_bytes: int = MAX_YAML_BYTES) -> bytes | Problem:
    """The bytes of a repository file, or the finding that says why it may not be read."""
    path = root / rel
    if path.is_symlink():
        return problem("bestand-symlink", rel)
    try:
        resolved = path.resolve()
        resolved.relative_to(root.resolve())
    except ValueError:
        return problem("pad-buiten-repository", rel, pad=rel, root=str(root))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return problem("bestand-onleesbaar", rel, reden=exc.strerror or type(exc).__name__)
    if len(data) > max_bytes:
        return problem("bestand-onleesbaar", rel, reden=f"groter dan {max_bytes} bytes")
    return data


def load_yaml(root: Path, rel: str) -> Loaded:
    """Read and parse one YAML file of the repository; problems instead of exceptions."""
    raw = read_repo_file(root, rel)
    if isinstance(raw, Problem):
        return Loaded(rel, None, problems=[raw])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Loaded(
            rel, None, problems=[problem("yaml-geen-utf8", rel, regel=line, positie=exc.start)]
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return Loaded(
            rel,
            None,
            problems=[
                problem("yaml-syntaxfout", rel, regel=line, reden="NUL-teken in tekstbestand")
            ],
        )
    return parse_yaml(text, rel)


def schema_line(rel: str, schema: str) -> str:
    """The editor hint pointing from `rel` to `schemas/<schema>.schema.json`."""
    depth = rel.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{schema}.schema.json\n"


def atomic_write(path: Path, data: bytes, tmp_dir: Path | None = None) -> None:
    """Write through a temporary file and a rename: readers see the old file or the new.

    `tmp_dir` (same file system, outside `data/`) keeps a write killed half-way from
    leaving a stray temporary file where validation would find it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = tmp_dir or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_yaml(data: Any, rel: str, schema: str | None) -> bytes:
    """YAML text for `data` with the schema line first; block style, keys in given order."""
    yaml = _new_yaml()
    yaml.default_flow_style = False
    yaml.width = 4096  # never fold a line: keys and signing keys stay on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    if schema:
        buffer.write(schema_line(rel, schema))
    yaml.dump(data, buffer)
    return buffer.getvalue().encode("utf-8")


def write_yaml(root: Path, rel: str, data: Any, schema: str | None) -> None:
    atomic_write(root / rel, dump_yaml(data, rel, schema))
