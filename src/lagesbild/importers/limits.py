"""Limits against hostile uploads, checked while a file streams in – before memory grows: the
size read, the size unpacked and its ratio to the packed size (gzip and zip bombs: for zip
both the sizes the members declare and the bytes they really give), the length of a line, the
number of rows and columns, and how deeply JSON nests. Each limit has a Swedish message."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np

from lagesbild import fmt

MIB = 1024 * 1024
MAX_BYTES = 100 * MIB  # a file as uploaded
MAX_UNPACKED = 400 * MIB  # what a gzip or xlsx file may unpack to
MAX_RATIO = 100  # unpacked size / packed size (beyond the first MiB)
MAX_LINE = 256 * 1024  # bytes in one line of a text file
MAX_ROWS = 1_000_000
MAX_COLUMNS = 500
MAX_JSON_DEPTH = 20
MAX_JSON_VALUES = 5_000_000  # a 100 MB file of police events has about 2.5 million
MAX_ZIP_MEMBERS = 2_000
EXCEL_MAX_ROW = 1_048_576  # Excel's own last row
CHUNK = 64 * 1024


class ImportFileError(Exception):
    """The file cannot be read at all (a Swedish message for the user)."""


def too_big() -> ImportFileError:
    return ImportFileError(
        f"Filen är större än {MAX_BYTES // MIB} MB; högst {MAX_BYTES // MIB} MB kan "
        "importeras. Dela upp den."
    )


def bomb() -> ImportFileError:
    return ImportFileError(
        f"Filen blir mer än {MAX_RATIO} gånger större när den packas upp (eller större än "
        f"{MAX_UNPACKED // MIB} MB). Den ser ut som en så kallad zipbomb och importeras inte; "
        "packa upp den själv och kontrollera innehållet."
    )


class _Capped(io.RawIOBase):
    """A readable stream that refuses, while reading, to give more than `limit` bytes."""

    def __init__(self, inner: BinaryIO, limit: int, error, packed: _Capped | None = None):
        self.inner, self.limit, self.error, self.packed = inner, limit, error, packed
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise self.error()
        if self.packed is not None and self.count > MIB + MAX_RATIO * self.packed.count:
            raise bomb()
        buffer[: len(data)] = data
        return len(data)


def _read(stream, size: int) -> bytes:
    """Up to `size` bytes (fewer only at the end of the stream)."""
    parts, left = [], size
    while left > 0:
        part = stream.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


class Input:
    """An uploaded file, unpacked if it is gzip, with its first bytes at hand."""

    def __init__(self, content: bytes | BinaryIO, filename: str):
        raw = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
        try:
            start = raw.tell()
            if raw.seek(0, io.SEEK_END) - start > MAX_BYTES:
                raise too_big()
            raw.seek(start)
        except (AttributeError, OSError, ValueError):
            pass  # not seekable: the cap below still holds
        self.packed_stream = _Capped(raw, MAX_BYTES, too_big)
        self.name = filename
        self.packed = False
        magic = _read(self.packed_stream, 2)
        self._stream: BinaryIO = io.BufferedReader(
            _Prefixed(magic, self.packed_stream), buffer_size=CHUNK
        )
        if magic == b"\x1f\x8b":
            self.packed = True
            self.name = re.sub(r"\.gz$", "", filename, flags=re.IGNORECASE)
            unpacked = gzip.GzipFile(fileobj=self._stream, mode="rb")
            self._stream = _Capped(unpacked, MAX_UNPACKED, bomb, packed=self.packed_stream)
        self.head = self.read(CHUNK)

    def read(self, size: int) -> bytes:
        try:
            return _read(self._stream, size)
        except (OSError, EOFError, zlib.error) as exc:
            raise ImportFileError(
                "Den packade filen (gzip) är skadad eller avkortad och går inte att packa upp."
            ) from exc

    def chunks(self) -> Iterator[bytes]:
        """The (unpacked) content from the start, piece by piece."""
        if self.head:
            yield self.head
        while chunk := self.read(CHUNK):
            yield chunk

    def content(self) -> bytes:
        return b"".join(self.chunks())


class _Prefixed(io.RawIOBase):
    """`prefix` followed by the rest of `inner`."""

    def __init__(self, prefix: bytes, inner):
        self.prefix, self.inner = prefix, inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            n = min(len(buffer), len(self.prefix))
            buffer[:n] = self.prefix[:n]
            self.prefix = self.prefix[n:]
            return n
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# -- messages for the limits on rows, lines and columns -----------------------------------


def long_line(number: int) -> ImportFileError:
    return ImportFileError(
        f"Rad {number} är längre än {MAX_LINE // 1024} kB. Filen är troligen ingen CSV-fil med "
        "en händelse per rad (eller saknar radbrytningar)."
    )


def too_many_rows() -> ImportFileError:
    return ImportFileError(
        f"Filen har fler än {fmt.integer(MAX_ROWS)} rader; så många kan inte importeras på en "
        "gång. Dela upp den."
    )


def too_many_columns(count: int) -> ImportFileError:
    return ImportFileError(
        f"Filen har {count} kolumner; högst {MAX_COLUMNS} kan läsas. Kontrollera att "
        "det är rätt fil."
    )


def check_zip(content: bytes) -> None:
    """Refuse a zip archive whose members unpack to too much: first by the sizes they declare,
    then by the bytes they really give while being read (a member may lie)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        raise bad_excel() from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise bomb()
    budget = min(MAX_UNPACKED, MIB + MAX_RATIO * len(content))
    if sum(m.file_size for m in members) > budget:
        raise bomb()
    total = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > budget:
                        raise bomb()
    except ImportFileError:
        raise
    except Exception as exc:  # zipfile raises many kinds for damaged or encrypted members
        raise bad_excel() from exc


