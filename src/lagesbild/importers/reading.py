"""Read an uploaded file into a table of text cells: CSV (UTF-8, UTF-8 with BOM or
Windows-1252; comma, semicolon or tab), Excel (xlsx) or JSON (the police events)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

import pandas as pd

MAX_BYTES = 100 * 1024 * 1024
MAX_ROWS = 1_000_000
ENCODINGS = ("utf-8-sig", "cp1252")


class ImportFileError(Exception):
    """The file cannot be read at all (a Swedish message for the user)."""


@dataclass
class Table:
    """A file's rows as text. `rows` are the data rows, numbered from 1 like in a spreadsheet
    after the header row (row 2 is the first data row)."""

    columns: list[str]
    rows: pd.DataFrame
    file_format: str
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return 2


def _decode(content: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "Filens teckenkodning känns inte igen. Spara den som UTF-8 eller "
        "Windows-1252 (”CSV UTF-8” i Excel)."
    )


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        return ","
    return best


def read_csv(content: bytes) -> Table:
    text, encoding = _decode(content)
    if "\x00" in text:
        raise ImportFileError("Filen innehåller binära data och är ingen textfil (CSV).")
    delimiter = _delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        records = [row for row in reader]
    except csv.Error as exc:
        raise ImportFileError(f"Filen går inte att läsa som CSV: {exc}.") from exc
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        raise ImportFileError("Filen är tom.")
    header = [h.strip() for h in records[0]]
    return _table(header, records[1:], "csv", encoding, delimiter)


def _table(
    header: list[str], body: list[list], file_format: str, encoding: str = "", delimiter: str = ""
) -> Table:
    if not any(header):
        raise ImportFileError("Filen saknar rubrikrad: första raden ska namnge kolumnerna.")
    header = [h if h else f"kolumn {i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    unique = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            f"Filen har {len(body)} rader; högst {MAX_ROWS} kan importeras "
            "på en gång. Dela upp den."
        )
    width = len(unique)
    notes = []
    fixed = []
    for i, row in enumerate(body, start=2):
        cells = ["" if c is None else str(c) for c in row]
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            notes.append(
                f"Rad {i} har fler värden än rubrikraden har kolumner; de sista värdena ignoreras."
            )
        fixed.append((cells + [""] * width)[:width])
    frame = pd.DataFrame(fixed, columns=unique, dtype=object)
    return Table(unique, frame, file_format, encoding, delimiter, notes[:20])


def read_excel(content: bytes) -> Table:
    try:
        sheets = pd.read_excel(
            io.BytesIO(content), sheet_name=None, header=None, dtype=object, engine="openpyxl"
        )
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportFileError(
            "Excelfilen går inte att öppna; den kan vara skadad eller i ett "
            "äldre format (.xls). Spara den som .xlsx."
        ) from exc
    sheet = next((s for s in sheets.values() if not s.dropna(how="all").empty), None)
    if sheet is None:
        raise ImportFileError("Excelfilen är tom.")
    sheet = sheet.dropna(how="all")
    values = [[_cell(v) for v in row] for row in sheet.itertuples(index=False)]
    return _table([str(h).strip() for h in values[0]], values[1:], "xlsx")


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


def read_json(content: bytes) -> list:
    text, _ = _decode(content)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"Filen är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno})."
        ) from exc
    if not isinstance(data, list):
        raise ImportFileError("JSON-filen ska innehålla en lista med händelser.")
    return data


def detect_format(content: bytes, filename: str) -> str:
    if content[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(content)):
        return "xlsx"
    name = filename.lower()
    if name.endswith(".json") or content.lstrip()[:1] in (b"[", b"{"):
        return "json"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "csv"


def read_table(content: bytes, filename: str) -> Table:
    """A CSV or Excel file as a table of text. Raises ImportFileError with a Swedish message."""
    if not content:
        raise ImportFileError("Filen är tom.")
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            f"Filen är {len(content) / 1e6:.0f} MB; högst "
            f"{MAX_BYTES // (1024 * 1024)} MB kan importeras."
        )
    file_format = detect_format(content, filename)
    if file_format == "xlsx":
        return read_excel(content)
    if file_format == "json":
        raise ImportFileError("JSON-filer importeras med mallen för polisens händelser.")
    return read_csv(content)
