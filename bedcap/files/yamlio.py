"""Safe YAML: every value keeps its line number; anything unsafe becomes a finding.

Reading refuses symlinks, paths outside the repository, non-UTF-8, anchors and aliases,
duplicate keys and a top level that is not a mapping. Writing goes through a temporary
file and a rename, and starts with the `yaml-language-server` schema line.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bedcap.errors import WriteError
from bedcap.files.regular import MAX_TEXT_BYTES, NietLeesbaarError, os_reden, read_regular
from bedcap.findings.catalogue import Finding, finding

if TYPE_CHECKING:
    from ruamel.yaml import YAML

Loc = tuple[str | int, ...]
MAX_YAML_BYTES = MAX_TEXT_BYTES


@dataclass
class Loaded:
    """A YAML file as plain Python values, with the line of every value by its path."""

    bestand: str
    data: dict[str, Any] | None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest parent that exists (a missing key)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Decimal only: YAML 1.2's `0o17` and `0x0F` are read as text, so a count written that way
# is refused as no number (a provider types decimals; anything else is a slip or a trick).
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?"
    r"(Z|[-+][0-9]{1,2}(:?[0-9]{2})?)?"
)


class _DuplicateKeyError(Exception):
    """A mapping holds the same key twice."""

    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


def _scalar(node: Any) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted and block scalars are text."""
    value: str = node.value
    if node.style:  # ' " | >
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value) and any(c.isdigit() for c in value):
        return float(value)
    special = value.lower().lstrip("+")
    if special in (".inf", "-.inf", ".nan"):
        return float(special.replace(".", ""))
    try:
        if _DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
        if _DATETIME.fullmatch(value):
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("t", "T"))
    except ValueError:
        return value
    return value