def bad_excel() -> ImportFileError:
    return ImportFileError(
        "Excelfilen går inte att öppna; den kan vara skadad eller i ett äldre format (.xls). "
        "Spara den som .xlsx."
    )


_JSON_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_JSON_STRING = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b"[]{},")


def _json_structure(data: bytes) -> bytes:
    """The brackets and commas of JSON text, outside its strings."""
    unescaped = _JSON_ESCAPE.sub(b"", data)  # linear: no quote inside a string is left
    return _JSON_STRING.sub(b"", unescaped).translate(None, _NOT_STRUCTURE)


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in JSON text, counted without parsing it."""
    return _depth(_json_structure(data).replace(b",", b""))


def _depth(brackets: bytes) -> int:
    deepest = level = 0
    for lo in range(0, len(brackets), 4 * MIB):
        part = np.frombuffer(brackets[lo : lo + 4 * MIB], dtype=np.uint8)
        steps = np.where((part == ord("[")) | (part == ord("{")), 1, -1).astype(np.int32)
        running = np.cumsum(steps) + level
        deepest = max(deepest, int(running.max()))
        level = int(running[-1])
    return deepest


def check_json(data: bytes) -> None:
    """Refuse JSON that nests too deeply (the parser would run out of stack) or holds so many
    values that parsing it would take far more memory than the file (checked on the raw text,
    before parsing)."""
    structure = _json_structure(data)
    values = structure.count(b",") + 1
    if values > MAX_JSON_VALUES:
        raise ImportFileError(
            f"JSON-filen har fler än {fmt.integer(MAX_JSON_VALUES)} värden; så många kan inte "
            "importeras på en gång. Dela upp den."
        )
    if _depth(structure.replace(b",", b"")) > MAX_JSON_DEPTH:
        raise ImportFileError(
            f"JSON-filen är nästlad i fler än {MAX_JSON_DEPTH} nivåer; polisens händelser har "
            "tre. Det är ingen fil med händelser."
        )
