"""Read an uploaded file into a table of text cells: CSV or TSV (UTF-8, Windows-1252 or UTF-16;
comma, semicolon or tab), Excel (xlsx) or JSON (the police events); CSV and JSON may come
packed with gzip (.gz).

A text file is read block by block and every limit in `limits` is checked while it streams
in; rows are numbered by their line in the file, so error reports point where the user looks."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pandas as pd

from lagesbild import fmt
from lagesbild.importers import limits
from lagesbild.importers.limits import (
    ImportFileError,
    Input,
    bad_excel,
    check_json,
    check_zip,
    long_line,
    too_many_columns,
    too_many_rows,
)

__all__ = ["ImportFileError", "Input", "Table"]

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}
DELIMITER_NAMES = {";": "semikolon", ",": "komma", "\t": "tabb"}


@dataclass
class Table:
    """A file's rows as text. `lines[i]` is the line in the file where data row i starts (the
    header is line 1 in an ordinary file; for Excel the sheet's row number, for JSON the
    entry's position in the list)."""

    columns: list[str]
    rows: pd.DataFrame
    file_format: str
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    truncated_line: int | None = None  # a last row the file ends in the middle of
    empty_reason: str = ""  # why no rows are left, when the reader knows better
    packed: bool = False

    def line(self, index: int) -> int:
        """The line in the file of data row `index` (0-based)."""
        return self.lines[index] if index < len(self.lines) else index + 2

    def describe(self) -> str:
        """'1 234 rader · CSV · UTF-8 · semikolon' for the screen."""
        parts = [f"{fmt.integer(len(self.rows))} rader", self.file_format.upper()]
        if self.packed:
            parts.append("gzip")
        if self.encoding:
            parts.append(ENCODING_NAMES.get(self.encoding, self.encoding))
        if self.delimiter:
            parts.append(DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter)))
        return " · ".join(parts)


# -- text: encodings, lines ----------------------------------------------------------------


def _utf16_kind(head: bytes) -> str | None:
    """'utf-16' with a byte order mark, 'utf-16-le'/'utf-16-be' when every other byte of an
    ASCII-heavy text is zero, else None."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _as_utf8(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """UTF-16 chunks re-encoded as UTF-8, so the rest of the reader sees one encoding."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for chunk in chunks:
            yield decoder.decode(chunk).encode("utf-8")
        yield decoder.decode(b"", final=True).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Filen ser ut att vara UTF-16 men innehåller ogiltiga tecken. Spara den som "
            "UTF-8 (”CSV UTF-8” i Excel)."
        ) from exc