def _plain(node: Any, loc: Loc, lines: dict[Loc, int], seen: set[int]) -> Any:
    """Composed nodes to plain Python, recording every value's line on the way."""
    import yaml

    if id(node) in seen:  # only an alias makes a node appear twice
        raise ValueError("alias")
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, loc, {}, seen)
            if not isinstance(key, str | int | float | bool | dt.date) and key is not None:
                key = str(key)
            if key in out:
                raise _DuplicateKeyError(key, key_node.start_mark.line + 1)
            child = (*loc, key)
            lines[child] = key_node.start_mark.line + 1
            out[key] = _plain(value_node, child, lines, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        items = []
        for index, item in enumerate(node.value):
            child = (*loc, index)
            lines[child] = item.start_mark.line + 1
            items.append(_plain(item, child, lines, seen))
        return items
    return _scalar(node)


def _new_yaml() -> YAML:
    """ruamel's round-trip YAML, for writing files that keep their comments (imported here:
    the many commands that only write JSON atomically never pay its 10 ms)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _fail(bestand: str, code: str, **values: Any) -> Loaded:
    return Loaded(bestand, None, problems=[finding(code, bestand, **values)])


def parse_yaml(text: str, bestand: str) -> Loaded:
    """Parse YAML text already known to be in the repository and decoded.

    libyaml (through PyYAML's C loader) composes the nodes, 25x faster than a pure-Python
    parser; the values are built here with YAML 1.2 rules (`no` stays text).
    """
    import yaml

    loader = _loader()
    try:
        # An anchor needs '&' and an alias '*': without either, skip the event pass.
        events = yaml.parse(text, Loader=loader) if ("&" in text or "*" in text) else ()
        for event in events:
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor:
                what = (
                    f"alias *{anchor}"
                    if isinstance(event, yaml.AliasEvent)
                    else (f"anker &{anchor}")
                )
                return _fail(bestand, "yaml-anker", regel=event.start_mark.line + 1, gevonden=what)
        document = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        from bedcap.files.yamltaal import dutch

        reden = dutch(exc.context, exc.problem)
        mark = exc.problem_mark or exc.context_mark
        return _fail(
            bestand,
            "yaml-syntaxfout",
            regel=mark.line + 1 if mark else None,
            reden=f"YAML-fout: {reden}",
        )
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, with its place
        regel = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        teken = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "een teken"
        reden = f"YAML-fout: een teken dat YAML niet toestaat ({teken})"  # control, U+FFFF…
        return _fail(bestand, "yaml-syntaxfout", regel=regel, reden=reden)
    except RecursionError:
        return _fail(bestand, "yaml-syntaxfout", reden="YAML-fout: te diep genest")
    except (yaml.YAMLError, ValueError, TypeError):
        return _fail(bestand, "yaml-syntaxfout", reden="YAML-fout: de opbouw klopt niet")
    if not isinstance(document, yaml.MappingNode):
        found = (
            "een leeg bestand"
            if document is None
            else ("een lijst" if isinstance(document, yaml.SequenceNode) else "een losse waarde")
        )
        return _fail(bestand, "yaml-geen-mapping", regel=1, gevonden=found)
    lines: dict[Loc, int] = {(): 1}
    try:
        data = _plain(document, (), lines, set())
    except _DuplicateKeyError as dup:
        return _fail(bestand, "yaml-dubbele-sleutel", regel=dup.line, sleutel=str(dup.key))
    except RecursionError:
        return _fail(bestand, "yaml-syntaxfout", reden="YAML-fout: te diep genest")
    except ValueError:  # Python refuses to turn more than 4,300 digits into a number
        return _fail(bestand, "yaml-syntaxfout", reden="YAML-fout: een getal met te veel cijfers")
    return Loaded(bestand, data, lines, _control_findings(bestand, data, lines))


def _control_findings(bestand: str, data: Any, lines: dict[Loc, int]) -> list[Finding]:
    """A control character in any text value (issue 13); notes are the note rules' part."""
    from bedcap.files.textsafe import control_character

    found = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, dict):
            stack += [((*loc, k), v) for k, v in value.items() if k != "toelichting"]
        elif isinstance(value, list):
            stack += [((*loc, i), v) for i, v in enumerate(value)]
        elif isinstance(value, str) and (teken := control_character(value)) is not None:
            veld = ".".join(map(str, loc))
            found.append(
                finding("stuurteken", bestand, regel=lines.get(loc), veld=veld, gevonden=teken)
            )
    return sorted(found, key=lambda p: p.sort_key())


def read_repo_file(root: Path, rel: str, max_bytes: int = MAX_YAML_BYTES) -> bytes | Finding:
    """The bytes of a repository file, or the finding that says why it may not be read."""
    path = root / rel
    if path.is_symlink():
        return finding("bestand-symlink", rel)
    try:
        resolved = path.resolve()
        resolved.relative_to(root.resolve())
    except ValueError:
        return finding("pad-buiten-repository", rel, pad=rel, root=str(root))
    try:
        return read_regular(path, max_bytes)  # never a FIFO, never more than max_bytes
    except NietLeesbaarError as exc:  # its Dutch reason: the kind of file, or the limit
        return finding("bestand-onleesbaar", rel, reden=str(exc))
    except OSError as exc:
        return finding("bestand-onleesbaar", rel, reden=os_reden(exc))


def load_yaml(root: Path, rel: str) -> Loaded:
    """Read and parse one YAML file of the repository; problems instead of exceptions."""
    raw = read_repo_file(root, rel)
    if isinstance(raw, Finding):
        return Loaded(rel, None, problems=[raw])
    return load_bytes(raw, rel)


def load_bytes(raw: bytes, rel: str) -> Loaded:
    """Decode and parse YAML bytes read elsewhere (a decrypted confidential file, say)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Loaded(
            rel, None, problems=[finding("yaml-geen-utf8", rel, regel=line, positie=exc.start)]
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return Loaded(
            rel,
            None,
            problems=[
                finding("yaml-syntaxfout", rel, regel=line, reden="NUL-teken in tekstbestand")
            ],
        )
    return parse_yaml(text, rel)


def schema_line(rel: str, schema: str) -> str:
    """The editor hint pointing from `rel` to `schemas/<schema>.schema.json`."""
    depth = rel.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{schema}.schema.json\n"


def shared_mode(*, folder: bool = False) -> int:
    """The mode the umask gives a new shared file (0644 under 022) or folder (0755).

    `tempfile` makes 0600 files and 0700 folders; outputs that a web server or a
    colleague reads must follow the umask instead (issue 13).
    """
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def write_error(path: Path, exc: OSError) -> WriteError:
    """One Dutch line for a failed write; the caller has removed what it half wrote."""
    reasons = {
        errno.ENOSPC: "de schijf is vol",
        errno.EDQUOT: "het schijfquotum is op",
        errno.EFBIG: "het bestand wordt groter dan toegestaan",
        errno.EROFS: "het bestandssysteem is alleen-lezen",
        errno.EACCES: "geen schrijfrechten",
        errno.EPERM: "geen schrijfrechten",
    }
    reden = reasons.get(exc.errno or 0) or os_reden(exc)
    return WriteError(f"kan {path} niet schrijven: {reden}; er is niets half geschreven")


def atomic_write(
    path: Path, data: bytes, tmp_dir: Path | None = None, *, private: bool = False
) -> None:
    """Write through a temporary file and a rename: readers see the old file or the new.

    `tmp_dir` (same file system, outside `data/`) keeps a write killed half-way from
    leaving a stray temporary file where validation would find it. The file gets the
    umask's mode (0644 under 022), or 0600 when `private`. A failed write (disk full,
    read-only, a file size limit) leaves nothing behind and raises `WriteError`.
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = tmp_dir or path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600 if private else shared_mode())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise write_error(path, exc) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def write_output(path: Path, data: bytes) -> None:
    """A file a user named with `--uit`: replaced as `atomic_write` does, unless it is a
    stream (a device such as `/dev/null`, `/dev/stdout` into a pipe, a named pipe): then the
    bytes are written into it, as the shell's `>` would. A rename over `/dev/null` made it
    a regular file for the whole machine (as root), and one over `/dev/stdout` replaced
    that link; a FIFO without a reader is refused rather than waited on for ever."""
    import fcntl
    import stat as st_mode

    try:
        mode = os.stat(path).st_mode  # through the link: /dev/stdout is /proc/self/fd/1
    except OSError:
        mode = 0
    if not (st_mode.S_ISCHR(mode) or st_mode.S_ISFIFO(mode)):
        atomic_write(path, data)
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)  # a reader is there: wait on it
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise write_error(path, exc) from None


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
