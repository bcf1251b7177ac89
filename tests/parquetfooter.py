"""Hand-edited Parquet footers for the bad-input corpus: a file whose footer says another
row count than its row groups hold (issue 18 review: a reader that trusts the footer's
count would give rows to the wrong file)."""

from __future__ import annotations


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def _field(data: bytes, i: int, last: int) -> tuple[int, int, int]:
    """A struct field's header at `i`: its id, its type and where its value starts."""
    head = data[i]
    if head >> 4:
        return last + (head >> 4), head & 0x0F, i + 1
    raw, i = _varint(data, i + 1)
    return (raw >> 1) ^ -(raw & 1), head & 0x0F, i


def _skip(data: bytes, i: int, kind: int) -> int:
    """Past one value of Thrift compact type `kind` starting at `i`."""
    if kind in (1, 2):  # booleans live in the field header
        return i
    if kind == 3:
        return i + 1
    if kind in (4, 5, 6):
        return _varint(data, i)[1]
    if kind == 7:
        return i + 8
    if kind == 8:
        size, i = _varint(data, i)
        return i + size
    if kind in (9, 10):
        head = data[i]
        i += 1
        count, element = head >> 4, head & 0x0F
        if count == 15:
            count, i = _varint(data, i)
        for _ in range(count):
            i = _skip(data, i, element)
        return i
    if kind == 12:
        field = 0
        while data[i]:
            field, kind, i = _field(data, i, field)
            i = _skip(data, i, kind)
        return i + 1
    raise ValueError(f"Thrift-type {kind}")


def _zigzag(n: int) -> bytes:
    value, out = (n << 1) ^ (n >> 63), bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def with_num_rows(data: bytes, rows: int) -> bytes:
    """`data` with FileMetaData.num_rows (field 3) set to `rows`; the row groups unchanged."""
    size = int.from_bytes(data[-8:-4], "little")
    footer = data[-8 - size : -8]
    i, field = 0, 0
    while footer[i]:
        field, kind, i = _field(footer, i, field)
        if field == 3:
            end = _varint(footer, i)[1]
            new = footer[:i] + _zigzag(rows) + footer[end:]
            return data[: -8 - size] + new + len(new).to_bytes(4, "little") + b"PAR1"
        i = _skip(footer, i, kind)
    raise ValueError("geen num_rows in de footer")