def _windows_1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: a byte that is not UTF-8 is read as Windows-1252."""
    byte = error.object[error.start : error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error("lagesbild-cp1252", _windows_1252)


class _Decoder:
    """Decodes block by block: UTF-8 where it is UTF-8, Windows-1252 byte by byte where not. A
    file that is all Windows-1252 is just that; a UTF-8 file with a few Windows-1252 bytes is
    read correctly and the lines are named in a note."""

    def __init__(self, newline: bytes):
        self.newline = newline
        self.utf8_seen = False
        self.cp1252_lines: list[int] = []

    def decode(self, block: bytes, first_line: int) -> str:
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            lines = block.split(self.newline)
            return self.newline.decode().join(
                self._line(raw, first_line + i) for i, raw in enumerate(lines)
            )
        if not self.utf8_seen and not text.isascii():
            self.utf8_seen = True
        return text

    def _line(self, raw: bytes, line: int) -> str:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.cp1252_lines.append(line)
            if not raw.decode("utf-8", errors="ignore").isascii():
                self.utf8_seen = True  # real UTF-8 characters beside the stray bytes
            return raw.decode("utf-8", errors="lagesbild-cp1252")
        if not text.isascii():
            self.utf8_seen = True
        return text

    def encoding_and_note(self) -> tuple[str, str]:
        if not self.cp1252_lines:
            return "utf-8", ""
        if not self.utf8_seen:
            return "cp1252", ""
        lines = ", ".join(str(n) for n in self.cp1252_lines[:10])
        more = f" och {len(self.cp1252_lines) - 10} till" if len(self.cp1252_lines) > 10 else ""
        return "utf-8", (
            f"Filen är UTF-8, men rad {lines}{more} innehåller tecken i Windows-1252; de "
            "lästes som Windows-1252. Kontrollera å, ä och ö på de raderna."
        )


def _blocks(chunks: Iterator[bytes], newline: bytes, state: dict) -> Iterator[tuple[bytes, int]]:
    """The text in blocks of whole lines, each with the number of its first line. A line over
    the length limit is refused as soon as it has grown past it, and binary data where it is
    met. Sets state['ended_with_newline']."""
    rest = b""
    line = 1
    for chunk in chunks:
        data = rest + chunk
        cut = data.rfind(newline) + 1
        block, rest = data[:cut], data[cut:]
        if block:
            _check_block(block, line, newline)
            yield block, line
            line += block.count(newline)
        if len(rest) > limits.MAX_LINE:
            raise long_line(line)
    state["ended_with_newline"] = not rest
    if rest:
        _check_block(rest, line, newline)
        yield rest, line


def _check_block(block: bytes, line: int, newline: bytes) -> None:
    if len(block) > limits.MAX_LINE:
        for i, raw in enumerate(block.split(newline)):
            if len(raw) > limits.MAX_LINE:
                raise long_line(line + i)
    if (zero := block.find(b"\x00")) != -1:
        raise ImportFileError(
            f"Rad {line + block.count(newline, 0, zero)} innehåller binära data; filen är "
            "ingen textfil (CSV)."
        )


def _delimiter(text: str, filename: str) -> str:
    if filename.lower().endswith((".tab", ".tsv")):
        return "\t"
    sample = "\n".join(text.splitlines()[:20])
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        return ","
    return best


def read_csv(content: bytes | BinaryIO | Input, filename: str = "fil.csv") -> Table:
    """A delimited text file (CSV, TSV, .tab) as a table, read line by line."""
    source = content if isinstance(content, Input) else Input(content, filename)
    filename = source.name
    encoding = _utf16_kind(source.head)
    chunks = source.chunks()
    if encoding:
        chunks = _as_utf8(chunks, encoding)
    chunks = iter(chunks)
    first = next(chunks, b"")
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    if b"\x00" in first:
        raise ImportFileError("Filen innehåller binära data och är ingen textfil (CSV).")
    newline = b"\n" if b"\n" in first or b"\r" not in first else b"\r"
    decoder = _Decoder(newline)
    delimiter = _delimiter(first.decode("utf-8", errors="lagesbild-cp1252"), filename)
    state: dict = {}
    text_lines = itertools.chain.from_iterable(
        io.StringIO(decoder.decode(block, line), newline=newline.decode())
        for block, line in _blocks(_chain(first, chunks), newline, state)
    )
    reader = csv.reader(text_lines, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    body: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not "".join(record).strip():
                continue
            if header is None:
                header = [h.strip() for h in record]
                if len(header) > limits.MAX_COLUMNS:
                    raise too_many_columns(len(header))
                continue
            body.append(record)
            lines.append(line)
            if len(body) > limits.MAX_ROWS:
                raise too_many_rows()
    except csv.Error as exc:
        raise _csv_error(exc, start, reader.line_num) from exc
    if header is None:
        raise ImportFileError("Filen är tom.")
    encoding_used, note = (encoding, "") if encoding else decoder.encoding_and_note()
    table = _table(header, body, lines, "csv", encoding_used, delimiter)
    if note:
        table.notes.insert(0, note)
    if body and not state.get("ended_with_newline") and len(body[-1]) < len(header):
        table.truncated_line = lines[-1]
    table.packed = source.packed
    return table


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _csv_error(exc: csv.Error, start: int, line: int) -> ImportFileError:
    text = str(exc)
    if "unexpected end of data" in text:
        return ImportFileError(
            f'Filen slutar mitt i rad {start}: ett citattecken (") stängs aldrig. Filen är '
            "troligen avkortad; spara eller hämta den på nytt."
        )
    if "field larger than field limit" in text:
        return ImportFileError(
            f"Rad {start} har ett värde som är längre än "
            f"{fmt.integer(csv.field_size_limit())} tecken."
        )
    return ImportFileError(
        f'Rad {line} går inte att läsa som CSV: ett citattecken (") står fel eller stängs '
        "inte. Kontrollera raden i filen."
    )


def _table(
    header: list,
    body: list[list],
    lines: list[int],
    file_format: str,
    encoding: str = "",
    delimiter: str = "",
) -> Table:
    if not any(header):
        raise ImportFileError("Filen saknar rubrikrad: första raden ska namnge kolumnerna.")
    header = [h if h else f"kolumn {i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    unique = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    width = len(unique)
    notes = []
    fixed = []
    for line, cells in zip(lines, body, strict=True):
        if len(cells) != width:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                notes.append(
                    f"Rad {line} har fler värden än rubrikraden har kolumner; de sista "
                    "värdena ignoreras."
                )
            cells = (cells + [""] * width)[:width]
        fixed.append(cells)
    frame = pd.DataFrame(fixed, columns=unique, dtype=object)
    return Table(unique, frame, file_format, encoding, delimiter, notes[:20], list(lines))


# -- Excel ---------------------------------------------------------------------------------


def read_excel(content: bytes) -> Table:
    """The first sheet with content, read row by row (never the whole sheet at once)."""
    import openpyxl

    check_zip(content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise bad_excel() from exc
    try:
        for sheet in book.worksheets:
            table = _read_sheet(sheet)
            if table is not None:
                return table
    except ImportFileError:
        raise
    except Exception as exc:
        raise bad_excel() from exc
    finally:
        book.close()
    raise ImportFileError("Excelfilen är tom.")


def _read_sheet(sheet) -> Table | None:
    width = min(sheet.max_column or limits.MAX_COLUMNS, limits.MAX_COLUMNS)
    header: list[str] | None = None
    body: list[list[str]] = []
    lines: list[int] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=width), start=1):
        if number > limits.EXCEL_MAX_ROW:
            raise ImportFileError(
                "Excelfilen har rader efter Excels sista rad (1 048 576); den är skadad."
            )
        if not any(v is not None and str(v).strip() for v in row):
            continue
        if header is None:
            cells = [_cell(v).strip() for v in row]
            while cells and not cells[-1]:
                cells.pop()
            header, width = cells, len(cells)
            continue
        body.append([_cell(v) for v in row[: width + 1]])
        lines.append(number)
        if len(body) > limits.MAX_ROWS:
            raise too_many_rows()
    if header is None:
        return None
    return _table(header, body, lines, "xlsx")


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().isoformat(sep=" ")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- JSON ----------------------------------------------------------------------------------


def read_json(content: bytes | BinaryIO | Input, filename: str = "events.json") -> list:
    source = content if isinstance(content, Input) else Input(content, filename)
    data = source.content()
    if not data.strip():
        raise ImportFileError("Filen är tom.")
    kind = _utf16_kind(data)
    if kind:
        data = b"".join(_as_utf8(iter([data]), kind))
    data = data.removeprefix(codecs.BOM_UTF8)
    check_json(data)
    text = data.decode("utf-8", errors="lagesbild-cp1252")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"Filen är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno})."
        ) from exc
    except RecursionError as exc:  # the depth check above should make this unreachable
        raise ImportFileError("JSON-filen är för djupt nästlad.") from exc
    if not isinstance(parsed, list):
        raise ImportFileError("JSON-filen ska innehålla en lista med händelser.")
    return parsed


# -- any file ------------------------------------------------------------------------------


def detect_format(head: bytes, filename: str) -> str:
    name = filename.lower()
    if head[:4] == b"PK\x03\x04":
        return "xlsx"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    text = head.removeprefix(codecs.BOM_UTF8)
    kind = _utf16_kind(head)
    if kind:
        text = head[:512].decode(kind, errors="ignore").encode("utf-8")
    if name.endswith(".json") or text.lstrip()[:1] in (b"[", b"{"):
        return "json"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "csv"


def read_table(content: bytes | BinaryIO, filename: str) -> Table:
    """A CSV, TSV or Excel file as a table of text. Raises ImportFileError with a Swedish
    message."""
    source = Input(content, filename)
    if not source.head:
        raise ImportFileError("Filen är tom.")
    file_format = detect_format(source.head, source.name)
    if file_format == "xls":
        raise ImportFileError(
            "Filen är i Excels äldre format (.xls). Spara den som .xlsx eller CSV."
        )
    if file_format == "xlsx":
        if source.packed:
            raise ImportFileError("En Excelfil ska inte packas med gzip; ladda upp .xlsx-filen.")
        return read_excel(source.content())
    if file_format == "json":
        raise ImportFileError("JSON-filer importeras med mallen för polisens händelser.")
    return read_csv(source)
